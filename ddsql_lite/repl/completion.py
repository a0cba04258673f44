"""What fits at the cursor: the shell's completion logic, as a pure function.

:func:`complete` takes the text before the cursor (and, optionally, after it) and a
:class:`Catalog`, and returns :class:`Candidate` values with their kind. It knows
DDSQL's places: table names after FROM/JOIN, columns of what is in scope (also after
``alias.``), tag keys after ``tags->'``, JSON keys after ``col->'`` and inside
``json_extract_path_text(col, '...`` (an index first where the value is an array), the
values of few-valued text columns and tag keys after ``col = '`` and inside ``IN (``,
types after ``::``, units, settings and meta-command arguments. In DDSQL (Preview)
(``syntax="preview"``) tag keys are names too, bare or after ``#`` (tag references). It
never raises and never touches a terminal or a database: everything data-dependent comes
from the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..registry import Table
from .scope import (
    RESERVED,
    OutputColumn,
    Source,
    Statement,
    find_table,
    origin_of,
    table_columns,
    trailing_operand,
)
from .sqltokens import COMMENT, NUMBER, OP, PUNCT, QUOTED, STRING, WORD, Token, tokenize
from .sqltokens import significant as _significant

KEYWORDS = (
    "SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET",
    "DISTINCT", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "BETWEEN", "CASE",
    "WHEN", "THEN", "ELSE", "END", "JOIN", "INNER JOIN", "LEFT JOIN", "RIGHT JOIN",
    "FULL JOIN", "CROSS JOIN", "ON", "USING", "UNION", "UNION ALL", "WITH", "VALUES", "ASC",
    "DESC", "NULLS FIRST", "NULLS LAST", "TRUE", "FALSE", "OVER", "PARTITION BY", "ROWS",
    "RANGE", "UNBOUNDED", "PRECEDING", "FOLLOWING", "CURRENT ROW", "WITHIN GROUP", "CAST",
    "INTERVAL", "TIMESTAMP", "EXISTS", "ALL", "ARRAY",
)  # fmt: skip
STATEMENT_KEYWORDS = ("SELECT", "WITH", "VALUES", "SHOW", "SET")
# Keywords that may follow a complete operand (a column, a literal, a closing paren).
AFTER_OPERAND = (
    "AS", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "LIKE", "BETWEEN", "THEN",
    "ELSE", "END", "WHEN", "ASC", "DESC", "NULLS FIRST", "NULLS LAST", "GROUP BY",
    "ORDER BY", "HAVING", "LIMIT", "OFFSET", "UNION", "UNION ALL", "OVER", "ON", "USING",
    "JOIN", "INNER JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN",
    "WITHIN GROUP",
)  # fmt: skip
# Keywords after a complete FROM item (a table, maybe with its alias).
AFTER_FROM_ITEM = (
    "AS", "JOIN", "INNER JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN", "ON",
    "USING", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "UNION",
    "UNION ALL",
)  # fmt: skip
TYPES = ("BIGINT", "INTEGER", "DECIMAL", "DOUBLE", "VARCHAR", "TEXT", "BOOLEAN", "TIMESTAMP",
         "INTERVAL", "JSON")  # fmt: skip
EXTRACT_UNITS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second",
                 "dow", "doy", "timezone_hour", "timezone_minute")  # fmt: skip
TRUNC_UNITS = ("millisecond", "second", "minute", "hour", "day", "week", "month", "quarter",
               "year")  # fmt: skip
SETTINGS = ("dd.time_frame_start", "dd.time_frame_end")
INDEXES = (("0", "first element"), ("-1", "last element"))
COMPARISONS = ("=", "<>", "!=")
JSON_PATH_FUNCTIONS = ("json_extract_path", "json_extract_path_text")
ARROWS = ("->", "->>")


@dataclass(frozen=True)
class Candidate:
    """One completion: ``text`` replaces the ``-start`` characters before the cursor."""

    text: str
    kind: str  # keyword, function, table, column, alias, tag key, json key, type, ...
    start: int = 0  # <= 0, as prompt_toolkit's start_position
    display: str = ""  # what the menu shows (``text`` when empty)
    detail: str = ""  # shown beside it: a column's type, a command's arguments...


class Catalog(Protocol):
    """What the completion may know about the data. Data-dependent answers (tag keys,
    JSON keys) may be computed lazily; they must be cheap after the first call."""

    def tables(self) -> Sequence[Table]:
        """Every table queries may use (each with its names and columns)."""
        ...

    def functions(self) -> Iterable[str]:
        """The names of the functions queries may call (lower case)."""
        ...

    def tag_keys(self, table: str, column: str) -> Sequence[str]:
        """The tag keys present in a tag column of the loaded data."""
        ...

    def json_keys(self, table: str, column: str, path: Sequence[str]) -> Sequence[str]:
        """The object keys present at ``path`` (steps as written: keys or indexes) in a
        JSON column of the loaded data."""
        ...

    def json_array(self, table: str, column: str, path: Sequence[str]) -> bool:
        """Whether the value at ``path`` in a JSON column is an array in the data."""
        ...

    def values(self, table: str, column: str, key: str | None = None) -> Sequence[str]:
        """The values present in a text column, or (``key``) of a tag key of a tag
        column, when they are few; else none."""
        ...

    def meta_commands(self) -> Mapping[str, Sequence[str] | None]:
        """Meta-command names (with their backslash), each with the values its argument
        may take, or None when its argument is a DDSQL query."""
        ...


def complete(
    before: str, catalog: Catalog, after: str = "", syntax: str = "ddsql"
) -> list[Candidate]:
    """The candidates that fit at the cursor, best first.

    ``before`` is the whole input before the cursor, ``after`` the input after it (used
    only to see FROM clauses and aliases written later in the statement); ``syntax`` the
    DDSQL variant queries are read in (``preview``: tag keys complete as names).
    """
    if before.lstrip().startswith("\\"):
        return _complete_meta(before.lstrip(), catalog, after)
    toks = tokenize(before)
    cut = max((i + 1 for i, t in enumerate(toks) if t.text == ";" and t.kind == PUNCT), default=0)
    toks = toks[cut:]
    last = toks[-1] if toks else None
    if last is not None and last.kind == STRING and not last.closed and after.startswith("'"):
        after = after[1:]  # the string's closing quote is already there
    after_toks = tokenize(after)
    stop = next((i for i, t in enumerate(after_toks) if t.text == ";"), len(after_toks))
    completer = _Completer(toks, _significant(after_toks[:stop]), catalog)
    completer.preview = syntax == "preview"
    return completer.run()


class _Completer:
    def __init__(self, toks: list[Token], after: list[Token], catalog: Catalog) -> None:
        self.catalog = catalog
        self.preview = False  # DDSQL (Preview): tag keys are names
        self.tables = list(catalog.tables())
        self.last = toks[-1] if toks else None
        self.prefix = ""
        self.in_string = self.in_quoted = False
        head = toks
        if self.last is not None and self.last.kind in (WORD, STRING, QUOTED, COMMENT, NUMBER):
            head = toks[:-1]
            self.in_string = self.last.kind == STRING and not self.last.closed
            self.in_quoted = self.last.kind == QUOTED and not self.last.closed
            self.prefix = self.last.text if self.last.kind == WORD else ""
            if self.in_string or self.in_quoted:
                self.prefix = self.last.value
        self.sig = _significant(head)
        self.stmt = Statement(self.sig + after, len(self.sig), self.tables)

    @property
    def start(self) -> int:
        """How far back the replaced text starts."""
        if self.last is None:
            return 0
        if self.in_string or self.in_quoted:
            return -(len(self.last.text) - 1)
        return -len(self.last.text) if self.last.kind == WORD else 0

    def prev(self, n: int = 1) -> Token | None:
        return self.sig[-n] if len(self.sig) >= n else None

    # --- dispatch ----------------------------------------------------------------------

    def run(self) -> list[Candidate]:
        last = self.last
        if last is not None and last.kind == COMMENT:
            return []
        if (
            last is not None
            and last.kind in (STRING, QUOTED, NUMBER)
            and not (self.in_string or self.in_quoted)
        ):
            return []  # right after a closed literal or a number: nothing to add to it
        if self.in_string:
            return self.string_context()
        if self.sig and self.sig[0].is_word("show", "set") and not self.in_quoted:
            return self.setting_name()
        prev = self.prev()
        qualifier = self.qualifier()
        if qualifier:
            return self.qualified(qualifier)
        if self.preview and prev is not None and prev.text == "#" and self._adjacent(prev):
            return self.tag_names(explicit=True)  # #key, #"key"
        if self.in_quoted:
            return self.names(self.scope_columns(), quoted=True)
        if prev is not None and prev.kind == OP and prev.text in ARROWS:
            return self.keys_after_arrow(self.sig[:-1], quoted=True)
        keys = self.json_path_arg(quoted=True)
        if keys is not None:
            return keys
        if prev is None:
            return self.keywords(STATEMENT_KEYWORDS)
        if prev.text == "::" or (prev.is_word("as") and self.call_name() == "cast"):
            return self.keywords(TYPES, kind="type")
        if prev.text == "(" and self.call_name() == "extract":
            return self.words(EXTRACT_UNITS, "unit")
        if prev.is_word("as", "with", "recursive"):
            return []  # naming an alias or a CTE
        clause = self.stmt.clause()
        in_call = self.stmt.call() is not None  # extract(x FROM ...), substring(s FROM ...)
        if not in_call and (
            prev.is_word("from", "join") or (prev.text == "," and clause == "from")
        ):
            return self.from_targets()
        before_paren = self.prev(2)
        if prev.text == "(" and before_paren is not None and before_paren.is_word("from", "join"):
            return self.keywords(("SELECT", "VALUES", "WITH"))
        if clause in ("from", "join") and _is_operand(prev):
            return self.keywords(AFTER_FROM_ITEM)
        if _is_operand(prev):
            return self.keywords(AFTER_OPERAND)
        return self.expression(clause)

    # --- contexts ----------------------------------------------------------------------

    def expression(self, clause: str) -> list[Candidate]:
        columns = self.scope_columns()
        if clause in ("order", "group", "having"):
            columns = [*self.stmt.outputs(), *columns]
        groups = [
            self.names(columns),
            self.tag_names() if self.preview else [],
            self.source_names(),
            self.functions(),
            self.keywords(KEYWORDS),
        ]
        return _rank([c for g in groups for c in g], self.prefix)

    def _adjacent(self, prev: Token) -> bool:
        """Whether the word being typed (or the cursor) follows ``prev`` with no blank."""
        if self.last is None:
            return False
        if self.last is prev:
            return True
        return self.last.kind in (WORD, QUOTED) and self.last.start == prev.end

    def tag_names(self, *, explicit: bool = False) -> list[Candidate]:
        """DDSQL (Preview): the tag keys of the sources in scope that have tags, as names
        (quoted when they must be). ``explicit``: after ``#``, where a quote being typed
        is part of the name."""
        keys: dict[str, None] = {}
        for source in self.stmt.sources() or [
            Source(t.table_name, "table", table_columns(t), t) for t in self.tables
        ]:
            if source.table is None:
                continue
            for col in source.table.columns:
                if col.type.ddsql == "HSTORE":
                    keys.update(dict.fromkeys(self.catalog.tag_keys(source.table.name, col.name)))
        start = self.start
        if explicit and self.in_quoted:
            start -= 1  # the opening quote is replaced too
        found = [Candidate(_ident(k), "tag key", start, k, "tag key") for k in keys]
        prefix = ('"' + self.prefix) if explicit and self.in_quoted else self.prefix
        return _rank(found, prefix.lstrip('"'))

    def setting_name(self) -> list[Candidate]:
        """After SHOW or SET: the settings (their names contain dots)."""
        words = self.sig[1:]
        if any(not (t.is_name() or t.text == ".") for t in words):
            return []  # past the name (SET x = ...)
        typed = "".join(t.text for t in words) + self.prefix
        choices = [*SETTINGS, "ALL"] if self.sig[0].is_word("show") else list(SETTINGS)
        start = -(len(typed)) if typed else 0
        upper = _wants_upper(typed)
        found = [
            Candidate(c.upper() if upper else c, "setting", start, c, "setting") for c in choices
        ]
        return [c for c in _rank(found, typed) if c.display.lower().startswith(typed.lower())]

    def from_targets(self) -> list[Candidate]:
        found = [
            Candidate(_ident_path(n), "table", self.start, n, "table")
            for t in self.tables
            for n in t.names
        ] + [Candidate(_ident(n), "cte", self.start, n, "cte") for n in self.stmt.ctes]
        return _rank(found, self.prefix)

    def qualified(self, qualifier: list[str]) -> list[Candidate]:
        """After ``x.`` or ``x.y.``: the columns of source x, or the tables of schema x."""
        written = ".".join(qualifier)
        for source in self.stmt.sources():
            if (
                source.kind != "unknown"
                and source.name == qualifier[-1]
                and (len(qualifier) == 1 or source.written == written)
            ):
                return self.names(list(source.columns), quoted=self.in_quoted)
        table = find_table(self.tables, written)
        if table is not None:
            return self.names(list(table_columns(table)), quoted=self.in_quoted)
        if len(qualifier) == 1:
            in_schema = [t for t in self.tables if t.schema_name == qualifier[0]]
            found = [
                Candidate(_ident(t.table_name), "table", self.start, t.table_name, "table")
                for t in in_schema
            ]
            return _rank(found, self.prefix)
        return []

    def string_context(self) -> list[Candidate]:
        """Inside an unterminated string literal."""
        prev = self.prev()
        if prev is not None and prev.kind == OP and prev.text in ARROWS:
            return self.keys_after_arrow(self.sig[:-1], quoted=False)
        compared = self.compared()
        if compared is not None:
            return self.strings(self.values_of(compared), "value")
        keys = self.json_path_arg(quoted=False)
        if keys is not None:
            return keys
        call = self.stmt.call()
        if call is not None and len(call[1]) == 1 and not call[1][0]:
            if call[0] == "current_setting":
                return self.strings(SETTINGS, "setting")
            if call[0] == "date_trunc":
                return self.strings(TRUNC_UNITS, "unit")
        return []

    def keys_after_arrow(self, base: list[Token], *, quoted: bool) -> list[Candidate]:
        """Keys for ``base -> '...``: tag keys of a tag column, JSON keys of a JSON
        value at the path the chain of ``->`` steps has reached."""
        return self.keys_at(trailing_operand(base), [], quoted=quoted)

    def json_path_arg(self, *, quoted: bool) -> list[Candidate] | None:
        """Keys for a path step of ``json_extract_path[_text](col, 'k', ...``; None when
        the cursor is not at such a step."""
        call = self.stmt.call()
        if call is None or call[0] not in JSON_PATH_FUNCTIONS or len(call[1]) < 2:
            return None
        first, *steps = call[1]
        current = steps.pop()
        if current or not all(
            len(s) == 1 and s[0].kind in (STRING, NUMBER) and s[0].closed for s in steps
        ):
            return []
        return self.keys_at(first, [s[0].value for s in steps], quoted=quoted, tags=False)

    def keys_at(
        self, expr: list[Token], steps: list[str], *, quoted: bool, tags: bool = True
    ) -> list[Candidate]:
        """The keys found after ``steps`` into the value ``expr`` denotes."""
        origin = origin_of(expr, self.stmt.sources(), self.tables)
        if origin is None:
            return []
        path = [*origin.path, *steps]
        table, column = origin.table.name, origin.column.name
        if tags and origin.column.type.ddsql == "HSTORE" and not path:
            return self.strings(self.catalog.tag_keys(table, column), "tag key", quoted=quoted)
        if origin.column.type.ddsql == "JSON":
            keys = self.strings(
                self.catalog.json_keys(table, column, path), "json key", quoted=quoted
            )
            if steps or not self.catalog.json_array(table, column, path):
                return keys
            return self.indexes(quoted=quoted) + keys
        return []

    def compared(self) -> list[Token] | None:
        """The operand a string being typed is compared with: ``x = '``, ``x <> '``,
        ``x IN ('a', '``; None elsewhere."""
        i = len(self.sig)
        while i >= 2 and self.sig[i - 1].text == "," and self.sig[i - 2].kind == STRING:
            i -= 2  # earlier items of an IN list
        op = self.sig[i - 1] if i else None
        if op is not None and op.text == "(" and i >= 2 and self.sig[i - 2].is_word("in"):
            i -= 1
            op = self.sig[i - 1]
            if i >= 2 and self.sig[i - 2].is_word("not"):
                i -= 1
        elif op is None or op.text not in COMPARISONS or i != len(self.sig):
            return None
        return trailing_operand(self.sig[: i - 1])

    def values_of(self, expr: list[Token]) -> Sequence[str]:
        """The values in the data of a text column or of ``tags -> 'key'``."""
        origin = origin_of(expr, self.stmt.sources(), self.tables)
        if origin is None:
            return []
        table, column, kind = origin.table.name, origin.column.name, origin.column.type.ddsql
        if kind == "VARCHAR" and not origin.path:
            return self.catalog.values(table, column)
        if kind == "HSTORE" and len(origin.path) == 1:
            return self.catalog.values(table, column, origin.path[0])
        return []

    def indexes(self, *, quoted: bool) -> list[Candidate]:
        """Array indexes after ``->`` (in place of the quote when one was typed: ``'0'``
        would be an object key)."""
        if self.prefix.strip("-").strip("0123456789"):
            return []
        start = self.start if quoted else self.start - 1
        return [
            Candidate(i, "index", start, i, what)
            for i, what in INDEXES
            if i.startswith(self.prefix)
        ]

    # --- scope -------------------------------------------------------------------------

    def qualifier(self) -> list[str]:
        """The names before the dot(s) right before the word being typed."""
        sig = self.sig
        if not sig or sig[-1].text != "." or len(sig) < 2 or not sig[-2].is_name():
            return []
        return _qualifier_before(sig, len(sig))

    def scope_columns(self) -> list[OutputColumn]:
        sources = self.stmt.sources()
        if sources:
            return [c for s in sources for c in s.columns]
        return [c for t in self.tables for c in table_columns(t)]

    def source_names(self) -> list[Candidate]:
        seen: dict[str, Source] = {s.name: s for s in self.stmt.sources() if s.name}
        return [
            Candidate(_ident(n), "alias", self.start, n, s.written or s.kind)
            for n, s in seen.items()
        ]

    def call_name(self) -> str:
        call = self.stmt.call()
        return call[0] if call else ""

    # --- candidate builders ------------------------------------------------------------

    def names(self, columns: Sequence[OutputColumn], *, quoted: bool = False) -> list[Candidate]:
        seen: dict[str, OutputColumn] = {}
        for col in columns:
            seen.setdefault(col.name, col)
        if quoted:
            found = [
                Candidate(n.replace('"', '""') + '"', "column", self.start, n, c.detail)
                for n, c in seen.items()
            ]
        else:
            found = [
                Candidate(_ident(n), "column", self.start, n, c.detail) for n, c in seen.items()
            ]
        return _rank(found, self.prefix)

    def functions(self) -> list[Candidate]:
        upper = _wants_upper(self.prefix)
        return [
            Candidate(f.upper() if upper else f, "function", self.start, f + "()", "function")
            for f in sorted(self.catalog.functions())
        ]

    def keywords(self, words: Iterable[str], kind: str = "keyword") -> list[Candidate]:
        upper = _wants_upper(self.prefix) or not self.prefix
        found = [
            Candidate(w.upper() if upper else w.lower(), kind, self.start, w, kind) for w in words
        ]
        return _rank(found, self.prefix)

    def words(self, words: Iterable[str], kind: str) -> list[Candidate]:
        return _rank([Candidate(w, kind, self.start, w, kind) for w in words], self.prefix)

    def strings(self, values: Iterable[str], kind: str, *, quoted: bool = False) -> list[Candidate]:
        """String literals: the rest of an open literal, or whole quoted literals."""
        lit = [v.replace("'", "''") for v in values]
        texts = [f"'{v}'" if quoted else f"{v}'" for v in lit]
        found = [Candidate(t, kind, self.start, v, kind) for t, v in zip(texts, values)]
        return _rank(found, self.prefix)


def _complete_meta(text: str, catalog: Catalog, after: str) -> list[Candidate]:
    commands = catalog.meta_commands()
    name, space, rest = text.partition(" ")
    if not space:
        found = [Candidate(c, "meta-command", -len(name), c) for c in commands]
        return _rank(found, name)
    choices = commands.get(name, ())
    if choices is None:
        return complete(rest, catalog, after)
    word = rest.split(" ")[-1]
    found = [Candidate(c, "argument", -len(word), c) for c in choices]
    return _rank(found, word)


# --- helpers ------------------------------------------------------------------------------

# Kinds matched anywhere in the name (others only at the start of a word).
_SUBSTRING_KINDS = frozenset({"table", "column", "alias", "cte", "tag key", "json key"})
_PLAIN = re.compile(r"[a-z_][a-z0-9_$]*")


def _ident(name: str) -> str:
    """``name`` as an identifier in SQL: bare when it can be, else double-quoted."""
    if _PLAIN.fullmatch(name) and name not in RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


def _ident_path(name: str) -> str:
    return ".".join(_ident(p) for p in name.split("."))


def _qualifier_before(toks: Sequence[Token], i: int) -> list[str]:
    """The dotted names right before token ``i`` (``a.b.`` gives ["a", "b"])."""
    parts: list[str] = []
    while (
        i >= 2 and toks[i - 1].kind == PUNCT and toks[i - 1].text == "." and toks[i - 2].is_name()
    ):
        parts.insert(0, toks[i - 2].value)
        i -= 2
    return parts


def _is_operand(tok: Token) -> bool:
    """Does ``tok`` end a complete operand (so an operator or keyword comes next)?"""
    if tok.kind == WORD:
        return tok.value not in RESERVED and tok.value not in {"cast", "extract"}
    return tok.kind in (QUOTED, STRING, NUMBER) or tok.text in (")", "]", "*")


def _wants_upper(prefix: str) -> bool:
    return any(c.isalpha() for c in prefix) and prefix == prefix.upper()


def _rank(found: list[Candidate], prefix: str) -> list[Candidate]:
    """The candidates matching ``prefix``: those starting with it first, then those with
    a word (after ``_``, ``.``, ``-``, ``:``, space) starting with it, then those
    containing it; case-insensitive, order kept within a tier, duplicates dropped."""
    want = prefix.lower()
    tiers: list[list[Candidate]] = [[], [], []]
    seen: set[str] = set()
    for cand in found:
        name = (cand.display or cand.text).lower()
        if cand.text in seen:
            continue
        if name.startswith(want):
            tier = 0
        elif any(w.startswith(want) for w in re.split(r"[_.\-: ]", name)[1:]):
            tier = 1
        elif want in name and cand.kind in _SUBSTRING_KINDS:
            tier = 2
        else:
            continue
        seen.add(cand.text)
        tiers[tier].append(cand)
    return [c for t in tiers for c in t]
