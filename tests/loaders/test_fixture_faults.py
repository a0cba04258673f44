"""Fixture faults (issue 8): damaged input loads correctly or fails clearly, never half.

Each damaged fixture either loads every one of its records (checked by row count and
ARNs) or :func:`ddsql_lite.connect` raises a :class:`LoaderError` naming the file; a
connection is never opened over part of the data. The 100 MB fixture is generated with
:mod:`ddsql_lite.loaders.mapping.synthetic_records` and runs only when
``DDSQL_FUZZ_EXAMPLES`` is set (the large run of ``tests/dialect/test_fuzz.py``).
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ddsql_lite
from ddsql_lite import DDSQLError, LoaderError
from ddsql_lite.loaders.fast.fixture_loader import SMALL_FILE_BYTES
from ddsql_lite.loaders.mapping.fixture_reader import read_fixtures_reference
from ddsql_lite.loaders.mapping.synthetic_records import synthetic
from ddsql_lite.registry import load_registry
from tests.support.hostile import (
    CASES,
    HOSTILE_NESTING,
    HOSTILE_NUMBERS,
    HOSTILE_STRINGS,
    HOSTILE_TIMESTAMPS,
    to_text,
)

T = "aws.sagemaker_inference_experiment"
Record = dict[str, Any]


def records(n: int = 20, *, big: bool = False) -> list[Record]:
    """``n`` synthetic records; with ``big``, the first has a description longer than
    the loader's small-file threshold."""
    data = copy.deepcopy(synthetic(n, seed=8))
    if big:
        data[0]["experiment"]["Description"] = "d" * (SMALL_FILE_BYTES + 1)
    return data


@pytest.fixture(params=[False, True], ids=["pure", "fast"])
def big(request: pytest.FixtureRequest) -> bool:
    """Whether a damaged file is past the loader's small-file threshold
    (``SMALL_FILE_BYTES``), so that it takes the fast DuckDB path instead of the
    pure mapping."""
    value: bool = request.param
    return value


def load_or_fail(path: Path, expected: list[Record]) -> str:
    """Connect over ``path``: "loaded" when every expected record is there, "refused"
    when a LoaderError names the file; anything else fails the test."""
    try:
        con = ddsql_lite.connect(fixtures=path)
    except LoaderError as exc:
        assert path.name in str(exc) or any(p.name in str(exc) for p in path.glob("*"))
        return "refused"
    with con:
        arns = {r[0] for r in con.sql(f"SELECT arn FROM {T}").fetchall()}
        texts = con.sql(f"SELECT {', '.join(JSON_COLUMNS)} FROM {T}").fetchall()
    assert arns == {r["experiment"]["Arn"] for r in expected}, "a partial or wrong table"
    for text in (t for row in texts for t in row if t is not None):
        json.loads(text, parse_constant=_not_json)  # what is stored is valid JSON
    return "loaded"


JSON_COLUMNS = (
    "schedule",
    "endpoint_metadata",
    "model_variants",
    "data_storage_config",
    "shadow_mode_config",
)


def _not_json(constant: str) -> Any:
    raise AssertionError(f"{constant} stored in a JSON column")


def truncate(text: str) -> str:
    return text[: len(text) // 2]


def test_truncated_json_file(tmp_path: Path, big: bool) -> None:
    path = tmp_path / "cut.json"
    path.write_text(truncate(json.dumps(records(big=big))))
    assert load_or_fail(path, []) == "refused"


def test_truncated_jsonl_file(tmp_path: Path, big: bool) -> None:
    path = tmp_path / "cut.jsonl"
    lines = [json.dumps(r) for r in records(big=big)]
    path.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:40])
    assert load_or_fail(path, []) == "refused"


def test_directory_with_one_bad_file_loads_nothing(tmp_path: Path, big: bool) -> None:
    good, bad = records(big=big)[:10], records(big=big)[10:]
    (tmp_path / "a.json").write_text(json.dumps(good))
    (tmp_path / "b.json").write_text(truncate(json.dumps(bad)))
    with pytest.raises(LoaderError, match=r"b\.json"):
        ddsql_lite.connect(fixtures=tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "null",
        "42",
        '"text"',
        '{"records": 3}',
        '{"records": [3]}',
        "[[]]",
        "\ufeff[]",
        "[{}]",
        "[" * 10_000,
        '{"a": ' * 10_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_malformed_documents(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text)
    try:
        load_or_fail(path, [])
    except AssertionError:
        raise
    except DDSQLError:
        pytest.fail("a DDSQLError other than LoaderError")


def test_invalid_utf8(tmp_path: Path, big: bool) -> None:
    path = tmp_path / "bytes.json"
    path.write_bytes(json.dumps(records(big=big)).encode()[:-30] + b"\xff\xfe\x00" + b"]")
    assert load_or_fail(path, []) == "refused"


def _set(path: tuple[str, ...], value: Any) -> Callable[[Record], None]:
    def mutate(record: Record) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(*path: str) -> Callable[[Record], None]:
    def mutate(record: Record) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"Level": value}
    return value


WRONG_TYPES: dict[str, Callable[[Record], None]] = {
    "schedule nested 50 deep": _set(("experiment", "Schedule"), _nested(50)),
    "schedule nested 900 deep": _set(("experiment", "Schedule"), _nested(900)),
    "name is a number": _set(("experiment", "Name"), 42),
    "name is a list": _set(("experiment", "Name"), ["a"]),
    "arn is null": _set(("experiment", "Arn"), None),
    "arn missing": _drop("experiment", "Arn"),
    "status missing": _drop("experiment", "Status"),
    "creation time is text": _set(("experiment", "CreationTime"), "yesterday"),
    "creation time is a dict": _set(("experiment", "CreationTime"), {"t": 1}),
    "creation time is huge": _set(("experiment", "CreationTime"), 10**20),
    "creation time is NaN": _set(("experiment", "CreationTime"), float("nan")),
    "creation time is a bool": _set(("experiment", "CreationTime"), True),
    "experiment is a list": _set(("experiment",), []),
    "tags is a dict": _set(("tags",), {"Key": "a"}),
    "tag without value": _set(("tags",), [{"Key": "a"}]),
    "tag value is a number": _set(("tags",), [{"Key": "a", "Value": 3}]),
    "tag key is null": _set(("tags",), [{"Key": None, "Value": "x"}]),
    "account is a number": _set(("account_id",), 123456789012),
    "region missing": _drop("region"),
    "model variants is text": _set(("experiment", "ModelVariants"), "oops"),
    "schedule is a number": _set(("experiment", "Schedule"), 7),
    "description is huge": _set(("experiment", "Description"), "x" * 1_000_000),
    "description has NUL": _set(("experiment", "Description"), "a\x00b"),
    # issue 13: values no column can hold (tests/support/hostile.py has the whole catalogue)
    "creation time 0001 +01:00": _set(("experiment", "CreationTime"), "0001-01-01T00:00:00+01:00"),
    "creation time 9999 -01:00": _set(("experiment", "CreationTime"), "9999-12-31T23:59:59-01:00"),
    "schedule start 0001 +01:00": _set(
        ("experiment", "Schedule"), {"StartTime": "0001-01-01T00:00:00+01:00"}
    ),
    "creation time past epoch end": _set(("experiment", "CreationTime"), 253402300800),
    "name has a lone surrogate": _set(("experiment", "Name"), "x\ud800"),
    "region has a lone surrogate": _set(("region",), "\udfff"),
    "tag key has a lone surrogate": _set(("tags",), [{"Key": "\ud800", "Value": "v"}]),
    "schedule has NaN": _set(("experiment", "Schedule"), {"Extra": float("nan")}),
    "schedule has Infinity": _set(("experiment", "Schedule"), {"Extra": [float("inf")]}),
    "schedule nested 1000 deep": _set(
        ("experiment", "Schedule"), {"Extra": "\x00deep:dict:1000\x00"}
    ),
}


# The fast path is slower to set up: a sample of the faults goes through it too.
VECTORIZED_FAULTS = [
    "arn missing",
    "creation time is NaN",
    "creation time is text",
    "name is a number",
    "schedule nested 900 deep",
    "tag value is a number",
    "creation time 9999 -01:00",
    "schedule start 0001 +01:00",
    "name has a lone surrogate",
    "schedule has NaN",
    "schedule nested 1000 deep",
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fault", "big"),
    [(f, False) for f in sorted(WRONG_TYPES)] + [(f, True) for f in VECTORIZED_FAULTS],
)
def test_wrong_types_load_correctly_or_fail_clearly(tmp_path: Path, fault: str, big: bool) -> None:
    data = records(big=big)
    WRONG_TYPES[fault](data[3])
    path = tmp_path / "typed.json"
    path.write_text(to_text(data))
    assert load_or_fail(path, data) in ("loaded", "refused")


HOSTILE_ON_BOTH_PATHS = [
    "creation 0001 +01:00",
    "creation 9999 -01:00",
    "creation epoch 1e400",
    "schedule start 0001 +01:00",
    "schedule end epoch past the end",
    "name",
    "account_id",
    "tag value",
    "JSON unknown member key",
    "NaN in an unknown member",
    "-Infinity",
    "1e400",
    "JSON member 101 levels",
    "JSON member 5,000 levels",
    "ignored member 1,000 levels",
    "NaN in an ignored member",
    "creation 0001 Z",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", HOSTILE_ON_BOTH_PATHS)
def test_hostile_values_through_connect(tmp_path: Path, name: str, big: bool) -> None:
    """connect() on a small file (the pure mapping) and on one past the threshold (the
    fast path): the table, or one LoaderError naming the file, the record and the
    field, the same on both paths; never a traceback, never part of the data."""
    case = CASES[name]
    data = records(big=big)
    data[3] = case.apply(data[3])
    path = tmp_path / "hostile.json"
    path.write_text(to_text(data))
    end = case.message_end(3)
    if end is None:
        assert load_or_fail(path, data) == "loaded"
        return
    with pytest.raises(LoaderError) as info:
        ddsql_lite.connect(fixtures=path)
    assert str(info.value) == f"{path}: {end}"
    str(info.value).encode("utf-8")  # printable: no lone surrogate in the message


TABLE = load_registry().get(T)
# where a hostile value goes: a path into a synthetic record (ints index lists)
PLACES: list[tuple[Any, ...]] = [
    ("account_id",),
    ("region",),
    ("experiment", "Name"),
    ("experiment", "Status"),
    ("experiment", "Description"),
    ("experiment", "CreationTime"),
    ("experiment", "LastModifiedTime"),
    ("experiment", "Schedule", "StartTime"),
    ("experiment", "Schedule", "Extra"),
    ("experiment", "ModelVariants", 0, "VariantName"),
    ("experiment", "ModelVariants", 0, "Extra"),
    ("experiment", "EndpointMetadata", "EndpointName"),
    ("experiment", "ShadowModeConfig", "ShadowModelVariants", 0, "SamplingPercentage"),
    ("experiment", "NotAColumn"),
    ("tags", 0, "Key"),
    ("tags", 0, "Value"),
    ("elsewhere",),
]
HOSTILE = st.sampled_from(
    [*HOSTILE_STRINGS, *HOSTILE_NUMBERS, *HOSTILE_TIMESTAMPS, *HOSTILE_NESTING]
)


def place(record: Record, path: tuple[Any, ...], value: Any) -> None:
    """Set ``value`` at ``path`` of ``record``, making the containers on the way."""
    target: Any = record
    for key, after in itertools.pairwise(path):
        empty: Any = [{}] if isinstance(after, int) else {}
        if isinstance(key, int):
            while len(target) <= key:
                target.append({})
            if not isinstance(target[key], (dict, list)):
                target[key] = empty
        elif not isinstance(target.get(key), (dict, list)) or (
            isinstance(after, int) and not target[key]
        ):
            target[key] = empty
        target = target[key]
    target[path[-1]] = value


@pytest.mark.slow
@settings(
    max_examples=max(20, int(os.environ.get("DDSQL_FUZZ_EXAMPLES", "0")) // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    damage=st.lists(
        st.tuples(st.integers(0, 11), st.sampled_from(PLACES), HOSTILE), min_size=1, max_size=3
    ),
    big=st.booleans(),
    jsonl=st.booleans(),
)
def test_hostile_values_anywhere_load_or_fail_clearly(
    tmp_path_factory: pytest.TempPathFactory,
    damage: list[tuple[int, tuple[Any, ...], Any]],
    big: bool,
    jsonl: bool,
) -> None:
    """The fixture fuzzer: hostile values (tests/support/hostile.py) at random places of random
    records. connect() loads every record or raises one LoaderError naming the file
    and a record (with the field), the reference load gives the same answer, and the
    message is printable."""
    data = records(12, big=big)
    for index, path, value in damage:
        place(data[index], path, value)
    file = tmp_path_factory.mktemp("fuzz") / ("f.jsonl" if jsonl else "f.json")
    text = "".join(to_text(r) + "\n" for r in data) if jsonl else to_text(data)
    file.write_text(text)
    try:
        reference: tuple[str, Any] = ("table", read_fixtures_reference(file, TABLE).num_rows)
    except LoaderError as exc:
        reference = ("error", str(exc))
    try:
        con = ddsql_lite.connect(fixtures=file)
    except LoaderError as exc:
        message = str(exc)
        message.encode("utf-8")
        assert message.startswith(f"{file}: record ") and ": field " in message, message
        assert reference == ("error", message)
        return
    with con:
        assert con.sql(f"SELECT count(*) FROM {T}").fetchall() == [(len(data),)]
    assert reference == ("table", len(data))


def test_duplicate_arns_in_one_file(tmp_path: Path, big: bool) -> None:
    data = records(big=big)
    data.append(copy.deepcopy(data[1]))
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(data))
    with pytest.raises(LoaderError) as info:
        ddsql_lite.connect(fixtures=path)
    assert data[1]["experiment"]["Arn"] in str(info.value) or "dup.json" in str(info.value)


def test_duplicate_arns_across_files(tmp_path: Path, big: bool) -> None:
    data = records(big=big)
    (tmp_path / "a.json").write_text(json.dumps(data[: 10 + 1]))
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r) for r in data[10:]))
    with pytest.raises(LoaderError, match=r"b\.jsonl|a\.json"):
        ddsql_lite.connect(fixtures=tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DDSQL_FUZZ_EXAMPLES"),
    reason="the 100 MB fixture runs with the large fuzz run (DDSQL_FUZZ_EXAMPLES=...)",
)
def test_a_100_mb_fixture_loads_completely(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    count = 0
    with path.open("w") as out:
        while out.tell() < 100 * 1024 * 1024:
            batch = synthetic(count + 5_000, seed=11)[count:]
            out.write("".join(json.dumps(r) + "\n" for r in batch))
            count += len(batch)
    started = time.monotonic()
    with ddsql_lite.connect(fixtures=path) as con:
        seconds = time.monotonic() - started
        assert con.sql(f"SELECT count(*), count(DISTINCT arn) FROM {T}").fetchall() == [
            (count, count)
        ]
    print(f"\n100 MB fixture: {count} records loaded in {seconds:.1f} s")
    with path.open("r+") as damaged:  # cut the last record in half: nothing loads
        damaged.truncate(path.stat().st_size - 500)
    with pytest.raises(LoaderError, match=r"big\.jsonl: line"):
        ddsql_lite.connect(fixtures=path)
