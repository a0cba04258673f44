"""The fetch step's requests, checked by botocore's Stubber against the real SageMaker
service model (parameters are validated before the Stubber sees them, responses against
the output shapes) and against the exact parameters we expect."""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from botocore.validate import validate_parameters

from ddsql_lite.loaders.live.accounts import botocore_session
from ddsql_lite.loaders.live.fanout import Target, fetch_all
from ddsql_lite.loaders.live.options import client_config
from ddsql_lite.loaders.sources import rows_table
from tests.support.aws_helpers import ACCOUNT_A, TABLE, pick, pushdown, table_of

REGION = "us-east-1"
SUMMARY_MEMBERS = set(
    boto3.Session()
    .client("sagemaker", region_name=REGION)
    .meta.service_model.shape_for("InferenceExperimentSummary")
    .members
)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    session = boto3.Session(
        aws_access_key_id="AKIASTUBBEDKEY000001",
        aws_secret_access_key="stubbed-secret",
        region_name=REGION,
        botocore_session=botocore_session(),
    )
    yield session.client("sagemaker", config=client_config(1))


def summary(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record["experiment"].items() if k in SUMMARY_MEMBERS}


def run(client: Any, **kwargs: Any) -> tuple[list[dict[str, Any]], Any]:
    [(records, entry)] = fetch_all(
        TABLE, [Target(ACCOUNT_A, REGION, client)], max_workers=1, **kwargs
    )
    return records, entry


def test_list_describe_tags_requests(client: Any) -> None:
    a, b = deepcopy(pick([ACCOUNT_A], [REGION], 2))
    arn_a, arn_b = a["experiment"]["Arn"], b["experiment"]["Arn"]
    tags_a = a.get("tags") or []
    with Stubber(client) as stub:
        stub.add_response(
            "list_inference_experiments",
            {"InferenceExperiments": [summary(a)], "NextToken": "page-2"},
            {"MaxResults": 100},
        )
        stub.add_response(
            "list_inference_experiments",
            {"InferenceExperiments": [summary(b)]},
            {"MaxResults": 100, "NextToken": "page-2"},
        )
        stub.add_response(
            "describe_inference_experiment", a["experiment"], {"Name": a["experiment"]["Name"]}
        )
        stub.add_response(
            "list_tags", {"Tags": tags_a[:1], "NextToken": "tags-2"}, {"ResourceArn": arn_a}
        )
        stub.add_response(
            "list_tags", {"Tags": tags_a[1:]}, {"ResourceArn": arn_a, "NextToken": "tags-2"}
        )
        stub.add_response(
            "describe_inference_experiment", b["experiment"], {"Name": b["experiment"]["Name"]}
        )
        stub.add_response("list_tags", {"Tags": b.get("tags") or []}, {"ResourceArn": arn_b})
        records, entry = run(client)
        stub.assert_no_pending_responses()
    assert [r["experiment"]["Arn"] for r in records] == [arn_a, arn_b]
    assert (entry.rows, entry.api_calls, entry.retries, entry.error) == (2, 7, 0, None)
    assert rows_table(records, TABLE).sort_by("_key").equals(table_of([a, b]))


def test_vanished_experiment_is_skipped_without_tags_call(client: Any) -> None:
    [a] = deepcopy(pick([ACCOUNT_A], [REGION], 1))
    with Stubber(client) as stub:
        stub.add_response(
            "list_inference_experiments",
            {"InferenceExperiments": [summary(a)]},
            {"MaxResults": 100},
        )
        stub.add_client_error(
            "describe_inference_experiment",
            "ResourceNotFound",
            "gone",
            expected_params={"Name": a["experiment"]["Name"]},
        )
        records, entry = run(client)
        stub.assert_no_pending_responses()
    assert records == [] and entry.error is None and entry.api_calls == 2


def test_list_error_is_the_entry_error(client: Any) -> None:
    with Stubber(client) as stub:
        stub.add_client_error(
            "list_inference_experiments",
            "AccessDeniedException",
            "not authorized",
            expected_params={"MaxResults": 100},
        )
        records, entry = run(client)
    assert records == [] and entry.error == "AccessDeniedException: not authorized"


def test_a_repeated_token_stops_the_listing(client: Any) -> None:
    [a] = deepcopy(pick([ACCOUNT_A], [REGION], 1))
    with Stubber(client) as stub:
        for token in (None, "again"):
            params: dict[str, Any] = {"MaxResults": 100}
            if token:
                params["NextToken"] = token
            stub.add_response(
                "list_inference_experiments",
                {"InferenceExperiments": [], "NextToken": "again"},
                params,
            )
        records, entry = run(client)
        stub.assert_no_pending_responses()
    assert records == [] and a
    assert entry.error == "LoaderError: ListInferenceExperiments returned the same NextToken twice"


PUSHED = [
    "SELECT * FROM aws.sagemaker_inference_experiment WHERE status = 'Running'",
    "SELECT * FROM aws.sagemaker_inference_experiment WHERE name LIKE '%fraud-xgb%' "
    "AND type = 'ShadowMode'",
    "SELECT * FROM aws.sagemaker_inference_experiment WHERE creation_time > '2025-03-01' "
    "AND last_modified_time >= TIMESTAMP '2025-04-01 10:00:00.250' "
    "AND creation_time < '2025-12-31T00:00:00Z'",
    "SELECT * FROM aws.sagemaker_inference_experiment WHERE last_modified_time "
    "BETWEEN '2025-01-01' AND '2025-06-30 23:59:59.999'",
    f"SELECT * FROM aws.sagemaker_inference_experiment WHERE name LIKE '%{'x' * 80}%'",
]


@pytest.mark.parametrize("sql", PUSHED)
def test_pushed_filters_are_valid_requests(client: Any, sql: str) -> None:
    filters = pushdown(sql)
    assert filters
    shape = client.meta.service_model.operation_model("ListInferenceExperiments").input_shape
    validate_parameters({**filters, "MaxResults": 100}, shape)  # raises when invalid
    assert len(filters.get("NameContains", "")) <= 63
    for value in filters.values():
        if isinstance(value, datetime):
            assert value.tzinfo == timezone.utc
    with Stubber(client) as stub:
        stub.add_response(
            "list_inference_experiments",
            {"InferenceExperiments": []},
            {"MaxResults": 100, **filters},
        )
        records, entry = run(client, list_filters=filters)
        stub.assert_no_pending_responses()
    assert records == [] and entry.error is None
