"""What an application (DOT's client model) must satisfy to be a client of this OpenID Provider.

DOT's own ``Application.clean()`` still applies; these rules come on top of it, in the
admin's form, in the opt-in management views, and on every save (``pre_save``), so that
no channel can store an application that would make a token request fail:

* its client id must not have the form of a user's subject (a client-credentials token's
  ``sub`` is the client id; :mod:`oidc_claims.models.subjects`);
* an application whose grant can return ID tokens must have a signing algorithm;
* a confidential client's secret, when one is set in clear (new, or changed), must be long and
  random enough for the fast hash of :mod:`oidc_claims.oauth.client_secrets`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from oauth2_provider.models import AbstractApplication

from oidc_claims.models.subjects import client_id_problem
from oidc_claims.oauth.client_secrets import is_hashed, secret_problem

# DOT grant types whose flows return ID tokens (oauthlib's OpenID Connect grants: code,
# implicit and hybrid; a refresh of such a grant too).
ID_TOKEN_GRANT_TYPES = frozenset(
    {
        AbstractApplication.GRANT_AUTHORIZATION_CODE,
        AbstractApplication.GRANT_IMPLICIT,
        AbstractApplication.GRANT_OPENID_HYBRID,
    }
)


def receives_id_tokens(application: Any) -> bool:
    """Whether ``application``'s grant type can return ID tokens."""
    return application.authorization_grant_type in ID_TOKEN_GRANT_TYPES


def application_errors(application: Any) -> dict[str, list[ValidationError]]:
    """This app's rules that ``application`` breaks, by field (empty when it satisfies them)."""
    errors: dict[str, list[ValidationError]] = {}
    problem = client_id_problem(application.client_id or "")
    if problem is not None:
        errors["client_id"] = [ValidationError(problem, code="client_id_like_subject")]
    if receives_id_tokens(application) and not application.algorithm:
        errors["algorithm"] = [
            ValidationError(
                f"An application with the grant type {application.authorization_grant_type!r} "
                "receives ID tokens, which must be signed: choose the algorithm RS256 (signed "
                "with the provider's key, published in its JWKS) or, for a confidential "
                "client, HS256 (signed with the client secret). An ID token signing algorithm "
                "chosen in its claims profile (ES256, EdDSA or RS256) then takes its place.",
                code="signing_algorithm_required",
            )
        ]
    problem = _new_secret_problem(application)
    if problem is not None:
        errors["client_secret"] = [ValidationError(problem, code="weak_client_secret")]
    return errors


def _new_secret_problem(application: Any) -> str | None:
    if application.client_type != AbstractApplication.CLIENT_CONFIDENTIAL:
        return None  # a public client's secret authenticates nothing
    secret = application.client_secret or ""
    if is_hashed(secret):
        return None  # stored before, or hashed elsewhere: its clear text is not known here
    if application.pk is not None and not getattr(application, "hash_client_secret", True):
        # Stored in clear: only a changed secret is checked, so that old rows still save.
        stored = (
            type(application)
            .objects.filter(pk=application.pk)
            .values_list("client_secret", flat=True)
            .first()
        )
        if stored == secret:
            return None
    return secret_problem(secret)


def validate_application(application: Any) -> None:
    """Raise ValidationError (by field) if ``application`` breaks one of these rules."""
    errors = application_errors(application)
    if errors:
        raise ValidationError(errors)


def no_signing_algorithm_reason(application: Any) -> str | None:
    """Why ``application`` cannot be given an ID token, or None if it can.

    Rows saved before the rules existed (or with ``update()``) can still lack an
    algorithm; the token layer then answers with a clean OAuth error instead of failing.
    """
    if application is None or application.algorithm:
        return None
    return (
        f"The application {application.client_id!r} has no ID-token signing algorithm, so "
        "it cannot use the openid scope; an administrator must choose RS256 or HS256 for it."
    )
