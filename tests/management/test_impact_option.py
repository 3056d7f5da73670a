"""import_claims and import_okta_claims with --dry-run --impact: the effect on tokens."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oidc_claims.models import ClaimDefinition
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

TEAM = 'user.isMemberOfGroupName("eng") ? "eng" : null'


@pytest.fixture
def site(settings):
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_ISS_ENDPOINT": "https://idp.example.com/o",
    }
    ApplicationFactory(client_id="portal")
    UserFactory(username="ada", groups=["eng"])
    UserFactory(username="bob")


def run(tmp_path, command, document, *args):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document))
    out = StringIO()
    call_command(command, str(path), *args, stdout=out)
    return out.getvalue()


def test_import_dry_run_with_impact(tmp_path, site):
    document = {
        "format": "oidc_claims.claims",
        "version": 1,
        "claims": [{"name": "team", "value": TEAM}],
    }
    output = run(tmp_path, "import_claims", document, "--dry-run", "--impact")
    assert "Dry run, nothing changed: would be 1 created" in output
    assert "Impact on tokens (2 users):" in output
    assert "1 of 2 users' ID tokens change (1 application(s))" in output
    assert "0 of 2 users' access tokens change (0 application(s))" in output
    assert "portal:\n    ID tokens: added team for 1 (e.g. ada)" in output
    assert not ClaimDefinition.objects.exists()


def test_okta_import_dry_run_with_impact(tmp_path, site):
    okta = [
        {
            "name": "team",
            "status": "ACTIVE",
            "claimType": "IDENTITY",
            "valueType": "EXPRESSION",
            "value": TEAM,
            "conditions": {"scopes": []},
        }
    ]
    output = run(tmp_path, "import_okta_claims", okta, "--dry-run", "--impact")
    assert "1 of 2 users' ID tokens change" in output
    assert not ClaimDefinition.objects.exists()


def test_impact_needs_a_dry_run_and_an_issuer(tmp_path, site, settings):
    document = {"format": "oidc_claims.claims", "version": 1, "claims": []}
    with pytest.raises(CommandError, match="add --dry-run"):
        run(tmp_path, "import_claims", document, "--impact")
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": ""}
    with pytest.raises(CommandError, match="OIDC_ISS_ENDPOINT"):
        run(tmp_path, "import_claims", document, "--dry-run", "--impact")
