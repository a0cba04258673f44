"""What a one-line corpus query cannot show, checked against PostgreSQL 15 as the corpus
is (tests/oracle/test_corpus.py): a string literal continued on the next line, which
PostgreSQL joins into one (docs/dialect.md, "Strictness")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import ddsql_lite
from tests.support.pg_oracle import run

CONTINUED = [
    "SELECT 'a'\n' b' AS s",
    "SELECT 'a'   \n\n  'b' AS s",
    "SELECT 'a'\r\n'b' AS s",
    "SELECT 'a' -- a comment\n  'b' -- another\n  'c' AS s",
    "SELECT 'it''s'\n' fine' AS s, length('ab'\n'cd') AS n",
]
# Joined only across a newline, and only by blanks and -- comments.
REJECTED = [
    "SELECT 'a' 'b' AS s",
    "SELECT 'a' /* a comment */\n'b' AS s",
    "SELECT 'a'\n'b' 'c' AS s",
]


@pytest.fixture(scope="module")
def both(pg: Any) -> Iterator[tuple[Any, ddsql_lite.Connection]]:
    with ddsql_lite.connect() as con:
        yield pg.conn, con


@pytest.mark.slow
@pytest.mark.parametrize("sql", CONTINUED)
def test_continued_literals_agree(both: tuple[Any, ddsql_lite.Connection], sql: str) -> None:
    pg_conn, con = both
    columns, rows = run(pg_conn, sql)
    result = con.sql(sql)
    assert (result.columns, result.fetchall()) == (columns, rows)


@pytest.mark.slow
@pytest.mark.parametrize("sql", REJECTED)
def test_literals_side_by_side_are_rejected(
    both: tuple[Any, ddsql_lite.Connection], sql: str
) -> None:
    pg_conn, con = both
    with pytest.raises(ddsql_lite.ParseError, match="syntax error at or near"):
        con.sql(sql)
    with pytest.raises(Exception):  # noqa: B017 - PostgreSQL rejects it too
        run(pg_conn, sql)
