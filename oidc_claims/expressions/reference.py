"""The language reference as data: every function and operator with a checked example.

The README tables and the admin's in-place help are rendered from this module; a test
evaluates every example against :data:`EXAMPLE_CONTEXT` and compares the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oidc_claims.expressions.literals import expression_literal

# What the examples see: one user, their app and access, three groups and a fixed time.
EXAMPLE_CONTEXT: dict[str, Any] = {
    "user": {
        "id": 42,
        "login": "ada",
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": "Lovelace",
    },
    "app": {
        "id": 7,
        "clientId": "portal",
        "name": "Portal",
        "profile": {"label": "Staff portal", "tier": "gold"},
    },
    "access": {"scope": ["openid", "email", "profile"], "grantType": "authorization_code"},
    "groups": [
        {"id": 1, "name": "engineering"},
        {"id": 2, "name": "eng-backend"},
        {"id": 3, "name": "Sales"},
    ],
    "now": "2024-05-01T12:00:00.123+00:00",
}


@dataclass(frozen=True)
class Entry:
    name: str
    signature: str
    description: str
    example: str
    result: Any

    @property
    def result_literal(self) -> str:
        """The result as an expression literal (what an admin can copy into an expression)."""
        return expression_literal(self.result)


FUNCTIONS: tuple[Entry, ...] = (
    # --- String ----------------------------------------------------------------------------
    Entry(
        "String.append",
        "String.append(text, suffix)",
        "The text followed by the suffix.",
        'String.append("This is", " a test")',
        "This is a test",
    ),
    Entry(
        "String.join",
        "String.join(separator, value, ...)",
        "The values joined by the separator; arrays contribute their elements, nulls are skipped.",
        'String.join(",", "This", "is", "a", "test")',
        "This,is,a,test",
    ),
    Entry(
        "String.len",
        "String.len(text)",
        "The number of characters.",
        'String.len("This")',
        4,
    ),
    Entry(
        "String.removeSpaces",
        "String.removeSpaces(text)",
        "The text without space characters.",
        'String.removeSpaces("This is a test")',
        "Thisisatest",
    ),
    Entry(
        "String.replace",
        "String.replace(text, match, replacement)",
        "Every occurrence of match (plain text, not a pattern) replaced.",
        'String.replace("This is a test", "is", "at")',
        "That at a test",
    ),
    Entry(
        "String.replaceFirst",
        "String.replaceFirst(text, match, replacement)",
        "The first occurrence of match replaced.",
        'String.replaceFirst("This is a test", "is", "at")',
        "That is a test",
    ),
    Entry(
        "String.stringContains",
        "String.stringContains(text, part)",
        "Whether the text contains part (case-sensitive).",
        'String.stringContains("This is a test", "test")',
        True,
    ),
    Entry(
        "String.stringSwitch",
        "String.stringSwitch(text, default, key, value, ...)",
        "The value of the first key contained in the text, else the default.",
        'String.stringSwitch("First match wins", "default", "absent", "v1", "wins", "v2")',
        "v2",
    ),
    Entry(
        "String.substring",
        "String.substring(text, start, end)",
        "Characters from start (inclusive) to end (exclusive), counted from 0.",
        'String.substring("This is a test", 2, 9)',
        "is is a",
    ),
    Entry(
        "String.substringAfter",
        "String.substringAfter(text, separator)",
        'The text after the first separator ("" when absent).',
        'String.substringAfter(user.email, "@")',
        "example.com",
    ),
    Entry(
        "String.substringBefore",
        "String.substringBefore(text, separator)",
        "The text before the first separator (all of it when absent).",
        'String.substringBefore(user.email, "@")',
        "ada",
    ),
    Entry(
        "String.toUpperCase",
        "String.toUpperCase(text)",
        "The text in upper case.",
        'String.toUpperCase("This")',
        "THIS",
    ),
    Entry(
        "String.toLowerCase",
        "String.toLowerCase(text)",
        "The text in lower case.",
        'String.toLowerCase("This")',
        "this",
    ),
    # --- Arrays ----------------------------------------------------------------------------
    Entry(
        "Arrays.add",
        "Arrays.add(array, value)",
        "A new array with the value appended.",
        "Arrays.add({10, 20, 30}, 40)",
        [10, 20, 30, 40],
    ),
    Entry(
        "Arrays.remove",
        "Arrays.remove(array, value)",
        "A new array without any element equal to the value.",
        "Arrays.remove({10, 20, 30}, 20)",
        [10, 30],
    ),
    Entry(
        "Arrays.clear",
        "Arrays.clear(array)",
        "An empty array.",
        "Arrays.clear({10, 20, 30})",
        [],
    ),
    Entry(
        "Arrays.get",
        "Arrays.get(array, index)",
        "The element at index (from 0); null when out of range.",
        'Arrays.get({"a", "b", "c"}, 1)',
        "b",
    ),
    Entry(
        "Arrays.flatten",
        "Arrays.flatten(value, ...)",
        "All values in one flat array, nested arrays unpacked, nulls left out.",
        "Arrays.flatten(10, {20}, {{30}, 40})",
        [10, 20, 30, 40],
    ),
    Entry(
        "Arrays.contains",
        "Arrays.contains(array, value)",
        "Whether an element equals the value.",
        'Arrays.contains(access.scope, "email")',
        True,
    ),
    Entry(
        "Arrays.size",
        "Arrays.size(array)",
        "The number of elements (0 for null).",
        "Arrays.size({10, 20, 30})",
        3,
    ),
    Entry(
        "Arrays.isEmpty",
        "Arrays.isEmpty(array)",
        "Whether the array (or text) is empty or null.",
        "Arrays.isEmpty({})",
        True,
    ),
    Entry(
        "Arrays.toCsvString",
        "Arrays.toCsvString(array)",
        "The elements joined by commas.",
        'Arrays.toCsvString({"This", "is", " a ", "test"})',
        "This,is, a ,test",
    ),
    # --- Convert ---------------------------------------------------------------------------
    Entry(
        "Convert.toInt",
        "Convert.toInt(value)",
        "A whole number from text or a number; decimals round half up.",
        'Convert.toInt("1234")',
        1234,
    ),
    Entry(
        "Convert.toNum",
        "Convert.toNum(value)",
        "A decimal number from text or a number.",
        'Convert.toNum("1234.56")',
        1234.56,
    ),
    # --- Time ------------------------------------------------------------------------------
    Entry(
        "Time.now",
        "Time.now()",
        "The current time, ISO 8601 in UTC with milliseconds.",
        "Time.now()",
        "2024-05-01T12:00:00.123Z",
    ),
    Entry(
        "Time.fromUnixToIso8601",
        "Time.fromUnixToIso8601(seconds)",
        "ISO 8601 (UTC) from Unix seconds.",
        "Time.fromUnixToIso8601(1714564800)",
        "2024-05-01T12:00:00.000Z",
    ),
    Entry(
        "Time.fromIso8601ToUnix",
        "Time.fromIso8601ToUnix(text)",
        "Unix seconds from ISO 8601 (no offset means UTC).",
        'Time.fromIso8601ToUnix("2024-05-01T12:00:00Z")',
        1714564800,
    ),
    # --- Groups ----------------------------------------------------------------------------
    Entry(
        "isMemberOfGroupName",
        "isMemberOfGroupName(name)",
        "Whether the user is in the group of exactly this name (case-sensitive).",
        'user.isMemberOfGroupName("engineering") ? "eng" : "other"',
        "eng",
    ),
    Entry(
        "isMemberOfGroupNameStartsWith",
        "isMemberOfGroupNameStartsWith(prefix)",
        "Whether a group name of the user starts with the prefix (ignoring case).",
        'isMemberOfGroupNameStartsWith("ENG")',
        True,
    ),
    Entry(
        "isMemberOfGroupNameContains",
        "isMemberOfGroupNameContains(part)",
        "Whether a group name of the user contains the part (ignoring case).",
        'isMemberOfGroupNameContains("back")',
        True,
    ),
    Entry(
        "isMemberOfGroupNameRegex",
        "isMemberOfGroupNameRegex(pattern)",
        "Whether a whole group name matches the RE2 pattern; (?i) ignores case.",
        'isMemberOfGroupNameRegex("eng-[a-z]+")',
        True,
    ),
    Entry(
        "isMemberOfAnyGroup",
        "isMemberOfAnyGroup(id, ...)",
        "Whether the user is in any group with one of these ids (arrays accepted).",
        "isMemberOfAnyGroup(3, 99)",
        True,
    ),
    Entry(
        "Groups.startsWith",
        "Groups.startsWith(source, prefix, limit)",
        'Names of the user\'s groups starting with prefix (ignoring case); source "OKTA".',
        'Groups.startsWith("OKTA", "eng", 10)',
        ["engineering", "eng-backend"],
    ),
    Entry(
        "Groups.contains",
        "Groups.contains(source, part, limit)",
        "Names of the user's groups containing part (ignoring case).",
        'Groups.contains("OKTA", "BACK", 10)',
        ["eng-backend"],
    ),
    Entry(
        "Groups.endsWith",
        "Groups.endsWith(source, suffix, limit)",
        "Names of the user's groups ending with suffix (ignoring case).",
        'Groups.endsWith("OKTA", "ing", 10)',
        ["engineering"],
    ),
    Entry(
        "getFilteredGroups",
        "getFilteredGroups(allowList, attribute, limit)",
        'The user\'s groups whose id or name is in allowList, as "group.name" or "group.id", '
        "in allow-list order.",
        'getFilteredGroups({"Sales", 1, "Finance"}, "group.name", 10)',
        ["Sales", "engineering"],
    ),
)

# The operators, with the same guarantee as the functions.
SYNTAX: tuple[Entry, ...] = (
    Entry(
        "string",
        "\"text\" or 'text'",
        "Escapes: \\\" \\' \\\\ \\n \\t \\uXXXX.",
        '"It\'s" + \' "ok"\'',
        'It\'s "ok"',
    ),
    Entry("number", "42, 3.14", "Whole and decimal numbers.", "40 + 2.5", 42.5),
    Entry("array", '{"a", "b"}', "An array literal (Okta's braces).", '{"a", "b"}', ["a", "b"]),
    Entry(
        "property",
        "a.b.c",
        "Reads a property; missing keys and null give null.",
        "app.profile.label",
        "Staff portal",
    ),
    Entry(
        "missing",
        "a.missing.deeper",
        "A missing key is null, and so is anything read from null.",
        "app.profile.missing.deeper",
        None,
    ),
    Entry(
        "+",
        "a + b",
        "Joins text when either side is text; adds numbers; joins arrays.",
        'user.firstName + " " + user.lastName',
        "Ada Lovelace",
    ),
    Entry(
        "- * / %",
        "a - b, a * b, a / b, a % b",
        "Arithmetic; whole-number / and % truncate like Java.",
        "7 / 2 + 7 % 2 * 10",
        13,
    ),
    Entry(
        "== !=",
        "a == b, a != b",
        "Equality of any values; different types are unequal.",
        '"1" == 1',
        False,
    ),
    Entry(
        "< > <= >=",
        "a < b, a > b, a <= b, a >= b",
        "Order of two numbers or two texts.",
        '"abc" < "abd"',
        True,
    ),
    Entry(
        "&& || !",
        "a && b, a || b, !a",
        "Logic on booleans (null counts as false), short-circuit.",
        "true && !false",
        True,
    ),
    Entry(
        "AND OR",
        "a AND b, a OR b",
        "Same as && and ||, any letter case.",
        "false or true AND true",
        True,
    ),
    Entry(
        "?:",
        "c ? a : b",
        "a when c is true, else b.",
        'access.grantType == "authorization_code" ? "user" : "client"',
        "user",
    ),
)
