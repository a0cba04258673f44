"""Bulk-load ddsql_lite's Arrow table into PostgreSQL 15, for the comparison.

``tests/support/pg_oracle.py``'s ``load_records`` inserts row by row (fine for the test corpus,
far too slow for a million rows). :func:`load_table` instead has DuckDB write the very
same rows as CSV (tags as hstore text, JSON columns as their text, timestamps as UTC)
and streams it through ``COPY ... FROM STDIN``, then ``VACUUM ANALYZE``. The table has
the oracle's column types (``text``, ``timestamp``, ``json``, ``hstore``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .oracle import COLUMNS, run

QUALIFIED = '"aws"."sagemaker_inference_experiment"'


def _hstore_sql(column: str) -> str:
    """DuckDB SQL: a ``MAP(VARCHAR, VARCHAR[])`` as hstore text, values joined by ``,``."""

    def quoted(text: str) -> str:  # "text" with backslashes and quotes escaped
        return f"""'"' || replace(replace({text}, '\', '\\'), '"', '\"') || '"'"""

    values = "array_to_string(e.value, ',')"
    entry = f"{quoted('e.key')} || '=>' || {quoted(values)}"
    return f"array_to_string(list_transform(map_entries({column}), lambda e: {entry}), ', ')"


def write_csv(table: pa.Table, path: Path) -> None:
    """The rows of ``table`` as PostgreSQL CSV (``\\N`` for NULL) in :data:`COLUMNS` order."""
    select = []
    for name, pg_type in COLUMNS:
        column = f'"{name}"'
        select.append(_hstore_sql(column) if pg_type == "hstore" else column)
    con = duckdb.connect()
    try:
        con.register("bench_rows", table)
        target = str(path).replace("'", "''")
        con.execute(
            f"COPY (SELECT {', '.join(select)} FROM bench_rows) TO '{target}'"
            " (FORMAT csv, HEADER false, NULLSTR '\\N', DATEFORMAT '%Y-%m-%d',"
            " TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S.%f')"
        )
    finally:
        con.close()


def load_table(conn: Any, table: pa.Table, workdir: Path) -> float:
    """(Re)create the table in PostgreSQL holding exactly ``table``'s rows; seconds taken."""
    started = time.perf_counter()
    csv = workdir / "pg_rows.csv"
    write_csv(table, csv)
    columns = ", ".join(f'"{name}" {pg_type}' for name, pg_type in COLUMNS)
    run(conn, "SET statement_timeout = 0")
    run(conn, "DROP SCHEMA IF EXISTS aws CASCADE")
    run(conn, "CREATE SCHEMA aws")
    run(conn, f"CREATE TABLE {QUALIFIED} ({columns})")
    cursor = conn.cursor()
    try:
        with csv.open("rb") as rows:
            cursor.execute(
                f"COPY {QUALIFIED} FROM STDIN WITH (FORMAT csv, NULL '\\N')", stream=rows
            )
    finally:
        cursor.close()
    run(conn, f"VACUUM ANALYZE {QUALIFIED}")
    csv.unlink()
    return time.perf_counter() - started
