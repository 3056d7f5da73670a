"""Apply claim configuration to the database: idempotent, all-or-nothing, with a dry run.

Claim entries find their definition by name and destinations; app profiles by client id;
claim tests by name (their users by username, their applications by client id). An import
adds and updates (upsert); a replace (rollbacks) also deletes the definitions and app
profiles the document does not list.
Every entry is validated by the model's ``full_clean()`` (what the admin runs) against the
database as the import has changed it so far, inside one transaction that is rolled back
when anything is wrong or when it is a dry run.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from oauth2_provider.models import get_application_model

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.models.limits import MAX_APPLICATIONS_PER_CLAIM, too_many_problem
from oidc_claims.models.write_lock import lock_configuration
from oidc_claims.transfer.format import (
    CLAIM_FIELDS,
    PROFILE_FIELDS,
    DocumentError,
    ParsedDocument,
    claim_key,
    describe_key,
    parse_document,
)

CREATE, UPDATE, UNCHANGED, DELETE = "create", "update", "unchanged", "delete"


@dataclass
class Change:
    """What the import does (or would do) to one definition or profile."""

    kind: str  # "claim", "app_profile" or "claim_test"
    action: str  # create, update, unchanged or delete
    key: str  # how people recognise it: "'email' (id_token, userinfo)" or a client id
    fields: list[str] = field(default_factory=list)  # changed fields, for updates


@dataclass
class Skipped:
    """An entry that was left out, with the reason (Okta imports skip rather than fail)."""

    name: str
    reason: str


@dataclass
class ImportReport:
    """The outcome of an import; nothing was written when ``dry_run`` is true."""

    dry_run: bool
    changes: list[Change] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "deleted": self.count(DELETE),
            "changes": [vars(change) for change in self.changes],
            "skipped": [vars(skipped) for skipped in self.skipped],
        }


class ImportRejected(Exception):
    """The import was refused and nothing was changed; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


class _EntryInvalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems


class _RollBack(Exception):
    """Leaves the transaction without committing (dry run, or errors were found)."""


def import_document(data: Any, *, dry_run: bool = False) -> ImportReport:
    """Check and apply a document of the file format; raise ImportRejected listing all errors."""
    try:
        document = parse_document(data)
    except DocumentError as exc:
        raise ImportRejected(exc.errors) from exc
    return apply_document(document, dry_run=dry_run)


def apply_document(
    document: ParsedDocument, *, dry_run: bool = False, replace: bool = False
) -> ImportReport:
    """Apply every entry or nothing; raise ImportRejected listing all errors.

    ``replace``: the configuration becomes exactly the document's; definitions and app
    profiles it does not list are deleted.
    """
    return _apply(
        document.claims,
        document.app_profiles,
        dry_run=dry_run,
        skip_invalid=False,
        tests=document.claim_tests,
        replace=replace,
    )


def replace_configuration(data: Any, *, dry_run: bool = False) -> ImportReport:
    """Make the configuration exactly ``data`` (a document of the file format), or change
    nothing and raise ImportRejected listing every problem. Claim tests in ``data`` are
    applied as an import applies them; none is deleted.

    Inside ``pending_change()`` it shows what a rollback to that document would do.
    """
    try:
        document = parse_document(data)
    except DocumentError as exc:
        raise ImportRejected(exc.errors) from exc
    return apply_document(document, dry_run=dry_run, replace=True)


def apply_claims_skipping_invalid(
    entries: list[tuple[str, dict[str, Any]]], *, dry_run: bool = False
) -> ImportReport:
    """Apply the valid claim entries and report the others in ``skipped`` by source name."""
    names = {id(entry): name for name, entry in entries}
    claims = [entry for _name, entry in entries]
    return _apply(claims, [], dry_run=dry_run, skip_invalid=True, source_names=names)


def _apply(
    claims: list[dict[str, Any]],
    profiles: list[dict[str, Any]],
    *,
    dry_run: bool,
    skip_invalid: bool,
    source_names: dict[int, str] | None = None,
    tests: list[dict[str, Any]] | None = None,
    replace: bool = False,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    errors: list[str] = []
    try:
        with transaction.atomic():
            # Concurrent imports of one file apply one after the other: the later ones find
            # the rows the first created (unchanged), instead of failing or duplicating them.
            lock_configuration()
            applications = _applications_by_client_id(claims, profiles)
            pairs = pair_definitions(claims)
            order = list(range(len(pairs)))
            if replace:
                report.changes.extend(_delete_unlisted(pairs, profiles))
                # Disabled entries first: they free the names that enabled entries take.
                order.sort(key=lambda index: pairs[index][0]["enabled"])
            for index in order:
                entry, definition = pairs[index]
                where = f"claims[{index}] {describe_key(claim_key(entry))}"
                try:
                    # A savepoint per entry: a skipped entry leaves no trace behind.
                    with transaction.atomic():
                        report.changes.append(_apply_claim(entry, definition, applications))
                except _EntryInvalid as exc:
                    if skip_invalid:
                        name = (source_names or {}).get(id(entry), entry["name"])
                        report.skipped.append(Skipped(name, "; ".join(exc.problems)))
                    else:
                        errors.extend(f"{where}: {problem}" for problem in exc.problems)
            for index, entry in enumerate(profiles):
                try:
                    with transaction.atomic():
                        report.changes.append(_apply_profile(entry, applications))
                except _EntryInvalid as exc:
                    errors.extend(
                        f"app_profiles[{index}] {entry['client_id']!r}: {problem}"
                        for problem in exc.problems
                    )
            # After the profiles and claims: a test refers to applications, not to them.
            for index, entry in enumerate(tests or []):
                try:
                    with transaction.atomic():
                        report.changes.append(_apply_test(entry))
                except _EntryInvalid as exc:
                    errors.extend(
                        f"claim_tests[{index}] {entry['name']!r}: {problem}"
                        for problem in exc.problems
                    )
            if errors or dry_run:
                raise _RollBack
    except _RollBack:
        pass
    if errors:
        raise ImportRejected(errors)
    return report


def _applications_by_client_id(
    claims: Iterable[dict[str, Any]], profiles: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    wanted = {client_id for entry in claims for client_id in entry["applications"]}
    wanted |= {entry["client_id"] for entry in profiles}
    found = get_application_model().objects.filter(client_id__in=wanted)
    return {application.client_id: application for application in found}


def pair_definitions(
    claims: list[dict[str, Any]],
) -> list[tuple[dict[str, Any], ClaimDefinition | None]]:
    """Each entry with the existing definition it updates, or None when it creates one.

    Several definitions may share a key (disabled duplicates are allowed): the n-th entry
    with a key updates the n-th definition with that key in creation order, which is the
    order an export writes them in, so re-importing an export changes nothing.
    """
    existing: dict[Any, list[ClaimDefinition]] = defaultdict(list)
    for definition in ClaimDefinition.objects.prefetch_related("applications").order_by("pk"):
        existing[claim_key(vars(definition))].append(definition)
    pairs = []
    for entry in claims:
        candidates = existing[claim_key(entry)]
        pairs.append((entry, candidates.pop(0) if candidates else None))
    return pairs


def _delete_unlisted(
    pairs: list[tuple[dict[str, Any], ClaimDefinition | None]],
    profiles: list[dict[str, Any]],
) -> list[Change]:
    listed = {definition.pk for _entry, definition in pairs if definition is not None}
    changes = []
    for definition in ClaimDefinition.objects.exclude(pk__in=listed).order_by("pk"):
        changes.append(Change("claim", DELETE, describe_key(claim_key(vars(definition)))))
        definition.delete()
    wanted = {entry["client_id"] for entry in profiles}
    unlisted = AppProfile.objects.exclude(application__client_id__in=wanted)
    for profile in unlisted.select_related("application").order_by("pk"):
        changes.append(Change("app_profile", DELETE, profile.application.client_id))
        profile.delete()
    return changes


def _apply_claim(
    entry: dict[str, Any], definition: ClaimDefinition | None, applications: dict[str, Any]
) -> Change:
    key = describe_key(claim_key(entry))
    missing = [client_id for client_id in entry["applications"] if client_id not in applications]
    problems = [f"applications: no application has client id {c!r}." for c in missing]
    too_many = too_many_problem(
        "applications", len(set(entry["applications"])), MAX_APPLICATIONS_PER_CLAIM
    )
    if too_many is not None:
        problems.append(f"applications: {too_many}")
    wanted_apps = {applications[c] for c in entry["applications"] if c in applications}
    target = copy.copy(definition) if definition is not None else ClaimDefinition()
    changed = [
        name
        for name in CLAIM_FIELDS
        if name != "applications" and getattr(target, name) != entry[name]
    ]
    for name in changed:
        setattr(target, name, entry[name])
    current_apps = set(definition.applications.all()) if definition is not None else set()
    if current_apps != wanted_apps:
        changed.append("applications")
    problems.extend(_validation_problems(target))

    def save() -> None:
        target.save()
        if "applications" in changed:
            target.applications.set(wanted_apps)

    return _saved("claim", key, definition is None, changed, problems, save)


def _apply_profile(entry: dict[str, Any], applications: dict[str, Any]) -> Change:
    client_id = entry["client_id"]
    application = applications.get(client_id)
    if application is None:
        raise _EntryInvalid([f"client_id: no application has client id {client_id!r}."])
    profile = AppProfile.objects.filter(application=application).first()
    target = profile or AppProfile(application=application)
    changed = [
        name
        for name in PROFILE_FIELDS
        if name != "client_id" and getattr(target, name) != entry[name]
    ]
    for name in changed:
        setattr(target, name, entry[name])
    problems = _validation_problems(target)
    return _saved("app_profile", client_id, profile is None, changed, problems, target.save)


def _apply_test(entry: dict[str, Any]) -> Change:
    name = entry["name"]
    test = ClaimTest.objects.filter(name=name).first()
    target = copy.copy(test) if test is not None else ClaimTest(name=name)
    problems = []
    application = user = None
    if entry["application"] is not None:
        application = get_application_model().objects.filter(client_id=entry["application"]).first()
        if application is None:
            problems.append(f"application: no application has client id {entry['application']!r}.")
    if entry["user"] is not None:
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: entry["user"]}).first()
        if user is None:
            problems.append(f"user: no user has username {entry['user']!r}.")
    # File field -> (model attribute, value).
    wanted = {
        "description": ("description", entry["description"]),
        "enabled": ("enabled", entry["enabled"]),
        "application": ("application_id", application.pk if application is not None else None),
        "user": ("user_id", user.pk if user is not None else None),
        "grant_type": ("grant_type", entry["grant_type"]),
        "scopes": ("scopes", entry["scopes"]),
        "claims": ("claims_parameter", entry["claims"]),
        "expectations": ("expectations", entry["expectations"]),
    }
    changed = [
        field_name
        for field_name, (attribute, value) in wanted.items()
        if getattr(target, attribute) != value
    ]
    for attribute, value in wanted.values():
        setattr(target, attribute, value)
    if not problems:  # the model's messages about a missing user or application say less
        problems.extend(_validation_problems(target))
    return _saved("claim_test", name, test is None, changed, problems, target.save)


def _saved(
    kind: str,
    key: str,
    new: bool,
    changed: list[str],
    problems: list[str],
    save: Callable[[], None],
) -> Change:
    """Refuse an entry with problems; else save what is new or changed, and say which."""
    if problems:
        raise _EntryInvalid(problems)
    if not new and not changed:
        return Change(kind, UNCHANGED, key)
    save()
    return Change(kind, CREATE, key) if new else Change(kind, UPDATE, key, changed)


def _validation_problems(instance: Any) -> list[str]:
    try:
        instance.full_clean()
    except ValidationError as exc:
        return [
            message if field_name == NON_FIELD_ERRORS else f"{field_name}: {message}"
            for field_name, messages in exc.message_dict.items()
            for message in dict.fromkeys(messages)  # clean() and a constraint may agree
        ]
    return []
