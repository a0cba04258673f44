"""The DuckDB query that maps fixture records to rows, generated from the schema and
the botocore output shape.

This is the vectorised twin of :mod:`.rows`: the same record -> row mapping as one
``SELECT`` that a private loading connection runs over ``read_json``
(:mod:`.vectorized`), generated once per table from the column specs and the describe
operation's output shape (building blocks in :mod:`.sqljson`).

Contract of :meth:`SelectPlan.sql`:

- Its input relation (``read_json`` with :meth:`SelectPlan.reader_columns`) has the
  record's top-level members as columns: ``account_id``, ``region`` and ``tags`` of type
  JSON, and ``experiment``, a STRUCT whose JSON fields are the response members the
  columns need.
- Its output has the table's columns in schema order, plus :data:`OK_COLUMN`. Where
  ``__ok`` is true, every value equals what :func:`.rows.record_to_row` gives for the
  record, except ``tags``: the record's (key, value) pairs plus ``region`` and
  ``aws_account``, sorted, for :mod:`.vectorized` to group into the map column.
- ``__ok`` is true only for records in the *fast subset*, where that equality is
  guaranteed: every check of :func:`.rows.record_to_row` passes, and the record avoids
  the corners where DuckDB's JSON and Python's differ (see :mod:`.sqljson`: members
  out of the shape's order, null members, strings needing escapes inside JSON columns
  or tags, rarer timestamp spellings, years before 1000). A record outside the subset
  is not necessarily invalid: callers map it with the pure mapping, which accepts it or
  raises the precise error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from ..registry import Table
from .rows import REQUIRED, output_shape
from .sqljson import (
    UnsupportedShape,
    decoded_string_sql,
    json_column,
    json_string_sql,
    json_timestamp_sql,
    quote_ident,
    quote_text,
)

OK_COLUMN = "__ok"
SOURCE = "__fixture_records__"  # placeholder for the reader relation in the query
_BAD = "chr(1)"

__all__ = ["OK_COLUMN", "SOURCE", "SelectPlan", "UnsupportedShape", "select_plan"]


# ----------------------------------------------------------------- tags

_TAGS_SPEC = json.dumps([{"Key": "JSON", "Value": "JSON"}])
_KEY, _VALUE = '(p."Key"::VARCHAR)', '(p."Value"::VARCHAR)'


def tags_sql() -> tuple[str, str]:
    """(pairs, check) SQL of the ``$tags`` column over ``tags`` (raw) and ``j_tags``
    (parsed with :data:`_TAGS_SPEC`: each tag's Key and Value as JSON text).

    ``pairs`` is the list of ``{k, v}`` (a missing Value is ``''``) plus ``region`` and
    ``aws_account``, sorted (repeats stay, next to each other). ``check``: the compact
    text rebuilt from ``j_tags``, re-quoting what is between each string's quotes,
    equals the raw text: that proves a list of objects with a string ``Key`` and
    optionally a string ``Value``, in that order, and nothing else.
    """
    # concat skips NULLs: a missing Key gives "Key":"" , which the raw text lacks.
    pair = (
        f'lambda p: concat(\'{{"Key":"\', {_KEY}[2:-2], \'","Value":"\' || {_VALUE}[2:-2], \'"}}\')'
    )
    compact = f"'[' || array_to_string(list_transform(j_tags, {pair}), ',') || ']'"
    check = f"(tags IS NULL OR {compact} = tags::VARCHAR)"
    key, value = decoded_string_sql(_KEY), decoded_string_sql(_VALUE)
    pairs = (
        f"list_sort(list_transform(coalesce(j_tags, []), lambda p: {{'k': {key},"
        f" 'v': coalesce({value}, '')}})"
        " || [{'k': 'region', 'v': region_text}, {'k': 'aws_account', 'v': account_text}])"
    )
    return pairs, check


# ----------------------------------------------------------------- the whole row


@dataclass(frozen=True)
class SelectPlan:
    """The generated SQL for one table; see the module docstring."""

    experiment_type: str  # the STRUCT type of the reader's ``experiment`` column
    ctes: str  # WITH ... built AS (...), reading from the relation named SOURCE
    columns: tuple[str, ...]  # the table's columns, "expression AS name"
    checks: tuple[str, ...]  # conditions that together make OK_COLUMN

    def reader_columns(self) -> str:
        """The ``columns`` argument of ``read_json`` for a fixture record."""
        return (
            "{'account_id': 'JSON', 'region': 'JSON', "
            f"'experiment': {quote_text(self.experiment_type)}, 'tags': 'JSON'}}"
        )

    def sql(self, source: str, extra: tuple[str, ...] = ()) -> str:
        """The query over ``source`` (a ``read_json`` call or a subquery); ``extra`` are
        more output expressions, which may use ``__ok``."""
        ok = f"coalesce({' AND '.join(self.checks)}, false)"
        return (
            self.ctes.replace(SOURCE, source, 1)
            + f", checked AS (SELECT *, {ok} AS {OK_COLUMN} FROM built)\n"
            + f"SELECT {', '.join((*self.columns, OK_COLUMN, *extra))}\nFROM checked"
        )

    def checks_sql(self, source: str) -> str:
        """Each check as a column ``check_<i>``: why a record left the fast subset."""
        select = [f"coalesce({c}, false) AS check_{i}" for i, c in enumerate(self.checks)]
        return self.ctes.replace(SOURCE, source, 1) + f"SELECT {', '.join(select)}\nFROM built"


def _string_column(raw: str, required: bool) -> tuple[str, str]:
    value = decoded_string_sql(raw)
    if required:
        return value, f"({raw} IS NOT NULL AND {json_string_sql(raw)} AND {raw} <> '\"\"')"
    return value, f"({raw} IS NULL OR {json_string_sql(raw)})"


@cache
def select_plan(table: Table) -> SelectPlan:
    """Generate the SQL for ``table``; raises UnsupportedShape when it cannot."""
    shape = output_shape(table.api["service"], table.api["describe"])
    sources: list[str] = []
    parse: list[str] = []
    build: list[str] = []
    columns: list[str] = []
    checks = [
        f"({json_string_sql(name)} AND {name} <> '\"\"')" for name in ("account_id", "region")
    ]
    checks.append("e IS NOT NULL")
    for index, column in enumerate(table.columns):
        name, source, kind = quote_ident(column.name), column.source, column.type.name
        if source == "$account_id":
            columns.append(f"account_text AS {name}")
            continue
        if source == "$tags":
            if kind != "hstore_csv":
                raise UnsupportedShape(f"$tags column of type {kind}")
            pairs, check = tags_sql()
            parse.append(f"json_transform(tags, {quote_text(_TAGS_SPEC)}) AS j_tags")
            build.append(f"{pairs} AS c{index}")
            # Only rows in the subset: the grouping into a map needs well-formed pairs.
            columns.append(f"CASE WHEN {OK_COLUMN} THEN c{index} END AS {name}")
            checks.append(check)
            continue
        member = shape.members.get(source)
        if member is None:
            raise UnsupportedShape(f"column source {source!r} is not a response member")
        if source not in sources:
            sources.append(source)
        raw = f"e.{quote_ident(source)}"
        required = source in REQUIRED
        if kind == "string" and member.type_name == "string":
            value, check = _string_column(raw, required)
            columns.append(f"{value} AS {name}")
            checks.append(check)
        elif kind == "timestamp" and member.type_name == "timestamp":
            build.append(f"{json_timestamp_sql(f'({raw}::VARCHAR)')} AS c{index}")
            columns.append(f"c{index} AS {name}")
            converted = f"c{index} IS NOT NULL"
            checks.append(converted if required else f"({raw} IS NULL OR {converted})")
        elif kind == "json":
            sql = json_column(member, f"j{index}")
            parse.append(f"json_transform({raw}, {quote_text(sql.spec)}) AS j{index}")
            build.append(f"{sql.output} AS c{index}, {sql.compact} AS k{index}")
            columns.append(f"c{index} AS {name}")
            check = f"(k{index} = {raw}::VARCHAR AND NOT contains(c{index}, {_BAD}))"
            checks.append(check if required else f"({raw} IS NULL OR {check})")
        else:
            raise UnsupportedShape(f"{kind} column from a {member.type_name} member")
    for source in REQUIRED:
        if source not in sources:
            raise UnsupportedShape(f"required member {source} is not a column source")
    experiment_type = "STRUCT(" + ", ".join(f"{quote_ident(s)} JSON" for s in sources) + ")"
    context = (
        "account_id, region, tags, experiment AS e, "
        f"{decoded_string_sql('account_id')} AS account_text, "
        f"{decoded_string_sql('region')} AS region_text"
    )
    ctes = (
        f"WITH src AS (SELECT {context} FROM {SOURCE}),\n"
        f"parsed AS (SELECT *, {', '.join(parse)} FROM src),\n"
        f"built AS (SELECT *, {', '.join(build)} FROM parsed)"
    )
    return SelectPlan(experiment_type, ctes, tuple(columns), tuple(checks))
