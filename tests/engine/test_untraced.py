"""resolve(trace=False), the token path: the same claims and group-limit errors as the traced
resolution, for every kind of decision, without building trace entries."""

from __future__ import annotations

from unittest import mock

import pytest

from oidc_claims.engine import resolve as engine
from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.resolve import Destination, resolve
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(username="ada", email="ada@example.com", groups=["eng-a", "eng-b", "ops"])


@pytest.fixture
def app():
    return ApplicationFactory(client_id="portal")


@pytest.fixture
def configuration(app):
    other = ApplicationFactory()
    everywhere = dict(include_in_id_token=True, include_in_access_token=True)
    ClaimDefinitionFactory(name="email", value="user.email", **everywhere)
    ClaimDefinitionFactory(name="client", value="app.clientId", **everywhere)
    ClaimDefinitionFactory(name="scoped", value='"s"', scopes=["profile"], **everywhere)
    ClaimDefinitionFactory(name="mine", value='"m"', applications=[app], **everywhere)
    ClaimDefinitionFactory(name="theirs", value='"t"', applications=[other], **everywhere)
    ClaimDefinitionFactory(name="nothing", value="null", **everywhere)
    ClaimDefinitionFactory(name="blank", value='" "', standard=True, **everywhere)
    ClaimDefinitionFactory(name="broken", value="String.len(user.groups)", **everywhere)
    ClaimDefinitionFactory(name="off", value='"x"', enabled=False, **everywhere)
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="eng", group_limit=1)
    ClaimDefinitionFactory(name="few", groups_claim=True, value="ops", **everywhere)
    # Only through the claims parameter, or in an ID token issued without an access token.
    ClaimDefinitionFactory(name="nick", value='"ada"', include_in_id_token=False)
    ClaimDefinitionFactory(
        name="late",
        value='"l"',
        include_in_id_token=False,
        id_token_without_access_token=True,
    )


CASES = {
    "code exchange": dict(scopes=["openid"]),
    "with profile": dict(scopes=["openid", "profile"]),
    "client credentials": dict(user=None, grant_type="client_credentials"),
    "no application": dict(app=None),
    "claims parameter": dict(requested_claims={"id_token": {"nick", "email"}, "userinfo": {"x"}}),
    "no access token": dict(issues_access_token=False, grant_type="implicit"),
}


def context(user, app, **fields) -> ClaimContext:
    arguments = dict(user=user, application=app, scopes=["openid"])
    return ClaimContext(**{**arguments, "grant_type": "authorization_code", **fields})


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("destination", list(Destination))
def test_untraced_resolution_gives_the_traced_claims(configuration, user, app, case, destination):
    fields = {"user": user, "app": app, **CASES[case]}
    traced = resolve(context(**fields), destination)
    untraced = resolve(context(**fields), destination, trace=False)
    assert list(untraced.claims.items()) == list(traced.claims.items())
    assert [str(e) for e in untraced.group_limit_errors] == [
        str(e) for e in traced.group_limit_errors
    ]
    assert untraced.trace == [] and traced.trace


def test_the_cases_cover_every_decision(configuration, user, app):
    reasons = {
        entry.reason
        for case in CASES.values()
        for destination in Destination
        for entry in resolve(context(**{"user": user, "app": app, **case}), destination).trace
    }
    assert reasons == set(engine.Reason) - {engine.Reason.VALUE_TOO_LARGE}


def test_untraced_resolution_builds_no_trace_entry(configuration, user, app):
    with mock.patch.object(engine, "TraceEntry", side_effect=AssertionError("built")):
        claims = resolve(context(user, app), Destination.ACCESS_TOKEN, trace=False).claims
    assert claims["email"] == "ada@example.com" and claims["client"] == "portal"


def test_one_request_evaluates_each_definition_once(configuration, user, app, monkeypatch):
    calls = []
    evaluate = engine._evaluate
    monkeypatch.setattr(
        engine, "_evaluate", lambda d, c: calls.append(d.name) or evaluate(d, c)
    )
    request = context(user, app)
    for destination in Destination:
        resolve(request, destination, trace=False)
    # The ID token, the access token and userinfo share each definition's value.
    assert calls and len(calls) == len(set(calls))
