"""Query results, with the conversions users know from DuckDB's Python API."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .errors import MissingDependencyError, QueryError

if TYPE_CHECKING:
    import pandas
    import polars


class Result:
    """The materialised result of one query (an Arrow table underneath).

    Mirrors a DuckDB relation's names: ``df()``, ``pl()``, ``arrow()`` /
    ``to_arrow_table()``, ``fetchall()``, ``fetchone()``, ``columns``, ``types``.
    """

    def __init__(self, table: pa.Table, sql: str, duckdb_sql: str, seconds: float) -> None:
        self._table = table
        self.sql = sql
        self.duckdb_sql = duckdb_sql
        self.seconds = seconds
        self._cursor = 0

    @property
    def columns(self) -> list[str]:
        return list(self._table.column_names)

    @property
    def types(self) -> list[str]:
        return [str(t) for t in self._table.schema.types]

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def __repr__(self) -> str:
        return f"<Result {len(self)} rows x {len(self.columns)} columns: {', '.join(self.columns)}>"

    def to_arrow_table(self) -> pa.Table:
        return self._table

    arrow = to_arrow_table

    def df(self) -> pandas.DataFrame:
        """A pandas DataFrame."""
        _require("pandas", "ddsql_lite")
        return self._table.to_pandas()

    def pl(self) -> polars.DataFrame:
        """A polars DataFrame (needs the ``polars`` extra: ``pip install 'ddsql_lite[polars]'``)."""
        _require("polars", "'ddsql_lite[polars]'")
        import polars

        frame = polars.from_arrow(self._table)
        assert isinstance(frame, polars.DataFrame)
        return frame

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every row not fetched yet, as tuples."""
        rows = self._rows(self._cursor, None)
        self._cursor = len(self)
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        rows = self._rows(self._cursor, 1)
        self._cursor += len(rows)
        return rows[0] if rows else None

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        rows = self._rows(self._cursor, size)
        self._cursor += len(rows)
        return rows

    def _rows(self, start: int, count: int | None) -> list[tuple[Any, ...]]:
        part = self._table.slice(start, count)
        columns = [_python_values(c) for c in part.columns]
        return list(zip(*columns)) if columns else [() for _ in range(part.num_rows)]


def _require(module: str, install: str) -> None:
    """Raise MissingDependencyError, naming what to install, when ``module`` is missing."""
    from importlib.util import find_spec

    if find_spec(module) is None:
        raise MissingDependencyError(f"{module} is not installed: pip install {install}")


def _python_values(column: pa.ChunkedArray) -> list[Any]:
    """A column as Python values, like DuckDB's fetchall: an interval without months is a
    ``timedelta`` (one with months stays pyarrow's ``MonthDayNano``)."""
    try:
        values: list[Any] = column.to_pylist()
    except (OverflowError, ValueError) as exc:  # e.g. a timestamp past year 9999
        raise QueryError(
            f"a {column.type} value cannot be represented in Python ({exc}); "
            "use .to_arrow_table() or .df()"
        ) from None
    if pa.types.is_interval(column.type):
        return [
            timedelta(days=v.days, microseconds=v.nanoseconds // 1000)
            if v is not None and v.months == 0
            else v
            for v in values
        ]
    return values
