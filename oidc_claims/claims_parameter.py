"""The OpenID Connect ``claims`` request parameter (Core 5.5): parsed, checked, and read.

Below every layer that reads it: the validator, issuance, the preview and claim tests.
"""

from __future__ import annotations

import json
from typing import Any

from oauthlib.oauth2.rfc6749 import errors

from oidc_claims.json_limits import DOCUMENT_MAX_DEPTH, nesting_depth

# OpenID Connect Core 5.5: the members of the claims parameter this IdP honours.
CLAIMS_PARAMETER_MEMBERS = ("id_token", "userinfo")
CLAIMS_PARAMETER_SPEC = "https://openid.net/specs/openid-connect-core-1_0.html#ClaimsParameter"


def requested_claims_of(claims: Any) -> dict[str, set[str]] | None:
    """Map a parsed ``claims`` parameter to destination -> requested claim names."""
    if not isinstance(claims, dict):
        return None
    return {
        member: set(claims[member])
        for member in CLAIMS_PARAMETER_MEMBERS
        if isinstance(claims.get(member), dict)
    }


def parse_claims_parameter(value: Any, request: Any = None) -> dict[str, Any] | None:
    """Parse and check an OIDC ``claims`` parameter; raise ``invalid_request`` if malformed.

    Valid: a JSON object whose ``id_token`` and ``userinfo`` members, when present, are
    objects (or null) whose members are null or objects (OpenID Connect Core 5.5).
    """
    if value is None or value == "":
        return None
    too_deep = f"The claims parameter is nested more than {DOCUMENT_MAX_DEPTH} levels deep."
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _claims_error("The claims parameter is not valid JSON.", request) from None
        except RecursionError:
            raise _claims_error(too_deep, request) from None
    # DOT stores the parameter with the code and parses it again at /token.
    if nesting_depth(value, DOCUMENT_MAX_DEPTH) > DOCUMENT_MAX_DEPTH:
        raise _claims_error(too_deep, request)
    if value is None:
        # DOT's consent form posts an absent parameter back as the JSON text "null".
        return None
    if not isinstance(value, dict):
        raise _claims_error("The claims parameter must be a JSON object.", request)
    for member in CLAIMS_PARAMETER_MEMBERS:
        requests = value.get(member)
        if requests is None:
            continue
        if not isinstance(requests, dict) or not all(
            entry is None or isinstance(entry, dict) for entry in requests.values()
        ):
            raise _claims_error(
                f"The claims parameter's {member!r} member must be an object mapping claim "
                "names to null or to an object such as {\"essential\": true}.",
                request,
            )
    return value


def _claims_error(description: str, request: Any) -> errors.InvalidRequestError:
    return errors.InvalidRequestError(
        description=description, uri=CLAIMS_PARAMETER_SPEC, request=request
    )
