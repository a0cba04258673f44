"""Where a connection's tables come from: the entry point of the loaders.

:func:`load_tables` fills every registry table from the sample data, fixture files or
a live load (or a fresh snapshot of one) and returns the :class:`LoadReport`;
:func:`record_live` saves a live load as a fixture file; :func:`list_filters` gives a
live load its List-call filters. A record the mapping rejects fails the load, naming the
file and record, or the account, region and resource (docs/design.md, "Data flow").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..errors import LoaderError, UnsupportedError
from ..options import DEFAULT_MAX_AGE, SOURCES
from ..registry import Registry, Table
from .fast.fixture_loader import read_fixtures
from .live.report import LoadReport as LoadReport
from .mapping.fixture_reader import SUFFIXES, check_key
from .mapping.sample_dates import read_sample
from .mapping.to_arrow import records_to_table
from .mapping.to_row import record_to_row
from .mapping.values import RecordError, printable

if TYPE_CHECKING:
    from .live.filters import list_filters as list_filters
    from .live.load import AwsLoad
    from .live.options import AwsOptions as AwsOptions

# What the API takes from here but a load of sample or fixture data does not need.
_ON_FIRST_USE = {"AwsOptions": "live.options", "list_filters": "live.filters"}


def __getattr__(name: str) -> Any:
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_ON_FIRST_USE[name]}", __package__), name)


def live_table(registry: Registry) -> Table:
    """The one table a live load fills (the registry's table with an ``api`` block)."""
    tables = [t for t in registry if t.api.get("list")]
    if len(tables) != 1:
        raise UnsupportedError("live loads need exactly one table with an api block")
    return tables[0]


def rows_table(records: Iterable[dict[str, Any]], table: Table) -> pa.Table:
    """Transform + load: records -> rows -> Arrow table, errors naming the resource (a
    record the mapping refuses, or a second record with the same key: an API that
    describes two listed resources as one)."""
    rows = []
    seen: dict[str, str] = {}
    for record in records:
        try:
            row = record_to_row(record, table)
        except RecordError as exc:
            raise LoaderError(f"aws {_resource(record)}: {exc}") from None
        check_key(row[table.key], f"aws {_resource(record)}", table, seen)
        rows.append(row)
    return records_to_table(rows, table)


def _resource(record: Any) -> str:
    """``account region arn-or-name`` of a record, for an error message."""
    if not isinstance(record, dict):
        return f"a {type(record).__name__} instead of a record"
    experiment = record.get("experiment")
    if not isinstance(experiment, dict):
        experiment = {}
    parts = (
        record.get("account_id"),
        record.get("region"),
        experiment.get("Arn") or experiment.get("Name"),
    )
    return " ".join(printable(str(part))[:200] for part in parts)


def fetch_live(
    registry: Registry, options: AwsOptions, *, progress: bool | None = None
) -> tuple[Table, AwsLoad]:
    """Fetch the live table's records (no transform yet)."""
    from .live.load import load_aws
    from .live.progress import progress_sink

    table = live_table(registry)
    return table, load_aws(table, options, progress=progress_sink(progress))


def record_live(
    registry: Registry,
    options: AwsOptions,
    path: str | Path,
    *,
    progress: bool | None = None,
) -> LoadReport:
    """Fetch the live table and write its records to the fixture file ``path``
    (``.json`` or ``.jsonl``, checked before anything is fetched), so that a load of
    ``path`` gives the table a live load would; the report says what was fetched (its
    ``rows`` are the records written). Nothing is written unless every record replays
    (:func:`.mapping.fixture_writer.write_fixtures`)."""
    from .mapping.fixture_writer import write_fixtures

    if Path(path).suffix not in SUFFIXES:
        raise UnsupportedError(f"{path}: a fixture file must end in .json or .jsonl")
    table, fetched = fetch_live(registry, options, progress=progress)
    write_fixtures(fetched.records, path, table)
    return fetched.report


def load_tables(
    registry: Registry,
    *,
    source: str,
    fixtures: str | Path | None = None,
    aws: AwsOptions | None = None,
    cache: str | Path | None = None,
    max_age: float = DEFAULT_MAX_AGE,
    refresh: bool = False,
    progress: bool | None = None,
) -> tuple[dict[Table, pa.Table], LoadReport]:
    """Every table of ``registry`` and the report of the load.

    ``sample`` / ``fixtures``: read the fixture file(s); the report has no entries.
    ``aws``: fetch, map and load the live table (the others are empty); with ``cache``
    a fresh snapshot is used instead, and a complete live load is kept as a new one.
    The cache location is checked before anything is loaded; a damaged snapshot is
    ignored and one that cannot be written loses nothing: ``cache_note`` says which.
    """
    if source == "sample":
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        sample = {table: read_sample(table, now) for table in registry}
        data = {table: loaded for table, (loaded, _) in sample.items()}
        days = max((d for _, d in sample.values()), default=0)
        return data, LoadReport(source, data_range=data_range(data), shifted_days=days)
    if source == "fixtures":
        if fixtures is None:
            raise UnsupportedError("source='fixtures' needs fixtures=PATH")
        data = {table: read_fixtures(fixtures, table) for table in registry}
        return data, LoadReport(source, data_range=data_range(data))
    if source != "aws":
        raise UnsupportedError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    from .live.cache import find_snapshot, write_snapshot
    from .live.load import load_aws  # botocore: imported for live loads only
    from .live.progress import progress_sink

    directory = None if cache is None else Path(cache)
    if aws is None:
        from .live.options import AwsOptions

        aws = AwsOptions.build()
    options = aws
    table = live_table(registry)
    identity = options.identity()
    snapshot, note = None, None
    if directory is not None and not refresh:
        snapshot, note = find_snapshot(directory, table, identity, max_age)
    if snapshot is not None:
        loaded, report = snapshot
    else:
        fetched = load_aws(table, options, progress=progress_sink(progress))
        loaded, report = rows_table(fetched.records, table), fetched.report
        if directory is not None and report.complete:
            # An incomplete load is not kept: the next run retries what failed.
            try:
                path = write_snapshot(directory, table, identity, loaded, report)
                report = replace(report, cache_path=str(path))
            except LoaderError as exc:  # the load is kept all the same
                note = "; ".join(filter(None, (note, f"not kept in the cache: {exc}")))
        if note is not None:
            report = replace(report, cache_note=note)
    data = {t: loaded if t is table else records_to_table([], t) for t in registry}
    return data, replace(report, data_range=data_range(data))


def data_range(data: dict[Table, pa.Table]) -> tuple[datetime, datetime] | None:
    """The earliest and latest value of every timestamp column of ``data`` (None when
    there is none)."""
    bounds = [
        bound
        for table, arrow in data.items()
        for column in table.columns
        if column.type.name == "timestamp"
        for chunk in arrow.column(column.name).chunks
        for bound in _chunk_bounds(chunk)
    ]
    if not bounds:
        return None
    return min(bounds), max(bounds)


_EPOCH = datetime(1970, 1, 1)
_UNIT_MICROS = {"s": 1_000_000, "ms": 1_000, "us": 1}


def _chunk_bounds(chunk: pa.Array) -> list[datetime]:
    """The least and greatest non-null values of a timestamp array, read from its
    buffers with numpy (pyarrow.compute would cost a one-shot query 30 ms to import)."""
    import numpy as np

    valid = len(chunk) - chunk.null_count
    if not valid or chunk.type.unit not in _UNIT_MICROS:
        return []
    validity, values = chunk.buffers()[:2]
    window = slice(chunk.offset, chunk.offset + len(chunk))
    stamps = np.frombuffer(values, dtype=np.int64)[window]
    if chunk.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        stamps = stamps[bits[window].astype(bool)]
    scale = _UNIT_MICROS[chunk.type.unit]
    return [_EPOCH + timedelta(microseconds=int(v) * scale) for v in (stamps.min(), stamps.max())]
