"""Token payloads compared before and after a change: per-user diffs and their tally.

Times (``iat``, ``exp``, ``auth_time``, ``jti``, ``nbf``) differ between any two
issuances and are left out of the comparison; every other member counts, registered
claims included (a changed profile audience changes ``aud``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Members that differ between two issuances whatever the configuration.
IGNORED_CLAIMS = frozenset({"iat", "exp", "auth_time", "jti", "nbf"})
# The places a change can show, in token order.
DESTINATIONS = ("id_token", "access_token", "userinfo")
# Users named as examples of each added, removed or changed claim.
EXAMPLE_USERS = 5
# Header members compared: the algorithm follows the configuration (an app profile's
# id_token_signed_response_alg); the key id changes with every key rotation.
HEADER_MEMBERS = ("alg",)


@dataclass(frozen=True)
class Outcome:
    """What one destination gives one user: issued (with claims), not issued, or refused."""

    status: str
    note: str | None
    claims: dict[str, Any]
    header: dict[str, Any]


def outcomes_of(preview: dict[str, Any]) -> dict[str, Outcome]:
    """The comparable outcomes of a ``build_preview`` result, by destination.

    An opaque access token carries no claims: what resource servers learn of it is the
    introspection response, which is compared instead.
    """
    panels = {name: preview[name] for name in DESTINATIONS}
    access = panels["access_token"]
    if access["status"] == "issued" and access["format"] == "opaque":
        panels["access_token"] = preview["introspection"]
    return {name: _outcome(panel) for name, panel in panels.items()}


def _outcome(panel: dict[str, Any]) -> Outcome:
    payload = panel["payload"] if panel["status"] == "issued" else None
    claims = {k: v for k, v in (payload or {}).items() if k not in IGNORED_CLAIMS}
    note = panel["note"] if panel["status"] == "refused" else None
    header = panel["header"] or {}
    return Outcome(
        panel["status"], note, claims, {k: header[k] for k in HEADER_MEMBERS if k in header}
    )


def _canonical(value: Any) -> str:
    # JSON text, so that 1 and true (equal in Python) count as different values.
    return json.dumps(value, sort_keys=True, default=str)


def token_diff(old: Outcome, new: Outcome) -> dict[str, Any] | None:
    """``{"added", "removed", "changed", "header", "status"}`` from ``old`` to ``new``, or
    None if equal; ``header`` has the changed members of ``HEADER_MEMBERS``."""
    added = {name: new.claims[name] for name in sorted(new.claims.keys() - old.claims.keys())}
    removed = {name: old.claims[name] for name in sorted(old.claims.keys() - new.claims.keys())}
    changed = {
        name: {"old": old.claims[name], "new": new.claims[name]}
        for name in sorted(old.claims.keys() & new.claims.keys())
        if _canonical(old.claims[name]) != _canonical(new.claims[name])
    }
    status = None
    if (old.status, old.note) != (new.status, new.note):
        status = {"old": old.status, "new": new.status, "old_note": old.note, "new_note": new.note}
    header = {}
    if old.status == new.status == "issued":
        header = {
            name: {"old": old.header.get(name), "new": new.header.get(name)}
            for name in HEADER_MEMBERS
            if old.header.get(name) != new.header.get(name)
        }
    if not (added or removed or changed or status or header):
        return None
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "header": header,
        "status": status,
    }


@dataclass
class ClaimTally:
    """How many users gain, lose or see a new value of one claim, with examples."""

    kind: str  # "added", "removed", "changed", or "header" (claim is then a header member)
    claim: str
    users: int = 0
    examples: list[str] = field(default_factory=list)

    def count(self, label: str) -> None:
        self.users += 1
        if len(self.examples) < EXAMPLE_USERS:
            self.examples.append(label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "claim": self.claim,
            "users": self.users,
            "examples": self.examples,
        }


@dataclass
class DestinationImpact:
    """One destination of one application: N of M users' tokens change, and how."""

    destination: str
    users: int = 0
    changed_users: int = 0
    claims: dict[tuple[str, str], ClaimTally] = field(default_factory=dict)
    status: dict[tuple[str, str], ClaimTally] = field(default_factory=dict)

    def count(self, label: str, diff: dict[str, Any] | None) -> None:
        self.users += 1
        if diff is None:
            return
        self.changed_users += 1
        for kind in ("added", "removed", "changed", "header"):
            for claim in diff[kind]:
                self.claims.setdefault((kind, claim), ClaimTally(kind, claim)).count(label)
        if diff["status"] is not None:
            key = (diff["status"]["old"], diff["status"]["new"])
            self.status.setdefault(key, ClaimTally("status", "→".join(key))).count(label)

    def as_dict(self) -> dict[str, Any]:
        order = {"added": 0, "removed": 1, "changed": 2, "header": 3}
        claims = sorted(self.claims.values(), key=lambda t: (order[t.kind], t.claim))
        return {
            "destination": self.destination,
            "users": self.users,
            "changed_users": self.changed_users,
            "claims": [tally.as_dict() for tally in claims],
            "status_changes": [
                {"old": old, "new": new, "users": t.users, "examples": t.examples}
                for (old, new), t in self.status.items()
            ],
        }


@dataclass
class ApplicationImpact:
    """The compared tokens of one application: per destination, and the per-user diffs."""

    client_id: str
    name: str
    grant_type: str
    scopes: list[str]
    users: int = 0
    destinations: dict[str, DestinationImpact] = field(
        default_factory=lambda: {name: DestinationImpact(name) for name in DESTINATIONS}
    )
    user_diffs: list[dict[str, Any]] = field(default_factory=list)

    def compare(
        self, label: str, before: dict[str, Outcome], after: dict[str, Outcome]
    ) -> set[str]:
        """Count one user's (or the client's) tokens; the destinations that changed."""
        self.users += 1
        diffs = {}
        for name in DESTINATIONS:
            diff = token_diff(before[name], after[name])
            self.destinations[name].count(label, diff)
            if diff is not None:
                diffs[name] = diff
        if diffs:
            self.user_diffs.append({"user": label, "destinations": diffs})
        return set(diffs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "name": self.name,
            "inputs": {"grant_type": self.grant_type, "scopes": self.scopes},
            "users": self.users,
            "destinations": [self.destinations[name].as_dict() for name in DESTINATIONS],
            "user_diffs": self.user_diffs,
        }
