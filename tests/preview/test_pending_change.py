"""A pending change is seen by the engine inside the block, and leaves nothing behind."""

import pytest
from django.db import transaction

from oidc_claims.engine.config_version import current_version
from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.resolve import Destination, resolve
from oidc_claims.models import ClaimDefinition
from oidc_claims.preview.pending_change import pending_change
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory


def _claims(user, app):
    context = ClaimContext(
        user=user, application=app, scopes=["openid"], grant_type="authorization_code"
    )
    return resolve(context, Destination.ID_TOKEN).claims


@pytest.mark.django_db(transaction=True)
def test_a_pending_change_is_seen_inside_and_undone_after():
    user, app = UserFactory(), ApplicationFactory()
    definition = ClaimDefinitionFactory(name="tier", value='"gold"')
    assert _claims(user, app)["tier"] == "gold"
    version = current_version()

    with pending_change():
        ClaimDefinition.objects.filter(pk=definition.pk).update(value='"silver"')
        assert _claims(user, app)["tier"] == "silver"

    assert ClaimDefinition.objects.get(pk=definition.pk).value == '"gold"'
    assert current_version() == version
    assert _claims(user, app)["tier"] == "gold"


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_block_rolls_back_and_propagates():
    definition = ClaimDefinitionFactory(name="tier", value='"gold"')
    with pytest.raises(ZeroDivisionError), pending_change():
        ClaimDefinition.objects.filter(pk=definition.pk).update(enabled=False)
        1 / 0  # noqa: B018
    assert ClaimDefinition.objects.get(pk=definition.pk).enabled


@pytest.mark.django_db(transaction=True)
def test_inside_an_outer_transaction_only_the_pending_change_is_undone():
    with transaction.atomic():
        kept = ClaimDefinitionFactory(name="kept", value='"k"')
        with pending_change():
            ClaimDefinitionFactory(name="undone", value='"u"')
    assert list(ClaimDefinition.objects.values_list("name", flat=True)) == [kept.name]
