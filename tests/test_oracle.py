"""Every corpus query gives the same answer in ddsql_lite and in PostgreSQL 15.

The rows are the bundled sample data, loaded into ddsql_lite by its loader and into
PostgreSQL by the oracle's independent mapping (tests/pg_oracle.py). Normalisation is
``compare_results``': numbers by value, JSON by structure (DDSQL.md accepts normalised
JSON text), row order only when the query has an ORDER BY. The tags column is compared
as the hstore PostgreSQL holds (values joined by commas).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pg_oracle import (
    compare_results,
    hstore_from_map,
    load_records,
    query_is_ordered,
    read_fixture_records,
    run,
)

import ddsql_lite
from ddsql_lite.loaders import sample_path

CORPUS_DIR = Path(__file__).parent / "corpus"
TABLE = "aws.sagemaker_inference_experiment"


def corpus() -> list[Any]:
    """Every query in ``corpus/*.sql``: one a line; a line starting with ``--`` is a
    comment. A query whose answer DDSQL documents differently from PostgreSQL (DDSQL.md
    rule 1) ends with ``-- ddsql: <rows as a Python literal>``, the documented answer."""
    cases = []
    for path in sorted(CORPUS_DIR.glob("*.sql")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("--"):
                continue
            sql, _, documented = line.partition(" -- ddsql: ")
            rows = ast.literal_eval(documented) if documented else None
            cases.append(pytest.param(sql.strip(), rows, id=f"{path.stem}:{number}"))
    return cases


def with_table(sql: str) -> str:
    """``FROM t`` in the corpus stands for the table (aliased ``t`` unless it says)."""
    sql = re.sub(r"\bFROM t AS (\w+)", rf"FROM {TABLE} AS \1", sql)
    return re.sub(r"\bFROM t\b", f"FROM {TABLE} AS t", sql)


@pytest.fixture(scope="module")
def both(pg: Any) -> Iterator[tuple[Any, ddsql_lite.Connection]]:
    load_records(pg.conn, read_fixture_records(sample_path()))
    with ddsql_lite.connect(fixtures=sample_path()) as con:
        yield pg.conn, con


@pytest.mark.parametrize(("sql", "documented"), corpus())
def test_agrees_with_postgresql(
    both: tuple[Any, ddsql_lite.Connection], sql: str, documented: list[tuple[Any, ...]] | None
) -> None:
    pg_conn, con = both
    query = with_table(sql)
    expected_columns, expected = run(pg_conn, query)
    result = con.sql(query)
    actual = [
        tuple(_as_hstore(v, t) for v, t in zip(row, result.types)) for row in result.fetchall()
    ]
    assert result.columns == expected_columns
    if documented is not None:
        expected = documented
    diff = compare_results(expected, actual, ordered=query_is_ordered(query))
    assert diff is None, f"{query}\n{diff}"


def _as_hstore(value: Any, arrow_type: str) -> Any:
    return hstore_from_map(value) if arrow_type.startswith("map<") else value
