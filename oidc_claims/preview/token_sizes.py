"""How big a previewed token would be, and its unsigned rendering: sizes a client can check.

A token's size is that of its compact serialisation, signature included; the preview signs
nothing, so the signature's length comes from the algorithm and key.
"""

from __future__ import annotations

import base64
from typing import Any

from oauth2_provider.models import AbstractApplication

from oidc_claims.jose import compact_json
from oidc_claims.models.signing_keys import SIGNATURE_BYTES

# Browsers keep at most ~4 KB per cookie (RFC 6265 section 6.1 asks for at least 4096 bytes);
# common proxies and servers refuse request headers past ~8 KB (nginx 8k buffers, Apache
# LimitRequestFieldSize 8190).
COOKIE_LIMIT_BYTES = 4096
HEADER_LIMIT_BYTES = 8192
# Signature bytes of an HMAC-SHA256 JWS.
_HS256_SIGNATURE_BYTES = 32


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _compact_json(value: Any) -> bytes:
    return compact_json(value).encode("utf-8")  # as sign_jwt serialises header and payload


def encoded_size(header: dict, payload: dict, signature_bytes: int) -> int:
    signature_chars = len(_b64url(b"\0" * signature_bytes))
    return (
        len(_b64url(_compact_json(header)))
        + len(_b64url(_compact_json(payload)))
        + 2
        + (signature_chars)
    )


def signature_bytes(algorithm: str, key: Any) -> int:
    """Bytes of an ``algorithm`` signature by ``key`` (RS256: its modulus' length)."""
    if algorithm == AbstractApplication.HS256_ALGORITHM:
        return _HS256_SIGNATURE_BYTES
    if algorithm in SIGNATURE_BYTES:
        return SIGNATURE_BYTES[algorithm]
    modulus = key.export_public(as_dict=True)["n"]
    return len(base64.urlsafe_b64decode(modulus + "=" * (-len(modulus) % 4)))


def unsecured_jwt(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """``payload`` as an unsecured JWT (RFC 7519 section 6: ``alg: none``, no signature)."""
    unsigned_header = {key: value for key, value in header.items() if key != "kid"}
    unsigned_header["alg"] = "none"
    return f"{_b64url(_compact_json(unsigned_header))}.{_b64url(_compact_json(payload))}."


def size_warnings(size: int) -> list[str]:
    """Warnings for a token of ``size`` bytes that outgrows common cookie or header limits."""
    warnings = []
    if size > COOKIE_LIMIT_BYTES:
        warnings.append(
            f"{size} bytes: more than the {COOKIE_LIMIT_BYTES} bytes browsers keep in one "
            "cookie; clients that store the token in a cookie will lose it."
        )
    if size > HEADER_LIMIT_BYTES:
        warnings.append(
            f"{size} bytes: more than the {HEADER_LIMIT_BYTES} bytes that common proxies and "
            "servers (nginx, Apache) accept in one request header."
        )
    return warnings
