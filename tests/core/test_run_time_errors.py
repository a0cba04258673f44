"""Run-time failures in PostgreSQL's words, never DuckDB's (docs/dialect.md, "Errors" and
"Numbers at their edges"), and the edges the oracle corpus cannot show: where DDSQL fails
although PostgreSQL answers (an interval Arrow cannot carry), DuckDB's own messages as
:func:`ddsql_lite.engine.pg_meaning` words them, PostgreSQL's JSON syntax errors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

import ddsql_lite
from ddsql_lite.dialect.runtime import json_problem, json_syntax_error
from ddsql_lite.engine import pg_meaning

# What DuckDB says -> what the user reads.
MEANINGS = [
    (
        "Could not convert string 'abc' to INT64 when casting from source column s",
        'invalid input syntax for type bigint: "abc"',
    ),
    (
        "Could not convert string ' 99999999999999999999' to INT64",
        "is out of range for type bigint",
    ),
    ("Could not convert string 'x' to DOUBLE", 'invalid input syntax for type decimal: "x"'),
    ("Could not convert string 'maybe' to BOOL", 'invalid input syntax for type boolean: "maybe"'),
    (
        "Type VARCHAR with value 'abc' can't be cast to the destination type BIGINT[]",
        'malformed array literal: "abc"',  # PostgreSQL's words for array text
    ),
    (
        "Type DOUBLE with value 1e+30 can't be cast because the value is out of range for the "
        "destination type INT64",
        "bigint out of range",
    ),
    ("Overflow in addition of INT64 (9223372036854775807 + 1)!", "bigint out of range"),
    ("Overflow in negation of numeric value!", "bigint out of range"),
    ("Overflow on abs(-9223372036854775808)", "bigint out of range"),
    ("Overflow in addition of INT32 (2147483647 + 1)!", "interval out of range"),
    ("Date and time not in timestamp range", "timestamp out of range"),
    (
        'Malformed JSON at byte 1 of input: unexpected character.  Input: "{bad"',
        "invalid input syntax for type json: unexpected character",
    ),
    ("Subquery returns 2 columns - expected 1", "subquery must return only one column"),
    ("something else entirely", "something else entirely"),
]

DUCKDB_WORDS = re.compile(
    r"INT64|INT32|INT128|HUGEINT|VARCHAR|DOUBLE|Could not convert|can't be cast|"
    r"Malformed JSON|Conversion Error|Out of Range Error|ddsql_",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("duckdb", "ours"), MEANINGS)
def test_duckdb_messages_in_postgresql_words(duckdb: str, ours: str) -> None:
    assert ours in pg_meaning(duckdb)


@pytest.fixture(scope="module")
def con() -> Iterator[ddsql_lite.Connection]:
    with ddsql_lite.connect() as connection:
        yield connection


# Failures of the data, each with PostgreSQL's words (the oracle corpus checks that
# PostgreSQL fails too: tests/oracle/corpus/numbers.sql).
FAILURES = [
    ("SELECT ('x' || name)::bigint FROM t", 'invalid input syntax for type bigint: "x'),
    ("SELECT (name || '9999999999999999999999')::bigint FROM t", "invalid input syntax"),
    ("SELECT length(name)::text::bigint * 4611686018427387904 FROM t", "bigint out of range"),
    ("SELECT ('1e' || length(name) * 100)::float8 FROM t", "is out of range for type decimal"),
    ("SELECT (name || 'x')::boolean FROM t", "invalid input syntax for type boolean"),
    ("SELECT ('[' || length(name) || ',]')::json FROM t", "invalid input syntax for type json"),
    ("SELECT length(name) * '1e307'::float8 * 100 FROM t", "value out of range: overflow"),
    ("SELECT power(length(name) - 100, 0.5) FROM t", "complex result"),
    ("SELECT CAST(length(name) * 1e30 AS BIGINT) FROM t", "bigint out of range"),
    ("SELECT interval '9223372036854775807 microseconds'", "interval out of range"),
    ("SELECT x * 2 FROM (VALUES (interval '2000000 hours')) AS v(x)", "interval out of range"),
    ("SELECT interval '2147483647 days' + interval '1 day'", "interval out of range"),
]


@pytest.mark.parametrize(("query", "words"), FAILURES)
def test_data_errors_speak_postgresql(con: ddsql_lite.Connection, query: str, words: str) -> None:
    sql = query.replace("FROM t", "FROM aws.sagemaker_inference_experiment AS t")
    with pytest.raises(ddsql_lite.DDSQLError) as info:
        con.sql(sql)
    message = str(info.value)
    assert words in message
    assert not DUCKDB_WORDS.search(message.splitlines()[0]), message


def test_interval_python_cannot_hold_stays_arrow_s(con: ddsql_lite.Connection) -> None:
    """An interval of more days than a timedelta holds comes back as pyarrow's value."""
    (value,) = con.sql("SELECT interval '2147483647 days' AS i").fetchone() or (None,)
    assert (value.months, value.days, value.nanoseconds) == (0, 2147483647, 0)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("[1,2,]", 'Expected JSON value, but found "]". JSON data, line 1: [1,2,]'),
        ("", "The input string ended unexpectedly."),
        ('{"a":1 "b":2}', 'Expected "," or "}", but found ""b"". JSON data, line 1: {"a":1 "b"...'),
        ("[1,\n2,\n]", 'Expected JSON value, but found "]". JSON data, line 3: ]'),
        ("01", 'Token "01" is invalid.'),
        ("-Infinity", 'Token "-Infinity" is invalid.'),
        ('"a\tb"', "Character with value 0x09 must be escaped."),
        ('"\\u12"', '"\\u" must be followed by four hexadecimal digits.'),
        ('"\\x"', 'Escape sequence "\\x" is invalid.'),
        ("[" * 5000, "The input string ended unexpectedly."),
    ],
)
def test_json_syntax_errors_are_postgresql_s(text: str, detail: str) -> None:
    message = json_syntax_error(text)
    assert message is not None and message.startswith("invalid input syntax for type json: ")
    assert detail in message


@pytest.mark.parametrize(
    "text",
    [
        "1",
        " [1, 2.5e-3, true, null] ",
        '{"a": {"b": ["\\u00e9", "\\ud800"]}}',
        "[" * 3000 + "]" * 3000,
    ],
)
def test_json_postgresql_reads(text: str) -> None:
    assert json_syntax_error(text) is None
    assert json_problem(text) is None


def test_repeated_keys_refused_after_syntax() -> None:
    assert "repeats the key" in (json_problem('{"a": 1, "a": 2}') or "")
    assert "invalid input syntax" in (json_problem('[{"a": 1, "a": 2}, x]') or "")
