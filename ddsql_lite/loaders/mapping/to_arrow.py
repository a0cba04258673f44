"""Mapped rows -> the Arrow table of a registry table: :func:`records_to_table`.

Columns come in schema order with the registry's Arrow types. Whatever the rows hold,
the only error is a LoaderError naming the row and the column where it can.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import pyarrow as pa

from ...errors import LoaderError
from ...registry import Table
from .values import is_text, printable, surrogate_problem


def records_to_table(rows: Iterable[Mapping[str, Any]], table: Table) -> pa.Table:
    """Build the Arrow table for ``table`` from mapped rows, in schema column order.

    The rows reach Arrow as JSON lines read by Arrow's JSON reader: ``pa.array`` on
    Python values imports pandas whenever it is installed (about 0.2 s, most of a
    one-shot query's start). Whatever the rows hold, the only error is a LoaderError
    (naming the row and the column where it can), besides those ``rows`` itself raises.
    """
    schema = table.arrow_schema()
    maps = [f.name for f in schema if pa.types.is_map(f.type)]
    lines = []
    for index, row in enumerate(rows):
        try:
            lines.append(_row_line(row, maps))
        except _UNWRITABLE as exc:
            raise LoaderError(f"row {index}: {_unwritable(row, maps, exc)}") from None
    if not lines:
        return schema.empty_table()
    try:
        return _read_lines(lines, schema)
    except _UNREADABLE:
        raise _unreadable(lines, schema) from None


# What json.dumps, a map's pairs and Arrow may raise for values a column cannot hold.
_UNWRITABLE = (TypeError, ValueError, OverflowError, RecursionError, AttributeError)
_UNREADABLE = (UnicodeEncodeError, pa.ArrowException, TypeError, ValueError)


def _row_line(row: Mapping[str, Any], maps: list[str]) -> str:
    """One row as a JSON line for :func:`_read_lines`."""
    line = dict(row)
    for name in maps:
        if line.get(name) is not None:
            line[name] = [{"key": k, "value": v} for k, v in line[name]]
    text = json.dumps(line, ensure_ascii=False, default=_json_default)
    if not is_text(text):
        raise ValueError(surrogate_problem(text))
    return text


def _unwritable(row: Any, maps: list[str], exc: Exception) -> str:
    """Why ``row`` cannot be written as a JSON line: its first bad column, if any."""
    if isinstance(row, Mapping):
        for name, value in row.items():
            try:
                _row_line({name: value}, maps)
            except _UNWRITABLE as inner:
                return f"column {printable(str(name))}: {printable(str(inner))}"
    return printable(f"not a row of column values: {type(exc).__name__}: {exc}")


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        stamp: datetime = value
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
        return stamp.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _unreadable(lines: list[str], schema: pa.Schema) -> LoaderError:
    """The error for JSON ``lines`` Arrow refuses: the first row and column it refuses."""
    for index, line in enumerate(lines):
        try:
            _read_lines([line], schema)
        except _UNREADABLE:
            pass
        else:
            continue
        for field in schema:
            try:
                _read_lines([line], pa.schema([field]))
            except _UNREADABLE as exc:
                problem = printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                return LoaderError(
                    f"row {index}, column {field.name}: a value cannot be stored in its "
                    f"column ({field.type}): {problem}"
                )
        return LoaderError(f"row {index}: its values cannot be stored in the table's columns")
    return LoaderError("the rows cannot be stored in the table's columns")


def _read_lines(lines: list[str], schema: pa.Schema) -> pa.Table:
    """The table of ``schema`` in JSON ``lines`` (a map column spelled as a list of
    ``{"key", "value"}`` objects); members outside ``schema`` are ignored."""
    import pyarrow.json as pajson

    wire = pa.schema(
        pa.field(f.name, pa.list_(pa.struct([f.type.key_field, f.type.item_field])))
        if pa.types.is_map(f.type)
        else f
        for f in schema
    )
    text = "\n".join(lines).encode("utf-8")
    read = pajson.read_json(
        pa.BufferReader(text),
        read_options=pajson.ReadOptions(
            # Threads pay off on large loads only; starting them costs about 5 ms.
            use_threads=len(text) > 1 << 22,
            block_size=max(1 << 20, len(text) + 1),
        ),
        parse_options=pajson.ParseOptions(explicit_schema=wire, unexpected_field_behavior="ignore"),
    )
    columns = []
    for field in schema:
        column = read.column(field.name)
        if pa.types.is_map(field.type):
            column = pa.chunked_array(
                [
                    pa.MapArray.from_arrays(
                        c.offsets,
                        c.values.field(0),
                        c.values.field(1),
                        mask=c.is_null() if c.null_count else None,
                    )
                    for c in column.chunks
                ],
                field.type,
            )
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)
