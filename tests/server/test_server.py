"""``ddsql serve`` with real clients: psql, psycopg 3, pg8000, SQLAlchemy and pandas.

Every answer is compared with what ``connect().sql()`` gives for the same query; errors
carry PostgreSQL's SQLSTATE and a position psql draws its caret at. Nothing here bounds
how long anything takes beyond generous waits: the machine may be busy.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pg8000.dbapi
import pg8000.native
import psycopg
import pytest

import ddsql_lite
from ddsql_lite.errors import LoaderError
from tests.core.test_sandbox_escapes import HARMLESS, REFUSED
from tests.server.conftest import Running, serve_command, start, stop

pytestmark = pytest.mark.slow  # a server process, real clients

T = "aws.sagemaker_inference_experiment"
PSQL = shutil.which("psql")
needs_psql = pytest.mark.skipif(PSQL is None, reason="psql is not installed")
# A query that runs for minutes: a six-way self join of the 32-row sample.
ENDLESS = (
    f"SELECT count(*) FROM {T} a, {T} b, {T} c, {T} d, {T} e, {T} f "
    "WHERE a.name || b.name || c.name || d.name || e.name || f.name LIKE '%zz%'"
)
QUERIES = [
    f"SELECT name, status, creation_time, tags FROM {T} ORDER BY name",
    f"SELECT status, count(*) AS n, avg(length(name)) AS l FROM {T} GROUP BY status ORDER BY 1",
    f"SELECT name, schedule, schedule->>'start_time' AS start FROM {T} ORDER BY name LIMIT 5",
    f"SELECT akeys(tags) AS k, avals(tags) AS v, tags->'team' AS team FROM {T} ORDER BY name",
    f"SELECT completion_time - creation_time AS took FROM {T} ORDER BY name",
    "SELECT 1.5::float8 AS d, 10::bigint AS b, true AS t, NULL AS n, 'x' AS s",
]


def psql(
    running: Running, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    assert PSQL is not None
    return subprocess.run(
        [PSQL, "-X", "-h", "127.0.0.1", "-p", str(running.port), "-U", "tester", "-d", "ddsql",
         *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )  # fmt: skip


def normal(value: Any) -> Any:
    """A value as psycopg and pg8000 give it, or as Result.fetchall gives it, in one
    form: JSON parsed, tags as text, intervals as timedelta."""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        from ddsql_lite.server.wire_types import hstore_text

        return hstore_text(value)
    if isinstance(value, list):
        return [normal(v) for v in value]
    return value


def library(running: Running, query: str) -> list[tuple[Any, ...]]:
    """``connect().sql(query)`` on the server's data, JSON columns parsed as clients do."""
    import json

    result = running.data.new_session().sql(query)
    json_columns = {i for i, t in enumerate(result.duckdb_types) if t == "JSON"}
    rows = []
    for row in result.fetchall():
        rows.append(
            tuple(
                json.loads(v) if i in json_columns and v is not None else normal(v)
                for i, v in enumerate(row)
            )
        )
    return rows


# ------------------------------------------------------------------- answers


@pytest.mark.parametrize("query", QUERIES)
def test_psycopg_text_and_binary_answers_equal_the_library(served: Running, query: str) -> None:
    expected = library(served, query)
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        for binary in (False, True):
            rows = conn.execute(query, binary=binary).fetchall()
            assert [tuple(normal(v) for v in row) for row in rows] == expected, binary
        # the simple protocol too (no parameters: psycopg's ClientCursor)
        with psycopg.ClientCursor(conn) as cur:
            cur.execute(query)
            assert [tuple(normal(v) for v in row) for row in cur.fetchall()] == expected


def test_result_columns_carry_postgresql_types(served: Running) -> None:
    query = (
        f"SELECT name, creation_time, schedule, tags, akeys(tags) AS k, 1.5::float8 AS d, "
        f"count(*) OVER () AS c, true AS b, completion_time - creation_time AS i FROM {T} LIMIT 1"
    )
    with psycopg.connect(served.dsn()) as conn:
        cur = conn.execute(query)
        assert [(d.name, d.type_code) for d in cur.description] == [
            ("name", 25), ("creation_time", 1114), ("schedule", 114), ("tags", 25),
            ("k", 1009), ("d", 701), ("c", 20), ("b", 16), ("i", 1186),
        ]  # fmt: skip


def test_parameters_are_bound_not_pasted(served: Running) -> None:
    hostile = "x' OR '1'='1"
    with psycopg.connect(served.dsn()) as conn:
        assert conn.execute(f"SELECT count(*) FROM {T} WHERE name = %s", (hostile,)).fetchall() == [
            (0,)
        ]
        assert conn.execute("SELECT %s::text AS v", (hostile,)).fetchall() == [(hostile,)]
        rows = conn.execute(
            f"SELECT name FROM {T} WHERE status = %s AND creation_time > %s ORDER BY name",
            ("Running", datetime(2000, 1, 1)),
        ).fetchall()
        assert rows == library(
            served, f"SELECT name FROM {T} WHERE status = 'Running' ORDER BY name"
        )
        assert conn.execute(
            "SELECT %s::bigint + 1, %s::float8", (41, 0.5), binary=True
        ).fetchall() == [(42, 0.5)]


def test_pg8000_native_and_dbapi(served: Running) -> None:
    query = f"SELECT name, creation_time, status FROM {T} ORDER BY name"
    native = pg8000.native.Connection(
        "tester", host="127.0.0.1", port=served.port, database="ddsql"
    )
    try:
        assert [tuple(r) for r in native.run(query)] == library(served, query)
        rows = native.run(f"SELECT name FROM {T} WHERE status = :s ORDER BY name", s="Running")
        assert (
            rows[0][0]
            == library(served, f"SELECT name FROM {T} WHERE status = 'Running' ORDER BY name")[0][0]
        )
    finally:
        native.close()
    conn = pg8000.dbapi.connect(user="tester", host="127.0.0.1", port=served.port, database="ddsql")
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT count(*) FROM {T} WHERE status = %s", ("Running",))
        assert [list(r) for r in cur.fetchall()] == [
            list(r) for r in library(served, f"SELECT count(*) FROM {T} WHERE status = 'Running'")
        ]
        conn.rollback()
    finally:
        conn.close()


def test_sqlalchemy_inspector_and_pandas(served: Running) -> None:
    pandas = pytest.importorskip("pandas")
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(f"postgresql+psycopg://tester@127.0.0.1:{served.port}/ddsql")
    try:
        inspector = sqlalchemy.inspect(engine)
        assert "aws" in inspector.get_schema_names()
        assert inspector.get_table_names(schema="aws") == ["sagemaker_inference_experiment"]
        columns = inspector.get_columns("sagemaker_inference_experiment", schema="aws")
        table = served.data.tables()[0]
        assert [c["name"] for c in columns] == [c.name for c in table.columns]
        kinds = {c["name"]: type(c["type"]).__name__ for c in columns}
        assert kinds["creation_time"] == "TIMESTAMP" and kinds["schedule"] == "JSON"
        assert columns[0]["comment"] == table.columns[0].description
        query = f"SELECT name, status, creation_time FROM {T} ORDER BY name"
        with engine.connect() as conn:
            frame = pandas.read_sql(query, conn)
        assert [tuple(r) for r in frame.itertuples(index=False, name=None)] == [
            (n, s, pandas.Timestamp(c)) for n, s, c in library(served, query)
        ]
    finally:
        engine.dispose()


# ------------------------------------------------------------------- psql


@needs_psql
def test_psql_query_and_catalog(served: Running) -> None:
    out = psql(served, "-A", "-t", "-c", f"SELECT name, status FROM {T} ORDER BY name")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        f"{n}|{s}" for n, s in library(served, f"SELECT name, status FROM {T} ORDER BY name")
    ]
    for command in (r"\dt", r"\dt aws.*"):
        listed = psql(served, "-c", command)
        assert listed.returncode == 0, listed.stderr
        assert "sagemaker_inference_experiment | table" in listed.stdout
    described = psql(served, "-c", rf"\d {T}")
    assert described.returncode == 0, described.stderr
    assert 'Table "aws.sagemaker_inference_experiment"' in described.stdout
    lines = {
        line.split("|")[0].strip(): line.split("|")[1].strip()
        for line in described.stdout.splitlines()
        if line.count("|") >= 4
    }
    assert lines["creation_time"] == "timestamp without time zone"
    assert lines["tags"] == "hstore" and lines["schedule"] == "json" and lines["name"] == "text"


@needs_psql
def test_psql_draws_the_caret_under_an_unknown_column(served: Running) -> None:
    out = psql(served, "-c", f"SELECT name, nosuch FROM {T}")
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert lines[0] == "ERROR:  column 'nosuch' does not exist"
    assert lines[1] == f"LINE 1: SELECT name, nosuch FROM {T}"
    assert lines[2].index("^") == lines[1].index("nosuch")


@pytest.mark.parametrize(
    ("query", "sqlstate", "word"),
    [
        (f"SELECT nosuch FROM {T}", "42703", "nosuch"),
        (f"SELECT name FROM {T} WHERE frobnicate(name) = 1", "42883", "frobnicate"),
        (f"SELECT name FRM {T}", "42601", None),
        ("SELECT name FROM aws.nosuch", "42P01", "aws.nosuch"),
        (f"DELETE FROM {T}", "0A000", None),
        ("SELECT 1; SELECT 2", "0A000", None),
    ],
)
def test_errors_carry_sqlstate_and_position(
    served: Running, query: str, sqlstate: str, word: str | None
) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as conn, psycopg.ClientCursor(conn) as cur:
        with pytest.raises(psycopg.Error) as failed:
            cur.execute(query)
        diag = failed.value.diag
        assert diag.sqlstate == sqlstate
        if word is not None:
            assert diag.statement_position is not None
            assert query[int(diag.statement_position) - 1 :].startswith(word)
        assert conn.execute("SELECT 1").fetchall() == [(1,)]  # the session goes on


def test_positions_point_into_the_clients_text_with_parameters(served: Running) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        query = f"SELECT %s::text, nosuch FROM {T}"
        with pytest.raises(psycopg.errors.UndefinedColumn) as failed:
            conn.execute(query, ("a longer value",))
        sent = query.replace("%s", "$1")
        assert sent[int(failed.value.diag.statement_position or 0) - 1 :].startswith("nosuch")


# ------------------------------------------------------------------- sessions and limits


def test_each_connection_has_its_own_session(served: Running) -> None:
    setting = "SELECT current_setting('dd.time_frame_start') AS s"
    with (
        psycopg.connect(served.dsn(), autocommit=True) as a,
        psycopg.connect(served.dsn(), autocommit=True) as b,
    ):
        a.execute("SET dd.time_frame_start = '2025-01-01T00:00:00Z'")
        assert a.execute(setting).fetchone() == ("2025-01-01 00:00:00.000+00:00",)
        assert b.execute(setting).fetchone() != ("2025-01-01 00:00:00.000+00:00",)
        a.execute("SET application_name = 'report'")
        assert a.execute("SHOW application_name").fetchone() == ("report",)
        assert b.execute("SHOW application_name").fetchone() == ("",)
        assert a.execute("SELECT version()").fetchone()[0].startswith("PostgreSQL 15")
        assert a.execute("SELECT current_schema()").fetchone() == ("public",)
        with pytest.raises(psycopg.errors.FeatureNotSupported):
            a.execute("SET TimeZone = 'Europe/Paris'")


def test_cancel_stops_the_running_query(served: Running) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        timer = threading.Timer(1.0, conn.cancel)
        timer.start()
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute(ENDLESS)
        timer.join()
        assert conn.execute("SELECT 1").fetchall() == [(1,)]


@needs_psql
def test_psql_ctrl_c_cancels(served: Running) -> None:
    assert PSQL is not None
    process = subprocess.Popen(
        [PSQL, "-X", "-A", "-t", "-h", "127.0.0.1", "-p", str(served.port), "-U", "t",
         "-d", "ddsql", "-c", "SELECT 'started'", "-c", ENDLESS],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline() == "started\n"  # connected; the long query is next
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)  # psql sends a CancelRequest
    _, err = process.communicate(timeout=60)
    assert "ERROR:  query cancelled" in err
    assert process.returncode == 1


def test_statement_timeout(served: Running) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        conn.execute("SET statement_timeout = 500")
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute(ENDLESS)
        conn.execute("RESET statement_timeout")
        assert conn.execute("SELECT 1").fetchall() == [(1,)]


def test_concurrent_clients_get_the_library_answers(served: Running) -> None:
    expected = {q: library(served, q) for q in QUERIES}
    failures: list[str] = []

    def client() -> None:
        try:
            with psycopg.connect(served.dsn(), autocommit=True) as conn:
                for _ in range(3):
                    for query in QUERIES:
                        rows = [tuple(normal(v) for v in r) for r in conn.execute(query).fetchall()]
                        if rows != expected[query]:
                            failures.append(query)
        except Exception as exc:
            failures.append(repr(exc))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []


def test_an_idle_client_blocks_no_one(served: Running) -> None:
    idle = socket.create_connection(("127.0.0.1", served.port))  # never says a word
    busy = psycopg.connect(served.dsn())
    try:
        busy.execute("BEGIN")  # idle in a transaction
        with psycopg.connect(served.dsn()) as conn:
            assert conn.execute(f"SELECT count(*) FROM {T}").fetchone() == (
                len(library(served, f"SELECT name FROM {T}")),
            )
    finally:
        idle.close()
        busy.close()


def startup_message(user: str = "raw") -> bytes:
    body = struct.pack("!i", 196608) + b"user\0" + user.encode() + b"\0database\0ddsql\0\0"
    return struct.pack("!i", len(body) + 4) + body


def raw_query(port: int, sql: str) -> socket.socket:
    """A client that logs in, sends ``sql`` and reads nothing more than the login."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(startup_message())
    seen = b""
    while b"Z\x00\x00\x00\x05I" not in seen:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        seen += chunk
    body = sql.encode() + b"\0"
    sock.sendall(b"Q" + struct.pack("!i", len(body) + 4) + body)
    return sock


def resident(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_a_huge_result_streams_and_a_client_may_leave_mid_result(served: Running) -> None:
    # 32**5 rows (33 million): held whole, the names alone would take gigabytes.
    huge = f"SELECT a.name, b.name, c.name FROM {T} a, {T} b, {T} c, {T} d, {T} e"
    assert served.pid is not None
    before = resident(served.pid)
    sock = raw_query(served.port, huge)
    got = 0
    while got < 4_000_000:  # a few hundred thousand rows
        chunk = sock.recv(1 << 20)
        assert chunk
        got += len(chunk)
    assert resident(served.pid) - before < 1_000_000_000
    sock.close()  # leaves mid-result
    with psycopg.connect(served.dsn()) as conn:
        assert conn.execute("SELECT 1").fetchall() == [(1,)]
    # and a whole million-row result arrives row by row
    with psycopg.connect(served.dsn()) as conn, conn.cursor() as cur:
        count = sum(1 for _ in cur.stream(f"SELECT a.name FROM {T} a, {T} b, {T} c, {T} d"))
    assert count == 32**4


# Refused by the library, answered by the server as PostgreSQL answers them: a catalog
# query (from the catalog, which holds no data), a transaction statement (no effect), and
# a text cut at its NUL byte by the client (a C string: "SELECT 1").
ANSWERED_BY_THE_SERVER = {
    "SELECT * FROM information_schema.tables",
    "BEGIN",
    "SELECT 1\x00; DROP TABLE t",
}


@pytest.mark.parametrize("attempt", REFUSED, ids=lambda s: repr(s[:40]))
def test_escape_corpus_over_the_wire(served: Running, tmp_path: Path, attempt: str) -> None:
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path / "data.json").write_text('[{"a": 1}]')
    with psycopg.connect(served.dsn(), autocommit=True) as conn, psycopg.ClientCursor(conn) as cur:
        if attempt in ANSWERED_BY_THE_SERVER:
            cur.execute(attempt)
            conn.rollback()
        else:
            with pytest.raises(psycopg.Error):
                cur.execute(attempt.replace("{tmp}", str(tmp_path)))
        assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "data.json"]
        assert cur.execute(f"SELECT count(*) FROM {T}").fetchall() == library(
            served, f"SELECT count(*) FROM {T}"
        )


@pytest.mark.parametrize("query", HARMLESS)
def test_harmless_tricks_over_the_wire(served: Running, query: str) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as conn, psycopg.ClientCursor(conn) as cur:
        cur.execute(query)
        assert [tuple(normal(v) for v in r) for r in cur.fetchall()] == library(served, query)


def test_catalog_queries_never_reach_the_data(served: Running) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.Error):
            conn.execute(f"SELECT * FROM pg_catalog.pg_class, {T}")
        with pytest.raises(psycopg.Error):
            conn.execute("SELECT * FROM pg_catalog.read_csv('/etc/passwd')")
        assert conn.execute("SELECT 1").fetchall() == [(1,)]


# ------------------------------------------------------------------- auth, cap, refresh


def test_password_scram_and_a_wrong_password() -> None:
    running = start(password="s3cret pass")
    try:
        with psycopg.connect(running.dsn(password="'s3cret pass'")) as conn:
            assert conn.execute("SELECT 1").fetchall() == [(1,)]
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(running.dsn(password="wrong"))
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(running.dsn())  # no password at all
        native = pg8000.native.Connection(
            "tester", host="127.0.0.1", port=running.port, password="s3cret pass"
        )
        assert native.run("SELECT 2") == [[2]]
        native.close()
    finally:
        assert running.server is not None
        running.server.shutdown()


def test_other_addresses_need_a_password() -> None:
    with pytest.raises(ddsql_lite.DDSQLError, match="needs a password"):
        start(host="0.0.0.0")


def test_connections_are_capped() -> None:
    running = start(max_connections=1)
    try:
        with psycopg.connect(running.dsn()) as first:
            with pytest.raises(psycopg.OperationalError, match="too many clients"):
                psycopg.connect(running.dsn())
            assert first.execute("SELECT 1").fetchall() == [(1,)]
        # the slot is free again once the first client left
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(running.dsn()).close()
                break
            except psycopg.OperationalError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        assert running.server is not None
        running.server.shutdown()


def test_refresh_swaps_data_and_a_failed_reload_keeps_it(caplog: pytest.LogCaptureFixture) -> None:
    loads: list[int] = []

    def load() -> ddsql_lite.Connection:
        loads.append(1)
        if len(loads) == 3:
            raise LoaderError("the API is down")
        return ddsql_lite.connect()

    running = start(load)
    try:
        with psycopg.connect(running.dsn(), autocommit=True) as conn:
            assert running.server is not None
            first = running.server.connection
            assert running.server.refresh()
            assert running.server.connection is not first
            second = running.server.connection
            assert not running.server.refresh()
            assert running.server.connection is second
            assert "refresh failed, still serving the previous data" in caplog.text
            count = second.sql(f"SELECT count(*) FROM {T}").fetchall()
            assert conn.execute(f"SELECT count(*) FROM {T}").fetchall() == count
    finally:
        assert running.server is not None
        running.server.shutdown()


# ------------------------------------------------------------------- the command


def test_ddsql_serve_command() -> None:
    process, port = serve_command()
    try:
        with psycopg.connect(f"host=127.0.0.1 port={port} user=me dbname=ddsql") as conn:
            assert conn.execute(f"SELECT count(*) FROM {T}").fetchone() == (32,)
    finally:
        err = stop(process)
    assert process.returncode == 0
    assert "stopped" in err


def test_ddsql_serve_refuses_an_open_address_without_a_password() -> None:
    from ddsql_lite.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--host", "0.0.0.0"])
    assert exited.value.code == 2


def test_describing_a_statement_does_not_run_it(served: Running) -> None:
    """Parse + Describe of the endless query answers with its columns at once (run, it
    would reach the 30 s time limit and could not be described)."""
    sock = socket.create_connection(("127.0.0.1", served.port))
    try:
        sock.sendall(startup_message())
        seen = b""
        while b"Z\x00\x00\x00\x05I" not in seen:
            seen += sock.recv(65536)

        def message(kind: bytes, body: bytes) -> bytes:
            return kind + struct.pack("!i", len(body) + 4) + body

        sql = ENDLESS + " AND a.name = $1"
        sock.sendall(
            message(b"P", b"\0" + sql.encode() + b"\0" + struct.pack("!h", 0))
            + message(b"D", b"S\0")
            + message(b"S", b"")
        )
        sock.settimeout(20)
        answer = b""
        while b"Z\x00\x00\x00\x05" not in answer:
            answer += sock.recv(65536)
        assert answer.startswith(b"1")  # ParseComplete
        assert b"t\x00\x00\x00\x0a\x00\x01\x00\x00\x00\x19" in answer  # $1: text
        assert b"T" in answer and b"count\x00" in answer  # RowDescription, not NoData
    finally:
        sock.close()


def test_catalog_queries_are_bounded(served: Running) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.UndefinedFunction):
            conn.execute("SELECT pg_catalog.repeat('x', 1000000000)")
        with pytest.raises(psycopg.Error, match="at most 100,000 rows"):
            conn.execute("SELECT * FROM pg_catalog.generate_series(1, 1000000000)")
        with pytest.raises(psycopg.Error):  # its memory, or its time limit
            conn.execute(
                "SELECT length(string_agg('x', '')) FROM pg_catalog.generate_series(1, 2000000000)"
            )
        deep = "SELECT " + "(" * 40 + "1" + ")" * 40 + " FROM pg_catalog.pg_class"
        with pytest.raises(psycopg.Error, match="nested at most"):
            conn.execute(deep)
        assert conn.execute("SELECT count(*) FROM pg_catalog.pg_namespace").fetchone() == (4,)


def test_the_catalog_writes_no_file(tmp_path: Path) -> None:
    """A catalog query past the catalog's memory fails; it spills nothing to disk."""
    from ddsql_lite.server.catalog import Catalog, CatalogQueryError

    catalog = Catalog(ddsql_lite.connect().registry, ["abs"], "public, aws")
    before = set(Path.cwd().iterdir())
    with pytest.raises((CatalogQueryError, ddsql_lite.QueryMemoryError)):
        catalog.query(
            "SELECT count(*) FROM (SELECT i, 'xxxxxxxxxxxxxxxxxxxxxxxx' || i::text AS s "
            "FROM pg_catalog.generate_series(1, 30000000) AS g(i) ORDER BY s) AS q",
            [],
            {"database": "d", "current_schema": "public", "search_path": "public, aws"},
            timeout=120,
        )
    assert set(Path.cwd().iterdir()) == before
