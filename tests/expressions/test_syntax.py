"""Compile-time errors: positions, expectations, limits and name resolution."""

import pytest

from oidc_claims.expressions import ExpressionSyntaxError, compile_expression


def syntax_error(text: str) -> ExpressionSyntaxError:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression(text)
    return caught.value


def test_missing_operand_at_end_of_input():
    error = syntax_error("1 +")
    assert (error.line, error.column) == (1, 4)
    assert error.found == "end of input"
    assert "a number" in error.expected and "a string" in error.expected


def test_two_operands_without_operator():
    error = syntax_error('user.email "x"')
    assert (error.line, error.column) == (1, 12)
    assert error.found == "'\"x\"'"
    assert '"+"' in error.expected and '"?"' in error.expected and "end of input" in error.expected
    assert '")"' not in error.expected  # nothing is open, so ")" cannot come next


def test_unclosed_parenthesis_on_a_later_line():
    error = syntax_error('(String.len("abc")\n  + 2')
    assert (error.line, error.column) == (2, 6)
    assert '")"' in error.expected and "end of input" not in error.expected
    assert error.found == "end of input"


def test_unexpected_character_on_third_line():
    error = syntax_error("true\n&&\n  # false")
    assert (error.line, error.column) == (3, 3)
    assert error.message == "unexpected character"
    assert error.found == "'# false'"
    assert '"!"' in error.expected


def test_trailing_comma_in_call():
    error = syntax_error('String.len("a",)')
    assert (error.line, error.column) == (1, 16)
    assert error.found == "')'"
    assert "a name" in error.expected


def test_unterminated_string():
    error = syntax_error('String.len("abc)')
    assert (error.line, error.column) == (1, 12)
    assert error.message == "unterminated string"
    assert error.expected == ['a closing "']


def test_chained_comparison_is_rejected():
    error = syntax_error("1 < 2 < 3")
    assert (error.line, error.column) == (1, 7)
    assert error.expected == sorted(['"&&"', '"?"', '"AND"', '"OR"', '"||"', "end of input"])


def test_empty_expression():
    error = syntax_error("   ")
    assert error.found == "end of input"
    assert error.expected == ["an expression"]


def test_error_text_names_position_expected_and_found():
    assert str(syntax_error("1 +")).startswith(
        "Line 1, column 4: unexpected end of input; expected"
    )


def test_bad_unicode_escape():
    error = syntax_error('"ab\\u12"')
    assert (error.line, error.column) == (1, 4)
    assert error.expected == ["\\uXXXX"]


def test_unknown_variable():
    error = syntax_error("1 + usr.email")
    assert (error.line, error.column) == (1, 5)
    assert error.message == "unknown variable 'usr'"
    assert error.expected == ["user", "app", "access"]


@pytest.mark.parametrize("text", ["String.nope(1)", "nope(1)", "Arrays.len({})"])
def test_unknown_function(text):
    error = syntax_error(text)
    assert error.message.startswith("unknown function")
    assert all(name.endswith("(...)") for name in error.expected)


def test_unknown_function_lists_its_namespace():
    error = syntax_error("  String.lenght(user.email)")
    assert (error.line, error.column) == (1, 10)
    assert "String.len(...)" in error.expected
    assert not any(name.startswith("Arrays.") for name in error.expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("String.len()", "String.len takes 1 argument, not 0"),
        ('String.substring("a", 1)', "String.substring takes 3 arguments, not 2"),
        ("Time.now(1)", "Time.now takes 0 arguments, not 1"),
        ("String.join()", "String.join takes at least 1 argument, not 0"),
        ('String.stringSwitch("a", "b", "c")', "String.stringSwitch needs a value after every key"),
        ('user.isMemberOfGroupName("a", "b")', "isMemberOfGroupName takes 1 argument, not 2"),
    ],
)
def test_wrong_argument_count(text, message):
    assert syntax_error(text).message == message


def test_namespace_alone_is_not_a_value():
    assert syntax_error("String").message == "String is a group of functions, not a value"
    assert syntax_error("Arrays.size").message == "Arrays is a group of functions, not a value"


def test_function_without_call():
    error = syntax_error("isMemberOfGroupName")
    assert error.expected == ["isMemberOfGroupName(...)"]


def test_invalid_literal_regex_is_a_save_time_error_pointing_into_the_string():
    error = syntax_error('isMemberOfGroupNameRegex("eng(?=x)")')
    assert error.message.startswith("invalid regular expression: a lookaround is not supported")
    assert (error.line, error.column) == (1, 30)


def test_number_too_large():
    error = syntax_error("1 + 99999999999999999999999")
    assert (error.line, error.column) == (1, 5)
    assert error.message == "number too large"


def test_length_limit(settings):
    settings.OIDC_CLAIMS = {"EXPRESSION_MAX_LENGTH": 10}
    compile_expression("1234567890")
    error = syntax_error("12345678901")
    assert "more than the limit of 10" in error.message
    assert (error.line, error.column) == (1, 11)


def test_default_length_limit_applies():
    error = syntax_error("1" + " " * 5000)
    assert "more than the limit of 4096" in error.message


def test_depth_limit_counts_parentheses_calls_and_operators(settings):
    settings.OIDC_CLAIMS = {"EXPRESSION_MAX_DEPTH": 4}
    compile_expression("((1))")
    compile_expression('"a" + "b" + "c" + "d" + "e" + "f"')  # a chain is flat, not nested
    error = syntax_error("((((1))))")
    assert "nested more than 4 levels" in error.message
    assert (error.line, error.column) == (1, 5)
    assert "nested" in syntax_error('String.len(String.len(String.len(String.len("a"))))').message


def test_deep_nesting_at_default_limit_is_rejected_without_recursion_error():
    assert "nested more than 32" in syntax_error("(" * 2000 + "1" + ")" * 2000).message
    assert "nested more than 32" in syntax_error("!" * 3000 + "true").message


def test_keywords_are_case_insensitive_but_do_not_shadow_property_names():
    compiled = compile_expression("app.and OR app.or and app.TRUE")
    assert compiled.source == "app.and OR app.or and app.TRUE"


def test_source_is_kept():
    assert compile_expression("  1 + 2 ").source == "  1 + 2 "


def test_non_text_is_a_syntax_error():
    with pytest.raises(ExpressionSyntaxError):
        compile_expression(None)  # type: ignore[arg-type]
