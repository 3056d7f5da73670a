"""Every routed URL pattern, and hypothesis strategies for malformed and unexpected requests to it.

The routes come from walking the URL resolver of the site under test, so a route added to
the example project (or to DOT's urls) is covered without a change here.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import assume
from hypothesis import strategies as st

# Characters a request can carry: no surrogates, which no encoding on the wire can produce.
TEXT = st.characters(codec="utf-8")
# WSGI hands header bytes to Django as latin-1 characters.
HEADER_TEXT = st.text(st.characters(codec="latin-1"), max_size=40)

HUGE = "A" * 100_000
# Beyond DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): Django refuses to read it.
OVERSIZED_BODY = b"token=" + b"x" * 3_000_000

NASTY_VALUES = [
    "",
    "\x00",
    "a\x00b",
    "é",
    "\xff",
    "\u202e",
    "\ufeff",
    "%00",
    "%ff",
    "%",
    "9" * 25,
    "-1",
    "0",
    "1.5",
    "1e400",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    '{"userinfo": {"email": null}}',
    '{"id_token": []}',
    "' OR 1=1 --",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "${7*7}",
    "https://evil.example/",
    "javascript:alert(1)",
    HUGE,
]

# Parameter names that the site's endpoints read (OAuth, OpenID Connect, admin, API).
PARAMETER_NAMES = [
    "client_id",
    "client_secret",
    "redirect_uri",
    "response_type",
    "response_mode",
    "scope",
    "state",
    "nonce",
    "prompt",
    "max_age",
    "claims",
    "request",
    "request_uri",
    "id_token_hint",
    "login_hint",
    "ui_locales",
    "post_logout_redirect_uri",
    "code",
    "code_challenge",
    "code_challenge_method",
    "code_verifier",
    "grant_type",
    "refresh_token",
    "token",
    "token_type_hint",
    "resource",
    "audience",
    "username",
    "password",
    "device_code",
    "user_code",
    "allow",
    "next",
    "q",
    "o",
    "p",
    "e",
    "all",
    "_changelist_filters",
    "_popup",
    "_to_field",
    "action",
    "_selected_action",
    "select_across",
    "index",
    "post",
    "application",
    "user",
    "scopes",
    "grant",
    "expression",
    "value",
    "name",
    "value_type",
    "dry_run",
    "destination",
    "enabled",
    "format",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "page",
]

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND"]

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=bogus",
    "application/json",
    "application/json; charset=utf-16",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "application/xml",
    "",
    "\xff/\xfe",
]


@dataclass(frozen=True)
class Route:
    """A routed URL pattern: its full regular expression and, if named, how to reverse it."""

    regex: str
    name: str | None
    view: str
    groups: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.regex} ({self.view})"


def routed_patterns() -> list[Route]:
    """Every URL pattern of the root URLconf that a request can reach (first match wins)."""
    routes: dict[str, Route] = {}
    for regex, name, view in _walk(get_resolver(), "", None):
        routes.setdefault(regex, Route(regex, name, view, tuple(re.compile(regex).groupindex)))
    return list(routes.values())


def _walk(resolver: URLResolver, prefix: str, namespace: str | None):
    for pattern in resolver.url_patterns:
        regex = prefix + pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern, regex, joined)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield "^" + regex, name, pattern.lookup_str


def _quoted(path: str, encoding: str) -> str:
    try:
        raw = path.encode(encoding)
    except UnicodeEncodeError:
        raw = path.encode("utf-8")
    return quote(raw, safe="/")


@st.composite
def paths(draw: Any, route: Route, known_values: list[str]) -> str:
    """A path the route matches: from its regular expression (any characters, absurd ids),
    or reversed with values that exist (primary keys, client ids) or are absurd."""
    if route.groups and route.name and draw(st.booleans()):
        kwargs = {group: draw(st.sampled_from(known_values)) for group in route.groups}
        try:
            return reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:
            assume(False)
    path = draw(st.from_regex(route.regex, fullmatch=True, alphabet=TEXT))
    # latin-1 percent-encoding gives bytes that are not UTF-8.
    return "/" + _quoted(path, draw(st.sampled_from(["utf-8", "latin-1"])))


def _values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY_VALUES), st.text(TEXT, max_size=30))


def _pairs(known_values: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    names = st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(TEXT, max_size=8))
    values = st.one_of(_values(), st.sampled_from(known_values))
    return st.lists(st.tuples(names, values), max_size=4)


@st.composite
def parameters(draw: Any, world: Any) -> list[tuple[str, str]]:
    """A valid parameter set of the world (an authorization request, a code exchange, ...)
    with parameters dropped, replaced and added; or random parameters alone."""
    params = dict(draw(st.sampled_from(world.parameter_sets)))
    for name in draw(st.lists(st.sampled_from(sorted(params)), max_size=2)) if params else ():
        params.pop(name, None)
    pairs = list(params.items())
    for name, value in draw(_pairs(world.known_values)):
        if name in params and draw(st.booleans()):
            pairs = [(n, value if n == name else v) for n, v in pairs]
        else:
            pairs.append((name, value))  # a new parameter, or a repeated one
    return pairs


def query_strings(world: Any) -> st.SearchStrategy[str]:
    raw = st.text(st.characters(codec="latin-1"), max_size=40)
    encoded = parameters(world).map(urlencode)
    return st.one_of(st.just(""), encoded, raw, encoded.map(lambda q: q + "&%zz=%&=&&a"))


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        _values(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.one_of(st.sampled_from(PARAMETER_NAMES), _values()), inner, max_size=4
            ),
        ),
        max_leaves=12,
    )


@st.composite
def _json_documents(draw: Any, world: Any) -> Any:
    """A valid JSON body of the world (a claim, an import, a preview) with members replaced,
    or any JSON value."""
    if draw(st.booleans()):
        return draw(_json_values())
    document = dict(draw(st.sampled_from(world.json_documents)))
    for name in draw(st.lists(st.sampled_from([*document, *PARAMETER_NAMES]), max_size=3)):
        document[name] = draw(_json_values())
    return document


def bodies(world: Any) -> st.SearchStrategy[bytes]:
    form = parameters(world).map(urlencode)
    return st.one_of(
        st.just(b""),
        form.map(lambda body: body.encode()),
        form.map(lambda body: body.encode("latin-1", "replace")),
        _json_documents(world).map(lambda value: json.dumps(value).encode()),
        st.binary(max_size=64),
        st.just(b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--xyz--'),
        st.just(b"--xyz\r\nbroken"),
        st.just(OVERSIZED_BODY),
    )


def _basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode()


def authorizations(credentials: dict[str, str]) -> st.SearchStrategy[str | None]:
    """Valid credentials of the test world, and malformed Basic and Bearer variants."""
    return st.one_of(
        st.none(),
        st.sampled_from(list(credentials.values())),
        st.sampled_from(
            [
                "Basic \xff\xfe",
                "Basic !!!",
                "Basic",
                "Basic ",
                "basic " + base64.b64encode(b"a:b").decode(),
                _basic(b"no-colon"),
                _basic(b"\xff\xfe:\x00"),
                _basic(b"a%zz:%"),
                _basic(b"a%00:b"),
                _basic(HUGE.encode()),
                "Bearer",
                "Bearer \xff",
                "Bearer \x00",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
                "Bearer a.b.c",
                "Bearer " + HUGE,
                "Bearer a b c",
                "Digest username=x",
            ]
        ),
        HEADER_TEXT,
    )


@st.composite
def requests(draw: Any, route: Route, world: Any) -> dict[str, Any]:
    """Keyword arguments for Django's ``Client.generic()``."""
    extra: dict[str, Any] = {}
    authorization = draw(authorizations(world.credentials))
    if authorization is not None:
        extra["HTTP_AUTHORIZATION"] = authorization
    for header, choices in (
        ("HTTP_ORIGIN", ["https://spa.example.com", "null", "https://evil.example", "\xff"]),
        ("HTTP_ACCEPT", ["application/json", "text/html", "*/*", "application/jwt", "\xff"]),
        ("HTTP_ACCEPT_LANGUAGE", ["de", "zz-ZZ", "\xff;q=x", "*"]),
        ("HTTP_HOST", ["testserver", "evil.example", "[::1]:8000", "ex\xe4mple", "a" * 300]),
        ("HTTP_X_REQUESTED_WITH", ["XMLHttpRequest"]),
        ("HTTP_COOKIE", ["csrftoken=\xff; sessionid=\x00", "sessionid=" + "9" * 40]),
    ):
        if draw(st.integers(0, 3)) == 0:
            extra[header] = draw(st.sampled_from(choices))
    return {
        "method": draw(st.sampled_from(METHODS)),
        "path": draw(paths(route, world.known_values)),
        "data": draw(bodies(world)),
        "content_type": draw(st.one_of(st.sampled_from(CONTENT_TYPES), HEADER_TEXT)),
        "QUERY_STRING": draw(query_strings(world)),
        "identity": draw(st.sampled_from(sorted(world.clients))),
        **extra,
    }
