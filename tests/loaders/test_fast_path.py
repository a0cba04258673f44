"""The vectorised fixture loader gives exactly the reference (pure mapping) result.

``read_fixtures`` (DuckDB parses, generated SQL maps) must build the same Arrow table as
``read_fixtures_reference`` (``json`` + ``rows.record_to_row`` per record) for every
valid input, byte for byte, and raise the same LoaderError for every invalid one. The
bundled sample, synthetic records and hypothesis-generated records are compared here.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddsql_lite import LoaderError
from ddsql_lite.loaders import sample_path, synthetic
from ddsql_lite.loaders.fast import file_reader
from ddsql_lite.loaders.fast.file_reader import (
    loader_connection,
    pairs_to_map,
    plan_for,
    read_file,
)
from ddsql_lite.loaders.fast.fixture_loader import read_fixtures
from ddsql_lite.loaders.fast.sql_json import iso_text_sql, json_timestamp_sql
from ddsql_lite.loaders.mapping.api_shapes import ListShape, Shape, StructureShape, output_shape
from ddsql_lite.loaders.mapping.fixture_reader import read_fixtures_reference
from ddsql_lite.loaders.mapping.values import api_timestamp, iso_utc
from ddsql_lite.registry import load_registry
from tests.support.hostile import (
    CASES,
    HOSTILE_NESTING,
    HOSTILE_NUMBERS,
    HOSTILE_STRINGS,
    HOSTILE_TIMESTAMPS,
    deep,
    to_text,
)

TABLE = load_registry().get("aws.sagemaker_inference_experiment")
PLAN = plan_for(TABLE)
SHAPE = output_shape("sagemaker", "DescribeInferenceExperiment")


def outcome(load: Callable[[], pa.Table]) -> tuple[str, Any]:
    try:
        return "table", load()
    except LoaderError as exc:
        return "error", str(exc)


def assert_same(path: Path) -> tuple[str, Any]:
    """The fast and the reference load agree on ``path``; returns the outcome."""
    fast = outcome(lambda: read_fixtures(path, TABLE, small_file_bytes=0))
    reference = outcome(lambda: read_fixtures_reference(path, TABLE))
    assert fast[0] == reference[0], (fast, reference)
    if fast[0] == "table":
        assert fast[1].schema == reference[1].schema
        for name in reference[1].column_names:
            assert fast[1].column(name).equals(reference[1].column(name)), name
        assert fast[1].equals(reference[1])
    else:
        assert fast[1] == reference[1]
    return fast


def write(path: Path, records: list[Any], layout: str) -> Path:
    """Write ``records`` as ``jsonl``, ``compact`` jsonl, a JSON ``array`` or a
    ``wrapper`` (``{"records": [...]}``), with the sentinels of :mod:`hostile` replaced
    (``1e400``, deep nesting) and lone surrogates escaped."""
    if layout == "jsonl":
        path = path.with_suffix(".jsonl")
        path.write_text("".join(to_text(r, ensure_ascii=False) + "\n" for r in records))
    elif layout == "compact":
        path = path.with_suffix(".jsonl")
        text = "".join(to_text(r, separators=(",", ":")) + "\n" for r in records)
        path.write_text(text)
    elif layout == "array":
        path = path.with_suffix(".json")
        path.write_text(to_text(records, indent=1, ensure_ascii=False))
    else:
        path = path.with_suffix(".json")
        path.write_text(to_text({"records": records}, ensure_ascii=False))
    return path


# ----------------------------------------------------------------- known data


def test_the_generator_covers_the_table() -> None:
    assert PLAN is not None


def test_bundled_sample_is_identical_and_entirely_fast() -> None:
    assert PLAN is not None
    read = read_file(sample_path(), TABLE, PLAN)
    assert read is not None and read.outside == 0
    assert_same(sample_path())


@pytest.fixture(scope="module")
def synthetic_5000(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], pa.Table]:
    """synthetic(5000, seed=11) and the reference table of those records."""
    records = synthetic(5000, seed=11)
    path = write(tmp_path_factory.mktemp("reference") / "synthetic", records, "jsonl")
    return records, read_fixtures_reference(path, TABLE)


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["jsonl", "compact", "array", "wrapper"])
def test_synthetic_records_are_identical_and_fast(
    tmp_path: Path, layout: str, synthetic_5000: tuple[list[Any], pa.Table]
) -> None:
    assert PLAN is not None
    records, reference = synthetic_5000
    read = read_file(write(tmp_path / "synthetic", records, layout), TABLE, PLAN)
    assert read is not None and read.outside == 0
    assert read.table.schema == reference.schema
    assert read.table.equals(reference)


@pytest.mark.slow
def test_synthetic_other_seeds_in_a_directory(tmp_path: Path) -> None:
    records = synthetic(3000, seed=3)
    write(tmp_path / "a", records[:1000], "jsonl")
    write(tmp_path / "b", records[1000:2000], "array")
    write(tmp_path / "c", records[2000:], "wrapper")
    kind, table = assert_same(tmp_path)
    assert kind == "table" and table.num_rows == 3000


@pytest.mark.slow
@pytest.mark.parametrize(("splices", "group_rows"), [(1024, 131072), (0, 131072), (1024, 6)])
def test_records_outside_the_fast_subset_are_mapped_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, splices: int, group_rows: int
) -> None:
    monkeypatch.setattr(file_reader, "_MAX_SPLICES", splices)
    # small groups of small batches: raw texts encoded group by group, then merged;
    # with small groups, every group is a segment of its own
    monkeypatch.setattr(file_reader, "GROUP_ROWS", group_rows)
    if group_rows < 100:
        monkeypatch.setattr(file_reader, "SEGMENT_BYTES", 1)
    monkeypatch.setattr(file_reader, "BATCH_ROWS", min(group_rows, file_reader.BATCH_ROWS) // 2)
    records = synthetic(40, seed=5)
    # each one valid, each one outside the fast subset for a different reason
    records[3]["experiment"]["Schedule"] = {
        "EndTime": "2025-03-01T00:00:00Z",
        "StartTime": "2025-02-01T00:00:00Z",
    }
    records[7]["experiment"]["CreationTime"] = "2025-03-01T12:00:00.1234567+01:00"
    records[9]["experiment"]["EndpointMetadata"]["EndpointName"] = "tab\there\x1fnow"
    records[12]["tags"] = [{"Value": "v", "Key": "k"}, {"Key": 'q"uote'}]
    records[15]["experiment"]["Schedule"] = {"StartTime": None, "EndTime": 1740830400}
    records[20]["experiment"]["ModelVariants"][0]["Extra"] = {"NewMember": [1.5]}
    records[30]["experiment"]["CreationTime"] = "0999-01-01T00:00:00Z"
    records[33]["experiment"].pop("ModelVariants")  # absent members stay in the fast subset
    records[33]["experiment"]["DataStorageConfig"] = records[2]["experiment"]["DataStorageConfig"]
    path = write(tmp_path / "mixed", records, "jsonl")
    assert PLAN is not None
    read = read_file(path, TABLE, PLAN)
    assert read is not None and read.outside == 7
    assert_same(path)


# ----------------------------------------------------------------- errors


@pytest.mark.slow
@pytest.mark.parametrize("segments", ["one", "many"])
def test_errors_name_the_same_record_as_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, segments: str
) -> None:
    if segments == "many":  # a segment of member texts for every 4 rows
        monkeypatch.setattr(file_reader, "GROUP_ROWS", 4)
        monkeypatch.setattr(file_reader, "BATCH_ROWS", 2)
        monkeypatch.setattr(file_reader, "SEGMENT_BYTES", 1)
    records = synthetic(30, seed=2)
    schedule = {"EndTime": "2025-03-01T00:00:00Z", "StartTime": "2025-02-01T00:00:00Z"}
    records[6]["experiment"]["Schedule"] = schedule  # valid, outside the fast subset
    records[17]["experiment"]["ModelVariants"][1]["Status"] = 3
    path = write(tmp_path / "bad", records, "jsonl")
    kind, message = assert_same(path)
    assert kind == "error"
    assert message.endswith(
        "record 17: field experiment.ModelVariants[1].Status: expected string, got int"
    )


def test_a_duplicate_before_a_bad_record_is_reported_first(tmp_path: Path) -> None:
    records = synthetic(20, seed=2)
    write(tmp_path / "a", records[:10], "jsonl")
    later = [*records[10:], records[4]]  # record 10 of b repeats a's record 4
    later.append({**records[0], "account_id": ""})
    write(tmp_path / "b", later, "jsonl")
    kind, message = assert_same(tmp_path)
    assert kind == "error" and "b.jsonl: record 10: duplicate _key" in message
    assert "(first in " in message and "a.jsonl: record 4)" in message


def test_a_duplicate_across_fast_files_is_found(tmp_path: Path) -> None:
    records = synthetic(20, seed=8)
    write(tmp_path / "a", records[:12], "array")
    write(tmp_path / "b", records[11:], "wrapper")
    kind, message = assert_same(tmp_path)
    assert kind == "error" and "b.json: record 0: duplicate _key" in message


@pytest.mark.parametrize(
    "text",
    [
        '{"records": null}',
        '{"rows": []}',
        '{"records": [1]}',
        "[1, 2]",
        '[{"account_id": "1", "region": "r", "experiment": "x"}]',
        "\ufeff[]",
        "",
        "  \n",
        '[{"a": 1},]',
        '{"records": []}',
        "[]",
        '[{"account_id": "1", "region": "r", "experiment": {"Arn": "a", "Arn": "b"}}]',
    ],
)
def test_odd_json_files_agree(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    assert_same(path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n  \n",
        '{"a": 1}\n{oops\n',
        "[1]\n",
        '{"account_id": "1"}\r\n',
        '{"account_id": 1} {"account_id": 2}\n',
        "\u00a0\n",
    ],
)
def test_odd_jsonl_files_agree(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(text, encoding="utf-8")
    assert_same(path)


def test_jsonl_lines_split_on_newline_only(tmp_path: Path) -> None:
    record = synthetic(1, seed=4)[0]
    record["experiment"]["Description"] = "line\u2028separator\u0085next"
    path = tmp_path / "u.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    kind, table = assert_same(path)
    assert kind == "table"
    assert table.column("description").to_pylist() == ["line\u2028separator\u0085next"]


# ----------------------------------------------------------------- tags map


def test_pairs_to_map_groups_sorted_pairs() -> None:
    pair = pa.struct([("k", pa.string()), ("v", pa.string())])
    pairs = pa.array(
        [
            [{"k": "a", "v": "1"}, {"k": "a", "v": "1"}, {"k": "a", "v": "2"}, {"k": "b", "v": ""}],
            None,
            [],
            [{"k": "x", "v": "y"}],
        ],
        pa.list_(pair),
    )
    map_type = pa.map_(pa.string(), pa.list_(pa.string()))
    grouped = pairs_to_map(pairs, map_type)
    assert grouped.type == map_type
    assert grouped.to_pylist() == [[("a", ["1", "2"]), ("b", [""])], None, [], [("x", ["y"])]]
    assert pairs_to_map(pairs.slice(1), map_type).to_pylist() == [None, [], [("x", ["y"])]]


# ----------------------------------------------------------------- timestamps


def sql_timestamps(json_texts: list[str]) -> list[tuple[datetime | None, str | None]]:
    """The fast path's TIMESTAMP and ISO text for each JSON leaf text."""
    con = loader_connection()
    try:
        stamp = json_timestamp_sql("x")
        rows = con.execute(
            f"SELECT {stamp}, {iso_text_sql(stamp)} FROM (SELECT unnest($1::VARCHAR[]) AS x)",
            [json_texts],
        ).fetchall()
        return [(value, text) for value, text in rows]
    finally:
        con.close()


def sql_timestamp(json_text: str) -> tuple[datetime | None, str | None]:
    return sql_timestamps([json_text])[0]


def python_timestamp(value: Any) -> tuple[datetime, str] | None:
    try:
        stamp = api_timestamp(value, "f")
    except (LoaderError, OverflowError):
        return None
    return stamp, iso_utc(stamp)


def assert_timestamps_agree(values: list[Any]) -> None:
    """Where the fast path converts a value (not NULL), it agrees with the pure one."""
    for value, got in zip(values, sql_timestamps([json.dumps(v) for v in values])):
        if got[0] is not None:
            assert got == python_timestamp(value), value


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(min_value=-30e9, max_value=253e9, allow_nan=False),
            st.integers(min_value=-30_000_000_000, max_value=253_000_000_000),
            st.integers(min_value=0, max_value=2**31).map(lambda s: s + 0.5),
            st.integers(min_value=0, max_value=2**31).map(lambda s: s / 8),
        ),
        min_size=20,
        max_size=40,
    )
)
def test_epoch_seconds_round_like_python(values: list[float | int]) -> None:
    assert_timestamps_agree(values)


OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)


@st.composite
def iso_texts(draw: st.DrawFn, wild: bool = True) -> str:
    """ISO-8601 text Python 3.11 accepts: the spellings the fast path converts (``T`` or
    space, 0-6 fractional digits, ``Z``, ``+HH:MM`` or none), and with ``wild`` rarer
    ones (``t``, 7 digits, ``z``, ``+HHMM``, ``+HH:MM:SS``)."""
    stamp = draw(st.datetimes(min_value=datetime(1001, 1, 1), max_value=datetime(9998, 12, 31)))
    digits = draw(st.sampled_from([0, 0, 0, 0, 1, 3, 6, 2, 4, 5, *([7] if wild else [])]))
    separator = draw(st.sampled_from("TTTTTTT " + ("t" if wild else "")))
    text = stamp.strftime("%Y-%m-%d") + separator + stamp.strftime("%H:%M:%S")
    if digits:
        text += "." + f"{stamp.microsecond:06d}{draw(st.integers(0, 9))}"[:digits]
    rare = ["z", "+0100", "+01:00:30"] if wild else []
    suffix = draw(st.sampled_from(["Z"] * 6 + ["", "offset", "offset", *rare]))
    if suffix == "offset":
        minutes = draw(OFFSETS)
        sign = "-" if minutes < 0 else "+"
        suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return text + suffix


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(
    st.lists(iso_texts(), min_size=20, max_size=40),
    st.lists(iso_texts(wild=False), min_size=5, max_size=10),
)
def test_iso_text_parses_like_python(texts: list[str], tame: list[str]) -> None:
    assert_timestamps_agree(texts + tame)
    # the spellings the fast path covers are converted, not refused (wild ones may be)
    assert all(got[0] for got in sql_timestamps([json.dumps(t) for t in tame])), tame


def test_timestamp_corners() -> None:
    corners = [
        "2025-02-30T00:00:00Z",
        "2025-03-01T24:00:00Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:00:00-02:00",
        "yesterday",
        "",
        True,
        "1740830400",
        0.0,
        -0.5,
        "2025-03-01T12:00:00.1234567Z",
        "2025-03-01",
        253402300799.9999999,
    ]
    assert_timestamps_agree(corners)
    assert sql_timestamp("null") == (None, None)
    noon = (datetime(2025, 3, 1, 12), "2025-03-01T12:00:00Z")
    assert sql_timestamp('"2025-03-01T12:00:00Z"') == noon
    assert sql_timestamp("1740830400.25")[1] == "2025-03-01T12:00:00.25Z"
    assert sql_timestamp('"2025-03-01T14:00:00+02:00"')[1] == "2025-03-01T12:00:00Z"


# ----------------------------------------------------------------- generated records

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
PLAIN = st.text(alphabet=string.ascii_letters + string.digits + "-_./:, ", min_size=1, max_size=12)
STRINGS = st.one_of(*[PLAIN] * 5, TEXT)
REQUIRED_STRINGS = st.one_of(PLAIN, PLAIN, TEXT.filter(bool))
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
WRONG = st.sampled_from(
    [
        None,
        7,
        "x",
        2.5,
        True,
        [],
        {},
        "yesterday",
        [None],
        *HOSTILE_STRINGS,
        *HOSTILE_NUMBERS,
        *HOSTILE_NESTING,
    ]
)
# values placed in a JSON member as a member this botocore does not know
UNKNOWN_HOSTILE = st.sampled_from(
    [*HOSTILE_NUMBERS, *HOSTILE_STRINGS, *HOSTILE_NESTING, [1, float("nan")], {"K\ud800": 1}]
)


@st.composite
def timestamps(draw: st.DrawFn, valid: bool, wild: bool) -> Any:
    kind = draw(st.sampled_from(["iso"] * 6 + ["int", "float", "odd"]))
    if kind == "iso":
        return draw(iso_texts(wild))
    seconds = draw(st.integers(min_value=946684800, max_value=1893456000))
    if kind == "int":
        return seconds
    if kind == "float" or valid:
        return seconds + draw(st.sampled_from([0.25, 0.5, 0.1, 0.999999, 1e-7, 0.0]))
    odd = ["", "2025-02-30T00:00:00Z", True, [1], {"a": 1}, "1740830400", 1e300]
    return draw(st.sampled_from([*odd, *HOSTILE_TIMESTAMPS]))


def values(shape: Shape, valid: bool, wild: bool) -> st.SearchStrategy[Any]:
    """Values for a member of ``shape``: valid ones, or now and then (``valid`` false) a
    value of the wrong type at any depth. Without ``wild``, strings, timestamps and
    member order stay inside the fast subset."""
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        members = {name: values(member, valid, wild) for name, member in shape.members.items()}
        order = list(members)
        # optional keys come in any order: put them in the shape's, as botocore does
        good: st.SearchStrategy[Any] = st.fixed_dictionaries({}, optional=members).map(
            lambda found: {name: found[name] for name in order if name in found}
        )
        if wild:
            good = good.flatmap(reorder)
    elif isinstance(shape, ListShape):
        good = st.lists(values(shape.member, valid, wild), max_size=3)
    elif kind == "string":
        good = STRINGS if wild else PLAIN
    elif kind == "timestamp":
        good = timestamps(valid, wild)
    elif kind in ("integer", "long"):
        good = st.one_of(st.integers(0, 100), st.integers(-(10**20), 10**20))
    else:
        good = st.booleans()
    return good if valid else st.one_of(good, good, good, good, good, good, good, WRONG)


def reorder(members: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Members in shape order mostly; sometimes reversed, with a member this botocore
    does not know, or with a null member (all valid: the pure mapping keeps unknown
    members and drops null ones)."""

    def change(how: str) -> dict[str, Any]:
        items = list(members.items())
        if how == "reverse":
            items.reverse()
        elif how == "extra":
            items.append(("NewerMember", {"SomeKey": [1, "a", 2.5]}))
        elif how == "null":
            items.insert(0, ("KmsKey", None))
        return dict(items)

    how = ["same"] * 6 + ["reverse", "extra", "null"]
    return st.sampled_from(how).map(change)


def tags(valid: bool) -> st.SearchStrategy[Any]:
    tag = st.one_of(
        st.fixed_dictionaries({"Key": STRINGS}, optional={"Value": STRINGS}),
        st.sampled_from([{"Key": "team", "Value": "ml"}, {"Key": "team", "Value": "ads"}]),
    )
    if not valid:
        tag = st.one_of(
            tag,
            tag,
            tag,
            st.sampled_from(
                [
                    {"Key": 1},
                    {"Key": "k", "Value": None},
                    "tag",
                    {"Value": "v"},
                    {"Key": "\ud800"},
                    {"Key": "k", "Value": "v\udc00"},
                ]
            ),
        )
    listed = st.lists(tag, max_size=5)
    return listed if valid else st.one_of(listed, listed, st.just({"Key": "a"}))


_OPTIONAL = (
    "Schedule",
    "StatusReason",
    "Description",
    "CompletionTime",
    "LastModifiedTime",
    "RoleArn",
    "EndpointMetadata",
    "ModelVariants",
    "DataStorageConfig",
    "ShadowModeConfig",
    "KmsKey",
)


@st.composite
def records(draw: st.DrawFn, valid: bool = True) -> dict[str, Any]:
    """A fixture record; one in three is ``wild`` (rarer spellings, escapes, member
    order), the others stay in the fast subset unless ``valid`` is false."""
    members = SHAPE.members
    wild = draw(st.integers(0, 2)) == 0
    experiment: dict[str, Any] = {
        "Arn": draw(st.sampled_from(["arn:a/", "arn:b/"])) + draw(PLAIN),
        "Name": draw(REQUIRED_STRINGS),
        "Type": "ShadowMode",
        "Status": draw(st.sampled_from(["Running", "Completed", "Ünknown"])),
        "CreationTime": draw(timestamps(valid, wild)),
    }
    for name in _OPTIONAL:
        if draw(st.booleans()):
            experiment[name] = draw(values(members[name], valid, wild))
    record: dict[str, Any] = {
        "account_id": draw(st.sampled_from(["111122223333", "444455556666"])),
        "region": draw(st.one_of(st.just("us-east-1"), REQUIRED_STRINGS)),
        "experiment": experiment,
    }
    if draw(st.booleans()):
        record["tags"] = draw(tags(valid))
    if not valid and draw(st.integers(0, 4)) == 0:  # a hostile value in an unknown member
        member = experiment.get(draw(st.sampled_from(["Schedule", "EndpointMetadata"])))
        if isinstance(member, dict):
            member["Hostile"] = draw(UNKNOWN_HOSTILE)
    if not valid and draw(st.integers(0, 5)) == 0:
        field = draw(st.sampled_from(["Arn", "Name", "Type", "Status", "CreationTime"]))
        if draw(st.booleans()):
            experiment.pop(field)
        else:
            experiment[field] = draw(WRONG)
    if not valid and draw(st.integers(0, 9)) == 0:
        record[draw(st.sampled_from(["account_id", "region", "experiment"]))] = draw(WRONG)
    return record


def slow(examples: int) -> settings:
    """Settings for tests that load files: no deadline, ``examples`` examples."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


@pytest.mark.slow
@slow(30)
@given(
    batch=st.lists(
        records(valid=True), min_size=1, max_size=10, unique_by=lambda r: r["experiment"]["Arn"]
    ),
    layout=st.sampled_from(["jsonl", "compact", "array", "wrapper"]),
)
def test_generated_valid_records_give_the_same_table(
    tmp_path: Path, batch: list[dict[str, Any]], layout: str
) -> None:
    kind, _ = assert_same(write(tmp_path / "valid", batch, layout))
    assert kind == "table"


@pytest.mark.slow
@slow(30)
@given(
    batch=st.lists(records(valid=False), min_size=1, max_size=6),
    layout=st.sampled_from(["jsonl", "array"]),
)
def test_generated_records_give_the_same_table_or_error(
    tmp_path: Path, batch: list[dict[str, Any]], layout: str
) -> None:
    assert_same(write(tmp_path / "generated", batch, layout))


def test_offsets_and_fractions_in_json_columns(tmp_path: Path) -> None:
    base = datetime(2025, 6, 1, 8, 30, tzinfo=timezone.utc)
    batch = synthetic(12, seed=9)
    for index, record in enumerate(batch):
        stamp = base + timedelta(minutes=97 * index, microseconds=1250 * index)
        local = stamp.astimezone(timezone(timedelta(minutes=-330 + 61 * index)))
        record["experiment"]["Schedule"] = {
            "StartTime": local.isoformat(),
            "EndTime": (stamp - EPOCH).total_seconds(),
        }
    assert_same(write(tmp_path / "offsets", batch, "jsonl"))


# ----------------------------------------------------------------- hostile values (issue 13)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_values_agree_and_name_file_record_and_field(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    records = synthetic(12, seed=13)
    records[3] = case.apply(records[3])
    path = write(tmp_path / "hostile", records, "jsonl")
    kind, got = assert_same(path)
    end = case.message_end(3)
    if end is None:
        assert kind == "table" and got.num_rows == 12
    else:
        assert (kind, got) == ("error", f"{path}: {end}")


LAYOUT_CASES = [
    "JSON member 5,000 levels",
    "ignored member 1,000 levels",
    "ignored top-level member 5,000 levels",
    "tags 1,000 levels",
    "NaN in an unknown member",
    "1e400",
    "tag key",
    "creation 9999 -01:00",
]


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["array", "wrapper"])
@pytest.mark.parametrize("name", LAYOUT_CASES)
def test_hostile_values_agree_in_every_layout(tmp_path: Path, name: str, layout: str) -> None:
    case = CASES[name]
    records = synthetic(6, seed=14)
    records[3] = case.apply(records[3])
    path = write(tmp_path / "hostile", records, layout)
    kind, got = assert_same(path)
    end = case.message_end(3)
    assert (kind == "table") if end is None else (kind == "error" and got.endswith(end))


FAST_PATH_CASES = [
    "creation 0001 +01:00",
    "schedule end 9999 -01:00",
    "completion epoch past the end",
    "NaN in an unknown member",
    "Infinity in a list",
    "1e400",
    "JSON member 101 levels",
    "JSON member 1,000 levels",
    "JSON member 5,000 levels",
    "string column 1,000 levels",
    "tags 1,000 levels",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", FAST_PATH_CASES)
def test_the_fast_path_itself_refuses_hostile_values(tmp_path: Path, name: str) -> None:
    """DuckDB reads these files: the error comes from the fast path's own checks (the
    record leaves the fast subset and the pure mapping names the field), not from a
    fallback of the whole file to the pure path."""
    assert PLAN is not None
    case = CASES[name]
    records = synthetic(8, seed=15)
    records[5] = case.apply(records[5])
    path = write(tmp_path / "fast", records, "jsonl")
    with pytest.raises(file_reader.FileFailure) as failure:
        read_file(path, TABLE, PLAN)
    assert str(failure.value.error) == f"{path}: {case.message_end(5)}"
    assert outcome(lambda: read_fixtures_reference(path, TABLE)) == ("error", str(failure.value))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["JSON member 1,000 levels", "1e400", "tag value"])
def test_hostile_values_in_a_file_past_the_threshold(tmp_path: Path, name: str) -> None:
    """With the default small-file threshold, as connect() loads."""
    case = CASES[name]
    records = synthetic(8, seed=15)
    records[0]["experiment"]["Description"] = "d" * (2 * 1024 * 1024 + 1)
    records[5] = case.apply(records[5])
    path = write(tmp_path / "big", records, "jsonl")
    fast = outcome(lambda: read_fixtures(path, TABLE))
    assert fast == ("error", f"{path}: {case.message_end(5)}")
    assert outcome(lambda: read_fixtures_reference(path, TABLE)) == fast


def test_deep_members_the_mapping_ignores_load_on_both_paths(tmp_path: Path) -> None:
    """Nesting Python's decoder cannot follow (it recurses) in members no column reads:
    both paths load the file, the fast path without falling back."""
    assert PLAN is not None
    records = synthetic(8, seed=16)
    records[0]["experiment"]["Description"] = "d" * (2 * 1024 * 1024 + 1)
    records[2]["experiment"]["NotAColumn"] = deep(20_000, "list")
    records[6]["unrelated"] = deep(20_000)
    path = write(tmp_path / "deep", records, "jsonl")
    read = read_file(path, TABLE, PLAN)
    assert read is not None and read.table.num_rows == 8
    kind, table = assert_same(path)
    assert kind == "table" and table.equals(read.table)


def test_records_outside_the_fast_subset_are_decoded_at_any_depth(tmp_path: Path) -> None:
    """The fast path decodes a record outside the fast subset (its text as DuckDB wrote
    it) as the pure path decodes the file: at any depth; the mapping's limit decides."""
    records = synthetic(6, seed=17)
    rare = "2025-03-01T12:00:00.1234567+01:00"  # takes the record outside the fast subset
    records[1]["experiment"]["CreationTime"] = rare
    records[1]["experiment"]["Schedule"] = {"StartTime": "2025-03-01T00:00:00Z", "X": deep(99)}
    records[4]["experiment"]["CreationTime"] = rare
    records[4]["experiment"]["Schedule"] = {"X": deep(3000, "list")}
    path = write(tmp_path / "mixed", records, "wrapper")
    kind, message = assert_same(path)
    assert kind == "error" and message.endswith(
        "record 4: field experiment.Schedule: nested more than 100 levels deep"
    )
    del records[4]
    kind, table = assert_same(write(tmp_path / "fine", records, "wrapper"))
    assert kind == "table" and table.num_rows == 5
