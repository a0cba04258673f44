"""The library's front door: :func:`connect`, :class:`Connection`, and the verbs that
need no connection (:func:`translate`, :func:`record`).

A connection loads the tables (``loaders``), builds the sandboxed database
(``engine``) and translates each query (``dialect``); the faces (CLI, shell, magics)
call this module and :mod:`.options` only. The options are declared in
:mod:`.options`; docs/design.md describes the layers.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import options as declared
from .engine import Engine
from .errors import QueryError, UnsupportedError
from .limits import Background, Deadline, check_timeout, until
from .registry import Registry, Table, TableList, load_registry
from .result import Result
from .session import Moment, Session

if TYPE_CHECKING:
    import pyarrow as pa

    from .dialect import Translator
    from .loaders.sources import LoadReport


class Connection:
    """Runs DDSQL over the tables it loaded. Create one with :func:`ddsql_lite.connect`."""

    def __init__(
        self,
        data: dict[Table, pa.Table],
        registry: Registry,
        *,
        timeout: float = declared.DEFAULT_TIMEOUT,
        memory_limit: str = declared.DEFAULT_MEMORY_LIMIT,
        temp_limit: str | None = None,
        report: LoadReport | None = None,
    ) -> None:
        """A connection over ``data`` (Arrow tables of ``registry``'s tables, as the
        loaders build them); :func:`connect` is the usual way to get one."""
        engine = Background(
            lambda: Engine(data, timeout=timeout, memory_limit=memory_limit, temp_limit=temp_limit),
            "ddsql-engine",
            daemon=False,
        )
        self._setup(registry, data, report, engine)

    def _setup(
        self,
        registry: Registry,
        data: Mapping[Table, pa.Table],
        report: LoadReport | None,
        engine: Background[Engine],
    ) -> None:
        """Finish a connection whose engine ``engine`` builds: DuckDB loads the tables on
        that thread (it releases the GIL) while this one imports the translator."""
        self.registry = registry
        self._load_report = report
        self._shares = False  # a new_session() connection: close() leaves the engine
        self.session = Session()
        self.syntax = declared.BY_NAME["syntax"].default
        self._translators: dict[str, Translator] = {}
        try:
            self._translators[self.syntax] = self._translator(self.syntax)
        finally:
            self.engine = engine.result()
        self.row_counts = {t.name: d.num_rows for t, d in data.items()}
        self.table_bytes = {t.name: d.nbytes for t, d in data.items()}

    @classmethod
    def _open(
        cls,
        load: Callable[[], tuple[Registry, dict[Table, pa.Table], LoadReport]],
        *,
        timeout: float,
        memory_limit: str,
        temp_limit: str | None,
    ) -> Connection:
        """A connection over the registry and tables ``load()`` returns; DuckDB starts on
        another thread while it runs (about 10 ms of a one-shot query's start)."""
        loaded: list[dict[Table, pa.Table]] = []
        ready = threading.Event()

        def tables() -> dict[Table, pa.Table]:
            ready.wait()
            if not loaded:
                raise UnsupportedError("the data did not load")  # the loader's error wins
            return loaded[0]

        # While the engine starts, the GIL changes hands more often: DuckDB's thread
        # takes it back after each call into DuckDB, and the default interval (5 ms) is
        # long beside the calls.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, 0.0005))
        engine = Background(
            lambda: Engine(
                tables, timeout=timeout, memory_limit=memory_limit, temp_limit=temp_limit
            ),
            "ddsql-engine",
            daemon=False,
        )
        try:
            try:
                registry, data, report = load()
            except BaseException:
                ready.set()
                with contextlib.suppress(Exception):
                    engine.result()  # it stops, and removes its temporary directory
                raise
            loaded.append(data)
            ready.set()
            connection = cls.__new__(cls)
            connection._setup(registry, data, report, engine)
        finally:
            sys.setswitchinterval(interval)
        return connection

    def _translator(self, syntax: str | None) -> Translator:
        """The translator of a DDSQL variant (the session's when None), built once."""
        syntax = self.syntax if syntax is None else declared.BY_NAME["syntax"].read(syntax)
        found = self._translators.get(syntax)
        if found is None:
            from .dialect import Translator

            found = self._translators[syntax] = Translator(self.registry, syntax=syntax)
        return found

    @property
    def translator(self) -> Translator:
        """The translator of the session's variant (:meth:`set_syntax`)."""
        return self._translator(None)

    def set_syntax(self, syntax: str) -> None:
        """Read later queries in the DDSQL variant ``syntax``: ``ddsql`` (the reference,
        the default) or ``preview`` (docs/dialect.md, "The Preview variant")."""
        self.syntax = declared.BY_NAME["syntax"].read(syntax)

    @property
    def time_frame(self) -> tuple[datetime, datetime]:
        """The session time frame (start, end) as naive UTC timestamps, resolved now."""
        return self.session.time_frame()

    def set_time_frame(
        self,
        start: str | datetime | timedelta | Moment | None = None,
        end: str | datetime | Moment | None = None,
    ) -> None:
        """Fix the time frame's ends: ISO text or datetimes, ``now`` or ``now-7d``
        (read again at each query); the start may also be a span before the end
        (``"7d"``, a timedelta). None restores the default: the end is now and the
        start one hour before the end."""
        self.session.set_time_frame(start, end)

    @property
    def limits(self) -> tuple[float, str]:
        """The time limit (seconds, 0 for none) and the memory limit of later queries."""
        return self.engine.timeout, self.engine.memory_limit

    def set_limits(self, *, timeout: float | None = None, memory_limit: str | None = None) -> None:
        """Change the limits of later queries without loading again (None: unchanged);
        values are checked as the ``timeout`` and ``memory_limit`` options are, and a bad
        one changes nothing. The sandbox stays locked: a new memory limit is applied to
        a new database instance before it is locked (call it between queries)."""
        seconds = None if timeout is None else declared.BY_NAME["timeout"].read(timeout)
        size = None if memory_limit is None else declared.BY_NAME["memory_limit"].read(memory_limit)
        self.engine.set_limits(timeout=seconds, memory_limit=size)

    def sql(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        syntax: str | None = None,
        cancel: threading.Event | None = None,
    ) -> Result:
        """Run one DDSQL query and return its result.

        ``params`` binds ``:name`` placeholders in the query; values are passed to DuckDB
        as parameters, never pasted into the SQL text. ``timeout`` overrides the
        connection's time limit for this query (seconds): it covers translation,
        planning and execution. ``syntax`` reads this query in another DDSQL variant than
        the session's (``ddsql`` or ``preview``). Setting ``cancel`` (from another thread)
        cancels the query, as Ctrl-C does.

        Raises a DDSQLError subclass: ParseError, CatalogError, UnsupportedError or a
        QueryError (time limit, memory limit, cancelled, failure while running).
        """
        started = time.perf_counter()
        deadline = self._deadline(timeout)
        translation, bound = self._prepare(query, params, deadline, syntax)
        if bound is None:
            table = self.session.run(translation.session)
            return Result(table, query, "", time.perf_counter() - started)
        try:
            table = self.engine.execute(
                translation.duckdb_sql, bound, deadline=deadline, cancel=cancel
            )
        except QueryError as failed:
            raise _in_query_words(failed, query) from None
        return Result(table, query, translation.duckdb_sql, time.perf_counter() - started)

    def stream(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        cancel: threading.Event | None = None,
        batch_rows: int = 10_000,
    ) -> ResultStream:
        """Run one DDSQL query as :meth:`sql` does, its rows read as they are computed:
        a :class:`ResultStream` of Arrow record batches of up to ``batch_rows`` rows
        (the same values as :meth:`sql`'s result), for results too large to hold. The
        time limit covers the reading too; close the stream to stop the query."""
        deadline = self._deadline(timeout)
        translation, bound = self._prepare(query, params, deadline)
        if bound is None:
            result = Result(self.session.run(translation.session), query, "", 0.0)
            return ResultStream(result.columns, result.duckdb_types, [result.to_arrow_table()])
        try:
            batches = self.engine.stream(
                translation.duckdb_sql,
                bound,
                deadline=deadline,
                cancel=cancel,
                batch_rows=batch_rows,
            )
        except QueryError as failed:
            raise _in_query_words(failed, query) from None
        return ResultStream(list(batches.schema.names), batches.duckdb_types, batches, query)

    def describe(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[str | None]]:
        """The column names and DuckDB types :meth:`sql` would give for ``query``,
        without running it (its parameters may be None)."""
        deadline = self._deadline(None)
        translation, bound = self._prepare(query, params, deadline)
        if bound is None:
            result = Result(self.session.run(translation.session), query, "", 0.0)
            return result.columns, result.duckdb_types
        names, types = self.engine.describe(translation.duckdb_sql, bound, deadline=deadline)
        return names, list(types)

    def _deadline(self, timeout: float | None) -> Deadline:
        return Deadline.after(self.engine.timeout if timeout is None else check_timeout(timeout))

    def _prepare(
        self,
        query: str,
        params: Mapping[str, Any] | None,
        deadline: Deadline,
        syntax: str | None = None,
    ) -> tuple[Any, dict[str, Any] | None]:
        """``query``'s translation (in the variant ``syntax``, the session's when None) and
        its bound parameters; None for the parameters of a session statement (SET, SHOW),
        which the session answers."""
        translator = self._translator(syntax)
        translation = until(deadline, lambda: translator.translate(query))
        if translation.session is not None:
            return translation, None
        from .dialect.translate import SETTING_PARAMETERS

        bound = self.session.bind(translation.parameters, dict(params or {}), SETTING_PARAMETERS)
        return translation, bound

    def new_session(self, session: Session | None = None) -> Connection:
        """A connection over the same loaded tables, translator and database, with a
        session of its own (time frame, settings; ``session`` to keep one across
        connections): what a server gives each client. Nothing is copied; closing it
        leaves this connection open."""
        shared = Connection.__new__(Connection)
        shared.__dict__.update(self.__dict__)
        shared.session = Session() if session is None else session
        shared._shares = True
        return shared

    execute = sql

    def parameters(self, query: str, *, syntax: str | None = None) -> tuple[str, ...]:
        """The names of ``query``'s ``:name`` placeholders, each once, in order (the
        values :meth:`sql` wants in ``params``)."""
        from .dialect.translate import SETTING_PARAMETERS

        settings = set(SETTING_PARAMETERS.values())
        names = self._translator(syntax).translate(query).parameters
        return tuple(dict.fromkeys(n for n in names if n not in settings))

    def translate(self, query: str, *, pretty: bool = False, syntax: str | None = None) -> str:
        """The DuckDB SQL that :meth:`sql` would run for ``query``; ``pretty``: over
        several indented lines, the same SQL but for blanks."""
        return self._translator(syntax).translate(query, pretty).duckdb_sql

    def tables(self) -> TableList:
        """Every table the registry declares (name, aliases, columns with types); the
        list prints each table and its columns."""
        return TableList(self.registry)

    def load_report(self) -> LoadReport:
        """What the load did: for ``source="aws"`` one entry per (account, region) with
        ``account_id, region, rows, api_calls, retries, seconds, error``; sample and
        fixture loads have no entries (see docs/design.md, "Data flow")."""
        if self._load_report is None:
            from .loaders.sources import LoadReport

            self._load_report = LoadReport("fixtures")
        return self._load_report

    def close(self) -> None:
        """Close the database (a :meth:`new_session` connection leaves it open)."""
        if not self._shares:
            self.engine.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _in_query_words(failed: QueryError, query: str) -> QueryError:
    """A failure while running ``query``, in the query's words (a limit's error as it is:
    nothing of the query to point at)."""
    if type(failed) is not QueryError:
        return failed
    from .dialect.refusals import run_time_error

    return run_time_error(failed, query)


class ResultStream:
    """A query's result read as it is computed (:meth:`Connection.stream`): ``columns``,
    ``duckdb_types`` (as :attr:`Result.duckdb_types`) and, iterated, Arrow record
    batches; a failure while reading is raised as :meth:`Connection.sql` raises it."""

    def __init__(
        self,
        columns: list[str],
        duckdb_types: Sequence[str | None] | None,
        batches: Iterable[pa.RecordBatch] | Iterable[pa.Table],
        query: str = "",
    ) -> None:
        self.columns = columns
        self.duckdb_types = duckdb_types
        self._batches = batches
        self._query = query

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        try:
            for batch in self._batches:
                if hasattr(batch, "to_batches"):  # a whole table (a session statement)
                    yield from batch.to_batches()
                else:
                    yield batch
        except QueryError as failed:
            raise _in_query_words(failed, self._query) from None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the query, when it still runs (idempotent)."""
        close = getattr(self._batches, "close", None)
        if close is not None:
            close()


def connect(
    *,
    fixtures: str | Path | None = None,
    source: str | None = None,
    timeout: float | None = None,
    memory_limit: str | None = None,
    temp_limit: str | None = None,
    time_frame: Sequence[str | datetime] | None = None,
    syntax: str | None = None,
    regions: str | Sequence[str] | None = None,
    profiles: str | Sequence[str] | None = None,
    role_arns: str | Sequence[str] | None = None,
    endpoint_url: str | None = None,
    max_workers: int | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    cache: str | Path | None = None,
    max_age: float | str | timedelta | None = None,
    refresh: bool = False,
    pushdown: str | None = None,
    progress: bool | None = None,
    profile: str | None = None,
) -> Connection:
    """Open a connection over the bundled sample data, over ``fixtures`` (a fixture
    file or directory: docs/design.md, "Fixture format"), or over live AWS data
    (``source="aws"``).

    Every keyword is an option of :mod:`ddsql_lite.options`, where each is described
    (``ddsql --help`` shows the same list); ``profile=`` is the deprecated spelling of
    ``profiles=``. Limits are checked before anything is loaded. With ``pushdown=SQL`` a
    live load fetches only the experiments the query's simple filters can match (the
    query's answer is the same); a query that does not translate fails before the load.
    :meth:`Connection.load_report` tells what was loaded and what failed.
    """
    given = {
        name: value
        for name, value in locals().items()
        if name in declared.BY_NAME or name == "profile"
    }
    settled = declared.settle(given)

    def load() -> tuple[Registry, dict[Table, pa.Table], LoadReport]:
        from .loaders.sources import load_tables

        registry = load_registry()
        aws = _live_options(registry, settled) if settled["source"] == "aws" else None
        data, report = load_tables(
            registry,
            source=settled["source"],
            fixtures=settled["fixtures"],
            aws=aws,
            cache=settled["cache"],
            max_age=settled["max_age"],
            refresh=settled["refresh"],
            progress=settled["progress"],
        )
        return registry, data, report

    connection = Connection._open(
        load,
        timeout=settled["timeout"],
        memory_limit=settled["memory_limit"],
        temp_limit=settled["temp_limit"],
    )
    if settled["time_frame"] is not None:
        frame = settled["time_frame"]
        connection.set_time_frame(frame.start, frame.end)
    connection.set_syntax(settled["syntax"])
    return connection


def _live_options(registry: Registry, settled: Mapping[str, Any]) -> Any:
    """The live loader's options from settled ``connect()`` options; a ``pushdown``
    query is translated first (a bad query costs no load) and, without a cache (a
    snapshot holds the whole load), gives the List calls its filters."""
    from .loaders.sources import AwsOptions

    filters: dict[str, Any] = {}
    if settled["pushdown"] is not None:
        from .dialect import Translator
        from .dialect.filters import simple_filters
        from .loaders.sources import list_filters, live_table

        Translator(registry, syntax=settled["syntax"]).translate(settled["pushdown"])
        if settled["cache"] is None and settled["syntax"] == "ddsql":  # (preview: none)
            filters = list_filters(simple_filters(settled["pushdown"]), live_table(registry))
    return AwsOptions.build(
        regions=settled["regions"],
        profiles=settled["profiles"],
        role_arns=settled["role_arns"],
        endpoint_url=settled["endpoint_url"],
        max_workers=settled["max_workers"],
        connect_timeout=settled["connect_timeout"],
        read_timeout=settled["read_timeout"],
        list_filters=filters,
    )


_default: Connection | None = None
_default_lock = threading.Lock()


def default_connection() -> Connection:
    """The module's own connection over the bundled sample data, opened on first use
    (once, whichever thread asks first), reused, and closed at exit."""
    global _default
    with _default_lock:
        if _default is None:
            import atexit

            _default = connect()
            atexit.register(_default.close)
        return _default


def sql(query: str, params: Mapping[str, Any] | None = None) -> Result:
    """Run ``query`` on :func:`default_connection` (the bundled sample data), as
    ``duckdb.sql`` does on DuckDB's default connection."""
    return default_connection().sql(query, params)


def translate(query: str, *, pretty: bool = False, syntax: str = "ddsql") -> str:
    """The DuckDB SQL a query runs as, over the bundled registry (no data is loaded);
    ``pretty``: over several indented lines, the same SQL but for blanks; ``syntax``:
    the DDSQL variant, ``ddsql`` or ``preview``."""
    from .dialect import Translator

    syntax = declared.BY_NAME["syntax"].read(syntax)
    return Translator(load_registry(), syntax=syntax).translate(query, pretty).duckdb_sql


def record(path: str | Path, **given: Any) -> LoadReport:
    """Load live data (``connect()``'s options; the source is AWS) and write what the
    API returned to the fixture file ``path`` (``.json`` or ``.jsonl``), which
    ``connect(fixtures=path)`` replays to the identical table; the load's report."""
    if given.get("source") not in (None, "aws"):
        raise UnsupportedError(f"record() loads from AWS: source={given['source']!r}")
    settled = declared.settle({**given, "source": "aws"})
    from .loaders.sources import record_live

    registry = load_registry()
    options = _live_options(registry, settled)
    return record_live(registry, options, Path(path), progress=settled["progress"])
