"""ClaimContext: what claim expressions may see of one token request, loaded lazily and once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from django.utils import timezone

from oidc_claims.conf import claims_settings
from oidc_claims.engine.user_attributes import BUILTIN_ATTRIBUTES, read_path, refused_segment_reason
from oidc_claims.expressions.budget import RequestBudget
from oidc_claims.expressions.environment import ExpressionObject, GroupInfo
from oidc_claims.expressions.errors import ExpressionEvaluationError
from oidc_claims.models import AppProfile

T = TypeVar("T")
# A memo's "not computed yet" (None is a value).
_MISSING = object()


class UserObject(ExpressionObject):
    """``user``: the allow-listed attributes of the user, never the model itself."""

    def __init__(self, user: Any, context: ClaimContext) -> None:
        self._user = user
        self._context = context
        self._values: dict[str, Any] = {}

    def get_property(self, name: str) -> Any:
        value = self._values.get(name, _MISSING)
        if value is _MISSING:
            value = self._values[name] = self._read(name)
        return value

    def _read(self, name: str) -> Any:
        if name == "groups":
            return [group.name for group in self._context.groups()]
        reader = BUILTIN_ATTRIBUTES.get(name)
        if reader is not None:
            return reader(self._user)
        configured = claims_settings.USER_ATTRIBUTES or {}
        path = configured.get(name) if isinstance(configured, Mapping) else None
        if isinstance(path, str) and refused_segment_reason(name) is None:
            return read_path(self._user, path, name)
        raise ExpressionEvaluationError(
            f"user.{name} is not a readable user attribute; readable: "
            f"{', '.join(sorted({*BUILTIN_ATTRIBUTES, 'groups', *_str_keys(configured)}))}."
        )


def _str_keys(mapping: Any) -> list[str]:
    return [key for key in mapping if isinstance(key, str)] if isinstance(mapping, Mapping) else []


class AppObject(ExpressionObject):
    """``app``: the application the token is issued to, and its profile data."""

    def __init__(self, application: Any, context: ClaimContext) -> None:
        self._application = application
        self._context = context

    def get_property(self, name: str) -> Any:
        if name == "id":
            return self._application.pk
        if name == "clientId":
            return self._application.client_id
        if name == "name":
            return self._application.name
        if name == "profile":
            return self._context.app_profile_data()
        raise ExpressionEvaluationError(
            f"app.{name} does not exist; readable: app.id, app.clientId, app.name, app.profile."
        )


class AccessObject(ExpressionObject):
    """``access``: what was granted: the scopes (a list) and the grant type."""

    def __init__(self, scopes: list[str], grant_type: str) -> None:
        self._scopes = scopes
        self._grant_type = grant_type

    def get_property(self, name: str) -> Any:
        if name == "scope":
            return list(self._scopes)
        if name == "grantType":
            return self._grant_type
        raise ExpressionEvaluationError(
            f"access.{name} does not exist; readable: access.scope, access.grantType."
        )


class _Failure:
    """A memoised exception, re-raised on every later read of the same value."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


class ClaimContext:
    """One token request as claims see it; implements the expressions ``Environment``.

    Build one per token request and pass it to every ``engine.resolve`` call of that
    request: groups, the app profile and each claim's value are loaded or computed once.
    """

    def __init__(
        self,
        user: Any,
        application: Any,
        scopes: Iterable[str],
        grant_type: str,
        requested_claims: Mapping[str, Iterable[str]] | None = None,
        now: datetime | None = None,
        issues_access_token: bool = True,
    ) -> None:
        self.user = user
        self.application = application
        self.scopes: list[str] = list(dict.fromkeys(scopes))
        self.grant_type = grant_type
        self.requested_claims: dict[str, frozenset[str]] = {
            str(destination): frozenset(names)
            for destination, names in (requested_claims or {}).items()
        }
        self._now = now or timezone.now()
        # False for response_type=id_token: the client gets no access token for userinfo.
        self.issues_access_token = issues_access_token
        self._groups: list[GroupInfo] | None = None
        self._profile_loaded = False
        self._profile: Any = None
        self._variables: dict[str, Any] = {}
        self._memo: dict[Any, Any] = {}
        # Shared by every expression evaluated for this request.
        self.step_budget = RequestBudget(claims_settings.EXPRESSION_MAX_STEPS_PER_REQUEST)
        # Set by the engine: one configuration snapshot for the whole request.
        self.definitions_snapshot: Any = None

    # --- Environment -------------------------------------------------------------------
    def variable(self, name: str) -> Any:
        value = self._variables.get(name, _MISSING)
        if value is _MISSING:
            value = self._variables[name] = self._make_variable(name)
        return value

    def _make_variable(self, name: str) -> Any:
        if name == "user":
            return None if self.user is None else UserObject(self.user, self)
        if name == "app":
            return None if self.application is None else AppObject(self.application, self)
        if name == "access":
            return AccessObject(self.scopes, self.grant_type)
        raise ExpressionEvaluationError(
            f"Unknown variable {name!r}; expressions can read user, app and access."
        )

    def groups(self) -> list[GroupInfo]:
        if self._groups is None:
            self._groups = self._load_groups()
        return self._groups

    def now(self) -> datetime:
        return self._now

    # --- Loaded once per request -------------------------------------------------------
    def _load_groups(self) -> list[GroupInfo]:
        manager = getattr(self.user, "groups", None) if self.user is not None else None
        if manager is None:
            return []
        # .all() (not values_list) so that groups prefetched by the caller cost no query.
        groups = [GroupInfo(id=group.pk, name=group.name) for group in manager.all()]
        return sorted(groups, key=lambda group: group.name)

    def app_profile(self) -> Any:
        """The application's AppProfile, or None; one query at most per context."""
        if not self._profile_loaded:
            self._profile = self._load_profile()
            self._profile_loaded = True
        return self._profile

    def _load_profile(self) -> Any:
        if self.application is None or self.application.pk is None:
            return None
        descriptor = type(self.application).oidc_claims_profile
        if descriptor.is_cached(self.application):  # select_related by the caller
            return getattr(self.application, "oidc_claims_profile", None)
        return AppProfile.objects.filter(application_id=self.application.pk).first()

    def app_profile_data(self) -> dict[str, Any]:
        """The profile's JSON object (``app.profile``); ``{}`` without a profile."""
        profile = self.app_profile()
        data = profile.data if profile is not None else None
        return data if isinstance(data, dict) else {}

    def memoise(self, key: Any, compute: Callable[..., T], *args: Any) -> T:
        """``compute(*args)`` once per key and context; an exception is remembered and
        re-raised."""
        memo = self._memo
        value = memo.get(key, _MISSING)
        if value is _MISSING:
            try:
                value = compute(*args)
            except Exception as exc:  # re-raised below, on this and every later call
                value = _Failure(exc)
            memo[key] = value
        if type(value) is _Failure:
            raise value.error
        return value
