"""The claim-test report of ``test_claims``: readable text, and JUnit XML for CI servers."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from oidc_claims.preview.claim_tests import ERROR, FAILED, PASSED, ClaimTestReport, ClaimTestResult

SUITE_NAME = "oidc_claims.models.claim_tests"
_MARKS = {PASSED: "PASS ", FAILED: "FAIL ", ERROR: "ERROR"}


def text_report(report: ClaimTestReport) -> list[str]:
    """One line per test, the failed expectations and problems under it, then a summary."""
    lines = []
    for result in report.results:
        lines.append(f"{_MARKS[result.status]} {result.name}")
        lines.extend(f"        {line}" for line in failure_lines(result))
    lines.append(
        f"{len(report.results)} claim test(s): {report.count(PASSED)} passed, "
        f"{report.count(FAILED)} failed, {report.count(ERROR)} error(s)."
    )
    return lines


def failure_lines(result: ClaimTestResult) -> list[str]:
    """What went wrong in ``result``: its problems, then each expectation that does not hold."""
    lines = [f"problem: {problem}" for problem in result.problems]
    for failure in result.failures():
        value = "" if failure.operator == "absent" else f" {_json(failure.value)}"
        lines.append(
            f"{failure.destination} {failure.claim!r} {failure.operator}{value}: {failure.message}"
        )
    return lines


def junit_xml(report: ClaimTestReport) -> bytes:
    """The report as a JUnit XML document (one testsuite, one testcase per claim test)."""
    suites = ElementTree.Element("testsuites")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=SUITE_NAME,
        tests=str(len(report.results)),
        failures=str(report.count(FAILED)),
        errors=str(report.count(ERROR)),
        skipped="0",
    )
    for result in report.results:
        case = ElementTree.SubElement(suite, "testcase", classname=SUITE_NAME, name=result.name)
        if result.status != PASSED:
            details = failure_lines(result)
            tag = "error" if result.status == ERROR else "failure"
            element = ElementTree.SubElement(case, tag, message=details[0] if details else "")
            element.text = "\n".join(details)
        ElementTree.SubElement(case, "system-out").text = _json(
            {"inputs": result.inputs, "expectations": [vars(e) for e in result.expectations]}
        )
    return ElementTree.tostring(suites, encoding="utf-8", xml_declaration=True)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
