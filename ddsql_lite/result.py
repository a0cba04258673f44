"""Query results, with the conversions users know from DuckDB's Python API."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TextIO

import pyarrow as pa

from .engine import TYPES_KEY
from .errors import MissingDependencyError, QueryError
from .registry import TYPES

PREVIEW_ROWS = 10
"""Rows a result's preview shows (``print(result)``, a notebook cell, ``show()``)."""
PREVIEW_WIDTH = 40
"""Characters of one value a preview shows; longer values are cut with ``…``."""
TAGS = TYPES["hstore_csv"].ddsql

if TYPE_CHECKING:
    import pandas
    import polars


class Result:
    """The materialised result of one query (an Arrow table underneath).

    Mirrors a DuckDB relation's names: ``df()``, ``pl()``, ``arrow()`` /
    ``to_arrow_table()``, ``fetchall()``, ``fetchone()``, ``columns``, ``types``.

    ``print(result)``, ``show()`` and a notebook cell show a preview: the column names
    and DDSQL types, the first :data:`PREVIEW_ROWS` rows and the row count.

    Intervals: ``fetchall()`` gives a ``timedelta`` (a ``pyarrow.MonthDayNano`` when it
    has months); ``df()`` pandas ``DateOffset`` objects; ``pl()`` a ``Duration("us")``
    column when no value has months, else a ``Struct`` of ``months`` (Int32), ``days``
    (Int32) and ``microseconds`` (Int64), PostgreSQL's own three parts. Tags (``HSTORE``
    columns): ``df()`` gives a dict of key -> list of values; ``fetchall()``, ``pl()``
    and Arrow keep the map of (key, values) pairs. A conversion that fails raises a
    :class:`~ddsql_lite.errors.QueryError` saying which.
    """

    def __init__(self, table: pa.Table, sql: str, duckdb_sql: str, seconds: float) -> None:
        metadata = dict(table.schema.metadata or {})
        types = metadata.pop(TYPES_KEY, None)
        self._duckdb_types: list[str] | None = None if types is None else json.loads(types)
        self._table = table if types is None else table.replace_schema_metadata(metadata or None)
        self.sql = sql
        self.duckdb_sql = duckdb_sql
        self.seconds = seconds
        self._cursor = 0

    @property
    def columns(self) -> list[str]:
        return list(self._table.column_names)

    @property
    def types(self) -> list[str]:
        """Each column's DDSQL type (``VARCHAR``, ``BIGINT``, ``JSON``, ``HSTORE``,
        ``TIMESTAMP[]``...; docs/dialect.md, "Types"), read from DuckDB's."""
        if self._duckdb_types is not None:
            return [ddsql_type(t) for t in self._duckdb_types]
        return ["VARCHAR" if pa.types.is_string(t) else str(t) for t in self._table.schema.types]

    @property
    def duckdb_types(self) -> list[str | None]:
        """Each column's DuckDB type as DuckDB names it (``JSON``, ``JSON[]``,
        ``TIMESTAMP``, ``DOUBLE``, ``MAP(VARCHAR, VARCHAR[])``...); None where it is not
        known (a ``SHOW``'s answer, a table made elsewhere)."""
        types = self._duckdb_types
        if types is None or len(types) != len(self.columns):
            return [None] * len(self.columns)
        return [str(t) for t in types]

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def __repr__(self) -> str:
        return self.preview()

    __str__ = __repr__

    def preview(self, rows: int = PREVIEW_ROWS) -> str:
        """The first ``rows`` rows as an aligned table under the column names and types,
        then the row count; control characters are shown as escapes, long values cut."""
        from .formats import aligned, cell
        from .text import visible

        shown = self._table.slice(0, max(rows, 0))
        if not self.columns:
            return self._footer(0)
        heads = [[visible(c) for c in self.columns], [t.lower() for t in self.types]]
        cells = [[_cut(visible(cell(v))) for v in row] for row in _table_rows(shown, lenient=True)]
        return "\n".join([*aligned(heads, cells), self._footer(shown.num_rows)])

    def show(self, rows: int = PREVIEW_ROWS, file: TextIO | None = None) -> None:
        """Print the preview (:meth:`preview`), as DuckDB's ``relation.show()``."""
        print(self.preview(rows), file=file or sys.stdout)

    def _repr_html_(self) -> str:
        """The preview as an HTML table, for notebooks (every value escaped)."""
        from html import escape

        from .formats import cell

        shown = self._table.slice(0, PREVIEW_ROWS)
        head = "".join(
            f"<th>{escape(c)}<br><small>{escape(t.lower())}</small></th>"
            for c, t in zip(self.columns, self.types)
        )
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_cut(cell(v)))}</td>" for v in row) + "</tr>"
            for row in _table_rows(shown, lenient=True)
        )
        return (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p>{escape(self._footer(shown.num_rows))}</p>"
        )

    def _footer(self, shown: int) -> str:
        total = len(self)
        count = f"{total:,} row{'' if total == 1 else 's'}"
        return f"({count}, first {shown:,} shown)" if shown < total else f"({count})"

    def to_arrow_table(self) -> pa.Table:
        return self._table

    arrow = to_arrow_table

    def df(self) -> pandas.DataFrame:
        """A pandas DataFrame."""
        _require("pandas", "ddsql_lite")
        try:
            frame = self._table.to_pandas()
        except Exception as exc:  # pyarrow's and pandas' own errors, whatever their class
            raise _conversion_error("a pandas DataFrame", exc) from None
        for index, kind in enumerate(self.types):
            if kind == TAGS:  # a dict of key -> list of values, not (key, ndarray) pairs
                values = self._table.column(index).to_pylist()
                frame.isetitem(index, [None if v is None else dict(v) for v in values])
        return frame

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
        return _table_rows(self._table.slice(start, count))


def ddsql_type(duckdb_type: str) -> str:
    """The DDSQL name of a DuckDB type as DuckDB prints it (``MAP(VARCHAR, VARCHAR[])``
    is the tags type; ``VARCHAR[]`` an array of VARCHAR)."""
    for known in TYPES.values():
        if duckdb_type == known.duckdb:
            return known.ddsql
    if duckdb_type.endswith("[]"):
        return ddsql_type(duckdb_type[:-2]) + "[]"
    base = duckdb_type.split("(")[0]
    if base in ("TINYINT", "SMALLINT", "INTEGER", "HUGEINT", "UBIGINT", "UINTEGER"):
        return "BIGINT"
    if base in ("FLOAT", "DECIMAL"):
        return "DECIMAL"
    return duckdb_type


def _table_rows(table: pa.Table, lenient: bool = False) -> list[tuple[Any, ...]]:
    """``table``'s rows as tuples of Python values (:func:`_python_values`); with
    ``lenient`` (a preview, which must never fail) a column Python cannot hold (a
    timestamp past year 9999) is Arrow's text instead of a QueryError."""
    columns = []
    for column in table.columns:
        try:
            columns.append(_python_values(column))
        except QueryError:
            if not lenient:
                raise
            columns.append(column.cast(pa.string()).to_pylist())
    return list(zip(*columns)) if columns else [() for _ in range(table.num_rows)]


def _cut(text: str) -> str:
    return text if len(text) <= PREVIEW_WIDTH else text[: PREVIEW_WIDTH - 1] + "…"


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
        return [_interval_value(v) for v in values]
    return values


def _interval_value(value: Any) -> Any:
    """A ``timedelta`` for an interval without months that one can hold (up to 999,999,999
    days); pyarrow's ``MonthDayNano`` otherwise."""
    if value is None or value.months != 0:
        return value
    try:
        return timedelta(days=value.days, microseconds=value.nanoseconds // 1000)
    except OverflowError:
        return value
