"""What the shell's completion reads about a connection: DDSQL's functions, and the tag
keys and JSON texts present in the loaded data (read with internal SQL; a failing
lookup gives nothing rather than an error: completion must never break the shell)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import DDSQLError

if TYPE_CHECKING:
    from .connection import Connection

MAX_JSON_VALUES = 20_000
"""How many distinct JSON values of a column are read to learn its keys."""


def function_names() -> tuple[str, ...]:
    """Every function DDSQL knows, as the translator accepts it."""
    from .dialect.functions import DDSQL_FUNCTIONS

    return tuple(DDSQL_FUNCTIONS)


def tag_keys(con: Connection, table: str, column: str) -> list[str]:
    """Every key of the tag column ``column`` of ``table``, sorted."""
    spec = con.registry.find(table)
    if spec is None:
        return []
    sql = (
        f"SELECT DISTINCT unnest(map_keys({_quote(column)})) AS k "
        f"FROM {_table_sql(spec.schema_name, spec.table_name)} ORDER BY k"
    )
    return [str(v) for v in _values(con, sql) if v is not None]


def json_texts(con: Connection, table: str, column: str) -> list[str]:
    """Distinct texts of the JSON column ``column`` of ``table`` (at most
    :data:`MAX_JSON_VALUES`)."""
    spec = con.registry.find(table)
    if spec is None:
        return []
    sql = (
        f"SELECT DISTINCT CAST({_quote(column)} AS VARCHAR) "
        f"FROM {_table_sql(spec.schema_name, spec.table_name)} "
        f"WHERE {_quote(column)} IS NOT NULL LIMIT {MAX_JSON_VALUES}"
    )
    return [str(v) for v in _values(con, sql)]


def _values(con: Connection, sql: str) -> list[Any]:
    try:
        result = con.engine.execute(sql, timeout=10)
    except DDSQLError:
        return []
    return result.column(0).to_pylist() if result.num_columns else []


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_sql(schema: str, table: str) -> str:
    return f"{_quote(schema)}.{_quote(table)}"
