"""What the shell reads about DDSQL and a connection: DDSQL's functions and statements
with their help (``data/functions.json``, ``data/statements.json``), and the tag keys,
JSON texts, low-cardinality values and time span of the loaded data (read with internal,
bounded SQL; a failing lookup gives nothing rather than an error: completion must never
break the shell)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .errors import DDSQLError

if TYPE_CHECKING:
    from .connection import Connection

MAX_JSON_VALUES = 20_000
"""How many distinct JSON values of a column are read to learn its keys."""
MAX_VALUES = 50
"""A text column (or a tag key) with at most this many distinct values has them offered."""


@dataclass(frozen=True)
class FunctionForm:
    """One form of a DDSQL function: its signature and a one-line description."""

    name: str
    category: str
    signature: str
    description: str


@dataclass(frozen=True)
class StatementHelp:
    """A statement form DDSQL accepts: what it does and its syntax summary."""

    name: str
    description: str
    syntax: tuple[str, ...]


def _data(name: str) -> Any:
    return json.loads(resources.files("ddsql_lite.data").joinpath(name).read_text("utf-8"))


@cache
def function_help(syntax: str = "ddsql") -> tuple[FunctionForm, ...]:
    """Every form of every DDSQL function, by name (``data/functions.json``, the one
    list of signatures; tests hold it to :func:`function_names` and docs/dialect.md);
    ``syntax="preview"`` adds DDSQL (Preview)'s (``data/preview_functions.json``)."""
    functions = dict(_data("functions.json")["functions"])
    if syntax == "preview":
        functions.update(_data("preview_functions.json")["functions"])
    return tuple(
        FunctionForm(name, spec["category"], signature, description)
        for name, spec in sorted(functions.items())
        for signature, description in spec["forms"]
    )


@cache
def statement_help() -> tuple[tuple[StatementHelp, ...], dict[str, str], str]:
    """The statement forms DDSQL accepts, the refused ones a user may look for (name ->
    why, and what to write instead), and a sentence on everything else it refuses."""
    data = _data("statements.json")
    accepted = tuple(
        StatementHelp(name, spec["description"], tuple(spec["syntax"]))
        for name, spec in data["statements"].items()
    )
    return accepted, dict(data["refused"]), str(data["also_refused"])


def function_names(syntax: str = "ddsql") -> tuple[str, ...]:
    """Every function DDSQL knows, as the translator accepts it (in the variant
    ``syntax``: ``ddsql`` or ``preview``)."""
    from .dialect.functions import DDSQL_FUNCTIONS

    if syntax == "ddsql":
        return tuple(DDSQL_FUNCTIONS)
    from .dialect.variants import variant

    return tuple(variant(syntax).functions)


def tag_keys(con: Connection, table: str, column: str) -> list[str]:
    """Every key of the tag column ``column`` of ``table``, sorted."""
    source = _source(con, table)
    if source is None:
        return []
    sql = f"SELECT DISTINCT unnest(map_keys({_quote(column)})) AS k FROM {source} ORDER BY k"
    return [str(v) for v in _values(con, sql) if v is not None]


def json_texts(con: Connection, table: str, column: str) -> list[str]:
    """Distinct texts of the JSON column ``column`` of ``table`` (at most
    :data:`MAX_JSON_VALUES`)."""
    source = _source(con, table)
    if source is None:
        return []
    sql = (
        f"SELECT DISTINCT CAST({_quote(column)} AS VARCHAR) FROM {source} "
        f"WHERE {_quote(column)} IS NOT NULL LIMIT {MAX_JSON_VALUES}"
    )
    return [str(v) for v in _values(con, sql)]


def column_values(con: Connection, table: str, column: str) -> list[str]:
    """The distinct values of the text column ``column``, sorted, when there are at
    most :data:`MAX_VALUES` of them (else none: they are not worth offering)."""
    return _few(con, table, _quote(column))


def tag_values(con: Connection, table: str, column: str, key: str) -> list[str]:
    """The distinct values of ``column -> key`` (a tag key's values, joined as DDSQL
    joins them), sorted, when there are at most :data:`MAX_VALUES`."""
    return _few(con, table, f"{_quote(column)} -> '{key.replace(chr(39), chr(39) * 2)}'")


def _few(con: Connection, table: str, expression: str) -> list[str]:
    """The distinct non-NULL values of a DDSQL ``expression`` over ``table`` as text,
    when there are at most :data:`MAX_VALUES`."""
    source = _source(con, table)
    if source is None:
        return []
    sql = (
        f"SELECT DISTINCT {expression} AS v FROM {source} "
        f"WHERE {expression} IS NOT NULL ORDER BY 1 LIMIT {MAX_VALUES + 1}"
    )
    try:
        values = [row[0] for row in con.sql(sql, timeout=10).fetchall()]
    except DDSQLError:
        return []
    return [str(v) for v in values] if len(values) <= MAX_VALUES else []


def _values(con: Connection, sql: str) -> list[Any]:
    try:
        result = con.engine.execute(sql, timeout=10)
    except DDSQLError:
        return []
    return result.column(0).to_pylist() if result.num_columns else []


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _source(con: Connection, table: str) -> str | None:
    """``table`` (a name or an alias) as SQL naming the registry's table, if it is one."""
    spec = con.registry.find(table)
    return None if spec is None else f"{_quote(spec.schema_name)}.{_quote(spec.table_name)}"
