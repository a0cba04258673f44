"""The simple filters a query puts on the one table it reads, as plain data.

:func:`simple_filters` parses a DDSQL query and returns what its top-level ``WHERE``
implies about the rows of its table: one :class:`SimpleFilter` per ``AND``-ed
comparison of a column with a literal. A loader may use them to narrow what it fetches
(docs/design.md, "Pushdown"); the query still filters the loaded rows, so a filter only
has to be implied by the query. Pure: no registry, no data, no sqlglot objects out.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, NamedTuple

from sqlglot import exp

from ..errors import DDSQLError


class SimpleFilter(NamedTuple):
    """``column op value`` holds for every row of ``table`` the query can return.

    ``table`` and ``column`` are spelled as the query names them (unquoted names folded
    to lower case). ``op`` is ``"="`` (``value`` is the literal text), ``"contains"``
    (the column's text contains ``value``: a literal run of a ``LIKE`` pattern), or
    ``">"``, ``">="``, ``"<"``, ``"<="`` (``value`` is a literal timestamp, an aware UTC
    datetime).
    """

    table: str
    column: str
    op: str
    value: str | datetime


_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"(Z|[+-]00(?::?00)?)?"
)
# Clauses that apply after WHERE (or do not touch rows); any other one blocks the filters.
_SELECT_ARGS = frozenset(
    {"expressions", "distinct", "from_", "where", "group", "having", "order", "limit",
     "offset", "windows"}
)  # fmt: skip
_TABLE_ARGS = frozenset({"this", "db", "catalog", "alias"})
_COMPARISONS: dict[type[exp.Expr], str] = {exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<="}
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


def simple_filters(sql: str) -> list[SimpleFilter]:
    """The filters ``sql``'s top-level ``WHERE`` puts on its table, in query order.

    Only a single ``SELECT`` over one table, referenced once in the whole query (no
    joins, subqueries, CTEs or set operations: another reference could need the rows a
    filter leaves out), and only the ``AND``-ed conjuncts of its ``WHERE``:

    - ``column = 'text'`` (either way round) -> ``=``;
    - ``column LIKE 'pattern'`` -> ``contains`` for each literal run between ``%`` and
      ``_`` (``ILIKE``, ``NOT LIKE``, ``ESCAPE`` and patterns with a backslash: none);
    - ``column`` compared with ``>``, ``>=``, ``<``, ``<=`` (either way round) or
      ``BETWEEN`` to a literal timestamp (``'2025-03-01'``, ``TIMESTAMP '...'``,
      ``'...'::timestamp``; no offset other than ``Z``/``+00:00``) -> the comparison.

    Anything else (``OR``, ``NOT``, ``BETWEEN SYMMETRIC``, functions, parameters,
    ``now()``, ``DATE`` literals...) adds nothing; a query that does not parse, or is
    not one statement, has no filters (running it reports the error).
    """
    from .ddsql import parse

    try:
        trees = parse(sql).statements
    except DDSQLError:
        return []
    if len(trees) != 1:
        return []
    found = _single_table_where(trees[0])
    if found is None:
        return []
    table, where = found
    return [
        SimpleFilter(table, column, op, value)
        for conjunct in _conjuncts(where)
        for column, op, value in _implied(conjunct)
    ]


def _single_table_where(tree: exp.Expr) -> tuple[str, exp.Expr] | None:
    """(the table's name, the WHERE condition) of a single-table query, else None."""
    if not isinstance(tree, exp.Select):
        return None
    if any(v not in (None, [], False) for k, v in tree.args.items() if k not in _SELECT_ARGS):
        return None  # CTEs, joins, laterals, samples, ...: doubtful, so no filters
    tables = list(tree.find_all(exp.Table))
    if len(tables) != 1 or any(True for _ in tree.find_all(exp.Subquery)):
        return None
    if sum(1 for _ in tree.find_all(exp.Select)) != 1:
        return None
    source = tree.args.get("from_")
    if not isinstance(source, exp.From) or source.this is not tables[0]:
        return None
    if any(v not in (None, [], False) for k, v in tables[0].args.items() if k not in _TABLE_ARGS):
        return None
    alias = tables[0].args.get("alias")
    if alias is not None and alias.args.get("columns"):
        return None  # FROM t AS x(a, b, ...) renames the columns
    where = tree.args.get("where")
    if where is None:
        return None
    parts = [tables[0].args.get(k) for k in ("catalog", "db", "this")]
    return ".".join(_ident(p) for p in parts if p is not None), where.this


def _ident(node: Any) -> str:
    if isinstance(node, exp.Identifier):
        return str(node.this) if node.quoted else str(node.this).lower()
    return str(node).lower()


def _conjuncts(node: exp.Expr) -> list[exp.Expr]:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _column(node: Any) -> str | None:
    """The name of a plain column reference, or None."""
    if not isinstance(node, exp.Column) or not isinstance(node.this, exp.Identifier):
        return None
    return _ident(node.this)


def _plain(node: exp.Expr, *keys: str) -> bool:
    """True unless ``node`` sets an argument besides ``keys`` (``NOT LIKE`` is a Like
    with ``negate``, ``BETWEEN SYMMETRIC`` a Between with ``symmetric``...)."""
    return all(v in (None, False, []) for k, v in node.args.items() if k not in keys)


def _implied(node: exp.Expr) -> list[tuple[str, str, str | datetime]]:
    """(column, op, value) triples that ``node`` being true implies."""
    if not _plain(node, "this", "expression", "low", "high"):
        return []
    if isinstance(node, exp.EQ):
        left, right = node.this, node.expression
        if _column(left) is None:
            left, right = right, left
        column, text = _column(left), _string(right)
        if column is None or text is None:
            return []
        return [(column, "=", text)]
    if isinstance(node, exp.Like):
        column, pattern = _column(node.this), _string(node.expression)
        if column is None or pattern is None or "\\" in pattern:
            return []
        return [(column, "contains", run) for run in re.split(r"[%_]", pattern) if run]
    if isinstance(node, exp.Between):
        column = _column(node.this)
        if column is None:
            return []
        bounds = ((">=", node.args.get("low")), ("<=", node.args.get("high")))
        return [(column, op, stamp) for op, bound in bounds if (stamp := _time(bound))]
    op = _COMPARISONS.get(type(node))
    if op is not None:
        left, right = node.this, node.expression
        if _column(left) is None:
            left, right, op = right, left, _FLIP[op]
        column, stamp = _column(left), _time(right)
        if column is None or stamp is None:
            return []
        return [(column, op, stamp)]
    return []


def _string(node: Any) -> str | None:
    if isinstance(node, exp.Literal) and node.is_string:
        return str(node.this)
    return None


def _time(node: Any) -> datetime | None:
    """A literal timestamp (UTC, aware) or None when it is not a plain literal."""
    if isinstance(node, exp.Cast):
        to = node.args.get("to")
        if not isinstance(to, exp.DataType) or to.this != exp.DType.TIMESTAMP:
            return None
        if not _plain(node, "this", "to", "_type") or to.expressions:
            return None
        node = node.this
    text = _string(node)
    match = _TIMESTAMP.fullmatch(text.strip()) if text is not None else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, _ = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=timezone.utc,
        )
    except ValueError:
        return None
