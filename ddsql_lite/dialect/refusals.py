"""Refusals that teach: what the translator refuses is named as the user wrote it, with a
caret under it and, where DDSQL has one, the way to write it (docs/dialect.md, "Errors").

A check that refuses raises :class:`Refusal` with the node (or the offset in the text) it
refuses; the translator, which holds the text, turns it into an error with the line, the
column and a caret (:meth:`Refusal.located`). :data:`CONSTRUCTS` is the one table of the
constructs refused by their kind: the tokens that spell each, and the DDSQL alternative.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from sqlglot import exp
from sqlglot.errors import TokenError
from sqlglot.tokenizer_core import Token, TokenType

from ..errors import DDSQLError, QueryError, UndefinedFunctionError, UnsupportedError, at
from .nodes import pg_sql

_OPENERS = {TokenType.L_PAREN: TokenType.R_PAREN, TokenType.L_BRACKET: TokenType.R_BRACKET}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
# Nodes whose parentheses are part of them.
_PARENTHESISED = (exp.Tuple, exp.Paren, exp.Subquery)
# The parts of a column name before the column's own (t.col, schema.t.col) and what
# separates them from it.
_QUALIFIERS = frozenset({"table", "db", "catalog"})
_DOTS = re.compile(r'\s*\.\s*(?:(?:\w+|"[^"]*")\s*\.\s*)*')
# How long a construct's own text may be to be quoted whole in a message.
_QUOTED = 60


class Refusal(UnsupportedError):
    """A refusal of ``node`` (or of the text at ``offset``), located once the text is at
    hand. ``parts`` name nodes whose text, as the user wrote it, fills ``{name}`` fields of
    the message; ``kind`` is the error class users get."""

    def __init__(
        self,
        message: str,
        node: exp.Expr | None = None,
        offset: int | None = None,
        parts: dict[str, exp.Expr] | None = None,
        kind: type[DDSQLError] = UnsupportedError,
    ) -> None:
        super().__init__(message)
        self.message, self.node, self.offset = message, node, offset
        self.parts, self.kind = parts or {}, kind

    @classmethod
    def at_node(cls, error: UnsupportedError, node: exp.Expr) -> Refusal:
        """``error`` as a refusal of ``node``, unless it already says where it is."""
        if isinstance(error, Refusal):
            if error.node is None and error.offset is None:
                error.node = node
            return error
        return cls(str(error), node, kind=type(error))

    def located(self, sql: str) -> DDSQLError:
        """The error users get: the message in their words, with a caret under what it
        refuses when its place in ``sql`` is known. Never raises: should finding the
        words or the place fail, the message alone."""
        try:
            return self._located(sql)
        except Exception:  # an error's message must not fail in its turn
            message = self.message
            for name, part in self.parts.items():
                message = message.replace(f"{{{name}}}", pg_sql(part))
            return self.kind(message)

    def _located(self, sql: str) -> DDSQLError:
        source = Source(sql)
        message = self.message
        for name, part in self.parts.items():
            message = message.replace(f"{{{name}}}", source.text(part))
        offset = self.offset
        if offset is None and self.node is not None:
            offset = source.own_offset(self.node)
        if offset is None or not 0 <= offset < len(sql):
            return self.kind(message)
        return self.kind(at(message, sql, offset))


def run_time_error(error: QueryError, sql: str) -> QueryError:
    """A failure DuckDB reported while running ``sql``'s translation, in the query's
    words: qualified columns of the generated SQL as their names, the ``ddsql_`` names of
    its macros as the DDSQL function (or "an internal step"), and a caret under the one
    literal of the query that the message quotes, when there is exactly one."""
    message = _QUALIFIED.sub(lambda m: m.group(1), str(error))
    written = sql.lower()

    def internal(match: re.Match[str]) -> str:
        name = match.group(0)
        if name.lower() in written:
            return name
        function = match.group(1).lower()
        return function if function in _ddsql_functions() else "an internal step"

    message = postgres_wording(_INTERNAL.sub(internal, message), sql)
    quoted = (single or double for single, double in _QUOTED_VALUE.findall(message))
    for value in dict.fromkeys(quoted):
        literal = "'" + value.replace("'", "''") + "'"
        if value and sql.count(literal) == 1:
            return type(error)(at(message, sql, sql.index(literal)))
    return type(error)(message)


def postgres_wording(message: str, sql: str = "") -> str:
    """DuckDB's words for argument types no function or operator takes, as PostgreSQL says
    it (``operator does not exist: text - integer``, ``function abs(text) does not
    exist``), with PostgreSQL's type names; ``sql``: the query, whose words name a
    function. Any other message unchanged (DuckDB's words for data that does not convert
    or fit are the engine's to reword: :func:`ddsql_lite.engine.pg_meaning`)."""
    message = _ERROR_CLASS.sub("", message)
    for pattern, say in _WORDING:
        match = pattern.search(message)
        if match is not None:
            return message[: match.start()] + say(match, sql) + message[match.end() :]
    return message


# DuckDB's error classes, which a message may still hold after the engine took the first
# ("Binder Error: Parser Error: ...").
_ERROR_CLASS = re.compile(r"\b(?:[A-Z][a-z]+ )+Error: ")
# DuckDB's names of DDSQL's types, as PostgreSQL names them in messages.
_PG_TYPES = {
    "INTEGER_LITERAL": "integer",
    "STRING_LITERAL": "unknown",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "BOOLEAN": "boolean",
    "MAP(VARCHAR, VARCHAR[])": "hstore",
    "NULL": "unknown",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "INT64": "bigint",
    "INT32": "integer",
    "BOOL": "boolean",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "VARCHAR": "text",
    "TIMESTAMP": "timestamp",
    "INTERVAL": "interval",
    "JSON": "json",
}


def _pg_type(duckdb_type: str) -> str:
    if duckdb_type in _PG_TYPES:
        return _PG_TYPES[duckdb_type]
    if duckdb_type.endswith("[]"):
        return _pg_type(duckdb_type[:-2]) + "[]"
    if duckdb_type.startswith("DECIMAL"):
        return "numeric"
    return duckdb_type.lower()


def _signature(match: re.Match[str], sql: str, verdict: str) -> str:
    """DuckDB's ``name(T1, T2)`` with no (or no single) matching function, as PostgreSQL
    says it: ``operator does not exist: text - integer``, ``function abs(text) does not
    exist``; a function the query does not name is "a function" of it."""
    name, types = match.group("name"), _split_types(match.group("types"))
    said = [_pg_type(t) for t in types]
    if not name[:1].isalpha() and name[:1] != "_":
        operands = f"{said[0]} {name} {said[1]}" if len(said) == 2 else f"{name} {', '.join(said)}"
        return f"operator {verdict}: {operands}"
    called = name if re.search(rf"(?i)\b{re.escape(name)}\s*\(", sql) else "a function"
    listed = ", ".join(said)
    if called == "a function":  # (one the translation calls, not named in the query)
        taken = "does not take" if verdict == "does not exist" else "is not unique for"
        return f"a function of this query {taken} ({listed})"
    return f"function {called}({listed}) {verdict}"


def _split_types(text: str) -> list[str]:
    """``VARCHAR, MAP(VARCHAR, VARCHAR[])`` -> its two types (commas inside parentheses
    belong to a type)."""
    types, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            types.append(text[start:i].strip())
            start = i + 1
    last = text[start:].strip()
    return [*types, last] if last else types


_WORDING: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], str]], ...] = (
    (
        re.compile(
            r"No function matches the given name and argument types "
            r"'(?P<name>[^(']+)\((?P<types>.*)\)'\. You might need to add explicit type casts\."
        ),
        lambda m, sql: _signature(m, sql, "does not exist"),
    ),
    (
        re.compile(
            r"Could not choose a best candidate function for the function call "
            r"\"(?P<name>[^(\"]+)\((?P<types>.*)\)\"\. In order to select one, please add "
            r"explicit type casts\."
        ),
        lambda m, sql: _signature(m, sql, "is not unique"),
    ),
)


_QUALIFIED = re.compile(r'(?:"[^"]*"\.)+"([^"]*)"')
_INTERNAL = re.compile(r"\bddsql_(\w+)", re.IGNORECASE)
# A value a message quotes: DuckDB's 'x', PostgreSQL's "x" (engine.pg_meaning).
_QUOTED_VALUE = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"")


def _ddsql_functions() -> frozenset[str]:
    """The DDSQL function names (imported when an error needs them: .functions imports
    the rule modules, which import this one)."""
    from .functions import DDSQL_FUNCTIONS

    return DDSQL_FUNCTIONS


def refuse(node: exp.Expr, sql: str) -> UnsupportedError:
    """The refusal of a node no DDSQL construct allows: named as written, with the DDSQL
    way to write it where :data:`CONSTRUCTS` has one."""
    source = Source(sql)
    construct = construct_of(node)
    offset = source.own_offset(node)
    kind: type[UnsupportedError] = UnsupportedError
    if construct is not None:
        message = construct.message(node, source)
    elif isinstance(node, exp.Func):
        message = f"function {source.call_name(node)}() is not supported in DDSQL"
        kind = UndefinedFunctionError
    else:
        message = f"{source.quoted(node)} is not supported in DDSQL"
    return kind(at(message, sql, offset) if offset is not None else message)


class Source:
    """The text of a query and its tokens: where a node is, and how the user wrote it."""

    def __init__(self, sql: str) -> None:
        self.sql = sql

    @cached_property
    def starts(self) -> list[int]:
        """Where each token starts, in order (to find the tokens at an offset)."""
        return [t.start for t in self.tokens]

    @cached_property
    def tokens(self) -> list[Token]:
        from .ddsql import DIALECT  # (here: the parser imports this module)

        try:
            return DIALECT.tokenizer().tokenize(self.sql)
        except TokenError:
            return []

    def extent(self, node: exp.Expr) -> tuple[int, int] | None:
        """The first and last offset of ``node`` in the text (from the positions the parser
        recorded under it, widened to the brackets they open or close); None when
        nothing under it was parsed from the text."""
        starts, ends = [], []
        for sub in node.walk():
            start, end = sub.meta.get("start"), sub.meta.get("end")
            if isinstance(start, int) and isinstance(end, int):
                if (
                    sub.arg_key in _QUALIFIERS
                    and isinstance(sub.parent, exp.Column)
                    and not self._written_qualifier(sub, end)
                ):
                    continue  # a column's qualifier that qualification gave it
                starts.append(start)
                ends.append(end)
        if not starts:
            return None
        first, last = min(starts), max(ends)
        tokens = self.tokens
        if isinstance(node.args.get("expression"), exp.JSONPath):  # j -> 'k': the key
            operator = bisect_right(self.starts, last)
            if operator + 1 < len(tokens):
                last = max(last, tokens[operator + 1].end)
        i, j = bisect_left(self.starts, first), bisect_right(self.starts, last) - 1
        if i > j:
            return first, last
        depth = lowest = 0
        for tok in tokens[i : j + 1]:
            depth += (tok.token_type in _OPENERS) - (tok.token_type in _CLOSERS)
            lowest = min(lowest, depth)
        if isinstance(node, exp.Func) and depth == 0 and j + 1 < len(tokens):
            depth += tokens[j + 1].token_type == TokenType.L_PAREN  # a call's parentheses
        while depth > 0 and j + 1 < len(tokens):
            j += 1
            depth += (tokens[j].token_type in _OPENERS) - (tokens[j].token_type in _CLOSERS)
        while lowest < 0 and i > 0:
            i -= 1
            lowest += (tokens[i].token_type in _OPENERS) - (tokens[i].token_type in _CLOSERS)
        if (
            isinstance(node, _PARENTHESISED)
            and i > 0
            and j + 1 < len(tokens)
            and tokens[i - 1].token_type == TokenType.L_PAREN
            and tokens[j + 1].token_type == TokenType.R_PAREN
        ):
            i, j = i - 1, j + 1  # (a, b), (x), (SELECT ...): their parentheses
        return min(first, tokens[i].start), max(last, tokens[j].end)

    def _written_qualifier(self, qualifier: exp.Expr, end: int) -> bool:
        """Whether the table (or schema) name of a column was written before it, as
        ``t.col``: qualification copies the source's name, with its place in the text,
        into every column it qualifies."""
        column = qualifier.parent
        assert isinstance(column, exp.Column)
        start = column.this.meta.get("start")
        return isinstance(start, int) and _DOTS.fullmatch(self.sql, end + 1, start) is not None

    def text(self, node: exp.Expr) -> str:
        """``node`` as the user wrote it (as PostgreSQL would print it, without the
        translator's qualifiers, when it was not in the text)."""
        extent = self.extent(node)
        if extent is not None:
            return self.sql[extent[0] : extent[1] + 1]
        bare = node.copy()
        for column in bare.find_all(exp.Column):
            column.set("table", None)
        return pg_sql(bare)

    def quoted(self, node: exp.Expr) -> str:
        """:meth:`text`, shortened to its start when long."""
        text = " ".join(self.text(node).split())
        return text if len(text) <= _QUOTED else text[: _QUOTED - 3] + "..."

    def written(self, token: Token) -> str:
        return self.sql[token.start : token.end + 1]

    def call_name(self, node: exp.Expr) -> str:
        """The name of a call as written (sqlglot's name for it when not in the text)."""
        start, end = node.meta.get("start"), node.meta.get("end")
        if isinstance(start, int) and isinstance(end, int):
            return self.sql[start : end + 1]
        token = self.name_before(node)
        if token is not None:
            return self.written(token)
        if isinstance(node, exp.Anonymous):
            return str(node.name).lower().removeprefix("ddsql_")
        return node.sql_name().lower() if isinstance(node, exp.Func) else node.key

    def own_offset(self, node: exp.Expr) -> int | None:
        """Where the caret goes for ``node``: its own token (an operator, a keyword, a
        call's name), else its first character; None when no position is known."""
        construct = construct_of(node)
        kinds = construct.tokens if construct is not None else _SPELLED.get(type(node))
        if kinds:
            token = self.own_token(node, kinds)
            if token is not None:
                return token.start
        start = node.meta.get("start")
        if isinstance(start, int):
            return start
        if isinstance(node, exp.Placeholder):  # :name, the first written so
            for colon, name in zip(self.tokens, self.tokens[1:]):
                if colon.token_type == TokenType.COLON and name.text == node.name:
                    return colon.start
        if isinstance(node, exp.Cast):  # x::t (its ::), else CAST(x AS t) (its name)
            extent = self.extent(node.this)
            after = next((t for t in self.tokens if extent and t.start > extent[1]), None)
            if after is not None and after.token_type == TokenType.DCOLON:
                return after.start
        if isinstance(node, exp.Func):
            token = self.name_before(node)
            if token is not None:
                return token.start
        if isinstance(node, exp.Binary):
            token = self.between(node.this, node.expression)
            if token is not None:
                return token.start
        extent = self.extent(node)
        if extent is not None:
            return extent[0]
        return self.own_offset(node.parent) if node.parent is not None else None

    def own_token(self, node: exp.Expr, kinds: frozenset[TokenType]) -> Token | None:
        """The token of one of ``kinds`` that spells ``node``: inside its extent and
        outside its children's, else right after it (``x::json``), else the nearest before
        it (a keyword that leads it); without an extent, the first in its closest
        parent's."""
        extent = self.extent(node)
        if extent is None:
            # Nothing under it has a position (ARRAY[], NULL + NULL): when the query has
            # as many such tokens as nodes of its class, the n-th node is the n-th token.
            alike = [n for n in node.root().walk(bfs=False) if type(n) is type(node)]
            spelled = [t for t in self.tokens if t.token_type in kinds]
            if len(alike) == len(spelled):
                return next(t for n, t in zip(alike, spelled) if n is node)
            parent = node.parent
            while parent is not None and self.extent(parent) is None:
                parent = parent.parent
            area = self.extent(parent) if parent is not None else (0, len(self.sql))
            assert area is not None
            return next(
                (t for t in self.tokens if _within(t, area) and t.token_type in kinds), None
            )
        children: list[tuple[int, int]] | None = None  # found when first needed
        before = None
        for tok in self.tokens:
            if tok.token_type not in kinds or tok.start > extent[1]:
                continue
            if tok.start < extent[0]:
                before = tok
                continue
            if children is None:
                children = [e for c in node.iter_expressions() if (e := self.extent(c))]
            if not any(_within(tok, c) for c in children):
                return tok
        after = bisect_right(self.starts, extent[1])
        if after < len(self.tokens) and self.tokens[after].token_type in kinds:
            return self.tokens[after]
        return before

    def between(self, left: exp.Expr, right: exp.Expr) -> Token | None:
        """The first token between two operands that is not a bracket (their operator)."""
        a, b = self.extent(left), self.extent(right)
        if a is None or b is None:
            return None
        return next(
            (
                t
                for t in self.tokens
                if a[1] < t.start < b[0]
                and t.token_type not in _OPENERS
                and t.token_type not in _CLOSERS
            ),
            None,
        )

    def name_before(self, node: exp.Expr) -> Token | None:
        """The name token before the ``(`` that opens a call whose arguments are in the
        text (sqlglot records no position for some calls' names)."""
        extent = self.extent(node)
        if extent is None:
            return None
        tokens = self.tokens
        first = bisect_left(self.starts, extent[0])
        if first >= len(tokens):
            return None
        while first > 0 and tokens[first].token_type != TokenType.L_PAREN:
            first -= 1
            if tokens[first].end < extent[0] - 200:
                return None
        return tokens[first - 1] if first > 0 else None

    def after(self, token: Token, kinds: frozenset[TokenType]) -> Token | None:
        """The first token of ``kinds`` after ``token``."""
        return next((t for t in self.tokens if t.start > token.end and t.token_type in kinds), None)

    def closing(self, opener: Token) -> Token | None:
        """The bracket that closes ``opener``."""
        depth = 0
        for tok in self.tokens:
            if tok.start < opener.start:
                continue
            depth += (tok.token_type in _OPENERS) - (tok.token_type in _CLOSERS)
            if depth == 0:
                return tok
        return None


# The tokens that spell constructs DDSQL has, for a caret under them.
_SPELLED: dict[type[exp.Expr], frozenset[TokenType]] = {
    exp.EQ: frozenset({TokenType.EQ}),
    exp.NEQ: frozenset({TokenType.NEQ}),
    exp.GT: frozenset({TokenType.GT}),
    exp.GTE: frozenset({TokenType.GTE}),
    exp.LT: frozenset({TokenType.LT}),
    exp.LTE: frozenset({TokenType.LTE}),
    exp.Add: frozenset({TokenType.PLUS}),
    exp.Sub: frozenset({TokenType.DASH}),
    exp.Mul: frozenset({TokenType.STAR}),
    exp.Div: frozenset({TokenType.SLASH}),
    exp.Mod: frozenset({TokenType.MOD}),
    exp.Neg: frozenset({TokenType.DASH}),
    exp.DPipe: frozenset({TokenType.DPIPE}),
    exp.Between: frozenset({TokenType.BETWEEN}),
    exp.In: frozenset({TokenType.IN}),
    exp.Array: frozenset({TokenType.ARRAY}),
    exp.Select: frozenset({TokenType.SELECT}),
    exp.JSONExtract: frozenset({TokenType.ARROW}),
    exp.JSONExtractScalar: frozenset({TokenType.DARROW}),
    exp.JSONBExtract: frozenset({TokenType.HASH_ARROW}),
    exp.JSONBExtractScalar: frozenset({TokenType.DHASH_ARROW}),
}


def _within(token: Token, extent: tuple[int, int]) -> bool:
    return extent[0] <= token.start <= extent[1]


# ------------------------------------------------------------ the constructs refused


@dataclass(frozen=True)
class Construct:
    """A construct refused by its kind: the tokens that spell it and the DDSQL way to
    write it (text, or a function of the node and its source that fills in the user's
    words); ``spell`` says it in the user's words when its tokens alone do not."""

    tokens: frozenset[TokenType]
    instead: str | Callable[[exp.Expr, Source], str] = ""
    spell: Callable[[exp.Expr, Source, Token | None], str] | None = None
    verdict: str = "is not supported in DDSQL"

    def message(self, node: exp.Expr, source: Source) -> str:
        token = source.own_token(node, self.tokens) if self.tokens else None
        if self.spell is not None:
            said = self.spell(node, source, token)
        elif token is not None:
            said = source.written(token)
            if isinstance(node, exp.Binary):
                said = f"operator {said}"
        else:
            said = source.quoted(node)
        instead = self.instead(node, source) if callable(self.instead) else self.instead
        return f"{said} {self.verdict}" + (f"; {instead}" if instead else "")


def _tokens(*kinds: TokenType) -> frozenset[TokenType]:
    return frozenset(kinds)


def _lookup_value(node: exp.Expr, source: Source) -> tuple[str, str]:
    """For ``tags @> 'k=>v'`` (or ``'k:v'``, or ``tags->'k' @> 'v'``): the tag lookup and
    the value, as written, with stand-ins where they cannot be read."""
    tags, pair = node.this, node.expression
    if isinstance(node, exp.ArrayContainedBy):
        tags, pair = pair, tags
    while isinstance(pair, exp.Cast):
        pair = pair.this
    text = pair.this if isinstance(pair, exp.Literal) and pair.is_string else ""
    if isinstance(tags, exp.JSONExtract):  # tags->'k' @> 'v'
        return source.text(tags), _literal(text or "value")
    column = source.text(tags) if isinstance(tags, exp.Column) else "tags"
    match = re.fullmatch(r'\s*"?([^"=:,]+?)"?\s*(?:=>|:)\s*"?([^"=,]*?)"?\s*', text)
    key, value = (match.group(1), match.group(2)) if match else ("key", "value")
    return f"{column}->{_literal(key)}", _literal(value)


def _tag_value_test(node: exp.Expr, source: Source) -> str:
    lookup, value = _lookup_value(node, source)
    return (
        f"{lookup} is all of the key's values joined by ',': to test for one write "
        f"array_position(string_to_array({lookup}, ','), {value}) IS NOT NULL"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _key_tests(joiner: str) -> Callable[[exp.Expr, Source], str]:
    def instead(node: exp.Expr, source: Source) -> str:
        column = source.text(node.this) if isinstance(node.this, exp.Column) else "tags"
        keys = node.expression
        items = keys.expressions if isinstance(keys, exp.Array) else []
        written = [source.text(k) for k in items if isinstance(k, exp.Literal)] or ["'key'"]
        return "write " + f" {joiner} ".join(f"{column}->{k} IS NOT NULL" for k in written)

    return instead


def _quantified(node: exp.Expr, source: Source, token: Token | None) -> str:
    """``= ANY(...)`` / ``<> ALL(...)`` as written: the comparison and the keyword."""
    compare = node.parent
    word = source.written(token) if token is not None else node.key.upper()
    if isinstance(compare, exp.Binary):
        operator = source.between(compare.this, node) if compare.expression is node else None
        if operator is not None and (token is None or operator.start < token.start):
            return f"{source.written(operator)} {word}(...)"
    return f"{word}(...)"


def _quantified_instead(node: exp.Expr, source: Source) -> str:
    """``x = ANY(a)`` -> ``x IN (...)``, ``x <> ALL(a)`` -> ``x NOT IN (...)``."""
    compare = node.parent
    every = isinstance(node, exp.All) or (
        isinstance(node, exp.Anonymous) and node.name.lower() == "all"
    )
    negated = isinstance(compare, exp.NEQ) and every
    if compare is None or not (negated or (isinstance(compare, exp.EQ) and not every)):
        return "compare with each value, or use IN (...) / NOT IN (...)"
    left = source.text(compare.this)
    inner = node.this if not isinstance(node, exp.Anonymous) else (node.expressions or [None])[0]
    while isinstance(inner, exp.Paren):
        inner = inner.this
    word = "NOT IN" if negated else "IN"
    if isinstance(inner, exp.Array):
        listed = re.fullmatch(r"(?is)\s*ARRAY\s*\[(.*)\]\s*", source.text(inner))
        if listed is not None:
            values = listed.group(1)
        elif all(source.extent(v) is not None for v in inner.expressions):
            values = source.text(inner)
        else:
            values = ", ".join(source.text(v) for v in inner.expressions)
        return f"write {left} {word} ({values})"
    if isinstance(inner, (exp.Subquery, exp.Select, exp.Union)):
        return f"write {left} {word} (SELECT ...)"
    array = source.text(inner) if inner is not None else "array"
    test = "IS NULL" if negated else "IS NOT NULL"
    return f"write {left} {word} (...) with the values, or array_position({array}, {left}) {test}"


def _filter_instead(node: exp.Expr, source: Source) -> str:
    """``agg(x) FILTER (WHERE c)`` -> ``agg(CASE WHEN c THEN x END)``."""
    aggregate, where = node.this, node.expression
    condition = source.text(where.this) if isinstance(where, exp.Where) else "condition"
    name = source.call_name(aggregate) if isinstance(aggregate, exp.Func) else "count"
    args = [a for a in aggregate.iter_expressions()] if isinstance(aggregate, exp.Func) else []
    distinct = ""
    if len(args) == 1 and isinstance(args[0], exp.Distinct):
        distinct, args = "DISTINCT ", list(args[0].expressions)
    value = "1" if not args or isinstance(args[0], exp.Star) else source.text(args[0])
    return f"write {name}({distinct}CASE WHEN {condition} THEN {value} END)"


def _filter_spelled(node: exp.Expr, source: Source, token: Token | None) -> str:
    if token is None:
        return "FILTER (WHERE ...)"
    opener = source.after(token, _tokens(TokenType.L_PAREN))
    closer = source.closing(opener) if opener is not None else None
    if closer is None:
        return f"{source.written(token)} (...)"
    text = " ".join(source.sql[token.start : closer.end + 1].split())
    return text if len(text) <= _QUOTED else f"{source.written(token)} (...)"


_JOIN_WORDS = frozenset(
    {TokenType.CROSS, TokenType.JOIN, TokenType.LEFT, TokenType.INNER, TokenType.OUTER}
)


def _join_words(source: Source, word: Token | None) -> str:
    """The join keywords written right before ``word`` (``CROSS JOIN``), or ``""``."""
    if word is None:
        return ""
    before = [t for t in source.tokens if t.end < word.start]
    lead: list[Token] = []
    while before and before[-1].token_type in _JOIN_WORDS:
        lead.insert(0, before.pop())
    return " ".join(source.sql[lead[0].start : word.start].split()) + " " if lead else ""


def _lateral_spelled(node: exp.Expr, source: Source, token: Token | None) -> str:
    word = source.written(token) if token is not None else "LATERAL"
    return _join_words(source, token) + word


def _lateral_instead(node: exp.Expr, source: Source) -> str:
    if not isinstance(node.this, exp.Func):
        return (
            "DDSQL has no lateral subqueries: use a set-returning function in FROM "
            "(json_array_elements, unnest) or a correlated subquery in the select list"
        )
    word = source.own_token(node, _tokens(TokenType.LATERAL))
    extent = source.extent(node)
    instead = "a function in FROM already reads the sources before it"
    if word is None or extent is None:
        return instead
    rest = " ".join(source.sql[word.end + 1 : extent[1] + 1].split())
    return f"{instead}: write {_join_words(source, word)}{rest}"


def _ilike_instead(node: exp.Expr, source: Source) -> str:
    like = node.this if isinstance(node, exp.Escape) else node
    return f"write lower({source.text(like.this)}) LIKE lower({source.text(like.expression)})"


def _group_spelled(node: exp.Expr, source: Source, token: Token | None) -> str:
    return source.written(token) if token is not None else node.key.upper()


_DUCKDB = "is DuckDB syntax, not DDSQL"
_UNION_ALL = "run each grouping as its own query and combine them with UNION ALL"
_T = TokenType

# The constructs refused by their kind, with the DDSQL way to write them.
CONSTRUCTS: dict[type[exp.Expr], Construct] = {
    exp.ArrayContainsAll: Construct(_tokens(_T.AT_GT), _tag_value_test),
    exp.ArrayContainedBy: Construct(_tokens(_T.LT_AT), _tag_value_test),
    exp.ArrayOverlaps: Construct(
        _tokens(_T.DAMP), "test each value with array_position(array, value) IS NOT NULL"
    ),
    exp.JSONBContainsAnyTopKeys: Construct(_tokens(_T.QMARK_PIPE), _key_tests("OR")),
    exp.JSONBContainsAllTopKeys: Construct(_tokens(_T.QMARK_AMP), _key_tests("AND")),
    exp.JSONBDeleteAtPath: Construct(_tokens(_T.HASH_DASH)),
    exp.Any: Construct(_tokens(_T.ANY, _T.SOME), _quantified_instead, _quantified),
    exp.All: Construct(_tokens(_T.ALL), _quantified_instead, _quantified),
    exp.Lateral: Construct(_tokens(_T.LATERAL), _lateral_instead, _lateral_spelled),
    exp.Filter: Construct(_tokens(_T.FILTER), _filter_instead, _filter_spelled),
    exp.ILike: Construct(_tokens(_T.ILIKE), _ilike_instead),
    exp.NullSafeEQ: Construct(
        _tokens(_T.DISTINCT),
        "compare with = and test IS NULL on each side",
        lambda n, s, t: "IS NOT DISTINCT FROM",
    ),
    exp.NullSafeNEQ: Construct(
        _tokens(_T.DISTINCT),
        "compare with <> and test IS NULL on each side",
        lambda n, s, t: "IS DISTINCT FROM",
    ),
    exp.GroupingSets: Construct(_tokens(_T.GROUPING_SETS), _UNION_ALL, _group_spelled),
    exp.Rollup: Construct(_tokens(_T.ROLLUP), _UNION_ALL, _group_spelled),
    exp.Cube: Construct(_tokens(_T.CUBE), _UNION_ALL, _group_spelled),
    exp.Fetch: Construct(
        _tokens(_T.FETCH),
        lambda n, s: f"write LIMIT {s.text(n.args['count']) if n.args.get('count') else 'n'}",
        _group_spelled,
    ),
    exp.Intersect: Construct(
        _tokens(_T.INTERSECT),
        "DDSQL combines queries with UNION [ALL]; for the rows of both write "
        "WHERE ... IN (SELECT ...)",
        _group_spelled,
    ),
    exp.Except: Construct(
        _tokens(_T.EXCEPT),
        "DDSQL combines queries with UNION [ALL]; for the rows of one only write "
        "WHERE ... NOT IN (SELECT ...)",
        _group_spelled,
    ),
    exp.HexString: Construct(_tokens(_T.HEX_STRING), "write the number in decimal"),
    exp.Qualify: Construct(
        _tokens(_T.QUALIFY),
        "filter on the window function in an outer query",
        _group_spelled,
        _DUCKDB,
    ),
    exp.Pivot: Construct(_tokens(_T.PIVOT, _T.UNPIVOT), "use GROUP BY", _group_spelled, _DUCKDB),
    exp.TableSample: Construct(_tokens(_T.TABLE_SAMPLE), "", _group_spelled),
    # (sqrt() and cbrt() written as calls are refused by name before these are met)
    exp.Sqrt: Construct(
        _tokens(_T.PIPE_SLASH),
        lambda n, s: f"for a square root write power({s.text(n.this)}, 0.5)",
        lambda n, s, t: f"operator {s.written(t) if t is not None else '|/'}",
    ),
    exp.Cbrt: Construct(
        _tokens(_T.DPIPE_SLASH),
        lambda n, s: (
            f"for the cube root of a positive number write power({s.text(n.this)}, 1.0 / 3)"
        ),
        lambda n, s, t: f"operator {s.written(t) if t is not None else '||/'}",
    ),
}
# Calls that sqlglot reads for keywords (x = ALL(...), x = SOME(...)).
_KEYWORD_CALLS = {"all": CONSTRUCTS[exp.All], "some": CONSTRUCTS[exp.Any]}


def construct_of(node: exp.Expr) -> Construct | None:
    """The :data:`CONSTRUCTS` entry for ``node``, if any."""
    if isinstance(node, exp.Anonymous):
        return _KEYWORD_CALLS.get(str(node.name).lower())
    return CONSTRUCTS.get(type(node))
