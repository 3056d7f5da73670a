"""What the consent page promises: the claims the engine would release for one authorization."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from oidc_claims.claims_parameter import requested_claims_of
from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.resolve import Destination, resolve

# How each destination is named to the person consenting.
DESTINATION_LABELS = {
    Destination.ID_TOKEN: "sign-in token",
    Destination.ACCESS_TOKEN: "access token",
    Destination.USERINFO: "profile lookups",
}


@dataclass
class ReleasedClaim:
    """One claim the application would receive: its name, value, and where it goes."""

    name: str
    value: Any
    destinations: list[str] = field(default_factory=list)

    @property
    def display_value(self) -> str:
        if isinstance(self.value, str):
            return self.value
        return json.dumps(self.value, ensure_ascii=False)


def released_claims(
    user: Any,
    application: Any,
    scopes: list[str],
    response_type: str | None,
    claims_parameter: Any = None,
) -> list[ReleasedClaim]:
    """The configured claims an authorization with these inputs releases, in name order.

    Computed by the engine exactly as issuance computes them, for every token the response
    type gives the client (and userinfo, when it gets an access token to call it with).
    """
    response_types = (response_type or "code").split()
    issues_access_token = response_types != ["id_token"]
    grant_type = (
        "authorization_code"
        if response_types == ["code"]
        else ("hybrid" if "code" in response_types else "implicit")
    )
    if isinstance(claims_parameter, str):
        try:
            claims_parameter = json.loads(claims_parameter)
        except ValueError:
            claims_parameter = None
    context = ClaimContext(
        user=user,
        application=application,
        scopes=scopes,
        grant_type=grant_type,
        requested_claims=requested_claims_of(claims_parameter),
        issues_access_token=issues_access_token,
    )
    destinations = [Destination.ID_TOKEN]
    if issues_access_token:
        destinations += [Destination.ACCESS_TOKEN, Destination.USERINFO]
    released: dict[str, ReleasedClaim] = {}
    for destination in destinations:
        for name, value in resolve(context, destination, trace=False).claims.items():
            claim = released.setdefault(name, ReleasedClaim(name, value))
            claim.destinations.append(DESTINATION_LABELS[destination])
    return [released[name] for name in sorted(released)]
