"""Fixture reading and the record -> row mapping."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ddsql_lite import LoaderError
from ddsql_lite.loaders import read_fixtures, sample_path, synthetic
from ddsql_lite.loaders.mapping.fixture_reader import _decode_deep, decode_json, read_records
from ddsql_lite.loaders.mapping.fixture_writer import write_fixtures
from ddsql_lite.loaders.mapping.to_arrow import records_to_table
from ddsql_lite.loaders.mapping.to_row import record_to_row
from ddsql_lite.loaders.mapping.values import (
    MAX_DEPTH,
    RecordError,
    api_timestamp,
    iso_utc,
    snake_case,
)
from ddsql_lite.loaders.sources import rows_table
from ddsql_lite.registry import load_registry

TABLE = load_registry().get("aws.sagemaker_inference_experiment")


def record(**experiment: Any) -> dict[str, Any]:
    base = {
        "Arn": "arn:aws:sagemaker:eu-west-1:111122223333:inference-experiment/exp-1",
        "Name": "exp-1",
        "Type": "ShadowMode",
        "Status": "Running",
        "CreationTime": "2025-03-01T12:00:00Z",
    }
    base.update(experiment)
    return {
        "account_id": "111122223333",
        "region": "eu-west-1",
        "experiment": base,
        "tags": [
            {"Key": "team", "Value": "b"},
            {"Key": "team", "Value": "a"},
            {"Key": "team", "Value": "a"},
            {"Key": "cost center", "Value": ""},
        ],
    }


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("RealTimeInferenceConfig", "real_time_inference_config"),
        ("S3Uri", "s3_uri"),
        ("CsvContentTypes", "csv_content_types"),
        ("KMSKeyId", "kms_key_id"),
        ("Arn", "arn"),
    ],
)
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01T12:00:00Z", datetime(2025, 3, 1, 12)),
        ("2025-03-01T14:00:00+02:00", datetime(2025, 3, 1, 12)),
        ("2025-03-01T12:00:00", datetime(2025, 3, 1, 12)),
        (1740830400, datetime(2025, 3, 1, 12)),
        (1740830400.5, datetime(2025, 3, 1, 12, 0, 0, 500000)),
    ],
)
def test_parse_timestamp(value: Any, expected: datetime) -> None:
    assert api_timestamp(value, "f") == expected


def test_iso_utc_keeps_fractions_only_when_present() -> None:
    assert iso_utc(datetime(2025, 3, 1, 12)) == "2025-03-01T12:00:00Z"
    assert iso_utc(datetime(2025, 3, 1, 12, 0, 0, 250000)) == "2025-03-01T12:00:00.25Z"


def test_record_to_row_maps_every_column() -> None:
    row = record_to_row(
        record(
            Schedule={"StartTime": 1740830400, "EndTime": "2025-03-02T00:00:00+01:00"},
            ModelVariants=[
                {
                    "ModelName": "m",
                    "VariantName": "v",
                    "InfrastructureConfig": {
                        "InfrastructureType": "RealTimeInference",
                        "RealTimeInferenceConfig": {
                            "InstanceType": "ml.m5.large",
                            "InstanceCount": 2,
                        },
                    },
                }
            ],
            DataStorageConfig={
                "Destination": "s3://b/p",
                "ContentType": {"CsvContentTypes": ["text/csv"]},
            },
        ),
        TABLE,
    )
    assert list(row) == [c.name for c in TABLE.columns]
    assert row["_key"] == row["arn"]
    assert row["account_id"] == "111122223333"
    assert row["creation_time"] == datetime(2025, 3, 1, 12)
    assert row["completion_time"] is None and row["description"] is None
    assert json.loads(row["schedule"]) == {
        "start_time": "2025-03-01T12:00:00Z",
        "end_time": "2025-03-01T23:00:00Z",
    }
    variant = json.loads(row["model_variants"])[0]
    assert variant["infrastructure_config"]["real_time_inference_config"] == {
        "instance_type": "ml.m5.large",
        "instance_count": 2,
    }
    assert json.loads(row["data_storage_config"])["content_type"] == {
        "csv_content_types": ["text/csv"]
    }
    assert row["tags"] == [
        ("aws_account", ["111122223333"]),
        ("cost center", [""]),
        ("region", ["eu-west-1"]),
        ("team", ["a", "b"]),
    ]


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_json_jsonl_and_directory(tmp_path: Path) -> None:
    one = record()
    two = record(Arn="arn:aws:sagemaker:eu-west-1:111122223333:inference-experiment/exp-2")
    write(tmp_path, "a.json", {"records": [one]})
    write(tmp_path, "b.jsonl", json.dumps(two) + "\n\n")
    write(tmp_path, "notes.txt", "ignored")
    assert read_fixtures(tmp_path / "a.json", TABLE).num_rows == 1
    assert read_fixtures(tmp_path / "b.jsonl", TABLE).num_rows == 1
    table = read_fixtures(tmp_path, TABLE)
    assert table.column("name").to_pylist() == ["exp-1", "exp-1"]
    assert table.schema == TABLE.arrow_schema()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('[{"account_id": ', "bad.json: malformed JSON"),
        ([record(Arn=None)], "bad.json: record 0: field experiment.Arn: required field is missing"),
        (
            [record(), record(Name=7, Arn="arn:x")],
            "record 1: field experiment.Name: expected a string",
        ),
        (
            [record(CreationTime="yesterday")],
            "record 0: field experiment.CreationTime: 'yesterday'",
        ),
        ([record(ModelVariants={"a": 1})], "field experiment.ModelVariants: expected an array"),
        (
            [
                record(
                    ModelVariants=[
                        {
                            "InfrastructureConfig": {
                                "RealTimeInferenceConfig": {"InstanceCount": "two"}
                            }
                        }
                    ]
                )
            ],
            "experiment.ModelVariants[0].InfrastructureConfig.RealTimeInferenceConfig.InstanceCount",
        ),
        ([record(), record()], "record 1: duplicate _key"),
        ([{**record(), "account_id": None}], "record 0: field account_id"),
        ([{**record(), "tags": [{"Key": 1}]}], "record 0: field tags[0]"),
        ({"rows": []}, "expected a JSON array of records"),
    ],
)
def test_bad_fixtures_name_file_record_and_field(
    tmp_path: Path, content: Any, fragment: str
) -> None:
    path = write(tmp_path, "bad.json", content)
    with pytest.raises(LoaderError) as info:
        read_fixtures(path, TABLE)
    assert fragment in str(info.value)


def test_jsonl_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.jsonl", json.dumps(record()) + "\n{oops\n")
    with pytest.raises(LoaderError, match=r"bad.jsonl: line 2: malformed JSON"):
        read_records(path)


def test_missing_and_empty_paths(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match="no such fixture"):
        read_fixtures(tmp_path / "nope.json", TABLE)
    with pytest.raises(LoaderError, match=r"no \.json or \.jsonl"):
        read_fixtures(tmp_path, TABLE)
    with pytest.raises(LoaderError, match=r"must end in \.json or \.jsonl"):
        read_fixtures(write(tmp_path, "x.csv", "a,b"), TABLE)


def test_bundled_sample_loads() -> None:
    table = read_fixtures(sample_path(), TABLE)
    assert table.num_rows >= 24
    assert len(set(table.column("account_id").to_pylist())) >= 2
    assert len(set(table.column("status").to_pylist())) == 8


def test_synthetic_records_load(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in synthetic(500, seed=7)))
    assert read_fixtures(path, TABLE).num_rows == 500


# ----------------------------------------------------------------- issue 13: hostile values


def test_iso_utc_writes_four_digit_years() -> None:
    assert iso_utc(datetime(1, 1, 1)) == "0001-01-01T00:00:00Z"
    assert iso_utc(datetime(999, 12, 31, 23, 59, 59, 5)) == "0999-12-31T23:59:59.000005Z"
    row = record_to_row(record(Schedule={"StartTime": "0001-01-01T00:30:00-00:30"}), TABLE)
    assert row["schedule"] == '{"start_time":"0001-01-01T01:00:00Z"}'


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0001-01-01T00:00:00+01:00", "is out of range in UTC (years 1 to 9999)"),
        ("9999-12-31T23:59:59-01:00", "is out of range in UTC (years 1 to 9999)"),
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), "is out of range in UTC"),
        (253402300800, "epoch seconds 253402300800 out of range"),
        (-62135596801, "epoch seconds -62135596801 out of range"),
        (float("inf"), "epoch seconds inf out of range"),
        pytest.param(
            10**5000, "epoch seconds an integer of about 5,000 digits out of range", id="10**5000"
        ),
        ("x" * 10_000, "is not an ISO-8601 timestamp"),
    ],
)
def test_timestamps_out_of_range_are_record_errors(value: Any, problem: str) -> None:
    with pytest.raises(RecordError) as info:
        api_timestamp(value, "experiment.CreationTime")
    assert info.value.field == "experiment.CreationTime" and problem in info.value.problem
    assert len(str(info.value)) < 200  # a long value is cut


@pytest.mark.parametrize(
    ("experiment", "field", "problem"),
    [
        ({"Description": "\ud800"}, "experiment.Description", "lone surrogate '\\ud800'"),
        ({"Schedule": {"Extra": float("nan")}}, "experiment.Schedule.Extra", "got NaN"),
        ({"Schedule": {"E": [1, float("-inf")]}}, "experiment.Schedule.E[1]", "got -Infinity"),
        ({"Schedule": {"K\udfff": 1}}, "experiment.Schedule.K\\udfff", "the key: lone"),
        ({"Schedule": {"E": b"raw"}}, "experiment.Schedule.E", "bytes is not a JSON value"),
        pytest.param(
            {"Schedule": {"E": 10**5000}}, "experiment.Schedule.E", "too many digits", id="10**5000"
        ),
    ],
)
def test_values_json_text_cannot_hold_are_record_errors(
    experiment: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(RecordError) as info:
        record_to_row(record(**experiment), TABLE)
    assert info.value.field == field and problem in info.value.problem
    str(info.value).encode("utf-8")  # printable


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"Level": value}
    return value


def test_json_members_nest_at_most_max_depth_levels() -> None:
    assert MAX_DEPTH == 100
    record_to_row(record(Schedule=_nested(MAX_DEPTH)), TABLE)
    with pytest.raises(RecordError, match=r"field experiment.Schedule: nested more than 100"):
        record_to_row(record(Schedule=_nested(MAX_DEPTH + 1)), TABLE)

    # the limit does not depend on how deep the caller's stack already is
    def at_depth(levels: int) -> Any:
        if levels:
            return at_depth(levels - 1)
        return record_to_row(record(Schedule=_nested(MAX_DEPTH)), TABLE)

    assert at_depth(400)["schedule"].count("{") == MAX_DEPTH


JSON_TEXTS = st.text(alphabet='{}[],:" \t\n1-.eE0tfrunlaNIy\\u', max_size=24)


@settings(max_examples=400, deadline=None)
@given(JSON_TEXTS)
def test_decode_json_is_json_loads(text: str) -> None:
    """Values and errors (message and position) as json.loads gives them, here on text
    shallow enough for json.loads."""

    def result(decode: Any) -> Any:
        try:
            return ("value", json.dumps(decode(text)))
        except json.JSONDecodeError as exc:
            return ("error", exc.msg, exc.pos)

    assert result(_decode_deep) == result(json.loads)


def test_decode_json_at_any_depth() -> None:
    text = '{"a": [' * 30_000 + '1, {"b": NaN, "b": 2}' + "]}" * 30_000
    value = decode_json(text)
    for _ in range(30_000):
        value = value["a"][0]
    assert value == 1
    for broken, message in [
        ("[" * 5000 + "1,]" + "]" * 4999, "Expecting value"),
        ("[" * 5000 + "1 2" + "]" * 5000, "Expecting ',' delimiter"),
        ('{"a": ' * 5000 + "1" + "}" * 4999, "Expecting ',' delimiter"),
        ('{"a": ' * 5000 + "1" + "}" * 5000 + "x", "Extra data"),
    ]:
        with pytest.raises(json.JSONDecodeError, match=message):
            decode_json(broken)


def test_a_huge_integer_in_a_fixture_is_malformed_json(tmp_path: Path) -> None:
    path = write(tmp_path, "big.json", "[" + "7" * 5000 + "]")
    with pytest.raises(LoaderError, match=r"big\.json: malformed JSON: Exceeds the limit"):
        read_fixtures(path, TABLE)


ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**70),
    st.floats(),
    st.text(),
    st.sampled_from(["\ud800", 10**5000, b"raw", {1, 2}, object(), float("nan")]),
    st.datetimes(timezones=st.sampled_from([None, timezone.utc, timezone(timedelta(hours=-5))])),
    st.lists(st.tuples(st.text(), st.lists(st.one_of(st.text(), st.none())))),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from([*TABLE.arrow_schema().names, "extra", "Key"]), ODD, max_size=6
        ),
        min_size=1,
        max_size=4,
    )
)
def test_records_to_table_raises_only_loader_errors(rows: list[dict[str, Any]]) -> None:
    try:
        table = records_to_table(rows, TABLE)
    except LoaderError as exc:
        str(exc).encode("utf-8")
        assert str(exc).startswith("row ")
    else:
        assert table.num_rows == len(rows) and table.schema == TABLE.arrow_schema()


def test_records_to_table_names_row_and_column() -> None:
    good = record_to_row(record(), TABLE)
    with pytest.raises(LoaderError, match=r"^row 1, column creation_time: a value cannot"):
        records_to_table([good, {**good, "creation_time": "soon"}], TABLE)
    with pytest.raises(LoaderError, match=r"^row 0: column description: lone surrogate"):
        records_to_table([{**good, "description": "\udc00"}], TABLE)
    with pytest.raises(LoaderError, match=r"^row 0: not a row of column values"):
        records_to_table([42], TABLE)  # type: ignore[list-item]


def test_write_fixtures_keeps_what_replays_and_refuses_what_cannot(tmp_path: Path) -> None:
    records = synthetic(4, seed=31)
    records[1]["experiment"]["NotAColumn"] = {"k\ud800": ["\udc00", float("nan")]}
    path = tmp_path / "recorded.jsonl"
    assert write_fixtures(records, path, TABLE) == 4
    clean = [dict(r, experiment=dict(r["experiment"])) for r in records]
    del clean[1]["experiment"]["NotAColumn"]
    expected = records_to_table([record_to_row(r, TABLE) for r in clean], TABLE)
    assert read_fixtures(path, TABLE, small_file_bytes=0).equals(expected)
    assert read_fixtures(path, TABLE).equals(expected)
    records[2]["experiment"]["NotAColumn"] = b"raw bytes"
    with pytest.raises(LoaderError, match=r"record 2 would not replay: .*bytes"):
        write_fixtures(records, tmp_path / "x.jsonl", TABLE)
    records[2]["experiment"]["Name"] = "\ud800"
    with pytest.raises(LoaderError, match=r"record 2 would not replay: field experiment.Name"):
        write_fixtures(records, tmp_path / "x.jsonl", TABLE)


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (42, "aws a int instead of a record: field record"),
        ({"account_id": "1", "region": "r", "experiment": []}, "aws 1 r None: field experiment"),
        ({"account_id": "1\ud800", "region": "r", "experiment": {}}, "aws 1\\ud800 r None"),
    ],
)
def test_live_records_the_mapping_refuses_name_the_resource(bad: Any, where: str) -> None:
    with pytest.raises(LoaderError) as info:
        rows_table([record(), bad], TABLE)
    assert str(info.value).startswith(where)
    str(info.value).encode("utf-8")


def test_a_live_load_refuses_two_records_with_one_key() -> None:
    # Two listed resources that Describe answers with the same Arn: the table would
    # hold two rows under one _key, so the load stops and names both.
    other = record(Name="exp-2")
    with pytest.raises(LoaderError) as info:
        rows_table([record(), other], TABLE)
    message = str(info.value)
    arn = "arn:aws:sagemaker:eu-west-1:111122223333:inference-experiment/exp-1"
    assert message.startswith(f"aws 111122223333 eu-west-1 {arn}: duplicate _key {arn!r}")
    assert message.endswith(f"(first in aws 111122223333 eu-west-1 {arn})")
    assert rows_table([record(), record(Arn=arn.replace("exp-1", "exp-2"))], TABLE).num_rows == 2
