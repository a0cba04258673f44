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
from collections.abc import Callable, Mapping, Sequence
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
    ) -> Result:
        """Run one DDSQL query and return its result.

        ``params`` binds ``:name`` placeholders in the query; values are passed to DuckDB
        as parameters, never pasted into the SQL text. ``timeout`` overrides the
        connection's time limit for this query (seconds): it covers translation,
        planning and execution. ``syntax`` reads this query in another DDSQL variant than
        the session's (``ddsql`` or ``preview``).

        Raises a DDSQLError subclass: ParseError, CatalogError, UnsupportedError or a
        QueryError (time limit, memory limit, failure while running).
        """
        started = time.perf_counter()
        limit = self.engine.timeout if timeout is None else check_timeout(timeout)
        deadline = Deadline.after(limit)
        translator = self._translator(syntax)
        translation = until(deadline, lambda: translator.translate(query))
        if translation.session is not None:
            table = self.session.run(translation.session)
            return Result(table, query, "", time.perf_counter() - started)
        from .dialect.translate import SETTING_PARAMETERS

        bound = self.session.bind(translation.parameters, dict(params or {}), SETTING_PARAMETERS)
        try:
            table = self.engine.execute(translation.duckdb_sql, bound, deadline=deadline)
        except QueryError as failed:
            if type(failed) is not QueryError:
                raise  # a limit stopped it: nothing of the query to point at
            from .dialect.refusals import run_time_error

            raise run_time_error(failed, query) from None
        return Result(table, query, translation.duckdb_sql, time.perf_counter() - started)

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
        self.engine.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
