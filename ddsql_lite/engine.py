"""The DuckDB side: a sandboxed in-memory database, table registration, execution.

Contract (docs/design.md, "Engine rules"): one in-memory database per :class:`Engine` (whose
tables, when small, live in a database file of its own temporary directory, for smaller
row groups); settings are applied first, then external access is disabled and the
configuration locked, so SQL reaches the registered tables and nothing else. Every query
runs on a cursor of its own (a reused idle one, or a fresh one) in a worker thread; the
calling thread enforces the time limit and turns Ctrl-C into a clean cancellation, after
which the engine stays usable.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .dialect import runtime
from .errors import (
    QueryCancelledError,
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    UnsupportedError,
)
from .registry import Table

DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_LIMIT = "4GB"


class Engine:
    """A locked-down DuckDB database holding the loaded tables, read through queries."""

    def __init__(
        self,
        tables: Mapping[Table, pa.Table],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        threads: int | None = None,
    ) -> None:
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._tmp = scratch_directory()
        self._db = duckdb.connect(":memory:")
        self._database = ""  # the tables' database when not the in-memory one
        # Cursors of queries that ended normally, for the next queries: a new cursor on
        # another database than the in-memory one costs a USE statement (about 0.3 ms).
        self._idle: queue.SimpleQueue[duckdb.DuckDBPyConnection] = queue.SimpleQueue()
        self._macros: set[str] = set()  # the macros defined so far (on first use)
        self._macros_lock = threading.Lock()
        # Closed by close(), by the garbage collector or at exit, whichever comes first.
        self._release = weakref.finalize(self, _release, self._db, self._idle, self._tmp)
        try:
            self._load(tables, threads)
            self._lock_down(memory_limit, threads)
        except Exception:
            self.close()
            raise

    def _load(self, tables: Mapping[Table, pa.Table], threads: int | None) -> None:
        """Create the tables and their alias views from ``tables``, in one script: each
        call into DuckDB gives the GIL up and waits to get it back, which costs up to a
        switch interval (5 ms) while the translator is imported on another thread."""
        self._use_row_groups(max((d.num_rows for d in tables.values()), default=0), threads)
        script = []
        for index, (spec, data) in enumerate(tables.items()):
            source = f"__ddsql_load_{index}"
            self._db.register(source, _json_as_text(data, spec))
            name = f'"{spec.schema_name}"."{spec.table_name}"'
            casts = ", ".join(
                f'CAST("{c.name}" AS {c.type.duckdb}) AS "{c.name}"' for c in spec.columns
            )
            script += [
                f'CREATE SCHEMA IF NOT EXISTS "{spec.schema_name}"',
                f"CREATE TABLE {name} AS SELECT {casts} FROM {source}",
                *(f'CREATE VIEW "{alias}" AS SELECT * FROM {name}' for alias in spec.aliases),
            ]
        try:
            if script:
                self._db.execute(";\n".join(script))
        finally:
            for index in range(len(tables)):
                self._db.unregister(f"__ddsql_load_{index}")
        runtime.install(self._db)

    def _use_row_groups(self, rows: int, threads: int | None) -> None:
        """When :func:`row_group_size` has a size for tables of ``rows`` rows, keep the
        tables in a database file in the temporary directory with row groups of that size
        (DuckDB ignores the size for in-memory databases), and make it every cursor's
        default database."""
        if threads is None:
            (threads,) = self._db.execute("SELECT current_setting('threads')").fetchall()[0]
        size = row_group_size(rows, threads)
        if size is None:
            return
        path = _sql_value(f"{self._tmp}/tables.duckdb")
        self._db.execute(f"ATTACH {path} AS {STORED} (ROW_GROUP_SIZE {size})")
        self._database = STORED
        self._db.execute(f"USE {STORED}")

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """An idle cursor, or a new one on the tables' database."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            cursor = self._db.cursor()
            if self._database:  # a new cursor starts on the in-memory database
                cursor.execute(f"USE {self._database}")
            return cursor

    def _lock_down(self, memory_limit: str, threads: int | None) -> None:
        settings: dict[str, Any] = {
            "TimeZone": "UTC",
            "memory_limit": memory_limit,
            "temp_directory": self._tmp,
            # sqlglot writes PostgreSQL's NULL order explicitly wherever it differs from
            # DuckDB's default (NULLS LAST), so that default must stay as it is.
            "default_null_order": "nulls_last",
            "python_enable_replacements": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
        }
        if threads:
            settings["threads"] = threads
        assignments = [f"SET GLOBAL {key} = {_sql_value(value)}" for key, value in settings.items()]
        try:
            self._db.execute(";\n".join(assignments))
        except duckdb.Error:
            for key, value in settings.items():  # which one: a bad memory_limit, typically
                try:
                    self._db.execute(f"SET GLOBAL {key} = {_sql_value(value)}")
                except duckdb.Error as exc:
                    message = str(exc).split("\n")[0].partition(": ")[2] or str(exc)
                    raise UnsupportedError(f"{key} {value!r} is not valid: {message}") from None
            raise
        self._db.execute(
            "SET GLOBAL enable_external_access = false; SET GLOBAL lock_configuration = true"
        )

    def execute(
        self, sql: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> pa.Table:
        """Run DuckDB SQL produced by the translator and return its result as Arrow.

        ``params`` binds the query's ``$name`` parameters (values never enter the SQL).

        Raises QueryTimeoutError past ``timeout`` seconds (default: the engine's),
        QueryCancelledError on Ctrl-C, QueryMemoryError past the memory limit and
        QueryError for any other failure, with DuckDB's message reduced to its first line.
        """
        limit = self.timeout if timeout is None else timeout
        self._define_macros(sql)
        cursor = self._cursor()
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                outcome["table"] = cursor.sql(sql, params=dict(params or {})).to_arrow_table()
            except BaseException as exc:  # handed to the calling thread
                outcome["error"] = exc.with_traceback(None)
            finally:
                done.set()

        # Wait on an Event, not Thread.join: before Python 3.13 a join interrupted by
        # Ctrl-C marks the thread finished while it still runs.
        threading.Thread(target=run, name="ddsql-query", daemon=True).start()
        started = time.monotonic()
        try:
            while not done.wait(0.05):
                if limit and time.monotonic() - started > limit:
                    cursor.interrupt()
                    done.wait()
                    raise QueryTimeoutError(
                        f"query stopped: it ran past its time limit of {limit:g} s "
                        "(raise it with timeout=... or --timeout)"
                    )
        except KeyboardInterrupt:
            cursor.interrupt()
            done.wait()
            raise QueryCancelledError("query cancelled") from None
        finally:
            if done.is_set() and not isinstance(outcome.get("error"), duckdb.InterruptException):
                self._idle.put(cursor)
            else:
                cursor.close()
        if "error" in outcome:
            raise _query_error(outcome["error"], self.memory_limit) from None
        table: pa.Table = outcome["table"]
        return table

    def _define_macros(self, sql: str) -> None:
        """Define the macros ``sql`` calls that are not defined yet: a connection defines
        only what its queries use (each macro costs about 0.4 ms to create)."""
        called = runtime.macros_called(sql)
        if called <= self._macros:
            return
        with self._macros_lock:
            runtime.define_macros(self._db.execute, sorted(called), self._macros)

    def close(self) -> None:
        """Close the database and remove the temporary directory (idempotent)."""
        self._release()


def _release(
    db: duckdb.DuckDBPyConnection,
    idle: queue.SimpleQueue[duckdb.DuckDBPyConnection],
    tmp: str,
) -> None:
    try:
        while not idle.empty():
            idle.get_nowait().close()
        db.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_warmed = False


def warm_up() -> None:
    """Let DuckDB do its one-time start-up (about 10 ms, the first database a process
    opens) on another thread, while this one goes on, e.g. loading the data."""
    global _warmed
    if not _warmed:
        _warmed = True
        threading.Thread(target=lambda: duckdb.connect(":memory:").close(), daemon=True).start()


# An engine's temporary directory is named for the process that owns it, so a directory
# left by a process that was killed can be recognised and removed by the next one.
SCRATCH_PREFIX = "ddsql_lite_"
_swept = False


def scratch_directory() -> str:
    """A new temporary directory for an engine, after removing (once per process) those
    whose owner process is gone."""
    global _swept
    if not _swept:
        _swept = True
        sweep_scratch(Path(tempfile.gettempdir()))
    return tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}_")


def sweep_scratch(parent: Path) -> list[Path]:
    """Remove the engine directories in ``parent`` whose owner process no longer runs;
    returns them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        owner = _owner(entry.name)
        if owner is not None and not _running(owner) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _owner(name: str) -> int | None:
    """The process id in an engine directory's name (``ddsql_lite_<pid>_<random>``)."""
    if not name.startswith(SCRATCH_PREFIX):
        return None
    pid, separator, _ = name[len(SCRATCH_PREFIX) :].partition("_")
    return int(pid) if separator and pid.isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except OSError:  # it exists, owned by someone else (or the check is not allowed)
        return True
    return True


def _json_as_text(data: pa.Table, spec: Table) -> pa.Table:
    """``data`` with its JSON columns typed ``arrow.json`` (zero-copy), which DuckDB takes
    as JSON text without parsing every value again, as a cast from VARCHAR does.

    Contract: the text in a JSON column is valid JSON. Every loader guarantees it (the
    text is written by ``json.dumps`` or by DuckDB from parsed JSON); nothing checks it
    here.
    """
    for column in spec.columns:
        if column.type.duckdb != "JSON" or column.name not in data.column_names:
            continue
        index = data.column_names.index(column.name)
        storage = data.column(index)
        if not pa.types.is_string(storage.type):
            continue
        kind = pa.json_(storage.type)
        chunks = [pa.ExtensionArray.from_storage(kind, chunk) for chunk in storage.chunks]
        data = data.set_column(index, column.name, pa.chunked_array(chunks, kind))
    return data


def _sql_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


# DuckDB gives a table's row groups to threads one at a time, and an in-memory table has
# row groups of ROW_GROUP_ROWS rows, so a smaller table is read by one thread.
ROW_GROUP_ROWS = 122_880
VECTOR_ROWS = 2048  # DuckDB's vector: a row group size is a multiple of it
STORED = "stored"  # the name of the tables' database when they are kept in a file


def row_group_size(rows: int, threads: int) -> int | None:
    """A row group size that gives each of ``threads`` about four row groups of a table of
    ``rows`` rows; None where DuckDB's in-memory tables give every thread one already, or
    where one thread does the work (one thread, or at most one vector of rows)."""
    if threads < 2 or rows <= VECTOR_ROWS or rows >= ROW_GROUP_ROWS * threads:
        return None
    vectors = -(-rows // (4 * threads * VECTOR_ROWS))  # rounded up: under ROW_GROUP_ROWS
    return vectors * VECTOR_ROWS


# How DuckDB reports an exception raised by a Python function: "...UDF: Raised: <message>".
_RAISED = f"UDF: {runtime.Raised.__name__}: "


def _query_error(exc: BaseException, memory_limit: str) -> QueryError:
    if isinstance(exc, duckdb.OutOfMemoryException):
        return QueryMemoryError(
            f"query stopped: it needed more than its memory limit of {memory_limit}"
        )
    if isinstance(exc, duckdb.InterruptException):
        return QueryCancelledError("query cancelled")
    text = str(exc).split("\n")[0]
    _, raised, message = text.partition(_RAISED)
    if not raised:
        kind, _, message = text.partition(": ")
        message = message or kind
    return QueryError(f"query failed: {message}")
