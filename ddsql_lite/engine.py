"""The DuckDB side: a sandboxed, read-only database of the loaded tables; execution.

Contract (docs/design.md, "Engine rules"):

- The tables, their alias views and the macros translated SQL calls are written once to a
  database file in the engine's temporary directory, which queries read through a
  READ_ONLY attachment: query SQL cannot change them, even SQL the translator should
  have refused. External access is then disabled and the configuration locked.
- :meth:`Engine.execute` runs exactly one statement, and only a query: the statement
  DuckDB parsed is checked, not the text, and each query gets a fresh cursor (so even a
  temporary object could not outlive its query).
- Limits: past its deadline a query is interrupted; past its memory limit (DuckDB's
  buffer manager, and on Linux also the process's resident memory, watched while it
  runs) too; Ctrl-C cancels it. The error comes within a second: a query DuckDB does
  not stop within :data:`GRACE` seconds (its binder cannot be interrupted) is abandoned
  with its database instance, and a new instance attaches the same file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from .dialect import runtime
from .errors import (
    QueryCancelledError,
    QueryError,
    QueryMemoryError,
    UnsupportedError,
)
from .limits import ABANDONED, Deadline, check_timeout
from .memory import parse_size, resident_bytes
from .options import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT
from .registry import Table
from .scratch import scratch_directory, sweep_once
from .usercache import cache_directory, store_copy

GRACE = 0.5
"""Seconds an interrupted query has to stop before its database instance is abandoned."""
POLL = 0.05
"""Seconds between the checks of a running query's time and memory."""
_STORED = "stored"  # the tables' database, attached READ_ONLY
_SEARCH_PATH = f"{_STORED}.main,{runtime.CATALOG}.main"


class Engine:
    """The loaded tables in a locked-down DuckDB database, read through queries."""

    def __init__(
        self,
        tables: Mapping[Table, pa.Table] | Callable[[], Mapping[Table, pa.Table]],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        temp_limit: str | None = None,
        threads: int | None = None,
    ) -> None:
        """``tables`` may be a function that returns them: it is called once DuckDB has
        started, so a caller can load the data meanwhile. ``memory_limit`` bounds each
        query's memory, ``temp_limit`` (default: the memory limit) what it may spill to
        disk; ``threads`` defaults to DuckDB's (the cores)."""
        self.timeout = check_timeout(timeout)
        self.memory_limit = memory_limit
        self.temp_limit = temp_limit or memory_limit
        self._temp_given = temp_limit is not None
        self._budget = parse_size(memory_limit)
        self._tmp = scratch_directory()
        self._path = os.path.join(self._tmp, "tables.duckdb")
        self._instances: list[_Instance] = []  # every instance not yet closed
        self._made = 0  # instances made so far (each spills to a directory of its own)
        self._lock = threading.Lock()
        # Closed by close(), by the garbage collector or at exit, whichever comes first.
        self._release = weakref.finalize(self, _release, self._instances, self._tmp)
        try:
            instance = self._new_instance()
            self._threads = threads = threads or _cores()
            self._runtime = _cached_runtime() or _build_runtime(instance.db, self._tmp)
            if callable(tables):
                tables = tables()
            _build(instance.db, self._path, tables, row_group_size(_rows(tables), threads))
            self._instance = self._open(instance)
        except Exception:
            self.close()
            raise

    def _new_instance(self) -> _Instance:
        """A new DuckDB instance with the Python functions translated SQL calls."""
        with self._lock:
            spill = os.path.join(self._tmp, f"spill-{self._made}")
            self._made += 1
            instance = _Instance(duckdb.connect(":memory:"), spill)
            self._instances.append(instance)
        runtime.install(instance.db)
        return instance

    def _open(self, instance: _Instance | None = None) -> _Instance:
        """``instance`` (or a new one) attached to the tables' file, read-only, locked."""
        if instance is None:
            instance = self._new_instance()
        instance.db.execute(f"ATTACH {_sql_value(self._path)} AS {_STORED} (READ_ONLY)")
        attach = f"ATTACH {{}} AS {runtime.CATALOG} (READ_ONLY)"
        try:
            instance.db.execute(attach.format(_sql_value(self._runtime)))
        except duckdb.Error:
            if not self._runtime.startswith(self._tmp):  # a damaged cached file
                self._runtime = _build_runtime(instance.db, self._tmp)
                instance.db.execute(attach.format(_sql_value(self._runtime)))
            else:
                raise
        settings: dict[str, Any] = {
            "TimeZone": "UTC",
            # DuckDB's buffer manager gets most of the limit and spills past it; the
            # rest is headroom for what it does not count (see _watch).
            "memory_limit": _buffer_share(self.memory_limit),
            "max_temp_directory_size": self.temp_limit,
            "temp_directory": instance.spill,
            "threads": self._threads,
            # sqlglot writes PostgreSQL's NULL order explicitly wherever it differs from
            # DuckDB's default (NULLS LAST), so that default must stay as it is.
            "default_null_order": "nulls_last",
            "python_enable_replacements": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "enable_external_access": False,
            "lock_configuration": True,  # last: nothing can be set after it
        }
        _apply(instance.db, settings)
        return instance

    def set_limits(self, *, timeout: float | None = None, memory_limit: str | None = None) -> None:
        """Change the limits of later queries (None: unchanged). The settings of a
        database instance are locked once applied, so a new memory limit takes a new
        instance: it attaches the same file with the new settings and locks them, then
        replaces the current one, which is closed. A bad value changes nothing."""
        seconds = self.timeout if timeout is None else check_timeout(timeout)
        if memory_limit is not None and memory_limit != self.memory_limit:
            before = (self.memory_limit, self.temp_limit, self._budget)
            self.memory_limit = memory_limit
            self.temp_limit = self.temp_limit if self._temp_given else memory_limit
            self._budget = parse_size(memory_limit)
            fresh = self._new_instance()
            try:
                self._open(fresh)
            except Exception:
                self._discard(fresh)
                self.memory_limit, self.temp_limit, self._budget = before
                raise
            previous, self._instance = self._instance, fresh
            self._discard(previous)
        self.timeout = seconds

    def _discard(self, instance: _Instance) -> None:
        instance.close()
        with self._lock:
            self._instances.remove(instance)

    def execute(
        self,
        sql: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        deadline: Deadline | None = None,
        cancel: threading.Event | None = None,
    ) -> pa.Table:
        """Run one query of DuckDB SQL and return its result as Arrow.

        ``params`` binds the query's ``$name`` parameters (values never enter the SQL).
        The time limit is ``deadline`` when given (a caller's, which may include time
        spent translating), else ``timeout`` seconds (default: the engine's) from now.
        Setting ``cancel`` (from another thread) cancels the query, as Ctrl-C does.

        Raises UnsupportedError for anything but one query statement,
        QueryTimeoutError past the deadline, QueryCancelledError on Ctrl-C or
        ``cancel``, QueryMemoryError past the memory limit and QueryError for any other
        failure, with DuckDB's message reduced to its first line.
        """
        if deadline is None:
            deadline = Deadline.after(self.timeout if timeout is None else check_timeout(timeout))
        table: pa.Table = self._run(sql, params, deadline, cancel, with_types)[0]
        return table

    def stream(
        self,
        sql: str,
        params: Mapping[str, Any] | None = None,
        *,
        deadline: Deadline,
        cancel: threading.Event | None = None,
        batch_rows: int = 10_000,
    ) -> Batches:
        """Run one query as :meth:`execute` does, its result read in Arrow record
        batches of up to ``batch_rows`` rows as the caller asks for them (DuckDB
        computes the rows as they are read, so the whole result is never held). The
        limits keep watching while the batches are read; close the :class:`Batches`
        (or read them all) to end the query."""

        def reader(relation: duckdb.DuckDBPyRelation) -> tuple[list[str], pa.RecordBatchReader]:
            return [str(t) for t in relation.types], relation.to_arrow_reader(batch_rows)

        (types, batches), cursor = self._run(sql, params, deadline, cancel, reader, keep=True)
        assert cursor is not None
        watch = _StreamWatch(self, cursor, deadline, cancel)
        return Batches(types, batches, cursor, watch, self)

    def describe(
        self, sql: str, params: Mapping[str, Any] | None = None, *, deadline: Deadline
    ) -> tuple[list[str], list[str]]:
        """The column names and DuckDB types of the query ``sql``, bound but not run."""

        def names_and_types(relation: duckdb.DuckDBPyRelation) -> tuple[list[str], list[str]]:
            return list(relation.columns), [str(t) for t in relation.types]

        described: tuple[list[str], list[str]] = self._run(
            sql, params, deadline, None, names_and_types
        )[0]
        return described

    def _run(
        self,
        sql: str,
        params: Mapping[str, Any] | None,
        deadline: Deadline,
        cancel: threading.Event | None,
        produce: Callable[[duckdb.DuckDBPyRelation], Any],
        *,
        keep: bool = False,
    ) -> tuple[Any, duckdb.DuckDBPyConnection | None]:
        """``produce(relation)`` of the query ``sql``, run on a thread of its own under
        the limits; with ``keep`` the cursor stays open and is returned with it."""
        instance = self._instance
        cursor = instance.cursor()
        try:
            statement = _one_query(cursor, sql)
        except BaseException:
            cursor.close()
            raise
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                result = cursor.sql(statement, params=dict(params or {}))
                outcome["value"] = None if result is None else produce(result)
            except BaseException as exc:  # handed to the calling thread
                outcome["error"] = exc.with_traceback(None)
            finally:
                done.set()

        # A daemon, so that a query abandoned below cannot hold up the process's exit
        # (limits.ABANDONED settles that). Wait on an Event, not Thread.join: before
        # Python 3.13 a join interrupted by Ctrl-C marks the thread finished while it
        # still runs.
        try:  # (started inside: a Ctrl-C right after the start still interrupts it)
            threading.Thread(target=run, name="ddsql-query", daemon=True).start()
            stop = self._watch(done, deadline, cancel)
        except KeyboardInterrupt:
            stop = QueryCancelledError("query cancelled")
        if stop is not None:
            cursor.interrupt()
            if not done.wait(GRACE):
                self._abandon(instance, done)
                raise stop from None
            if not isinstance(outcome.get("error"), duckdb.InterruptException):
                stop = None  # it finished before the interruption took: keep its outcome
        if stop is not None or "error" in outcome or not keep:
            cursor.close()
        if stop is not None:
            raise stop from None
        if "error" in outcome:
            raise _query_error(outcome["error"], self.memory_limit, self.temp_limit) from None
        return outcome["value"], cursor if keep else None

    def _watch(
        self, done: threading.Event, deadline: Deadline, cancel: threading.Event | None = None
    ) -> QueryError | None:
        """Wait for ``done``; the error to stop the query with when it passes its deadline
        or its memory limit, or is cancelled, first."""
        baseline = resident_bytes() if self._budget else None
        while not done.wait(POLL):
            if cancel is not None and cancel.is_set():
                return QueryCancelledError("query cancelled")
            if deadline.passed():
                return deadline.timeout_error()
            if baseline is None or self._budget is None:
                continue
            now = resident_bytes()
            if ABANDONED.running:  # its memory would be taken for this query's
                baseline = now
            elif now is not None and now - baseline > self._budget:
                return _memory_error(self.memory_limit)
        return None

    def _abandon(self, instance: _Instance, done: threading.Event) -> None:
        """Give up an instance whose query does not stop: new queries go to a new
        instance; the old one is closed once its query ends."""
        if self._instance is instance:
            self._instance = self._open()
        ABANDONED.add(1)

        def close_when_done() -> None:
            done.wait()
            instance.close()
            ABANDONED.add(-1)

        threading.Thread(target=close_when_done, name="ddsql-abandoned", daemon=True).start()

    def close(self) -> None:
        """Close the database and remove the temporary directory (idempotent)."""
        self._release()


class _StreamWatch:
    """The limits of a query whose batches are being read: a thread that interrupts the
    query once it passes its deadline or memory limit, or is cancelled."""

    def __init__(
        self,
        engine: Engine,
        cursor: duckdb.DuckDBPyConnection,
        deadline: Deadline,
        cancel: threading.Event | None,
    ) -> None:
        self.done = threading.Event()
        self.stop: QueryError | None = None

        def watch() -> None:
            self.stop = engine._watch(self.done, deadline, cancel)
            if self.stop is not None:
                with contextlib.suppress(duckdb.Error):
                    cursor.interrupt()

        threading.Thread(target=watch, name="ddsql-stream-watch", daemon=True).start()


class Batches:
    """A running query's result, read batch by batch (:meth:`Engine.stream`):
    ``duckdb_types`` names each column's DuckDB type; iterating gives
    ``pyarrow.RecordBatch`` objects and raises the errors :meth:`Engine.execute` does."""

    def __init__(
        self,
        duckdb_types: list[str],
        reader: pa.RecordBatchReader,
        cursor: duckdb.DuckDBPyConnection,
        watch: _StreamWatch,
        engine: Engine,
    ) -> None:
        self.duckdb_types = duckdb_types
        self.schema = reader.schema
        self._reader, self._cursor, self._watch, self._engine = reader, cursor, watch, engine

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        try:
            while True:
                try:
                    batch = self._reader.read_next_batch()
                except StopIteration:
                    return
                except Exception as exc:
                    if self._watch.stop is not None:
                        raise self._watch.stop from None
                    engine = self._engine
                    raise _query_error(exc, engine.memory_limit, engine.temp_limit) from None
                yield batch
        finally:
            self.close()

    def close(self) -> None:
        """End the query (idempotent): its cursor is closed."""
        self._watch.done.set()
        with contextlib.suppress(duckdb.Error):
            self._cursor.close()


@dataclass
class _Instance:
    """One DuckDB database instance serving queries, and its directory for spill files."""

    db: duckdb.DuckDBPyConnection
    spill: str

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor on the tables' database, finding the macros too."""
        cursor = self.db.cursor()
        cursor.execute(f"USE {_STORED}; SET search_path = '{_SEARCH_PATH}'")
        return cursor

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.db.close()


def _release(instances: list[_Instance], tmp: str) -> None:
    try:
        for instance in instances:
            instance.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        sweep_once()  # here, not at start-up, where it would delay the first query


BUFFER_SHARE = 0.8
"""The part of a query's memory limit given to DuckDB's buffer manager."""


def _buffer_share(memory_limit: str) -> str:
    """DuckDB's ``memory_limit`` for a query memory limit: :data:`BUFFER_SHARE` of it."""
    size = parse_size(memory_limit)
    return f"{int(size * BUFFER_SHARE)}B" if size else memory_limit


def _cores() -> int:
    """The cores this process may use (DuckDB's default number of threads)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _rows(tables: Mapping[Table, pa.Table]) -> int:
    return max((data.num_rows for data in tables.values()), default=0)


def _build(
    db: duckdb.DuckDBPyConnection, path: str, tables: Mapping[Table, pa.Table], rows: int | None
) -> None:
    """Write ``tables`` and their alias views to the database file ``path`` (row groups
    of ``rows`` rows when given), in one script: each call into DuckDB gives the GIL up
    and waits to get it back, which costs up to a switch interval (5 ms) while another
    thread imports the translator."""
    option = f" (ROW_GROUP_SIZE {rows})" if rows else ""
    # One transaction: each statement would otherwise be a commit to the file's log.
    script = [f"ATTACH {_sql_value(path)} AS build{option}", "USE build", "BEGIN"]
    sources = []
    for index, (spec, data) in enumerate(tables.items()):
        source = f"__ddsql_load_{index}"
        db.register(source, _json_as_text(data, spec))
        sources.append(source)
        name = f'"{spec.schema_name}"."{spec.table_name}"'
        casts = ", ".join(
            f'CAST("{c.name}" AS {c.type.duckdb}) AS "{c.name}"' for c in spec.columns
        )
        script += [
            f'CREATE SCHEMA IF NOT EXISTS "{spec.schema_name}"',
            f"CREATE TABLE {name} AS SELECT {casts} FROM temp.main.{source}",
            *(f'CREATE VIEW "{alias}" AS SELECT * FROM {name}' for alias in spec.aliases),
        ]
    script += ["COMMIT", "USE memory", "DETACH build"]
    try:
        db.execute(";\n".join(script))
    finally:
        for source in sources:
            db.unregister(source)


def _cached_runtime() -> str | None:
    """The user's cached database of the macros for these macros and this DuckDB (see
    :mod:`.usercache`), if there is one."""
    cached = cache_directory() / f"runtime-{runtime.digest()}.duckdb"
    return str(cached) if cached.is_file() else None


def _build_runtime(db: duckdb.DuckDBPyConnection, tmp: str) -> str:
    """A database file in ``tmp`` holding every macro (about 25 ms), also cached."""
    path = os.path.join(tmp, "runtime.duckdb")
    script = [
        f"ATTACH {_sql_value(path)} AS {runtime.CATALOG}",
        f"USE {runtime.CATALOG}",
        "BEGIN",
        *runtime.macro_definitions(),
        "COMMIT",
        "USE memory",
        f"DETACH {runtime.CATALOG}",
    ]
    db.execute(";\n".join(script))
    store_copy(cache_directory() / f"runtime-{runtime.digest()}.duckdb", path)
    return path


def _apply(db: duckdb.DuckDBPyConnection, settings: Mapping[str, Any]) -> None:
    """``SET GLOBAL`` each setting, in one script; UnsupportedError naming a bad value."""
    assignments = [f"SET GLOBAL {key} = {_sql_value(value)}" for key, value in settings.items()]
    try:
        db.execute(";\n".join(assignments))
    except duckdb.Error as failed:
        for key, value in settings.items():  # which one: a bad memory_limit, typically
            try:
                db.execute(f"SET GLOBAL {key} = {_sql_value(value)}")
            except duckdb.Error as exc:
                message = str(exc).split("\n")[0].partition(": ")[2] or str(exc)
                raise UnsupportedError(f"{key} {value!r} is not valid: {message}") from None
        raise UnsupportedError(f"the engine's settings failed: {failed}") from None


def _one_query(db: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The one statement of ``sql``, as DuckDB parsed it; UnsupportedError unless it is
    exactly one query."""
    try:
        statements = db.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {str(exc).splitlines()[0]}") from None
    if len(statements) != 1:
        raise UnsupportedError(f"the engine runs one statement per call, not {len(statements)}")
    (statement,) = statements
    if statement.type != duckdb.StatementType.SELECT:
        raise UnsupportedError(f"the engine runs queries only, not {statement.type.name}")
    return statement


TYPES_KEY = b"ddsql_lite.duckdb_types"
"""The schema metadata key of a result's DuckDB column types (a JSON list of names)."""


def with_types(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """The relation's result as Arrow, each column's DuckDB type (``JSON``, ``JSON[]``,
    ``TIMESTAMP``...) kept as a JSON list under :data:`TYPES_KEY` in the schema's metadata:
    Arrow has one string type for JSON and text (:class:`~ddsql_lite.result.Result` reads
    and removes it)."""
    types = json.dumps([str(t) for t in relation.types])
    return relation.to_arrow_table().replace_schema_metadata({TYPES_KEY: types})


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


# DuckDB gives a table's row groups to threads one at a time, and by default a table has
# row groups of ROW_GROUP_ROWS rows, so a smaller table would be read by one thread.
ROW_GROUP_ROWS = 122_880
VECTOR_ROWS = 2048  # DuckDB's vector: a row group size is a multiple of it


def row_group_size(rows: int, threads: int) -> int | None:
    """A row group size that gives each of ``threads`` about four row groups of a table of
    ``rows`` rows; None where DuckDB's default size gives every thread one already, or
    where one thread does the work (one thread, or at most one vector of rows)."""
    if threads < 2 or rows <= VECTOR_ROWS or rows >= ROW_GROUP_ROWS * threads:
        return None
    vectors = -(-rows // (4 * threads * VECTOR_ROWS))  # rounded up: under ROW_GROUP_ROWS
    return vectors * VECTOR_ROWS


# How DuckDB reports an exception raised by a Python function: "...UDF: Raised: <message>".
_RAISED = f"UDF: {runtime.Raised.__name__}: "


def _memory_error(memory_limit: str) -> QueryMemoryError:
    return QueryMemoryError(
        f"query stopped: it needed more than its memory limit of {memory_limit}"
    )


def _query_error(exc: BaseException, memory_limit: str, temp_limit: str) -> QueryError:
    text = str(exc).split("\n")[0]
    if isinstance(exc, duckdb.OutOfMemoryException):
        if "max_temp_directory_size" in str(exc):
            return QueryMemoryError(
                f"query stopped: it needed more than its memory limit of {memory_limit} and "
                f"its temporary disk space of {temp_limit}"
            )
        return _memory_error(memory_limit)
    if isinstance(exc, duckdb.InterruptException):
        return QueryCancelledError("query cancelled")
    _, raised, message = text.partition(_RAISED)
    if not raised:
        kind, _, message = text.partition(": ")
        message = pg_meaning(message or kind)
    return QueryError(f"query failed: {message}")


# DuckDB's run-time failures that a query's data can cause, and what PostgreSQL says for
# each, with DDSQL's type names (docs/dialect.md, "Errors"). The translated SQL raises
# PostgreSQL's words itself where that is cheap (``ddsql_raise``); these are the checks
# DuckDB makes anyway (overflow on every BIGINT operation, casts of columns).
_TYPE_NAMES = {
    "INT64": "bigint",
    "BIGINT": "bigint",
    "INT32": "bigint",
    "INTEGER": "bigint",
    "DOUBLE": "decimal",
    "FLOAT": "decimal",
    "BOOL": "boolean",
    "BOOLEAN": "boolean",
    "VARCHAR": "varchar",
    "INTERVAL": "interval",
    "TIMESTAMP": "timestamp",
    "JSON": "json",
}
_INTEGER_TEXT = re.compile(r"\s*[+-]?[0-9]+\s*")


def _type_name(duckdb_type: str) -> str:
    """DDSQL's name of a DuckDB type as DuckDB's messages write it (``BIGINT[]``)."""
    base, brackets, _ = duckdb_type.partition("[")
    return _TYPE_NAMES.get(base, base.lower()) + ("[]" if brackets else "")


def _unreadable(match: re.Match[str]) -> str:
    value, name = match["value"], _type_name(match["type"])
    if name == "bigint" and _INTEGER_TEXT.fullmatch(value):
        return f'value "{value}" is out of range for type bigint'
    return f'invalid input syntax for type {name}: "{value}"'


def _not_an_array(match: re.Match[str]) -> str:
    value = match["value"]
    if value.lstrip().startswith("{"):  # PostgreSQL's array text, which DuckDB cannot read
        return f'cannot read "{value}" as an array: write it as ARRAY[...]'
    return f'malformed array literal: "{value}"'


def _out_of_range(match: re.Match[str]) -> str:
    name = _type_name(match["type"])
    return f"{name} out of range" if name == "bigint" else "value out of range"


_CASTING = r"(?: when casting from source column .*)?$"
_MEANINGS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(rf"Could not convert string '(?P<value>.*)' to (?P<type>\S+){_CASTING}"),
        _unreadable,
    ),
    (
        re.compile(
            rf"Type VARCHAR with value '(?P<value>.*)' can't be cast to the destination type "
            rf"\S+\[\]{_CASTING}"
        ),
        _not_an_array,
    ),
    (
        re.compile(
            rf"Type \S+ with value '(?P<value>.*)' can't be cast to the destination type "
            rf"(?P<type>\S+){_CASTING}"
        ),
        _unreadable,
    ),
    (
        re.compile(
            r"Type \S+ with value .* can't be cast because the value is out of range for "
            rf"the destination type (?P<type>\S+){_CASTING}"
        ),
        _out_of_range,
    ),
    (
        re.compile(r"Overflow in \w+ of (?P<type>INT64|INT128|numeric value)\b.*"),
        lambda m: "bigint out of range",
    ),
    # DDSQL's integers are BIGINT: 32-bit arithmetic is that of interval months and days
    (re.compile(r"Overflow in \w+ of INT32\b.*"), lambda m: "interval out of range"),
    (re.compile(r"Overflow on abs\(.*"), lambda m: "bigint out of range"),
    (re.compile(r"Date and time not in timestamp range"), lambda m: "timestamp out of range"),
    (
        re.compile(r"Subquery returns \d+ columns - expected 1"),
        lambda m: "subquery must return only one column",
    ),
    (
        re.compile(r"Malformed JSON at byte \d+ of input: (?P<why>[^.]*)\..*"),
        lambda m: f"invalid input syntax for type json: {m['why']}",
    ),
)


def pg_meaning(message: str) -> str:
    """A DuckDB error message (its first line, without the "... Error: " prefix) as
    PostgreSQL words the same failure, when it is one of :data:`_MEANINGS`; else as is."""
    for pattern, meaning in _MEANINGS:
        match = pattern.fullmatch(message)
        if match:
            return meaning(match)
    return message
