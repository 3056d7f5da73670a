"""A scripted user agent: follows redirects and submits the IdP's real HTML forms over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

_open_sessions: list[requests.Session] = []


def track(session: requests.Session) -> requests.Session:
    """Remember ``session`` so that the test's teardown closes its kept-alive connections.

    A connection left open would be closed by the live server after the server's database
    connection is gone. (Sending ``Connection: close`` instead makes Django's development
    server drop some POST requests without a response.)
    """
    _open_sessions.append(session)
    return session


def close_sessions() -> None:
    while _open_sessions:
        _open_sessions.pop().close()


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    submits: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(action=attributes.get("action", ""), method=attributes.get("method", "get"))
            )
        elif self.forms and tag in ("input", "button", "textarea", "select"):
            name = attributes.get("name")
            if not name:
                return
            kind = attributes.get("type", "submit" if tag == "button" else "text").lower()
            if kind == "submit":
                self.forms[-1].submits[name] = attributes.get("value", "")
            elif kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            else:
                self.forms[-1].fields[name] = attributes.get("value", "")


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class Browser:
    """Follows redirects by hand, so that the final redirect to a client is observed, not taken."""

    def __init__(self, base_url: str, stop_at: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = track(requests.Session())
        self.stop_at = stop_at  # a redirect to a URL starting with this is returned, not followed
        self.last_response: requests.Response | None = None

    def _follow(self, response: requests.Response, max_hops: int = 10) -> requests.Response | str:
        for _ in range(max_hops):
            self.last_response = response
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            location = urljoin(response.url, response.headers["Location"])
            if self.stop_at and location.startswith(self.stop_at):
                return location
            response = self.session.get(location, allow_redirects=False, timeout=30)
        raise AssertionError(f"too many redirects from {response.url}")

    def get(self, url: str) -> requests.Response | str:
        return self._follow(
            self.session.get(urljoin(self.base_url + "/", url), allow_redirects=False, timeout=30)
        )

    def submit(
        self,
        page: requests.Response,
        values: dict[str, str],
        *,
        form_index: int = 0,
        button: str | None = None,
    ) -> requests.Response | str:
        forms = parse_forms(page.text)
        assert forms, f"no form on {page.url}"
        form = forms[form_index]
        data = {**form.fields, **values}
        if button is not None:
            data[button] = form.submits.get(button, "")
        action = urljoin(page.url, form.action or page.url)
        assert urlsplit(action).netloc == urlsplit(self.base_url).netloc, "form posts off-site"
        response = self.session.request(
            form.method.upper(),
            action,
            data=data,
            allow_redirects=False,
            timeout=30,
            headers={"Referer": page.url},
        )
        return self._follow(response)

    def authorize(self, authorize_url: str, username: str, password: str) -> str:
        """Open an authorization URL, sign in, consent; return the redirect to the client."""
        result = self.get(authorize_url)
        if isinstance(result, str):
            return result
        if 'name="password"' in result.text:
            result = self.submit(result, {"username": username, "password": password})
            if isinstance(result, str):
                return result
        assert 'name="allow"' in result.text, (
            f"expected the consent form at {result.url}:\n{result.text[:2000]}"
        )
        result = self.submit(result, {}, button="allow")
        assert isinstance(result, str), (
            f"no redirect to the client after consent: {result.status_code} {result.text[:2000]}"
        )
        return result
