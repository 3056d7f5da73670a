"""Claim tests: a user, an application and a grant, and what their tokens must (not) carry."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from oidc_claims.claims_parameter import parse_claims_parameter
from oidc_claims.expressions.safe_regex import RegexSyntaxError, compile_safe_regex
from oidc_claims.json_limits import PROFILE_DATA_MAX_DEPTH, nesting_depth, unstorable_text

# Where an expectation looks: the four payloads of the token preview.
DESTINATIONS: tuple[str, ...] = ("id_token", "access_token", "userinfo", "introspection")
EQUALS, ABSENT, CONTAINS, MATCHES = "equals", "absent", "contains", "matches"
OPERATORS: tuple[str, ...] = (EQUALS, ABSENT, CONTAINS, MATCHES)
EXPECTATION_KEYS = frozenset({"destination", "claim", "operator", "value"})
# A test states a handful of facts; hundreds would be a second configuration to maintain.
MAX_EXPECTATIONS = 100
MAX_SCOPES = 50
MAX_CLAIM_NAME_LENGTH = 255
# RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
_SCOPE_TOKEN_RE = re.compile(r"[\x21\x23-\x5B\x5D-\x7E]+")
EXPECTATION_EXAMPLE = (
    '[{"destination": "id_token", "claim": "email", "operator": "equals", '
    '"value": "ada@example.com"}, '
    '{"destination": "access_token", "claim": "groups", "operator": "contains", '
    '"value": "staff"}, '
    '{"destination": "userinfo", "claim": "phone_number", "operator": "absent"}, '
    '{"destination": "introspection", "claim": "sub", "operator": "matches", '
    '"value": "^[0-9a-f-]+$"}]'
)


# The grants whose tokens the token preview, and so a claim test, can build.
GRANT_TYPES: tuple[tuple[str, str], ...] = (
    ("authorization_code", _("Authorization code (ID token at /token)")),
    ("implicit", _("Implicit (response_type=id_token token)")),
    ("hybrid", _("Hybrid (response_type=code id_token token)")),
    ("refresh_token", _("Refresh token")),
    ("client_credentials", _("Client credentials (no user)")),
    ("password", _("Password")),
)


def grant_type_choices() -> list[tuple[str, Any]]:
    """The grants a claim test may name (a callable, as migration 0010 recorded it)."""
    return list(GRANT_TYPES)


def expectation_problems(expectations: Any) -> list[str]:
    """Every problem of an ``expectations`` list, each saying how to fix it; [] when valid.

    The model's ``clean()`` asks this, and so every channel (admin, API, import) does.
    """
    if not isinstance(expectations, list):
        return [f"Expectations must be a JSON list of objects, e.g. {EXPECTATION_EXAMPLE}."]
    if not expectations:
        return [f"Give at least one expectation, e.g. {EXPECTATION_EXAMPLE}."]
    if len(expectations) > MAX_EXPECTATIONS:
        return [f"{len(expectations)} expectations, more than {MAX_EXPECTATIONS}; split the test."]
    problems: list[str] = []
    for index, item in enumerate(expectations, start=1):
        problems.extend(f"Expectation {index}: {problem}" for problem in _one(item))
    return problems


def _one(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return ['expected an object such as {"destination": ..., "claim": ..., "operator": ...}.']
    problems = []
    unknown = sorted(str(key) for key in set(item) - EXPECTATION_KEYS)
    if unknown:
        problems.append(
            f"unknown key(s) {', '.join(unknown)}; the keys are destination, claim, operator "
            "and value."
        )
    destination = item.get("destination")
    if destination not in DESTINATIONS:
        problems.append(f"destination {destination!r} is not one of {', '.join(DESTINATIONS)}.")
    claim = item.get("claim")
    if not isinstance(claim, str) or not claim.strip():
        problems.append('claim: give the claim name as text, e.g. "email".')
    elif len(claim) > MAX_CLAIM_NAME_LENGTH or "\x00" in claim:
        problems.append(
            f"claim: at most {MAX_CLAIM_NAME_LENGTH} characters, without NUL characters."
        )
    operator = item.get("operator")
    if operator not in OPERATORS:
        problems.append(f"operator {operator!r} is not one of {', '.join(OPERATORS)}.")
    elif operator == ABSENT:
        if "value" in item:
            problems.append('the "absent" operator takes no value; remove "value".')
    elif "value" not in item:
        problems.append(f'the "{operator}" operator needs a "value".')
    elif operator == MATCHES:
        problems.extend(_pattern_problems(item["value"]))
    elif nesting_depth(item["value"], PROFILE_DATA_MAX_DEPTH) > PROFILE_DATA_MAX_DEPTH:
        problems.append(f"value: nested more than {PROFILE_DATA_MAX_DEPTH} levels deep.")
    return problems


def _pattern_problems(pattern: Any) -> list[str]:
    if not isinstance(pattern, str):
        return ['the "matches" operator needs a regular expression as text, e.g. "^ada@".']
    try:
        compile_safe_regex(pattern)
    except RegexSyntaxError as exc:
        return [f"invalid regular expression: {exc}"]
    return []


def scope_problems(scopes: Any) -> list[str]:
    """Problems of a test's scope list; [] when valid."""
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
        return ['Scopes must be a list of scope names, e.g. ["openid", "email"].']
    if len(scopes) > MAX_SCOPES:
        return [f"{len(scopes)} scopes, more than {MAX_SCOPES}."]
    bad = [scope for scope in scopes if not _SCOPE_TOKEN_RE.fullmatch(scope)]
    if bad:
        return [f"Not a scope name (RFC 6749 3.3, no spaces or quotes): {bad[0]!r}."]
    return []


class ClaimTest(models.Model):
    """Assertions about the tokens one user gets from one application with one grant.

    Runs on the token preview (:mod:`oidc_claims.preview.claim_tests`), so it checks the
    very payloads issuance builds.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Disabled tests are not run, neither on demand nor before a change."),
    )
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("application"),
        # A deleted application leaves the test behind, reported as broken, not gone.
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
        help_text=_("Required for every grant except client credentials."),
    )
    grant_type = models.CharField(
        _("grant type"), max_length=32, choices=grant_type_choices, default="authorization_code"
    )
    scopes = models.JSONField(
        _("scopes"), default=list, blank=True, help_text=_('e.g. ["openid", "email"]')
    )
    claims_parameter = models.JSONField(
        _("claims request parameter"),
        null=True,
        blank=True,
        help_text=_('The OIDC claims parameter, e.g. {"id_token": {"email": null}}.'),
    )
    expectations = models.JSONField(
        _("expectations"),
        default=list,
        help_text=_(
            "A list of {destination, claim, operator, value}: destination is id_token, "
            "access_token, userinfo or introspection; operator is equals, absent, contains "
            "(an item of a list, or text within text) or matches (a regular expression "
            "found in the text value)."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("claim test")
        verbose_name_plural = _("claim tests")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:

        errors: dict[str, list[str]] = {}
        if self.name is not None and not self.name.strip():
            errors["name"] = ["Give the test a name."]
        if self.application_id is None:
            errors["application"] = ["Choose the application the tokens are issued to."]
        if self.user_id is None and self.grant_type != "client_credentials":
            errors["user"] = [
                f"The {self.grant_type} grant issues tokens to a user; choose one (only "
                "client_credentials has no user)."
            ]
        if problems := scope_problems(self.scopes):
            errors["scopes"] = problems
        try:
            parse_claims_parameter(self.claims_parameter)
        except OAuth2Error as exc:
            errors["claims_parameter"] = [exc.description]
        if problems := expectation_problems(self.expectations):
            errors["expectations"] = problems
        for field in ("name", "description", "scopes", "claims_parameter", "expectations"):
            if field not in errors and (problem := unstorable_text(getattr(self, field))):
                errors[field] = [f"{problem[0].upper()}{problem[1:]}; remove it."]
        if errors:
            raise ValidationError(errors, code="invalid_claim_test")
