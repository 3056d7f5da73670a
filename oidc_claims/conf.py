"""App settings: one ``OIDC_CLAIMS`` dict in the site's settings, defaults here, read lazily.

Usage::

    from oidc_claims.conf import claims_settings
    claims_settings.EXPRESSION_MAX_LENGTH

The object reads ``settings.OIDC_CLAIMS`` on first attribute access and forgets it
when Django's ``setting_changed`` signal fires, so ``override_settings`` works.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

SETTINGS_NAME = "OIDC_CLAIMS"

DEFAULTS: dict[str, Any] = {
    # --- Expression language -------------------------------------------------------------
    # Longest expression text an admin may save (characters).
    "EXPRESSION_MAX_LENGTH": 4096,
    # Deepest nesting of the parsed expression (parentheses, calls, operators).
    "EXPRESSION_MAX_DEPTH": 32,
    # Evaluation budget per expression (steps): a step per syntax node, per array element or
    # object member built, copied or compared, and per 64 characters of text.
    "EXPRESSION_MAX_STEPS": 100_000,
    # Steps of all expressions of one token request together: bounds a request with many
    # claims (each claim also stays within EXPRESSION_MAX_STEPS).
    "EXPRESSION_MAX_STEPS_PER_REQUEST": 150_000,
    # Longest string an expression may build (characters); guards memory on the hot path.
    "EXPRESSION_MAX_STRING_LENGTH": 65_536,
    # --- Sizes (bytes of compact JSON, as tokens carry it) ---------------------------------
    # Largest value of one claim; a larger one is omitted (trace reason value_too_large).
    "CLAIM_MAX_BYTES": 16_384,
    # Largest claims set of one token (ID token, access token, userinfo); a larger one
    # refuses the request with an OAuth error (invalid_request).
    "TOKEN_MAX_BYTES": 65_536,
    # Largest AppProfile data (what expressions read as app.profile); refused when saved.
    "APP_PROFILE_MAX_BYTES": 65_536,
    # Extra readable user attributes: {"alias": "dotted.path.from.user"}, e.g.
    # {"department": "profile.department"}. Private names and secrets stay unreadable.
    "USER_ATTRIBUTES": {},
    # --- Standard claims --------------------------------------------------------------------
    # Create OpenID Connect's standard claims (name, email, ...) as claim definitions after
    # `migrate`, leaving any definition of the same name alone.
    "SEED_STANDARD_CLAIMS": True,
    # --- Group claims ---------------------------------------------------------------------
    # Default most groups a `groups` claim may carry.
    "DEFAULT_GROUP_LIMIT": 100,
    # --- Access tokens ----------------------------------------------------------------------
    # "jwt" (RFC 9068 signed access tokens) or "opaque" (DOT's random strings; claims are
    # then served by introspection only).
    "ACCESS_TOKEN_FORMAT": "jwt",
    # Default `aud` of JWT access tokens when the app profile sets none. None means the
    # client id of the application the token was issued to.
    "ACCESS_TOKEN_AUDIENCE": None,
    # --- Signing keys ---------------------------------------------------------------------
    # Algorithm of JWT access tokens: "ES256", "EdDSA" or "RS256". RS256 signs with DOT's
    # OIDC_RSA_PRIVATE_KEY until a database key takes over; ES256 and EdDSA need a key made
    # by `manage.py rotate_signing_keys --algorithm ...`.
    "ACCESS_TOKEN_SIGNING_ALG": "RS256",
    # Secret that encrypts the private keys kept in the database (at least 32 characters),
    # or a list of secrets: the first encrypts, every one decrypts.
    "SIGNING_KEYS_ENCRYPTION_KEY": None,
    # How long each process keeps the key set it read before reading it again (seconds).
    "SIGNING_KEYS_CACHE_SECONDS": 60,
    # How long a new key is published before it signs (seconds). None: the JWKS max-age
    # (DOT's OIDC_JWKS_MAX_AGE_SECONDS) plus SIGNING_KEYS_CACHE_SECONDS.
    "SIGNING_KEY_PUBLISH_SECONDS": None,
    # How long a key stays published once it stops signing (seconds). None: the longest
    # access/ID-token lifetime plus the JWKS max-age plus SIGNING_KEYS_CACHE_SECONDS.
    "SIGNING_KEY_RETIRE_SECONDS": None,
    # How long a key signs before `rotate_signing_keys` starts replacing it (seconds).
    "SIGNING_KEY_ROTATE_SECONDS": 90 * 24 * 3600,
    # --- Authorization codes ------------------------------------------------------------------
    # PKCE code_challenge_method values accepted at /authorize (RFC 9700 section 2.1.1: S256;
    # add "plain" only for a client that cannot compute SHA-256).
    "PKCE_METHODS": ("S256",),
    # --- Subjects -----------------------------------------------------------------------
    # The `sub` of users: "opaque" (a random 128-bit identifier per user, OpenID Connect
    # Core 8) or "primary-key" (the database primary key, as DOT does; for sites whose
    # relying parties already know those subjects; check oidc_claims.W004 warns).
    "SUBJECT_IDENTIFIERS": "opaque",
    # --- Client management -----------------------------------------------------------------
    # Route DOT's management pages (applications/, authorized_tokens/) under the OIDC
    # urls. Off: they answer 404 and clients are managed in the Django admin. On: the
    # application pages are for staff users with oauth2_provider.add_application only.
    "MANAGEMENT_VIEWS": False,
    # --- Introspection (RFC 7662) -----------------------------------------------------------
    # Which active tokens an authenticated caller may see. "strict": only tokens issued to the
    # caller itself, or whose audience names the caller (its client id or its app profile's
    # resource_server_audiences); others are {"active": false}. "authenticated": any token, to
    # any authenticated caller. Or a callable (or dotted path to one)
    # policy(caller, token_application, audiences) -> bool.
    "INTROSPECTION_POLICY": "strict",
    # --- Resource servers of this site -------------------------------------------------------
    # The audience the claims API requires of access tokens (the RFC 8707 resource clients
    # request for it). None: the API's URL on the issuer's origin, e.g.
    # "https://idp.example.com/api/v1/" for an API included under api/v1/.
    "API_AUDIENCE": None,
    # --- Authorization requests ------------------------------------------------------------
    # Scopes the provider does not know, beside `openid`, are dropped from the request
    # (OpenID Connect Core 3.1.2.1) instead of failing it with invalid_scope.
    "IGNORE_UNKNOWN_SCOPES": True,
    # --- Impact preview (admin "Preview impact", API ?dry_run=true) --------------------------
    # Most users whose tokens are compared before and after a change (users); with more
    # active users, this many are taken evenly spread by primary key, and the report says it
    # is a sample.
    "IMPACT_MAX_USERS": 200,
    # How long one impact preview may compute (seconds); past it the report says it is
    # partial. The change's uncommitted transaction stays open for the first half of it.
    "IMPACT_TIME_LIMIT_SECONDS": 5.0,
    # --- Claim tests ----------------------------------------------------------------------
    # A change (admin or API) that makes a passing claim test fail is refused outright
    # instead of saved after an explicit confirmation. Tests that already failed before the
    # change never block it.
    "CLAIM_TESTS_REQUIRED": False,
    # --- Revisions of the claim configuration -----------------------------------------------
    # Most revisions kept (a count; None: no limit). Older ones are deleted when a revision
    # is recorded; the latest is always kept.
    "REVISIONS_KEEP": 1000,
    # Revisions older than this are deleted when a revision is recorded (days; None: kept
    # whatever their age, within REVISIONS_KEEP).
    "REVISIONS_KEEP_DAYS": None,
    # --- Caching ----------------------------------------------------------------------------
    # Django cache alias where changes of the claim configuration are announced. A shared
    # cache (Redis, ...) saves the one version query per token request; a local-memory or
    # dummy cache means that query is always made. Give Redis short socket timeouts.
    "CACHE_ALIAS": "default",
    # Cache key of the change stamp.
    "VERSION_CACHE_KEY": "oidc_claims:config-version",
    # With a shared cache, the longest a process trusts the stamp without asking the database
    # (seconds; None: never). Bounds how late a process sees a change made outside Django
    # (e.g. SQL run in psql); changes made through Django are seen at once.
    "VERSION_RECHECK_SECONDS": 1.0,
    # --- Resource servers (DRF authentication of JWT access tokens) --------------------------
    # Issuer expected in `iss`; None means this site's DOT OIDC_ISS_ENDPOINT.
    "RESOURCE_SERVER_ISSUER": None,
    # Accepted `aud` values (required: None or empty refuses every token, check E011).
    "RESOURCE_SERVER_AUDIENCE": None,
    # Where to fetch the JWKS from; None means this site's own signing key (no HTTP).
    "RESOURCE_SERVER_JWKS_URL": None,
    # How long a fetched JWKS is cached (seconds).
    "RESOURCE_SERVER_JWKS_CACHE_SECONDS": 300,
    # Signature algorithms accepted in access tokens (never "none" nor HS*).
    "RESOURCE_SERVER_ALGORITHMS": ("ES256", "EdDSA", "RS256"),
    # Allowed clock skew when checking exp/nbf/iat (seconds).
    "RESOURCE_SERVER_LEEWAY_SECONDS": 30,
}

def import_from_string(value: str, setting_name: str) -> Any:
    """Import ``"package.module.attr"``; say which setting held the bad value if it fails.

    Every setting that may name an object by its dotted path resolves it here (today
    ``INTROSPECTION_POLICY``, whose other values are plain words).
    """
    try:
        module_path, attr = value.rsplit(".", 1)
        return getattr(import_module(module_path), attr)
    except (ValueError, ImportError, AttributeError) as exc:
        raise ImproperlyConfigured(
            f"{SETTINGS_NAME}[{setting_name!r}] = {value!r} could not be imported: {exc}"
        ) from exc


class ClaimsSettings:
    """Attribute access to ``OIDC_CLAIMS`` with defaults, read on first use."""

    def __init__(self, defaults: dict[str, Any] | None = None) -> None:
        self.defaults = defaults or DEFAULTS
        self._cached: dict[str, Any] = {}
        self._user_settings: dict[str, Any] | None = None

    @property
    def user_settings(self) -> dict[str, Any]:
        if self._user_settings is None:
            value = getattr(settings, SETTINGS_NAME, {}) or {}
            if not isinstance(value, dict):
                raise ImproperlyConfigured(f"settings.{SETTINGS_NAME} must be a dict.")
            unknown = sorted(set(value) - set(self.defaults))
            if unknown:
                raise ImproperlyConfigured(
                    f"Unknown key(s) in settings.{SETTINGS_NAME}: {', '.join(unknown)}. "
                    f"Known keys: {', '.join(sorted(self.defaults))}."
                )
            self._user_settings = value
        return self._user_settings

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self.defaults:
            raise AttributeError(f"Invalid {SETTINGS_NAME} setting: {name!r}")
        if name not in self._cached:
            self._cached[name] = self.user_settings.get(name, self.defaults[name])
        # Later reads find the value as an instance attribute, without __getattr__: the
        # evaluator reads its limits on every claim of every token.
        self.__dict__[name] = self._cached[name]
        return self._cached[name]

    def reload(self) -> None:
        for name in self._cached:
            self.__dict__.pop(name, None)
        self._cached.clear()
        self._user_settings = None


claims_settings = ClaimsSettings()


@receiver(setting_changed)
def _reload_claims_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in (SETTINGS_NAME, "OAUTH2_PROVIDER"):
        claims_settings.reload()
