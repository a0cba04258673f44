"""PostgreSQL's type resolution in the translator (ddsql_lite/dialect/pgtypes.py): what the
oracle corpus cannot show, the SQL untyped literals become, the caret of each refusal and
the error classes. The answers and messages themselves are checked against PostgreSQL 15
by the corpus (tests/oracle/corpus/rejects.sql and dialect.sql)."""

from __future__ import annotations

import re

import pytest

from ddsql_lite import QueryError, UnsupportedError
from ddsql_lite.dialect import Translator
from ddsql_lite.registry import load_registry

T = "aws.sagemaker_inference_experiment"


@pytest.fixture(scope="module", params=[True, False], ids=["fast", "sqlglot"])
def translator(request: pytest.FixtureRequest) -> Translator:
    return Translator(load_registry(), fast=request.param)


@pytest.mark.parametrize(
    ("sql", "duckdb"),
    [
        # the literal becomes a cast of its checked text to the other operand's type
        ("SELECT 1 + '1'", "1 + CAST('1' AS BIGINT)"),
        ("SELECT 1 + ' +12 '", "1 + CAST('12' AS BIGINT)"),
        ("SELECT 1.5 * ' 2e1 '", "CAST('2e1' AS DOUBLE)"),
        ("SELECT true = 'Y'", "TRUE = TRUE"),  # (a boolean literal is read at once)
        # a function's parameter, the preferred type among several (double precision)
        ("SELECT abs('-1.5')", "ABS(CAST('-1.5' AS DOUBLE))"),
        ("SELECT split_part('a-b', '-', '2')", "CAST('2' AS BIGINT)"),
        # beside an interval: a double precision factor, a NULL interval; beside a timestamp
        # in a common type, a cast the time rules read
        ("SELECT INTERVAL '1 day' * '3'", "CAST('3' AS DOUBLE)"),
        ("SELECT NULL + INTERVAL '1 day'", "CAST(NULL AS INTERVAL)"),
        (f"SELECT coalesce(completion_time, '2030-01-01') FROM {T}", "CAST('2030-01-01"),
        # a condition's untyped literal is a boolean
        (f"SELECT 1 FROM {T} WHERE 'yes'", "WHERE TRUE"),
        ("SELECT 1 UNION SELECT '2'", "SELECT CAST('2' AS BIGINT)"),
        # words PostgreSQL's float input reads
        ("SELECT 1::float8 + ' -Infinity'", "CAST('-Infinity' AS DOUBLE)"),
        ("SELECT 1::float8 + '0e-400'", "CAST('0e-400' AS DOUBLE)"),
        # next to text or a timestamp, the literal stays as written
        (f"SELECT 1 FROM {T} WHERE name = '1'", "= '1'"),
        ("SELECT coalesce(NULL, '7')", "COALESCE(NULL, '7')"),
    ],
)
def test_untyped_literals_become_casts(translator: Translator, sql: str, duckdb: str) -> None:
    assert duckdb in translator.translate(sql).duckdb_sql


@pytest.mark.parametrize(
    ("sql", "message", "under"),
    [
        # (the query, the message, the text the caret is under: PostgreSQL's position)
        (
            f"SELECT count(*) FROM {T} AS t WHERE t.account_id = 111122223333",
            "operator does not exist: text = bigint",
            "= 1111",
        ),
        (
            f"SELECT count(*) FROM {T} AS t WHERE account_id = 111122223333",
            "operator does not exist: text = bigint",
            "= 1111",
        ),
        (
            f"SELECT 1 FROM {T} WHERE tags -> 'team' = 5",
            "operator does not exist: text = integer",
            "= 5",
        ),
        (f"SELECT 1 FROM {T} WHERE schedule <> schedule", "json <> json", "<> sch"),
        ("SELECT 1 = true", "operator does not exist: integer = boolean", "= true"),
        ("SELECT 3 || 4.0", "operator does not exist: integer || numeric", "|| 4"),
        ("SELECT NULL + NULL", "operator is not unique: unknown + unknown", "+ NULL"),
        ("SELECT -'1'", "operator is not unique: - unknown", "-'1'"),
        (f"SELECT 1 FROM {T} WHERE name BETWEEN 1 AND 2", "text >= integer", "BETWEEN"),
        (f"SELECT 1 FROM {T} WHERE name IN (1, 2)", "text = integer", "IN (1"),
        ("SELECT 1 + sum(true)", "function sum(boolean) does not exist", "sum("),
        ("SELECT 1 + '1.5'", 'invalid input syntax for type integer: "1.5"', "'1.5'"),
        # C's strtod reads hexadecimal floats; DDSQL does not, as for any text it casts
        (
            "SELECT 1::float8 + '0x1.8p1'",
            'invalid input syntax for type double precision: "0x1.8p1"',
            "'0x1.8p1'",
        ),
        ("SELECT 1.5 UNION SELECT 'foo'", 'for type numeric: "foo"', "'foo'"),
        ("SELECT 1 UNION SELECT 'a'::text", "UNION types integer and text", "'a'::"),
        ("SELECT CASE WHEN true THEN 'a'::text ELSE 1 END", "CASE types integer and", "'a'::"),
        ("SELECT 1, ARRAY[]", "cannot determine type of empty array", "ARRAY[]"),
        (f"SELECT 1 FROM {T} WHERE length(name)", "argument of WHERE must be", "length"),
        (f"SELECT 1 FROM {T} WHERE true AND 2 + 2", "argument of AND must be", "2 + 2"),
        (f"SELECT 1 FROM {T} WHERE name NOT LIKE 1", "text !~~ integer", "NOT LIKE"),
        ("SELECT 1 + lower(1)", "function lower(integer) does not exist", "lower("),
        ("SELECT abs('x')", 'for type double precision: "x"', "'x'"),
    ],
)
def test_refusals_point_where_postgresql_does(
    translator: Translator, sql: str, message: str, under: str
) -> None:
    with pytest.raises((UnsupportedError, QueryError)) as info:
        translator.translate(sql)
    text = str(info.value)
    assert message in text
    column = re.search(r"\(line 1, column (\d+)\)", text)
    assert column is not None, text
    assert int(column.group(1)) == sql.index(under) + 1, text


@pytest.mark.parametrize(
    ("sql", "error"),
    [
        # a literal that does not read as its type is a data error, as it is at run time
        ("SELECT 1 + 'x'", QueryError),
        ("SELECT 1 + '99999999999999999999'", QueryError),
        ("SELECT 1 + '\u0663'", QueryError),  # a digit, but not an ASCII one
        ("SELECT 1::float8 + '1e-400'", QueryError),  # underflow
        ("VALUES (1), ('a')", QueryError),
        # no operator, function or common type: the query is refused
        ("SELECT 1 || 2", UnsupportedError),
        ("SELECT avg(true)", UnsupportedError),
        ("SELECT coalesce(1, 'a'::text)", UnsupportedError),
    ],
)
def test_error_classes(translator: Translator, sql: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        translator.translate(sql)


@pytest.mark.parametrize(
    "sql",
    [
        # PostgreSQL answers these with a regular expression (a text second argument, and
        # text is the preferred type for an untyped literal): a wrong answer as positions
        "SELECT substring('abc', '2')",
        "SELECT substring('abc', '1', '2')",
        f"SELECT substring(name, name) FROM {T}",
    ],
)
def test_substring_by_pattern_is_refused(translator: Translator, sql: str) -> None:
    with pytest.raises(UnsupportedError, match="regexp_match"):
        translator.translate(sql)


def test_out_of_range_integer_text(translator: Translator) -> None:
    """DDSQL integers are 64 bits: integer text reads up to 2**63 - 1."""
    sql = translator.translate("SELECT 1 + '3000000000'").duckdb_sql
    assert "CAST('3000000000' AS BIGINT)" in sql
    with pytest.raises(QueryError, match='value "9223372036854775808" is out of range'):
        translator.translate("SELECT 1 + '9223372036854775808'")


@pytest.mark.parametrize(
    "sql",
    [
        # what the translator cannot type is not judged (a parameter, an unmodelled call)
        "SELECT :p = 1",
        "SELECT :p || 2",
        f"SELECT 1 FROM {T} WHERE regexp_match(name, 'a') = ARRAY['a']",
        # arrays keep their own operators; tags and timestamps are read by the rules
        "SELECT ARRAY[1] || ARRAY[2]",
        f"SELECT 1 FROM {T} WHERE creation_time > '2025-01-01' AND tags = tags",
        # untyped literals of a subquery compared with text
        f"SELECT 1 FROM {T} WHERE name IN (SELECT 'a' UNION SELECT 'b')",
    ],
)
def test_not_refused(translator: Translator, sql: str) -> None:
    translator.translate(sql)
