"""Token preview admin page: permissions, inputs, panels, trace reasons, shareable URL."""

from __future__ import annotations

import json
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from oauth2_provider.models import get_access_token_model, get_id_token_model

from oidc_claims.engine.resolve import Reason
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PREVIEW = "admin:oidc_claims_claimdefinition_preview"
USERS = "admin:oidc_claims_claimdefinition_preview_users"


@pytest.fixture
def app():
    application = ApplicationFactory(client_id="portal", name="Portal")
    AppProfileFactory(application=application, data={"label": "Staff portal"})
    return application


@pytest.fixture
def ada():
    return UserFactory(username="ada", email="ada@example.com", groups=["eng-a", "eng-b"])


def previewer(**extra):
    user = UserFactory(username="previewer", is_staff=True, **extra)
    user.user_permissions.add(Permission.objects.get(codename="preview_token"))
    return user


def preview_url(app, user=None, grant="authorization_code", scopes=("openid",), **extra):
    params = [("application", app.pk), ("grant_type", grant)]
    if user is not None:
        params.append(("user", user.pk))
    params += [("scopes", scope) for scope in scopes]
    params += list(extra.items())
    return f"{reverse(PREVIEW)}?{urlencode(params)}"


# --- Acceptance 3: permissions ------------------------------------------------------------


def test_anonymous_is_sent_to_the_admin_login(client, app, ada):
    response = client.get(preview_url(app, ada))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_is_sent_to_the_admin_login_even_with_the_permission(client, app, ada):
    user = UserFactory(username="outsider", is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="preview_token"))
    client.force_login(user)
    response = client.get(preview_url(app, ada))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_permission_is_refused(client, app, ada):
    user = UserFactory(username="staff", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="oidc_claims").exclude(
            codename="preview_token"
        )
    )
    client.force_login(user)
    assert client.get(preview_url(app, ada)).status_code == 403
    assert client.get(reverse(USERS) + "?term=ada").status_code == 403


def test_staff_with_the_permission_sees_the_preview(client, app, ada):
    ClaimDefinitionFactory(name="mail", value="user.email")
    client.force_login(previewer())
    response = client.get(preview_url(app, ada))
    assert response.status_code == 200
    assert response.context["preview"]["id_token"]["payload"]["mail"] == "ada@example.com"


def test_superuser_has_the_permission(client, app, ada):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(preview_url(app, ada)).status_code == 200


def test_the_permission_comes_through_a_group(client, app, ada):
    group = Group.objects.create(name="previewers")
    group.permissions.add(Permission.objects.get(codename="preview_token"))
    user = UserFactory(username="grouped", is_staff=True)
    user.groups.add(group)
    client.force_login(user)
    assert client.get(preview_url(app, ada)).status_code == 200


# --- The page -----------------------------------------------------------------------------


def test_empty_form_offers_known_scopes_and_a_searchable_user_field(client, app):
    client.force_login(previewer())
    response = client.get(reverse(PREVIEW))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["preview"] is None
    for scope in ("openid", "profile", "email", "groups", "api.read"):
        assert f'value="{scope}"' in page
    assert 'name="extra_scopes"' in page
    # Admin autocomplete (select2), not a drop-down of every user.
    assert "admin-autocomplete" in page
    assert f'data-ajax--url="{reverse(USERS)}"' in page
    for grant in (
        "authorization_code",
        "implicit",
        "hybrid",
        "refresh_token",
        "client_credentials",
        "password",
    ):
        assert f'value="{grant}"' in page


def test_panels_side_by_side_with_payloads_sizes_and_share_link(client, app, ada):
    ClaimDefinitionFactory(name="mail", value="user.email", include_in_access_token=True)
    client.force_login(previewer())
    url = preview_url(app, ada, scopes=["openid", "email"], nonce="n-9")
    response = client.get(url)
    page = unescape(response.content.decode())
    for panel in ("panel-id_token", "panel-access_token", "panel-userinfo", "panel-introspection"):
        assert f'id="{panel}"' in page
    assert '"mail": "ada@example.com"' in page
    assert '"typ": "at+jwt"' in page
    assert '"nonce": "n-9"' in page
    assert "Encoded size as issued:" in page
    assert f'value="http://testserver{url}"' in page
    # The link reproduces the same preview.
    again = client.get(url)
    first, second = response.context["preview"], again.context["preview"]
    assert first["inputs"] == second["inputs"]
    assert first["id_token"]["payload"]["mail"] == second["id_token"]["payload"]["mail"]
    assert get_access_token_model().objects.count() == 0
    assert get_id_token_model().objects.count() == 0


def test_free_text_scopes_and_claims_parameter(client, app, ada):
    ClaimDefinitionFactory(
        name="mail", value="user.email", scopes=["custom"], include_in_userinfo=False
    )
    client.force_login(previewer())
    response = client.get(
        preview_url(
            app, ada, extra_scopes="custom", claims=json.dumps({"userinfo": {"mail": None}})
        )
    )
    preview = response.context["preview"]
    assert preview["inputs"]["scopes"] == ["openid", "custom"]
    assert preview["userinfo"]["payload"]["mail"] == "ada@example.com"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"claims": "{not json"}, "claims"),
        ({"claims": '{"id_token": ["a"]}'}, "claims"),
        ({"extra_scopes": 'bad"scope'}, "extra_scopes"),
        ({"grant_type": "device_code"}, "grant_type"),
        ({"user": "999999"}, "user"),
        ({"user": "not-a-number"}, "user"),
    ],
)
def test_bad_input_is_a_form_error_not_a_500(client, app, ada, params, field):
    client.force_login(previewer())
    query = {
        "application": app.pk,
        "grant_type": "authorization_code",
        "user": ada.pk,
        "scopes": "openid",
        **params,
    }
    response = client.get(f"{reverse(PREVIEW)}?{urlencode(query)}")
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["preview"] is None


def test_unknown_application_and_missing_user_are_form_errors(client, app):
    client.force_login(previewer())
    response = client.get(f"{reverse(PREVIEW)}?application=424242&grant_type=password")
    assert set(response.context["form"].errors) == {"application", "user"}
    # Client credentials need no user.
    response = client.get(preview_url(app, None, grant="client_credentials"))
    assert response.context["preview"]["access_token"]["payload"]["sub"] == "portal"


def test_user_search_returns_matches_for_the_autocomplete(client, ada):
    UserFactory(username="bob", email="bob@example.com")
    client.force_login(previewer())
    result = client.get(reverse(USERS) + "?term=ada@").json()
    assert result == {
        "results": [{"id": str(ada.pk), "text": "ada <ada@example.com>"}],
        "pagination": {"more": False},
    }
    assert client.post(reverse(USERS)).status_code == 405
    assert client.get(reverse(USERS) + "?term=&page=x").status_code == 200


# --- Acceptance 2: every trace reason appears in the page -----------------------------------


def _trace_page(client, app, ada, **kwargs):
    client.force_login(previewer())
    response = client.get(preview_url(app, ada, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("reason", "definition", "kwargs"),
    [
        (Reason.INCLUDED, {"value": "user.email"}, {}),
        (
            Reason.REQUESTED,
            {"value": "user.email", "include_in_userinfo": False},
            {"claims": '{"userinfo": {"the_claim": null}}'},
        ),
        (Reason.DISABLED, {"value": "user.email", "enabled": False}, {}),
        (Reason.NOT_FOR_DESTINATION, {"value": "user.email", "include_in_access_token": False}, {}),
        (Reason.SCOPE_NOT_GRANTED, {"value": "user.email", "scopes": ["email"]}, {}),
        (Reason.APPLICATION_NOT_SELECTED, {"value": "user.email", "other_app": True}, {}),
        (Reason.NULL_VALUE, {"value": "app.profile.missing"}, {}),
        (Reason.NO_USER, {"value": "user.email"}, {"grant": "client_credentials"}),
        (Reason.EVALUATION_ERROR, {"value": "Convert.toInt(user.email)"}, {}),
        (
            Reason.GROUP_LIMIT_EXCEEDED,
            {
                "value": "eng",
                "value_type": "groups",
                "group_filter": "starts_with",
                "group_limit": 1,
            },
            {},
        ),
        (
            Reason.VALUE_TOO_LARGE,
            # 20,000 characters: over the default CLAIM_MAX_BYTES of 16,384.
            {"value": 'String.replace("' + "x" * 4000 + '", "x", "xxxxx")'},
            {},
        ),
    ],
)
def test_each_trace_reason_appears_in_the_preview(client, app, ada, reason, definition, kwargs):
    definition = dict(definition)
    if definition.pop("other_app", False):
        definition["applications"] = [ApplicationFactory(name="Other")]
    claim = ClaimDefinitionFactory(name="the_claim", **definition)
    page = _trace_page(client, app, ada, **kwargs)
    assert f'<tr class="reason-{reason.value}">' in page
    # The reason's code is shown beside its label, unless the label says it already.
    code = f'<code class="oidc-muted">{reason.value}</code>'
    assert (code in page) is (reason is not Reason.INCLUDED)
    change_url = reverse("admin:oidc_claims_claimdefinition_change", args=[claim.pk])
    assert f'<a href="{change_url}">the_claim</a>' in page
    if reason is Reason.EVALUATION_ERROR:
        assert "Convert.toInt" in unescape(page)
    if reason is Reason.GROUP_LIMIT_EXCEEDED:
        assert "The token request would be refused" in page
    if reason is Reason.VALUE_TOO_LARGE:
        assert "omitted: the value is too large" in page
        assert "the value encodes to 20002 bytes of JSON" in page
        assert "CLAIM_MAX_BYTES" in unescape(page)


def test_a_token_over_the_token_cap_is_refused_in_the_preview(client, app, ada, settings):
    settings.OIDC_CLAIMS = {"TOKEN_MAX_BYTES": 2000}
    ClaimDefinitionFactory(name="big", value='String.replace("' + "x" * 1000 + '", "x", "xx")')
    page = unescape(_trace_page(client, app, ada))
    assert "The token request would be refused: The ID token's claims encode to" in page
    assert "more than the limit of 2000 (OIDC_CLAIMS['TOKEN_MAX_BYTES'])" in page
    # The claim itself is within its own cap: included in the trace, refused as a whole.
    assert '<tr class="reason-included">' in page


def test_trace_covers_every_definition_and_destination(client, app, ada):
    ClaimDefinitionFactory(name="one", value="user.email")
    ClaimDefinitionFactory(name="two", value="user.login", include_in_access_token=True)
    client.force_login(previewer())
    trace = client.get(preview_url(app, ada)).context["preview"]["trace"]
    assert {(row["claim_name"], row["destination"]) for row in trace} == {
        (name, destination)
        for name in ("one", "two")
        for destination in ("id_token", "access_token", "userinfo")
    }


def test_preview_only_answers_get(client, app, ada):
    client.force_login(previewer())
    assert client.post(reverse(PREVIEW), {"application": app.pk}).status_code == 405
