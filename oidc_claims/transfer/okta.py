"""Okta's authorization-server claims (``GET /api/v1/authorizationServers/{id}/claims``) as entries.

The mapping (also in the README):

============================  ==============================================================
Okta                          oidc_claims
============================  ==============================================================
``name``                      ``name``
``status`` ACTIVE/INACTIVE    ``enabled`` true/false
``claimType`` RESOURCE        access token only (Okta always includes access-token claims)
``claimType`` IDENTITY,       ID token and userinfo
``alwaysIncludeInToken`` true
``claimType`` IDENTITY,       userinfo only: Okta leaves such a claim out of the ID token
``alwaysIncludeInToken``      that comes with an access token and serves it at userinfo; a
false                         client can still ask for it in the ID token with the OIDC
                              ``claims`` parameter
``valueType`` EXPRESSION      ``value_type`` expression, ``value`` unchanged (the expression
                              language is Okta's); a syntax error makes the claim unmappable
``valueType`` GROUPS          ``value_type`` groups, ``value`` the filter value
``group_filter_type``         ``group_filter`` starts_with / equals / contains / regex
``conditions.scopes``         ``scopes`` (empty: any scope, as in Okta)
``system`` true               skipped (Okta's built-in claims; the token layer sets its own)
``id``, ``_links``            ignored (the description records the Okta id)
============================  ==============================================================

Anything else (an unknown ``claimType`` or ``valueType``, ``valueType`` SYSTEM on a
non-system claim, a missing name) is reported by name with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oidc_claims.json_limits import unstorable_text
from oidc_claims.models import ClaimDefinition, default_group_limit
from oidc_claims.transfer.format import MAX_IMPORT_ENTRIES
from oidc_claims.transfer.importer import ImportReport, Skipped, apply_claims_skipping_invalid

GROUP_FILTERS = {
    "STARTS_WITH": ClaimDefinition.GroupFilter.STARTS_WITH.value,
    "EQUALS": ClaimDefinition.GroupFilter.EQUALS.value,
    "CONTAINS": ClaimDefinition.GroupFilter.CONTAINS.value,
    "REGEX": ClaimDefinition.GroupFilter.REGEX.value,
}
STATUSES = {"ACTIVE": True, "INACTIVE": False}


@dataclass
class OktaMapping:
    """The claim entries Okta's claims map to (with their Okta names) and what was left out."""

    entries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class _Unmappable(Exception):
    pass


def import_okta_claims(data: Any, *, dry_run: bool = False) -> ImportReport:
    """Map and apply Okta's claims; what cannot be mapped or validated is in ``skipped``."""
    mapping = map_okta_claims(data)
    report = apply_claims_skipping_invalid(mapping.entries, dry_run=dry_run)
    report.skipped[:0] = mapping.skipped
    return report


def map_okta_claims(data: Any) -> OktaMapping:
    """Map Okta's claims list (or one claim object) onto claim entries of the file format."""
    mapping = OktaMapping()
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        mapping.skipped.append(
            Skipped("(document)", "expected the JSON list that Okta's claims API returns")
        )
        return mapping
    if len(items) > MAX_IMPORT_ENTRIES:
        mapping.skipped.append(
            Skipped(
                "(document)",
                f"{len(items)} claims, more than the {MAX_IMPORT_ENTRIES} one import accepts; "
                "split the file.",
            )
        )
        return mapping
    for index, item in enumerate(items):
        name = _name_of(item, index)
        if isinstance(item, dict) and item.get("system") is True:
            mapping.skipped.append(Skipped(name, "system claim: the token layer sets its own"))
            continue
        try:
            mapping.entries.append((name, map_okta_claim(item)))
        except _Unmappable as exc:
            mapping.skipped.append(Skipped(name, str(exc)))
    return mapping


def map_okta_claim(item: Any) -> dict[str, Any]:
    """One Okta claim as a claim entry; raises _Unmappable with the reason."""
    if not isinstance(item, dict):
        raise _Unmappable("not a JSON object")
    problem = unstorable_text(item)
    if problem:
        raise _Unmappable(problem)
    name, value = item.get("name"), item.get("value")
    if not isinstance(name, str) or not name:
        raise _Unmappable("no name")
    if not isinstance(value, str):
        raise _Unmappable("value: expected a string")
    entry: dict[str, Any] = {
        "name": name,
        "description": _description(item),
        "value": value,
        "group_limit": default_group_limit(),
        "applications": [],
        "enabled": _choice(item, "status", STATUSES),
        "scopes": _scopes(item),
        **_destinations(item),
        **_value_type(item),
    }
    return entry


def _choice(item: dict[str, Any], key: str, choices: dict[str, Any]) -> Any:
    value = item.get(key)
    if value not in choices:
        raise _Unmappable(f"{key} {value!r} is not supported; expected one of {', '.join(choices)}")
    return choices[value]


def _destinations(item: dict[str, Any]) -> dict[str, bool]:
    claim_type = item.get("claimType")
    always = item.get("alwaysIncludeInToken", True)
    if not isinstance(always, bool):
        raise _Unmappable("alwaysIncludeInToken: expected true or false")
    if claim_type == "RESOURCE":
        return {
            "include_in_id_token": False,
            "include_in_access_token": True,
            "include_in_userinfo": False,
            "id_token_without_access_token": False,
        }
    if claim_type == "IDENTITY":
        return {
            "include_in_id_token": always,
            "include_in_access_token": False,
            "include_in_userinfo": True,
            # Okta puts an identity claim that is not "always included" into the ID token
            # when no access token is returned (response_type=id_token): the same rule.
            "id_token_without_access_token": not always,
        }
    raise _Unmappable(f"claimType {claim_type!r} is not supported; expected RESOURCE or IDENTITY")


def _value_type(item: dict[str, Any]) -> dict[str, str]:
    value_type = item.get("valueType")
    if value_type == "EXPRESSION":
        return {"value_type": ClaimDefinition.ValueType.EXPRESSION.value, "group_filter": ""}
    if value_type == "GROUPS":
        return {
            "value_type": ClaimDefinition.ValueType.GROUPS.value,
            "group_filter": _choice(item, "group_filter_type", GROUP_FILTERS),
        }
    raise _Unmappable(f"valueType {value_type!r} is not supported; expected EXPRESSION or GROUPS")


def _scopes(item: dict[str, Any]) -> list[str]:
    conditions = item.get("conditions") or {}
    scopes = conditions.get("scopes", []) if isinstance(conditions, dict) else None
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise _Unmappable("conditions.scopes: expected a list of scope names")
    return list(scopes)


def _description(item: dict[str, Any]) -> str:
    okta_id = item.get("id")
    return (
        f"Imported from Okta (claim {okta_id})"
        if isinstance(okta_id, str)
        else ("Imported from Okta")
    )


def _name_of(item: Any, index: int) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) and name else f"(claim #{index + 1})"
