"""``IdTokenKeysMixin``: the validator's keys for verifying ID tokens it issued, of any algorithm.

DOT verifies an ``id_token_hint`` (RP-initiated logout) and the ID token it links to a new
access token with ``_get_key_for_token``, which returns the application's ``jwk_key``: DOT's
RSA key or the client secret. ID tokens signed with the provider's keys (ES256, EdDSA, RS256)
are verified here against every published key (the token's ``kid`` picks one); HS256 ones
with the client secret, as in DOT.
"""

from __future__ import annotations

import json
from typing import Any

from jwcrypto import jws
from jwcrypto.common import JWException
from oauth2_provider.models import get_application_model

from oidc_claims.models import AppProfile
from oidc_claims.models.key_store import verification_key_set
from oidc_claims.tokens.id_token_signing import HS256, id_token_algorithm

# The reverse accessor of AppProfile.application, to load the profile with the application.
_PROFILE = AppProfile._meta.get_field("application").remote_field.related_name


class IdTokenKeysMixin:
    """For a subclass of DOT's OAuth2Validator."""

    def _get_key_for_token(self, token: str) -> Any:
        try:
            audience = self._unverified_audience(token)
        except (JWException, ValueError, TypeError, KeyError):
            return None  # not a JWT whose payload is JSON: it names no client
        application = self._get_client_by_audience(audience) if audience else None
        if application is None:
            return None
        if id_token_algorithm(application) == HS256:
            return application.jwk_key
        return verification_key_set()

    def _get_client_by_audience(self, audience: Any) -> Any:
        # As DOT's, with the profile (which holds the ID-token algorithm) joined: no query of
        # its own. An aud that is neither a string nor a list names no client.
        audience = [audience] if isinstance(audience, str) else audience
        if not isinstance(audience, list):
            return None
        return (
            get_application_model()
            .objects.select_related(_PROFILE)
            .filter(client_id__in=[value for value in audience if isinstance(value, str)])
            .first()
        )

    @staticmethod
    def _unverified_audience(token: str) -> Any:
        unverified = jws.JWS()
        unverified.deserialize(token)
        claims = json.loads(unverified.objects["payload"].decode("utf-8"))
        return claims.get("aud") if isinstance(claims, dict) else None
