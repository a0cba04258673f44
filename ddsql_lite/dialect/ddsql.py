"""The DDSQL dialect: PostgreSQL syntax as sqlglot reads it, plus a token pre-pass.

sqlglot's compiled build (``sqlglotc``) forbids subclassing its Parser, Tokenizer and
Generator, so DDSQL is declared as a plain :class:`Postgres` subclass and its two
syntax differences are handled on the token stream before parsing:

* ``f(col -> 'k')`` would parse as a lambda ``col -> 'k'``. DDSQL has no lambdas, so a
  bare identifier before ``->`` is wrapped in two parentheses (one pair still reads as
  a lambda's parameter list), which sqlglot parses as the JSON/tag operator; the
  parentheses are dropped again after parsing.
* ``j -> 1.5`` has no meaning in PostgreSQL (json -> numeric); sqlglot would read it as
  the key "1.5", so it is refused.
* ``json_extract_path[_text]`` with literal steps is folded by sqlglot into a JSONPath
  that loses whether a step was ``'0'`` (text: key "0" or index 0) or something else.
  The call is renamed so it parses as a plain function with its arguments as written.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import ParseError as SqlglotParseError
from sqlglot.errors import TokenError
from sqlglot.parser import Parser
from sqlglot.tokenizer_core import Token, TokenType

from ..errors import ParseError, UnsupportedError, position
from .timefuncs import TIME_WORDS, prepare_tokens

# Internal names for functions whose sqlglot builders lose information.
RAW_FUNCTIONS = {
    "json_extract_path": "ddsql_json_extract_path",
    "json_extract_path_text": "ddsql_json_extract_path_text",
}
INTERNAL_PREFIX = "ddsql_"
# Deeper nesting is refused before parsing: sqlglot's parser recurses per level.
MAX_PAREN_DEPTH = 32


class DDSQL(Postgres):
    """DDSQL: PostgreSQL's grammar; identifiers fold to lower case like PostgreSQL."""


DIALECT = DDSQL()
_PER_THREAD = threading.local()
# sqlglot logs a warning when it falls back to a Command (SHOW ...); we report ourselves.
logging.getLogger("sqlglot").setLevel(logging.ERROR)
_TOKEN_REPR = re.compile(r"<Token token_type: [^,]+, text: (.*?), line: \d+.*?>")
_NAME_TOKENS = {TokenType.VAR, TokenType.IDENTIFIER}
# PostgreSQL's regex-match operators (~ ~* !~ !~*) and SIMILAR TO: not DDSQL.
_REGEX_OPERATORS = {TokenType.RLIKE, TokenType.IRLIKE, TokenType.SIMILAR_TO}
_ARROWS = (TokenType.ARROW, TokenType.DARROW)
_L_PAREN, _R_PAREN = TokenType.L_PAREN, TokenType.R_PAREN
_VAR, _DOT, _FROM, _NUMBER = TokenType.VAR, TokenType.DOT, TokenType.FROM, TokenType.NUMBER
_ARROW, _BRACKET_OR_FROM = TokenType.ARROW, (TokenType.L_BRACKET, TokenType.FROM)
_INTERVAL = TokenType.INTERVAL


@dataclass(frozen=True)
class Parsed:
    """The statements of a DDSQL text, and every name it calls as a function, as written
    (lower case, with the offset of its first character)."""

    statements: list[exp.Expr]
    calls: dict[str, int] = field(default_factory=dict)
    # The trees still hold the pre-pass's ((name)) before -> (see parse's unwrap_arrows).
    arrows: bool = False


def tokenize(sql: str, calls: dict[str, int] | None = None) -> list[Token]:
    """The DDSQL tokens of ``sql``, with the pre-pass applied; names followed by ``(``
    are recorded in ``calls``."""
    return _tokenize(sql, calls)[0]


def _tokenize(sql: str, calls: dict[str, int] | None) -> tuple[list[Token], bool]:
    """:func:`tokenize`, and whether there is a ``->`` or ``->>``."""
    tokenizer = getattr(_PER_THREAD, "tokenizer", None)
    if tokenizer is None:  # one per thread: building one costs more than a short query
        tokenizer = _PER_THREAD.tokenizer = DIALECT.tokenizer()
    try:
        tokens = tokenizer.tokenize(sql)
    except TokenError:
        raise _token_error(sql) from None
    out: list[Token] = []
    depth = 0
    arrows = False
    timed = False  # whether prepare_tokens has anything to do
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        kind = tok.token_type
        nxt = tokens[i + 1] if i < last else None
        if kind == _L_PAREN:
            depth += 1
            if depth > MAX_PAREN_DEPTH:
                line, col = position(sql, tok.start)
                raise ParseError(
                    f"syntax error: parentheses nested more than {MAX_PAREN_DEPTH} deep",
                    sql,
                    line,
                    col,
                )
        elif kind == _R_PAREN:
            depth -= 1
        elif kind == _VAR:
            lowered = tok.text.lower()
            timed = timed or lowered in TIME_WORDS
            if lowered.startswith(INTERNAL_PREFIX):
                raise UnsupportedError(f"function or name {tok.text!r} is not supported")
            if nxt is not None and nxt.token_type == _L_PAREN:  # a call
                if calls is not None:
                    calls.setdefault(lowered, tok.start)
                if lowered in RAW_FUNCTIONS:
                    tok = Token(
                        _VAR, RAW_FUNCTIONS[lowered], tok.line, tok.col, tok.start, tok.end,
                        tok.comments,
                    )  # fmt: skip
        elif kind in _REGEX_OPERATORS:
            # ~ parses to the same node as REGEXP_LIKE(...): refuse it here, by its token.
            negated = "!" if out and out[-1].text == "!" else ""
            raise UnsupportedError(
                f"operator {negated}{tok.text.upper()} is not supported in DDSQL; "
                "use REGEXP_LIKE(text, pattern [, flags])"
            )
        elif kind == _INTERVAL:
            timed = True
        elif kind in _BRACKET_OR_FROM:
            _refuse_duckdb_syntax(sql, tok, out[-1] if out else None, nxt)
        elif kind in _ARROWS:
            arrows = True
            if nxt is not None and nxt.token_type == _NUMBER and not nxt.text.isdigit():
                raise UnsupportedError(
                    f"{tok.text} {nxt.text}: a JSON step is a text key or an integer index"
                )
        if (
            nxt is not None
            and nxt.token_type == _ARROW
            and kind in _NAME_TOKENS
            and (not out or out[-1].token_type != _DOT)
        ):
            # a name before -> : wrapped so it does not read as a lambda's parameter
            opening = _synthetic(_L_PAREN, "(", tok)
            closing = _synthetic(_R_PAREN, ")", tok)
            out += [opening, opening, tok, closing, closing]
        else:
            out.append(tok)
    return (prepare_tokens(out) if timed else out), arrows  # time syntax: see timefuncs


# Tokens after which ``[`` is a subscript, not DuckDB's list literal.
_SUBSCRIPTABLE = {
    TokenType.VAR,
    TokenType.IDENTIFIER,
    TokenType.R_PAREN,
    TokenType.R_BRACKET,
    TokenType.ARRAY,
}


def _refuse_duckdb_syntax(sql: str, tok: Token, prev: Token | None, nxt: Token | None) -> None:
    """DuckDB-only syntax that sqlglot's PostgreSQL reader accepts: ``[1, 2]`` list
    literals and FROM-first queries. (``T[]`` after a type name is an array type.)"""
    array_type = (
        prev is not None
        and prev.token_type in Parser.TYPE_TOKENS
        and nxt is not None
        and nxt.token_type == TokenType.R_BRACKET
    )
    if (
        tok.token_type == TokenType.L_BRACKET
        and not array_type
        and (prev is None or prev.token_type not in _SUBSCRIPTABLE)
    ):
        line, col = position(sql, tok.start)
        raise ParseError(
            "syntax error: '[...]' lists are DuckDB syntax; use ARRAY[...]", sql, line, col
        )
    if tok.token_type == TokenType.FROM and (
        prev is None or prev.token_type == TokenType.SEMICOLON
    ):
        line, col = position(sql, tok.start)
        raise ParseError("syntax error: a query starts with SELECT, not FROM", sql, line, col)


def _synthetic(kind: TokenType, text: str, at: Token) -> Token:
    return Token(kind, text, at.line, at.col, at.start, at.start)


def parse(sql: str, unwrap_arrows: bool = True) -> Parsed:
    """Parse DDSQL text into sqlglot trees, one per statement.

    Raises :class:`ParseError` with the line, column and a caret under the token. With
    ``unwrap_arrows`` False the pre-pass's parentheses around a name before ``->`` stay
    (``Parsed.arrows``): the caller applies :func:`unwrap_arrow` to every ``->`` and
    ``->>`` node, parents first (``take_inventory`` does, in the walk it makes anyway).
    """
    calls: dict[str, int] = {}
    tokens, arrows = _tokenize(sql, calls)
    parser = getattr(_PER_THREAD, "parser", None)
    if parser is None:  # one per thread (parse resets it)
        parser = _PER_THREAD.parser = DIALECT.parser()
    try:
        trees = parser.parse(tokens, sql)
    except SqlglotParseError as exc:
        info = exc.errors[0] if exc.errors else {}
        message = _readable(str(info.get("description") or exc).split(". Line ")[0])
        line, col = int(info.get("line") or 1), int(info.get("col") or 1)
        start = _token_start(tokens, line, col)
        if start is not None:
            line, col = position(sql, start)
        raise ParseError(f"syntax error: {message}", sql, line, col) from None
    statements = [t for t in trees if t is not None and not isinstance(t, exp.Semicolon)]
    if arrows and unwrap_arrows:  # (else there is no -> to undo)
        for tree in statements:
            for node in tree.find_all(*ARROW_NODES):
                unwrap_arrow(node)
    return Parsed(statements, calls, arrows and not unwrap_arrows)


_MISSING = re.compile(r"Required keyword: '\w+' missing for <class '[\w.]*\.(\w+)'>")
_WHAT = {
    "EQ": "=",
    "NEQ": "<>",
    "GT": ">",
    "GTE": ">=",
    "LT": "<",
    "LTE": "<=",
    "Add": "+",
    "Sub": "-",
    "Mul": "*",
    "Div": "/",
    "Mod": "%",
    "DPipe": "||",
    "And": "AND",
    "Or": "OR",
}


def _readable(message: str) -> str:
    """sqlglot's parser messages without its internals (class names, token reprs)."""
    missing = _MISSING.search(message)
    if missing:
        name = missing.group(1)
        what = f"'{_WHAT[name]}'" if name in _WHAT else name.upper()
        return f"{what} is missing an operand or clause here"
    message = _TOKEN_REPR.sub(lambda m: repr(m.group(1)), message)
    return message.replace("'SENTINEL'", "the end of the query")


def _token_error(sql: str) -> ParseError:
    """The tokenizer failed: almost always a quote that is never closed."""
    for quote, what in (("'", "string"), ('"', "quoted name")):
        opened = None
        for i, ch in enumerate(sql):
            if ch == quote:
                opened = i if opened is None else None
        if opened is not None:
            return ParseError(f"syntax error: unterminated {what}", sql, *position(sql, opened))
    return ParseError("syntax error: the SQL cannot be read", sql, *position(sql, len(sql)))


ARROW_NODES = (exp.JSONExtract, exp.JSONExtractScalar)


def unwrap_arrow(node: exp.Expr) -> None:
    """Undo the pre-pass on one ``->`` / ``->>`` node: ``((col)) -> k`` back to
    ``col -> k``."""
    base = node.this
    inner = base.this.this if isinstance(base, exp.Paren) else None
    if isinstance(base.this, exp.Paren) and isinstance(inner, exp.Column):
        node.set("this", inner)


def _token_start(tokens: list[Token], line: int, col: int) -> int | None:
    """Offset of the token sqlglot reports at (line, end column)."""
    for tok in tokens:
        if tok.line == line and tok.col == col:
            return tok.start
    return None
