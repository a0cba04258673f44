"""A ddsql_lite connection: registry + loaded tables + translator + sandboxed engine."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from .dialect import Translator
from .dialect.translate import setting_parameter
from .engine import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT, Engine
from .errors import UnsupportedError
from .loaders import read_fixtures, sample_path
from .registry import Registry, Table, load_registry
from .result import Result
from .timeframe import TimeFrame, format_instant, parse_instant, utcnow


class Connection:
    """Runs DDSQL over the tables it loaded. Create one with :func:`ddsql_lite.connect`."""

    def __init__(
        self,
        data: dict[Table, pa.Table],
        registry: Registry,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        self.registry = registry
        self.translator = Translator(registry)
        self.engine = Engine(data, timeout=timeout, memory_limit=memory_limit)
        self.row_counts = {t.name: d.num_rows for t, d in data.items()}
        self._time_frame = TimeFrame()

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
        connection's time limit for this query (seconds).

        Raises a DDSQLError subclass: ParseError, CatalogError, UnsupportedError or a
        QueryError (time limit, memory limit, failure while running).
        """
        started = time.perf_counter()
        translation = self.translator.translate(query)
        if translation.session is not None:
            table = self._session(translation.session)
            return Result(table, query, "", time.perf_counter() - started)
        bound = self._bind(translation.parameters, dict(params or {}))
        table = self.engine.execute(translation.sql, bound, timeout=timeout)
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
) -> Connection:
    """Open a connection over the bundled sample data, or over ``fixtures`` (a fixture
    file or directory in the format of DESIGN.md).

    ``source`` is ``"sample"`` (the default without fixtures) or ``"fixtures"``.
    ``timeout`` is each query's time limit in seconds (0 for none); ``memory_limit`` a
    DuckDB size such as ``"2GB"``.
    """
    if source is None:
        source = "fixtures" if fixtures is not None else "sample"
    if source == "sample":
        path: str | Path = sample_path()
    elif source == "fixtures":
        if fixtures is None:
            raise UnsupportedError("source='fixtures' needs fixtures=PATH")
        path = fixtures
    else:
        raise UnsupportedError(f"unknown source {source!r}; use 'sample' or 'fixtures'")
    registry = load_registry()
    data = {table: read_fixtures(path, table) for table in registry}
    return Connection(data, registry, timeout=timeout, memory_limit=memory_limit)
