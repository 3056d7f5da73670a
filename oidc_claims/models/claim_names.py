"""Claim names that admins may not define: registered JWT and OpenID Connect protocol claims,
their look-alikes, introspection's own members, and names with invisible characters."""

from __future__ import annotations

import unicodedata

# Set by the token layer from the protocol, never by configuration: a configured value would
# let an admin forge identity (sub), audience (aud), lifetime (exp) or token binding (cnf).
# Compared case-sensitively, as JSON member names are.
RESERVED_CLAIM_NAMES: frozenset[str] = frozenset(
    {
        "iss",
        "sub",
        "aud",
        "exp",
        "nbf",
        "iat",
        "jti",
        "auth_time",
        "nonce",
        "acr",
        "amr",
        "azp",
        "at_hash",
        "c_hash",
        "sid",
        "scope",
        "client_id",
        "cnf",
        "typ",
    }
)

# RFC 7662 section 2.2: the members of an introspection response. Introspection answers
# with what the access token carries, so an access-token claim of one of these names would
# overwrite (or be overwritten by) the response's own member; the others are reserved above.
INTROSPECTION_MEMBER_NAMES: frozenset[str] = frozenset(
    {"active", "scope", "client_id", "username", "token_type", "exp", "iat", "nbf", "sub",
     "aud", "iss", "jti"}
)

# Unicode categories that no claim name may contain: control (Cc), format (Cf, e.g. the
# zero-width space U+200B or the right-to-left override U+202E), surrogate (Cs), private
# use (Co), unassigned (Cn), and separators (Zs spaces, Zl, Zp): a reader cannot see them,
# so "s\u200bub" would look like "sub" in every screen and log.
INVISIBLE_CATEGORIES: frozenset[str] = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def is_reserved_claim_name(name: str) -> bool:
    """Whether ``name`` is a registered or protocol claim that configuration may not set."""
    return name in RESERVED_CLAIM_NAMES


def folded(name: str) -> str:
    """``name`` as a loose reader compares it: NFKC-normalised (full-width letters, ligatures
    ...) and case-folded."""
    return unicodedata.normalize("NFKC", name).casefold()


def invisible_character_problem(name: str) -> str | None:
    """Why ``name`` is refused for an invisible or format character, or None."""
    for character in name:
        category = unicodedata.category(character)
        if category in INVISIBLE_CATEGORIES:
            label = unicodedata.name(character, "unnamed character")
            return (
                f"The claim name contains U+{ord(character):04X} {label} (Unicode category "
                f"{category}), an invisible, space or format character: a name that looks like "
                "another one deceives whoever reads the token. Use visible characters only."
            )
    return None


def claim_name_problem(name: str, *, in_access_token: bool) -> str | None:
    """Why ``name`` may not be configured beyond the exact reserved names, or None.

    ``in_access_token``: the claim goes into the access token, hence into introspection.
    """
    problem = invisible_character_problem(name)
    if problem is not None:
        return problem
    loose = folded(name)
    reserved = next((r for r in sorted(RESERVED_CLAIM_NAMES) if r == loose), None)
    if reserved is not None and name != reserved:
        return (
            f"'{name}' differs from the reserved claim '{reserved}' only by letter case or "
            "character width; relying parties that compare names loosely would take it for "
            f"'{reserved}', which the token layer sets itself. Choose another name."
        )
    if in_access_token and loose in INTROSPECTION_MEMBER_NAMES:
        return (
            f"'{name}' is a member of the introspection response itself (RFC 7662 section "
            "2.2: active, token_type, username, ...), and introspection answers with the "
            "access token's claims. Choose another name, or leave the claim out of the "
            "access token."
        )
    return None
