"""``ClaimsOAuth2Validator``: DOT's OAuth2Validator wired to the claim engine and the builders.

Set ``OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"]`` to
``"oidc_claims.oauth.validator.ClaimsOAuth2Validator"`` (or a subclass of it). DOT keeps one
instance per view class, so nothing here keeps
per-request state on ``self``: the claim context lives on the oauthlib request.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import router, transaction
from django.utils import timezone
from oauth2_provider.models import (
    get_application_model,
    get_id_token_model,
)
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from oidc_claims.claims_parameter import parse_claims_parameter, requested_claims_of
from oidc_claims.engine.exceptions import TokenRefused
from oidc_claims.engine.resolve import identity_claim_names
from oidc_claims.exceptions import SigningUnavailable
from oidc_claims.models import RequestedUserinfoClaims
from oidc_claims.models.prepared_lookup import PreparedLookup
from oidc_claims.models.subjects import SUBJECT_RELATION
from oidc_claims.oauth import pkce
from oidc_claims.oauth.application_rules import no_signing_algorithm_reason
from oidc_claims.oauth.authorization_codes import (
    head_of_family,
    require_redirect_uri,
    revoke_tokens_of_code,
)
from oidc_claims.oauth.authorization_request import refuse_unsupported
from oidc_claims.oauth.basic_auth import MalformedBasicAuthMixin
from oidc_claims.oauth.client_authentication import SecretUpgradeMixin, verify_against_dummy
from oidc_claims.oauth.device_grant import DeviceCodeValidatorMixin
from oidc_claims.oauth.grant_memo import MemoisedGrantMixin, grant_of
from oidc_claims.oauth.id_token_keys import IdTokenKeysMixin
from oidc_claims.oauth.refresh_expiry import RefreshTokenExpiryMixin
from oidc_claims.oauth.resource_indicators import ResourceIndicatorsMixin
from oidc_claims.oauth.scopes import without_unknown_scopes
from oidc_claims.oauth.stored_tokens import find_access_token
from oidc_claims.oauth.validator_accounts import ActiveUserTokensMixin
from oidc_claims.tokens import auth_time
from oidc_claims.tokens.builders import build_id_token_claims, build_userinfo, sign_jwt
from oidc_claims.tokens.id_token_signing import id_token_signature
from oidc_claims.tokens.issuance import (
    claim_context,
    signing_unavailable_error,
    token_refused_error,
)

# Where _save_bearer_token leaves, for _create_access_token, the userinfo claims to keep.
_KEPT_USERINFO_REQUEST = "_oidc_claims_kept_userinfo_request"
# The reverse accessor of AppProfile.application.
PROFILE_RELATION = "oidc_claims_profile"
USERINFO_REQUEST_RELATION = "oidc_claims_userinfo_request"


def _applications_with_client_id(client_id: str) -> Any:
    return (
        get_application_model()
        .objects.select_related(PROFILE_RELATION)
        .filter(client_id=client_id)
        .order_by("pk")
    )


# The client with its profile, read by every token request (SQL built once per connection).
_APPLICATION_WITH_PROFILE = PreparedLookup("application_with_profile", _applications_with_client_id)

class ClaimsOAuth2Validator(
    ActiveUserTokensMixin,
    DeviceCodeValidatorMixin,
    IdTokenKeysMixin,
    MalformedBasicAuthMixin,
    RefreshTokenExpiryMixin,
    ResourceIndicatorsMixin,
    SecretUpgradeMixin,
    MemoisedGrantMixin,
    OAuth2Validator,
):
    """Issues the configured claims in ID tokens and userinfo; accepts JWT access tokens;
    refuses the tokens and codes of deactivated users, expired refresh tokens and resources
    an app may not request.

    Subclass it to add DOT standard claims (``get_additional_claims`` with
    ``oidc_claim_scope``): those keep working and come before the configured claims.
    """

    # --- Loading: the app profile comes with the application ---------------------------

    def _load_application(self, client_id, request):
        # Every token request reads the application's AppProfile (audience, app.profile,
        # the groups allow list): joined to DOT's application query, it costs no query of
        # its own. DOT reuses a request.client that matches client_id and is usable.
        if not request.client:
            request.client = self._application_with_profile(client_id)
        return super()._load_application(client_id, request)

    def _application_with_profile(self, client_id: Any) -> Any:
        if not isinstance(client_id, str):
            return None  # DOT loads it again: its handling of odd ids applies unchanged
        client = _APPLICATION_WITH_PROFILE.first(client_id)
        if client is None:
            return None  # DOT loads it again: its handling of unknown ids applies unchanged
        if getattr(client, "cimd_expires_at", None) is not None:
            return None  # a metadata-document client: DOT refreshes it when stale
        return client

    def _load_access_token(self, token):
        # As DOT's, plus the application's profile, which userinfo reads.
        return find_access_token(
            token,
            "application",
            "user",
            f"user__{SUBJECT_RELATION}",
            f"application__{PROFILE_RELATION}",
            USERINFO_REQUEST_RELATION,
        )

    # --- Authorization request parameters -------------------------------------------

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        # The first validator hook oauthlib calls once the redirect URI is known and before
        # its own parse of `claims`, whose error carries no redirect URI (so DOT could not
        # send the client the invalid_request that OpenID Connect Core 3.1.2.6 asks for).
        request.claims = parse_claims_parameter(getattr(request, "claims", None), request)
        # Also before oauthlib reads the PKCE parameters (it takes a missing method for plain).
        pkce.check_authorization_request(request)
        refuse_unsupported(request)
        return super().validate_response_type(
            client_id, response_type, client, request, *args, **kwargs
        )

    # --- RFC 9700: client authentication, PKCE, codes used once, refresh-token families ---

    def authenticate_client(self, request, *args, **kwargs):
        # One method per request (RFC 6749 section 2.3): DOT tried the body after failed Basic
        # credentials, checking a known client's secret twice.
        if self._extract_basic_auth(request) is not None:
            authenticated = self._authenticate_basic_auth(request)
        else:
            authenticated = self._authenticate_request_body(request)
        if not authenticated and request.client is None:
            # No such client: one hash verification, as long as for a wrong secret.
            return verify_against_dummy(getattr(request, "client_secret", None))
        # At the token endpoint, a client_id parameter naming another client than the one
        # whose credentials came in the Authorization header: oauthlib would answer
        # server_error (HTTP 500). Elsewhere (introspection) the credentials decide alone.
        body_client_id = request.client_id if request.grant_type and authenticated else None
        return authenticated and (not body_client_id or body_client_id == request.client.client_id)

    def get_code_challenge(self, code, request):
        # Both from the grant this request has read (grant_memo), in place of DOT's read.
        grant = grant_of(request, code)
        if grant is None or request.client is None or grant.application_id != request.client.pk:
            challenge, method = "", ""
        else:
            challenge, method = grant.code_challenge, grant.code_challenge_method
        pkce.check_token_request(challenge or None, method or None, request)
        return challenge or None

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            auth_time.read_for_code(request, code, client)
            return True
        revoke_tokens_of_code(code)  # a code used twice (or unknown): its tokens go
        return False

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        try:
            super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)
        except InvalidGrantError:
            # Two concurrent exchanges of one code: the one that lost the race revokes both.
            revoke_tokens_of_code(code)
            raise

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, request, *args, **kw):
        require_redirect_uri(request)
        return super().confirm_redirect_uri(
            client_id, code, redirect_uri, client, request, *args, **kw
        )

    def _create_refresh_token(self, request, refresh_token_code, access_token, previous):
        # A code exchange starts the family named after its code (see authorization_codes).
        return super()._create_refresh_token(
            request, refresh_token_code, access_token, previous or head_of_family(request)
        )

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        # An application saved without a signing algorithm (before the rule existed, or
        # with update()) is refused openid at the authorization endpoint, with the reason,
        # instead of failing when its ID token is signed.
        if "openid" in (scopes or ()) and request.response_type:
            reason = no_signing_algorithm_reason(client)
            if reason is not None:
                raise errors.InvalidScopeError(description=reason, request=request)
        # oauthlib passes request.scopes itself and returns it as the granted scopes.
        if isinstance(scopes, list):
            scopes[:] = without_unknown_scopes(scopes, client, request)
        return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)

    # --- prompt and auth_time ----------------------------------------------------------

    def validate_silent_login(self, request):
        # oauthlib asks before the grant; the authorization view, which knows the session,
        # has already answered login_required (ClaimsAuthorizationView.authorize_silently).
        return True

    def validate_silent_authorization(self, request):
        # Likewise: the view answers consent_required from the user's past authorizations.
        return True

    def _create_authorization_code(self, request, code, expires=None):
        grant = super()._create_authorization_code(request, code, expires=expires)
        auth_time.keep_with_grant(grant, request)
        return grant

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        if valid:
            auth_time.read_for_refresh(request, request.refresh_token_instance)
        return valid

    # --- ID token ---------------------------------------------------------------------

    def get_id_token_payload(self, id_token: dict[str, Any], token_handler: Any, request: Any):
        """The full ID-token payload and its expiry, from oauthlib's draft ``id_token``
        (aud, iat, nonce, at_hash, c_hash); see
        :func:`oidc_claims.tokens.builders.build_id_token_claims`."""
        lifetime = oauth2_settings.ID_TOKEN_EXPIRE_SECONDS
        try:
            payload = build_id_token_claims(
                claim_context(request),
                issuer=self.get_oidc_issuer_endpoint(request),
                client_id=request.client.client_id,
                issued_at=int(id_token.get("iat") or time.time()),
                expires_in=lifetime,
                auth_time=auth_time.request_auth_time(request, claim_context(request).user),
                # oauthlib leaves nonce out of the draft on the token endpoint (#746).
                nonce=id_token.get("nonce") or request.nonce,
                at_hash=id_token.get("at_hash"),
                c_hash=id_token.get("c_hash"),
                standard_claims=self.get_oidc_claims(None, token_handler, request),
            )
        except TokenRefused as exc:
            raise token_refused_error(exc, request) from exc
        return payload, timezone.now() + timedelta(seconds=lifetime)

    def finalize_id_token(self, id_token, token, token_handler, request):
        reason = no_signing_algorithm_reason(request.client)
        if reason is not None:  # its algorithm was removed after the code was issued
            raise errors.InvalidScopeError(description=reason, request=request)
        payload, expiration_time = self.get_id_token_payload(id_token, token_handler, request)
        # The profile the claims were built with: no query of its own.
        try:
            header, key = id_token_signature(
                request.client, claim_context(request).app_profile()
            )
        except SigningUnavailable as exc:  # nothing is saved yet: the code stays usable
            raise signing_unavailable_error(exc, request) from exc
        serialized = sign_jwt(payload, header, key)
        IDToken = get_id_token_model()
        with transaction.atomic(using=router.db_for_write(IDToken)):
            saved = self._save_id_token(payload["jti"], request, expiration_time)
        # DRF and DOT's views read these, as after DOT's own finalize_id_token.
        request.access_token = saved
        request.id_token = saved
        return serialized

    # --- Userinfo -----------------------------------------------------------------------

    def get_userinfo_claims(self, request):
        access_token = request.access_token
        if access_token.user is None:  # client credentials: there is no end-user to describe
            raise errors.InvalidTokenError(
                description="The access token was issued to a client, not for an end-user.",
                request=request,
            )
        request.claims = self._stored_userinfo_request(access_token)
        context = claim_context(request)
        try:
            return build_userinfo(
                context, standard_claims=self.get_oidc_claims(access_token, None, request)
            )
        except TokenRefused as exc:
            raise token_refused_error(exc, request) from exc

    def _save_bearer_token(self, token, request, *args, **kwargs):
        # Read what userinfo must keep honouring before DOT saves the new tokens: on a
        # refresh it revokes the previous access token, and its row goes with it.
        setattr(request, _KEPT_USERINFO_REQUEST, self._userinfo_request_to_keep(request))
        return super()._save_bearer_token(token, request, *args, **kwargs)

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        access_token = super()._create_access_token(
            expires, request, token, source_refresh_token=source_refresh_token
        )
        auth_time.keep_with_access_token(access_token, request)
        names = getattr(request, _KEPT_USERINFO_REQUEST, None)
        if names:
            RequestedUserinfoClaims.objects.create(
                access_token=access_token, claim_names=sorted(names)
            )
        return access_token

    def _userinfo_request_to_keep(self, request: Any) -> set[str]:
        """The claim names the ``claims`` parameter asked userinfo for: from this request,
        or, on a refresh, those kept with the access token being replaced."""
        requested = requested_claims_of(getattr(request, "claims", None)) or {}
        if requested.get("userinfo"):
            return set(requested["userinfo"])
        refreshed = getattr(request, "refresh_token_instance", None)
        previous = getattr(refreshed, "access_token_id", None)
        if request.grant_type != "refresh_token" or previous is None:
            return set()
        kept = (
            RequestedUserinfoClaims.objects.filter(access_token_id=previous)
            .values_list("claim_names", flat=True)
            .first()
        )
        return set(kept or ())

    @staticmethod
    def _stored_userinfo_request(access_token: Any) -> dict[str, Any] | None:
        try:
            # Loaded with the token (_load_access_token): no query of its own.
            names = access_token.oidc_claims_userinfo_request.claim_names
        except ObjectDoesNotExist:
            return None
        return {"userinfo": {name: None for name in names}}

    # --- Discovery ----------------------------------------------------------------------

    def get_discovery_claims(self, request):
        return sorted({*super().get_discovery_claims(request), *identity_claim_names()})

    # --- Bearer tokens --------------------------------------------------------------------

    def validate_jwt_bearer_token(self, token, scopes, request):
        # oauthlib routes every JWT-shaped bearer token here, and DOT would accept an ID
        # token as one: an ID token is for the client (which passes it on, e.g. as
        # id_token_hint), and DOT finds it by its jti whatever key verified it, so an HS256
        # client could sign a token naming another user's jti with its own secret. A bearer
        # token is an access token, JWT or opaque: valid only as a stored, unrevoked row.
        return self.validate_bearer_token(token, scopes, request)
