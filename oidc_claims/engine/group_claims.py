"""Groups claims: which of the user's groups a definition releases, within its limit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from oidc_claims.expressions.errors import GroupLimitExceeded
from oidc_claims.expressions.safe_regex import compile_safe_regex
from oidc_claims.models import GroupFilter

GroupMatcher = Callable[[str], bool]


def build_group_matcher(group_filter: str, value: str) -> GroupMatcher:
    """A predicate on group names; raises the regex compiler's error for a bad pattern."""
    if group_filter == GroupFilter.REGEX:
        pattern = compile_safe_regex(value)
        # Okta's "matches regex" matches the whole group name.
        return lambda name: pattern.fullmatch(name) is not None
    needle = value.casefold()
    if group_filter == GroupFilter.STARTS_WITH:
        return lambda name: name.casefold().startswith(needle)
    if group_filter == GroupFilter.EQUALS:
        return lambda name: name.casefold() == needle
    if group_filter == GroupFilter.CONTAINS:
        return lambda name: needle in name.casefold()
    raise ValueError(f"Unknown group filter {group_filter!r}.")


def select_groups(
    group_names: Iterable[str],
    matcher: GroupMatcher,
    limit: int,
    allow_list: Any = None,
) -> list[str]:
    """The matching names (sorted), intersected with ``allow_list`` when it is a list.

    More matches than ``limit`` raise GroupLimitExceeded: a truncated list would
    silently deny access that the missing groups grant.
    """
    allowed = (
        {name for name in allow_list if isinstance(name, str)}
        if isinstance(allow_list, list)
        else None
    )
    selected = sorted(
        name for name in group_names if matcher(name) and (allowed is None or name in allowed)
    )
    if len(selected) > limit:
        raise GroupLimitExceeded(limit, len(selected))
    return selected
