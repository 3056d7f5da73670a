"""Constraint constructors that work on every supported Django (4.2 LTS and 5.x).

Django 5.1 renamed ``CheckConstraint(check=...)`` to ``condition=`` (the old name is gone in
6.0), and ``violation_error_code`` exists only since 5.0. Models and migrations build their
constraints through these helpers so one migration file serves every version.
"""

from __future__ import annotations

from typing import Any

import django
from django.db import models
from django.db.models import Q

HAS_CHECK_CONDITION = django.VERSION >= (5, 1)
HAS_VIOLATION_ERROR_CODE = django.VERSION >= (5, 0)


def check_constraint(*, condition: Q, name: str, **kwargs: Any) -> models.CheckConstraint:
    if not HAS_VIOLATION_ERROR_CODE:
        kwargs.pop("violation_error_code", None)
    if HAS_CHECK_CONDITION:
        return models.CheckConstraint(condition=condition, name=name, **kwargs)
    return models.CheckConstraint(check=condition, name=name, **kwargs)


def unique_constraint(**kwargs: Any) -> models.UniqueConstraint:
    if not HAS_VIOLATION_ERROR_CODE:
        kwargs.pop("violation_error_code", None)
    return models.UniqueConstraint(**kwargs)
