"""The DDSQL parser: PostgreSQL's grammar as sqlglot reads it (:class:`DDSQL`), behind a
token pre-pass that keeps what sqlglot would lose (``f(col -> 'k')`` read as a lambda,
folded ``json_extract_path`` steps, time syntax: :mod:`.tokens`) and refuses, with a
caret, DuckDB's syntax and what PostgreSQL's lexer rejects (docs/design.md, "The parser's
pre-pass").
"""

from __future__ import annotations

import difflib
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

from ..errors import ParseError, position
from .preview_tokens import preview_tokens, refuse_preview_tokens
from .refusals import Refusal
from .tokens import TIME_WORDS, prepare_tokens

# Internal names for functions whose sqlglot builders lose information.
RAW_FUNCTIONS = {
    "json_extract_path": "ddsql_json_extract_path",
    "json_extract_path_text": "ddsql_json_extract_path_text",
}
# The same in DDSQL (Preview) only.
PREVIEW_RAW = {"date_diff": "ddsql_date_diff"}
INTERNAL_PREFIX = "ddsql_"
# What a placeholder's name may be (it is printed as $name in the DuckDB SQL).
PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
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
_COLON, _L_BRACKET, _R_BRACKET = TokenType.COLON, TokenType.L_BRACKET, TokenType.R_BRACKET
_COMMA = TokenType.COMMA
# Tokens that may follow a number with no space between ("1)", "1,"...).
_AFTER_NUMBER = frozenset(
    {TokenType.COMMA, TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.SEMICOLON}
    | {TokenType.PLUS, TokenType.DASH, TokenType.STAR, TokenType.SLASH, TokenType.DCOLON}
)
# Tokens checked by _check_token (commas and most numbers are checked in the main loop).
_CHECKED = frozenset(
    {
        TokenType.COLON,
        TokenType.NUMBER,
        TokenType.L_BRACE,
        TokenType.STAR,
        TokenType.SLASH,
        TokenType.ANTI,
        TokenType.SEMI,
        TokenType.ASOF,
        TokenType.ORDER_BY,
        TokenType.PLACEHOLDER,
        TokenType.MOD,
    }
)
# Names that start DuckDB-only syntax (checked in context by _check_word).
_DUCKDB_WORDS = frozenset({"positional", "by", "sample", "summarize", "lambda", "exclude"})
# A number as PostgreSQL 15 reads one (anything else is "trailing junk").
_PG_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SET_OPERATIONS = {TokenType.UNION, TokenType.EXCEPT, TokenType.INTERSECT}


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


def _tokenize(
    sql: str, calls: dict[str, int] | None, preview: bool = False
) -> tuple[list[Token], bool]:
    """:func:`tokenize`, and whether there is a ``->`` or ``->>``. ``preview``: the text
    is DDSQL (Preview), whose syntax :mod:`.preview_tokens` spells as DDSQL's first;
    else that syntax is refused, saying it is the preview's."""
    tokenizer = getattr(_PER_THREAD, "tokenizer", None)
    if tokenizer is None:  # one per thread: building one costs more than a short query
        tokenizer = _PER_THREAD.tokenizer = DIALECT.tokenizer()
    try:
        tokens = tokenizer.tokenize(sql)
    except TokenError:
        raise _token_error(sql) from None
    tokens = preview_tokens(sql, tokens) if preview else refuse_preview_tokens(sql, tokens)
    out: list[Token] = []
    depth = 0
    brackets = 0  # depth of [...]: a colon there is a slice, not a placeholder
    arrows = False
    timed = False  # whether prepare_tokens has anything to do
    last = len(tokens) - 1
    skip = 0  # tokens up to this index were read into the one before (strings)
    for i, tok in enumerate(tokens):
        if i < skip:
            continue
        kind = tok.token_type
        nxt = tokens[i + 1] if i < last else None
        if kind in _STRINGS and (
            kind == _UNICODE or (nxt is not None and nxt.token_type in _STRINGS)
        ):
            tok, skip = read_string(sql, tokens, i)
            kind, nxt = tok.token_type, tokens[skip] if skip <= last else None
        elif kind == _VAR and nxt is not None and nxt.token_type == TokenType.AMP:
            name = _unicode_name(sql, tokens, i)
            if name is not None:
                tok, skip = name
                kind, nxt = tok.token_type, tokens[skip] if skip <= last else None
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
        elif kind == _COMMA:  # (the commonest checked tokens are checked here)
            if nxt is None or nxt.token_type in _AFTER_LIST:
                raise _error(sql, tok, "a trailing comma ends this list")
        elif kind == _NUMBER and (
            nxt is None or nxt.start != tok.end + 1 or nxt.token_type in _AFTER_NUMBER
        ):
            if not _PG_NUMBER.fullmatch(tok.text):
                raise _error(
                    sql, tok, f"trailing junk after numeric literal at or near {tok.text!r}"
                )
        elif kind == TokenType.IDENTIFIER and not tok.text:
            raise _error(sql, tok, 'zero-length delimited identifier at or near """"')
        elif kind in _CHECKED:
            replaced = _check_token(sql, tokens, i, out, brackets)
            if replaced is not None:  # (a keyword after ':' becomes the parameter's name)
                tokens[i + 1] = replaced
        elif kind == _VAR:
            lowered = tok.text.lower()
            timed = timed or lowered in TIME_WORDS
            if lowered.startswith(INTERNAL_PREFIX):
                raise Refusal(f"function or name {tok.text!r} is not supported", offset=tok.start)
            if lowered in _DUCKDB_WORDS:
                _check_word(sql, lowered, tokens, i, out)
            if nxt is not None and nxt.token_type == _L_PAREN:  # a call
                if calls is not None:
                    calls.setdefault(lowered, tok.start)
                raw = RAW_FUNCTIONS.get(lowered) or (preview and PREVIEW_RAW.get(lowered))
                if raw:
                    tok = Token(_VAR, raw, tok.line, tok.col, tok.start, tok.end, tok.comments)
        elif kind in _REGEX_OPERATORS:
            # ~ parses to the same node as REGEXP_LIKE(...): refuse it here, by its token.
            bang = out[-1] if out and out[-1].text == "!" else None
            raise Refusal(
                f"operator {sql[(bang or tok).start : tok.end + 1]} is not supported in DDSQL; "
                "use REGEXP_LIKE(text, pattern [, flags])",
                offset=(bang or tok).start,
            )
        elif kind == _INTERVAL:
            timed = True
        elif kind in _BRACKET_OR_FROM:
            _refuse_duckdb_syntax(sql, tokens, i, out)
            if kind == _L_BRACKET:
                brackets += 1
        elif kind == _R_BRACKET:
            brackets -= 1
        elif kind in _ARROWS:
            arrows = True
            if nxt is not None and nxt.token_type == _NUMBER and not nxt.text.isdigit():
                raise Refusal(
                    f"{tok.text} {nxt.text}: a JSON step is a text key or an integer index",
                    offset=nxt.start,
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
    return (prepare_tokens(out) if timed else out), arrows  # time syntax: see .tokens


# Tokens after which ``[`` is a subscript, not DuckDB's list literal: names (also those
# that sqlglot reads as keywords, such as ``name``), ``)``, ``]`` and ``ARRAY``.
_SUBSCRIPTABLE = (
    {TokenType.VAR, TokenType.IDENTIFIER, TokenType.R_PAREN, TokenType.R_BRACKET}
    | {TokenType.ARRAY}
    | (
        set(Parser.ID_VAR_TOKENS)
        - {TokenType.IN, TokenType.IS, TokenType.ANY, TokenType.ALL, TokenType.SOME}
        - {TokenType.CASE, TokenType.EXISTS, TokenType.INTERVAL, TokenType.LIMIT}
        - {TokenType.OFFSET, TokenType.FILTER, TokenType.ESCAPE, TokenType.END}
    )
)
_STATEMENT_START = {None, TokenType.SEMICOLON}
_SEMICOLON = TokenType.SEMICOLON


def _error(sql: str, tok: Token, message: str) -> ParseError:
    """A syntax error with a caret under ``tok``."""
    line, col = position(sql, tok.start)
    return ParseError(f"syntax error: {message}", sql, line, col)


def _near(sql: str, tok: Token, hint: str) -> ParseError:
    """PostgreSQL's syntax error at ``tok`` ("at or near" it), with a hint."""
    return ParseError(
        f'syntax error at or near "{_written(sql, tok)}": {hint}', sql, *position(sql, tok.start)
    )


def _duckdb(sql: str, tok: Token, what: str, instead: str = "") -> ParseError:
    return _error(
        sql, tok, f"{what} is DuckDB syntax, not DDSQL" + (f"; {instead}" if instead else "")
    )


def _refuse_duckdb_syntax(sql: str, tokens: list[Token], i: int, out: list[Token]) -> None:
    """DuckDB-only syntax that sqlglot's PostgreSQL reader accepts: ``[1, 2]`` list
    literals, list comprehensions, string slicing, and FROM-first queries (also as a
    subquery or a set operation's operand). (``T[]`` after a type name is an array
    type; ``trim(FROM s)`` is PostgreSQL's.)"""
    tok = tokens[i]
    prev = out[-1] if out else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if tok.token_type == TokenType.L_BRACKET:
        array_type = (
            prev is not None
            and prev.token_type in Parser.TYPE_TOKENS
            and nxt is not None
            and nxt.token_type == TokenType.R_BRACKET
        )
        if array_type:
            return
        typed = len(out) > 1 and out[-2].token_type in (TokenType.DCOLON, TokenType.ALIAS)
        if typed and prev is not None and prev.token_type in Parser.TYPE_TOKENS:
            raise _error(sql, tok, f"array sizes are not supported; write {prev.text}[]")
        if prev is not None and prev.token_type in _SUBSCRIPTABLE:
            subscript = nxt is None or nxt.token_type != TokenType.R_BRACKET  # not T(n)[]
            if subscript and prev.token_type in _CLOSING and _subscripts_call(out):
                raise _near(
                    sql,
                    tok,
                    "to subscript the result of a function or of ARRAY[...], put it in "
                    "parentheses: (...)[i]",
                )
            return
        if prev is not None and prev.token_type == TokenType.STRING:
            raise _duckdb(sql, tok, "string slicing s[...]", "use substring(s, start, length)")
        if _comprehension(tokens, i):
            raise _duckdb(sql, tok, "a list comprehension [... FOR ... IN ...]")
        raise _error(sql, tok, "'[...]' lists are DuckDB syntax; use ARRAY[...]")
    kind = prev.token_type if prev is not None else None
    if kind in _STATEMENT_START:
        raise _error(sql, tok, "a query starts with SELECT, not FROM")
    before = out[-2].token_type if len(out) > 1 else None
    if (
        (kind == _L_PAREN and not (before == _VAR and out[-2].text.lower() == "trim"))
        or kind in _SET_OPERATIONS
        or (kind in (TokenType.ALL, TokenType.DISTINCT) and before in _SET_OPERATIONS)
    ):
        raise _duckdb(sql, tok, "a query starting with FROM", "start it with SELECT")


_CLOSING = (TokenType.R_PAREN, TokenType.R_BRACKET)
# Tokens before "(" that make it a call's (or a clause of one: OVER, FILTER, WITHIN GROUP)
# rather than a parenthesised expression, which alone PostgreSQL lets a subscript follow.
_CALLED = frozenset(
    {TokenType.VAR, TokenType.IDENTIFIER, TokenType.OVER, TokenType.FILTER}
    | {TokenType.EXISTS, TokenType.ARRAY, TokenType.ROW}
    | (set(Parser.FUNC_TOKENS) - {TokenType.UNION, TokenType.LIKE, TokenType.ILIKE})
    - {TokenType.RLIKE, TokenType.GLOB, TokenType.OFFSET, TokenType.XOR, TokenType.ANY}
    - {TokenType.ALL, TokenType.SOME}
)


def _subscripts_call(out: list[Token]) -> bool:
    """Whether the ``)`` or ``]`` that ends ``out`` closes a call, a call's clause or
    ``ARRAY[...]`` (through any subscripts after it), which PostgreSQL's grammar does not
    subscript without parentheses (``array_agg(x)[1]``, ``ARRAY[1, 2][1]``)."""
    end = len(out) - 1
    while end >= 0 and out[end].token_type in _CLOSING:
        closer = out[end].token_type
        opener = _L_PAREN if closer == _R_PAREN else TokenType.L_BRACKET
        depth = 0
        for j in range(end, -1, -1):
            kind = out[j].token_type
            depth += (kind == closer) - (kind == opener)
            if depth == 0:
                break
        else:
            return False
        before = out[j - 1].token_type if j > 0 else None
        if closer == _R_PAREN:
            return before in _CALLED
        if before == TokenType.ARRAY:
            return True
        end = j - 1  # a subscript: look at what it subscripts
    return False


def _comprehension(tokens: list[Token], i: int) -> bool:
    """Whether the ``[`` at ``i`` opens ``[expr FOR x IN list]``."""
    depth = 0
    for tok in tokens[i:]:
        kind = tok.token_type
        if kind in (TokenType.L_BRACKET, _L_PAREN):
            depth += 1
        elif kind in (TokenType.R_BRACKET, _R_PAREN):
            depth -= 1
            if depth == 0:
                return False
        elif kind == TokenType.FOR and depth == 1:
            return True
    return False


_UNICODE = TokenType.UNICODE_STRING
# String literals: 'a', E'a', U&'a' (and the forms PostgreSQL lacks, refused later).
_STRINGS = frozenset(
    {TokenType.STRING, TokenType.BYTE_STRING, _UNICODE, TokenType.NATIONAL_STRING}
    | {TokenType.HEX_STRING, TokenType.BIT_STRING, TokenType.HEREDOC_STRING}
)
# What may separate two parts of one string literal: blanks and -- comments, with a
# newline among them (PostgreSQL's "quote continuation").
_CONTINUATION = re.compile(r"(?:[ \t\f\r]|--[^\n\r]*)*[\n\r](?:\s|--[^\n\r]*)*")
_HEX = frozenset("0123456789abcdefABCDEF")


def read_string(sql: str, tokens: list[Token], i: int) -> tuple[Token, int]:
    """The string literal that starts at token ``i``, as one STRING token, and the index
    of the token after it: ``U&'...' [UESCAPE 'c']`` decoded, and the parts of a standard
    literal continued across a newline (``'a'`` newline ``'b'`` is ``'ab'``) joined, as
    PostgreSQL's lexer reads them. Two literals side by side on one line are a syntax
    error, as in PostgreSQL."""
    tok = tokens[i]
    text, end, j = tok.text, tok.end, i + 1
    if tok.token_type == _UNICODE:
        escape, end, j = _uescape(sql, tokens, j, end)
        text = _unicode_text(tok, text, escape)
    while j < len(tokens) and tokens[j].token_type in _STRINGS:
        nxt = tokens[j]
        continued = _CONTINUATION.fullmatch(sql, end + 1, nxt.start) is not None
        if (
            not continued
            or tok.token_type != TokenType.STRING
            or nxt.token_type != TokenType.STRING
        ):
            if continued and tok.token_type in (TokenType.BYTE_STRING, _UNICODE):
                raise Refusal(
                    "a string continued on the next line is supported for plain '...' "
                    "literals only; write it as one literal",
                    offset=nxt.start,
                )
            raise _near(
                sql,
                nxt,
                "string literals side by side are one literal only when a newline separates them",
            )
        text, end, j = text + nxt.text, nxt.end, j + 1
    return Token(TokenType.STRING, text, tok.line, tok.col, tok.start, end, tok.comments), j


def _unicode_name(sql: str, tokens: list[Token], i: int) -> tuple[Token, int] | None:
    """``U&"..." [UESCAPE 'c']`` at token ``i`` (which sqlglot reads as ``U``, ``&`` and a
    quoted name) as one quoted-name token, decoded, and the index of the token after it;
    None when the tokens there are something else."""
    if i + 2 >= len(tokens):
        return None
    u, amp, name = tokens[i], tokens[i + 1], tokens[i + 2]
    if not (
        u.text in ("U", "u")
        and amp.token_type == TokenType.AMP
        and name.token_type == TokenType.IDENTIFIER
        and amp.start == u.end + 1
        and name.start == amp.end + 1
    ):
        return None
    escape, end, j = _uescape(sql, tokens, i + 3, name.end)
    text = _unicode_text(u, name.text, escape)
    return Token(TokenType.IDENTIFIER, text, u.line, u.col, u.start, end, u.comments), j


def _uescape(sql: str, tokens: list[Token], j: int, end: int) -> tuple[str, int, int]:
    """The escape character of a ``U&`` literal or name whose tokens end before ``j``
    (``end``: its last offset): ``UESCAPE 'c'`` when it follows, else a backslash. Returns
    the character, the new last offset and the index of the next token."""
    if not (j + 1 < len(tokens) and tokens[j].token_type == _VAR):
        return "\\", end, j
    if tokens[j].text.upper() != "UESCAPE":
        return "\\", end, j
    given = tokens[j + 1]
    if given.token_type != TokenType.STRING:
        raise _error(sql, tokens[j], "UESCAPE must be followed by a simple string literal")
    escape = given.text
    if len(escape) != 1 or escape in _HEX or escape in "+'\" \t\n\r\f":
        raise _error(
            sql, given, f'invalid Unicode escape character at or near "{_written(sql, given)}"'
        )
    return escape, given.end, j + 2


def _written(sql: str, tok: Token) -> str:
    return sql[tok.start : tok.end + 1]


def _unicode_text(tok: Token, text: str, escape: str) -> str:
    """The text of ``U&'...'``: ``<escape>XXXX`` and ``<escape>+XXXXXX`` are code points
    (a UTF-16 surrogate pair joins), a doubled escape character is itself."""
    out: list[str] = []
    high = 0  # a first surrogate waiting for its second
    k = 0
    while k < len(text):
        ch = text[k]
        if ch != escape:
            if high:
                break
            out.append(ch)
            k += 1
            continue
        if text[k + 1 : k + 2] == escape and not high:
            out.append(escape)
            k += 2
            continue
        digits = 6 if text[k + 1 : k + 2] == "+" else 4
        start = k + 1 + (digits == 6)
        code = text[start : start + digits]
        if len(code) != digits or not set(code) <= _HEX:
            raise Refusal(
                "invalid Unicode escape: Unicode escapes must be \\XXXX or \\+XXXXXX",
                offset=tok.start,
            )
        value = int(code, 16)
        k = start + digits
        if high:
            if not 0xDC00 <= value <= 0xDFFF:
                break
            out.append(chr(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)))
            high = 0
        elif 0xD800 <= value <= 0xDBFF:
            high = value
        elif 0xDC00 <= value <= 0xDFFF or value == 0 or value > 0x10FFFF:
            break
        else:
            out.append(chr(value))
    else:
        if not high:
            return "".join(out)
    raise Refusal("invalid Unicode escape value or surrogate pair", offset=tok.start)


def _check_token(
    sql: str, tokens: list[Token], i: int, out: list[Token], brackets: int
) -> Token | None:
    """Refuse the token at ``i`` where it starts DuckDB-only syntax or what PostgreSQL
    rejects (see the module docstring). Returns a replacement for the next token: the
    name of a ``:name`` placeholder that sqlglot reads as a keyword, as a name."""
    tok = tokens[i]
    kind = tok.token_type
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    adjacent = nxt is not None and nxt.start == tok.end + 1
    if kind == _COLON:
        # In [...] after an index, a colon is a slice (refused later, as slices are).
        if brackets and not (out and out[-1].token_type == TokenType.L_BRACKET):
            return None
        return _check_parameter(sql, tok, nxt)
    if kind == _NUMBER:
        if not _PG_NUMBER.fullmatch(tok.text) or (
            adjacent and nxt is not None and (nxt.text[:1].isalnum() or nxt.text[:1] == "_")
        ):
            junk = tok.text + (nxt.text if adjacent and nxt is not None else "")
            raise _error(sql, tok, f"trailing junk after numeric literal at or near {junk!r}")
        return None
    if kind == TokenType.PLACEHOLDER:
        _check_key_test(sql, tok, out[-1] if out else None, nxt)
        raise _error(sql, tok, "parameters are named, like :name")
    if kind == TokenType.L_BRACE:
        raise _duckdb(sql, tok, "a struct or map literal {...}")
    twin = adjacent and nxt is not None and nxt.token_type == kind  # ** or //
    if kind == TokenType.STAR and twin:
        raise _duckdb(sql, tok, "**", "use power(x, y)")
    if kind == TokenType.SLASH and twin:
        raise _duckdb(sql, tok, "//", "use floor(a / b)")
    if kind in (TokenType.ANTI, TokenType.SEMI, TokenType.ASOF):
        if _joins(tokens, i, out):
            word = tok.text.upper()
            raise _duckdb(
                sql, tok, f"{word} JOIN", f"to name a table {tok.text}, write AS {tok.text}"
            )
        return None
    if kind == TokenType.ORDER_BY and nxt is not None and nxt.token_type == TokenType.ALL:
        raise _duckdb(sql, nxt, "ORDER BY ALL", "list the columns or their positions")
    if kind == TokenType.MOD and nxt is not None and nxt.token_type == _L_PAREN and adjacent:
        # %(name)s: a Python driver's placeholder, which sqlglot reads as one
        close = tokens[i + 3] if i + 3 < len(tokens) else None
        after = tokens[i + 4] if i + 4 < len(tokens) else None
        if (
            close is not None
            and after is not None
            and close.token_type == _R_PAREN
            and after.text == "s"
            and after.start == close.end + 1
        ):
            raise _error(sql, tok, "%(name)s placeholders are not DDSQL; write :name")
    return None


# Tokens that end an operand (a ``?`` after one and before a string is an operator).
_OPERAND_ENDS = {TokenType.VAR, TokenType.IDENTIFIER, TokenType.STRING, _R_PAREN}


def _check_key_test(sql: str, tok: Token, prev: Token | None, nxt: Token | None) -> None:
    """hstore's and jsonb's key test ``tags ? 'k'`` (sqlglot reads ``?`` as a
    placeholder): refused, with DDSQL's way to write it."""
    if (
        prev is not None
        and nxt is not None
        and prev.token_type in _OPERAND_ENDS
        and nxt.token_type == TokenType.STRING
    ):
        operand = sql[prev.start : prev.end + 1] if prev.token_type in _NAME_TOKENS else "tags"
        key = sql[nxt.start : nxt.end + 1]
        raise Refusal(
            f"operator ? is not supported in DDSQL; to test for a key write "
            f"{operand}->{key} IS NOT NULL",
            offset=tok.start,
        )


# Tokens that end a list (a comma right before one is DuckDB's trailing comma).
_AFTER_LIST = {
    _R_PAREN,
    TokenType.R_BRACKET,
    TokenType.FROM,
    TokenType.SEMICOLON,
    TokenType.WHERE,
    TokenType.GROUP_BY,
    TokenType.ORDER_BY,
    TokenType.HAVING,
    TokenType.LIMIT,
}
_JOIN_SIDES = {TokenType.LEFT, TokenType.RIGHT, TokenType.FULL, TokenType.INNER, TokenType.OUTER}


def _joins(tokens: list[Token], i: int, out: list[Token]) -> bool:
    """Whether the ANTI / SEMI / ASOF / POSITIONAL word at ``i`` qualifies a JOIN (not a
    table alias written with AS)."""
    if out and out[-1].token_type == TokenType.ALIAS:
        return False
    j = i + 1
    while j < len(tokens) and tokens[j].token_type in _JOIN_SIDES:
        j += 1
    return j < len(tokens) and tokens[j].token_type == TokenType.JOIN


def _check_word(sql: str, word: str, tokens: list[Token], i: int, out: list[Token]) -> None:
    """DuckDB-only syntax that starts with a plain word (see :data:`_DUCKDB_WORDS`)."""
    tok = tokens[i]
    prev = out[-1].token_type if out else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if word == "positional" and _joins(tokens, i, out):
        raise _duckdb(sql, tok, "POSITIONAL JOIN")
    if word == "by" and nxt is not None and nxt.token_type == TokenType.NAME:
        before = out[-2].token_type if len(out) > 1 else None
        if prev in _SET_OPERATIONS or (
            prev in (TokenType.ALL, TokenType.DISTINCT) and before in _SET_OPERATIONS
        ):
            raise _duckdb(sql, tok, "UNION BY NAME", "match the columns by position")
    if word == "sample" and prev == TokenType.USING:
        raise _duckdb(sql, tok, "USING SAMPLE")
    if word == "summarize" and prev in _STATEMENT_START:
        raise _duckdb(sql, tok, "SUMMARIZE")
    if word == "lambda" and nxt is not None and nxt.token_type == _VAR:
        raise _duckdb(sql, tok, "a lambda function")
    if word == "exclude" and prev == TokenType.STAR:
        raise _duckdb(sql, tok, "SELECT * EXCLUDE (...)", "list the columns")


def _check_parameter(sql: str, colon: Token, name: Token | None) -> Token | None:
    """A ``:name`` placeholder: the name follows the colon directly and is an identifier
    (``[A-Za-z_][A-Za-z0-9_]*``) outside the reserved ``ddsql_`` space. psql's
    ``:'name'`` and ``:"name"`` (its variables pasted as a literal or a quoted name) are
    refused: a parameter is a value bound by the engine, never text in the query.
    Returns the name as a VAR token when sqlglot reads it as a keyword."""
    if name is None or name.start != colon.end + 1:
        raise _error(sql, colon, "':' here (a parameter is written :name, with no space)")
    if name.token_type in (TokenType.IDENTIFIER, TokenType.STRING):
        raise _error(
            sql,
            colon,
            "parameter names are not quoted: write :name (letters, digits and underscores)",
        )
    text = name.text
    if name.token_type == _NUMBER or not PARAMETER_NAME.fullmatch(text):
        if name.token_type == _NUMBER and text.isdigit():
            raise _error(sql, colon, "parameters are named, like :name")
        raise _error(sql, colon, f"parameter name {text!r}: letters, digits and underscores only")
    if text.lower().startswith(INTERNAL_PREFIX):
        raise Refusal(
            f"parameter :{text}: names starting with {INTERNAL_PREFIX} are reserved",
            offset=colon.start,
        )
    if name.token_type == _VAR:
        return None
    return Token(_VAR, text, name.line, name.col, name.start, name.end, name.comments)


STATEMENT_WORDS = ("SELECT", "WITH", "VALUES", "SET", "SHOW")


def _misspelt_statement(sql: str, tokens: list[Token]) -> ParseError | None:
    """For text that does not parse: a statement that starts with a name close to a
    statement keyword (``SELCT``) gets "did you mean SELECT?", with a caret under it."""
    for i, tok in enumerate(tokens):
        if tok.token_type != TokenType.VAR or (i and tokens[i - 1].token_type != _SEMICOLON):
            continue
        close = difflib.get_close_matches(tok.text.upper(), STATEMENT_WORDS, n=1, cutoff=0.6)
        if close:
            return _error(sql, tok, f"{tok.text} is not a keyword; did you mean {close[0]}?")
    return None


def _synthetic(kind: TokenType, text: str, at: Token) -> Token:
    return Token(kind, text, at.line, at.col, at.start, at.start)


def parse(sql: str, unwrap_arrows: bool = True, preview: bool = False) -> Parsed:
    """Parse DDSQL text into sqlglot trees, one per statement.

    Raises :class:`ParseError` with the line, column and a caret under the token. With
    ``unwrap_arrows`` False the pre-pass's parentheses around a name before ``->`` stay
    (``Parsed.arrows``): the caller applies :func:`unwrap_arrow` to every ``->`` and
    ``->>`` node, parents first (``take_inventory`` does, in the walk it makes anyway).
    ``preview``: read DDSQL (Preview) syntax (:mod:`.preview_tokens`).
    """
    calls: dict[str, int] = {}
    tokens, arrows = _tokenize(sql, calls, preview)
    parser = getattr(_PER_THREAD, "parser", None)
    if parser is None:  # one per thread (parse resets it)
        parser = _PER_THREAD.parser = DIALECT.parser()
    try:
        trees = parser.parse(tokens, sql)
    except SqlglotParseError as exc:
        info = exc.errors[0] if exc.errors else {}
        line, col = int(info.get("line") or 1), int(info.get("col") or 1)
        start = _token_start(tokens, line, col)
        description = str(info.get("description") or exc).split(". Line ")[0]
        message = _readable(description, sql, tokens, start)
        if start is not None:
            line, col = position(sql, start)
        misspelt = _misspelt_statement(sql, tokens)
        if misspelt is not None:
            raise misspelt from None
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


def _readable(message: str, sql: str, tokens: list[Token], start: int | None) -> str:
    """sqlglot's parser messages without its internals (class names, token reprs): a
    call that lacks an argument is named as written (``start``: where the parser
    stopped)."""
    missing = _MISSING.search(message)
    if missing:
        name = missing.group(1)
        node_class = getattr(exp, name, None)
        called = _called_at(sql, tokens, start)
        if isinstance(node_class, type) and issubclass(node_class, exp.Func) and called:
            return f"function {called}() is missing arguments"
        what = f"'{_WHAT[name]}'" if name in _WHAT else name.upper()
        return f"{what} is missing an operand or clause here"
    message = _TOKEN_REPR.sub(lambda m: repr(m.group(1)), message)
    return message.replace("'SENTINEL'", "the end of the query")


def _called_at(sql: str, tokens: list[Token], start: int | None) -> str | None:
    """The name of the call whose parentheses hold the offset ``start``, as written."""
    if start is None:
        return None
    depth = 0
    before = [t for t in tokens if t.start < start]
    for i in range(len(before) - 1, 0, -1):
        kind = before[i].token_type
        depth += (kind == _R_PAREN) - (kind == _L_PAREN)
        if depth < 0:
            return _written(sql, before[i - 1]) if before[i - 1].token_type in _CALLED else None
    return None


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
