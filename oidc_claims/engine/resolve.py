"""The claim engine: which configured claims go into a token, with what value, and why."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.definition_cache import CompiledDefinition, DefinitionCache, default_cache
from oidc_claims.engine.exceptions import ClaimValueTooLarge
from oidc_claims.engine.size_limits import check_claim_size
from oidc_claims.expressions.errors import ExpressionEvaluationError, GroupLimitExceeded

logger = logging.getLogger("oidc_claims.engine.resolve")


class Destination(models.TextChoices):
    ID_TOKEN = "id_token", "ID token"
    ACCESS_TOKEN = "access_token", "Access token"
    USERINFO = "userinfo", "Userinfo"


# Destinations that describe the user, where the OIDC `claims` request parameter applies.
IDENTITY_DESTINATIONS = frozenset({Destination.ID_TOKEN, Destination.USERINFO})


class Reason(str, enum.Enum):
    """Why a definition was or was not included in a destination."""

    INCLUDED = "included"
    REQUESTED = "requested"
    WITHOUT_ACCESS_TOKEN = "without_access_token"
    DISABLED = "disabled"
    NOT_FOR_DESTINATION = "not_for_destination"
    SCOPE_NOT_GRANTED = "scope_not_granted"
    APPLICATION_NOT_SELECTED = "application_not_selected"
    NO_USER = "no_user"
    NULL_VALUE = "null_value"
    EMPTY_VALUE = "empty_value"
    EVALUATION_ERROR = "evaluation_error"
    GROUP_LIMIT_EXCEEDED = "group_limit_exceeded"
    VALUE_TOO_LARGE = "value_too_large"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TraceEntry:
    """The decision about one definition in one destination."""

    definition_id: int
    claim_name: str
    destination: Destination
    included: bool
    reason: Reason
    value: Any = None
    error: str | None = None


@dataclass
class Resolution:
    """The claims of one destination and the trace that explains them."""

    destination: Destination
    claims: dict[str, Any] = field(default_factory=dict)
    trace: list[TraceEntry] = field(default_factory=list)
    group_limit_errors: list[GroupLimitExceeded] = field(default_factory=list)

    def raise_for_group_limits(self) -> None:
        """Raise the first GroupLimitExceeded: the token request must then be refused."""
        if self.group_limit_errors:
            raise self.group_limit_errors[0]


def resolve(
    context: ClaimContext,
    destination: str | Destination,
    *,
    cache: DefinitionCache | None = None,
    trace: bool = True,
) -> Resolution:
    """Resolve every claim definition for ``destination`` of the request in ``context``.

    Never raises because of a claim: evaluation errors omit the claim, are logged and
    traced; group limits are reported in ``Resolution.group_limit_errors``. With
    ``trace=False`` (token issuance) the claims are the same and ``Resolution.trace`` is
    left empty: only the definitions configured for ``destination`` are looked at.
    """
    destination = Destination(destination)
    definitions = _definitions(context, cache or default_cache)
    plan = _plan(definitions, destination)
    requested = (
        context.requested_claims.get(destination.value, frozenset())
        if destination in IDENTITY_DESTINATIONS
        else frozenset()
    )
    resolution = Resolution(destination=destination)
    if not trace and _only_configured(plan, context, requested):
        _resolve_configured(plan.configured, context, resolution)
        return resolution
    for definition in definitions:
        entry, limit_error = _decide(
            definition, context, destination, destination.value, requested, plan.configured_names
        )
        if trace:
            resolution.trace.append(entry)
        if entry.included:
            resolution.claims[definition.name] = entry.value
        if limit_error is not None:
            resolution.group_limit_errors.append(limit_error)
    return resolution


@dataclass(frozen=True)
class _Plan:
    """What one configuration holds for one destination, worked out once per version."""

    # Enabled and configured for the destination, in the configuration's order.
    configured: tuple[CompiledDefinition, ...]
    # Their names: a definition configured here wins over a requested one of the same name.
    configured_names: frozenset[str]
    # Names that only the ``claims`` parameter would bring in.
    requestable_names: frozenset[str]
    # Whether some definition goes here only when the response has no access token.
    has_without_access_token: bool


# Plans by configuration (the definitions tuple, kept so that its id stays unique) and
# destination; a configuration version is replaced rarely, so a few entries suffice.
_PLANS: dict[int, tuple[tuple[CompiledDefinition, ...], dict[Destination, _Plan]]] = {}
_PLANS_KEPT = 8


def _plan(definitions: tuple[CompiledDefinition, ...], destination: Destination) -> _Plan:
    entry = _PLANS.get(id(definitions))
    if entry is None or entry[0] is not definitions:
        if len(_PLANS) >= _PLANS_KEPT:
            _PLANS.clear()
        entry = (definitions, {})
        _PLANS[id(definitions)] = entry
    plans = entry[1]
    plan = plans.get(destination)
    if plan is None:
        plan = plans[destination] = _make_plan(definitions, destination)
    return plan


def _make_plan(definitions: tuple[CompiledDefinition, ...], destination: Destination) -> _Plan:
    where = destination.value
    enabled = [d for d in definitions if d.enabled]
    configured = tuple(d for d in enabled if where in d.destinations)
    names = frozenset(d.name for d in configured)
    others = [d for d in enabled if where not in d.destinations]
    requestable = frozenset(
        d.name
        for d in others
        if destination in IDENTITY_DESTINATIONS
        and d.destinations & IDENTITY_DESTINATIONS
        and d.name not in names
    )
    without_access_token = destination is Destination.ID_TOKEN and any(
        d.id_token_without_access_token for d in others
    )
    return _Plan(configured, names, requestable, without_access_token)


def _only_configured(plan: _Plan, context: ClaimContext, requested: frozenset[str]) -> bool:
    """Whether no definition but the configured ones can go into this destination."""
    if plan.has_without_access_token and not context.issues_access_token:
        return False
    return not requested or plan.requestable_names.isdisjoint(requested)


def _resolve_configured(
    configured: tuple[CompiledDefinition, ...], context: ClaimContext, resolution: Resolution
) -> None:
    # _decide's checks for a configured definition, without building its trace entry.
    granted = frozenset(context.scopes)
    application = context.application
    has_user = context.user is not None
    claims = resolution.claims
    for definition in configured:
        if definition.scopes and definition.scopes.isdisjoint(granted):
            continue
        if definition.application_ids and (
            application is None or application.pk not in definition.application_ids
        ):
            continue
        if definition.reads_user and not has_user:
            continue
        try:
            value = context.memoise(definition.memo_key, _evaluate, definition, context)
        except GroupLimitExceeded as exc:
            resolution.group_limit_errors.append(exc.for_claim(definition.name))
            continue
        except Exception:  # noqa: BLE001, S112  (logged once by _evaluate; the claim is left out)
            continue
        if value is None:
            continue
        if definition.standard and isinstance(value, str) and not value.strip():
            continue
        claims[definition.name] = value


def identity_claim_names(cache: DefinitionCache | None = None) -> set[str]:
    """Names of the enabled definitions for the ID token or userinfo (discovery's
    ``claims_supported``), from the compiled definitions: no query while the version holds."""
    return {
        definition.name
        for definition in (cache or default_cache).get()
        if definition.enabled and definition.destinations & IDENTITY_DESTINATIONS
    }


def _definitions(context: ClaimContext, cache: DefinitionCache) -> tuple[CompiledDefinition, ...]:
    # One snapshot per request: the ID token and the access token of one response agree
    # even if an admin saves a claim in between, and the version is read from the cache once.
    snapshot = context.definitions_snapshot
    if snapshot is None or snapshot[0] is not cache:
        snapshot = (cache, cache.get())
        context.definitions_snapshot = snapshot
    return snapshot[1]


def _entry(
    definition: CompiledDefinition,
    destination: Destination,
    reason: Reason,
    value: Any = None,
    error: str | None = None,
) -> TraceEntry:
    included = reason in _INCLUDED
    return TraceEntry(definition.id, definition.name, destination, included, reason, value, error)


_INCLUDED = frozenset({Reason.INCLUDED, Reason.REQUESTED, Reason.WITHOUT_ACCESS_TOKEN})


def _decide(
    definition: CompiledDefinition,
    context: ClaimContext,
    destination: Destination,
    where: str,
    requested: frozenset[str],
    configured_names: set[str],
) -> tuple[TraceEntry, GroupLimitExceeded | None]:
    if not definition.enabled:
        return _entry(definition, destination, Reason.DISABLED), None
    configured = where in definition.destinations
    # Core 5.4: with no access token to call userinfo with, the ID token carries the claim.
    without_access_token = (
        not configured
        and destination is Destination.ID_TOKEN
        and definition.id_token_without_access_token
        and not context.issues_access_token
    )
    is_requested = (
        not configured
        and not without_access_token
        and definition.name in requested
        and definition.name not in configured_names
        and bool(definition.destinations & IDENTITY_DESTINATIONS)
    )
    if not configured and not is_requested and not without_access_token:
        return _entry(definition, destination, Reason.NOT_FOR_DESTINATION), None
    if definition.scopes and definition.scopes.isdisjoint(context.scopes):
        return _entry(definition, destination, Reason.SCOPE_NOT_GRANTED), None
    if definition.application_ids and (
        context.application is None or context.application.pk not in definition.application_ids
    ):
        return _entry(definition, destination, Reason.APPLICATION_NOT_SELECTED), None
    if definition.reads_user and context.user is None:
        # Decided from the compiled value, not by evaluating it: a service token states
        # nothing about a user who does not exist (no "team": "other", no "name": " ").
        return _entry(definition, destination, Reason.NO_USER), None
    try:
        # Memoised per context: the ID token, access token and userinfo of one request
        # evaluate each definition once (and log its failure once).
        value = context.memoise(definition.memo_key, _evaluate, definition, context)
    except GroupLimitExceeded as exc:
        limit_error = exc.for_claim(definition.name)
        reason = Reason.GROUP_LIMIT_EXCEEDED
        return _entry(definition, destination, reason, error=str(limit_error)), limit_error
    except ClaimValueTooLarge as exc:
        return _entry(definition, destination, Reason.VALUE_TOO_LARGE, error=str(exc)), None
    except Exception as exc:  # noqa: BLE001  (traced; a claim never fails token issuance)
        reason, error = Reason.EVALUATION_ERROR, _error_text(exc)
        return _entry(definition, destination, reason, error=error), None
    if value is None:
        return _entry(definition, destination, Reason.NULL_VALUE), None
    if definition.standard and isinstance(value, str) and not value.strip():
        # Core 5.3.2: a claim without a value is omitted, not sent as "" or " ".
        return _entry(definition, destination, Reason.EMPTY_VALUE), None
    if configured:
        reason = Reason.INCLUDED
    else:
        reason = Reason.WITHOUT_ACCESS_TOKEN if without_access_token else Reason.REQUESTED
    return _entry(definition, destination, reason, value), None


def _evaluate(definition: CompiledDefinition, context: ClaimContext) -> Any:
    try:
        value = definition.evaluator(context)
        check_claim_size(definition.name, value)
        return value
    except ClaimValueTooLarge as exc:
        logger.warning("Claim %r (definition %s) omitted: %s", definition.name, definition.id, exc)
        raise
    except GroupLimitExceeded as exc:
        logger.warning("Claim %r (definition %s): %s", definition.name, definition.id, exc)
        raise
    except ExpressionEvaluationError as exc:
        logger.warning("Claim %r (definition %s) omitted: %s", definition.name, definition.id, exc)
        raise
    except Exception:
        # Not an expression error: a custom user attribute or a bug. Keep the traceback.
        logger.exception(
            "Claim %r (definition %s) omitted: unexpected error", definition.name, definition.id
        )
        raise


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ExpressionEvaluationError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
