"""The DuckDB queries that map fixture records to rows, generated once per table from
the column specs and the describe operation's output shape (building blocks in
:mod:`.sql_json`): the *record query* (:class:`SelectPlan`) runs once per record, each
*member query* (:class:`MemberPlan`) once per distinct raw text of a JSON or tags
column. Where a record is in the *fast subset* (its ``__ok`` and its members' ``ok``
flags are true) the values are those of :func:`..mapping.to_row.record_to_row`
(docs/design.md, "The fast path").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from ...registry import Table
from ..mapping.api_shapes import output_shape
from ..mapping.to_row import REQUIRED
from .sql_json import (
    UnsupportedShape,
    decoded_string_sql,
    json_column,
    json_string_sql,
    json_timestamp_sql,
    quote_ident,
    quote_text,
)

OK_COLUMN = "__ok"
CONTEXT_COLUMN = "__context"  # region, account_id and tags as JSON text, chr(1) between
SOURCE = "__fixture_records__"  # placeholder for the input relation in the queries
_BAD = "chr(1)"
_SEP = "chr(1)"  # never in JSON text: yyjson escapes control characters

__all__ = [
    "CONTEXT_COLUMN",
    "OK_COLUMN",
    "SOURCE",
    "MemberPlan",
    "SelectPlan",
    "UnsupportedShape",
    "select_plan",
]


@dataclass(frozen=True)
class MemberPlan:
    """A column converted once per distinct raw text (a JSON column, or ``$tags``).

    Its query reads a relation with one VARCHAR column ``raw`` (distinct raw texts, no
    NULL) and gives the columns ``value`` and ``ok``. Where ``ok`` (and the record's
    ``__ok``) is true, ``value`` is the pure mapping's, except for ``tags``: the
    record's (key, value) pairs plus ``region`` and ``aws_account``, sorted, which
    :mod:`.file_reader` groups into the map column (NULL where ``ok`` is false).
    """

    column: str  # the table column it fills
    raw: str  # the record query's column holding the raw text
    query: str  # the member query, reading from the relation named SOURCE

    def sql(self, source: str) -> str:
        """The member query over ``source`` (a relation with the VARCHAR column ``raw``)."""
        return self.query.replace(SOURCE, source, 1)


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


def _tags_query() -> str:
    """The member query of the ``$tags`` column; its raw text is :data:`CONTEXT_COLUMN`."""
    pairs, check = tags_sql()
    region, account = "p[1]", "p[2]"
    context = (
        f"raw, nullif(p[3], '') AS tags, {decoded_string_sql(region)} AS region_text, "
        f"{decoded_string_sql(account)} AS account_text"
    )
    # The record query checks account_id and region; here they only must not be NULL.
    ok = f"coalesce({check} AND region_text IS NOT NULL AND account_text IS NOT NULL, false)"
    return (
        f"WITH parts AS (SELECT raw, string_split(raw, {_SEP}) AS p FROM {SOURCE}),\n"
        f"src AS (SELECT {context} FROM parts),\n"
        f"parsed AS (SELECT *, json_transform(tags, {quote_text(_TAGS_SPEC)}) AS j_tags"
        " FROM src),\n"
        f"checked AS (SELECT {pairs} AS value, {ok} AS ok FROM parsed)\n"
        "SELECT CASE WHEN ok THEN value END AS value, ok FROM checked"
    )


def _json_query(spec: str, output: str, compact: str) -> str:
    """The member query of a JSON column: ``output`` and ``compact`` over ``j``, the raw
    text parsed with ``spec``."""
    return (
        f"WITH parsed AS (SELECT raw, json_transform(raw, {quote_text(spec)}) AS j"
        f" FROM {SOURCE}),\n"
        f"built AS (SELECT raw, {output} AS value, {compact} AS compact FROM parsed)\n"
        f"SELECT value, coalesce(compact = raw AND NOT contains(value, {_BAD}), false) AS ok\n"
        "FROM built"
    )


# ----------------------------------------------------------------- the whole row


@dataclass(frozen=True)
class SelectPlan:
    """The generated SQL for one table.

    The record query reads ``read_json`` with :meth:`reader_columns`: ``account_id``,
    ``region`` and ``tags`` as JSON, ``experiment`` as a STRUCT of the response members
    the columns need. It gives, in schema order, the columns that are neither member
    columns nor :attr:`aliases` (a column with the same source and type as an earlier
    one), each member's raw text (:attr:`MemberPlan.raw`, NULL when the member is
    absent) and :data:`OK_COLUMN`, the record-level checks.
    """

    experiment_type: str  # the STRUCT type of the reader's ``experiment`` column
    ctes: str  # WITH ... built AS (...), reading from the relation named SOURCE
    columns: tuple[str, ...]  # the record query's columns, "expression AS name"
    checks: tuple[str, ...]  # conditions that together make OK_COLUMN
    members: tuple[MemberPlan, ...]
    aliases: tuple[tuple[str, str], ...]  # (column, the earlier column with its value)

    def reader_columns(self) -> str:
        """The ``columns`` argument of ``read_json`` for a fixture record."""
        return (
            "{'account_id': 'JSON', 'region': 'JSON', "
            f"'experiment': {quote_text(self.experiment_type)}, 'tags': 'JSON'}}"
        )

    def sql(self, source: str, extra: tuple[str, ...] = ()) -> str:
        """The record query over ``source`` (a ``read_json`` call or a subquery);
        ``extra`` are more output expressions, which may use ``__ok``."""
        ok = f"coalesce({' AND '.join(self.checks)}, false)"
        return (
            self.ctes.replace(SOURCE, source, 1)
            + f", checked AS (SELECT *, {ok} AS {OK_COLUMN} FROM built)\n"
            + f"SELECT {', '.join((*self.columns, OK_COLUMN, *extra))}\nFROM checked"
        )


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
    build: list[str] = []
    columns: list[str] = []
    members: list[MemberPlan] = []
    produced: dict[tuple[str, str], str] = {}  # (source, kind) -> the column holding it
    aliases: list[tuple[str, str]] = []
    checks = [
        f"({json_string_sql(name)} AND {name} <> '\"\"')" for name in ("account_id", "region")
    ]
    checks.append("e IS NOT NULL")
    context = f"concat(region::VARCHAR, {_SEP}, account_id::VARCHAR, {_SEP}, tags::VARCHAR)"
    for index, column in enumerate(table.columns):
        name, source, kind = quote_ident(column.name), column.source, column.type.name
        if source == "$account_id":
            columns.append(f"account_text AS {name}")
            continue
        if source == "$tags":
            if kind != "hstore_csv":
                raise UnsupportedShape(f"$tags column of type {kind}")
            members.append(MemberPlan(column.name, CONTEXT_COLUMN, _tags_query()))
            continue
        member = shape.members.get(source)
        if member is None:
            raise UnsupportedShape(f"column source {source!r} is not a response member")
        if source not in sources:
            sources.append(source)
        raw = f"e.{quote_ident(source)}"
        required = source in REQUIRED
        if (source, kind) in produced:  # the same value as an earlier column
            aliases.append((column.name, produced[source, kind]))
            continue
        produced[source, kind] = column.name
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
            sql = json_column(member, "j")
            raw_name = f"__raw_{index}"
            columns.append(f"{raw}::VARCHAR AS {raw_name}")
            if required:
                checks.append(f"{raw} IS NOT NULL")
            members.append(
                MemberPlan(column.name, raw_name, _json_query(sql.spec, sql.output, sql.compact))
            )
        else:
            raise UnsupportedShape(f"{kind} column from a {member.type_name} member")
    for source in REQUIRED:
        if source not in sources:
            raise UnsupportedShape(f"required member {source} is not a column source")
    columns.append(f"{context} AS {CONTEXT_COLUMN}")
    experiment_type = "STRUCT(" + ", ".join(f"{quote_ident(s)} JSON" for s in sources) + ")"
    src = (
        "account_id, region, tags, experiment AS e, "
        f"{decoded_string_sql('account_id')} AS account_text"
    )
    ctes = (
        f"WITH src AS (SELECT {src} FROM {SOURCE}),\n"
        f"built AS (SELECT *{''.join(', ' + b for b in build)} FROM src)"
    )
    return SelectPlan(
        experiment_type, ctes, tuple(columns), tuple(checks), tuple(members), tuple(aliases)
    )
