"""The impact of a pending configuration change: whose tokens it alters, and how.

:func:`impact_of` applies a change inside :func:`~oidc_claims.preview.pending_change.pending_change`
(always rolled back), and compares, for the applications the change concerns and a
bounded set of users, the payloads :func:`~oidc_claims.preview.build.build_preview` builds after
the change (inside the transaction) with those it builds before (once it is rolled back).
The admin's "Preview impact", the API's ``?dry_run=true`` and the dry runs of imports and
rollbacks all call it with their own ``apply``.

Representative inputs, per application: the grant it is registered for
(``authorization_code`` for code and device-code clients) and ``openid`` plus every scope
that an enabled definition for it names, before or after the change. Users: every active
user up to ``OIDC_CLAIMS["IMPACT_MAX_USERS"]``, else that many spread evenly over the
users ordered by primary key (a sample, and the report says so). The comparison stops at
``IMPACT_TIME_LIMIT_SECONDS`` (the report then says it is partial): the tokens after the
change are computed in the first half, while the pending transaction is open, and the
tokens before in the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from django.contrib.auth import get_user_model
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from oidc_claims.conf import claims_settings
from oidc_claims.models.subjects import SUBJECT_RELATION
from oidc_claims.preview.build import build_preview
from oidc_claims.preview.impact_diff import DESTINATIONS, ApplicationImpact, Outcome, outcomes_of
from oidc_claims.preview.impact_scope import (
    ChangeScope,
    RowChange,
    change_scope,
    read_configuration,
    representative_grant,
    representative_scopes,
)
from oidc_claims.preview.pending_change import pending_change

# Shown with every report: how the inputs were chosen.
INPUTS_NOTE = (
    "Each application is previewed with the grant it is registered for and the scopes "
    "openid plus every scope its enabled claims name (before or after the change); every "
    "claim and the header's alg are compared, except times (iat, exp, auth_time, jti, nbf)."
)
CLIENT_LABEL = "(client credentials: no user)"
# The grant whose tokens have no user: its application is compared once, for the client.
CLIENT_GRANT = "client_credentials"


@dataclass
class ImpactReport:
    """Who is affected by a change, per application and destination; see ``as_dict``."""

    changes: list[RowChange]
    applications: list[ApplicationImpact] = field(default_factory=list)
    users_total: int = 0
    users_compared: int = 0
    sample: bool = False
    max_users: int = 0
    partial: bool = False
    time_limit_seconds: float = 0.0
    # (user label, destination) pairs whose token changed in some application.
    _changed: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def summary(self) -> list[dict[str, Any]]:
        """Per destination: N of M users' tokens change, and in how many applications."""
        return [
            {
                "destination": name,
                "users": self.users_compared,
                "changed_users": sum(
                    1 for label, where in self._changed if where == name and label != CLIENT_LABEL
                ),
                "changed_applications": sum(
                    1 for app in self.applications if app.destinations[name].changed_users
                ),
            }
            for name in DESTINATIONS
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "changes": [change.as_dict() for change in self.changes],
            "summary": self.summary(),
            "users": {
                "total": self.users_total,
                "compared": self.users_compared,
                "sample": self.sample,
                "max_users": self.max_users,
            },
            "partial": self.partial,
            "time_limit_seconds": self.time_limit_seconds,
            "inputs_note": INPUTS_NOTE,
            "applications": [app.as_dict() for app in self.applications],
        }


def impact_of(
    apply: Callable[[], Any],
    *,
    request: Any = None,
    max_users: int | None = None,
    time_limit: float | None = None,
) -> ImpactReport:
    """Apply ``apply()`` (a change of claim definitions or app profiles) without keeping
    it, and report how it changes the tokens of the applications it concerns.

    ``request`` (the Django request) gives the issuer when ``OIDC_ISS_ENDPOINT`` is not
    set. An exception raised by ``apply`` (e.g. a validation error) propagates, and
    nothing is kept either way.
    """
    if request is None and not oauth2_settings.OIDC_ISS_ENDPOINT:
        raise ValueError(
            "Pass the HTTP request (to derive the issuer) or set "
            "OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT']."
        )
    max_users = max(1, int(max_users or claims_settings.IMPACT_MAX_USERS))
    limit = float(claims_settings.IMPACT_TIME_LIMIT_SECONDS if time_limit is None else time_limit)
    started = monotonic()
    with pending_change():
        before = read_configuration()
        apply()
        scope = change_scope(before, read_configuration())
        report = ImpactReport(scope.changes, max_users=max_users, time_limit_seconds=limit)
        if scope.empty:
            report.users_total = _active_users().count()
            return report
        users, report.users_total, report.sample = _select_users(max_users)
        applications = _applications(scope)
        jobs = _jobs(applications, users)
        after = _outcomes(jobs, applications, scope, request, started + limit / 2)
    # Rolled back: the same jobs, on the applications (and profiles) as they are stored.
    applications = _applications(scope)
    before_outcomes = _outcomes(jobs[: len(after)], applications, scope, request, started + limit)
    report.partial = len(before_outcomes) < len(jobs)
    _tally(report, scope, applications, jobs, before_outcomes, after)
    return report


# A job: one application's tokens for one user (None: a client-credentials client).
Job = tuple[Any, Any]


def _active_users() -> Any:
    User = get_user_model()
    users = User._default_manager.order_by("pk")
    if any(f.name == "is_active" for f in User._meta.concrete_fields):
        users = users.filter(is_active=True)
    return users


def _select_users(max_users: int) -> tuple[list[Any], int, bool]:
    users = _active_users()
    total = users.count()
    sampled = total > max_users
    if sampled:
        # Evenly spread over the primary keys: the same users every time for the same data.
        wanted = {int(i * total / max_users) for i in range(max_users)}
        pks = [
            pk
            for index, pk in enumerate(users.values_list("pk", flat=True).iterator(2000))
            if index in wanted
        ]
        users = users.filter(pk__in=pks)
    # Groups and subjects loaded here, once: each token computed below then costs no
    # query for them (the claim context reads prefetched groups).
    chosen = list(users.select_related(SUBJECT_RELATION).prefetch_related("groups"))
    return chosen, total, sampled


def _applications(scope: ChangeScope) -> dict[Any, Any]:
    applications = get_application_model().objects.select_related("oidc_claims_profile")
    if scope.application_ids is not None:
        applications = applications.filter(pk__in=scope.application_ids)
    return {app.pk: app for app in applications.order_by("pk")}


def _jobs(applications: dict[Any, Any], users: list[Any]) -> list[Job]:
    clients = [pk for pk, app in applications.items() if representative_grant(app) == CLIENT_GRANT]
    with_users = [pk for pk in applications if pk not in clients]
    # User by user, so that a report cut short by the time limit covers every application.
    return [(pk, None) for pk in clients] + [(pk, user) for user in users for pk in with_users]


def _outcomes(
    jobs: list[Job],
    applications: dict[Any, Any],
    scope: ChangeScope,
    request: Any,
    deadline: float,
) -> list[dict[str, Outcome]]:
    inputs = {
        pk: (representative_grant(app), representative_scopes(app, scope))
        for pk, app in applications.items()
    }
    outcomes: list[dict[str, Outcome]] = []
    for index, (pk, user) in enumerate(jobs):
        # At least one job, however short the limit: a report always shows something.
        if index and monotonic() >= deadline:
            break
        grant_type, scopes = inputs[pk]
        preview = build_preview(applications[pk], grant_type, user, scopes, request=request)
        outcomes.append(outcomes_of(preview))
    return outcomes


def _tally(
    report: ImpactReport,
    scope: ChangeScope,
    applications: dict[Any, Any],
    jobs: list[Job],
    before: list[dict[str, Outcome]],
    after: list[dict[str, Outcome]],
) -> None:
    impacts = {
        pk: ApplicationImpact(
            app.client_id,
            app.name,
            representative_grant(app),
            representative_scopes(app, scope),
        )
        for pk, app in applications.items()
    }
    compared: set[Any] = set()
    # The jobs compared: those computed both after the change and before it.
    count = len(before)
    for (pk, user), old, new in zip(jobs[:count], before, after[:count], strict=True):
        label = CLIENT_LABEL if user is None else user.get_username()
        if user is not None:
            compared.add(user.pk)
        for destination in impacts[pk].compare(label, old, new):
            report._changed.add((label, destination))
    report.users_compared = len(compared)
    report.applications = list(impacts.values())
