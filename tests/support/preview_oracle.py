"""The oracle's reading of DDSQL (Preview): a preview query as the PostgreSQL 15 query
that means the same (docs/dialect.md, "The Preview variant").

Independent of ``ddsql_lite`` (as tests/support/pg_oracle.py is): a second reading of
the preview pages, on the text and on sqlglot's PostgreSQL tree.

* A tag reference (``#key``, ``#"key"``, or a name that is no column of the table nor a
  name the query defines) becomes ``tag_values(tags, 'key')``, the key's values as a
  sorted ``text[]`` (NULL when the key is absent; :data:`TAG_VALUES` creates it); a
  select-list item that is one (or a cast of one) is named after the key (``#key``).
* ``tag = 'v'`` becomes ``'v' = ANY(tag)`` (contains), ``tag <> 'v'`` its negation;
  ``tag IN ('a', 'b')`` becomes ``tag && ARRAY['a', 'b']`` (overlaps); a cast of a tag
  to text ``array_to_string(tag, ',')``; a group literal ``{'b', 'a'}`` the sorted
  array ``ARRAY['a', 'b']::text[]``, which ``=`` compares as a set.
* ``0x4B1D`` becomes its decimal value; ``array<int>[1, 2]`` ``(ARRAY[1, 2]::int[])``.
* ``timestamp 'now'`` and ``timestamp '<interval> ago'`` become ``LOCALTIMESTAMP`` plus
  the interval (the server's clock is UTC); a relative ``date '...'`` is its date.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from tests.support.pg_oracle import COLUMNS

# Creates tag_values(hstore, key) -> text[] on the oracle's server.
TAG_VALUES = """
CREATE OR REPLACE FUNCTION public.tag_values(h hstore, k text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN h ? k THEN
    CASE WHEN h -> k = '' THEN ARRAY['']::text[] ELSE string_to_array(h -> k, ',') END
  END
$$
"""
_TABLE_COLUMNS = frozenset(name for name, _ in COLUMNS)
_STRING = r"'(?:[^']|'')*'"
_GROUP = re.compile(r"\{\s*(" + _STRING + r"(?:\s*,\s*" + _STRING + r")*)?\s*\}")
_HEX = re.compile(r"\b0[xX]([0-9a-fA-F]+)\b")
_TYPED_ARRAY = re.compile(r"\barray<(\w+)>\[([^\[\]]*)\]", re.IGNORECASE)
_EXPLICIT = re.compile(r'#("(?:[^"]|"")+"|[A-Za-z_]\w*)')
_RELATIVE = re.compile(r"\b(timestamp|date)\s+'(now|[^']*\bago)'", re.IGNORECASE)


def _outside_strings(sql: str, pattern: re.Pattern[str], repl: object) -> str:
    """``pattern.sub(repl, ...)`` on the parts of ``sql`` outside string literals
    (group literals hold strings, so they are matched on the whole text first)."""
    parts = re.split(r"('(?:[^']|'')*')", sql)
    return "".join(p if i % 2 else pattern.sub(repl, p) for i, p in enumerate(parts))  # type: ignore[call-overload]


def _group_literal(match: re.Match[str]) -> str:
    values = re.findall(_STRING, match.group(1) or "")
    texts = sorted({v[1:-1].replace("''", "'") for v in values}, key=lambda v: v.encode())
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in texts)
    return f"(ARRAY[{quoted}]::text[])"


def _relative(match: re.Match[str]) -> str:
    kind, text = match.group(1).lower(), match.group(2)
    stamp = "LOCALTIMESTAMP"
    if text.lower() != "now":
        stamp = f"(LOCALTIMESTAMP + CAST('{text}' AS interval))"
    return f"CAST({stamp} AS date)" if kind == "date" else stamp


# The preview's type names PostgreSQL spells otherwise (its reals and decimals are float64).
_PG_TYPES = {"double": "double precision", "real": "double precision", "string": "text"}


def _pg_type(name: str) -> str:
    return _PG_TYPES.get(name.lower(), name)


def _explicit(match: re.Match[str]) -> str:
    key = match.group(1)
    key = key[1:-1].replace('""', '"') if key.startswith('"') else key.lower()
    return '"#' + key.replace('"', '""') + '"'


def spelled(sql: str) -> str:
    """The preview's literals and ``#key`` as PostgreSQL text (tags still names)."""
    sql = _GROUP.sub(_group_literal, sql)
    sql = _RELATIVE.sub(_relative, sql)
    sql = _outside_strings(sql, _HEX, lambda m: str(int(m.group(1), 16)))
    sql = _TYPED_ARRAY.sub(lambda m: f"(ARRAY[{m.group(2)}]::{_pg_type(m.group(1))}[])", sql)
    return _outside_strings(sql, _EXPLICIT, _explicit)


def _defined(tree: exp.Expr) -> set[str]:
    """Names the query defines: output aliases, CTEs and their columns, table aliases."""
    names: set[str] = set()
    for node in tree.find_all(exp.Alias, exp.TableAlias, exp.CTE):
        if isinstance(node, exp.TableAlias):
            names |= {c.name for c in node.columns}
        names.add(node.alias if not isinstance(node, exp.TableAlias) else node.name)
    return names


def _tag(column: exp.Column, defined: set[str]) -> str | None:
    """The key ``column`` refers to as a tag (``#key`` for an explicit one), or None."""
    name = column.name
    if name.startswith("#"):
        return name
    if name in _TABLE_COLUMNS or name in defined or isinstance(column.this, exp.Star):
        return None
    return name


def _is_tag(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.name == "tag_values"


def to_postgres(sql: str) -> str:
    """The PostgreSQL query that means what the preview query ``sql`` means."""
    text = spelled(sql)
    tree = sqlglot.parse_one(text, read="postgres")
    defined = _defined(tree)
    changed = False
    for column in list(tree.find_all(exp.Column)):
        key = _tag(column, defined)
        if key is None:
            continue
        changed = True
        tags = exp.column("tags", table=column.table or None)
        lookup = exp.Anonymous(
            this="tag_values", expressions=[tags, exp.Literal.string(key.lstrip("#"))]
        )
        item = column
        while isinstance(item.parent, (exp.Cast, exp.Paren)) and item.arg_key == "this":
            item = item.parent
        named = isinstance(item.parent, exp.Select) and item.arg_key == "expressions"
        column.replace(lookup)
        if named:
            target = lookup if item is column else item
            target.replace(exp.alias_(target.copy(), key, quoted=True))
    for node in list(tree.find_all(exp.EQ, exp.NEQ, exp.In, exp.Cast)):
        _meaning(node)
    # Without tags, the text as spelled: sqlglot's SQL could name calls otherwise (substr).
    return tree.sql(dialect="postgres") if changed else text


def _meaning(node: exp.Expr) -> None:
    """Contains, overlaps and text casts of a tag, as PostgreSQL writes them."""
    if isinstance(node, (exp.EQ, exp.NEQ)):
        tag, other = (node.this, node.expression)
        if not _is_tag(tag):
            tag, other = other, tag
        if _is_tag(tag) and not (_is_tag(other) or isinstance(other, (exp.Paren, exp.Cast))):
            contains: exp.Expr = exp.EQ(
                this=other.copy(), expression=exp.Any(this=exp.Paren(this=tag.copy()))
            )
            if isinstance(node, exp.NEQ):
                contains = exp.Not(this=exp.Paren(this=contains))
            node.replace(contains)
    elif isinstance(node, exp.In) and _is_tag(node.this):
        values = exp.Array(expressions=[e.copy() for e in node.expressions])
        node.replace(
            exp.ArrayOverlaps(this=node.this.copy(), expression=exp.cast(values, "text[]"))
        )
    elif (
        isinstance(node, exp.Cast)
        and _is_tag(node.this)
        and node.to.is_type(*exp.DataType.TEXT_TYPES)
    ):
        joined = [node.this.copy(), exp.Literal.string(",")]
        node.replace(exp.Anonymous(this="array_to_string", expressions=joined))
