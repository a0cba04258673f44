"""The bundled sample, dated relative to today: :func:`read_sample`.

The sample's records were written on one day, so that "created in the last week" would
find nothing a month later. A load of the sample moves every timestamp of every record
(the describe response's timestamp members at any depth, as its output shape declares
them: creation, completion and last-modified times, the schedule's start and end) by
the same whole number of days: the largest that keeps the newest creation, completion or
last-modified time in the past, so that it falls within the day before the load. The
schedule may lie ahead, as a real schedule does. Fixture files are never moved, the
sample read as a fixture file (``fixtures=sample_path()``) neither.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa

from ...registry import Table
from .api_shapes import ListShape, MapShape, Shape, StructureShape, output_shape
from .fixture_reader import read_records, sample_path
from .to_arrow import records_to_table
from .to_row import record_to_row
from .values import api_timestamp, iso_utc

DAY = timedelta(days=1)


def read_sample(table: Table, now: datetime) -> tuple[pa.Table, int]:
    """``table`` from the bundled sample with its timestamps moved to ``now`` (naive
    UTC), and the number of days they moved."""
    shape = output_shape(table.api["service"], table.api["describe"])
    records = read_records(sample_path())
    days = shift_days(records, shape, now)
    moved = [shifted(record, shape, timedelta(days=days)) for record in records]
    return records_to_table((record_to_row(r, table) for r in moved), table), days


def shift_days(records: list[Any], shape: StructureShape, now: datetime) -> int:
    """The whole days that bring the records' newest top-level timestamp (creation,
    completion, last modification) within the day before ``now``: after the move it is
    in ``(now - 1 day, now]``."""
    stamps = [
        api_timestamp(value, name)
        for record in records
        for name, value in record["experiment"].items()
        if value is not None and _is_timestamp(shape.members.get(name))
    ]
    if not stamps:
        return 0
    return (now - max(stamps)) // DAY


def shifted(record: dict[str, Any], shape: StructureShape, delta: timedelta) -> dict[str, Any]:
    """``record`` with every timestamp of its describe response moved by ``delta``
    (written as ISO-8601 UTC text, which the mapping reads as it reads the original)."""
    return {**record, "experiment": _moved(record["experiment"], shape, delta)}


def _is_timestamp(shape: Shape | None) -> bool:
    return shape is not None and shape.type_name == "timestamp"


def _moved(value: Any, shape: Shape | None, delta: timedelta) -> Any:
    if value is None or shape is None:
        return value
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {k: _moved(v, shape.members.get(k), delta) for k, v in value.items()}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_moved(v, shape.member, delta) for v in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {k: _moved(v, shape.value, delta) for k, v in value.items()}
    if _is_timestamp(shape):
        return iso_utc(api_timestamp(value, shape.name) + delta)
    return value
