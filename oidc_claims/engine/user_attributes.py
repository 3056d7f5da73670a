"""What expressions may read of a user: the built-in allow list and the USER_ATTRIBUTES setting."""

from __future__ import annotations

import datetime
import inspect
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from oidc_claims.expressions.errors import ExpressionEvaluationError
from oidc_claims.models.subjects import subject_of


class RefusedAttributeError(ExpressionEvaluationError):
    """A configured user attribute path reaches something expressions may never read."""


def refused_segment_reason(segment: str) -> str | None:
    """Why a path segment may never be read (whatever the settings say), or None if it may."""
    if not segment:
        return "an empty path segment"
    if segment.startswith("_"):
        return f"the private name {segment!r}"
    if "password" in segment.lower():
        return f"the secret {segment!r}"
    return None


def to_json_value(value: Any, what: str) -> Any:
    """Convert ``value`` to a JSON value, or raise: model instances and objects stay out."""
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json_value(item, what) for item in value]
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return {key: to_json_value(item, what) for key, item in value.items()}
    if isinstance(value, models.Model):
        raise RefusedAttributeError(
            f"{what} is a {type(value).__name__} record, not a value; point the setting at "
            "one of its fields instead."
        )
    raise RefusedAttributeError(f"{what} is a {type(value).__name__}, not a JSON value.")


def read_path(user: Any, path: str, alias: str) -> Any:
    """Follow ``path`` ("profile.department") from ``user``; None when a link is missing."""
    what = f"user.{alias} (OIDC_CLAIMS['USER_ATTRIBUTES'] path {path!r})"
    value = user
    for segment in path.split("."):
        reason = refused_segment_reason(segment)
        if reason is not None:
            raise RefusedAttributeError(f"{what} reads {reason}, which is never readable.")
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(segment)
            continue
        try:
            value = getattr(value, segment)
        except ObjectDoesNotExist:
            return None  # a missing related profile reads as null, like a missing field
        except AttributeError as exc:
            raise ExpressionEvaluationError(f"{what}: no attribute {segment!r}.") from exc
        # Methods and related managers are callable: calling code is never what a claim means.
        if callable(value):
            raise RefusedAttributeError(f"{what} reaches a method or manager ({segment!r}).")
    return to_json_value(value, what)


def _username(user: Any) -> Any:
    return getattr(user, getattr(user, "USERNAME_FIELD", "username"), None)


def _email(user: Any) -> Any:
    return getattr(user, getattr(user, "EMAIL_FIELD", "email"), None)


def _full_name(user: Any) -> Any:
    """First and last name, or None when the user has neither (OpenID Connect's ``name``)."""
    parts = (getattr(user, "first_name", None), getattr(user, "last_name", None))
    full = " ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    return full or None


def _display_name(user: Any) -> Any:
    return _full_name(user) or _username(user)


def _field(name: str) -> Callable[[Any], Any]:
    return lambda user: to_json_value(getattr(user, name, None), f"user.{name}")


# Okta names first, then Django names; every entry is code, not configuration.
BUILTIN_ATTRIBUTES: dict[str, Callable[[Any], Any]] = {
    # As Okta's user.id: the user's public, opaque identifier, the same as the tokens' sub.
    "id": subject_of,
    "login": _username,
    "username": _username,
    "email": _email,
    "firstName": _field("first_name"),
    "first_name": _field("first_name"),
    "lastName": _field("last_name"),
    "last_name": _field("last_name"),
    "displayName": _display_name,
    "fullName": _full_name,
    "full_name": _full_name,
    "isActive": _field("is_active"),
    "is_active": _field("is_active"),
    "isStaff": _field("is_staff"),
    "is_staff": _field("is_staff"),
    "isSuperuser": _field("is_superuser"),
    "is_superuser": _field("is_superuser"),
    "dateJoined": _field("date_joined"),
    "date_joined": _field("date_joined"),
    "lastLogin": _field("last_login"),
    "last_login": _field("last_login"),
}


def configured_attribute_problems(
    aliases: Any, user_model: type[models.Model]
) -> list[tuple[str, str]]:
    """(alias, problem) for each USER_ATTRIBUTES entry that will be refused at run time."""
    if not isinstance(aliases, Mapping):
        return [("", "USER_ATTRIBUTES must be a dict of {alias: dotted path}")]
    problems = []
    for alias, path in aliases.items():
        if not isinstance(alias, str) or not isinstance(path, str):
            problems.append((str(alias), "alias and path must be strings"))
            continue
        if alias in BUILTIN_ATTRIBUTES or alias == "groups":
            problems.append((alias, f"{alias!r} is built in and cannot be redefined"))
            continue
        reasons = [refused_segment_reason(alias), *map(refused_segment_reason, path.split("."))]
        reason = next((r for r in reasons if r is not None), None)
        if reason is not None:
            problems.append((alias, f"it reads {reason}"))
            continue
        first = inspect.getattr_static(user_model, path.split(".")[0], None)
        if inspect.isfunction(first) or isinstance(first, staticmethod | classmethod):
            problems.append((alias, f"{path.split('.')[0]!r} is a method"))
    return problems
