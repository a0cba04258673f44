"""Query results, with the conversions users know from DuckDB's Python API."""

from __future__ import annotations

import json
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

    Intervals: ``fetchall()`` gives a ``timedelta`` (a ``pyarrow.MonthDayNano`` when it
    has months); ``df()`` pandas ``DateOffset`` objects; ``pl()`` a ``Duration("us")``
    column when no value has months, else a ``Struct`` of ``months`` (Int32), ``days``
    (Int32) and ``microseconds`` (Int64), PostgreSQL's own three parts. A conversion
    that fails raises a :class:`~ddsql_lite.errors.QueryError` saying which.
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

    @property
    def duckdb_types(self) -> list[str | None]:
        """Each column's DuckDB type as DuckDB names it (``JSON``, ``JSON[]``,
        ``TIMESTAMP``, ``DOUBLE``, ``MAP(VARCHAR, VARCHAR[])``...); None where it is not
        known (a ``SHOW``'s answer, a table made elsewhere)."""
        from .engine import TYPES_KEY

        stored = (self._table.schema.metadata or {}).get(TYPES_KEY)
        types = json.loads(stored) if stored else []
        if len(types) != len(self.columns):
            return [None] * len(self.columns)
        return [str(t) for t in types]

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
        try:
            return self._table.to_pandas()
        except Exception as exc:  # pyarrow's and pandas' own errors, whatever their class
            raise _conversion_error("a pandas DataFrame", exc) from None

    def pl(self) -> polars.DataFrame:
        """A polars DataFrame (needs the ``polars`` extra: ``pip install 'ddsql_lite[polars]'``).
        Intervals become durations or structs (see the class docstring)."""
        _require("polars", "'ddsql_lite[polars]'")
        import polars

        try:
            frame = polars.from_arrow(_polars_ready(self._table))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # polars' errors, and its panics (BaseExceptions)
            raise _conversion_error("a polars DataFrame", exc) from None
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
        if count is not None:  # within the table: pyarrow takes a C long
            count = max(0, min(int(count), len(self) - start))
        part = self._table.slice(start, count)
        columns = [_python_values(c) for c in part.columns]
        return list(zip(*columns)) if columns else [() for _ in range(part.num_rows)]


def _require(module: str, install: str) -> None:
    """Raise MissingDependencyError, naming what to install, when ``module`` is missing."""
    from importlib.util import find_spec

    if find_spec(module) is None:
        raise MissingDependencyError(f"{module} is not installed: pip install {install}")


def _conversion_error(target: str, exc: BaseException) -> QueryError:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    hint = ""
    if "more than once" in message or "duplicate" in message.lower():
        hint = " (give the columns distinct names with AS)"
    return QueryError(f"the result cannot be made {target}: {type(exc).__name__}: {message}{hint}")


_INTERVAL_PARTS = pa.struct(
    [("months", pa.int32()), ("days", pa.int32()), ("microseconds", pa.int64())]
)
_MICROS_PER_DAY = 86_400_000_000


def _polars_ready(table: pa.Table) -> pa.Table:
    """``table`` with its intervals (also inside lists, structs and maps) in types polars
    reads (see :class:`Result`): polars refuses Arrow's month_day_nano intervals, and
    panics on them inside a list."""
    if not any(_has_interval(t) for t in table.schema.types):
        return table
    columns = [
        _polars_intervals(column) if _has_interval(column.type) else column
        for column in table.columns
    ]
    return pa.Table.from_arrays(columns, names=table.column_names)


def _has_interval(kind: pa.DataType) -> bool:
    if pa.types.is_interval(kind):
        return True
    if pa.types.is_map(kind):
        return _has_interval(kind.key_type) or _has_interval(kind.item_type)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return _has_interval(kind.value_type)
    if pa.types.is_struct(kind):
        return any(_has_interval(kind.field(i).type) for i in range(kind.num_fields))
    return False


def _with_intervals_as(kind: pa.DataType, interval: pa.DataType) -> pa.DataType:
    """``kind`` with every interval type in it replaced by ``interval``."""
    if pa.types.is_interval(kind):
        return interval
    if pa.types.is_map(kind):
        return pa.map_(
            _with_intervals_as(kind.key_type, interval),
            _with_intervals_as(kind.item_type, interval),
        )
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        maker = pa.large_list if pa.types.is_large_list(kind) else pa.list_
        return maker(_with_intervals_as(kind.value_type, interval))
    if pa.types.is_fixed_size_list(kind):
        return pa.list_(_with_intervals_as(kind.value_type, interval), kind.list_size)
    if pa.types.is_struct(kind):
        fields = [kind.field(i) for i in range(kind.num_fields)]
        return pa.struct([f.with_type(_with_intervals_as(f.type, interval)) for f in fields])
    return kind


def _map_intervals(value: Any, convert: Any) -> Any:
    """A Python value from ``to_pylist`` with ``convert`` applied to each interval."""
    if isinstance(value, pa.MonthDayNano):
        return convert(value)
    if isinstance(value, list):
        return [_map_intervals(v, convert) for v in value]
    if isinstance(value, tuple):  # a map's (key, value) pair
        return tuple(_map_intervals(v, convert) for v in value)
    if isinstance(value, dict):
        return {k: _map_intervals(v, convert) for k, v in value.items()}
    return value


def _polars_intervals(column: pa.ChunkedArray) -> pa.Array:
    """A column holding intervals, with each interval as ``duration[us]`` when none has
    months (and each fits one: under about 292,000 years), else as a struct of months,
    days and microseconds."""
    values = column.to_pylist()
    found: list[pa.MonthDayNano] = []
    _map_intervals(values, found.append)
    micros = [v.days * _MICROS_PER_DAY + v.nanoseconds // 1000 for v in found]
    if all(v.months == 0 for v in found) and all(-(2**63) <= m < 2**63 for m in micros):
        kind = pa.duration("us")

        def convert(v: pa.MonthDayNano) -> Any:
            return v.days * _MICROS_PER_DAY + v.nanoseconds // 1000

    else:
        kind = _INTERVAL_PARTS

        def convert(v: pa.MonthDayNano) -> Any:
            return {"months": v.months, "days": v.days, "microseconds": v.nanoseconds // 1000}

    return pa.array(_map_intervals(values, convert), type=_with_intervals_as(column.type, kind))


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
