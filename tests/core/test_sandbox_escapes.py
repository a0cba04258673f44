"""The sandbox-escape corpus (issue 8): attempts to leave the sandbox, all refused.

Every attempt goes through :meth:`Connection.sql` (``REFUSED``) or straight to the
engine (``ENGINE_REFUSED``, which must still refuse: external access is disabled and
the configuration locked). Each must raise a :class:`DDSQLError` subclass with a
message; afterwards no file exists in the temporary directory the attempt points at,
the table holds the same rows (count and checksum) and the connection still answers.
``{tmp}`` in an attempt stands for that directory. ``HARMLESS`` queries look like
tricks but are plain queries: they are answered, with the same guarantees.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import ddsql_lite
from ddsql_lite import DDSQLError
from ddsql_lite.dialect.translate import MAX_QUERY_LENGTH

T = "aws.sagemaker_inference_experiment"

REFUSED: list[str] = [
    # file and network readers
    "SELECT * FROM read_csv('{tmp}/data.csv')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_json('{tmp}/data.json')",
    "SELECT * FROM read_json_auto('/etc/passwd')",
    "SELECT * FROM read_parquet('{tmp}/x.parquet')",
    "SELECT * FROM parquet_scan('{tmp}/x.parquet')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/passwd')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT read_csv('/etc/passwd')",
    "SELECT * FROM \"read_csv\"('/etc/passwd')",
    "SELECT * FROM main.read_csv('/etc/passwd')",
    "SELECT * FROM 'http://127.0.0.1:9/x.csv'",
    'SELECT * FROM "https://example.com/x.parquet"',
    "SELECT * FROM 's3://bucket/key.parquet'",
    "SELECT * FROM '{tmp}/data.csv'",
    "SELECT * FROM 'data.csv'",
    f"SELECT count(*) FROM {T} WHERE name IN (SELECT * FROM read_csv('/etc/passwd'))",
    "SELECT 1 UNION SELECT * FROM read_csv('/etc/passwd')",
    f"SELECT * FROM {T} AS t, LATERAL read_text('/etc/passwd')",
    "SELECT pg_read_file('/etc/passwd')",
    # COPY, ATTACH, EXPORT/IMPORT
    "COPY (SELECT 1) TO '{tmp}/out.csv'",
    f"COPY {T} TO '{{tmp}}/out.parquet' (FORMAT PARQUET)",
    f"COPY {T} FROM '{{tmp}}/data.csv'",
    "ATTACH '{tmp}/out.db' AS other",
    "ATTACH ':memory:' AS other",
    "DETACH memory",
    "EXPORT DATABASE '{tmp}/export'",
    "IMPORT DATABASE '{tmp}/export'",
    # extensions, settings, procedures
    "INSTALL httpfs",
    "LOAD httpfs",
    "FORCE INSTALL httpfs FROM 'http://127.0.0.1:9'",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "SET GLOBAL memory_limit = '100GB'",
    "RESET memory_limit",
    "PRAGMA database_list",
    "PRAGMA enable_profiling",
    "CALL pragma_version()",
    "CHECKPOINT",
    "USE memory",
    "CREATE SECRET s (TYPE S3, KEY_ID 'a', SECRET 'b')",
    "SELECT current_setting('enable_external_access')",
    "SELECT set_config('enable_external_access', 'true', false)",
    # query() and catalog functions
    f"SELECT * FROM query('SELECT * FROM {T}')",
    f"SELECT * FROM query_table('{T}')",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM duckdb_tables()",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM system.main.duckdb_settings",
    "SELECT * FROM __ddsql_load",
    "SELECT getenv('HOME')",
    "SELECT * FROM range(10)",
    # DDL and DML
    "CREATE TABLE x (a INT)",
    f"CREATE TABLE x AS SELECT * FROM {T}",
    "CREATE VIEW v AS SELECT 1",
    "CREATE MACRO m() AS 1",
    f"INSERT INTO {T} (_key) VALUES ('x')",
    f"UPDATE {T} SET name = 'x'",
    f"DELETE FROM {T}",
    f"WITH d AS (DELETE FROM {T} RETURNING *) SELECT * FROM d",
    f"DROP TABLE {T}",
    "DROP VIEW aws_sagemaker_inference_experiment",
    f"ALTER TABLE {T} ADD COLUMN z INT",
    f"TRUNCATE {T}",
    "BEGIN",
    "VACUUM",
    # several statements, hidden statements, string tricks
    f"SELECT 1; DROP TABLE {T}",
    f"SELECT 1 /* */; DROP TABLE {T}",
    f"SELECT 1 /* ; */ ; DELETE FROM {T}",
    f"SELECT 1 -- x\n; DROP TABLE {T}",
    f"SELECT $$a$$; DROP TABLE {T}",
    f"SELECT $x$ '; DROP TABLE {T}; $x$",
    "SELECT $$; DROP TABLE t;$$ AS s",  # dollar quoting is not DDSQL
    f"SELECT 'a'; DROP TABLE {T}; --'",
    f"SELECT 'a'''; DROP TABLE {T}; --'",
    "SELECT E'\\'; DROP TABLE t; --'",
    # Unicode look-alikes
    f"SELECT 1\uff1b DROP TABLE {T}",  # fullwidth semicolon
    "SELECT * FROM r\u0435ad_csv('/etc/passwd')",  # Cyrillic e
    "SELECT * FROM \uff52\uff45\uff41\uff44_csv('/etc/passwd')",  # fullwidth letters
    "SELECT * FROM read\u200b_csv('/etc/passwd')",  # zero-width space
    "SELECT * FROM read_csv\uff08'/etc/passwd'\uff09",  # fullwidth parentheses
    "SELECT 1\x00; DROP TABLE t",
    # size and depth
    "SELECT 1" + " " * (1 << 20),
    "SELECT '" + "a" * (1 << 20) + "'",
    "SELECT " + "(" * 1000 + "1" + ")" * 1000,
    "SELECT " + "(" * 1000 + "1",
    "SELECT " + "(SELECT " * 1000 + "1" + ")" * 1000,
    "SELECT " + " + ".join(["1"] * 5000),
    f"SELECT count(*) FROM {T} WHERE " + " OR ".join(f"name = 'n{i}'" for i in range(3000)),
    # placeholder names, printed into the DuckDB SQL as $name (issue 13)
    f'SELECT :"ddsql_$ x $ddsql_$; DELETE FROM {T}; SELECT 1 --"',
    f'SELECT :"ddsql_x; DELETE FROM {T}; --"',
    f'SELECT :"DDSQL_x; DELETE FROM {T}; --"',
    "SELECT :ddsql_dd_time_frame_start",
    'SELECT :"ddsql_dd_time_frame_start"',
    f"SELECT :ddsql_x; DELETE FROM {T}",
    # quoting and comment forms that could end a statement (issue 13)
    f"SELECT E'\\''; DELETE FROM {T}; --'",
    f"SELECT $q$'; DELETE FROM {T}; $q$",
    f"SELECT $$ $$; DELETE FROM {T}; SELECT $$ $$",
    f"SELECT 'a' -- '\n; DELETE FROM {T}",
    f"SELECT 1 /* */ */; DELETE FROM {T}; /* */",
    f"SELECT 'a' 'b'; DELETE FROM {T}",
    # DuckDB-only syntax that reaches data or changes what runs (issue 13)
    f"FROM {T}",
    f"SELECT (FROM {T} SELECT count(*))",
    f"SELECT t FROM {T} t",
    f"SELECT * REPLACE ('x' AS name) FROM {T}",
    f"SUMMARIZE {T}",
]

# Placeholders given a value, so that a missing value cannot be what refuses them: each
# must still be refused, by its name (issue 13).
REFUSED_WITH_PARAMS: list[tuple[str, dict[str, object]]] = [
    (
        f'SELECT :"ddsql_$ x $ddsql_$; DELETE FROM {T}; SELECT 1 --"',
        {f"ddsql_$ x $ddsql_$; DELETE FROM {T}; SELECT 1 --": 1},
    ),
    (f'SELECT :"x; DELETE FROM {T}; --"', {f"x; DELETE FROM {T}; --": 1}),
    (f'SELECT :"x $y$; DELETE FROM {T}; SELECT $y$"', {f"x $y$; DELETE FROM {T}; SELECT $y$": 1}),
    ('SELECT :"x"', {"x": 1}),
    ("SELECT :'x'", {"x": 1}),
    ("SELECT : x", {"x": 1}),
    ("SELECT :x$y", {"x$y": 1}),
    ("SELECT %(x)s", {"x": 1}),
    ("SELECT :x + :X", {"x": 1, "X": 2}),  # DuckDB binds $x and $X as one: 4, not 3
]

# Tricks that are nothing but queries: answered, with no effect.
HARMLESS: list[str] = [
    "SELECT 1; -- x",
    "SELECT 1; /* DROP TABLE t */",
    "SELECT '; DROP TABLE t; --' AS s",
    f"SELECT 'read_csv(''/etc/passwd'')' AS s FROM {T} LIMIT 1",
    "SELECT 1 /* ; DELETE FROM t; */ AS one",
]

# User text in every place it reaches the DuckDB SQL, each trying to end the statement or
# comment out the rest: translated into one statement that answers the same question
# (issue 13). (query, parameters, the one row it must answer)
ONE_STATEMENT: list[tuple[str, dict[str, object] | None, tuple[object, ...]]] = [
    # string literals
    (f"SELECT 'a''; DELETE FROM {T}; --' AS s", None, (f"a'; DELETE FROM {T}; --",)),
    ("SELECT 'a\\' AS s", None, ("a\\",)),  # no backslash escapes in standard strings
    ("SELECT '$$; $x$' AS s", None, ("$$; $x$",)),
    # Unicode escapes and a literal continued on the next line (read as PostgreSQL reads
    # them, then written by the translator as one plain literal)
    (f"SELECT U&'\\0027; DELETE FROM {T}; --' AS s", None, (f"'; DELETE FROM {T}; --",)),
    ("SELECT U&'!0027!0027;' UESCAPE '!' AS s", None, ("'';",)),
    (f'SELECT 1 AS U&"\\0022; DELETE FROM {T}; --"', None, (1,)),
    (f"SELECT 'a'\n'''; DELETE FROM {T}; --' AS s", None, (f"a'; DELETE FROM {T}; --",)),
    ("SELECT 'a\x00b' AS s", None, ("a\x00b",)),
    # quoted names
    (f'SELECT 1 AS "a""; DELETE FROM {T}; --"', None, (1,)),
    ('SELECT 1 AS "a--b", 2 AS "c/*d", 3 AS "e*/f", 4 AS "$$g"', None, (1, 2, 3, 4)),
    ('SELECT "x;y" FROM (SELECT 5 AS "x;y") AS "q""; --"', None, (5,)),
    # comments (PostgreSQL nests block comments; none reaches DuckDB)
    (f"SELECT 1 -- */ DELETE FROM {T}; /*\n AS x", None, (1,)),
    (f"SELECT 1 /* ; DELETE FROM {T}; */ AS x", None, (1,)),
    (f"SELECT 1 /* a /* nested */ ; DELETE FROM {T}; */ AS x", None, (1,)),
    # parameters: values are bound, never pasted
    ("SELECT :p AS s", {"p": f"'; DELETE FROM {T}; --"}, (f"'; DELETE FROM {T}; --",)),
    ("SELECT :select AS s", {"select": "$x$"}, ("$x$",)),
    # JSON keys and paths (JSON Pointer or $-paths inside a literal)
    ("SELECT JSON '{\"a'')\": 5}' ->> 'a'')' AS s", None, ("5",)),
    ('SELECT JSON \'{"a/b": 1, "a": {"b": 2}}\' ->> \'a/b\' AS s', None, ("1",)),
    ("SELECT JSON '{\"a~1\": 1, \"a/b\": 3}' ->> 'a~1' AS s", None, ("1",)),
    ("SELECT JSON '{\"a\\\"b\": 1}' ->> 'a\"b' AS s", None, ("1",)),
    ("SELECT JSON '{\"$.a\": 1, \"a\": 2}' ->> '$.a' AS s", None, ("1",)),
    ("SELECT JSON '{\"a,b\": 7}' #>> '{\"a,b\"}' AS s", None, ("7",)),
    ("SELECT json_extract_path_text(JSON '{\"''; --\": 6}', '''; --') AS s", None, ("6",)),
    # tag keys
    (f"SELECT count(tags -> 'x''); DELETE FROM {T}; --') FROM {T}", None, (0,)),
    # regular expressions and replacements
    ("SELECT regexp_replace('a''b', '''', '-') AS s", None, ("a-b",)),
    ("SELECT regexp_like('it''s', '^it''s$') AS s", None, (True,)),
    # to_char formats (strftime's % is escaped)
    ("SELECT to_char(TIMESTAMP '2025-01-02', '\"'';%Y\"YYYY%') AS s", None, ("';%Y2025%",)),
    # LIKE patterns and escapes
    ("SELECT 'a''%' LIKE 'a''\\%' AS s", None, (True,)),
    # interval and timestamp text (read, then written by the translator)
    ("SELECT INTERVAL '1 day 02:03:04' AS s", None, (timedelta(days=1, seconds=7384),)),
    ("SELECT TIMESTAMP '2025-01-02T03:04:05Z' AS s", None, (datetime(2025, 1, 2, 3, 4, 5),)),
    # split_part and trim with quotes and semicolons
    ("SELECT split_part('a'';b', ''';', 2) AS s", None, ("b",)),
    ("SELECT trim(''';' FROM ''';a;''') AS s", None, ("a",)),
]

# Straight to DuckDB, past the translator: the engine's own lock must hold.
ENGINE_REFUSED: list[str] = [
    "SELECT * FROM read_csv('{tmp}/data.csv')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM '{tmp}/data.csv'",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')",
    "COPY (SELECT 1) TO '{tmp}/out.csv'",
    "EXPORT DATABASE '{tmp}/export'",
    "ATTACH '{tmp}/out.db' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "SET memory_limit = '100GB'",
    "SET python_enable_replacements = true",
    "SELECT getenv('HOME')",
]


@pytest.fixture(scope="module")
def con() -> Iterator[ddsql_lite.Connection]:
    with ddsql_lite.connect() as connection:
        yield connection


def fingerprint(con: ddsql_lite.Connection) -> tuple[object, ...]:
    """The table's row count and an order-independent checksum of every row."""
    table = con.engine.execute(f"SELECT count(*), sum(hash(t)) FROM {T} AS t")
    row = table.to_pylist()[0]
    return (row["count_star()"], row["sum(hash(t))"])


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A directory the attempts point at, holding a CSV and a JSON file to read."""
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path / "data.json").write_text('[{"a": 1}]')
    return tmp_path


def assert_untouched(con: ddsql_lite.Connection, target: Path, before: tuple[object, ...]) -> None:
    assert sorted(p.name for p in target.iterdir()) == ["data.csv", "data.json"]
    assert fingerprint(con) == before
    assert con.sql(f"SELECT count(*) FROM {T}").fetchall() == [(before[0],)]


def test_the_corpus_is_large_enough() -> None:
    assert len(REFUSED) + len(ENGINE_REFUSED) >= 40


@pytest.mark.parametrize("attempt", REFUSED, ids=lambda s: repr(s[:48]))
def test_refused(con: ddsql_lite.Connection, target: Path, attempt: str) -> None:
    before = fingerprint(con)
    with pytest.raises(DDSQLError) as info:
        con.sql(attempt.replace("{tmp}", str(target)))
    assert str(info.value).strip()
    assert_untouched(con, target, before)


@pytest.mark.parametrize(("attempt", "params"), REFUSED_WITH_PARAMS, ids=lambda v: repr(v)[:48])
def test_refused_with_values(
    con: ddsql_lite.Connection, target: Path, attempt: str, params: dict[str, object]
) -> None:
    before = fingerprint(con)
    with pytest.raises(DDSQLError):  # by the translator, whatever the values
        con.translate(attempt)
    with pytest.raises(DDSQLError):
        con.sql(attempt, params)
    assert_untouched(con, target, before)


@pytest.mark.parametrize(("query", "params", "row"), ONE_STATEMENT, ids=lambda v: repr(v)[:48])
def test_user_text_stays_inside_one_statement(
    con: ddsql_lite.Connection,
    target: Path,
    query: str,
    params: dict[str, object] | None,
    row: tuple[object, ...],
) -> None:
    before = fingerprint(con)
    sql = con.translate(query)
    assert len(duckdb.extract_statements(sql)) == 1, sql
    assert con.sql(query, params).fetchall() == [row]
    assert_untouched(con, target, before)


@pytest.mark.parametrize("query", HARMLESS)
def test_harmless_tricks_are_plain_queries(
    con: ddsql_lite.Connection, target: Path, query: str
) -> None:
    before = fingerprint(con)
    assert len(con.sql(query).fetchall()) == 1
    assert_untouched(con, target, before)


@pytest.mark.parametrize("attempt", ENGINE_REFUSED, ids=lambda s: repr(s[:48]))
def test_engine_refuses(con: ddsql_lite.Connection, target: Path, attempt: str) -> None:
    before = fingerprint(con)
    with pytest.raises(DDSQLError) as info:
        con.engine.execute(attempt.replace("{tmp}", str(target)))
    assert str(info.value).strip()
    assert_untouched(con, target, before)


def test_size_and_depth_messages(con: ddsql_lite.Connection) -> None:
    with pytest.raises(DDSQLError, match=f"limit is {MAX_QUERY_LENGTH:,}"):
        con.sql("SELECT 1" + " " * (1 << 20))
    with pytest.raises(DDSQLError, match="nested more than"):
        con.sql("SELECT " + "(" * 1000 + "1" + ")" * 1000)
    with pytest.raises(DDSQLError, match="nested too deeply"):
        con.sql("SELECT " + " + ".join(["1"] * 5000))
    assert con.sql("SELECT " + "(" * 30 + "1" + ")" * 30).fetchall() == [(1,)]
    assert con.sql("SELECT " + "lower(" * 30 + "'A'" + ")" * 30).fetchall() == [("a",)]
