"""Tests of the PostgreSQL oracle harness itself (tests/support/pg_oracle.py)."""

from __future__ import annotations

import json
import os
import socket
import stat
import tempfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pg8000.dbapi
import pytest

from tests.support.pg_oracle import (
    COLUMNS,
    JsonText,
    PostgresServer,
    PostgresUnavailable,
    compare_results,
    format_json_timestamp,
    hstore_from_map,
    load_records,
    parse_hstore,
    parse_timestamp,
    query_is_ordered,
    read_fixture_records,
    record_to_row,
    run,
    snake_case,
)

ARN1 = "arn:aws:sagemaker:us-east-1:123456789012:inference-experiment/exp-one"
ARN2 = "arn:aws:sagemaker:eu-west-1:210987654321:inference-experiment/exp-two"

FULL: dict[str, Any] = {
    "account_id": "123456789012",
    "region": "us-east-1",
    "experiment": {
        "Arn": ARN1,
        "Name": "exp-one",
        "Type": "ShadowMode",
        "Status": "Running",
        "StatusReason": "started by hand",
        "Description": "first experiment",
        "RoleArn": "arn:aws:iam::123456789012:role/sm",
        "CreationTime": "2025-03-01T12:00:00Z",
        "CompletionTime": 1740916800,  # epoch int: 2025-03-02 12:00:00 UTC
        "LastModifiedTime": "2025-03-01T14:30:00+02:00",  # 12:30 UTC
        "Schedule": {"StartTime": "2025-03-01T14:00:00+02:00", "EndTime": 1740916800.5},
        "EndpointMetadata": {
            "EndpointName": "ep",
            "EndpointConfigName": "ep-cfg",
            "EndpointStatus": "InService",
        },
        "ModelVariants": [
            {
                "ModelName": "m1",
                "VariantName": "v1",
                "InfrastructureConfig": {
                    "InfrastructureType": "RealTimeInference",
                    "RealTimeInferenceConfig": {
                        "InstanceType": "ml.m5.xlarge",
                        "InstanceCount": 1,
                    },
                },
                "Status": "InService",
            }
        ],
        "DataStorageConfig": {
            "Destination": "s3://bucket/prefix",
            "KmsKey": "kms-key",
            "ContentType": {
                "CsvContentTypes": ["text/csv"],
                "JsonContentTypes": ["application/json"],
            },
        },
        "ShadowModeConfig": {
            "SourceModelVariantName": "v1",
            "ShadowModelVariants": [{"ShadowModelVariantName": "v2", "SamplingPercentage": 50}],
        },
    },
    "tags": [
        {"Key": "team", "Value": "b"},
        {"Key": "team", "Value": "a"},
        {"Key": "team", "Value": "b"},
        {"Key": "env", "Value": "prod"},
        {"Key": 'quote"d', "Value": "back\\slash, comma"},
    ],
}

MINIMAL: dict[str, Any] = {
    "account_id": "210987654321",
    "region": "eu-west-1",
    "experiment": {
        "Arn": ARN2,
        "Name": "exp-two",
        "Type": "ShadowMode",
        "Status": "Created",
        "CreationTime": 1740830400.25,  # epoch float: 2025-03-01 12:00:00.25 UTC
    },
}


@pytest.fixture()
def loaded(pg: PostgresServer) -> PostgresServer:
    load_records(pg.conn, [FULL, MINIMAL])
    return pg


def one(pg: PostgresServer, sql: str) -> Any:
    _, rows = run(pg.conn, sql)
    assert len(rows) == 1 and len(rows[0]) == 1, rows
    return rows[0][0]


# ------------------------------------------------------------------------- server


def test_server_is_postgres_15_on_localhost_in_utc(pg: PostgresServer) -> None:
    assert "PostgreSQL 15" in one(pg, "SELECT version()")
    assert one(pg, "SHOW TimeZone") == "UTC"
    assert one(pg, "SHOW DateStyle").startswith("ISO")
    assert one(pg, "SHOW fsync") == "off"
    assert one(pg, "SHOW listen_addresses") == "127.0.0.1"
    assert one(pg, "SELECT inet_server_port()") == pg.port
    assert one(pg, "SHOW lc_collate") == "C"
    assert one(pg, "SELECT 'B' < 'a'") is True  # code point order, like DuckDB
    assert pg.conn.autocommit is True


def test_hstore_extension_works(pg: PostgresServer) -> None:
    assert one(pg, "SELECT ('a=>1, b=>2'::hstore) -> 'b'") == "2"
    assert one(pg, "SELECT 'a=>1, b=>NULL'::hstore") == {"a": "1", "b": None}


def test_run_errors_leave_the_connection_usable(pg: PostgresServer) -> None:
    with pytest.raises(pg8000.dbapi.DatabaseError):
        run(pg.conn, "SELECT no_such_column FROM pg_class")
    assert run(pg.conn, "SELECT 'x%' AS pct") == (["pct"], [("x%",)])
    assert run(pg.conn, "SET search_path TO public") == ([], [])


def test_json_comes_back_as_json_text(pg: PostgresServer) -> None:
    value = one(pg, """SELECT '{"a": 1.50}'::json""")
    assert isinstance(value, JsonText) and value == '{"a": 1.50}'
    assert one(pg, "SELECT 'null'::json") == "null"
    assert one(pg, "SELECT NULL::json") is None


@pytest.mark.slow
def test_stop_cleans_up_and_is_idempotent() -> None:
    with PostgresServer() as server:
        tmpdir = server.tmpdir
        port = server.port
        assert tmpdir is not None and tmpdir.is_dir() and port is not None
    assert not tmpdir.exists()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    server.stop()


def test_missing_binaries_raise_postgres_unavailable() -> None:
    server = PostgresServer(bindir="/nonexistent/pg/bin")
    with pytest.raises(PostgresUnavailable, match="not found"):
        server.start()
    assert server.tmpdir is None


def _executable(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def test_failed_initdb_reports_its_output_and_cleans_up() -> None:
    with tempfile.TemporaryDirectory() as raw:
        bindir = Path(raw)
        bindir.chmod(0o755)  # as root the fake initdb runs as the postgres user
        _executable(bindir / "initdb", 'echo "initdb: boom, disk is full" >&2; exit 1')
        _executable(bindir / "pg_ctl", "exit 1")
        _executable(bindir / "postgres", 'echo "postgres (PostgreSQL) 15.0"')
        server = PostgresServer(bindir=bindir)
        with pytest.raises(PostgresUnavailable) as info:
            server.start()
        assert "boom, disk is full" in info.value.log_tail
        assert "boom, disk is full" in str(info.value)
        assert server.tmpdir is None


def test_wrong_major_version_is_refused() -> None:
    with tempfile.TemporaryDirectory() as raw:
        bindir = Path(raw)
        for exe in ("initdb", "pg_ctl"):
            _executable(bindir / exe, "exit 1")
        _executable(bindir / "postgres", 'echo "postgres (PostgreSQL) 16.2"')
        with pytest.raises(PostgresUnavailable, match="PostgreSQL 16"):
            PostgresServer(bindir=bindir).start()


# ----------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("S3Uri", "s3_uri"),
        ("KMSKeyId", "kms_key_id"),
        ("KmsKey", "kms_key"),
        ("InstanceType", "instance_type"),
        ("RealTimeInferenceConfig", "real_time_inference_config"),
        ("CsvContentTypes", "csv_content_types"),
        ("ModelVariants", "model_variants"),
        ("Arn", "arn"),
        ("already_snake", "already_snake"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01T12:00:00Z", "2025-03-01T12:00:00Z"),
        ("2025-03-01T14:00:00+02:00", "2025-03-01T12:00:00Z"),
        ("2025-03-01 07:00:00.5-05:00", "2025-03-01T12:00:00.5Z"),
        ("2025-03-01T12:00:00", "2025-03-01T12:00:00Z"),
        ("2025-03-01T14:00:00+0200", "2025-03-01T12:00:00Z"),
        ("2025-03-01t12:00:00.123456789z", "2025-03-01T12:00:00.123456Z"),
        ("2025-03-01T13:00+01", "2025-03-01T12:00:00Z"),
        ("2025-03-01", "2025-03-01T00:00:00Z"),
        (1740830400, "2025-03-01T12:00:00Z"),
        (1740830400.123, "2025-03-01T12:00:00.123Z"),
        (Decimal("1740830400.000001"), "2025-03-01T12:00:00.000001Z"),
        (datetime(2025, 3, 1, 13, tzinfo=timezone(timedelta(hours=1))), "2025-03-01T12:00:00Z"),
    ],
)
def test_json_timestamp_format(value: Any, expected: str) -> None:
    assert format_json_timestamp(value) == expected


@pytest.mark.parametrize(
    "bad", ["yesterday", "2025-13-01T00:00:00Z", "2025-03-01T12", True, None, float("nan"), [1]]
)
def test_parse_timestamp_rejects_junk(bad: Any) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(bad)


def test_record_to_row_validates_required_fields() -> None:
    broken = json.loads(json.dumps(MINIMAL))
    del broken["experiment"]["Arn"]
    with pytest.raises(ValueError, match=r"record 7: field 'experiment.Arn'"):
        record_to_row(broken, 7)
    broken = json.loads(json.dumps(MINIMAL))
    broken["experiment"]["CreationTime"] = "not a time"
    with pytest.raises(ValueError, match="CreationTime"):
        record_to_row(broken)


def test_load_records_column_order_and_types(loaded: PostgresServer) -> None:
    _, rows = run(
        loaded.conn,
        "SELECT column_name, udt_name FROM information_schema.columns "
        "WHERE table_schema = 'aws' AND table_name = 'sagemaker_inference_experiment' "
        "ORDER BY ordinal_position",
    )
    names = [r[0] for r in rows]
    assert names == [
        "_key",
        "account_id",
        "arn",
        "completion_time",
        "creation_time",
        "data_storage_config",
        "description",
        "endpoint_metadata",
        "last_modified_time",
        "model_variants",
        "name",
        "role_arn",
        "schedule",
        "shadow_mode_config",
        "status",
        "status_reason",
        "tags",
        "type",
    ]
    assert [c for c, _ in COLUMNS] == names
    types: dict[str, str] = dict(rows)
    assert types["creation_time"] == "timestamp"
    assert types["schedule"] == "json"
    assert types["tags"] == "hstore"
    assert types["arn"] == "text"


def test_load_records_full_record(loaded: PostgresServer) -> None:
    columns, rows = run(
        loaded.conn, f"SELECT * FROM aws.sagemaker_inference_experiment WHERE _key = '{ARN1}'"
    )
    row = dict(zip(columns, rows[0], strict=True))
    assert row["_key"] == row["arn"] == ARN1
    assert row["account_id"] == "123456789012"
    assert (row["name"], row["type"], row["status"]) == ("exp-one", "ShadowMode", "Running")
    assert row["status_reason"] == "started by hand"
    assert row["role_arn"] == "arn:aws:iam::123456789012:role/sm"
    assert row["creation_time"] == datetime(2025, 3, 1, 12, 0)
    assert row["completion_time"] == datetime(2025, 3, 2, 12, 0)
    assert row["last_modified_time"] == datetime(2025, 3, 1, 12, 30)
    assert json.loads(row["schedule"]) == {
        "start_time": "2025-03-01T12:00:00Z",
        "end_time": "2025-03-02T12:00:00.5Z",
    }
    assert json.loads(row["model_variants"]) == [
        {
            "model_name": "m1",
            "variant_name": "v1",
            "infrastructure_config": {
                "infrastructure_type": "RealTimeInference",
                "real_time_inference_config": {
                    "instance_type": "ml.m5.xlarge",
                    "instance_count": 1,
                },
            },
            "status": "InService",
        }
    ]
    assert json.loads(row["data_storage_config"]) == {
        "destination": "s3://bucket/prefix",
        "kms_key": "kms-key",
        "content_type": {
            "csv_content_types": ["text/csv"],
            "json_content_types": ["application/json"],
        },
    }
    assert json.loads(row["shadow_mode_config"]) == {
        "source_model_variant_name": "v1",
        "shadow_model_variants": [{"shadow_model_variant_name": "v2", "sampling_percentage": 50}],
    }
    assert json.loads(row["endpoint_metadata"])["endpoint_status"] == "InService"
    assert row["tags"] == {
        "team": "a,b",
        "env": "prod",
        'quote"d': "back\\slash, comma",
        "region": "us-east-1",
        "aws_account": "123456789012",
    }


def test_load_records_minimal_record_gives_nulls(loaded: PostgresServer) -> None:
    columns, rows = run(
        loaded.conn, f"SELECT * FROM aws.sagemaker_inference_experiment WHERE arn = '{ARN2}'"
    )
    row = dict(zip(columns, rows[0], strict=True))
    for column in (
        "completion_time",
        "last_modified_time",
        "description",
        "status_reason",
        "role_arn",
        "schedule",
        "endpoint_metadata",
        "model_variants",
        "data_storage_config",
        "shadow_mode_config",
    ):
        assert row[column] is None, column
    assert row["creation_time"] == datetime(2025, 3, 1, 12, 0, 0, 250000)
    assert row["tags"] == {"region": "eu-west-1", "aws_account": "210987654321"}


def test_tag_and_json_operators_in_sql(loaded: PostgresServer) -> None:
    _, rows = run(
        loaded.conn,
        "SELECT name, tags -> 'team', tags -> 'region', "
        "json_extract_path_text(model_variants, '0', 'infrastructure_config', "
        "'real_time_inference_config', 'instance_type') "
        "FROM aws_sagemaker_inference_experiment ORDER BY name",
    )
    assert rows == [
        ("exp-one", "a,b", "us-east-1", "ml.m5.xlarge"),
        ("exp-two", None, "eu-west-1", None),
    ]
    assert (
        one(
            loaded,
            "SELECT count(*) FROM aws.sagemaker_inference_experiment WHERE tags -> 'team' = 'a,b'",
        )
        == 1
    )


def test_load_records_replaces_and_bad_records_change_nothing(pg: PostgresServer) -> None:
    assert load_records(pg.conn, [MINIMAL]) == 1
    broken = json.loads(json.dumps(FULL))
    broken["experiment"]["Schedule"]["StartTime"] = "soon"
    with pytest.raises(ValueError, match=r"record 1: field 'experiment.Schedule'"):
        load_records(pg.conn, [FULL, broken])
    assert one(pg, "SELECT count(*) FROM aws.sagemaker_inference_experiment") == 1
    assert load_records(pg.conn, []) == 0
    assert one(pg, "SELECT count(*) FROM public.aws_sagemaker_inference_experiment") == 0


def test_read_fixture_records(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text(json.dumps(MINIMAL) + "\n\n")
    (tmp_path / "a.json").write_text(json.dumps({"records": [FULL]}))
    (tmp_path / "c.json").write_text(json.dumps([MINIMAL, FULL]))
    (tmp_path / "notes.txt").write_text("ignored")
    records = read_fixture_records(tmp_path)
    assert [r["experiment"]["Name"] for r in records] == [
        "exp-one",
        "exp-two",
        "exp-two",
        "exp-one",
    ]


# --------------------------------------------------------------------- comparison


def test_numbers_compare_numerically() -> None:
    assert (
        compare_results([(1, 2.5, Decimal("3.10"))], [(1.0, Decimal("2.5"), 3.1)], ordered=True)
        is None
    )
    assert compare_results([(0.1 + 0.2,)], [(0.3,)], ordered=True) is None
    assert compare_results([(1.0,)], [(1.0 + 1e-6,)], ordered=True) is not None
    assert compare_results([(2**60,)], [(2**60 + 1,)], ordered=True) is not None
    assert compare_results([(True,)], [(1,)], ordered=True) is not None
    assert compare_results([(float("nan"),)], [(float("nan"),)], ordered=True) is None


def test_json_normalisation() -> None:
    pg_side = [(JsonText('{"b": [1.50, {"c": null}], "a": "x"}'),)]
    assert compare_results(pg_side, [('{"a":"x","b":[1.5,{"c":null}]}',)], ordered=True) is None
    assert compare_results(pg_side, [({"a": "x", "b": [1.5, {"c": None}]},)], ordered=True) is None
    assert compare_results(pg_side, [('{"a":"y","b":[1.5,{"c":null}]}',)], ordered=True) is not None
    # scalars: JSON text from DuckDB against the server's JSON text
    assert compare_results([(JsonText('"v1"'),)], [('"v1"',)], ordered=True) is None
    assert compare_results([(JsonText("1.50"),)], [("1.5",)], ordered=True) is None
    assert compare_results([(JsonText('"v1"'),)], [("v2",)], ordered=True) is not None
    # JSON null is not SQL NULL
    assert compare_results([(JsonText("null"),)], [(None,)], ordered=True) is not None
    assert compare_results([(JsonText("null"),)], [("null",)], ordered=True) is None
    # plain text is compared as text
    assert compare_results([("1.50",)], [("1.5",)], ordered=True) is not None
    # JSON made text (col::text) is text: its layout counts
    assert compare_results([('{"a": 1}',)], [('{"a":1}',)], ordered=True) is not None
    assert compare_results([('{"a":1}',)], [('{"a":1}',)], ordered=True) is None


def test_datetimes_compare_as_naive_utc() -> None:
    aware = datetime(2025, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert compare_results([(aware,)], [(datetime(2025, 3, 1, 12, 0),)], ordered=True) is None
    assert (
        compare_results([(datetime(2025, 3, 1),)], [(date(2025, 3, 1),)], ordered=True) is not None
    )


def test_lists_and_dicts_compare_elementwise() -> None:
    assert (
        compare_results([([1, 2.0], {"k": "a,b"})], [((1.0, 2), {"k": "a,b"})], ordered=True)
        is None
    )
    assert compare_results([([1, 2],)], [([2, 1],)], ordered=True) is not None
    assert compare_results([({"k": "a"},)], [({"k": "a", "j": None},)], ordered=True) is not None


def test_unordered_is_a_multiset() -> None:
    expected = [("a", 1), ("b", 2), ("a", 1), (None, 3)]
    assert (
        compare_results(expected, [(None, 3.0), ("a", 1), ("b", 2), ("a", 1)], ordered=False)
        is None
    )
    diff = compare_results(expected, [("a", 1), ("b", 2), ("b", 2), (None, 3)], ordered=False)
    assert diff is not None
    assert "1 row(s) expected but missing" in diff and "('a', 1)" in diff
    assert "1 row(s) unexpected in actual" in diff and "('b', 2)" in diff


def test_unordered_with_float_noise_and_mixed_json() -> None:
    expected = [(JsonText('{"x": 1}'), 0.1 + 0.2), (JsonText('{"x": 2}'), 1.0)]
    actual = [('{"x":2}', 1), ('{"x":1.0}', 0.3)]
    assert compare_results(expected, actual, ordered=False) is None


def test_ordered_reports_rows_and_columns() -> None:
    diff = compare_results([(1, "a"), (2, "b")], [(2, "b"), (1, "a")], ordered=True)
    assert diff is not None and "row 0" in diff and "differing column(s): 0, 1" in diff
    assert compare_results([(1, "a"), (2, "b")], [(2, "b"), (1, "a")], ordered=False) is None
    diff = compare_results([(1,)], [(1,), (2,)], ordered=True)
    assert diff is not None and "row count differs: expected 1, actual 2" in diff
    assert "unexpected in actual" in diff
    assert compare_results([(1, 2)], [(1,)], ordered=False) is not None


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a FROM t ORDER BY a", True),
        ("SELECT a FROM t", False),
        ("SELECT a FROM (SELECT a FROM t ORDER BY a) s", False),
        ("WITH s AS (SELECT a FROM t ORDER BY a) SELECT a FROM s", False),
        ("SELECT row_number() OVER (ORDER BY a) FROM t", False),
        ("SELECT array_agg(a ORDER BY a) FROM t", False),
        ("SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1", True),
        ("(SELECT a FROM t ORDER BY a)", True),
        ("SELECT 'order by' FROM t", False),
        ("SELECT tags -> 'team' FROM t ORDER BY 1 DESC NULLS LAST LIMIT 3", True),
        ("VALUES (1), (2)", False),
    ],
)
def test_query_is_ordered(sql: str, expected: bool) -> None:
    assert query_is_ordered(sql) is expected


def test_query_is_ordered_fallback_scan() -> None:
    from tests.support.pg_oracle import _scan_top_level_order_by

    assert _scan_top_level_order_by("SELECT a FROM t ORDER BY a") is True
    assert _scan_top_level_order_by("SELECT a FROM (SELECT a ORDER BY a) s") is False
    assert _scan_top_level_order_by("SELECT 'ORDER BY' -- order by\nFROM t") is False


def test_parse_hstore_escapes() -> None:
    assert parse_hstore('"a"=>"1", "b\\"c"=>"x\\\\y", "n"=>NULL') == {
        "a": "1",
        'b"c': "x\\y",
        "n": None,
    }
    assert parse_hstore("") == {}
    with pytest.raises(ValueError):
        parse_hstore("a=1")


def test_temp_dirs_are_private_to_the_server_user(pg: PostgresServer) -> None:
    assert pg.tmpdir is not None
    mode = pg.tmpdir.stat().st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO)
    if os.geteuid() == 0:
        import pwd

        assert pg.tmpdir.stat().st_uid == pwd.getpwnam("postgres").pw_uid


def test_hstore_from_map_matches_the_hstore_dict() -> None:
    pg_side = {"team": "a,b", "region": "us-east-1"}
    assert hstore_from_map({"team": ["b", "a", "b"], "region": ["us-east-1"]}) == pg_side
    assert hstore_from_map([("region", ["us-east-1"]), ("team", ["a", "b"])]) == pg_side
    assert hstore_from_map({"key": ["team", "region"], "value": [["a", "b"], ["us-east-1"]]}) == (
        pg_side
    )
    assert hstore_from_map(None) is None
