"""Compact JWS signatures made with `cryptography`'s key objects, built once per key.

jwcrypto's ``JWSCore`` rebuilds its view of the key and checks the header on every token;
signing the same bytes with the key object directly costs about a third less (an RS256 token
is ~0.36 ms instead of ~0.5 ms on the benchmark machine), a tenth of a client-credentials
request. The output is the same JWS: RFC 7515 compact serialisation, RFC 7518 signatures
(ES256 as raw ``r || s``), RFC 8037 EdDSA. Other algorithms (HS256) go through jwcrypto.
"""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from jwcrypto import jwk, jws

from oidc_claims.jose import EDDSA, ES256, RS256

Signer = Callable[[bytes], bytes]
# Keys a process signs with at once: the active ones and, during a rotation, their successors.
_MAX_SIGNERS = 16
_signers: OrderedDict[int, tuple[jwk.JWK, Signer]] = OrderedDict()
_lock = threading.Lock()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_compact(algorithm: str, key: jwk.JWK, header_json: str, payload: bytes) -> str:
    """``header_json`` and ``payload`` signed with ``key`` as a compact JWS."""
    signer = _signer(algorithm, key)
    if signer is None:
        signed = jws.JWSCore(algorithm, key, header_json, payload).sign()
        return f"{signed['protected']}.{signed['payload'].decode('ascii')}.{signed['signature']}"
    signing_input = f"{b64url(header_json.encode('utf-8'))}.{b64url(payload)}"
    return f"{signing_input}.{b64url(signer(signing_input.encode('ascii')))}"


def _signer(algorithm: str, key: jwk.JWK) -> Signer | None:
    if algorithm not in (RS256, ES256, EDDSA):
        return None
    cached = _signers.get(id(key))
    if cached is not None and cached[0] is key:  # the key is kept alive with its signer
        return cached[1]
    signer = _make_signer(algorithm, key.get_op_key("sign"))
    with _lock:
        _signers[id(key)] = (key, signer)
        while len(_signers) > _MAX_SIGNERS:
            _signers.popitem(last=False)
    return signer


def _make_signer(algorithm: str, private_key: Any) -> Signer:
    if algorithm == RS256:
        return lambda data: private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if algorithm == ES256:

        def sign_es256(data: bytes) -> bytes:
            r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")

        return sign_es256
    return private_key.sign  # EdDSA (Ed25519): the signature as RFC 8037 defines it
