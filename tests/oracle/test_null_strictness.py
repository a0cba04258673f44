"""Every scalar DDSQL function is as strict as PostgreSQL 15's: with a NULL in any one
argument position, ddsql_lite answers what PostgreSQL answers (NULL for a strict function,
before any check of the other arguments can fail).

Each call of :data:`CALLS` runs once per argument position, that argument replaced by a
NULL of its type (``CAST(NULL AS type)``, so that PostgreSQL resolves the same function),
in both engines; the answers must agree, or both must fail (:data:`LITERAL_ONLY`: where
DDSQL wants a literal, it refuses). :data:`NOT_SCALAR` names
the functions this does not apply to, and why; a function DDSQL adds must land in one of
the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite.dialect.functions import DDSQL_FUNCTIONS
from tests.support.pg_oracle import compare_results, run

# A call of each scalar function: its name and each argument as (SQL, type). A function
# with optional arguments appears once per arity.
CALLS: list[tuple[str, list[tuple[str, str]]]] = [
    ("lower", [("'AbC'", "text")]),
    ("upper", [("'AbC'", "text")]),
    ("length", [("'abc'", "text")]),
    ("reverse", [("'abc'", "text")]),
    ("trim", [("'  a  '", "text")]),
    ("replace", [("'abca'", "text"), ("'a'", "text"), ("'x'", "text")]),
    ("substring", [("'abcdef'", "text"), ("2", "integer")]),
    ("substring", [("'abcdef'", "text"), ("2", "integer"), ("3", "integer")]),
    ("substring", [("'abcdef'", "text"), ("2", "integer"), ("-1", "integer")]),
    ("strpos", [("'abc'", "text"), ("'b'", "text")]),
    ("split_part", [("'a,b,c'", "text"), ("','", "text"), ("2", "integer")]),
    ("split_part", [("'a,b,c'", "text"), ("','", "text"), ("0", "integer")]),
    ("split_part", [("'a,b,c'", "text"), ("''", "text"), ("1", "integer")]),
    ("coalesce", [("'a'", "text"), ("'b'", "text")]),
    ("cardinality", [("ARRAY['a', 'b']", "text[]")]),
    ("array_position", [("ARRAY['a', 'b']", "text[]"), ("'b'", "text")]),
    ("string_to_array", [("'a,b'", "text"), ("','", "text")]),
    ("string_to_array", [("''", "text"), ("','", "text")]),
    ("array_to_string", [("ARRAY['a', 'b']", "text[]"), ("','", "text")]),
    ("array_to_string", [("ARRAY[1.5, 2]", "float8[]"), ("'-'", "text")]),
    ("abs", [("-2", "integer")]),
    ("abs", [("-2.5", "float8")]),
    ("ceil", [("2.5", "float8")]),
    ("ceiling", [("2.5", "float8")]),
    ("floor", [("2.5", "float8")]),
    ("round", [("2.5", "float8")]),
    ("power", [("2", "float8"), ("3", "float8")]),
    ("power", [("0", "float8"), ("-1", "float8")]),
    ("regexp_like", [("'abc'", "text"), ("'b'", "text")]),
    ("regexp_like", [("'abc'", "text"), ("'B'", "text"), ("'i'", "text")]),
    ("regexp_match", [("'abc'", "text"), ("'(b)'", "text")]),
    ("regexp_replace", [("'abc'", "text"), ("'b'", "text"), ("'x'", "text")]),
    ("regexp_replace", [("'abab'", "text"), ("'b'", "text"), ("'x'", "text"), ("'g'", "text")]),
    (
        "regexp_replace",
        [("'abab'", "text"), ("'b'", "text"), ("'x'", "text"), ("1", "integer"), ("2", "integer")],
    ),
    # path steps are literals: a NULL one is written bare
    ("json_extract_path", [("'{\"a\": [1, 2]}'::json", "json"), ("'a'", "")]),
    ("json_extract_path_text", [("'{\"a\": [1, 2]}'::json", "json"), ("'a'", "")]),
    # formats are literals: a NULL one is written bare
    ("to_char", [("TIMESTAMP '2025-01-02 03:04:05'", "timestamp"), ("'YYYY-MM-DD'", "")]),
    ("to_timestamp", [("1700000000", "float8")]),
    ("to_timestamp", [("'2025-01-02'", "text"), ("'YYYY-MM-DD'", "")]),
    ("date_trunc", [("'day'", "text"), ("TIMESTAMP '2025-01-02 03:04:05'", "timestamp")]),
    (
        "date_bin",
        [
            ("INTERVAL '15 minutes'", "interval"),
            ("TIMESTAMP '2025-01-02 03:04:05'", "timestamp"),
            ("TIMESTAMP '2025-01-01'", "timestamp"),
        ],
    ),
]

# Functions outside this test, and why.
NOT_SCALAR = {
    # aggregates and window functions: NULL rows are skipped or kept by their own rules
    **dict.fromkeys(
        [
            "count",
            "sum",
            "min",
            "max",
            "avg",
            "bool_and",
            "bool_or",
            "array_agg",
            "approx_percentile",
        ],
        "aggregate",
    ),
    **dict.fromkeys(
        ["row_number", "rank", "lead", "lag", "first_value", "last_value", "nth_value"],
        "window function",
    ),
    # set-returning: a NULL array or JSON value gives no rows, in corpus lines
    "unnest": "set-returning",
    "json_array_elements": "set-returning",
    "json_array_elements_text": "set-returning",
    # arguments DDSQL fixes: the tags column, a setting's name, no arguments, syntax
    "akeys": "takes the tags column only",
    "avals": "takes the tags column only",
    "current_setting": "takes a setting's name, a literal",
    "now": "takes no arguments",
    "extract": "syntax; its unit is a keyword",
}

# Argument positions DDSQL requires to be a literal, refused with a NULL by design.
# (Keyed by name, number of arguments, position.)
LITERAL_ONLY = {
    ("date_trunc", 2, 0): "the unit must be written out",
    ("regexp_replace", 5, 3): "the start is an integer literal",
    ("regexp_replace", 5, 4): "the match number is an integer literal",
}


def test_every_function_is_covered() -> None:
    called = {name for name, _ in CALLS}
    assert called.isdisjoint(NOT_SCALAR)
    assert called | set(NOT_SCALAR) == set(DDSQL_FUNCTIONS)


def _cases() -> Iterator[Any]:
    for name, arguments in CALLS:
        for position in range(len(arguments)):
            texts = [sql for sql, _ in arguments]
            kind = arguments[position][1]
            texts[position] = f"CAST(NULL AS {kind})" if kind else "NULL"
            literal = (name, len(arguments), position) in LITERAL_ONLY
            query = f"SELECT {name}({', '.join(texts)}) AS v"
            yield pytest.param(query, literal, id=f"{name}/{len(arguments)}-{position}")


@pytest.fixture(scope="module")
def con() -> Iterator[ddsql_lite.Connection]:
    with ddsql_lite.connect() as connection:
        yield connection


@pytest.mark.slow
@pytest.mark.parametrize(("query", "literal_only"), list(_cases()))
def test_null_argument_as_in_postgresql(
    pg: Any, con: ddsql_lite.Connection, query: str, literal_only: bool
) -> None:
    try:
        _, expected = run(pg.conn, query)
    except Exception:
        with pytest.raises(ddsql_lite.DDSQLError):
            con.sql(query)
        return
    if literal_only:
        with pytest.raises(ddsql_lite.UnsupportedError):
            con.sql(query)
        return
    actual = con.sql(query).fetchall()
    assert compare_results(expected, actual, ordered=True) is None, query
