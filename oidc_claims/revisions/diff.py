"""The field-level difference between two claim configurations in the export format.

Claims are matched by their key (name and destinations, ``transfer.format.claim_key``), the
n-th entry with a key to the n-th, as imports pair them; a claim whose destinations changed
is still one claim when its name is unambiguous. App profiles are matched by client id.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from oidc_claims.transfer.format import (
    CLAIM_FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    PROFILE_FIELDS,
    claim_key,
    describe_key,
)

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

EMPTY_CONFIGURATION: dict[str, Any] = {
    "format": FORMAT_NAME,
    "version": FORMAT_VERSION,
    "claims": [],
    "app_profiles": [],
}


def configuration_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``{"claims": [...], "app_profiles": [...]}``: one item per claim or profile that was
    added, removed or changed, each with ``fields``: ``[{"field", "old", "new"}]``."""
    return {
        "claims": _claim_changes(old.get("claims", []), new.get("claims", [])),
        "app_profiles": _profile_changes(old.get("app_profiles", []), new.get("app_profiles", [])),
    }


def is_empty(diff: dict[str, Any]) -> bool:
    return not diff.get("claims") and not diff.get("app_profiles")


def touched_names(diff: dict[str, Any]) -> list[str]:
    """The claim names and client ids a diff is about, for finding a claim's history."""
    names = {item["name"] for item in diff.get("claims", [])}
    names |= {item["key"] for item in diff.get("app_profiles", [])}
    return sorted(names)


def summary(diff: dict[str, Any]) -> dict[str, int]:
    """How many claims and profiles were added, removed and changed."""
    counts = {f"{kind}_{action}": 0 for kind in ("claims", "app_profiles") for action in
              (ADDED, REMOVED, CHANGED)}
    for kind in ("claims", "app_profiles"):
        for item in diff.get(kind, []):
            counts[f"{kind}_{item['action']}"] += 1
    return counts


def _keyed_claims(entries: list[dict[str, Any]]) -> dict[tuple[Any, int], dict[str, Any]]:
    # Definitions may share a key (disabled duplicates): the n-th with a key is (key, n).
    seen: dict[Any, int] = defaultdict(int)
    keyed = {}
    for entry in entries:
        key = claim_key(entry)
        keyed[(key, seen[key])] = entry
        seen[key] += 1
    return keyed


def _claim_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    before, after = _keyed_claims(old), _keyed_claims(new)
    pairs = [(before[key], after[key]) for key in before if key in after]
    removed = [entry for key, entry in before.items() if key not in after]
    added = [entry for key, entry in after.items() if key not in before]
    # A claim whose destinations changed has a new key; with one such claim of its name on
    # each side, it is the same claim changed rather than one removed and one added.
    by_name_removed = defaultdict(list)
    by_name_added = defaultdict(list)
    for entry in removed:
        by_name_removed[entry["name"]].append(entry)
    for entry in added:
        by_name_added[entry["name"]].append(entry)
    for name, gone in by_name_removed.items():
        if len(gone) == 1 and len(by_name_added.get(name, ())) == 1:
            pairs.append((gone[0], by_name_added[name][0]))
            removed.remove(gone[0])
            added.remove(by_name_added[name][0])
    changes = [
        _item(ADDED, entry, _fields(CLAIM_FIELDS, None, entry)) for entry in added
    ]
    changes += [_item(REMOVED, entry, _fields(CLAIM_FIELDS, entry, None)) for entry in removed]
    for was, now in pairs:
        fields = _fields(CLAIM_FIELDS, was, now)
        if fields:
            changes.append(_item(CHANGED, now, fields))
    return sorted(changes, key=lambda item: (item["name"], item["key"], item["action"]))


def _item(action: str, entry: dict[str, Any], fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "action": action,
        "name": entry["name"],
        "key": describe_key(claim_key(entry)),
        "fields": fields,
    }


def _profile_changes(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    before = {entry["client_id"]: entry for entry in old}
    after = {entry["client_id"]: entry for entry in new}
    changes = []
    for client_id in sorted(before.keys() | after.keys()):
        was, now = before.get(client_id), after.get(client_id)
        fields = _fields(PROFILE_FIELDS, was, now, skip=("client_id",))
        if not fields:
            continue
        action = ADDED if was is None else REMOVED if now is None else CHANGED
        changes.append({"action": action, "key": client_id, "fields": fields})
    return changes


def _fields(
    names: dict[str, Any],
    was: dict[str, Any] | None,
    now: dict[str, Any] | None,
    skip: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    fields = []
    for name in names:
        if name in skip:
            continue
        old = None if was is None else was.get(name)
        new = None if now is None else now.get(name)
        if was is not None and now is not None and old == new:
            continue
        fields.append({"field": name, "old": old, "new": new})
    return fields
