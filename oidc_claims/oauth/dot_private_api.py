"""Every private part of django-oauth-toolkit that oidc_claims relies on, and why.

DOT offers no public hook for these. A DOT release may rename or change any of them, so the
list is tested against the installed DOT (``tests/oauth/test_dot_private_api.py``: each exists with
these parameters, and the source uses nothing private that is not listed here), and CI runs on
the lowest and the highest DOT that ``pyproject.toml`` allows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrivateHook:
    owner: str  # dotted path of DOT's class
    name: str
    parameters: tuple[str, ...]  # as DOT declares them, self first
    use: str  # "overridden", "called" or "overridden and called"
    reason: str


VALIDATOR = "oauth2_provider.oauth2_validators.OAuth2Validator"

PRIVATE_HOOKS: tuple[PrivateHook, ...] = (
    PrivateHook(
        VALIDATOR,
        "_load_application",
        ("self", "client_id", "request"),
        "overridden",
        "loads the application with its app profile in one query (claims read the profile).",
    ),
    PrivateHook(
        VALIDATOR,
        "_load_access_token",
        ("self", "token"),
        "overridden",
        "loads the token with its user, subject, application profile and userinfo request in "
        "one query, so userinfo and resource views cost one statement.",
    ),
    PrivateHook(
        VALIDATOR,
        "_save_bearer_token",
        ("self", "token", "request", "args", "kwargs"),
        "overridden",
        "reads the userinfo claims a refresh must keep before DOT deletes the old access token.",
    ),
    PrivateHook(
        VALIDATOR,
        "_create_access_token",
        ("self", "expires", "request", "token", "source_refresh_token"),
        "overridden",
        "stores auth_time and the requested userinfo claims with each new access token.",
    ),
    PrivateHook(
        VALIDATOR,
        "_create_refresh_token",
        ("self", "request", "refresh_token_code", "access_token", "previous_refresh_token"),
        "overridden and called",
        "continues the token family of a code, so that a replayed code revokes every token "
        "issued from it (RFC 6749 section 4.1.2).",
    ),
    PrivateHook(
        VALIDATOR,
        "_create_authorization_code",
        ("self", "request", "code", "expires"),
        "overridden",
        "stores the user's authentication time with the code (auth_time at /token).",
    ),
    PrivateHook(
        VALIDATOR,
        "_save_id_token",
        ("self", "jti", "request", "expires", "args", "kwargs"),
        "called",
        "finalize_id_token builds the payload with the claim engine and still saves DOT's "
        "IDToken row the way DOT does.",
    ),
    PrivateHook(
        VALIDATOR,
        "_authenticate_request_body",
        ("self", "request"),
        "called",
        "client authentication tries the body only when no Basic credentials were sent.",
    ),
    PrivateHook(
        VALIDATOR,
        "_authenticate_basic_auth",
        ("self", "request"),
        "overridden",
        "malformed Basic credentials are invalid_client (401), not a 500.",
    ),
    PrivateHook(
        VALIDATOR,
        "_extract_basic_auth",
        ("self", "request"),
        "overridden and called",
        "the Basic scheme name is matched case-insensitively (RFC 9110 section 11.1).",
    ),
    PrivateHook(
        VALIDATOR,
        "_check_secret",
        ("self", "provided_secret", "stored_secret"),
        "overridden",
        "an unknown client costs one hash, as a known one does, and old hashes are upgraded.",
    ),
    PrivateHook(
        VALIDATOR,
        "_check_and_set_request_resource",
        ("self", "request"),
        "called",
        "RFC 8707 resources are checked against the app profile's allow list.",
    ),
    PrivateHook(
        VALIDATOR,
        "_get_key_for_token",
        ("self", "token"),
        "overridden",
        "an id_token_hint signed with one of the provider's keys (ES256, EdDSA, a rotated "
        "RS256 key) is verified against the published key set, not DOT's single RSA key.",
    ),
    PrivateHook(
        VALIDATOR,
        "_get_client_by_audience",
        ("self", "audience"),
        "overridden and called",
        "loads the application of an id_token_hint with its profile, which holds its "
        "ID-token algorithm.",
    ),
    PrivateHook(
        "oauth2_provider.views.oidc.UserInfoView",
        "_create_userinfo_response",
        ("self", "request"),
        "overridden",
        "userinfo answers with CORS headers and JSON errors.",
    ),
    PrivateHook(
        "oauth2_provider.views.oidc.ConnectDiscoveryInfoView",
        "_get_endpoint_url",
        ("self", "request", "view_name", "required"),
        "called",
        "discovery and RFC 8414 metadata build endpoint URLs exactly as DOT's discovery does.",
    ),
)

# Public DOT hooks that ClaimsOAuth2Validator does not call: a site's subclass that overrides
# one would be silently ignored, so check oidc_claims.E021 reports it.
BYPASSED_PUBLIC_HOOKS: dict[str, str] = {
    "get_id_token_dictionary": (
        "finalize_id_token builds the ID token with the claim engine (get_id_token_payload)"
    ),
}
