"""``manage.py test_claims``: the report, the exit status and the JUnit XML for CI."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oidc_claims.management.commands.test_claims import Command
from tests.factories import (
    ApplicationFactory,
    ClaimDefinitionFactory,
    ClaimTestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def gold(destination="id_token", value="gold"):
    return {"destination": destination, "claim": "tier", "operator": "equals", "value": value}


@pytest.fixture
def configured():
    ClaimDefinitionFactory(name="tier", value='"gold"', include_in_access_token=True)
    return ApplicationFactory(client_id="portal"), UserFactory(username="ada")


def run(*args):
    out = io.StringIO()
    call_command("test_claims", *args, stdout=out)
    return out.getvalue()


def exit_status(*args) -> int:
    """The status manage.py exits with (run_from_argv turns CommandError into sys.exit)."""
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    try:
        command.run_from_argv(["manage.py", "test_claims", *args])
    except SystemExit as exc:
        return exc.code
    return 0


def test_all_passing_exits_0_with_a_summary(configured):
    app, user = configured
    ClaimTestFactory(name="ada is gold", application=app, user=user, expectations=[gold()])
    assert run().splitlines() == [
        "PASS  ada is gold",
        "1 claim test(s): 1 passed, 0 failed, 0 error(s).",
    ]
    assert exit_status() == 0


def test_a_failure_exits_1_with_a_readable_report(configured):
    app, user = configured
    ClaimTestFactory(name="ada is gold", application=app, user=user, expectations=[gold()])
    ClaimTestFactory(
        name="ada is silver",
        application=app,
        user=user,
        expectations=[gold("access_token", "silver")],
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("test_claims", stdout=out)
    assert raised.value.returncode == 1
    assert str(raised.value) == "1 claim test(s) did not pass."
    assert out.getvalue().splitlines() == [
        "PASS  ada is gold",
        "FAIL  ada is silver",
        '        access_token \'tier\' equals "silver": expected "silver"; found "gold"',
        "2 claim test(s): 1 passed, 1 failed, 0 error(s).",
    ]
    assert exit_status() == 1


def test_a_broken_test_is_an_error_and_exits_1(configured):
    app, user = configured
    test = ClaimTestFactory(
        name="orphan", application=app, user=UserFactory(), expectations=[gold()]
    )
    test.user.delete()
    with pytest.raises(CommandError):
        run()
    assert exit_status() == 1


def test_named_tests_only_and_unknown_names_refused(configured):
    app, user = configured
    ClaimTestFactory(name="good", application=app, user=user, expectations=[gold()])
    ClaimTestFactory(name="bad", application=app, user=user, expectations=[gold(value="x")])
    assert "PASS  good" in run("good")
    with pytest.raises(CommandError, match="No claim test named 'nope'"):
        run("good", "nope")


def test_no_tests_pass(db):
    assert run() == "0 claim test(s): 0 passed, 0 failed, 0 error(s).\n"


def test_junit_xml_lists_every_test_with_its_failures(configured, tmp_path):
    app, user = configured
    ClaimTestFactory(name="ada is gold", application=app, user=user, expectations=[gold()])
    ClaimTestFactory(
        name="ada is silver",
        application=app,
        user=user,
        expectations=[gold("userinfo", "silver")],
    )
    orphan = ClaimTestFactory(
        name="orphan", application=app, user=UserFactory(), expectations=[gold()]
    )
    orphan.user.delete()
    path = tmp_path / "claims.xml"
    assert exit_status("--junit-xml", str(path)) == 1

    root = ElementTree.parse(path).getroot()
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    assert suite.attrib["tests"] == "3"
    assert suite.attrib["failures"] == "1"
    assert suite.attrib["errors"] == "1"
    cases = {case.attrib["name"]: case for case in suite.findall("testcase")}
    assert set(cases) == {"ada is gold", "ada is silver", "orphan"}
    assert cases["ada is gold"].find("failure") is None
    failure = cases["ada is silver"].find("failure")
    assert failure.attrib["message"] == (
        'userinfo \'tier\' equals "silver": expected "silver"; found "gold"'
    )
    assert "no user (it was deleted)" in cases["orphan"].find("error").text


def test_junit_xml_of_a_passing_run(configured, tmp_path):
    app, user = configured
    ClaimTestFactory(name="ada is gold", application=app, user=user, expectations=[gold()])
    path = tmp_path / "claims.xml"
    run("--junit-xml", str(path))
    suite = ElementTree.parse(path).getroot().find("testsuite")
    assert (suite.attrib["tests"], suite.attrib["failures"], suite.attrib["errors"]) == (
        "1",
        "0",
        "0",
    )


def test_an_unwritable_junit_path_is_a_clear_error(configured, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("--junit-xml", str(tmp_path / "missing" / "claims.xml"))


def test_the_issuer_follows_base_url_without_a_configured_issuer(configured):
    app, user = configured
    ClaimTestFactory(
        name="issuer",
        application=app,
        user=user,
        expectations=[
            {
                "destination": "id_token",
                "claim": "iss",
                "operator": "equals",
                "value": "https://idp.example.com/o",
            }
        ],
    )
    assert "PASS  issuer" in run("--base-url", "https://idp.example.com")
    with pytest.raises(CommandError, match="--base-url 'idp'"):
        run("--base-url", "idp")
