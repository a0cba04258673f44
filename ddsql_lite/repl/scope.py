"""What a half-typed statement has in scope at the cursor: its FROM items, CTEs, aliases.

Pure functions over the forgiving tokens of :mod:`.sqltokens`; they never raise,
whatever the text. :class:`Statement` takes the significant tokens of one statement
(before and after the cursor) and answers: which sources (tables, CTEs, subqueries,
table functions) the cursor can see and their columns, which clause the cursor is in,
and which function call it is inside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..registry import Column, Table
from .sqltokens import NUMBER, OP, PUNCT, STRING, WORD, Token

# Words that end a FROM item (so they are never taken for an alias) or a select list.
# fmt: off
RESERVED = frozenset({
    "all", "and", "any", "array", "as", "asc", "between", "by", "case", "cross", "current",
    "desc", "distinct", "else", "end", "except", "exists", "false", "fetch", "filter",
    "following", "for", "from", "full", "group", "having", "ilike", "in", "inner",
    "intersect", "interval", "is", "join", "lateral", "left", "like", "limit", "natural",
    "not", "null", "nulls", "offset", "on", "or", "order", "outer", "over", "partition",
    "preceding", "range", "right", "rows", "select", "set", "show", "similar", "then",
    "true", "union", "unbounded", "using", "values", "when", "where", "window", "with",
    "within",
})
# fmt: on
# Keywords that start a clause (the cursor's clause is the last one before it).
# fmt: off
_CLAUSES = frozenset({
    "select", "from", "join", "on", "where", "group", "order", "having", "limit", "offset",
    "using", "union", "values", "with", "partition", "set", "show",
})
# fmt: on
_SELECT_END = frozenset(
    {"from", "where", "group", "order", "having", "limit", "offset", "union", "window"}
)
# Table functions allowed in FROM and the column name PostgreSQL gives their output.
_TABLE_FUNCTIONS = {
    "unnest": "unnest",
    "json_array_elements": "value",
    "json_array_elements_text": "value",
}


@dataclass(frozen=True)
class Origin:
    """Where a value comes from: a table column, and the JSON steps (``->``) taken from
    it (an integer step is an array element)."""

    table: Table
    column: Column
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutputColumn:
    """A column a source offers; ``origin`` is the table column (or JSON inside it) it
    passes through unchanged, when it does, so tag and JSON completion work through
    CTEs, subqueries and ``json_array_elements``."""

    name: str
    detail: str
    origin: Origin | None = None


@dataclass(frozen=True)
class Source:
    """Something in FROM: ``name`` is how the query refers to it (its alias, else the
    last part of its name); ``table`` is set for a registered table."""

    name: str
    kind: str  # "table", "cte", "subquery", "function", "unknown"
    columns: tuple[OutputColumn, ...]
    table: Table | None = None
    written: str = ""  # the table name as written, for a table without an alias


def table_columns(table: Table) -> tuple[OutputColumn, ...]:
    return tuple(OutputColumn(c.name, c.type.ddsql, Origin(table, c)) for c in table.columns)


def find_table(tables: Sequence[Table], name: str) -> Table | None:
    for table in tables:
        if name in table.names:
            return table
    return None


class Statement:
    """One statement's significant tokens and the cursor's position among them.

    ``tokens[:cursor]`` lie before the cursor (the word being typed excluded);
    ``tokens[cursor:]`` after it.
    """

    def __init__(
        self, tokens: Sequence[Token], cursor: int, tables: Sequence[Table], depth: int = 0
    ) -> None:
        self.tokens = list(tokens)
        self.cursor = cursor
        self.tables = tables
        self._depth = depth  # guards recursion through CTE and subquery bodies
        self.match = _matching_parens(self.tokens)
        self.ctes: dict[str, Source] = {}
        if depth < 4:
            self.ctes = self._ctes()

    # --- the cursor's surroundings -------------------------------------------------

    def enclosing(self) -> list[tuple[int, int]]:
        """Token ranges [start, end) of the groups around the cursor, innermost first:
        each unclosed parenthesis before the cursor, then the whole statement."""
        groups = [
            (i + 1, self.match[i])
            for i in range(self.cursor)
            if self.tokens[i].text == "(" and self.match[i] >= self.cursor
        ]
        return [*reversed(groups), (0, len(self.tokens))]

    def clause(self) -> str:
        """The clause keyword the cursor is in within its innermost group (``""`` when
        none): select, from, join, on, where, group, order, having, ..."""
        start, _ = self.enclosing()[0]
        i = self.cursor - 1
        while i >= start:
            tok = self.tokens[i]
            if tok.text == ")":
                i = self._open_of(i) - 1
                continue
            if tok.kind == WORD and tok.value in _CLAUSES:
                return tok.value
            if tok.kind == WORD and tok.value == "by" and i > start:
                before = self.tokens[i - 1].value
                if before in ("group", "order", "partition"):
                    return before
            i -= 1
        return ""

    def _is_call(self, start: int) -> bool:
        """Is the group starting at token ``start`` the argument list of a call?"""
        if start < 2:
            return False
        name = self.tokens[start - 2]
        return name.is_name() and (name.kind != WORD or name.value not in RESERVED)

    def call(self) -> tuple[str, list[list[Token]]] | None:
        """When the cursor is directly inside a function call's parentheses: the
        function's name (lower case) and its arguments up to the cursor, split at
        top-level commas (the last one is the argument being typed)."""
        start, _ = self.enclosing()[0]
        if not self._is_call(start):
            return None
        args: list[list[Token]] = [[]]
        i = start
        while i < self.cursor:
            tok = self.tokens[i]
            if tok.text == "(":
                end = min(self.match[i], self.cursor - 1)
                args[-1].extend(self.tokens[i : end + 1])
                i = end + 1
                continue
            if tok.text == ",":
                args.append([])
            else:
                args[-1].append(tok)
            i += 1
        return self.tokens[start - 2].value, args

    def sources(self) -> list[Source]:
        """The FROM items the cursor sees: those of the innermost enclosing group that
        has any (function-call parentheses, as in ``extract(year FROM ts)``, are not
        groups with FROM items), else none."""
        for start, end in self.enclosing():
            if self._is_call(start):
                continue
            found = self._from_items(start, end)
            if found:
                return found
        return []

    def outputs(self) -> list[OutputColumn]:
        """The output columns of the select list of the cursor's innermost group."""
        start, end = self.enclosing()[0]
        return self._select_outputs(start, end, self._from_items(start, end))

    # --- FROM items ------------------------------------------------------------------

    def _from_items(self, start: int, end: int) -> list[Source]:
        items: list[Source] = []
        i = start
        while i < end:
            tok = self.tokens[i]
            if tok.text == "(":
                i = self.match[i] + 1
                continue
            if tok.is_word("from", "join"):
                i += 1
                while i < end:
                    source, i = self._from_item(i, end, items)
                    if source is not None:
                        items.append(source)
                    if i < end and self.tokens[i].text == "," and tok.is_word("from"):
                        i += 1
                        continue
                    break
                continue
            i += 1
        return items

    def _from_item(self, i: int, end: int, before: list[Source]) -> tuple[Source | None, int]:
        """The FROM item starting at token ``i`` (``before``: the items left of it), and
        the index after it."""
        if i >= end:
            return None, i
        tok = self.tokens[i]
        if tok.is_word("lateral"):
            i += 1
            tok = self.tokens[i] if i < end else tok
        if tok.text == "(":
            close = self.match[i]
            body = Statement(self.tokens[i + 1 : min(close, end)], 0, self.tables, self._depth + 1)
            columns = tuple(body.body_outputs()) if self._depth < 4 else ()
            alias, names, j = self._alias(close + 1, end)
            columns = _renamed(columns, names)
            return Source(alias or "", "subquery", columns), j
        if not tok.is_name() or (tok.kind == WORD and tok.value in RESERVED):
            return None, i + 1
        parts = [tok.value]
        j = i + 1
        while j + 1 < end and self.tokens[j].text == "." and self.tokens[j + 1].is_name():
            parts.append(self.tokens[j + 1].value)
            j += 2
        written = ".".join(parts)
        if j < end and self.tokens[j].text == "(":
            close = self.match[j]
            origin = None
            if written == "json_array_elements":
                arg = origin_of(self.tokens[j + 1 : min(close, end)], before)
                origin = Origin(arg.table, arg.column, (*arg.path, "0")) if arg else None
            alias, names, j = self._alias(close + 1, end)
            default = _TABLE_FUNCTIONS.get(written, written)
            columns = tuple(
                OutputColumn(n, "column", origin if k == 0 else None)
                for k, n in enumerate(names or [alias or default])
            )
            return Source(alias or written, "function", columns), j
        alias, names, j = self._alias(j, end)
        if len(parts) == 1 and parts[0] in self.ctes:
            cte = self.ctes[parts[0]]
            return Source(alias or cte.name, "cte", _renamed(cte.columns, names)), j
        table = find_table(self.tables, written)
        if table is None:
            return Source(alias or parts[-1], "unknown", (), None, written), j
        columns = _renamed(table_columns(table), names)
        return Source(alias or parts[-1], "table", columns, table, written), j

    def _alias(self, i: int, end: int) -> tuple[str | None, list[str], int]:
        """An optional ``[AS] alias [(col, ...)]`` at token ``i``."""
        if i < end and self.tokens[i].is_word("as"):
            i += 1
        if i < end and self.tokens[i].is_name() and self.tokens[i].value not in RESERVED:
            alias = self.tokens[i].value
            i += 1
            names: list[str] = []
            if i < end and self.tokens[i].text == "(":
                close = self.match[i]
                names = [t.value for t in self.tokens[i + 1 : min(close, end)] if t.is_name()]
                i = close + 1
            return alias, names, i
        return None, [], i

    # --- CTEs and select lists -----------------------------------------------------

    def _ctes(self) -> dict[str, Source]:
        ctes: dict[str, Source] = {}
        toks, i = self.tokens, 0
        if not toks or not toks[0].is_word("with"):
            return ctes
        i = 1
        if i < len(toks) and toks[i].is_word("recursive"):
            i += 1
        while i < len(toks) and toks[i].is_name():
            name = toks[i].value
            i += 1
            names: list[str] = []
            if i < len(toks) and toks[i].text == "(":
                names = [t.value for t in toks[i + 1 : self.match[i]] if t.is_name()]
                i = self.match[i] + 1
            if i < len(toks) and toks[i].is_word("as"):
                i += 1
            columns: tuple[OutputColumn, ...] = ()
            if i < len(toks) and toks[i].text == "(":
                close = self.match[i]
                body = Statement(toks[i + 1 : close], 0, self.tables, self._depth + 1)
                body.ctes = {**ctes, **body.ctes}
                columns = tuple(body.body_outputs())
                i = close + 1
            ctes[name] = Source(name, "cte", _renamed(columns, names))
            if i < len(toks) and toks[i].text == ",":
                i += 1
                continue
            break
        return ctes

    def body_outputs(self) -> list[OutputColumn]:
        """The output columns of this statement as a whole (a CTE or subquery body)."""
        return self._select_outputs(0, len(self.tokens), self._from_items(0, len(self.tokens)))

    def _select_outputs(self, start: int, end: int, sources: list[Source]) -> list[OutputColumn]:
        i = start
        while i < end and not self.tokens[i].is_word("select"):
            i = self.match[i] + 1 if self.tokens[i].text == "(" else i + 1
        if i >= end:
            return []
        i += 1
        if i < end and self.tokens[i].is_word("distinct", "all"):
            i += 1
            if i + 1 < end and self.tokens[i].is_word("on") and self.tokens[i + 1].text == "(":
                i = self.match[i + 1] + 1
        items: list[list[Token]] = [[]]
        while i < end:
            tok = self.tokens[i]
            if tok.kind == WORD and tok.value in _SELECT_END:
                break
            if tok.text == "(":
                close = min(self.match[i], end - 1)
                items[-1].extend(self.tokens[i : close + 1])
                i = close + 1
                continue
            if tok.text == ",":
                items.append([])
            else:
                items[-1].append(tok)
            i += 1
        out: list[OutputColumn] = []
        for item in items:
            out.extend(_item_outputs(item, sources))
        return out

    def _open_of(self, close: int) -> int:
        for i in range(close - 1, -1, -1):
            if self.tokens[i].text == "(" and self.match[i] == close:
                return i
        return close


def _matching_parens(tokens: Sequence[Token]) -> list[int]:
    """For each "(" the index of its ")" (len(tokens) when unclosed); other tokens map
    to themselves."""
    match = list(range(len(tokens)))
    stack: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.kind == PUNCT and tok.text == "(":
            stack.append(i)
        elif tok.kind == PUNCT and tok.text == ")" and stack:
            match[stack.pop()] = i
    for i in stack:
        match[i] = len(tokens)
    return match


def _renamed(columns: Sequence[OutputColumn], names: Sequence[str]) -> tuple[OutputColumn, ...]:
    """``columns`` with the first ones renamed by an alias column list."""
    out = [
        OutputColumn(n, c.detail, c.origin) if n else c
        for c, n in zip(columns, [*names, *[""] * len(columns)])
    ]
    out += [OutputColumn(n, "column") for n in names[len(columns) :]]
    return tuple(out)


def _item_outputs(item: list[Token], sources: list[Source]) -> list[OutputColumn]:
    """The output column(s) of one select-list item, named as PostgreSQL names them."""
    if not item:
        return []
    last = item[-1]
    if last.text == "*":
        if len(item) >= 3 and item[-2].text == "." and item[-3].is_name():
            qualifier = item[-3].value
            return [c for s in sources if s.name == qualifier for c in s.columns]
        return [c for s in sources for c in s.columns]
    if len(item) >= 2 and item[-2].is_word("as") and last.is_name():
        return [OutputColumn(last.value, "column", origin_of(item[:-2], sources))]
    if (
        len(item) >= 2
        and last.is_name()
        and (last.kind != WORD or last.value not in RESERVED)
        and item[-2].kind != OP
        and item[-2].text != "."
    ):
        return [OutputColumn(last.value, "column", origin_of(item[:-1], sources))]
    if last.is_name() and (len(item) == 1 or item[-2].text == "."):
        return [OutputColumn(last.value, "column", origin_of(item, sources))]
    if item[0].is_name() and len(item) > 1 and item[1].text == "(":
        return [OutputColumn(item[0].value, "column")]
    if item[0].is_word("case"):
        return [OutputColumn("case", "column")]
    return []


def _step_before(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    """The ``-> step`` ending right before index ``i`` (a string, a number or a negative
    number): its value and the index where the ``->`` is."""
    if i >= 2 and tokens[i - 1].kind in (STRING, NUMBER) and tokens[i - 2].text == "->":
        return tokens[i - 1].value, i - 2
    if (
        i >= 3
        and tokens[i - 1].kind == NUMBER
        and tokens[i - 2].text == "-"
        and tokens[i - 3].text == "->"
    ):
        return "-" + tokens[i - 1].value, i - 3
    return None


def trailing_operand(tokens: Sequence[Token]) -> list[Token]:
    """The longest end of ``tokens`` that reads ``name[.name...] [-> step ...]``."""
    i = len(tokens)
    while (step := _step_before(tokens, i)) is not None and step[1] >= 1:
        i = step[1]
    if i < 1 or not tokens[i - 1].is_name():
        return []
    i -= 1
    while i >= 2 and tokens[i - 1].text == "." and tokens[i - 2].is_name():
        i -= 2
    return list(tokens[i:])


def origin_of(
    expr: Sequence[Token], sources: Sequence[Source], tables: Sequence[Table] = ()
) -> Origin | None:
    """Where ``expr`` comes from when it is a (maybe qualified) column followed by any
    ``-> step`` JSON steps: a column of ``sources`` (matched by qualifier), else of
    ``tables`` (the named one, or the first with such a column); None otherwise."""
    if not expr or trailing_operand(expr) != list(expr):
        return None
    path: list[str] = []
    while (step := _step_before(expr, len(expr))) is not None:
        path.insert(0, step[0])
        expr = expr[: step[1]]
    parts = [t.value for t in expr if t.is_name()]
    name, qualifier = parts[-1], parts[:-1]
    for source in sources:
        if qualifier and source.name != qualifier[-1]:
            continue
        for column in source.columns:
            if column.name == name and column.origin is not None:
                base = column.origin
                return Origin(base.table, base.column, (*base.path, *path))
    named = find_table(tables, ".".join(qualifier)) if qualifier else None
    for table in [named] if named is not None else tables:
        for col in table.columns:
            if col.name == name:
                return Origin(table, col, tuple(path))
    return None
