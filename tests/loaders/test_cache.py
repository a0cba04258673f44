"""The Parquet cache of live loads (issue 13, class 5): a bad cache location is a usage
error before anything loads; a damaged or suspicious snapshot is ignored, reported, and
replaced by a live load; nothing in a snapshot file can make a load raise."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ddsql_lite
from ddsql_lite import LoaderError, UnsupportedError
from ddsql_lite.cli import main
from ddsql_lite.durations import parse_duration
from ddsql_lite.loaders import LoadEntry, LoadReport, synthetic
from ddsql_lite.loaders.live import cache as cache_module
from ddsql_lite.loaders.live.cache import (
    find_snapshot,
    read_snapshot,
    snapshot_key,
    write_snapshot,
)
from ddsql_lite.loaders.mapping.to_arrow import records_to_table
from ddsql_lite.loaders.mapping.to_row import record_to_row
from ddsql_lite.options import writable_directory
from tests.support.aws_helpers import (
    ACCOUNT_A,
    REGIONS,
    TABLE,
    StartFake,
    pick,
    sagemaker_calls,
)

T = "aws.sagemaker_inference_experiment"
IDENTITY = {"regions": ["us-east-1"], "profiles": None}


def healthy_records() -> list[dict[str, Any]]:
    """Synthetic records and the corners a snapshot must keep: fractions, offsets,
    years 1 and 9999, text outside ASCII, repeated tag keys, absent members."""
    records: list[dict[str, Any]] = synthetic(30, seed=21)
    e = [r["experiment"] for r in records]
    e[0]["CreationTime"] = "0001-01-01T00:00:00Z"
    e[1]["Schedule"] = {"StartTime": "9999-12-31T22:59:59.5-01:00", "EndTime": 1.25}
    e[2]["Description"] = "é😀\u2028\x00"
    e[3].pop("Schedule", None)
    records[4]["tags"] = [{"Key": "z"}, {"Key": "é", "Value": "2"}, {"Key": "é", "Value": "1"}]
    return records


def snapshot(directory: Path, *, loaded_at: datetime | None = None) -> tuple[pa.Table, Path]:
    """Write a healthy snapshot for IDENTITY; its table and the metadata file."""
    records = healthy_records()
    data = records_to_table([record_to_row(r, TABLE) for r in records], TABLE)
    report = LoadReport(
        "aws",
        (LoadEntry(ACCOUNT_A, "us-east-1", rows=len(records), api_calls=3, seconds=0.5),),
        seconds=1.5,
        loaded_at=loaded_at or datetime.now(timezone.utc) - timedelta(minutes=5),
    )
    data_path = write_snapshot(directory, TABLE, IDENTITY, data, report)
    return data, data_path.with_suffix(".json")


def ignored(directory: Path) -> str:
    """Why the snapshot for IDENTITY is ignored (fails the test when it is used or
    when there is nothing to say)."""
    found, why = find_snapshot(directory, TABLE, IDENTITY, 3600)
    assert found is None and why is not None
    assert read_snapshot(directory, TABLE, IDENTITY, 3600) is None
    assert why.startswith(f"ignored the cached snapshot {directory}")
    return why


def test_a_healthy_snapshot_is_used_as_written(tmp_path: Path) -> None:
    data, _ = snapshot(tmp_path)
    found, why = find_snapshot(tmp_path, TABLE, IDENTITY, 3600)
    assert why is None and found is not None
    table, report = found
    assert table.equals(data) and report.from_cache and report.rows == data.num_rows
    assert find_snapshot(tmp_path, TABLE, IDENTITY, 60) == (None, None)  # only too old
    assert find_snapshot(tmp_path / "none", TABLE, IDENTITY, 3600) == (None, None)


# ----------------------------------------------------------------- a load time in the future


def test_a_snapshot_from_the_future_is_ignored(tmp_path: Path) -> None:
    snapshot(tmp_path, loaded_at=datetime.now(timezone.utc) + timedelta(days=400))
    assert "is in the future" in ignored(tmp_path)
    # the clock at the reading moment decides, not the stored age
    later = datetime.now(timezone.utc) + timedelta(days=400, minutes=1)
    found, why = find_snapshot(tmp_path, TABLE, IDENTITY, 3600, now=later)
    assert found is not None and why is None


def test_a_future_snapshot_is_reloaded_live_and_reported(
    start_fake: StartFake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 3))
    cache = tmp_path / "cache"
    argv = ["-c", f"SELECT count(*) AS n FROM {T}", "--format", "csv", "--source", "aws"]
    argv += ["--endpoint-url", fake.url, "--region", REGIONS[0], "--cache", str(cache)]
    assert main(argv) == 0
    [meta] = cache.glob("*.json")
    doc = json.loads(meta.read_text())
    doc["report"]["loaded_at"] = "2999-01-01T00:00:00+00:00"
    meta.write_text(json.dumps(doc))
    calls = sagemaker_calls(fake)
    capsys.readouterr()
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert out == "n\n3\n" and sagemaker_calls(fake) > calls  # loaded live
    head, note = err.splitlines()[:2]
    assert head.startswith("loaded 3 rows")
    assert note.startswith("  ignored the cached snapshot ") and note.endswith(
        "its load time, 2999-01-01 00:00:00 UTC, is in the future"
    )
    calls = sagemaker_calls(fake)
    assert main(argv) == 0  # the snapshot was replaced: now it is used
    assert sagemaker_calls(fake) == calls
    assert capsys.readouterr().err.startswith("using the cached snapshot ")


# ----------------------------------------------------------------- the metadata file

Edit = Callable[[dict[str, Any]], Any]


def _set(path: str, value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        del target[last]

    return edit


DAMAGED_META: dict[str, tuple[Edit | str | bytes, str]] = {
    "rows Infinity": (_set("rows", "@Infinity"), "holds Infinity, which is not JSON"),
    "rows NaN": (_set("rows", "@NaN"), "holds NaN, which is not JSON"),
    "rows 1e400": (_set("rows", "@1e400"), "holds 1e400, which is not JSON"),
    "rows as text": (_set("rows", "30"), "its rows is not a count: '30'"),
    "rows true": (_set("rows", True), "its rows is not a count: True"),
    "rows negative": (_set("rows", -1), "its rows is not a count"),
    "rows too many": (_set("rows", 31), "its metadata counts 31 rows, its report 30"),
    "rows missing": (_drop("rows"), "its rows is not a count: None"),
    "entry rows Infinity": (_set("report.entries.0.rows", "@Infinity"), "Infinity"),
    "entry rows float": (_set("report.entries.0.rows", 30.0), "rows is not a count"),
    "entry seconds negative": (_set("report.entries.0.seconds", -1), "not a number of seconds"),
    "entry error a number": (_set("report.entries.0.error", 5), "error is int"),
    "entry missing a list of numbers": (_set("report.entries.0.missing", [1]), "missing[] is int"),
    "entry listing_complete text": (
        _set("report.entries.0.listing_complete", "yes"),
        "listing_complete is str",
    ),
    "entry unknown member": (_set("report.entries.0.extra", 1), "unknown member 'extra'"),
    "entry account missing": (_drop("report.entries.0.account_id"), "account_id is NoneType"),
    "entries an object": (_set("report.entries", {}), "report.entries is dict"),
    "report a list": (_set("report", []), "its report is list, expected dict"),
    "report missing": (_drop("report"), "its report is NoneType"),
    "report of fixtures": (_set("report.source", "fixtures"), "not of a live load"),
    "report seconds NaN": (_set("report.seconds", "@NaN"), "holds NaN"),
    "load time a number": (_set("report.loaded_at", 5), "loaded_at is int"),
    "load time text": (_set("report.loaded_at", "yesterday"), "load time is not a timestamp"),
    "load time out of range": (
        _set("report.loaded_at", "0001-01-01T00:00:00+01:00"),
        "load time is not a timestamp",
    ),
    "another identity": (_set("identity", {"regions": ["eu-west-1"]}), "another load"),
    "unknown member": (_set("note", "x"), "unknown member 'note'"),
    "a repeated key": ("@repeat", "repeats a key"),
    "nested 100,000 deep": ('{"report": ' + "[" * 100_000 + "]" * 100_000 + "}", "too deeply"),
    "nested 500 deep": ('{"report": ' + "[" * 500 + "]" * 500 + "}", "another load"),
    "not an object": ("[]", "its metadata is list, expected dict"),
    "null": ("null", "its metadata is NoneType"),
    "empty": ("", "is not JSON: Expecting value"),
    "cut short": ("@cut", "is not JSON"),
    "not UTF-8": (b'{"rows": "\xff"}', "cannot read its metadata file"),
    "a huge integer": ('{"rows": ' + "9" * 5000 + "}", "is not JSON: Exceeds the limit"),
}


@pytest.mark.parametrize("name", list(DAMAGED_META))
def test_a_damaged_metadata_file_is_ignored(tmp_path: Path, name: str) -> None:
    edit, reason = DAMAGED_META[name]
    _, meta = snapshot(tmp_path)
    if isinstance(edit, bytes):
        meta.write_bytes(edit)
    elif edit == "@repeat":
        meta.write_text(meta.read_text().replace('"rows": 30', '"rows": 30, "rows": 30'))
    elif edit == "@cut":
        meta.write_text(meta.read_text()[:-10])
    elif isinstance(edit, str):
        meta.write_text(edit)
    else:
        doc = json.loads(meta.read_text())
        edit(doc)
        text = json.dumps(doc)
        for constant in ("Infinity", "NaN", "1e400"):
            text = text.replace(f'"@{constant}"', constant)
        meta.write_text(text)
    why = ignored(tmp_path)
    assert reason in why, why


def test_one_file_of_a_snapshot_missing(tmp_path: Path) -> None:
    _, meta = snapshot(tmp_path)
    meta.with_suffix(".parquet").unlink()
    assert "cannot read its Parquet file" in ignored(tmp_path)
    snapshot(tmp_path)
    meta.unlink()
    assert "cannot read its metadata file" in ignored(tmp_path)


# ----------------------------------------------------------------- the Parquet file


def _column(name: str, values: Callable[[list[Any]], list[Any]]) -> Callable[[pa.Table], pa.Table]:
    def change(data: pa.Table) -> pa.Table:
        index = data.schema.get_field_index(name)
        field = data.schema.field(name)
        column = pa.array(values(data.column(name).to_pylist()), field.type)
        return data.set_column(index, field, column)

    return change


def _first(value: Any) -> Callable[[list[Any]], list[Any]]:
    return lambda values: [value, *values[1:]]


DAMAGED_DATA: dict[str, tuple[Callable[[pa.Table], pa.Table], str]] = {
    "JSON not JSON": (_column("schedule", _first("{oops")), "not the loader's JSON"),
    "JSON repeated key": (
        _column("schedule", _first('{"start_time": "2025-01-01T00:00:00Z", "start_time": 1}')),
        "not the loader's JSON",
    ),
    "JSON NaN": (_column("model_variants", _first('[{"weight": NaN}]')), "not the loader's JSON"),
    "JSON Infinity": (_column("endpoint_metadata", _first('{"n": Infinity}')), "loader's JSON"),
    "JSON 1e400": (_column("data_storage_config", _first('{"n": 1e400}')), "loader's JSON"),
    "JSON -Infinity": (_column("shadow_mode_config", _first('{"n": -Infinity}')), "JSON"),
    "JSON trailing comma": (_column("schedule", _first('{"a": 1,}')), "not the loader's JSON"),
    "JSON another layout": (_column("schedule", _first('{"a": 1}')), "not the loader's JSON"),
    "JSON escaped surrogate": (_column("schedule", _first('{"a": "\\ud800"}')), "loader's JSON"),
    "JSON nested 100,000 deep": (
        _column("model_variants", _first("[" * 100_000 + "]" * 100_000)),
        "not the loader's JSON",
    ),
    "JSON timestamp out of range": (
        _column("schedule", _first('{"start_time":"0001-01-01T00:00:00+01:00"}')),
        "a timestamp that is not ISO-8601 UTC text in range",
    ),
    "JSON timestamp not UTC text": (
        _column("schedule", _first('{"end_time":"2025-01-01T01:00:00+01:00"}')),
        "a timestamp that is not ISO-8601 UTC text in range",
    ),
    "JSON timestamp a number": (
        _column("schedule", _first('{"end_time":1735689600}')),
        "a timestamp that is not ISO-8601 UTC text in range: 1735689600",
    ),
    "JSON schedule an array": (
        _column("schedule", _first('[{"start_time":1}]')),
        "a list where an object or array was",
    ),
    "timestamp past year 9999": (
        lambda data: data.set_column(
            data.schema.get_field_index("creation_time"),
            data.schema.field("creation_time"),
            pa.array([253402300800 * 10**6] * data.num_rows, pa.int64()).cast(pa.timestamp("us")),
        ),
        "its column creation_time has a timestamp out of range",
    ),
    "repeated key column": (_column("_key", lambda v: [v[1], *v[1:]]), "repeated or missing"),
    "missing arn": (_column("arn", _first(None)), "its column arn has a missing value"),
    "tags out of order": (
        _column("tags", _first([("region", ["x"]), ("aws_account", ["y"])])),
        "tags out of order or null",
    ),
    "tags repeated value": (_column("tags", _first([("a", ["1", "1"])])), "out of order or null"),
    "tags null value": (_column("tags", _first([("a", [None])])), "out of order or null"),
    "an extra column": (
        lambda data: data.append_column("extra", pa.array([1] * data.num_rows)),
        "its columns are not the table's",
    ),
    "a column of another type": (
        lambda data: data.set_column(
            data.schema.get_field_index("name"), "name", data.column("name").cast(pa.large_string())
        ),
        "its columns are not the table's",
    ),
    "a row less": (lambda data: data.slice(1), "it holds 29 rows, its report counts 30"),
}


@pytest.mark.parametrize("name", list(DAMAGED_DATA))
def test_damaged_data_is_ignored(tmp_path: Path, name: str) -> None:
    change, reason = DAMAGED_DATA[name]
    data, meta = snapshot(tmp_path)
    damaged = change(data)
    pq.write_table(damaged, meta.with_suffix(".parquet"))  # the metadata stays as it was
    why = ignored(tmp_path)
    assert reason in why, why


def test_a_timestamp_before_year_one_is_out_of_range(tmp_path: Path) -> None:
    data, meta = snapshot(tmp_path)
    early = pa.array([-62135596801 * 10**6] * data.num_rows, pa.int64()).cast(pa.timestamp("us"))
    index = data.schema.get_field_index("last_modified_time")
    damaged = data.set_column(index, data.schema.field(index), early)
    pq.write_table(damaged, meta.with_suffix(".parquet"))
    assert "last_modified_time has a timestamp out of range" in ignored(tmp_path)


@pytest.mark.parametrize(
    "content",
    [b"", b"PAR1", b"not parquet at all", b"PAR1" + b"\x00" * 64 + b"PAR1"],
    ids=["empty", "magic only", "text", "zeros"],
)
def test_a_damaged_parquet_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    _, meta = snapshot(tmp_path)
    meta.with_suffix(".parquet").write_bytes(content)
    assert "cannot read its Parquet file" in ignored(tmp_path)


def test_a_truncated_parquet_file_is_ignored(tmp_path: Path) -> None:
    _, meta = snapshot(tmp_path)
    parquet = meta.with_suffix(".parquet")
    whole = parquet.read_bytes()
    for cut in (len(whole) // 3, len(whole) - 9):
        parquet.write_bytes(whole[:cut])
        assert "cannot read its Parquet file" in ignored(tmp_path)


def test_a_damaged_snapshot_is_reported_and_replaced(start_fake: StartFake, tmp_path: Path) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 3))
    options: dict[str, Any] = {
        "source": "aws",
        "regions": [REGIONS[0]],
        "endpoint_url": fake.url,
        "max_workers": 4,
        "cache": tmp_path,
    }
    ddsql_lite.connect(**options)
    [meta] = tmp_path.glob("*.json")
    meta.write_text(meta.read_text().replace('"rows": 3', '"rows": Infinity', 1))
    con = ddsql_lite.connect(**options)
    report = con.load_report()
    assert not report.from_cache and report.rows == 3
    assert report.cache_note is not None and "holds Infinity" in report.cache_note
    assert report.summary().splitlines()[1] == f"  {report.cache_note}"
    again = ddsql_lite.connect(**options).load_report()
    assert again.from_cache and again.cache_note is None


# ----------------------------------------------------------------- the cache location


def bad_locations(tmp_path: Path) -> dict[str, tuple[Any, str]]:
    regular = tmp_path / "a-file"
    regular.write_text("not a directory")
    return {
        "a regular file": (regular, "not a directory"),
        "under a regular file": (regular / "cache", "cannot keep snapshots there"),
        "under /dev/null": (Path("/dev/null/cache"), "cannot keep snapshots there"),
        "an empty name": ("", "expected a directory name"),
        "not a name": (42, "expected a directory name, got 42"),
        "an unknown user's home": ("~no-such-user-ddsql/cache", "cannot keep snapshots there"),
        "a NUL in the name": (str(tmp_path / "a\x00b"), "cannot keep snapshots there"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "a regular file",
        "under a regular file",
        "under /dev/null",
        "an empty name",
        "not a name",
        "an unknown user's home",
        "a NUL in the name",
    ],
)
def test_a_bad_cache_location_fails_before_anything_is_loaded(
    start_fake: StartFake, tmp_path: Path, name: str
) -> None:
    location, reason = bad_locations(tmp_path)[name]
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 2))
    with pytest.raises(UnsupportedError, match=reason):
        ddsql_lite.connect(
            source="aws", regions=[REGIONS[0]], endpoint_url=fake.url, cache=location
        )
    assert sum(fake.served.values()) == 0  # nothing was asked of the (fake) AWS


def test_an_unwritable_cache_fails_before_anything_is_loaded(
    start_fake: StartFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 2))
    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # as in a read-only directory
    with pytest.raises(UnsupportedError, match="cannot keep snapshots there: Permission denied"):
        ddsql_lite.connect(
            source="aws", regions=[REGIONS[0]], endpoint_url=fake.url, cache=tmp_path
        )
    assert sum(fake.served.values()) == 0


@pytest.mark.parametrize("name", ["a regular file", "under a regular file", "under /dev/null"])
def test_cli_bad_cache_location_is_a_usage_error(
    start_fake: StartFake, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    location, reason = bad_locations(tmp_path)[name]
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 2))
    argv = ["-c", f"SELECT count(*) FROM {T}", "--source", "aws", "--endpoint-url", fake.url]
    try:
        code = main([*argv, "--region", REGIONS[0], "--cache", str(location)])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and reason in err and "Traceback" not in err
    assert sum(fake.served.values()) == 0


def test_the_cache_location_is_created_when_missing(tmp_path: Path) -> None:
    assert writable_directory(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir() and not list((tmp_path / "a" / "b").iterdir())


def test_a_snapshot_that_cannot_be_written_keeps_the_load(
    start_fake: StartFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any, **kwargs: Any) -> Any:
        raise LoaderError(f"{tmp_path}: cannot write the cache: No space left on device")

    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 3))
    monkeypatch.setattr(cache_module, "write_snapshot", full)
    con = ddsql_lite.connect(
        source="aws", regions=[REGIONS[0]], endpoint_url=fake.url, cache=tmp_path
    )
    report = con.load_report()
    assert con.sql(f"SELECT count(*) FROM {T}").fetchall() == [(3,)]
    assert report.cache_note == (
        f"not kept in the cache: {tmp_path}: cannot write the cache: No space left on device"
    )
    assert report.summary().splitlines()[1] == f"  {report.cache_note}"


def test_write_snapshot_failures_are_loader_errors(tmp_path: Path) -> None:
    data, _ = snapshot(tmp_path)
    report = LoadReport("aws", (LoadEntry(ACCOUNT_A, "us-east-1", rows=data.num_rows),))
    regular = tmp_path / "file"
    regular.write_text("x")
    with pytest.raises(LoaderError, match="cannot write the cache"):
        write_snapshot(regular, TABLE, IDENTITY, data, report)


def test_snapshot_names_do_not_depend_on_the_order_of_identity() -> None:
    shuffled = dict(reversed(list(IDENTITY.items())))
    assert snapshot_key(TABLE, IDENTITY) == snapshot_key(TABLE, shuffled)


@pytest.mark.parametrize("value", [float("nan"), "nan"])
def test_max_age_is_a_number(value: Any) -> None:
    with pytest.raises(UnsupportedError, match="not a duration"):
        parse_duration(value)
