"""Look-ups by one value whose SQL is built once per connection, for the per-request queries.

Django builds the SQL of a query anew each time it runs it; for the queries every token request
makes (the client with its profile, the access token with its user, subject, application and
profile) that costs more CPU than the database takes to answer (~0.5 ms and ~1 ms against
~0.1 ms on SQLite). A :class:`PreparedLookup` builds its queryset once per database connection
with a placeholder value, keeps the SQL, and then runs it with the value at hand, turning rows
into model instances (related objects included) the way Django's ``QuerySet`` does.

It relies on the SQL compiler's documented-by-use internals (``as_sql``, ``select``,
``klass_info``, ``get_converters``, ``apply_converters``), as ``QuerySet`` iteration does; a
queryset it cannot prepare (the placeholder not found exactly once among the parameters, a
composite key) is simply run through the ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Stands for the looked-up value while the SQL is built (never sent to the database).
_PLACEHOLDER = "\x00oidc-claims-prepared-lookup\x00"
# Attribute of a connection holding its prepared look-ups (connections are per thread).
_CONNECTION_ATTRIBUTE = "_oidc_claims_prepared_lookups"


def _row_readers(
    queryset: QuerySet, model: Any, klass_info: dict, select: Any, using: str
) -> tuple[Callable[..., Any], list[Any]]:
    """``model.from_db`` and the related populators, as ``QuerySet`` iteration gets them.

    Django 6.1 adds a fetch mode to both (``queryset._fetch_mode``); earlier versions have none.
    """
    fetch_mode = getattr(queryset, "_fetch_mode", None)
    if fetch_mode is None:
        return model.from_db, get_related_populators(klass_info, select, using)
    return (
        functools.partial(model.from_db, fetch_mode=fetch_mode),
        get_related_populators(klass_info, select, using, fetch_mode),
    )


class _Prepared:
    __slots__ = ("sql", "params", "position", "compiler", "converters", "populate")

    def __init__(self, queryset: QuerySet, using: str) -> None:
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        positions = [i for i, param in enumerate(self.params) if param == _PLACEHOLDER]
        if len(positions) != 1:
            raise LookupError("the placeholder is not exactly one parameter")
        self.position = positions[0]
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        # The converters of the selected columns (datetimes, JSON, ...), found once: what
        # ``results_iter`` looks up again for every query. A composite key's columns would need
        # folding into tuples as well: such a queryset goes through the ORM.
        fields = [column[0] for column in select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise LookupError("composite fields are read through the ORM")
        self.converters = compiler.get_converters(fields)
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        from_db, populators = _row_readers(queryset, model, klass_info, select, using)

        def populate(row: Any) -> Any:
            instance = from_db(using, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            return instance

        self.populate = populate


class PreparedLookup:
    """The first object of ``queryset_for(value)``, or None; ``queryset_for`` must filter on
    ``value`` once and order the result (the SQL is built with a placeholder for it)."""

    def __init__(self, name: str, queryset_for: Callable[[str], QuerySet]) -> None:
        self.name = name
        self.queryset_for = queryset_for

    def first(self, value: str, using: str = "default") -> Any:
        connection = connections[using]
        prepared_lookups = connection.__dict__.setdefault(_CONNECTION_ATTRIBUTE, {})
        prepared = prepared_lookups.get(self.name)
        if prepared is None:
            try:
                prepared = _Prepared(self.queryset_for(_PLACEHOLDER)[:1], using)
            except LookupError:
                prepared = False
            prepared_lookups[self.name] = prepared
        if prepared is False:
            return self.queryset_for(value).first()
        params = list(prepared.params)
        params[prepared.position] = value
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, params)
            rows = cursor.fetchmany(1)
        if not rows:
            return None
        if prepared.converters:
            rows = prepared.compiler.apply_converters(rows, prepared.converters)
        return prepared.populate(next(iter(rows)))
