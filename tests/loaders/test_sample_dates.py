"""The bundled sample, dated relative to the day it is loaded (loaders/mapping/sample_dates.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pyarrow as pa
import pytest

import ddsql_lite
from ddsql_lite.loaders import read_fixtures, read_sample, sample_path
from ddsql_lite.registry import load_registry

TABLE = load_registry().get("aws.sagemaker_inference_experiment")
TIMESTAMPS = ("creation_time", "completion_time", "last_modified_time")
JSON_TIMES = {"schedule": ("start_time", "end_time")}


def _newest(table: pa.Table) -> datetime:
    return max(max(v for v in table.column(c).to_pylist() if v is not None) for c in TIMESTAMPS)


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 6, 7, 0),
        datetime(2026, 12, 6, 23, 59, 59),
        datetime(2025, 12, 4, 9, 59, 58),  # the newest timestamp itself: no move
        datetime(2025, 1, 1),  # before the sample was written: moved back
        datetime(2031, 2, 28, 12, 0),
    ],
)
def test_every_timestamp_moves_by_the_same_whole_days(now: datetime) -> None:
    original = read_fixtures(sample_path(), TABLE)
    moved, days = read_sample(TABLE, now)
    delta = timedelta(days=days)
    assert now - timedelta(days=1) < _newest(moved) <= now
    for column in TIMESTAMPS:
        expected = [None if v is None else v + delta for v in original.column(column).to_pylist()]
        assert moved.column(column).to_pylist() == expected, column
    for column, keys in JSON_TIMES.items():
        for before, after in zip(original.column(column), moved.column(column)):
            if before.as_py() is None:
                assert after.as_py() is None
                continue
            old, new = json.loads(before.as_py()), json.loads(after.as_py())
            assert list(old) == list(new)  # same keys, same order
            for key in keys:
                if key in old:
                    stamp = datetime.fromisoformat(old[key].replace("Z", "+00:00"))
                    assert datetime.fromisoformat(new[key].replace("Z", "+00:00")) == stamp + delta
    untouched = [c.name for c in TABLE.columns if c.name not in (*TIMESTAMPS, *JSON_TIMES)]
    assert moved.select(untouched).equals(original.select(untouched))


def test_the_move_depends_on_the_time_only() -> None:
    now = datetime(2026, 12, 6, 7, 0)
    assert read_sample(TABLE, now)[1] == read_sample(TABLE, now)[1]
    assert read_sample(TABLE, now + timedelta(days=3))[1] == read_sample(TABLE, now)[1] + 3


def test_connect_reports_the_sample_and_its_dates() -> None:
    with ddsql_lite.connect() as con:
        report = con.load_report()
        assert report.source == "sample" and report.shifted_days > 0
        first, last = report.data_range or (None, None)
        assert first is not None and last is not None
        (newest,) = con.sql(
            "SELECT max(last_modified_time) FROM aws.sagemaker_inference_experiment"
        ).fetchone() or (None,)
        assert newest == last
        recent = con.sql(
            "SELECT count(*) FROM aws.sagemaker_inference_experiment "
            "WHERE creation_time > now() - INTERVAL '7 days'"
        ).fetchone()
        assert recent is not None and recent[0] > 0


def test_fixture_files_are_never_moved() -> None:
    with ddsql_lite.connect(fixtures=sample_path()) as con:
        report = con.load_report()
        assert report.source == "fixtures" and report.shifted_days == 0
        assert report.data_range is not None
        assert report.data_range[1] == _newest(read_fixtures(sample_path(), TABLE))


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
def test_the_data_range_reads_timestamps_as_arrow_computes_them(unit: str) -> None:
    import pyarrow.compute as pc

    from ddsql_lite.loaders.sources import _chunk_bounds

    stamps = [None, datetime(2025, 1, 2, 3, 4, 5), datetime(1, 1, 1), None]
    stamps += [datetime(9999, 12, 31, 23, 59, 59), datetime(2000, 1, 1), None]
    whole = pa.array(stamps, pa.timestamp(unit))
    for part in (whole, whole.slice(1), whole.slice(3, 2), whole.slice(0, 1), whole[6:]):
        expected = [] if part.null_count == len(part) else pc.min_max(part).values()
        assert _chunk_bounds(part) == [v.as_py() for v in expected]
