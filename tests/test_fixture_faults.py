"""Fixture faults (issue 8): damaged input loads correctly or fails clearly, never half.

Each damaged fixture either loads every one of its records (checked by row count and
ARNs) or :func:`ddsql_lite.connect` raises a :class:`LoaderError` naming the file; a
connection is never opened over part of the data. The 100 MB fixture is generated with
:mod:`ddsql_lite.loaders.synthetic_records` and runs only when ``DDSQL_FUZZ_EXAMPLES`` is set
(the large run of ``tests/test_fuzz.py``).
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite import DDSQLError, LoaderError
from ddsql_lite.loaders.fixtures import SMALL_FILE_BYTES
from ddsql_lite.loaders.synthetic_records import synthetic

T = "aws.sagemaker_inference_experiment"
Record = dict[str, Any]


def records(n: int = 20, *, big: bool = False) -> list[Record]:
    """``n`` synthetic records; with ``big``, the first has a description longer than
    the loader's small-file threshold."""
    data = copy.deepcopy(synthetic(n, seed=8))
    if big:
        data[0]["experiment"]["Description"] = "d" * (SMALL_FILE_BYTES + 1)
    return data


@pytest.fixture(params=[False, True], ids=["pure", "vectorized"])
def big(request: pytest.FixtureRequest) -> bool:
    """Whether a damaged file is past the loader's small-file threshold
    (``SMALL_FILE_BYTES``), so that it takes the vectorized DuckDB path instead of the
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
    assert arns == {r["experiment"]["Arn"] for r in expected}, "a partial or wrong table"
    return "loaded"


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
}


# The vectorized path is slower to set up: a sample of the faults goes through it too.
VECTORIZED_FAULTS = [
    "arn missing",
    "creation time is NaN",
    "creation time is text",
    "name is a number",
    "schedule nested 900 deep",
    "tag value is a number",
]


@pytest.mark.parametrize(
    ("fault", "big"),
    [(f, False) for f in sorted(WRONG_TYPES)] + [(f, True) for f in VECTORIZED_FAULTS],
)
def test_wrong_types_load_correctly_or_fail_clearly(tmp_path: Path, fault: str, big: bool) -> None:
    data = records(big=big)
    WRONG_TYPES[fault](data[3])
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(data))
    assert load_or_fail(path, data) in ("loaded", "refused")


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
