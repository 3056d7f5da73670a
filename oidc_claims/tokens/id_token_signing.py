"""Which algorithm and key sign an application's ID tokens: its profile's choice, else DOT's.

DOT's ``Application.algorithm`` knows RS256 and HS256 only. The application profile's
``id_token_signed_response_alg`` chooses ES256, EdDSA or RS256, signed with the provider's
active key of that algorithm; left empty, DOT's algorithm applies (HS256: the client secret,
as in DOT).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from jwcrypto import jwk

from oidc_claims.jose import ALGORITHMS, EDDSA, ES256, HS256, RS256
from oidc_claims.models.key_store import current_key_set, signing_key_for


def profile_of(application: Any) -> Any:
    """``application``'s AppProfile, or None (a query unless loaded with the application)."""
    try:
        return application.oidc_claims_profile
    except (ObjectDoesNotExist, AttributeError):
        return None


def id_token_algorithm(application: Any, profile: Any = None) -> str:
    """The ``alg`` of ``application``'s ID tokens (``""``: it has none); ``profile`` is its
    AppProfile when the caller has it already (else it is read)."""
    profile = profile if profile is not None else profile_of(application)
    chosen = getattr(profile, "id_token_signed_response_alg", "") if profile else ""
    return chosen or application.algorithm or ""


def id_token_signature(application: Any, profile: Any = None) -> tuple[dict[str, str], jwk.JWK]:
    """The JOSE header of ``application``'s ID tokens and the key that signs them
    (``profile``: its AppProfile, when the caller has it).

    ImproperlyConfigured when they cannot be signed (no algorithm, no active key, an HS256
    client without a usable secret).
    """
    algorithm = id_token_algorithm(application, profile)
    if not algorithm:
        raise ImproperlyConfigured(
            f"application {application.name!r} has no signing algorithm (choose RS256 or HS256)"
        )
    header = {"typ": "JWT", "alg": algorithm}
    if algorithm == HS256:
        return header, application.jwk_key  # DOT's: the client secret, or ImproperlyConfigured
    if algorithm not in ALGORITHMS:
        raise ImproperlyConfigured(
            f"application {application.name!r} has the unsupported ID-token algorithm "
            f"{algorithm!r}; choose one of {', '.join((*ALGORITHMS, HS256))}."
        )
    kid, key = signing_key_for(algorithm)
    header["kid"] = kid
    return header, key


def id_token_algorithms_supported() -> list[str]:
    """Discovery's ``id_token_signing_alg_values_supported``: the algorithms of the active
    keys (which applications may choose), then HS256 if an application signs with it."""
    from oauth2_provider.models import get_application_model

    active = current_key_set().signing_algorithms
    supported = [algorithm for algorithm in (RS256, ES256, EDDSA) if algorithm in active]
    uses_hs256 = (
        get_application_model()
        .objects.filter(algorithm=HS256)
        .exclude(oidc_claims_profile__id_token_signed_response_alg__in=ALGORITHMS)
        .exists()
    )
    if uses_hs256:
        supported.append(HS256)
    return supported
