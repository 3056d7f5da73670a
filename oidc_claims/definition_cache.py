"""Claim definitions compiled once per configuration version and kept per process."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config_version import get_config_version
from .expressions.errors import ExpressionEvaluationError
from .group_claims import build_group_matcher, select_groups
from .models import AppProfile, ClaimDefinition, ValueType

logger = logging.getLogger("oidc_claims.engine")

Evaluator = Callable[[Any], Any]


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

    def evaluate(self, context: Any) -> Any:
        """The claim's value for ``context`` (a ClaimContext); may raise evaluation errors."""
        return self.evaluator(context)


class DefinitionCache:
    """The compiled definitions of the current configuration version, for one process.

    ``get()`` reads the version from Django's cache and reloads (two queries) only when
    it differs from the version the definitions were compiled for.
    """

    def __init__(self) -> None:
        # (version, definitions); replaced as a whole so that threads never see a mix.
        self._state: tuple[str, tuple[CompiledDefinition, ...]] | None = None

    def get(self) -> tuple[CompiledDefinition, ...]:
        version = get_config_version()
        state = self._state
        if state is None or state[0] != version:
            state = (version, load_definitions(version))
            self._state = state
        return state[1]

    def clear(self) -> None:
        self._state = None


def load_definitions(version: str) -> tuple[CompiledDefinition, ...]:
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
        compile_definition(row, version, frozenset(application_ids.get(row.pk, ())))
        for row in ClaimDefinition.objects.order_by("name", "pk")
    )


def compile_definition(
    row: ClaimDefinition, version: str, application_ids: frozenset[Any]
) -> CompiledDefinition:
    """Compile one row; a row that does not compile yields an evaluator that reports why."""
    try:
        evaluator, reads_user = _build_evaluator(row)
    except Exception as exc:  # noqa: BLE001  (rows saved around clean(); traced per request)
        logger.warning("Claim %r (definition %s) does not compile: %s", row.name, row.pk, exc)
        evaluator = _failing_evaluator(f"The claim's value does not compile: {exc}")
        reads_user = False
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
    )


def _build_evaluator(row: ClaimDefinition) -> tuple[Evaluator, bool]:
    """The row's evaluator, and whether its value reads the user."""
    if row.value_type == ValueType.GROUPS:
        matcher = build_group_matcher(row.group_filter, row.value)
        limit = row.group_limit

        def evaluate_groups(context: Any) -> list[str]:
            allow_list = context.app_profile_data().get(AppProfile.GROUPS_ALLOW_LIST_KEY)
            return select_groups((g.name for g in context.groups()), matcher, limit, allow_list)

        return evaluate_groups, True
    from .expressions import compile_expression

    compiled = compile_expression(row.value)
    return compiled.evaluate, compiled.reads_user


def _failing_evaluator(message: str) -> Evaluator:
    def fail(context: Any) -> Any:
        raise ExpressionEvaluationError(message)

    return fail


default_cache = DefinitionCache()
