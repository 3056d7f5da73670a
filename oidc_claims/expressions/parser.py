"""Text to parse tree: the lazily built LALR parser and its errors as ExpressionSyntaxError."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark, Tree, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from oidc_claims.expressions.errors import ExpressionSyntaxError

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")

# What the admin reads instead of lark's terminal names.
TERMINAL_NAMES = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING_DQ": "a string",
    "STRING_SQ": "a string",
    "TRUE": '"true"',
    "FALSE": '"false"',
    "NULL": '"null"',
    "COMPARE": "a comparison (==, !=, <, >, <=, >=)",
    "PLUS": '"+"',
    "MINUS": '"-"',
    "MUL_OP": '"*", "/" or "%"',
    "_AND_WORD": '"AND"',
    "_OR_WORD": '"OR"',
    "_ANDAND": '"&&"',
    "_OROR": '"||"',
    "QMARK": '"?"',
    "COLON": '":"',
    "BANG": '"!"',
    "DOT": '"."',
    "COMMA": '","',
    "LPAR": '"("',
    "RPAR": '")"',
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "$END": "end of input",
}


@cache
def get_parser() -> Lark:
    """The one LALR parser, built on first use (LALR keeps parsing linear in the text)."""
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
    )


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of the character at ``offset``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def describe_found(text: str, offset: int) -> str:
    """A short quote of the text at ``offset`` for error messages."""
    if offset >= len(text.rstrip()):
        return "end of input"
    snippet = text[offset : offset + 12].split("\n", 1)[0]
    return repr(snippet if len(snippet) <= 10 else snippet[:10] + "…")


def _expected(exc: UnexpectedInput) -> list[str]:
    # The interactive parser replays the input, so it lists only what would really be
    # accepted (the lexer state alone over-approximates before pending reductions).
    interactive = getattr(exc, "interactive_parser", None)
    if interactive is not None:
        names = interactive.accepts()
    else:
        names = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or set()
    return sorted({TERMINAL_NAMES.get(name, name) for name in names})


def _noun(terminal: str) -> str:
    name = TERMINAL_NAMES.get(terminal, terminal)
    return name[2:] if name.startswith("a ") else name


def parse(text: str, *, max_length: int) -> Tree:
    """Parse ``text`` or raise ExpressionSyntaxError with line, column, expected and found."""
    if len(text) > max_length:
        line, column = position(text, max_length)
        raise ExpressionSyntaxError(
            f"the expression is {len(text)} characters long, more than the limit of "
            f"{max_length} (EXPRESSION_MAX_LENGTH)",
            line=line,
            column=column,
        )
    if not text.strip():
        raise ExpressionSyntaxError(
            "the expression is empty", expected=["an expression"], found="end of input"
        )
    try:
        return get_parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None


def _syntax_error(text: str, exc: UnexpectedInput) -> ExpressionSyntaxError:
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        offset = len(text.rstrip())
        line, column = position(text, offset)
        return ExpressionSyntaxError(
            "unexpected end of input",
            line=line,
            column=column,
            expected=_expected(exc),
            found="end of input",
        )
    if isinstance(exc, UnexpectedToken):
        offset = exc.token.start_pos
        line, column = position(text, offset)
        return ExpressionSyntaxError(
            "unexpected " + _noun(exc.token.type),
            line=line,
            column=column,
            expected=_expected(exc),
            found=describe_found(text, offset),
        )
    offset = exc.pos_in_stream
    line, column = position(text, offset)
    if isinstance(exc, UnexpectedCharacters) and text[offset] in "\"'":
        return ExpressionSyntaxError(
            "unterminated string",
            line=line,
            column=column,
            expected=[f"a closing {text[offset]}"],
            found=describe_found(text, offset),
        )
    return ExpressionSyntaxError(
        "unexpected character",
        line=line,
        column=column,
        expected=_expected(exc),
        found=describe_found(text, offset),
    )
