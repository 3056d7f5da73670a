"""A claim configuration to change and roll back, and the token payloads it gives, for the
revision tests of the API, the admin and the browser."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from oidc_claims.models.revisions import Revision
from oidc_claims.preview.build import build_preview
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)

# Registered claims that differ from one token to the next, whatever the configuration.
TIME_CLAIMS = frozenset({"iat", "exp", "nbf", "auth_time", "jti"})
PANELS = ("id_token", "access_token", "userinfo", "introspection")


def configure() -> dict[str, Any]:
    """Two applications, one with a profile, three claims (one for the portal only, one a
    groups claim), and a user in two groups."""
    portal = ApplicationFactory(client_id="portal", name="Portal")
    crm = ApplicationFactory(client_id="crm", name="CRM")
    AppProfileFactory(application=portal, data={"label": "Sales"})
    ClaimDefinitionFactory(
        name="department",
        value='app.profile.label + "/" + user.email',
        include_in_access_token=True,
        applications=[portal],
    )
    ClaimDefinitionFactory(name="teams", groups_claim=True, value="team-")
    ClaimDefinitionFactory(name="nickname", value='"nick"', enabled=False)
    user = UserFactory(username="ada", groups=["team-a", "team-b", "other"])
    return {"portal": portal, "crm": crm, "user": user}


def payloads(application: Any, user: Any) -> dict[str, Any]:
    """What the preview says each destination would carry, without the time claims."""
    request = RequestFactory().get("/", HTTP_HOST="idp.example.com")
    preview = build_preview(
        application, "authorization_code", user, ["openid", "profile"], request=request
    )
    return {
        panel: None
        if preview[panel]["payload"] is None
        else {k: v for k, v in preview[panel]["payload"].items() if k not in TIME_CLAIMS}
        for panel in PANELS
    }


def latest_revision() -> Revision:
    return Revision.objects.order_by("-pk").first()
