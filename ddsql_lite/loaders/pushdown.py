"""Pushdown: the List call's filters implied by a DDSQL query, as a pure function.

:func:`list_filters` reads the query (``dialect.ddsql.parse``) and returns parameters for
the table's List operation (ListInferenceExperiments) such that the API still returns
*every* resource the query could return. The query filters the loaded rows again, so a
filter only has to be implied by the query, never exact. The rules:

- Only a single ``SELECT`` over the base table, referenced once in the whole query (no
  joins, subqueries, CTEs or set operations: another reference could need the rows a
  filter leaves out), and only the top-level ``AND``-ed conjuncts of its ``WHERE``.
- ``status = 'X'`` / ``type = 'X'`` -> ``StatusEquals`` / ``Type`` when ``X`` is one of the
  model's enum values (anything else matches nothing here, and the API would refuse it).
- ``name LIKE 'pat'`` or ``name = 'x'`` -> ``NameContains`` with the longest literal run of
  the pattern (between ``%`` and ``_``) made of the characters the model allows
  (``[a-zA-Z0-9-]``, at most 63). Every name the pattern matches contains that run
  exactly, so whether the service compares case-sensitively or not (the model does not
  say) it returns a superset. ``ILIKE``, ``NOT LIKE``, ``ESCAPE`` and patterns with a
  backslash are not pushed.
- ``creation_time`` / ``last_modified_time`` compared with ``>``, ``>=``, ``<``, ``<=`` or
  ``BETWEEN`` to a literal timestamp (``'2025-03-01'``, ``TIMESTAMP '2025-03-01 12:00'``,
  ``'...'::timestamp``; no offset other than ``Z``/``+00:00``) -> ``*After``/``*Before``,
  widened by a second on the open side: whether the service compares strictly or not,
  and botocore sends whole seconds. A bound that widening would push past either end of
  the timestamp range (0001-01-01, 9999-12-31) excludes nothing and is left out.
- Anything else (``OR``, ``NOT``, ``NOT LIKE``, ``BETWEEN SYMMETRIC``, functions,
  parameters, ``now()``, ``DATE`` literals...) adds nothing; a
  query that does not parse gives no filters (running it reports the error).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

from sqlglot import exp

from ..errors import DDSQLError
from ..registry import Table

# API member of the column -> (kind, List parameter), per List operation.
PUSHABLE: dict[str, dict[tuple[str, str], str]] = {
    "ListInferenceExperiments": {
        ("Status", "equals"): "StatusEquals",
        ("Type", "equals"): "Type",
        ("Name", "contains"): "NameContains",
        ("CreationTime", "after"): "CreationTimeAfter",
        ("CreationTime", "before"): "CreationTimeBefore",
        ("LastModifiedTime", "after"): "LastModifiedTimeAfter",
        ("LastModifiedTime", "before"): "LastModifiedTimeBefore",
    }
}
_NAME_CHARS = re.compile(r"[a-zA-Z0-9-]+")
_NAME_MAX = 63
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"(Z|[+-]00(?::?00)?)?"
)
_MARGIN = timedelta(seconds=1)
# Clauses that apply after WHERE (or do not touch rows); any other one blocks pushdown.
_SELECT_ARGS = frozenset(
    {"expressions", "distinct", "from_", "where", "group", "having", "order", "limit",
     "offset", "windows"}
)  # fmt: skip
_TABLE_ARGS = frozenset({"this", "db", "catalog", "alias"})
_FLIP = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE}


def list_filters(sql: str, table: Table) -> dict[str, Any]:
    """List-call parameters implied by ``sql`` over ``table`` (see the module docstring)."""
    pushable = PUSHABLE.get(table.api.get("list", ""), {})
    if not pushable:
        return {}
    from ..dialect.ddsql import parse

    try:
        trees = parse(sql).statements
    except DDSQLError:
        return {}
    if len(trees) != 1:
        return {}
    where = _single_table_where(trees[0], table)
    if where is None:
        return {}
    enums = _enums(table.api["service"], table.api["list"])
    filters: dict[str, Any] = {}
    for conjunct in _conjuncts(where):
        for kind_key, value in _narrowing(conjunct, table):
            param = pushable.get(kind_key)
            if param is None:
                continue
            if kind_key[1] == "equals" and value not in enums.get(param, ()):
                continue
            tighter = _tighter(kind_key[1], filters.get(param), value)
            if tighter is not None:
                filters[param] = tighter
    return filters


def _single_table_where(tree: exp.Expr, table: Table) -> exp.Expr | None:
    if not isinstance(tree, exp.Select):
        return None
    if any(v not in (None, [], False) for k, v in tree.args.items() if k not in _SELECT_ARGS):
        return None  # CTEs, joins, laterals, samples, ...: doubtful, so no pushdown
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
    parts = [tables[0].args.get(k) for k in ("catalog", "db", "this")]
    name = ".".join(_ident(p) for p in parts if p is not None)
    if name not in table.names:
        return None
    where = tree.args.get("where")
    return where.this if where is not None else None


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


def _column_source(node: Any, table: Table) -> str | None:
    """The API member behind a plain column reference, or None."""
    if not isinstance(node, exp.Column) or not isinstance(node.this, exp.Identifier):
        return None
    name = _ident(node.this)
    for column in table.columns:
        if column.name == name:
            return column.source
    return None


def _plain(node: exp.Expr, *keys: str) -> bool:
    """True unless ``node`` sets an argument besides ``keys`` (``NOT LIKE`` is a Like
    with ``negate``, ``BETWEEN SYMMETRIC`` a Between with ``symmetric``...)."""
    return all(v in (None, False, []) for k, v in node.args.items() if k not in keys)


def _narrowing(node: exp.Expr, table: Table) -> list[tuple[tuple[str, str], Any]]:
    """(member, kind) -> value pairs that ``node`` being true implies."""
    if not _plain(node, "this", "expression", "low", "high"):
        return []
    if isinstance(node, exp.EQ):
        left, right = node.this, node.expression
        if _column_source(left, table) is None:
            left, right = right, left
        member = _column_source(left, table)
        text = _string(right)
        if member is None or text is None:
            return []
        found: list[tuple[tuple[str, str], Any]] = [((member, "equals"), text)]
        run = _name_run([text])
        if run is not None:
            found.append(((member, "contains"), run))
        return found
    if isinstance(node, exp.Like):
        member = _column_source(node.this, table)
        pattern = _string(node.expression)
        if member is None or pattern is None or "\\" in pattern:
            return []
        run = _name_run(re.split(r"[%_]", pattern))
        return [((member, "contains"), run)] if run is not None else []
    if isinstance(node, exp.Between):
        member = _column_source(node.this, table)
        low, high = _time(node.args.get("low")), _time(node.args.get("high"))
        if member is None:
            return []
        found = []
        if low is not None:
            found.append(((member, "after"), low))
        if high is not None:
            found.append(((member, "before"), high))
        return found
    kind = type(node)
    if kind in _FLIP:
        left, right = node.this, node.expression
        if _column_source(left, table) is None:
            left, right, kind = right, left, _FLIP[kind]
        member = _column_source(left, table)
        stamp = _time(right)
        if member is None or stamp is None:
            return []
        return [((member, "after" if kind in (exp.GT, exp.GTE) else "before"), stamp)]
    return []


def _string(node: Any) -> str | None:
    if isinstance(node, exp.Literal) and node.is_string:
        return str(node.this)
    return None


def _name_run(pieces: list[str]) -> str | None:
    """The longest piece that is all name characters, cut to the API's maximum."""
    runs = [p for p in pieces if _NAME_CHARS.fullmatch(p)]
    if not runs:
        return None
    return max(runs, key=len)[:_NAME_MAX]


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


def _tighter(kind: str, old: Any, new: Any) -> Any:
    """Combine two filters on one parameter; both are implied, so the narrower holds.
    A time bound that cannot be widened inside the timestamp range adds nothing."""
    if kind in ("after", "before"):
        try:
            if kind == "after":
                new = new.replace(microsecond=0) - _MARGIN
            else:
                new = new.replace(microsecond=0) + 2 * _MARGIN
        except OverflowError:  # within a second or two of year 1 or of year 10000
            return old
        if old is None:
            return new
        return max(old, new) if kind == "after" else min(old, new)
    if kind == "contains":
        return new if old is None or len(new) > len(old) else old
    return new if old is None else old


@cache
def _enums(service: str, operation: str) -> dict[str, tuple[str, ...]]:
    """The enum values of the List operation's parameters (from the service model)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model(service)
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return {}
    return {
        name: tuple(member.metadata["enum"])
        for name, member in shape.members.items()
        if member.metadata.get("enum")
    }
