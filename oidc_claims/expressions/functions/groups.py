"""Group functions: membership tests and group lists for ``groups`` claims.

Matching rules (documented in the README):

- ``isMemberOfGroupName`` compares names exactly (case-sensitive).
- ``...StartsWith``/``...Contains`` and ``Groups.startsWith/contains/endsWith`` ignore case,
  as Okta's group filters do.
- ``isMemberOfGroupNameRegex`` must match the whole name (like Java's ``matches``); add
  ``(?i)`` to ignore case. Patterns run on RE2 (linear time).
- ``isMemberOfAnyGroup`` takes group ids; ``getFilteredGroups`` takes ids or names.
- A list with more matches than its limit raises GroupLimitExceeded: never truncated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oidc_claims.expressions.environment import GroupInfo
from oidc_claims.expressions.errors import GroupLimitExceeded
from oidc_claims.expressions.functions.base import (
    Function,
    Precompiled,
    array_arg,
    limit_arg,
    string_arg,
)
from oidc_claims.expressions.runtime import Run
from oidc_claims.expressions.safe_regex import RegexSyntaxError, compile_safe_regex
from oidc_claims.expressions.values import is_array, to_text

# Group sources other than this one (AD, Google...) exist only at Okta and match nothing.
LOCAL_SOURCE = "OKTA"
GROUP_ATTRIBUTES: dict[str, Callable[[GroupInfo], Any]] = {
    "group.name": lambda group: group.name,
    "group.profile.name": lambda group: group.name,
    "group.id": lambda group: group.id,
}


def _groups(run: Run) -> list[GroupInfo]:
    groups = list(run.env.groups())
    run.tick(len(groups))
    return groups


def regex(value: Any, position: int) -> Any:
    """A compiled pattern (literal patterns arrive compiled from the compiler)."""
    if isinstance(value, Precompiled):
        return value.value
    string_arg(value, position)
    try:
        return compile_safe_regex(value)
    except RegexSyntaxError as exc:
        raise ValueError(f"argument {position} is not a usable pattern: {exc}") from None


def is_member_of_group_name(run: Run, name: Any) -> bool:
    wanted = string_arg(name, 1)
    return any(group.name == wanted for group in _groups(run))


def is_member_of_group_name_starts_with(run: Run, prefix: Any) -> bool:
    run.scan(string_arg(prefix, 1))
    wanted = prefix.casefold()
    return any(group.name.casefold().startswith(wanted) for group in _groups(run))


def is_member_of_group_name_contains(run: Run, part: Any) -> bool:
    run.scan(string_arg(part, 1))
    wanted = part.casefold()
    return any(wanted in group.name.casefold() for group in _groups(run))


# RE2 matches in time linear in the name, but each step of that scan costs in proportion
# to the pattern's compiled program, and a short pattern such as "(x|y){0,999}" compiles to
# thousands of instructions. So a match is charged by program size, not counted as one step,
# on top of a fixed charge for the call into RE2 (which costs as much as a few dozen
# elements copied).
REGEX_PROGRAM_UNITS_PER_STEP = 16
REGEX_MATCH_STEPS = 16


def is_member_of_group_name_regex(run: Run, pattern: Any) -> bool:
    dynamic = not isinstance(pattern, Precompiled)
    compiled = regex(pattern, 1)
    cost = REGEX_MATCH_STEPS + compiled.programsize // REGEX_PROGRAM_UNITS_PER_STEP
    groups = _groups(run)
    # Charged before matching (a pattern computed at run time is also charged for its
    # compilation): the budget must stop the work, not account for it afterwards.
    run.tick(cost * (len(groups) + (1 if dynamic else 0)))
    return any(compiled.fullmatch(group.name) is not None for group in groups)


def is_member_of_any_group(run: Run, *ids: Any) -> bool:
    wanted: set[str] = set()
    for value in ids:
        run.tick(len(value) if is_array(value) else 1)
        # Arrays of ids are accepted too: isMemberOfAnyGroup(app.profile.adminGroups).
        wanted.update(to_text(item) for item in (value if is_array(value) else (value,)))
    return any(to_text(group.id) in wanted for group in _groups(run))


def _limited(names: list[Any], limit: int) -> list[Any]:
    if len(names) > limit:
        raise GroupLimitExceeded(limit, len(names))
    return names


def _matching(test: Callable[[str, str], bool]) -> Callable[..., list[str]]:
    def groups_function(run: Run, source: Any, pattern: Any, limit: Any) -> list[str]:
        source = string_arg(source, 1)
        run.scan(string_arg(pattern, 2))
        wanted = pattern.casefold()
        maximum = limit_arg(limit, 3)
        if source.upper() != LOCAL_SOURCE:
            return []
        names = [group.name for group in _groups(run) if test(group.name.casefold(), wanted)]
        return run.array(_limited(names, maximum))

    return groups_function


def get_filtered_groups(run: Run, allow_list: Any, attribute: Any, limit: Any) -> list[Any]:
    allowed = array_arg(allow_list, 1)
    read = GROUP_ATTRIBUTES.get(string_arg(attribute, 2))
    if read is None:
        raise ValueError(f"argument 2 must be one of {', '.join(GROUP_ATTRIBUTES)}")
    maximum = limit_arg(limit, 3)
    by_key: dict[str, GroupInfo] = {}
    for group in _groups(run):
        by_key.setdefault(to_text(group.id), group)
        by_key.setdefault(group.name, group)
    run.tick(len(allowed))
    chosen: dict[int, GroupInfo] = {}
    for entry in allowed:
        group = by_key.get(to_text(entry))
        if group is not None:
            chosen.setdefault(id(group), group)
    return run.array(_limited([read(group) for group in chosen.values()], maximum))


def _group_function(name: str, impl: Callable[..., Any], *arity: Any, **options: Any) -> Function:
    # Every group function reads the user's groups: without a user it has nothing to say.
    return Function(name, impl, *arity, reads_user=True, **options)


FUNCTIONS = [
    _group_function("isMemberOfGroupName", is_member_of_group_name, 1, 1, user_method=True),
    _group_function(
        "isMemberOfGroupNameStartsWith", is_member_of_group_name_starts_with, 1, 1, user_method=True
    ),
    _group_function(
        "isMemberOfGroupNameContains", is_member_of_group_name_contains, 1, 1, user_method=True
    ),
    _group_function(
        "isMemberOfGroupNameRegex",
        is_member_of_group_name_regex,
        1,
        1,
        regex_args=(0,),
        user_method=True,
    ),
    _group_function("isMemberOfAnyGroup", is_member_of_any_group, 1, None, user_method=True),
    _group_function(
        "Groups.startsWith", _matching(lambda name, part: name.startswith(part)), 3, 3
    ),
    _group_function("Groups.contains", _matching(lambda name, part: part in name), 3, 3),
    _group_function("Groups.endsWith", _matching(lambda name, part: name.endswith(part)), 3, 3),
    _group_function("getFilteredGroups", get_filtered_groups, 3, 3),
]
