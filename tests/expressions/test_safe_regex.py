"""Linear-time regular expressions with positioned errors."""

import pytest

from oidc_claims.expressions.safe_regex import (
    MAX_PATTERN_LENGTH,
    RegexSyntaxError,
    compile_safe_regex,
)


def regex_error(pattern: str) -> RegexSyntaxError:
    with pytest.raises(RegexSyntaxError) as caught:
        compile_safe_regex(pattern)
    return caught.value


def test_compiles_to_re2_and_matches():
    pattern = compile_safe_regex(r"eng-\d+")
    assert type(pattern).__module__.startswith("re2")
    assert pattern.fullmatch("eng-42") is not None
    assert pattern.fullmatch("eng-42x") is None


@pytest.mark.parametrize(
    ("pattern", "column", "construct"),
    [
        (r"(a)\1", 4, "a backreference"),
        ("(?P<x>a)(?P=x)", 9, "a named backreference"),
        ("ab(?=c)", 3, "a lookaround"),
        ("ab(?!c)", 3, "a lookaround"),
        ("(?<=a)b", 1, "a lookaround"),
        ("(?<!a)b", 1, "a lookaround"),
        ("(?>ab)", 1, "an atomic group"),
        ("a++", 3, "a possessive quantifier"),
        ("a{2}+", 5, "a possessive quantifier"),
        ("(a)?(?(1)b|c)", 5, "a conditional group"),
    ],
)
def test_constructs_without_linear_time_are_refused_with_position(pattern, column, construct):
    error = regex_error(pattern)
    assert (error.line, error.column) == (1, column)
    assert error.message == f"{construct} is not supported: runs in linear time only"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("pattern", [r"\++", "[(?=]x", r"a\(?=b", "[?!]", "[]+]+"])
def test_lookalikes_inside_escapes_and_classes_are_fine(pattern):
    compile_safe_regex(pattern)


def test_position_on_a_later_line():
    error = regex_error("abc\nde(?=f)")
    assert (error.line, error.column) == (2, 3)


@pytest.mark.parametrize(
    ("pattern", "column", "message"),
    [
        ("(abc", 1, "missing ), unterminated subpattern"),
        ("ab[c", 3, "unterminated character set"),
        ("a**", 3, "multiple repeat"),
        ("ab\\", 3, "bad escape (end of pattern)"),
    ],
)
def test_syntax_errors_carry_position(pattern, column, message):
    error = regex_error(pattern)
    assert (error.line, error.column) == (1, column)
    assert error.message == message
    assert str(error).startswith(f"Line 1, column {column}: ")


def test_re2_limits_are_reported_at_the_fragment():
    error = regex_error("ab{1001}")
    assert error.column == 3
    assert "invalid repetition size" in error.message


def test_pattern_length_is_capped():
    compile_safe_regex("a" * MAX_PATTERN_LENGTH)
    error = regex_error("a" * (MAX_PATTERN_LENGTH + 1))
    assert "more than" in error.message


def test_non_text_pattern():
    assert regex_error(None).message == "the pattern must be a string"  # type: ignore[arg-type]
