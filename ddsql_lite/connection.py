"""A ddsql_lite connection: registry + loaded tables + translator + sandboxed engine."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .engine import DEFAULT_MEMORY_LIMIT, Engine
from .errors import UnsupportedError
from .limits import DEFAULT_TIMEOUT, Background, Deadline, check_timeout, until
from .loaders.cache import DEFAULT_MAX_AGE, parse_duration
from .loaders.report import LoadReport
from .loaders.sources import aws_options, load_tables
from .memory import check_size
from .registry import Registry, Table, load_registry
from .result import Result
from .timeframe import TimeFrame, format_instant, parse_instant, utcnow

if TYPE_CHECKING:
    from .dialect import Translator


class Connection:
    """Runs DDSQL over the tables it loaded. Create one with :func:`ddsql_lite.connect`."""

    def __init__(
        self,
        data: dict[Table, pa.Table],
        registry: Registry,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        temp_limit: str | None = None,
        report: LoadReport | None = None,
    ) -> None:
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
        """Finish a connection whose engine is being built by ``engine``: DuckDB loads
        the tables on that thread (it releases the GIL) while this one imports the
        translator, so a one-shot query starts about 20 ms sooner."""
        self.registry = registry
        self._load_report = report if report is not None else LoadReport("fixtures")
        try:
            from .dialect import Translator

            self.translator: Translator = Translator(registry)
        finally:
            self.engine = engine.result()
        self.row_counts = {t.name: d.num_rows for t, d in data.items()}
        self._time_frame = TimeFrame()

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

    @property
    def time_frame(self) -> tuple[datetime, datetime]:
        """The session time frame (start, end) as naive UTC timestamps, resolved now."""
        return self._time_frame.resolve(utcnow())

    def set_time_frame(
        self, start: str | datetime | None = None, end: str | datetime | None = None
    ) -> None:
        """Fix the time frame's ends (ISO text or datetimes; None restores the default:
        the end is "now" and the start one hour before the end)."""
        frame = TimeFrame(
            None if start is None else parse_instant(start, "dd.time_frame_start"),
            None if end is None else parse_instant(end, "dd.time_frame_end"),
        )
        frame.resolve(utcnow())  # refuse a start after the end now, not at the next query
        self._time_frame = frame

    def sql(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> Result:
        """Run one DDSQL query and return its result.

        ``params`` binds ``:name`` placeholders in the query; values are passed to DuckDB
        as parameters, never pasted into the SQL text. ``timeout`` overrides the
        connection's time limit for this query (seconds): it covers translation,
        planning and execution.

        Raises a DDSQLError subclass: ParseError, CatalogError, UnsupportedError or a
        QueryError (time limit, memory limit, failure while running).
        """
        started = time.perf_counter()
        limit = self.engine.timeout if timeout is None else check_timeout(timeout)
        deadline = Deadline.after(limit)
        translation = until(deadline, lambda: self.translator.translate(query))
        if translation.session is not None:
            table = self._session(translation.session)
            return Result(table, query, "", time.perf_counter() - started)
        bound = self._bind(translation.parameters, dict(params or {}))
        table = self.engine.execute(translation.sql, bound, deadline=deadline)
        return Result(table, query, translation.sql, time.perf_counter() - started)

    def _bind(self, names: tuple[str, ...], given: dict[str, Any]) -> dict[str, Any]:
        """The values for a query's parameters: the user's, plus the session settings."""
        wanted = [n for n in names if not n.startswith("ddsql_")]
        missing = [n for n in wanted if n not in given]
        if missing:
            raise UnsupportedError(
                f"no value for parameter(s) {', '.join(':' + n for n in missing)}"
            )
        unused = sorted(set(given) - set(wanted))
        if unused:
            raise UnsupportedError(f"parameter(s) not used by the query: {', '.join(unused)}")
        if len(wanted) < len(names):
            from .dialect.translate import setting_parameter

            settings = self._settings()
            given.update({setting_parameter(k): v for k, v in settings.items()})
            given = {k: v for k, v in given.items() if k in names}
        return given

    def _settings(self) -> dict[str, str]:
        start, end = self.time_frame
        return {
            "dd.time_frame_start": format_instant(start),
            "dd.time_frame_end": format_instant(end),
        }

    def _session(self, statement: tuple[str, ...]) -> pa.Table:
        """Run ``SET``/``SHOW`` on the session time frame; the result is PostgreSQL's."""
        if statement[0] == "set":
            _, setting, value = statement
            if setting == "dd.time_frame_start":
                self.set_time_frame(value, self._time_frame.end)
            else:
                self.set_time_frame(self._time_frame.start, value)
            return pa.table({})
        settings = self._settings()
        if statement[1] == "all":
            return pa.table(
                {
                    "name": list(settings),
                    "setting": list(settings.values()),
                    "description": ["Start of the query time frame", "End of the query time frame"],
                }
            )
        return pa.table({statement[1]: [settings[statement[1]]]})

    execute = sql

    def translate(self, query: str) -> str:
        """The DuckDB SQL that :meth:`sql` would run for ``query``."""
        return self.translator.translate(query).sql

    def tables(self) -> list[Table]:
        """Every table the registry declares (name, aliases, columns with types)."""
        return list(self.registry)

    def load_report(self) -> LoadReport:
        """What the load did: for ``source="aws"`` one entry per (account, region) with
        ``account_id, region, rows, api_calls, retries, seconds, error``; sample and
        fixture loads have no entries. See :mod:`ddsql_lite.loaders.report`."""
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
    timeout: float = DEFAULT_TIMEOUT,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    temp_limit: str | None = None,
    regions: str | Sequence[str] | None = None,
    profile: str | None = None,
    profiles: Sequence[str] | None = None,
    role_arns: Sequence[str] | None = None,
    endpoint_url: str | None = None,
    max_workers: int | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    list_filters: Mapping[str, Any] | None = None,
    cache: str | Path | None = None,
    max_age: float | str | timedelta = DEFAULT_MAX_AGE,
    refresh: bool = False,
    progress: bool | None = None,
) -> Connection:
    """Open a connection over the bundled sample data, over ``fixtures`` (a fixture
    file or directory: docs/design.md, "Fixture format"), or over live AWS data.

    ``source`` is ``"sample"`` (the default without fixtures), ``"fixtures"`` or ``"aws"``.
    ``timeout`` is each query's time limit in seconds (0 for none), from the start of its
    translation; ``memory_limit`` a DuckDB size such as ``"2GB"``, the memory a query may
    use; ``temp_limit`` what it may spill to disk (default: the memory limit).

    With ``source="aws"`` (see :mod:`ddsql_lite.loaders.aws`): ``regions`` is a list of
    names or ``"all"`` (default: the profile's region); ``profile``/``profiles`` name
    AWS profiles (default: boto3's credential chain), one account each; ``role_arns``
    are assumed with those credentials and replace them; ``endpoint_url`` points the
    SageMaker clients elsewhere; ``max_workers`` bounds the concurrent API calls;
    ``connect_timeout``/``read_timeout`` are each AWS call's limits in seconds (default
    5 and 30; a region that times out is given up and reported);
    ``list_filters`` are ListInferenceExperiments parameters (see
    :func:`ddsql_lite.loaders.pushdown.list_filters`). ``cache`` is a directory for a
    Parquet snapshot reused while younger than ``max_age`` (seconds, a timedelta or text
    such as ``"15m"``, ``"2h"``, ``"1d"``) unless ``refresh``. ``progress`` shows a bar on
    stderr (default: when stderr is a terminal). :meth:`Connection.load_report` tells
    what was loaded and what failed; missing or expired credentials raise LoaderError
    before anything is fetched.
    """
    # Limits are checked before anything is loaded (a live load can take minutes).
    timeout = check_timeout(timeout)
    memory_limit = check_size(memory_limit, "memory_limit")
    temp_limit = None if temp_limit is None else check_size(temp_limit, "temp_limit")
    if source is None:
        source = "fixtures" if fixtures is not None else "sample"
    aws = aws_options(
        source,
        regions=regions,
        profile=profile,
        profiles=profiles,
        role_arns=role_arns,
        endpoint_url=endpoint_url,
        max_workers=max_workers,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        list_filters=list_filters,
        cache=cache,
        refresh=refresh,
    )
    def load() -> tuple[Registry, dict[Table, pa.Table], LoadReport]:
        registry = load_registry()
        data, report = load_tables(
            registry,
            source=source,
            fixtures=fixtures,
            aws=aws,
            cache=cache,
            max_age=parse_duration(max_age),
            refresh=refresh,
            progress=progress,
        )
        return registry, data, report

    return Connection._open(
        load, timeout=timeout, memory_limit=memory_limit, temp_limit=temp_limit
    )
