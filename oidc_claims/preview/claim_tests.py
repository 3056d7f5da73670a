"""Running claim tests: each test's expectations checked against the token preview's payloads.

The payloads come from :func:`oidc_claims.preview.build.build_preview`, which composes the builders
of real issuance; nothing here computes a claim.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from oidc_claims.expressions.safe_regex import RegexSyntaxError, compile_safe_regex
from oidc_claims.models.claim_tests import (
    ABSENT,
    CONTAINS,
    EQUALS,
    MATCHES,
    ClaimTest,
    expectation_problems,
)
from oidc_claims.oauth.account_status import is_deactivated
from oidc_claims.preview.build import build_preview

PASSED, FAILED, ERROR = "passed", "failed", "error"
DESTINATION_LABELS = {
    "id_token": "ID token",
    "access_token": "access token",
    "userinfo": "userinfo response",
    "introspection": "introspection response",
}


@dataclass
class ExpectationResult:
    """One expectation and what the payload held: ``actual`` is None when ``present`` is false."""

    destination: str
    claim: str
    operator: str
    value: Any
    passed: bool
    present: bool
    actual: Any
    message: str


@dataclass
class ClaimTestResult:
    """The outcome of one test. ``status`` is passed, failed (an expectation does not hold, or
    a real request would differ from the preview: ``problems``) or error (the test cannot run:
    its user or application is gone, or its inputs are refused)."""

    test_id: int
    name: str
    status: str
    problems: list[str] = field(default_factory=list)
    expectations: list[ExpectationResult] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def failures(self) -> list[ExpectationResult]:
        return [result for result in self.expectations if not result.passed]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClaimTestReport:
    """The outcome of a run; ``ok`` when every test passed (an empty run is ok)."""

    results: list[ClaimTestResult]

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def ok(self) -> bool:
        return all(result.passed for result in self.results)

    def by_id(self) -> dict[int, ClaimTestResult]:
        return {result.test_id: result for result in self.results}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "total": len(self.results),
            "passed": self.count(PASSED),
            "failed": self.count(FAILED),
            "errors": self.count(ERROR),
            "results": [result.as_dict() for result in self.results],
        }


def enabled_tests() -> list[ClaimTest]:
    """The tests a run without a selection runs: the enabled ones, by name."""
    return list(ClaimTest.objects.filter(enabled=True).select_related("user", "application"))


def run_claim_tests(
    tests: Iterable[ClaimTest] | None = None, *, request: Any = None
) -> ClaimTestReport:
    """Run ``tests`` (default: every enabled test) against the configuration the database holds
    for this thread (a pending change included). ``request`` is the Django request the issuer
    is derived from when ``OIDC_ISS_ENDPOINT`` is not set, as for the preview."""
    selected = enabled_tests() if tests is None else list(tests)
    return ClaimTestReport([run_claim_test(test, request=request) for test in selected])


def run_claim_test(test: ClaimTest, *, request: Any = None) -> ClaimTestResult:
    """One test's result; never raises for the test's own inputs."""
    result = ClaimTestResult(test_id=test.pk, name=test.name, status=PASSED)
    application, user = test.application, test.user
    result.inputs = {
        "application": application.client_id if application is not None else None,
        "user": user.get_username() if user is not None else None,
        "grant_type": test.grant_type,
        "scopes": list(test.scopes),
        "claims": test.claims_parameter,
    }
    if application is None:
        result.problems.append(
            "The test's application was deleted; choose another application for the test."
        )
    if user is None and test.grant_type != "client_credentials":
        result.problems.append(
            f"The test has no user (it was deleted); the {test.grant_type} grant needs one. "
            "Choose a user for the test."
        )
    # Rows written past validation (SQL, an older version) are reported, not run.
    result.problems.extend(expectation_problems(test.expectations))
    if result.problems:
        result.status = ERROR
        return result
    try:
        preview = build_preview(
            application,
            test.grant_type,
            user,
            list(test.scopes),
            test.claims_parameter,
            request=request,
        )
    except OAuth2Error as exc:  # the claims parameter, refused as at /authorize
        result.problems.append(f"The claims parameter is refused: {exc.description}")
    except ValueError as exc:
        result.problems.append(str(exc))
    if result.problems:
        result.status = ERROR
        return result
    if test.grant_type != "client_credentials" and is_deactivated(user):
        result.problems.append(
            f"User {user.get_username()!r} is deactivated: a real token request would be refused."
        )
    # A warning means a real request would not get what the preview shows (refused, or
    # issued without the configured claims): the test cannot vouch for real tokens.
    result.problems.extend(preview["warnings"])
    result.expectations = [
        check_expectation(preview[expectation["destination"]], expectation)
        for expectation in test.expectations
    ]
    if result.problems or result.failures():
        result.status = FAILED
    return result


def check_expectation(panel: dict[str, Any], expectation: dict[str, Any]) -> ExpectationResult:
    """``expectation`` checked against a preview panel (see ``build_preview``)."""
    destination, claim, operator = (
        expectation["destination"],
        expectation["claim"],
        expectation["operator"],
    )
    expected = expectation.get("value")
    label = DESTINATION_LABELS[destination]
    payload = panel["payload"]

    def outcome(passed: bool, message: str, present: bool = False, actual: Any = None) -> Any:
        return ExpectationResult(
            destination, claim, operator, expected, passed, present, actual, message
        )

    if panel["status"] == "refused":
        return outcome(False, f"The {label} is refused: {panel['note']}")
    if payload is None:
        note = panel["note"] or f"The {label} has no claims to read."
        return outcome(operator == ABSENT, note)
    if claim not in payload:
        if operator == ABSENT:
            return outcome(True, "absent")
        return outcome(False, f"expected {_describe(operator, expected)}; the claim is absent")
    actual = payload[claim]
    passed, message = _compare(operator, expected, actual)
    return outcome(passed, message, present=True, actual=actual)


def _compare(operator: str, expected: Any, actual: Any) -> tuple[bool, str]:
    found = f"found {_json(actual)}"
    if operator == ABSENT:
        return False, f"expected no such claim; {found}"
    if operator == EQUALS:
        return same_json(expected, actual), f"expected {_json(expected)}; {found}"
    if operator == CONTAINS:
        if isinstance(actual, list):
            passed = any(same_json(expected, item) for item in actual)
        elif isinstance(actual, str) and isinstance(expected, str):
            passed = expected in actual
        else:
            return False, f"expected a list or text containing {_json(expected)}; {found}"
        return passed, f"expected an item {_json(expected)}; {found}"
    if operator == MATCHES:
        if not isinstance(actual, str):
            return False, f"expected text matching {_json(expected)}; {found}"
        try:
            pattern = compile_safe_regex(expected)
        except RegexSyntaxError as exc:  # stored before validation was stricter
            return False, f"invalid regular expression: {exc}"
        return pattern.search(actual) is not None, f"expected a match of {_json(expected)}; {found}"
    raise ValueError(f"Unknown operator {operator!r}.")


def _describe(operator: str, expected: Any) -> str:
    return {
        EQUALS: f"{_json(expected)}",
        CONTAINS: f"an item {_json(expected)}",
        MATCHES: f"a match of {_json(expected)}",
    }[operator]


def same_json(expected: Any, actual: Any) -> bool:
    """JSON equality: ``true`` is not ``1``, ``"1"`` is not ``1``; ``1`` is ``1.0``."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers):
        return expected == actual
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, list):
        return len(expected) == len(actual) and all(map(same_json, expected, actual))
    if isinstance(expected, dict):
        return expected.keys() == actual.keys() and all(
            same_json(expected[key], actual[key]) for key in expected
        )
    return expected == actual


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
