"""Claim definitions compiled once per configuration version and kept per process."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oidc_claims.engine.config_version import VersionReader, default_reader, has_uncommitted_change
from oidc_claims.engine.group_claims import build_group_matcher, select_groups
from oidc_claims.expressions import compile_expression
from oidc_claims.expressions.errors import ExpressionEvaluationError
from oidc_claims.models import AppProfile, ClaimDefinition, ValueType

logger = logging.getLogger("oidc_claims.engine.resolve")

Evaluator = Callable[[Any], Any]
# An evaluator, and whether the value reads the user.
CompiledValue = tuple[Evaluator, bool]


@dataclass(frozen=True, eq=False)
class CompiledDefinition:
    """A ClaimDefinition row, compiled: everything the engine needs without a query."""

    id: int
    name: str
    version: str
    enabled: bool
    destinations: frozenset[str]
    scopes: frozenset[str]
    application_ids: frozenset[Any]
    value_type: str
    group_limit: int
    evaluator: Evaluator
    # The value depends on the user (decided at compile time): omitted when there is none.
    reads_user: bool = False
    # Also in the ID token when the response carries no access token (Core 5.4).
    id_token_without_access_token: bool = False
    # A standard claim (Core 5.1): an empty or blank text value is left out.
    standard: bool = False

    def evaluate(self, context: Any) -> Any:
        """The claim's value for ``context`` (a ClaimContext); may raise evaluation errors."""
        return self.evaluator(context)

    @property
    def memo_key(self) -> tuple[str, str, int]:
        """The key of this definition's value in a ClaimContext's memo (one per version)."""
        return self._memo_key

    def __post_init__(self) -> None:
        # Built once: the engine looks the value up with it for every token.
        object.__setattr__(self, "_memo_key", ("claim", self.version, self.id))


@dataclass(frozen=True)
class LoadedConfiguration:
    """The compiled definitions of one version, and the evaluators they were built with."""

    version: str
    definitions: tuple[CompiledDefinition, ...]
    evaluators: dict[tuple[Any, ...], CompiledValue]


class DefinitionCache:
    """The compiled definitions of the current configuration version, for one process.

    ``get()`` asks ``config_version`` for the version (see there for its cost) and reloads
    (two queries) only when it differs from the version the definitions were compiled for:

    - one thread reloads, under a lock; the others are served the previous version
      meanwhile instead of waiting (the first load of a process, which has none, waits);
    - definitions whose compiled inputs did not change reuse their evaluators, and disabled
      definitions are not compiled at all;
    - a thread whose transaction wrote claim rows not committed yet compiles them for itself
      only: no other thread may see rows that can still be rolled back.
    """

    def __init__(self, reader: VersionReader | None = None) -> None:
        self.reader = reader or default_reader
        self._state: LoadedConfiguration | None = None
        self._lock = threading.Lock()
        self._private = threading.local()
        # Counters for tests, benchmarks and logs.
        self.loads = 0
        self.compiled = 0

    def get(self) -> tuple[CompiledDefinition, ...]:
        version = self.reader.current()
        if has_uncommitted_change():
            return self._get_private(version)
        state = self._state
        if state is not None and state.version == version:
            return state.definitions
        if state is not None and not self._lock.acquire(blocking=False):
            return state.definitions  # another thread is compiling: serve the previous version
        if state is None:
            self._lock.acquire()
        try:
            state = self._state
            if state is None or state.version != version:
                state = self._load(version, state)
                self._state = state
            return state.definitions
        finally:
            self._lock.release()

    def clear(self) -> None:
        self._state = None
        self._private = threading.local()

    def _get_private(self, version: str) -> tuple[CompiledDefinition, ...]:
        state = getattr(self._private, "state", None)
        if state is None or state.version != version:
            state = self._load(version, state or self._state)
            self._private.state = state
        return state.definitions

    def _load(
        self, version: str, previous: LoadedConfiguration | None
    ) -> LoadedConfiguration:
        started = time.perf_counter()
        reusable = previous.evaluators if previous is not None else {}
        evaluators: dict[tuple[Any, ...], CompiledValue] = {}
        compiled_before = self.compiled
        definitions = load_definitions(
            version, lambda row: self._evaluator(row, reusable, evaluators)
        )
        self.loads += 1
        logger.info(
            "Claim configuration %s loaded: %d definitions, %d compiled, in %.1f ms.",
            version,
            len(definitions),
            self.compiled - compiled_before,
            (time.perf_counter() - started) * 1000,
        )
        return LoadedConfiguration(version, definitions, evaluators)

    def _evaluator(
        self,
        row: ClaimDefinition,
        reusable: dict[tuple[Any, ...], CompiledValue],
        evaluators: dict[tuple[Any, ...], CompiledValue],
    ) -> CompiledValue:
        if not row.enabled:
            return _DISABLED
        key = evaluator_key(row)
        compiled = evaluators.get(key) or reusable.get(key)
        if compiled is None:
            compiled = build_evaluator(row)
            self.compiled += 1
        evaluators[key] = compiled
        return compiled


def evaluator_key(row: ClaimDefinition) -> tuple[Any, ...]:
    """Everything an evaluator is built from: equal keys give interchangeable evaluators."""
    return (row.value_type, row.value, row.group_filter, row.group_limit)


def load_definitions(
    version: str, evaluator_for: Callable[[ClaimDefinition], CompiledValue] | None = None
) -> tuple[CompiledDefinition, ...]:
    """Read every definition (enabled or not: the trace explains both) and compile it."""
    through = ClaimDefinition.applications.through
    m2m_field = ClaimDefinition._meta.get_field("applications")
    definition_column = through._meta.get_field(m2m_field.m2m_field_name()).attname
    application_column = through._meta.get_field(m2m_field.m2m_reverse_field_name()).attname
    application_ids: dict[int, set[Any]] = defaultdict(set)
    for definition_id, application_id in through.objects.values_list(
        definition_column, application_column
    ):
        application_ids[definition_id].add(application_id)
    return tuple(
        compile_definition(
            row,
            version,
            frozenset(application_ids.get(row.pk, ())),
            (evaluator_for or build_evaluator)(row),
        )
        for row in ClaimDefinition.objects.order_by("name", "pk")
    )


def compile_definition(
    row: ClaimDefinition, version: str, application_ids: frozenset[Any], compiled: CompiledValue
) -> CompiledDefinition:
    """The compiled form of one row, with its compiled value (see ``build_evaluator``)."""
    evaluator, reads_user = compiled
    scopes = row.scopes if isinstance(row.scopes, list) else []
    return CompiledDefinition(
        id=row.pk,
        name=row.name,
        version=version,
        enabled=row.enabled,
        destinations=frozenset(row.destinations),
        scopes=frozenset(scope for scope in scopes if isinstance(scope, str)),
        application_ids=application_ids,
        value_type=row.value_type,
        group_limit=row.group_limit,
        evaluator=evaluator,
        reads_user=reads_user,
        id_token_without_access_token=row.id_token_without_access_token,
        standard=row.standard,
    )


def build_evaluator(row: ClaimDefinition) -> CompiledValue:
    """Compile a row's value; a row that does not compile yields an evaluator saying why."""
    try:
        return _build_evaluator(row)
    except Exception as exc:  # noqa: BLE001  (rows saved around clean(); traced per request)
        logger.warning("Claim %r (definition %s) does not compile: %s", row.name, row.pk, exc)
        return _failing_evaluator(f"The claim's value does not compile: {exc}"), False


def _build_evaluator(row: ClaimDefinition) -> CompiledValue:
    if row.value_type == ValueType.GROUPS:
        matcher = build_group_matcher(row.group_filter, row.value)
        limit = row.group_limit

        def evaluate_groups(context: Any) -> list[str] | None:
            if context.user is None:
                # No user (client credentials): no group membership to state, so the claim
                # is omitted like any user expression, not issued as an empty list.
                return None
            allow_list = context.app_profile_data().get(AppProfile.GROUPS_ALLOW_LIST_KEY)
            return select_groups((g.name for g in context.groups()), matcher, limit, allow_list)

        return evaluate_groups, True
    compiled = compile_expression(row.value)

    def evaluate_expression(context: Any) -> Any:
        # Charged to the request's budget, which all its claims share (a ClaimContext has
        # one; another environment evaluates within EXPRESSION_MAX_STEPS alone).
        return compiled.evaluate(context, getattr(context, "step_budget", None))

    return evaluate_expression, compiled.reads_user


def _failing_evaluator(message: str) -> Evaluator:
    def fail(context: Any) -> Any:
        raise ExpressionEvaluationError(message)

    return fail


# Disabled definitions are never evaluated (the engine traces them as disabled).
_DISABLED: CompiledValue = (_failing_evaluator("The claim is disabled."), False)

default_cache = DefinitionCache()
