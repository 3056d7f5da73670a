"""Evaluation is charged by the data it builds, copies, compares and scans, not only by syntax."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oidc_claims.expressions import (
    EvaluationBudgetExceededError,
    ExpressionEvaluationError,
    compile_expression,
)
from oidc_claims.expressions.budget import RequestBudget
from oidc_claims.expressions.runtime import CHARACTERS_PER_STEP, VALUE_MAX_DEPTH
from tests.expressions_env import FakeEnvironment


def profile_env(**profile) -> FakeEnvironment:
    return FakeEnvironment(user={"email": "ada@example.com"}, app={"profile": profile})


def steps_of(text: str, env: FakeEnvironment) -> int:
    """The steps one evaluation of ``text`` charges (it must succeed)."""
    budget = RequestBudget(10**9)
    compile_expression(text).evaluate(env, budget)
    return budget.used


def data_units(value) -> int:
    """Values plus text blocks of ``value``: what copying it must at least be charged."""
    if isinstance(value, str):
        return 1 + len(value) // CHARACTERS_PER_STEP
    if isinstance(value, list):
        return 1 + sum(data_units(item) for item in value)
    if isinstance(value, dict):
        return 1 + sum(data_units(item) for item in value.values())
    return 1


def repeated(expression: str, times: int) -> str:
    return "{" + ",".join([expression] * times) + "}"


def test_copying_profile_data_is_charged_by_its_size_for_every_copy():
    env = profile_env(a=[f"item-{index}" for index in range(5000)])
    once = steps_of("{app.profile.a}", env)
    twice = steps_of("{app.profile.a, app.profile.a}", env)
    assert once >= 5000
    assert twice - once >= 5000
    # A read that is not copied into the claim costs no more than the syntax around it.
    assert steps_of("Arrays.size(app.profile.a)", env) < 100


def test_the_issue_s_profile_copy_is_stopped_by_the_step_budget_before_copying_it():
    # About 2 MB of profile data; one claim puts it into an array 292 times.
    a = [{"key": f"value-{index:06d}", "n": index} for index in range(50_000)]
    env = profile_env(a=a)
    with pytest.raises(EvaluationBudgetExceededError) as caught:
        compile_expression(repeated("app.profile.a", 292)).evaluate(env)
    assert caught.value.setting == "EXPRESSION_MAX_STEPS"
    assert caught.value.limit == 100_000
    # Charged before the copy that would exceed it: at most one container over the limit.
    assert caught.value.steps <= 100_000 + len(a)


def test_deep_equality_is_charged_per_value_compared():
    data = [{"k": index, "v": [index, str(index)]} for index in range(2000)]
    env = profile_env(a=data, b=copy.deepcopy(data))
    steps = steps_of("app.profile.a == app.profile.b", env)
    assert steps >= data_units(data) - len(data)
    # The same object equals itself without being walked.
    assert steps_of("app.profile.a == app.profile.a", env) < 50
    # Unequal sizes are decided at once.
    env = profile_env(a=data, b=data[:-1])
    assert steps_of("app.profile.a != app.profile.b", env) < 50


def test_equality_of_a_large_profile_stops_at_the_budget(settings):
    settings.OIDC_CLAIMS = {"EXPRESSION_MAX_STEPS": 5_000}
    data = [[index, [index]] for index in range(10_000)]
    env = profile_env(a=data, b=copy.deepcopy(data))
    with pytest.raises(EvaluationBudgetExceededError) as caught:
        compile_expression("app.profile.a == app.profile.b").evaluate(env)
    assert caught.value.limit == 5_000


def nested(depth: int):
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_comparison_and_copy_are_bounded_in_depth():
    env = profile_env(a=nested(VALUE_MAX_DEPTH + 2), b=nested(VALUE_MAX_DEPTH + 2))
    message = f"nested more than {VALUE_MAX_DEPTH} levels deep cannot be compared"
    with pytest.raises(ExpressionEvaluationError, match=message):
        compile_expression("app.profile.a == app.profile.b").evaluate(env)
    with pytest.raises(ExpressionEvaluationError, match="cannot be put into a claim"):
        compile_expression("app.profile.a").evaluate(env)
    shallow = profile_env(a=nested(VALUE_MAX_DEPTH), b=nested(VALUE_MAX_DEPTH))
    assert compile_expression("app.profile.a == app.profile.b").evaluate(shallow) is True


def test_text_is_charged_by_its_length_when_scanned_or_compared():
    long = "x" * 60_000
    env = profile_env(s=long, t="x" * 60_000)
    per_scan = 60_000 // CHARACTERS_PER_STEP
    assert steps_of('String.stringContains(app.profile.s, "y")', env) >= per_scan
    assert steps_of("app.profile.s == app.profile.t", env) >= per_scan
    assert steps_of("app.profile.s < app.profile.t", env) >= per_scan
    assert steps_of('String.len(String.replace(app.profile.s, "y", "z"))', env) >= 2 * per_scan
    # Text that is only passed along costs nothing per character.
    assert steps_of("String.len(app.profile.s)", env) < 50


def test_array_functions_are_charged_per_element():
    items = [f"g{index}" for index in range(8_000)]
    env = profile_env(items=items)
    assert steps_of('Arrays.contains(app.profile.items, "nope")', env) >= len(items)
    assert steps_of('Arrays.size(Arrays.remove(app.profile.items, "g1"))', env) >= 2 * len(items)
    assert steps_of("Arrays.size(Arrays.flatten(app.profile.items))", env) >= 2 * len(items)
    assert steps_of('Arrays.size(Arrays.add(app.profile.items, "x"))', env) >= len(items)
    assert steps_of("String.len(Arrays.toCsvString(app.profile.items))", env) >= len(items)
    assert steps_of("Arrays.size(app.profile.items + app.profile.items)", env) >= 2 * len(items)


def test_a_request_budget_is_shared_by_the_evaluations_charged_to_it():
    env = profile_env(items=list(range(30_000)))
    compiled = compile_expression("{app.profile.items}")
    budget = RequestBudget(70_000)
    assert len(compiled.evaluate(env, budget)[0]) == 30_000
    assert len(compiled.evaluate(env, budget)[0]) == 30_000
    with pytest.raises(EvaluationBudgetExceededError) as caught:
        compiled.evaluate(env, budget)
    assert caught.value.setting == "EXPRESSION_MAX_STEPS_PER_REQUEST"
    assert "EXPRESSION_MAX_STEPS_PER_REQUEST" in str(caught.value)
    assert budget.remaining == 0
    # The per-expression budget still applies on its own.
    assert compiled.evaluate(env) == [list(range(30_000))]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=200),
    lambda children: st.lists(children, max_size=8)
    | st.dictionaries(st.text(max_size=8), children, max_size=8),
    max_leaves=60,
)


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES, st.integers(min_value=1, max_value=5))
def test_every_copy_of_profile_data_is_charged_at_least_its_size(value, times):
    env = profile_env(v=value, w=copy.deepcopy(value))
    text = repeated("app.profile.v", times)
    budget = RequestBudget(10**9)
    result = compile_expression(text).evaluate(env, budget)
    assert result == [value] * times
    assert json.loads(json.dumps(result)) == result
    assert budget.used >= times * data_units(value)
    # Equal data in distinct objects is compared whole, and is equal.
    budget = RequestBudget(10**9)
    assert compile_expression("app.profile.v == app.profile.w").evaluate(env, budget) is True
    assert budget.used >= data_units(value) - _containers(value)


def _containers(value) -> int:
    if isinstance(value, list):
        return 1 + sum(_containers(item) for item in value)
    if isinstance(value, dict):
        return 1 + sum(_containers(item) for item in value.values())
    return 0


@settings(max_examples=60, deadline=None)
@given(JSON_VALUES, st.integers(min_value=50, max_value=400))
def test_copies_beyond_the_budget_end_in_the_budget_error(value, budget_steps):
    env = profile_env(v=value)
    text = repeated("app.profile.v", 40)
    from django.test import override_settings

    with override_settings(OIDC_CLAIMS={"EXPRESSION_MAX_STEPS": budget_steps}):
        compiled = compile_expression(text)
        try:
            result = compiled.evaluate(env)
        except EvaluationBudgetExceededError as error:
            assert error.limit == budget_steps
        else:
            assert 40 * data_units(value) <= budget_steps
            assert result == [value] * 40
