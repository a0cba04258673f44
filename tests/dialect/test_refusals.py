"""Refusals that teach (docs/dialect.md, "Errors"): every refusal names what it refuses as
the user wrote it, with a caret under it, and the DDSQL way to write it where there is one.
The lists walked are the refusal lists of the other tests and the corpus's ``-- error:``
lines that the translator refuses."""

from __future__ import annotations

import re

import pytest
from sqlglot import exp

import ddsql_lite
from ddsql_lite import CatalogError, DDSQLError, QueryError, UnsupportedError
from ddsql_lite.dialect import Translator
from ddsql_lite.dialect.functions import DDSQL_FUNCTIONS
from ddsql_lite.dialect.nodes import pg_sql
from ddsql_lite.dialect.refusals import Refusal, Source, run_time_error
from ddsql_lite.engine import pg_meaning
from ddsql_lite.registry import load_registry
from tests.dialect import test_regex, test_timefuncs, test_translate
from tests.support.corpus_files import ANNOTATION, corpus_lines, with_table

T = "aws.sagemaker_inference_experiment"


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator(_REGISTRY, cache_size=0)


def refusal(translator: Translator, sql: str) -> DDSQLError:
    with pytest.raises(DDSQLError) as info:
        translator.translate(sql)
    return info.value


# (query, the message's first line, the caret's column): the examples of issue #19
TEACHING = [
    (
        f"SELECT name FROM {T} WHERE tags ? 'ttl'",
        "operator ? is not supported in DDSQL; to test for a key write tags->'ttl' IS NOT NULL",
        64,
    ),
    (
        f"SELECT name FROM {T} WHERE tags @> 'team=>fraud'",
        "operator @> is not supported in DDSQL; tags->'team' is all of the key's values "
        "joined by ',': to test for one write "
        "array_position(string_to_array(tags->'team', ','), 'fraud') IS NOT NULL",
        64,
    ),
    (
        f"SELECT name FROM {T} WHERE tags->'team' @> 'fraud'",
        "operator @> is not supported in DDSQL; tags->'team' is all of the key's values "
        "joined by ',': to test for one write "
        "array_position(string_to_array(tags->'team', ','), 'fraud') IS NOT NULL",
        72,
    ),
    (
        f"SELECT name FROM {T} WHERE name = ANY(ARRAY['a','b'])",
        "= ANY(...) is not supported in DDSQL; write name IN ('a','b')",
        66,
    ),
    (
        f"SELECT name FROM {T} WHERE name <> all (ARRAY['a'])",
        "<> all(...) is not supported in DDSQL; write name NOT IN ('a')",
        67,
    ),
    (
        f"SELECT v FROM {T} t CROSS JOIN LATERAL json_array_elements(t.model_variants) AS v",
        "CROSS JOIN LATERAL is not supported in DDSQL; a function in FROM already reads the "
        "sources before it: write CROSS JOIN json_array_elements(t.model_variants) AS v",
        63,
    ),
    (
        f"SELECT count(*) FILTER (WHERE name = 'x') FROM {T}",
        "FILTER (WHERE name = 'x') is not supported in DDSQL; "
        "write count(CASE WHEN name = 'x' THEN 1 END)",
        17,
    ),
    (
        f"SELECT SUM(length(name)) filter (where name LIKE 'a%') FROM {T}",
        "filter (where name LIKE 'a%') is not supported in DDSQL; "
        "write SUM(CASE WHEN name LIKE 'a%' THEN length(name) END)",
        26,
    ),
    (
        f"SELECT name->>'x' FROM {T}",
        "->> needs a json value or the tags column; name is text",
        12,
    ),
    (
        f"SELECT name ILIKE 'a%' FROM {T}",
        "operator ILIKE is not supported in DDSQL; write lower(name) LIKE lower('a%')",
        13,
    ),
    # PostgreSQL's root operators, named as written (not as the functions sqlglot reads)
    (
        f"SELECT |/ length(name) FROM {T}",
        "operator |/ is not supported in DDSQL; for a square root write power(length(name), 0.5)",
        8,
    ),
    (
        "SELECT 2 * ||/ 27.0",
        "operator ||/ is not supported in DDSQL; for the cube root of a positive number write "
        "power(27.0, 1.0 / 3)",
        12,
    ),
    # PostgreSQL continues E'...' and U&'...' literals too; DDSQL plain ones only
    (
        "SELECT E'a'\n'b'",
        "a string continued on the next line is supported for plain '...' literals only; "
        "write it as one literal",
        1,
    ),
]


@pytest.mark.parametrize(("sql", "message", "column"), TEACHING, ids=lambda v: str(v)[:40])
def test_refusals_teach(translator: Translator, sql: str, message: str, column: int) -> None:
    error = refusal(translator, sql)
    assert isinstance(error, UnsupportedError)
    line = sql.count("\n") + 1
    text = sql.split("\n")[-1]
    assert (
        str(error) == f"{message} (line {line}, column {column})\n  {text}\n  {' ' * (column - 1)}^"
    )


def listed_refusals() -> list[tuple[str, bool]]:
    """Every query the refusal lists of the tests and the corpus hold, and whether the
    translator refuses it (a corpus query may be refused only when it runs)."""
    queries = [sql for sql, _, _ in test_translate.REFUSALS]
    queries += [sql for sql, _, _ in test_translate.DUCKDB_SYNTAX]
    for listed in (
        test_translate.VALUE_ACCESS,
        test_translate.SRF_PLACES,
        test_translate.PLACEHOLDERS,
    ):
        queries += [sql for sql, _ in listed]
    queries += [test_translate.select(sql) for sql, _ in test_timefuncs.REFUSALS]
    queries += [sql.replace("FROM t", f"FROM {T}") for sql, _ in test_regex.REFUSED_SQL]
    queries += [sql for sql, _, _ in TEACHING]
    corpus = [
        with_table(ANNOTATION.split(line.strip())[0])
        for _, _, line in corpus_lines()
        if " -- error:" in line
    ]
    return [(sql, True) for sql in queries] + [(sql, False) for sql in corpus]


# Refusals with nothing in the text to point at: an empty query.
_NOWHERE = {""}
# What a message may say that the query does not: the names of DDSQL's functions, units
# and settings, of the tables and their columns, and of the two SQL dialects.
_REGISTRY = load_registry()
_KNOWN = (
    {name.lower() for name in DDSQL_FUNCTIONS}
    | {part for table in _REGISTRY for name in table.names for part in name.split(".")}
    | {column.name for table in _REGISTRY for column in table.columns}
    | {"time_frame_start", "time_frame_end", "timezone_hour", "timezone_minute"}
    | {"duckdb", "postgresql"}
)
_INTERNAL = re.compile(r"\b(?:[A-Za-z]+_\w+|[A-Z]+[a-z]+[A-Z]\w*)\b")
_LOCATED = re.compile(r" \(line (\d+), column (\d+)\)\n  .*\n *\^$")


@pytest.mark.parametrize(("sql", "refused"), listed_refusals(), ids=lambda v: str(v)[:50])
def test_every_refusal_teaches(translator: Translator, sql: str, refused: bool) -> None:
    """Each refusal says what it refuses in the user's words (no sqlglot class or
    internal name, no ``ddsql_`` name the user did not write, no qualified column of the
    generated SQL) and puts a caret inside the query."""
    try:
        translator.translate(sql)
    except DDSQLError as exc:
        message = str(exc)
    else:
        assert not refused, sql
        return  # refused when it runs (the corpus checks those against PostgreSQL)
    said, _, _ = message.partition(" (line ")
    written = sql.lower()
    for name in _INTERNAL.findall(said):
        assert name.lower() in written or name.lower() in _KNOWN, (name, message)
    for name in re.findall(r"ddsql_\w*", said, re.IGNORECASE):
        assert name.lower() in written, message
    assert '"aws"' not in said and '"sagemaker_inference_experiment".' not in said, message
    if sql.strip() in _NOWHERE:
        return
    located = _LOCATED.search(message)
    assert located is not None, message
    line, column = int(located.group(1)), int(located.group(2))
    lines = sql.split("\n")
    assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]), message


# ------------------------------------------------------------------ failures at run time


@pytest.mark.parametrize(
    ("sql", "failed", "expected"),
    [
        # the generated SQL's qualified columns, as their names
        (
            "SELECT name + 1 FROM t",
            'query failed: cannot add "aws"."sagemaker_inference_experiment"."name"',
            "query failed: cannot add name",
        ),
        # macros by the DDSQL function they stand for, or not at all
        (
            "SELECT split_part(name, ',', 2) FROM t",
            "query failed: ddsql_split_part(VARCHAR) failed; DDSQL_F8_DIGITS too",
            "query failed: split_part(VARCHAR) failed; an internal step too",
        ),
        # a caret under the one literal of the query the message quotes, in PostgreSQL's
        # words
        (
            "SELECT CAST('abc' AS BIGINT)",
            "query failed: Could not convert string 'abc' to INT64",
            'query failed: invalid input syntax for type bigint: "abc" (line 1, column 13)\n'
            "  SELECT CAST('abc' AS BIGINT)\n"
            "              ^",
        ),
        # ... and none where the query holds it twice, or not at all
        (
            "SELECT 'abc'::bigint, 'abc'::int",
            "query failed: Could not convert string 'abc' to INT64",
            'query failed: invalid input syntax for type bigint: "abc"',
        ),
        (
            "SELECT name::bigint FROM t",
            "query failed: Could not convert string 'x' to INT64 when casting from source "
            "column name",
            'query failed: invalid input syntax for type bigint: "x"',
        ),
        # DuckDB's other words for a value that does not convert or fit
        (
            "SELECT CAST('99999999999999999999' AS BIGINT), 1",
            "query failed: Could not convert string '99999999999999999999' to INT64",
            'query failed: value "99999999999999999999" is out of range for type bigint '
            "(line 1, column 13)\n  SELECT CAST('99999999999999999999' AS BIGINT), 1\n"
            "              ^",
        ),
        (
            "SELECT CAST(x AS JSON) FROM t",
            'query failed: Malformed JSON at byte 1 of input: unexpected character.  Input: "{bad"',
            "query failed: invalid input syntax for type json: unexpected character",
        ),
        # argument types no function or operator takes
        (
            "SELECT name - 25 FROM t",
            "query failed: No function matches the given name and argument types "
            "'-(VARCHAR, INTEGER_LITERAL)'. You might need to add explicit type casts.",
            "query failed: operator does not exist: text - integer",
        ),
        (
            "SELECT abs(tags) FROM t",
            "query failed: No function matches the given name and argument types "
            "'abs(MAP(VARCHAR, VARCHAR[]))'. You might need to add explicit type casts.",
            "query failed: function abs(hstore) does not exist",
        ),
        (
            "SELECT string_to_array(name, tags) FROM t",
            "query failed: No function matches the given name and argument types "
            "'string_split(VARCHAR, MAP(VARCHAR, VARCHAR[]))'. You might need to add explicit "
            "type casts.",
            "query failed: a function of this query does not take (text, hstore)",
        ),
        (
            "SELECT - 'b'",
            'query failed: Could not choose a best candidate function for the function call "-('
            'STRING_LITERAL)". In order to select one, please add explicit type casts.',
            "query failed: operator is not unique: - unknown",
        ),
        # a second error class DuckDB leaves in the message
        (
            "SELECT 1",
            "query failed: Parser Error: window functions are not allowed in window definitions",
            "query failed: window functions are not allowed in window definitions",
        ),
        (
            "SELECT 9223372036854775807 + 1",
            "query failed: Overflow in addition of INT64 (9223372036854775807 + 1)!",
            "query failed: bigint out of range",
        ),
        (
            "SELECT CAST(1e300 AS BIGINT)",
            "query failed: Type DOUBLE with value 1e+300 can't be cast because the value is out "
            "of range for the destination type INT64",
            "query failed: bigint out of range",
        ),
        (
            "SELECT CAST(x AS BIGINT[]) FROM t",
            "query failed: Type VARCHAR with value 'ab' can't be cast to the destination type "
            "BIGINT[] when casting from source column x",
            'query failed: malformed array literal: "ab"',
        ),
    ],
)
def test_run_time_errors_in_the_query_s_words(sql: str, failed: str, expected: str) -> None:
    # the engine gives DuckDB's message PostgreSQL's meaning, then the caret is placed
    message = failed.removeprefix("query failed: ")
    error = run_time_error(QueryError("query failed: " + pg_meaning(message)), sql)
    assert type(error) is QueryError
    assert str(error) == expected


def test_run_time_errors_point_into_the_query() -> None:
    with ddsql_lite.connect() as con, pytest.raises(QueryError) as info:
        con.sql("SELECT CAST('maybe' AS BOOLEAN)")
    assert str(info.value).endswith(
        "(line 1, column 13)\n  SELECT CAST('maybe' AS BOOLEAN)\n              ^"
    )


# ------------------------------------------------------------ building a message never fails


def test_a_node_sqlglot_cannot_print_is_still_named() -> None:
    node = exp.UnicodeString(this="a", escape=exp.Literal.string("+"))
    with pytest.raises(re.error):  # sqlglot's generator builds an invalid pattern from '+'
        node.sql("postgres")
    assert pg_sql(node) == "'a'"
    error = Refusal("{it} is not supported", node, parts={"it": node}).located("SELECT 1")
    assert type(error) is UnsupportedError and str(error) == "'a' is not supported"


def test_a_failure_while_locating_leaves_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Source, node: exp.Expr) -> int:
        raise ValueError("lost")

    monkeypatch.setattr(Source, "own_offset", fail)
    node = exp.column("name")
    error = Refusal("{it}: no", node, parts={"it": node}, kind=CatalogError).located("SELECT name")
    assert type(error) is CatalogError and str(error) == "name: no"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT U&'a' UESCAPE '+'",
        "SELECT U&'a' UESCAPE 'ab'",
        "SELECT U&'a' UESCAPE 1",
        "SELECT U&'\\+11FFFF'",
        "SELECT U&'\\DE00'",
        "SELECT U&'\\D83Dx'",
        "SELECT U&'\\0000'",
        "SELECT U&'x\\'",
    ],
)
def test_unicode_literals_fail_as_ddsql_errors(translator: Translator, sql: str) -> None:
    error = refusal(translator, sql)
    assert "Unicode escape" in str(error) or "UESCAPE" in str(error)
