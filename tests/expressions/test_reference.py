"""The function reference cannot lie: every documented example gives its documented result."""

import json

import pytest

from oidc_claims.expressions import compile_expression
from oidc_claims.expressions.functions import FUNCTIONS as REGISTERED
from oidc_claims.expressions.reference import FUNCTIONS, SYNTAX
from tests.expressions_env import example_environment
from tests.paths import ROOT


@pytest.mark.parametrize("entry", FUNCTIONS + SYNTAX, ids=lambda entry: entry.name)
def test_example_gives_documented_result(entry):
    result = compile_expression(entry.example).evaluate(example_environment())
    assert result == entry.result
    assert type(result) is type(entry.result)


def test_every_function_is_documented_once():
    documented = [entry.name for entry in FUNCTIONS]
    assert sorted(documented) == sorted(REGISTERED)


@pytest.mark.parametrize("entry", FUNCTIONS, ids=lambda entry: entry.name)
def test_example_uses_the_function_it_documents(entry):
    assert entry.name in entry.example
    assert entry.signature.startswith(entry.name + "(")
    assert entry.description.endswith(".")


def readme_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- section:expressions -->")
    return readme[start : readme.index("<!-- /section:expressions -->")]


@pytest.mark.parametrize("entry", FUNCTIONS + SYNTAX, ids=lambda entry: entry.name)
def test_readme_shows_the_checked_example_and_result(entry):
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    result = json.dumps(entry.result, ensure_ascii=False)
    row = f"| `{cell(entry.example)}` | `{cell(result)}` |"
    assert row in readme_section()


@pytest.mark.parametrize("entry", FUNCTIONS + SYNTAX, ids=lambda entry: entry.name)
def test_the_admin_shows_each_result_as_a_literal_that_parses_back(entry):
    # An admin copies a result from the reference into an expression: it must mean the same.
    literal = entry.result_literal
    assert compile_expression(literal).evaluate(example_environment()) == entry.result


def test_results_are_shown_in_the_language_not_in_python():
    shown = {entry.name: entry.result_literal for entry in FUNCTIONS + SYNTAX}
    assert shown["array"] == '{"a", "b"}'
    assert shown["String.append"] == '"This is a test"'
    assert "True" not in shown.values() and "None" not in shown.values()
    assert any(literal == "true" for literal in shown.values())
