"""DOT's private API that oidc_claims relies on: listed, present in the installed DOT with the
listed parameters, and nothing private is used that the list does not name."""

from __future__ import annotations

import inspect
import re
from importlib import import_module

import pytest
from django.core import checks
from oauth2_provider.oauth2_validators import OAuth2Validator

from oidc_claims.checks.tokens import check_bypassed_validator_hooks
from oidc_claims.oauth.dot_private_api import PRIVATE_HOOKS, PrivateHook
from oidc_claims.oauth.validator import ClaimsOAuth2Validator
from tests.paths import PACKAGE


def _owner(hook: PrivateHook) -> type:
    module, name = hook.owner.rsplit(".", 1)
    return getattr(import_module(module), name)


@pytest.mark.parametrize("hook", PRIVATE_HOOKS, ids=lambda hook: hook.name)
def test_each_listed_hook_exists_in_the_installed_dot_with_its_parameters(hook):
    member = getattr(_owner(hook), hook.name)
    assert tuple(inspect.signature(member).parameters) == hook.parameters
    assert hook.use in ("overridden", "called", "overridden and called")
    assert hook.reason.endswith(".")


def test_the_source_uses_no_private_dot_member_that_is_not_listed():
    dot_classes = {_owner(hook) for hook in PRIVATE_HOOKS}
    private = {
        name
        for cls in dot_classes
        for name in dir(cls)
        if name.startswith("_") and not name.startswith("__") and name != "_meta"
    }
    source = "\n".join(path.read_text() for path in PACKAGE.rglob("*.py"))
    used = {name for name in private if re.search(rf"\b{re.escape(name)}\b", source)}
    assert used == {hook.name for hook in PRIVATE_HOOKS}


def test_the_validator_still_offers_the_public_hook_a_site_should_override():
    assert "get_id_token_payload" in vars(ClaimsOAuth2Validator)
    assert hasattr(OAuth2Validator, "get_id_token_dictionary")


class _SiteValidator(ClaimsOAuth2Validator):
    def get_id_token_dictionary(self, token, token_handler, request):  # never called
        return {"department": "R&D"}


def test_a_site_validator_overriding_a_bypassed_hook_is_reported(settings):
    assert check_bypassed_validator_hooks() == []
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OAUTH2_VALIDATOR_CLASS": _SiteValidator,
    }
    [message] = check_bypassed_validator_hooks()
    assert isinstance(message, checks.Error) and message.id == "oidc_claims.E021"
    assert message.msg == (
        "_SiteValidator.get_id_token_dictionary overrides a django-oauth-toolkit hook that "
        "oidc_claims does not call: finalize_id_token builds the ID token with the claim "
        "engine (get_id_token_payload), so the override has no effect."
    )
    assert message.hint.startswith("Configure the claim in the admin (Claim definitions), ")
