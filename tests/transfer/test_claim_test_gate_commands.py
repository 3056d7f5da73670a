"""import_claims and import_okta_claims run the claim tests first, as every other write: an
import that makes a passing test fail is refused (nothing imported) until confirmed, and
always when tests are required; a dry run is not held up."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oidc_claims.models import ClaimDefinition

pytestmark = pytest.mark.django_db


def exported_with_tier(value: str) -> dict:
    out = StringIO()
    call_command("export_claims", stdout=out)
    document = json.loads(out.getvalue())
    for claim in document["claims"]:
        if claim["name"] == "tier":
            claim["value"] = value
    return document


def okta_tier(value: str) -> list[dict]:
    return [{
        "name": "tier", "status": "ACTIVE", "claimType": "IDENTITY", "valueType": "EXPRESSION",
        "value": value, "conditions": {"scopes": []},
    }]  # fmt: skip


def run(tmp_path, command: str, document, *args: str) -> tuple[str, str]:
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document))
    out, err = StringIO(), StringIO()
    call_command(command, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored_tier() -> str:
    return ClaimDefinition.objects.get(name="tier").value


@pytest.mark.parametrize(
    ("command", "document"),
    [
        ("import_claims", lambda: exported_with_tier('"silver"')),
        ("import_okta_claims", lambda: okta_tier('"silver"')),
    ],
)
def test_an_import_that_breaks_a_test_is_refused_until_confirmed(tmp_path, tier, command, document):
    with pytest.raises(CommandError) as refused:
        run(tmp_path, command, document())
    message = str(refused.value)
    assert "nothing was changed" in message and "1 passing claim test(s) fail" in message
    assert "portal users are gold" in message and "--confirm-failing-tests" in message
    assert "id_token 'tier' equals \"gold\"" in message  # what failed, and how
    assert stored_tier() == "app.profile.tier"
    out, _ = run(tmp_path, command, document(), "--dry-run")
    assert "Dry run" in out and stored_tier() == "app.profile.tier"
    out, err = run(tmp_path, command, document(), "--confirm-failing-tests")
    assert "Imported" in out and "portal users are gold" in err
    assert stored_tier() == '"silver"'


def test_an_import_that_keeps_the_tests_green_needs_no_confirmation(tmp_path, tier):
    out, err = run(tmp_path, "import_claims", exported_with_tier('app.profile.tier + ""'))
    assert "Imported" in out and err == ""
    assert stored_tier() == 'app.profile.tier + ""'


def test_with_tests_required_no_confirmation_is_accepted(tmp_path, tier, settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    with pytest.raises(CommandError, match="CLAIM_TESTS_REQUIRED"):
        run(tmp_path, "import_claims", exported_with_tier('"silver"'), "--confirm-failing-tests")
    assert stored_tier() == "app.profile.tier"


def test_an_invalid_file_is_still_refused_with_its_errors(tmp_path, tier):
    with pytest.raises(CommandError, match="Import refused, nothing was changed. 1 error"):
        run(tmp_path, "import_claims", exported_with_tier('"unterminated'))
