"""Token preview: the payloads issuance would build for given inputs, never signed, never saved.

:func:`build_preview` is independent of HTTP (the admin page and the REST API both render
it). It composes the very functions real issuance calls — the validator's ID-token
payload, :mod:`oidc_claims.tokens.builders` builders, the engine — on an oauthlib request built the
way DOT builds one, and only leaves out signing and the database writes.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from oauth2_provider.models import AbstractApplication, get_access_token_model
from oauth2_provider.oauth2_validators import GRANT_TYPE_MAPPING
from oauth2_provider.scopes import get_scopes_backend
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request as OAuthlibRequest
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from oidc_claims.claims_parameter import parse_claims_parameter
from oidc_claims.conf import claims_settings
from oidc_claims.engine.exceptions import TokenRefused
from oidc_claims.engine.resolve import Destination, resolve
from oidc_claims.oauth.validator import ClaimsOAuth2Validator
from oidc_claims.oauth.wiring import (
    configured_validator_class,
    generator_is_ours,
    validator_is_ours,
)
from oidc_claims.preview.token_sizes import (
    encoded_size,
    signature_bytes,
    size_warnings,
    unsecured_jwt,
)
from oidc_claims.tokens.builders import access_token_signature, build_introspection, build_userinfo
from oidc_claims.tokens.id_token_signing import id_token_signature
from oidc_claims.tokens.issuance import access_token_payload, claim_context
from oidc_claims.tokens.stored_tokens import opaque_token_claims, stored_token_context

# How each previewed grant reaches issuance: the oauthlib request's grant_type and
# response_type (tokens of implicit and hybrid flows are issued at /authorize).
_FLOWS: dict[str, tuple[str | None, str | None]] = {
    "authorization_code": ("authorization_code", None),
    "implicit": (None, "id_token token"),
    "hybrid": (None, "code id_token token"),
    "refresh_token": ("refresh_token", None),
    "client_credentials": ("client_credentials", None),
    "password": ("password", None),
}
# oauthlib's OpenID Connect grant types add an ID token (scope openid) in these flows only;
# its password grant is the plain OAuth 2 one.
ID_TOKEN_GRANTS = frozenset({"authorization_code", "implicit", "hybrid", "refresh_token"})
# Grants whose tokens answer an authorization request: only they carry nonce and claims.
AUTHORIZATION_REQUEST_GRANTS = frozenset({"authorization_code", "implicit", "hybrid"})
# DOT's own rule (validate_response_type) for the flows issued at /authorize.
_AUTHORIZE_GRANTS = {
    "implicit": (AbstractApplication.GRANT_IMPLICIT,),
    "hybrid": (AbstractApplication.GRANT_OPENID_HYBRID,),
}

def build_preview(
    application: Any,
    grant_type: str,
    user: Any,
    scopes: list[str],
    claims_parameter: Any = None,
    nonce: str | None = None,
    *,
    request: Any = None,
) -> dict[str, Any]:
    """What issuance would return for these inputs: ID token, access token, userinfo,
    introspection (headers and full payloads), with the engine's trace. Nothing is signed
    and nothing is saved.

    ``claims_parameter`` is the OIDC ``claims`` request parameter (JSON text or a dict; a
    malformed one raises oauthlib's ``InvalidRequestError``). ``request`` is the Django
    request, used only to compute the issuer when ``OIDC_ISS_ENDPOINT`` is not set.

    Returns a JSON-serialisable dict::

        {"inputs": {...}, "signed": False, "refused": str | None, "warnings": [str],
         "id_token": Panel, "access_token": Panel, "userinfo": Panel, "introspection": Panel,
         "trace": [{"destination", "definition_id", "claim_name", "included", "reason",
                    "value", "error"}]}

    where a Panel is ``{"status": "issued" | "not_issued" | "refused", "note": str | None,
    "header": dict | None, "payload": dict | None, "size": int | None,
    "size_warnings": [str], "unsecured": str | None, "format": "jwt" | "opaque" | None}``.
    ``size`` is the length of the token as issued (signature included); ``unsecured`` is
    the same header and payload as an unsigned JWT (``alg: none``) that no party accepts.
    """
    if grant_type not in _FLOWS:
        raise ValueError(f"Unknown grant type {grant_type!r}; one of {', '.join(_FLOWS)}.")
    scopes = list(dict.fromkeys(scopes))
    parsed_claims = parse_claims_parameter(claims_parameter)
    from_authorization = grant_type in AUTHORIZATION_REQUEST_GRANTS
    if not from_authorization:
        parsed_claims, nonce = None, None
    if grant_type == "client_credentials":
        user = None
    if user is None and grant_type != "client_credentials":
        raise ValueError(f"The {grant_type} grant issues tokens to a user; give one.")

    validator, warnings = _validator()
    warnings += _request_warnings(application, grant_type, scopes)
    token_request = _oauthlib_request(application, user, scopes, grant_type, request)
    token_request.claims = parsed_claims
    token_request.nonce = nonce
    context = claim_context(token_request)
    now = int(time.time())

    access_token, jwt_payload = _access_token_panel(token_request, now)
    id_token = _id_token_panel(validator, token_request, grant_type, scopes, nonce, now)
    introspection = _introspection_panel(token_request, grant_type, jwt_payload)
    userinfo_request = _userinfo_request(application, user, scopes, parsed_claims, request)
    userinfo = _userinfo_panel(validator, userinfo_request, scopes)

    refused = next(
        (panel["note"] for panel in (access_token, id_token) if panel["status"] == "refused"),
        None,
    )
    return {
        "inputs": {
            "application": application.client_id,
            "grant_type": grant_type,
            "user": user.get_username() if user is not None else None,
            "scopes": scopes,
            "claims": parsed_claims,
            "nonce": nonce or None,
        },
        "signed": False,
        "refused": refused,
        "warnings": warnings,
        "id_token": id_token,
        "access_token": access_token,
        "userinfo": userinfo,
        "introspection": introspection,
        "trace": [
            *_trace(context, Destination.ID_TOKEN),
            *_trace(context, Destination.ACCESS_TOKEN),
            *_trace(claim_context(userinfo_request), Destination.USERINFO),
        ],
    }


# --- The requests issuance would see -------------------------------------------------------


def _validator() -> tuple[Any, list[str]]:
    configured = configured_validator_class()
    if validator_is_ours(configured):
        return configured(), []
    return ClaimsOAuth2Validator(), [
        "OAUTH2_PROVIDER['OAUTH2_VALIDATOR_CLASS'] is not oidc_claims' validator: real ID "
        "tokens and userinfo do not carry the configured claims, unlike this preview."
    ]


def _oauthlib_request(
    application: Any, user: Any, scopes: list[str], grant_type: str | None, http_request: Any
) -> OAuthlibRequest:
    # DOT passes the Django request's headers to oauthlib; the issuer is derived from them.
    headers: dict[str, str] = {}
    if http_request is not None:
        headers = {"HTTP_HOST": http_request.get_host()}
        if http_request.is_secure():
            headers["X_DJANGO_OAUTH_TOOLKIT_SECURE"] = "1"
    elif not oauth2_settings.OIDC_ISS_ENDPOINT:
        raise ValueError(
            "Pass the HTTP request (to derive the issuer) or set "
            "OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT']."
        )
    oauthlib_request = OAuthlibRequest("", headers=headers)
    oauthlib_request.client = application
    oauthlib_request.client_id = application.client_id
    oauthlib_request.user = user
    oauthlib_request.scopes = list(scopes)
    if grant_type is not None:
        oauthlib_request.grant_type, oauthlib_request.response_type = _FLOWS[grant_type]
    return oauthlib_request


def _userinfo_request(
    application: Any, user: Any, scopes: list[str], claims: Any, http_request: Any
) -> OAuthlibRequest:
    # A userinfo request is a new request: no grant type; the claims parameter's userinfo
    # member is what the validator keeps with the access token (RequestedUserinfoClaims).
    userinfo_request = _oauthlib_request(application, user, scopes, None, http_request)
    userinfo_request.grant_type = None
    userinfo_request.response_type = None
    members = claims.get("userinfo") if isinstance(claims, dict) else None
    userinfo_request.claims = {"userinfo": {name: None for name in members}} if members else None
    return userinfo_request


def _request_warnings(application: Any, grant_type: str, scopes: list[str]) -> list[str]:
    warnings = []
    allowed = _AUTHORIZE_GRANTS.get(grant_type) or GRANT_TYPE_MAPPING[grant_type]
    if not application.allows_grant_type(*allowed):
        warnings.append(
            f"Application {application.name!r} is registered for the "
            f"{application.get_authorization_grant_type_display()!r} grant: a real "
            f"{grant_type} request would be refused (unauthorized_client)."
        )
    available = set(get_scopes_backend().get_available_scopes(application=application))
    unknown = [scope for scope in scopes if scope not in available]
    if unknown:
        warnings.append(
            f"Scope(s) {', '.join(unknown)} are not available to this application: a real "
            "request would be refused (invalid_scope)."
        )
    return warnings


# --- Panels ----------------------------------------------------------------------------------


def _panel(status: str, note: str | None = None, **values: Any) -> dict[str, Any]:
    panel = {
        "status": status,
        "note": note,
        "header": None,
        "payload": None,
        "size": None,
        "size_warnings": [],
        "unsecured": None,
        "format": None,
    }
    panel.update(values)
    return panel


def _jwt_panel(header: dict[str, Any], payload: dict[str, Any], signature_bytes: int) -> dict:
    size = encoded_size(header, payload, signature_bytes)
    return _panel(
        "issued",
        header=header,
        payload=payload,
        size=size,
        size_warnings=size_warnings(size),
        unsecured=unsecured_jwt(header, payload),
        format="jwt",
    )


def _access_token_panel(
    token_request: Any, now: int
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    try:
        payload = access_token_payload(token_request, issued_at=now)
    except TokenRefused as exc:
        return _panel("refused", str(exc)), None
    if not _issues_jwt_access_tokens():
        return _panel(
            "issued",
            "Opaque access token (a random string): its claims are served by introspection.",
            format="opaque",
        ), None
    try:
        header, key = access_token_signature()
    except ImproperlyConfigured as exc:
        return _panel("refused", f"The access token cannot be signed: {exc}"), payload
    return _jwt_panel(header, payload, signature_bytes(header["alg"], key)), payload


def _issues_jwt_access_tokens() -> bool:
    return generator_is_ours() and claims_settings.ACCESS_TOKEN_FORMAT != "opaque"


def _id_token_panel(
    validator: Any, token_request: Any, grant_type: str, scopes: list[str], nonce: Any, now: int
) -> dict[str, Any]:
    if grant_type not in ID_TOKEN_GRANTS:
        return _panel("not_issued", f"The {grant_type} grant issues no ID token.")
    if "openid" not in scopes:
        return _panel("not_issued", "No ID token without the openid scope.")
    application = token_request.client
    try:
        header, key = id_token_signature(application, claim_context(token_request).app_profile())
        # oauthlib's draft (add_id_token): aud, iat, nonce; at_hash and c_hash are hashes
        # of the real access token and code, which a preview does not have.
        draft = {"aud": application.client_id, "iat": now}
        if nonce:
            draft["nonce"] = nonce
        payload, _expiry = validator.get_id_token_payload(draft, None, token_request)
    except OAuth2Error as exc:
        return _panel("refused", exc.description)
    except ImproperlyConfigured as exc:
        return _panel("refused", f"The ID token cannot be signed: {exc}")
    return _jwt_panel(header, payload, signature_bytes(header["alg"], key))


def _userinfo_panel(validator: Any, userinfo_request: Any, scopes: list[str]) -> dict[str, Any]:
    if userinfo_request.user is None:
        return _panel("not_issued", "Userinfo needs a user; client-credentials tokens have none.")
    if "openid" not in scopes:
        return _panel("not_issued", "Userinfo refuses access tokens without the openid scope.")

    # ClaimsOAuth2Validator.get_userinfo_claims, minus the access-token row it reads the
    # stored claims request from (set on the request above).
    try:
        payload = build_userinfo(
            claim_context(userinfo_request),
            standard_claims=validator.get_oidc_claims(None, None, userinfo_request),
        )
    except TokenRefused as exc:
        return _panel("refused", str(exc))
    return _panel("issued", payload=payload)


def _introspection_panel(
    token_request: Any, grant_type: str, jwt_payload: dict[str, Any] | None
) -> dict[str, Any]:
    user, scopes = token_request.user, token_request.scopes
    lifetime = timedelta(seconds=int(oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS))
    if jwt_payload is not None:
        claims = dict(jwt_payload)
    else:
        # Introspection evaluates an opaque token's claims from its stored row: an unsaved
        # row stands in for it here.
        created = timezone.now()
        token = get_access_token_model()(
            user=user,
            application=token_request.client,
            scope=" ".join(scopes),
            created=created,
            expires=created + lifetime,
        )
        # Introspection infers the grant from the row (DOT stores none); a refreshed token
        # is the one case the unsaved row cannot show.
        refreshed = grant_type == "refresh_token"
        context = stored_token_context(token, "refresh_token" if refreshed else None)
        try:
            claims = opaque_token_claims(token, oauth2_settings.oidc_issuer(token_request), context)
        except TokenRefused as exc:
            return _panel("refused", str(exc))
    # As ClaimsIntrospectTokenView: the stored row is authoritative for scope and exp.
    claims["scope"] = " ".join(scopes)
    username = user.get_username() if user is not None else None
    return _panel("issued", payload=build_introspection(claims, username=username))


def _trace(context: Any, destination: Destination) -> list[dict[str, Any]]:
    return [
        {
            "destination": entry.destination.value,
            "definition_id": entry.definition_id,
            "claim_name": entry.claim_name,
            "included": entry.included,
            "reason": entry.reason.value,
            "value": entry.value,
            "error": entry.error,
        }
        for entry in resolve(context, destination).trace
    ]


# --- Encoding and sizes --------------------------------------------------------------------
