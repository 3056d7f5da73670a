"""What a configuration change touches: the changed rows, the applications, their token inputs.

The claim configuration is read before and after a change (a few queries, no compilation)
and compared. Only what can alter a token counts: a definition's description or timestamps
do not, nor a definition that is disabled both before and after.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from oauth2_provider.models import AbstractApplication, get_application_model

from oidc_claims.models import AppProfile, ClaimDefinition

# Fields of a definition that can change a token (all but description and timestamps).
DEFINITION_FIELDS = (
    *(
        name
        for name in ClaimDefinition.EDITABLE_FIELDS
        if name not in ("description", "applications")  # applications: decided apart
    ),
    "standard",
)
# Every stored field of a profile but its keys and timestamps: a new field counts at once.
PROFILE_FIELDS = tuple(
    field.attname
    for field in AppProfile._meta.concrete_fields
    if field.name not in ("id", "application", "created", "updated")
)

# The grant each application's tokens are previewed with: the one it is registered for.
# A device-code client receives what an authorization-code client does (a user's ID token,
# access token and userinfo at /token).
_GRANT_OF_REGISTRATION = {
    AbstractApplication.GRANT_AUTHORIZATION_CODE: "authorization_code",
    AbstractApplication.GRANT_DEVICE_CODE: "authorization_code",
    AbstractApplication.GRANT_IMPLICIT: "implicit",
    AbstractApplication.GRANT_OPENID_HYBRID: "hybrid",
    AbstractApplication.GRANT_PASSWORD: "password",
    AbstractApplication.GRANT_CLIENT_CREDENTIALS: "client_credentials",
}


@dataclass(frozen=True)
class StoredDefinition:
    """The token-relevant content of one definition row."""

    pk: int
    fields: dict[str, Any]
    application_ids: frozenset[Any]

    @property
    def name(self) -> str:
        return self.fields["name"]

    @property
    def enabled(self) -> bool:
        return bool(self.fields["enabled"])

    def applies_to(self, application_id: Any) -> bool:
        return not self.application_ids or application_id in self.application_ids

    @property
    def scopes(self) -> list[str]:
        scopes = self.fields["scopes"]
        return [s for s in scopes if isinstance(s, str)] if isinstance(scopes, list) else []


@dataclass(frozen=True)
class Configuration:
    """The claim configuration as tokens see it: definitions by pk, profiles by application."""

    definitions: dict[int, StoredDefinition]
    profiles: dict[Any, dict[str, Any]]


def read_configuration() -> Configuration:
    """The stored configuration, as this thread's transaction sees it (three queries)."""
    through = ClaimDefinition.applications.through
    m2m = ClaimDefinition._meta.get_field("applications")
    left = through._meta.get_field(m2m.m2m_field_name()).attname
    right = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
    application_ids: dict[int, set[Any]] = defaultdict(set)
    for definition_id, application_id in through.objects.values_list(left, right):
        application_ids[definition_id].add(application_id)
    definitions: dict[int, StoredDefinition] = {}
    for row in ClaimDefinition.objects.values("pk", *DEFINITION_FIELDS):
        pk = row.pop("pk")
        definitions[pk] = StoredDefinition(pk, row, frozenset(application_ids.get(pk, ())))
    profiles = {
        row.pop("application_id"): row
        for row in AppProfile.objects.values("application_id", *PROFILE_FIELDS)
    }
    return Configuration(definitions, profiles)


@dataclass
class RowChange:
    """One changed definition or profile, as the report names it."""

    kind: str  # "claim" or "app_profile"
    action: str  # "created", "updated" or "deleted"
    key: str  # the claim name, or the application's client id
    fields: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "action": self.action, "key": self.key, "fields": self.fields}


@dataclass
class ChangeScope:
    """The rows a change alters and the applications whose tokens it may alter."""

    changes: list[RowChange]
    # None: every application (a changed definition selects no application).
    application_ids: set[Any] | None
    before: Configuration
    after: Configuration

    @property
    def empty(self) -> bool:
        return self.application_ids is not None and not self.application_ids


def change_scope(before: Configuration, after: Configuration) -> ChangeScope:
    """Compare two configurations: what changed, and which applications it concerns."""
    changes: list[RowChange] = []
    application_ids: set[Any] | None = set()
    for pk in sorted(before.definitions.keys() | after.definitions.keys()):
        old, new = before.definitions.get(pk), after.definitions.get(pk)
        if old == new:
            continue
        changes.append(_definition_change(old, new))
        versions = [d for d in (old, new) if d is not None and d.enabled]
        if application_ids is not None and versions:
            if any(not d.application_ids for d in versions):
                application_ids = None
            else:
                application_ids.update(*(d.application_ids for d in versions))
    changed_profiles = {
        app_id
        for app_id in before.profiles.keys() | after.profiles.keys()
        if before.profiles.get(app_id) != after.profiles.get(app_id)
    }
    client_ids = dict(
        get_application_model()
        .objects.filter(pk__in=changed_profiles)
        .values_list("pk", "client_id")
    )
    for app_id in sorted(changed_profiles, key=str):
        old, new = before.profiles.get(app_id), after.profiles.get(app_id)
        action = "created" if old is None else "deleted" if new is None else "updated"
        fields = [n for n in PROFILE_FIELDS if old and new and old[n] != new[n]]
        changes.append(
            RowChange("app_profile", action, client_ids.get(app_id, str(app_id)), fields)
        )
        if application_ids is not None:
            application_ids.add(app_id)
    return ChangeScope(changes, application_ids, before, after)


def _definition_change(old: StoredDefinition | None, new: StoredDefinition | None) -> RowChange:
    if old is None:
        return RowChange("claim", "created", new.name)  # type: ignore[union-attr]
    if new is None:
        return RowChange("claim", "deleted", old.name)
    fields = [name for name in DEFINITION_FIELDS if old.fields[name] != new.fields[name]]
    if old.application_ids != new.application_ids:
        fields.append("applications")
    return RowChange("claim", "updated", new.name, fields)


def representative_grant(application: Any) -> str:
    """The grant an application's tokens are previewed with: the one it is registered for."""
    return _GRANT_OF_REGISTRATION.get(application.authorization_grant_type, "authorization_code")


def representative_scopes(application: Any, scope: ChangeScope) -> list[str]:
    """``openid`` and every scope that an enabled definition for the application names,
    before or after the change: the widest request, which every claim can answer."""
    named = {
        name
        for configuration in (scope.before, scope.after)
        for definition in configuration.definitions.values()
        if definition.enabled and definition.applies_to(application.pk)
        for name in definition.scopes
    }
    return ["openid", *sorted(named - {"openid"})]
