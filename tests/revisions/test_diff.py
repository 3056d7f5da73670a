"""configuration_diff(): field-level changes per claim (by claim key) and per app profile."""

from __future__ import annotations

from oidc_claims.revisions.diff import (
    EMPTY_CONFIGURATION,
    configuration_diff,
    is_empty,
    summary,
    touched_names,
)
from oidc_claims.transfer.format import CLAIM_FIELDS, PROFILE_FIELDS


def entry(name: str, **fields):
    base = {field: default() for field, (_type, default) in CLAIM_FIELDS.items() if default}
    return {**base, "name": name, "value": "user.email", **fields}


def document(claims=(), profiles=()):
    return {**EMPTY_CONFIGURATION, "claims": list(claims), "app_profiles": list(profiles)}


def profile(client_id: str, **fields):
    base = {field: default() for field, (_type, default) in PROFILE_FIELDS.items() if default}
    return {**base, "client_id": client_id, **fields}


def test_identical_configurations_have_an_empty_diff():
    config = document([entry("a"), entry("b")], [profile("portal")])
    diff = configuration_diff(config, config)
    assert is_empty(diff) and diff == {"claims": [], "app_profiles": []}


def test_added_removed_and_changed_claims_with_their_fields():
    old = document([entry("gone"), entry("kept", value="user.email")])
    new = document([entry("kept", value="user.username", scopes=["email"]), entry("new")])
    diff = configuration_diff(old, new)
    by_name = {item["name"]: item for item in diff["claims"]}
    assert by_name["kept"] == {
        "action": "changed",
        "name": "kept",
        "key": "'kept' (id_token, userinfo)",
        "fields": [
            {"field": "value", "old": "user.email", "new": "user.username"},
            {"field": "scopes", "old": [], "new": ["email"]},
        ],
    }
    assert by_name["gone"]["action"] == "removed"
    assert {"field": "value", "old": "user.email", "new": None} in by_name["gone"]["fields"]
    assert by_name["new"]["action"] == "added"
    assert all(f["old"] is None for f in by_name["new"]["fields"])
    assert [item["name"] for item in diff["claims"]] == ["gone", "kept", "new"]
    assert summary(diff)["claims_added"] == 1 and summary(diff)["claims_changed"] == 1
    assert touched_names(diff) == ["gone", "kept", "new"]


def test_claims_sharing_a_key_are_paired_in_order():
    old = document([entry("dup", value='"1"', enabled=False), entry("dup", value='"2"')])
    new = document([entry("dup", value='"1"', enabled=False), entry("dup", value='"3"')])
    (change,) = configuration_diff(old, new)["claims"]
    assert change["fields"] == [{"field": "value", "old": '"2"', "new": '"3"'}]


def test_a_destination_change_is_one_change_unless_the_name_is_ambiguous():
    old = document([entry("a")])
    new = document([entry("a", include_in_userinfo=False)])
    (change,) = configuration_diff(old, new)["claims"]
    assert change["action"] == "changed"
    assert change["fields"] == [{"field": "include_in_userinfo", "old": True, "new": False}]
    # Two claims of the name on one side: which became which is not known.
    old = document([entry("a"), entry("a", include_in_id_token=False, enabled=False)])
    new = document([entry("a", include_in_userinfo=False)])
    actions = sorted(item["action"] for item in configuration_diff(old, new)["claims"])
    assert actions == ["added", "removed", "removed"]


def test_app_profiles_by_client_id():
    old = document(profiles=[profile("a", data={"x": 1}), profile("b")])
    new = document(profiles=[profile("a", data={"x": 2}), profile("c", allowed_resources="r")])
    diff = configuration_diff(old, new)
    changed, removed, added = diff["app_profiles"]
    assert changed == {
        "action": "changed",
        "key": "a",
        "fields": [{"field": "data", "old": {"x": 1}, "new": {"x": 2}}],
    }
    fields = [name for name in PROFILE_FIELDS if name != "client_id"]
    assert (removed["action"], removed["key"]) == ("removed", "b")
    assert [f["field"] for f in removed["fields"]] == fields
    assert all(f["new"] is None for f in removed["fields"])
    assert {"field": "data", "old": {}, "new": None} in removed["fields"]
    assert (added["action"], added["key"]) == ("added", "c")
    assert {"field": "allowed_resources", "old": None, "new": "r"} in added["fields"]
    assert all(f["old"] is None for f in added["fields"])
    assert touched_names(diff) == ["a", "b", "c"]
    assert summary(diff)["app_profiles_removed"] == 1
