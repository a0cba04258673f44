"""A ddsql_lite connection: registry + loaded tables + translator + sandboxed engine."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from .dialect import Translator
from .engine import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT, Engine
from .errors import UnsupportedError
from .loaders import read_fixtures, sample_path
from .registry import Registry, Table, load_registry
from .result import Result


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
        given = dict(params or {})
        missing = [n for n in translation.parameters if n not in given]
        if missing:
            raise UnsupportedError(
                f"no value for parameter(s) {', '.join(':' + n for n in missing)}"
            )
        unused = sorted(set(given) - set(translation.parameters))
        if unused:
            raise UnsupportedError(f"parameter(s) not used by the query: {', '.join(unused)}")
        table = self.engine.execute(translation.sql, given, timeout=timeout)
        return Result(table, query, translation.sql, time.perf_counter() - started)

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
