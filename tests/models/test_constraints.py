"""The database refuses what clean() refuses, for rows saved without full_clean()."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from oidc_claims.models import ClaimDefinition
from tests.factories import ClaimDefinitionFactory

pytestmark = pytest.mark.django_db


def assert_refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimDefinitionFactory(**fields)  # save() does not call clean()


def test_reserved_name_is_refused_by_the_database():
    assert_refused(name="iss")
    assert_refused(name="client_id", include_in_id_token=False, include_in_access_token=True)


@pytest.mark.parametrize("name", ["", " email", "email "])
def test_blank_or_padded_name_is_refused_by_the_database(name):
    assert_refused(name=name)


def test_empty_value_is_refused_by_the_database():
    assert_refused(value="")


def test_groups_claim_without_filter_is_refused_by_the_database():
    assert_refused(value_type="groups", group_filter="", value="eng")


def test_expression_claim_with_filter_is_refused_by_the_database():
    assert_refused(value_type="expression", group_filter="regex")


def test_unknown_value_type_is_refused_by_the_database():
    assert_refused(value_type="python")


@pytest.mark.parametrize("limit", [0, 1001])
def test_group_limit_out_of_range_is_refused_by_the_database(limit):
    assert_refused(groups_claim=True, value="eng", group_limit=limit)


def test_claim_without_destination_is_refused_by_the_database():
    assert_refused(
        include_in_id_token=False, include_in_access_token=False, include_in_userinfo=False
    )


@pytest.mark.parametrize(
    "destination", ["include_in_id_token", "include_in_access_token", "include_in_userinfo"]
)
def test_duplicate_enabled_name_in_one_token_is_refused_by_the_database(destination):
    only = {
        "include_in_id_token": False,
        "include_in_access_token": False,
        "include_in_userinfo": False,
    }
    ClaimDefinitionFactory(name="department", **{**only, destination: True})
    assert_refused(name="department", **{**only, destination: True})


def test_duplicates_the_database_allows():
    ClaimDefinitionFactory(name="groups", include_in_id_token=True, include_in_userinfo=False)
    ClaimDefinitionFactory(
        name="groups",
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    )
    ClaimDefinitionFactory(name="groups", enabled=False)
    assert ClaimDefinition.objects.filter(name="groups").count() == 3


def test_enabling_a_clashing_definition_is_refused_by_the_database():
    ClaimDefinitionFactory(name="department")
    parked = ClaimDefinitionFactory(name="department", enabled=False)
    parked.enabled = True
    with pytest.raises(IntegrityError), transaction.atomic():
        parked.save()


def test_bulk_create_cannot_bypass_the_constraints():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimDefinition.objects.bulk_create(
            [ClaimDefinition(name="aud", value="'x'", include_in_access_token=True)]
        )
