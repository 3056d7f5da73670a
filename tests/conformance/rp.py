"""A relying party of the OpenID Foundation's OP test plans: Authlib for the protocol, joserfc
for signatures against the published JWKS, Authlib's ID-token rules (nonce, at_hash, c_hash,
auth_time with max_age) for the claims, the real login and consent forms for the user."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core.claims import CodeIDToken, HybridIDToken, ImplicitIDToken
from joserfc import jwt

from tests.e2e.browser import Browser, parse_forms, track
from tests.e2e.oidc import Provider

# The response types of the plans and the ID-token rules Authlib applies to each.
ID_TOKEN_RULES = {
    "code": CodeIDToken,
    "id_token": ImplicitIDToken,
    "id_token token": ImplicitIDToken,
    "code id_token": HybridIDToken,
    "code token": HybridIDToken,
    "code id_token token": HybridIDToken,
}


@dataclass
class User:
    username: str
    password: str


@dataclass
class AuthorizationResult:
    """What came back to the client's redirect URI, and which pages the user saw on the way."""

    redirect: str
    params: dict[str, str]
    pages: list[str] = field(default_factory=list)
    # The page the user was left on when the OP did not redirect back (an error page).
    page: requests.Response | None = None

    @property
    def saw_login(self) -> bool:
        return "login" in self.pages

    @property
    def saw_consent(self) -> bool:
        return "consent" in self.pages


@dataclass
class RelyingParty:
    """One registered client of the OP, as the conformance suite registers it."""

    provider: Provider
    client_id: str
    client_secret: str
    redirect_uri: str
    auth_method: str = "client_secret_basic"
    response_type: str = "code"

    # --- Authorization endpoint ---------------------------------------------------------

    def browser(self) -> Browser:
        """A user agent with its own cookies that stops at the redirect to this client."""
        return Browser(self.provider.base_url, stop_at=self.redirect_uri)

    def sign_in(self, user: User, browser: Browser) -> None:
        """Sign ``user`` in through the OP's login page, outside any authorization request."""
        page = browser.get("/accounts/login/")
        assert not isinstance(page, str) and 'name="password"' in page.text
        submit_login(browser, page, user)
        assert browser.session.cookies.get("sessionid"), "the login did not start a session"

    def authorization_url(self, **params: str | None) -> str:
        """The authorization URL with the plan's defaults (scope openid, a state, a nonce);
        a parameter given as None is left out."""
        query = {
            "response_type": self.response_type,
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid",
            "state": secrets.token_urlsafe(8),
            "nonce": secrets.token_urlsafe(12),
            **params,
        }
        query = {name: value for name, value in query.items() if value is not None}
        return f"{self.provider.metadata['authorization_endpoint']}?{urlencode(query)}"

    def authorize(
        self,
        user: User | None,
        browser: Browser | None = None,
        *,
        consent: bool = True,
        allow_page: bool = False,
        **params: str | None,
    ) -> AuthorizationResult:
        """Open the authorization URL; sign in as ``user`` when asked and answer the consent
        page (allow unless ``consent`` is false). Returns the redirect to the client, or with
        ``allow_page`` the page the OP answered with instead."""
        browser = browser or self.browser()
        pages: list[str] = []
        result = browser.get(self.authorization_url(**params))
        for _ in range(4):
            if isinstance(result, str):
                return AuthorizationResult(result, response_parameters(result), pages)
            if 'name="password"' in result.text:
                assert user is not None, f"unexpected login page at {result.url}"
                pages.append("login")
                result = submit_login(browser, result, user)
            elif 'name="allow"' in result.text:
                pages.append("consent")
                result = browser.submit(result, {}, button="allow" if consent else None)
            elif allow_page:
                return AuthorizationResult("", {}, pages, page=result)
            else:
                break
        raise AssertionError(
            f"no redirect to the client: {result.status_code} {result.text[:1500]}"
        )

    # --- Token endpoint -----------------------------------------------------------------

    def session(self, **kwargs: Any) -> OAuth2Session:
        return track(
            OAuth2Session(
                self.client_id,
                self.client_secret,
                token_endpoint_auth_method=self.auth_method,
                redirect_uri=self.redirect_uri,
                **kwargs,
            )
        )

    def exchange(self, code: str, **data: str) -> dict[str, Any]:
        """Redeem ``code`` at the token endpoint with this client's authentication method."""
        token = self.session().fetch_token(
            self.provider.metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            **data,
        )
        return dict(token)

    def token_request(self, **data: str) -> requests.Response:
        """A raw token request authenticated by this client's method; the response as is."""
        auth = None
        if self.auth_method == "client_secret_basic":
            auth = (self.client_id, self.client_secret)
        else:
            data = {"client_id": self.client_id, "client_secret": self.client_secret, **data}
        return requests.post(
            self.provider.metadata["token_endpoint"], data=data, auth=auth, timeout=30
        )

    # --- Tokens -------------------------------------------------------------------------

    def verify_id_token(
        self,
        id_token: str,
        *,
        nonce: str | None = None,
        response_type: str | None = None,
        access_token: str | None = None,
        code: str | None = None,
        max_age: int | None = None,
    ) -> dict[str, Any]:
        """Verify the signature against the JWKS, then every rule of Core 3.1.3.7, 3.2.2.11
        and 3.3.2.12 for the response type: iss, aud, azp, exp, iat, nonce, at_hash, c_hash,
        auth_time when max_age was sent. Returns the claims."""
        decoded = jwt.decode(id_token, self.provider.key_set())
        assert (
            decoded.header["alg"] in self.provider.metadata["id_token_signing_alg_values_supported"]
        )
        rules = ID_TOKEN_RULES[response_type or self.response_type]
        claims = rules(
            decoded.claims,
            decoded.header,
            options={
                "iss": {"essential": True, "value": self.provider.issuer},
                "aud": {"essential": True, "value": self.client_id},
            },
            params={
                "nonce": nonce,
                "client_id": self.client_id,
                "access_token": access_token,
                "code": code,
                "max_age": max_age,
            },
        )
        claims.validate()
        return dict(claims)

    def userinfo(self, access_token: str, method: str = "get") -> requests.Response:
        """Userinfo with the access token in the header (GET or POST) or the form body."""
        endpoint = self.provider.metadata["userinfo_endpoint"]
        header = {"Authorization": f"Bearer {access_token}"}
        if method == "get":
            return requests.get(endpoint, headers=header, timeout=30)
        if method == "post-header":
            return requests.post(endpoint, headers=header, timeout=30)
        return requests.post(endpoint, data={"access_token": access_token}, timeout=30)


def submit_login(browser: Browser, page: requests.Response, user: User) -> Any:
    """Submit the login form of ``page`` (a signed-in user's page also has a logout form)."""
    forms = parse_forms(page.text)
    index = next(i for i, form in enumerate(forms) if "password" in form.fields)
    values = {"username": user.username, "password": user.password}
    return browser.submit(page, values, form_index=index)


def response_parameters(redirect: str) -> dict[str, str]:
    """The parameters of an authorization response, from its query and its fragment."""
    parts = urlsplit(redirect)
    params = {name: values[0] for name, values in parse_qs(parts.query).items()}
    params.update({name: values[0] for name, values in parse_qs(parts.fragment).items()})
    return params
