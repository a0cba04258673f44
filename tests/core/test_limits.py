"""Per-query resource limits (issue 8): time and memory, from the API and the CLI.

A runaway query stops at its limit with a message naming the limit, and the connection
answers the next query. Bad limit values are refused with a DDSQLError, not a traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import duckdb
import pytest
from duckdb import sqltypes as duckdb_types

import ddsql_lite
from ddsql_lite import DDSQLError, QueryCancelledError, QueryMemoryError, QueryTimeoutError
from ddsql_lite import engine as engine_module
from ddsql_lite.cli import main
from ddsql_lite.engine import Engine
from ddsql_lite.limits import ABANDONED

T = "aws.sagemaker_inference_experiment"
# 32 rows to the 8th power: about 10^12 rows to count, minutes on any machine, so a limit
# under a second is always reached however fast the machine is.
CROSS_JOIN_BOMB = "SELECT count(*) FROM " + ", ".join(f"{T} AS t{i}" for i in range(8))
# About a million concatenated ARNs (some 400 MB) gathered into one array.
MEMORY_HOG = (
    "SELECT cardinality(array_agg(a.arn || b.arn || c.arn || d.arn)) "
    f"FROM {T} AS a, {T} AS b, {T} AS c, {T} AS d"
)
COUNT = f"SELECT count(*) FROM {T}"


def test_cross_join_bomb_stops_at_the_time_limit() -> None:
    with ddsql_lite.connect(timeout=0.3) as con:
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.3 s"):
            con.sql(CROSS_JOIN_BOMB)
        assert con.sql(COUNT).fetchall() == [(32,)]


def test_per_query_timeout_overrides_the_connection() -> None:
    with ddsql_lite.connect() as con:
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.2 s"):
            con.sql(CROSS_JOIN_BOMB, timeout=0.2)
        assert con.sql(COUNT).fetchall() == [(32,)]


def test_memory_hog_stops_at_the_memory_limit() -> None:
    with ddsql_lite.connect(memory_limit="50MB", timeout=20) as con:
        with pytest.raises(QueryMemoryError, match="memory limit of 50MB"):
            con.sql(MEMORY_HOG)
        assert con.sql(COUNT).fetchall() == [(32,)]


def test_limits_change_without_loading_again_and_the_lock_stays() -> None:
    with ddsql_lite.connect(timeout=20) as con:
        raw = con.engine._instance.cursor()
        before = raw.execute("SELECT current_setting('memory_limit')").fetchall()
        raw.close()
        con.set_limits(memory_limit="50MB")
        assert con.limits == (20.0, "50MB")
        raw = con.engine._instance.cursor()  # DuckDB's own limit changed, and is locked
        try:
            assert raw.execute("SELECT current_setting('memory_limit')").fetchall() != before
            with pytest.raises(duckdb.Error, match="locked"):
                raw.execute("SET memory_limit = '8GB'")
            with pytest.raises(duckdb.Error):
                raw.execute("SELECT * FROM read_csv('/etc/passwd')")
        finally:
            raw.close()
        with pytest.raises(QueryMemoryError, match="memory limit of 50MB"):
            con.sql(MEMORY_HOG)
        con.set_limits(timeout=0.3)
        assert con.limits == (0.3, "50MB")
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.3 s"):
            con.sql(CROSS_JOIN_BOMB)
        assert con.sql(COUNT).fetchall() == [(32,)]
        assert len(con.engine._instances) == 1  # the old instance is closed


def test_a_bad_limit_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    with ddsql_lite.connect() as con:
        for bad in (
            {"timeout": -1},
            {"memory_limit": "banana"},
            {"timeout": 5, "memory_limit": "0"},
        ):
            with pytest.raises(DDSQLError, match=r"timeout|memory_limit"):
                con.set_limits(**bad)
            assert con.limits == (30.0, "4GB")

        def refuse(*args: Any) -> None:
            raise DDSQLError("memory_limit '2GB' is not valid: refused")

        monkeypatch.setattr(engine_module, "_apply", refuse)
        with pytest.raises(DDSQLError, match="refused"):
            con.set_limits(timeout=5, memory_limit="2GB")
        assert con.limits == (30.0, "4GB") and len(con.engine._instances) == 1
        assert con.sql(COUNT).fetchall() == [(32,)]


@pytest.mark.parametrize("limit", ["banana", "0", "1KB"])
def test_bad_memory_limit_is_a_clear_error(limit: str) -> None:
    with pytest.raises(DDSQLError, match="memory_limit"):
        ddsql_lite.connect(memory_limit=limit)


def test_cli_limits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-c", CROSS_JOIN_BOMB, "--timeout", "0.3"]) == 1
    assert "time limit of 0.3 s" in capsys.readouterr().err
    assert main(["-c", MEMORY_HOG, "--memory-limit", "50MB"]) == 1
    assert "memory limit of 50MB" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # a bad value is bad usage: exit status 2
        main(["-c", COUNT, "--memory-limit", "banana"])
    assert usage.value.code == 2
    assert "'banana' is not a memory size" in capsys.readouterr().err
    assert main(["-c", COUNT, "--timeout", "5", "--memory-limit", "200MB"]) == 0


# A chain of CTEs each cross-joining the one before with SELECT *: the column count
# doubles at every step, and DuckDB's binder does not check for interruption. (The
# translator refuses it; the engine is given it directly.) 15 steps keep the binder busy
# for seconds, so the query is abandoned on most machines, and then ends on its own.
BINDER_BOMB = (
    "WITH a0 AS (SELECT 1 AS x, 2 AS y), "
    + ", ".join(f"a{i} AS (SELECT * FROM a{i - 1} AS p, a{i - 1} AS q)" for i in range(1, 16))
    + " SELECT count(*) FROM a15"
)


@pytest.mark.slow
def test_a_query_duckdb_cannot_stop_fails_within_a_second_of_its_limit() -> None:
    with ddsql_lite.connect(timeout=0.5) as con:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.5 s"):
            con.engine.execute(BINDER_BOMB)
        assert time.monotonic() - started < 0.5 + 1.0
        assert con.sql(COUNT).fetchall() == [(32,)]


def _napping(engine: Engine) -> None:
    """Give the engine's instance ``nap(seconds)``: a function that sleeps, which an
    interruption cannot stop (work that waits, as DuckDB's binder can)."""
    engine._instance.db.create_function("nap", _nap, [duckdb_types.DOUBLE], duckdb_types.DOUBLE)


def _nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@pytest.mark.slow
def test_a_query_that_will_not_stop_is_abandoned_and_the_engine_goes_on() -> None:
    engine = Engine({}, timeout=0.3)
    try:
        _napping(engine)
        first = engine._instance
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.3 s"):
            engine.execute("SELECT nap(3)")
        assert time.monotonic() - started < 3  # it did not wait for the query
        assert engine._instance is not first  # a new instance on the same file
        assert engine.execute("SELECT 42 AS x").to_pylist() == [{"x": 42}]
        deadline = time.monotonic() + 10
        while ABANDONED.running and time.monotonic() < deadline:  # the nap ends
            time.sleep(0.05)
        assert not ABANDONED.running
    finally:
        engine.close()


@pytest.mark.slow
def test_ctrl_c_stops_even_a_query_that_will_not_stop() -> None:
    main = threading.main_thread().ident
    assert main is not None
    engine = Engine({})
    try:
        _napping(engine)
        threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT)).start()
        started = time.monotonic()
        with pytest.raises(QueryCancelledError):
            engine.execute("SELECT nap(3)", timeout=60)
        assert time.monotonic() - started < 3  # it did not wait for the query
        assert engine.execute("SELECT 1 AS one").to_pylist() == [{"one": 1}]
    finally:
        engine.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("nap", "status", "longest"),
    [(2, 0, 10), (600, 1, 20)],  # the query ends while the process exits; it never does
)
def test_a_process_with_an_abandoned_query_exits_cleanly(
    nap: int, status: int, longest: float
) -> None:
    """At exit, the process waits a few seconds for an abandoned query, then ends at
    once: it neither aborts (a DuckDB thread returning during shutdown) nor hangs."""
    code = (
        "import sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_limits import Engine, _napping\n"
        "engine = Engine({}, timeout=0.2)\n"
        "_napping(engine)\n"
        "try:\n"
        f"    engine.execute('SELECT nap({nap})')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, flush=True)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code, os.path.dirname(__file__)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert time.monotonic() - started < longest
    assert (done.returncode, done.stdout, done.stderr) == (status, "QueryTimeoutError\n", "")


@pytest.mark.slow
def test_the_time_limit_covers_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Translation counts against the limit: a translation that does not end is given
    up at the deadline, and the query's remaining time is what the engine gets."""
    with ddsql_lite.connect(timeout=0.4) as con:
        translate = con.translator.translate

        def slow(sql: str) -> Any:
            time.sleep(0.3 if "fast" in sql else 5)
            return translate(sql)

        monkeypatch.setattr(con.translator, "translate", slow)
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.4 s"):
            con.sql(COUNT + " /* forever */")
        assert time.monotonic() - started < 5  # it did not wait for the translation
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError):  # 0.3 s translating, then the bomb
            con.sql(CROSS_JOIN_BOMB + " /* fast */")
        assert time.monotonic() - started < 5  # nor for the bomb (hours of work)
        monkeypatch.undo()
        assert con.sql(COUNT).fetchall() == [(32,)]


# Strings gathered outside DuckDB's buffer manager, which its memory_limit does not
# count: unwatched, this grows the process by about 5.6 GB.
STRING_HOG = (
    f"SELECT length(string_agg(repeat(a.name, 2000), ',')) FROM {T} AS a, {T} AS b, {T} AS c"
)


def test_the_memory_limit_holds_for_the_process() -> None:
    """The process's resident memory is watched while a query runs (Linux). DuckDB's
    own limit is lifted here, so only the watch can stop the query."""
    code = (
        "import resource, ddsql_lite, ddsql_lite.engine\n"
        "from ddsql_lite.memory import resident_bytes\n"
        "ddsql_lite.engine.BUFFER_SHARE = 100.0\n"
        "con = ddsql_lite.connect(memory_limit='200MB', timeout=60)\n"
        "before = resident_bytes()\n"
        "try:\n"
        f"    con.engine.execute({STRING_HOG!r})\n"
        "except ddsql_lite.QueryMemoryError as exc:\n"
        "    print(exc)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "print((peak - before) // 1_000_000)\n"
        f"print(con.sql({COUNT!r}).fetchall())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    message, grown, count = done.stdout.strip().splitlines()
    assert message == "query stopped: it needed more than its memory limit of 200MB"
    assert int(grown) < 2000, f"{grown} MB"
    assert count == "[(32,)]"


def test_bad_time_limits_are_refused() -> None:
    for bad in (-1, float("nan"), float("inf"), "soon"):
        with pytest.raises(DDSQLError, match="timeout"):
            ddsql_lite.connect(timeout=bad)  # type: ignore[arg-type]
        with ddsql_lite.connect() as con, pytest.raises(DDSQLError, match="timeout"):
            con.sql(COUNT, timeout=bad)  # type: ignore[arg-type]


SPILLING_SORT = "SELECT count(*) FROM (SELECT * FROM range(30000000) ORDER BY hash(range))"


@pytest.mark.slow
def test_a_query_spills_to_disk_within_its_temp_limit_and_no_further() -> None:
    """DuckDB's buffers get most of the memory limit and spill past it, up to the
    temporary disk the query may use; a cancelled or failed query leaves no spill."""
    roomy = Engine({}, memory_limit="300MB", temp_limit="2GB", timeout=120)
    tight = Engine({}, memory_limit="300MB", temp_limit="100MB", timeout=120)
    try:
        assert roomy.execute(SPILLING_SORT).to_pylist() == [{"count_star()": 30_000_000}]
        with pytest.raises(QueryMemoryError, match="temporary disk space of 100MB"):
            tight.execute(SPILLING_SORT)
        spilled = [
            name
            for name in os.listdir(tight._instance.spill)
            if not name.endswith("_owner")  # DuckDB's marker of the directory's owner
        ]
        assert spilled == []
        assert tight.execute("SELECT 1 AS x").to_pylist() == [{"x": 1}]
    finally:
        roomy.close()
        tight.close()
