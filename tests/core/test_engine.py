"""The sandboxed engine (the Python API over it: test_connection.py)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

import ddsql_lite
from ddsql_lite import (
    DDSQLError,
    QueryCancelledError,
    QueryError,
    QueryTimeoutError,
    UnsupportedError,
)
from ddsql_lite.dialect import runtime
from ddsql_lite.engine import Engine, row_group_size
from ddsql_lite.registry import load_registry

T = "aws.sagemaker_inference_experiment"
SEED_ORDER = [
    "_key",
    "account_id",
    "arn",
    "completion_time",
    "creation_time",
    "data_storage_config",
    "description",
    "endpoint_metadata",
    "last_modified_time",
    "model_variants",
    "name",
    "role_arn",
    "schedule",
    "shadow_mode_config",
    "status",
    "status_reason",
    "tags",
    "type",
]


@pytest.fixture(scope="module")
def con():
    with ddsql_lite.connect() as connection:
        yield connection


def test_select_star_has_the_seed_columns_and_types(con) -> None:
    result = con.sql(f"SELECT * FROM {T}")
    assert result.columns == SEED_ORDER
    types = dict(zip(result.columns, result.to_arrow_table().schema.types))
    assert types["creation_time"] == pa.timestamp("us")
    assert types["tags"] == pa.map_(pa.string(), pa.list_(pa.string()))
    assert pa.types.is_string(types["name"])
    duck = dict(
        con.engine._instance.db.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'aws'"
        ).fetchall()
    )
    assert duck["model_variants"] == "JSON" and duck["creation_time"] == "TIMESTAMP"
    assert duck["tags"] == "MAP(VARCHAR, VARCHAR[])"


def test_both_table_names(con) -> None:
    a = con.sql(f"SELECT count(*) FROM {T}").fetchall()
    b = con.sql("SELECT count(*) FROM aws_sagemaker_inference_experiment").fetchall()
    assert a == b and a[0][0] >= 24


def test_every_macro_is_defined_after_what_it_calls() -> None:
    db = duckdb.connect()
    runtime.install(db)
    db.execute(";\n".join(runtime.macro_definitions()))
    listed = db.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name LIKE 'ddsql_%'"
    ).fetchall()
    python_functions = set(runtime.PYTHON_FUNCTIONS)
    assert {name for (name,) in listed} == set(runtime.MACROS) | python_functions
    db.close()


# Statements a translation bug could let through to the engine, each refused twice over:
# the engine runs one query statement only, and beneath that check the tables and macros
# sit in a read-only database (a raw cursor, which skips the check, cannot change them).
WRITES = [
    f"DELETE FROM {T}",
    f"UPDATE {T} SET name = 'x'",
    f"INSERT INTO {T} (name) VALUES ('x')",
    f"DROP TABLE {T}",
    "DROP VIEW aws_sagemaker_inference_experiment",
    f"ALTER TABLE {T} RENAME TO gone",
    "CREATE OR REPLACE MACRO ddsql_nonzero(x) AS 42",
    "CREATE OR REPLACE MACRO stored.main.ddsql_nonzero(x) AS 42",
    "CREATE OR REPLACE MACRO ddsql_runtime.main.ddsql_nonzero(x) AS 42",
    "DROP MACRO ddsql_runtime.main.ddsql_nonzero",
    f"CREATE OR REPLACE VIEW aws_sagemaker_inference_experiment AS SELECT 1 FROM {T}",
    "CREATE TABLE stored.main.extra AS SELECT 1 AS x",
    f"TRUNCATE {T}",
]


@pytest.mark.parametrize("sql", WRITES)
def test_the_tables_and_macros_cannot_be_changed(con, sql: str) -> None:
    check = f"SELECT count(*), min(name), 1 / ddsql_nonzero(2) FROM {T}"
    before = con.engine.execute(check).to_pylist()
    with pytest.raises(UnsupportedError, match="the engine runs queries only"):
        con.engine.execute(sql)
    raw = con.engine._instance.cursor()
    try:
        with pytest.raises(duckdb.Error, match=r"read-only|Cannot execute statement"):
            raw.execute(sql)
    finally:
        raw.close()
    assert con.engine.execute(check).to_pylist() == before


def test_the_macros_database_is_kept_between_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The macros' database is built once for these macros and this DuckDB, then reused
    from the user's cache; a damaged cached file is built again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    check = "SELECT 1 / ddsql_nonzero(2) AS half, ddsql_interval_text(INTERVAL '1 day') AS d"
    expected = [{"half": 0.5, "d": "1 day"}]
    first = Engine({})
    (cached,) = (tmp_path / "ddsql_lite").glob("runtime-*.duckdb")
    assert first._runtime.startswith(first._tmp) and first.execute(check).to_pylist() == expected
    first.close()
    second = Engine({})
    assert second._runtime == str(cached) and second.execute(check).to_pylist() == expected
    second.close()
    cached.write_bytes(b"not a database")
    third = Engine({})
    assert third._runtime.startswith(third._tmp) and third.execute(check).to_pylist() == expected
    third.close()
    assert cached.read_bytes() != b"not a database"  # built again and cached again


@pytest.mark.parametrize(
    "sql",
    [
        f"SELECT count(*) FROM {T}; DELETE FROM {T}",
        f"DELETE FROM {T}; SELECT 1",
        "SELECT 1; SELECT 2",
        "",
        ";",
        "-- nothing",
    ],
)
def test_the_engine_runs_exactly_one_statement(con, sql: str) -> None:
    with pytest.raises(UnsupportedError, match="one statement per call"):
        con.engine.execute(sql)
    assert con.sql(f"SELECT count(*) FROM {T}").fetchall() == [(32,)]


def test_a_temporary_object_dies_with_its_query(con) -> None:
    """Each query has a cursor of its own: even a temporary macro made through a raw
    cursor (past every check) cannot shadow the engine's for later queries."""
    raw = con.engine._instance.cursor()
    raw.execute("CREATE TEMP MACRO ddsql_nonzero(x) AS 'pwned'")
    assert raw.execute("SELECT ddsql_nonzero(1)").fetchall() == [("pwned",)]
    raw.close()
    assert con.engine.execute("SELECT ddsql_nonzero(1) AS x").to_pylist() == [{"x": 1}]


def test_json_columns_keep_their_text_and_are_json() -> None:
    """The engine takes a JSON column's text as it is (no second parse) and as JSON."""
    spec = load_registry().get(T)
    texts = ['{"start_time": "2025-03-01T12:00:00Z",  "end_time": null}', None]
    data = {c.name: pa.nulls(2, c.type.arrow) for c in spec.columns}
    data["schedule"] = pa.array(texts, pa.string())
    engine = Engine({spec: pa.table(data, schema=spec.arrow_schema())})
    try:
        got = engine.execute(
            f"SELECT schedule::VARCHAR AS text, typeof(schedule) AS kind, "
            f"schedule->>'start_time' AS start FROM {T}"
        ).to_pylist()
    finally:
        engine.close()
    assert [row["text"] for row in got] == texts
    assert got[0]["kind"] == "JSON" and got[0]["start"] == "2025-03-01T12:00:00Z"


ESCAPES = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "COPY (SELECT 1) TO '{out}'",
    "ATTACH '{out}' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "PRAGMA database_list",
    "DROP VIEW aws_sagemaker_inference_experiment",
    f"DELETE FROM {T}",
    f"SELECT * FROM query('SELECT * FROM {T}')",
    f"SELECT count(*) FROM {T}; DROP TABLE {T}",
    "SELECT current_setting('enable_external_access')",
]


@pytest.mark.parametrize("sql", ESCAPES)
def test_sandbox_refuses(con, tmp_path: Path, sql: str) -> None:
    out = tmp_path / "escape.out"
    before = con.sql(f"SELECT count(*) FROM {T}").fetchall()
    with pytest.raises(DDSQLError):
        con.sql(sql.format(out=out))
    assert not out.exists()
    assert con.sql(f"SELECT count(*) FROM {T}").fetchall() == before


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY (SELECT 1) TO '{out}'",
        "ATTACH '{out}' AS other",
        "INSTALL httpfs",
        "SET threads = 1",
        "SET enable_external_access = true",
    ],
)
def test_engine_is_locked_even_without_the_translator(con, tmp_path: Path, sql: str) -> None:
    out = tmp_path / "escape.out"
    with pytest.raises(DDSQLError):
        con.engine.execute(sql.format(out=out))
    raw = con.engine._instance.cursor()  # past the statement check: the lock holds
    try:
        with pytest.raises(duckdb.Error):
            raw.execute(sql.format(out=out))
    finally:
        raw.close()
    assert not out.exists()


def test_python_variables_are_out_of_reach(con) -> None:
    secret = pa.table({"x": [1]})  # a replacement scan would find this local variable
    with pytest.raises(QueryError, match="secret does not exist"):
        con.engine.execute("SELECT * FROM secret")
    assert secret.num_rows == 1


def test_time_limit_interrupts_and_connection_survives() -> None:
    registry = load_registry()
    engine = Engine({}, timeout=0.3)
    try:
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.3 s"):
            engine.execute("SELECT count(*) FROM range(1000000000000) a")
        assert engine.execute("SELECT 42 AS x").to_pylist() == [{"x": 42}]
    finally:
        engine.close()
    assert registry  # the registry is untouched by the engine


@pytest.mark.parametrize(
    ("rows", "threads", "size"),
    [
        *[(10_000, 2, 2048), (100_000, 2, 14_336), (200_000, 2, 26_624), (10_000, 8, 2048)],
        *[(1_000_000, 2, None), (245_760, 2, None), (2048, 2, None), (10_000, 1, None)],
    ],
)
def test_row_group_size(rows: int, threads: int, size: int | None) -> None:
    assert row_group_size(rows, threads) == size


@pytest.mark.slow
def test_a_table_in_small_row_groups_answers_the_same(con) -> None:
    """A table too small for DuckDB to scan it on two threads goes to a database file
    with smaller row groups, every cursor reading there; and cursors are reused, also
    after a query that failed or ran out of time."""
    sample = con.sql(f"SELECT * FROM {T}").to_arrow_table()
    spec = load_registry().get(T)
    data = pa.concat_tables([sample] * 200)  # 6,400 rows
    queries = [
        f"SELECT count(*) AS n, count(DISTINCT name) AS names FROM {T}",
        "SELECT status, count(*) AS n FROM aws_sagemaker_inference_experiment GROUP BY 1 "
        "ORDER BY 1",
        f"SELECT name, ddsql_nonzero(2) AS two FROM {T} ORDER BY _key, name LIMIT 3",
    ]
    one, two = Engine({spec: data}, threads=1), Engine({spec: data}, threads=2, timeout=0.5)
    try:
        groups = [
            engine._instance.db.execute(
                "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('stored.aws."
                "sagemaker_inference_experiment')"
            ).fetchall()
            for engine in (one, two)
        ]
        assert groups == [[(1,)], [(4,)]]
        for sql in queries:
            assert two.execute(sql) == one.execute(sql), sql
        with pytest.raises(QueryTimeoutError):
            two.execute("SELECT count(*) FROM range(1000000000000) a")
        with pytest.raises(QueryError, match="division by zero"):
            two.execute(f"SELECT 1 / ddsql_nonzero(0) FROM {T}")
        for sql in queries:
            assert two.execute(sql) == one.execute(sql), sql
    finally:
        one.close()
        two.close()


def test_ctrl_c_cancels_the_query(con) -> None:
    main = threading.main_thread().ident
    assert main is not None
    timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))
    timer.start()
    with pytest.raises(QueryCancelledError):
        con.engine.execute("SELECT count(*) FROM range(1000000000000) a", timeout=30)
    assert con.sql("SELECT 1 AS one").fetchall() == [(1,)]


def test_division_by_zero_is_an_error_like_postgresql(con) -> None:
    with pytest.raises(QueryError, match="division by zero"):
        con.sql("SELECT 1 / 0")
    assert con.sql("SELECT 5 / 2 AS x").fetchall() == [(2.5,)]


def test_a_query_fails_with_its_own_message(con) -> None:
    """``ddsql_raise`` reports the message alone, also from a window's ORDER BY (where
    DuckDB refuses its volatile error()), and a NULL message still fails the query."""
    with pytest.raises(QueryError, match=r"^query failed: division by zero$"):
        con.sql(
            "SELECT rank() OVER (ORDER BY 1 / (length(name) - length(name)))"
            " FROM aws.sagemaker_inference_experiment"
        )
    with pytest.raises(QueryError, match=r"^query failed: query failed$"):
        con.engine.execute("SELECT ddsql_raise(NULL)")
    assert con.engine.execute("SELECT CASE WHEN 1 = 0 THEN ddsql_raise('no') END AS x")[
        "x"
    ].to_pylist() == [None]


def test_text_made_json_must_not_repeat_a_key(con) -> None:
    """PostgreSQL reads the last of repeated keys, DuckDB the first: refused, not answered."""
    made = "('{\"a\": ' || length(name) || ', \"a\": 2}')::json"
    with pytest.raises(QueryError, match=r'^query failed: JSON object repeats the key "a"'):
        con.sql(f"SELECT ({made})->>'a' FROM aws.sagemaker_inference_experiment")
    unique = "('{\"a\": ' || length(name) || ', \"b\": 2}')::json->>'a'"
    assert con.sql(f"SELECT {unique} AS a FROM aws.sagemaker_inference_experiment LIMIT 1")


def test_settings_are_utc(con) -> None:
    assert con.engine.execute("SELECT current_setting('TimeZone') AS tz").to_pylist() == [
        {"tz": "UTC"}
    ]
    assert os.environ.get("TZ") in (None, "", "UTC") or True  # independent of the process TZ
