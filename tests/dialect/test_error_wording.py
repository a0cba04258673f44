"""Errors speak the user's language, never the engine's (docs/dialect.md, "Errors"): every
``-- error:`` line of the oracle corpus (every file of tests/oracle/corpus/, also those
added later) runs through ``Connection.sql``, so that refusals and the failures DuckDB
reports while running (mapped to DDSQLError by the engine) are both read, and the
message must not hold DuckDB's or the translator's words."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

import ddsql_lite
from ddsql_lite import DDSQLError, QueryError
from ddsql_lite.dialect import runtime
from ddsql_lite.dialect.functions import DDSQL_FUNCTIONS
from ddsql_lite.engine import Engine
from ddsql_lite.loaders import sample_path
from tests.support.corpus_files import ANNOTATION, corpus_lines, with_table

# DuckDB's words: its error classes, its type names (also those of literals and maps), its
# conversion and binder messages, and the function the tags lookup runs on.
DUCKDB_WORDS = (
    "Binder Error",
    "Catalog Error",
    "Conversion Error",
    "Parser Error",
    "INT64",
    "VARCHAR",
    "Could not convert",
    "can't be cast",
    "Malformed JSON",
    "No function matches",
    "map_extract",
    "INTEGER_LITERAL",
    "STRING_LITERAL",
    "map<",
)
# The names translated SQL calls at run time, and the prefix they share (reserved: users
# may not write it).
RUNTIME_NAMES = frozenset(runtime.MACROS) | {*runtime.PYTHON_FUNCTIONS, runtime.CATALOG}
RESERVED_PREFIX = os.path.commonprefix(sorted(RUNTIME_NAMES))  # noqa: RUF071 - a text prefix
_RESERVED = re.compile(rf"\b{re.escape(RESERVED_PREFIX)}\w*", re.IGNORECASE)
# A name called as a function, written as messages write one: "f()", "f(x)" (not a
# plural, "unit(s)").
_CALLED = re.compile(r"\b([A-Za-z_]\w*)\((?!s\))")


def engine_words(message: str, sql: str) -> list[str]:
    """What ``message`` says in DuckDB's or the translator's words rather than the
    query's: DuckDB's phrases, reserved runtime names and names called as functions
    (``f(...)``) that the query does not hold and DDSQL does not list. The query's own text
    (the caret's excerpt, quoted parts) may hold any of them."""
    said = message.split(" (line ", 1)[0]
    written = sql.lower()
    found = [w for w in DUCKDB_WORDS if w in said and w.lower() not in written]
    found += [n for n in _RESERVED.findall(said) if n.lower() not in written]
    found += [
        f"{name}()"
        for name in _CALLED.findall(said)
        if name.lower() not in written
        and name.lower() not in DDSQL_FUNCTIONS
        and name not in ddsql_lite.__all__  # advice that names the library's API
    ]
    return found


def test_the_prefix_is_the_runtime_s() -> None:
    assert len(RESERVED_PREFIX) >= 3 and RESERVED_PREFIX.endswith("_")
    assert all(name.startswith(RESERVED_PREFIX) for name in RUNTIME_NAMES)


@pytest.mark.parametrize(
    "message",
    [
        'query failed: Binder Error: Referenced column "x" not found',
        "query failed: Could not convert string 'abc' to INT64",
        "query failed: Type VARCHAR with value 'x' can't be cast to the destination type BIGINT[]",
        "query failed: Malformed JSON at byte 1 of input: unexpected character.",
        "query failed: No function matches the given name and argument types 'sum(INTERVAL)'",
        "Cannot deduce template type 'K' in map_extract_value",
        "cannot subscript type map<text, text[]>",
        "No function matches 'an internal step(INTEGER_LITERAL)'",
        "-> needs a json value; ddsql_value_text(name) is varchar",
        "function explode() is not supported in DDSQL",
        "function concat() is not supported in DDSQL (line 1, column 8)\n  SELECT 'a'\n  ^",
    ],
)
def test_engine_words_are_caught(message: str) -> None:
    assert engine_words(message, "SELECT 'a' AS name") != []


@pytest.mark.parametrize(
    ("message", "sql"),
    [
        ('invalid input syntax for type bigint: "abc"', "SELECT CAST('abc' AS BIGINT)"),
        # the user's own words, and DDSQL's functions in advice
        ("casts to varchar(3)[] are not supported", "SELECT CAST(name AS varchar(3)[])"),
        ("operator |/ is not supported in DDSQL; write power(16, 0.5)", "SELECT |/ 16"),
        ("function concat() is not supported in DDSQL", "SELECT concat('a', 'b')"),
        ("0x1 is DDSQL Preview syntax (connect(syntax='preview'))", "SELECT 0x1"),
    ],
)
def test_the_user_s_words_are_not(message: str, sql: str) -> None:
    assert engine_words(message, sql) == []


def error_lines() -> list[object]:
    return [
        pytest.param(with_table(ANNOTATION.split(line.strip())[0]), id=f"{stem}:{number}")
        for stem, number, line in corpus_lines()
        if " -- error:" in line
    ]


@pytest.fixture(scope="module")
def con() -> Iterator[ddsql_lite.Connection]:
    with ddsql_lite.connect(fixtures=sample_path()) as connection:
        yield connection


def error_of(con: ddsql_lite.Connection, sql: str) -> DDSQLError | None:
    """The error ``sql`` fails with, translated or run (None when it answers: the corpus
    test then reports that PostgreSQL refuses it)."""
    try:
        con.sql(sql).fetchall()
    except DDSQLError as exc:
        return exc
    return None


@pytest.mark.parametrize("sql", error_lines())
def test_corpus_errors_speak_the_user_s_language(con: ddsql_lite.Connection, sql: str) -> None:
    error = error_of(con, sql)
    if error is not None:
        assert engine_words(str(error), sql) == [], str(error)


def test_a_planted_engine_message_fails_the_walk(
    con: ddsql_lite.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk reads what DuckDB reports while running, through the connection."""

    def fail(self: Engine, *args: object, **kwargs: object) -> None:
        raise QueryError("query failed: No function matches 'sum(INTERVAL)', INT64 cannot")

    monkeypatch.setattr(Engine, "execute", fail)
    sql = "SELECT sum(creation_time - creation_time) FROM aws.sagemaker_inference_experiment"
    error = error_of(con, sql)
    assert isinstance(error, QueryError)
    assert engine_words(str(error), sql) == ["INT64", "No function matches"]
