"""Fixture reading and the record -> row mapping."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ddsql_lite import LoaderError
from ddsql_lite.loaders import read_fixtures, sample_path, synthetic
from ddsql_lite.loaders.fixtures import read_records
from ddsql_lite.loaders.rows import iso_utc, parse_timestamp, record_to_row, snake_case
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
    assert parse_timestamp(value, "f") == expected


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
