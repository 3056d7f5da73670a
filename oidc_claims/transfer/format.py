"""The claim-configuration file format: export to it, and check a document before importing it.

A document is a JSON object::

    {"format": "oidc_claims.claims", "version": 1,
     "claims": [{"name": ..., "value": ..., "applications": ["<client id>", ...], ...}],
     "app_profiles": [{"client_id": ..., "data": {...}, "access_token_audience": "",
                       "allowed_resources": "", "resource_server_audiences": "",
                       "id_token_signed_response_alg": ""}],
     "claim_tests": [{"name": ..., "application": "<client id>", "user": "<username>",
                      "grant_type": ..., "scopes": [...], "claims": {...} | null,
                      "expectations": [...], "description": "", "enabled": true}]}

Applications are referenced by client id and users by username (database ids differ between
environments), the
order is stable and there are no timestamps, so that two exports of the same configuration
are byte-identical and diff cleanly in code review.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from oidc_claims.json_limits import unstorable_text
from oidc_claims.models import DESTINATION_FIELDS, AppProfile, ClaimDefinition, field_default
from oidc_claims.models.claim_tests import ClaimTest

FORMAT_NAME = "oidc_claims.claims"
FORMAT_VERSION = 1

# The JSON type of each field of a claim entry (the model's editable fields).
_CLAIM_TYPES: dict[str, type] = {
    "group_limit": int,
    "include_in_id_token": bool,
    "include_in_access_token": bool,
    "include_in_userinfo": bool,
    "id_token_without_access_token": bool,
    "enabled": bool,
    "scopes": list,
    "applications": list,
}
# Entries that every claim must name; the others take the model's default, so a hand-written
# file may leave out what it does not care about.
_REQUIRED_CLAIM_FIELDS = ("name", "value")


def _model_default(name: str) -> Any:
    if name in _REQUIRED_CLAIM_FIELDS:
        return None
    if name == "applications":
        return list
    return lambda: field_default(ClaimDefinition, name)


# Field of a claim entry -> (accepted Python type, default factory or None when required).
CLAIM_FIELDS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    name: (_CLAIM_TYPES.get(name, str), _model_default(name))
    for name in ClaimDefinition.EDITABLE_FIELDS
}
PROFILE_FIELDS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    "client_id": (str, None),
    "data": (dict, dict),
    "access_token_audience": (str, lambda: ""),
    "allowed_resources": (str, lambda: ""),
    "resource_server_audiences": (str, lambda: ""),
    "id_token_signed_response_alg": (str, lambda: ""),
}
# Field of a claim test entry; "claims" is the model's claims_parameter. A test whose user
# or application was deleted is exported with null there (and refused on import).
TEST_FIELDS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    "name": (str, None),
    "description": (str, lambda: ""),
    "enabled": (bool, lambda: True),
    "application": ((str, type(None)), None),
    "user": ((str, type(None)), lambda: None),
    "grant_type": (str, lambda: "authorization_code"),
    "scopes": (list, list),
    "claims": ((dict, type(None)), lambda: None),
    "expectations": (list, None),
}
# Most claims (and most app profiles) one import may carry. Every entry is validated against
# the database inside one transaction, tens of milliseconds each: an unbounded file would
# hold a worker and the claim tables for minutes. Configurations are far smaller.
MAX_IMPORT_ENTRIES = 500
# Lists whose items must be strings.
STRING_LISTS = frozenset({"scopes", "applications"})


def claim_key(entry: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """How an entry finds its definition: the name and the set of destinations."""
    return entry["name"], tuple(
        field.removeprefix("include_in_") for field, _label in DESTINATION_FIELDS if entry[field]
    )


def describe_key(key: tuple[str, tuple[str, ...]]) -> str:
    """``'groups' (id_token, access_token)``: a key as people read it in reports."""
    name, destinations = key
    return f"{name!r} ({', '.join(destinations) or 'no destination'})"


def claim_entry(definition: ClaimDefinition) -> dict[str, Any]:
    """The file entry of a saved definition (its applications should be prefetched)."""
    entry = {field: getattr(definition, field) for field in CLAIM_FIELDS if field != "applications"}
    entry["scopes"] = list(definition.scopes)
    entry["applications"] = sorted(app.client_id for app in definition.applications.all())
    return entry


def profile_entry(profile: AppProfile) -> dict[str, Any]:
    """The file entry of a saved app profile."""
    return {
        "client_id": profile.application.client_id,
        "data": profile.data,
        "access_token_audience": profile.access_token_audience,
        "allowed_resources": profile.allowed_resources,
        "resource_server_audiences": profile.resource_server_audiences,
        "id_token_signed_response_alg": profile.id_token_signed_response_alg,
    }


def claim_test_entry(test: ClaimTest) -> dict[str, Any]:
    """The file entry of a saved claim test (its user and application should be selected)."""
    return {
        "name": test.name,
        "description": test.description,
        "enabled": test.enabled,
        "application": test.application.client_id if test.application is not None else None,
        "user": test.user.get_username() if test.user is not None else None,
        "grant_type": test.grant_type,
        "scopes": list(test.scopes),
        "claims": test.claims_parameter,
        "expectations": test.expectations,
    }


def export_configuration(*, include_tests: bool = True) -> dict[str, Any]:
    """Every claim definition and app profile as a document of this format, and the claim
    tests unless ``include_tests`` is false (a snapshot of the configuration alone)."""
    definitions = ClaimDefinition.objects.prefetch_related("applications").order_by("pk")
    # Sorted by key, then creation order: definitions sharing a key keep their pairing
    # with the file entries across imports (see importer.pair_definitions).
    claims = sorted((claim_entry(d) for d in definitions), key=claim_key)
    profiles = AppProfile.objects.select_related("application").order_by("application__client_id")
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "claims": claims,
        "app_profiles": [profile_entry(profile) for profile in profiles],
    }
    if include_tests:
        tests = ClaimTest.objects.select_related("application", "user").order_by("name")
        document["claim_tests"] = [claim_test_entry(test) for test in tests]
    return document


@dataclass
class ParsedDocument:
    """A structurally valid document: entries with every field present."""

    claims: list[dict[str, Any]]
    app_profiles: list[dict[str, Any]]
    claim_tests: list[dict[str, Any]] = dataclasses.field(default_factory=list)


class DocumentError(Exception):
    """The document cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


def parse_document(document: Any) -> ParsedDocument:
    """Check the structure and types of ``document``; raise DocumentError listing all problems.

    Only the shape is checked here; what the values mean (expressions, reserved names,
    applications) is checked by the model when importing, exactly as in the admin.
    """
    if not isinstance(document, dict):
        raise DocumentError(
            [
                f'The file must hold a JSON object with "format": {FORMAT_NAME!r}; found '
                f"{json_type(document)}."
            ]
        )
    errors: list[str] = []
    if document.get("format") != FORMAT_NAME:
        errors.append(f"format: expected {FORMAT_NAME!r}, found {document.get('format')!r}.")
    if document.get("version") != FORMAT_VERSION:
        errors.append(
            f"version: this version of oidc_claims reads version {FORMAT_VERSION}, "
            f"found {document.get('version')!r}."
        )
    unknown = sorted(
        set(document) - {"format", "version", "claims", "app_profiles", "claim_tests"}
    )
    if unknown:
        errors.append(f"Unknown top-level keys: {', '.join(unknown)}.")
    claims = _entries(document, "claims", CLAIM_FIELDS, errors)
    profiles = _entries(document, "app_profiles", PROFILE_FIELDS, errors)
    tests = _entries(document, "claim_tests", TEST_FIELDS, errors)
    if errors:
        raise DocumentError(errors)
    return ParsedDocument(claims=claims, app_profiles=profiles, claim_tests=tests)


def _entries(
    document: dict[str, Any],
    key: str,
    fields: dict[str, tuple[type | tuple[type, ...], Any]],
    errors: list[str],
) -> list[dict[str, Any]]:
    items = document.get(key, [])
    if not isinstance(items, list):
        errors.append(f"{key}: expected a list, found {json_type(items)}.")
        return []
    if len(items) > MAX_IMPORT_ENTRIES:
        errors.append(too_many_entries(key, len(items)))
        return []
    return [
        entry
        for index, item in enumerate(items)
        if (entry := check_entry(item, fields, f"{key}[{index}]", errors)) is not None
    ]


def check_entry(
    item: Any,
    fields: dict[str, tuple[type | tuple[type, ...], Any]],
    where: str,
    errors: list[str],
) -> dict[str, Any] | None:
    """``item`` with defaults filled in, or None after appending its problems to ``errors``."""
    if not isinstance(item, dict):
        errors.append(f"{where}: expected an object, found {json_type(item)}.")
        return None
    found = len(errors)
    entry: dict[str, Any] = {}
    for field, (expected, default) in fields.items():
        if field not in item:
            if default is None:
                errors.append(f"{where}.{field}: this field is required.")
            else:
                entry[field] = default()
            continue
        value = item[field]
        # bool is an int in Python, but true is not a group limit.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            errors.append(
                f"{where}.{field}: expected {_type_name(expected)}, found {json_type(value)}."
            )
        elif field in STRING_LISTS and not all(isinstance(v, str) for v in value):
            errors.append(f"{where}.{field}: expected a list of strings.")
        elif problem := unstorable_text(value):
            errors.append(f"{where}.{field}: {problem}.")
        else:
            entry[field] = value
    unknown = sorted(set(item) - set(fields))
    if unknown:
        errors.append(f"{where}: unknown fields {', '.join(unknown)}.")
    return entry if len(errors) == found else None


def too_many_entries(what: str, count: int) -> str:
    return (
        f"{what}: {count} entries, more than the {MAX_IMPORT_ENTRIES} one import accepts; "
        "split the file."
    )




def _type_name(expected: type | tuple[type, ...]) -> str:
    if isinstance(expected, tuple):
        return " or ".join(_type_name(member) for member in expected)
    return {
        str: "a string",
        int: "an integer",
        bool: "true or false",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(expected, str(expected))  # type: ignore[call-overload]


def json_type(value: Any) -> str:
    """The JSON type of a parsed JSON ``value``, as messages name it ("an integer", "null"...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
