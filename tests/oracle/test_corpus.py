"""Every corpus query gives the same answer in ddsql_lite and in PostgreSQL 15.

The rows are the bundled sample data, loaded into ddsql_lite by its loader and into
PostgreSQL by the oracle's independent mapping (tests/support/pg_oracle.py). Normalisation is
``compare_results``': numbers by value, JSON values by structure, text (JSON made text
included: docs/dialect.md, "JSON text") exactly, row order only when the query has an
ORDER BY.
The tags column is compared as the hstore PostgreSQL holds (values joined by commas).

Corpus format (``corpus/*.sql``): one query a line; ``--`` starts a comment line;
``FROM t`` stands for ``FROM aws.sagemaker_inference_experiment AS t``. A query may end
with annotations, each introduced by `` -- ``:

* ``-- ddsql: <rows as a Python literal>``: DDSQL documents a different answer from
  PostgreSQL's (docs/dialect.md, "Documented deviations"); that answer is expected
  instead.
* ``-- pg: <SQL>``: the PostgreSQL spelling of the same question, for DDSQL-only syntax
  (``approx_percentile``, ``$1`` replacements...). Its answer must match.
* ``-- error: <text>``: both must refuse; ddsql_lite with a DDSQLError containing text.

``corpus/preview/*.sql`` is DDSQL (Preview)'s corpus: ddsql_lite reads it with
``syntax="preview"`` and PostgreSQL runs its meaning as tests/support/preview_oracle.py
spells it (unless a ``-- pg:`` line says it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite.loaders import sample_path
from tests.support.corpus_files import ANNOTATION, corpus_lines, with_table
from tests.support.pg_oracle import (
    compare_results,
    hstore_from_map,
    load_records,
    query_is_ordered,
    read_fixture_records,
    run,
)
from tests.support.preview_oracle import TAG_VALUES, to_postgres


@dataclass(frozen=True)
class Case:
    sql: str
    documented: list[tuple[Any, ...]] | None = None
    pg_sql: str | None = None
    error: str | None = None
    syntax: str = "ddsql"


def parse_line(line: str, syntax: str = "ddsql") -> Case:
    sql, *notes = ANNOTATION.split(line.strip())
    fields: dict[str, Any] = {}
    for note in notes:
        key, _, value = note.partition(":")
        value = value.strip()
        if key == "ddsql":
            fields["documented"] = ast.literal_eval(value)
        elif key == "pg":
            fields["pg_sql"] = value
        else:
            fields["error"] = value
    return Case(sql.strip(), syntax=syntax, **fields)


def corpus() -> list[Any]:
    return [
        pytest.param(parse_line(line, syntax), id=f"{stem}:{number}")
        for syntax in ("ddsql", "preview")
        for stem, number, line in corpus_lines(syntax)
    ]


@pytest.fixture(scope="module")
def both(pg: Any) -> Iterator[tuple[Any, ddsql_lite.Connection]]:
    load_records(pg.conn, read_fixture_records(sample_path()))
    cursor = pg.conn.cursor()
    cursor.execute(TAG_VALUES)  # the preview corpus's tag references (preview_oracle)
    cursor.close()
    with ddsql_lite.connect(fixtures=sample_path()) as con:
        yield pg.conn, con


@pytest.mark.slow
@pytest.mark.parametrize("case", corpus())
def test_agrees_with_postgresql(both: tuple[Any, ddsql_lite.Connection], case: Case) -> None:
    pg_conn, con = both
    query = with_table(case.sql)
    pg_query = with_table(case.pg_sql or case.sql)
    if case.syntax == "preview" and case.pg_sql is None:
        pg_query = to_postgres(pg_query)
    if case.error is not None:
        with pytest.raises(ddsql_lite.DDSQLError) as info:
            con.sql(query, syntax=case.syntax)
        assert case.error in str(info.value)
        with pytest.raises(Exception):  # noqa: B017 - PostgreSQL must refuse it too
            run(pg_conn, pg_query)
        return
    expected_columns, expected = run(pg_conn, pg_query)
    result = con.sql(query, syntax=case.syntax)
    actual = [
        tuple(_as_hstore(v, t) for v, t in zip(row, result.types)) for row in result.fetchall()
    ]
    if case.pg_sql is None:
        assert result.columns == expected_columns
    if case.documented is not None:
        expected = case.documented
    diff = compare_results(expected, actual, ordered=query_is_ordered(query))
    assert diff is None, f"{query}\n{diff}"


def _as_hstore(value: Any, ddsql_type: str) -> Any:
    return hstore_from_map(value) if ddsql_type == "HSTORE" else value
