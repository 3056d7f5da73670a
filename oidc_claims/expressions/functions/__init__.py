"""The function library: every callable name, looked up at compile time."""

from __future__ import annotations

from oidc_claims.expressions.functions import arrays, convert, groups, strings, time
from oidc_claims.expressions.functions.base import Function

FUNCTIONS: dict[str, Function] = {
    function.name: function
    for module in (strings, arrays, convert, time, groups)
    for function in module.FUNCTIONS
}

# Prefixes of qualified names: ``String.len(...)`` is a function, ``String`` alone is not.
NAMESPACES = frozenset(name.split(".", 1)[0] for name in FUNCTIONS if "." in name)

USER_METHODS: dict[str, Function] = {
    function.name: function for function in FUNCTIONS.values() if function.user_method
}

__all__ = ["FUNCTIONS", "NAMESPACES", "USER_METHODS", "Function"]
