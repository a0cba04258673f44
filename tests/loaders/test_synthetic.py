"""The synthetic generator and the bundled sample data, checked against the real API model.

Both must produce records in the fixture format (docs/design.md) whose ``experiment`` is a
valid DescribeInferenceExperiment response and whose ``tags`` a valid ListTags ``Tags``
list, as botocore's SageMaker service model describes them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, Shape, StructureShape

from ddsql_lite.loaders.mapping.synthetic_records import synthetic

SAMPLE = Path(__file__).resolve().parents[2] / "ddsql_lite" / "data" / "sample_experiments.json"
STATUSES = {
    "Creating",
    "Created",
    "Updating",
    "Running",
    "Starting",
    "Stopping",
    "Completed",
    "Cancelled",
}
REQUIRED = ("Arn", "Name", "Type", "Status", "CreationTime")
ARN = re.compile(
    r"arn:aws:sagemaker:(?P<region>[a-z]{2}-[a-z]+-\d):(?P<account>\d{12}):"
    r"inference-experiment/(?P<name>.+)"
)


# --- a small validator over botocore shapes -------------------------------------------


@cache
def _model() -> Any:
    return botocore.session.get_session().get_service_model("sagemaker")


def describe_shape() -> StructureShape:
    shape = _model().operation_model("DescribeInferenceExperiment").output_shape
    assert isinstance(shape, StructureShape)
    return shape


def tags_shape() -> Shape:
    output = _model().operation_model("ListTags").output_shape
    assert isinstance(output, StructureShape)
    return output.members["Tags"]


# Java-style Unicode classes (used inside [...] in AWS tag patterns) for Python's re;
# \w is a little wider than letters, which only matters for "_", already allowed there.
_UNICODE_CLASSES = {
    r"\p{L}": r"\w",
    r"\p{N}": r"\d",
    r"\p{Z}": " \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000",
}


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """The AWS pattern as a Python regex. DOTALL: a description's ``.*`` takes newlines."""
    for java, python in _UNICODE_CLASSES.items():
        pattern = pattern.replace(java, python)
    return re.compile(pattern, re.DOTALL)


def _is_timestamp(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if not isinstance(value, str):
        return False
    try:
        stamp = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return False
    return stamp.tzinfo is not None


def validate(value: Any, shape: Shape, path: str) -> list[str]:
    """Problems of ``value`` against ``shape``: members, required members, types, enums,
    string patterns and lengths, list lengths, integer ranges."""
    problems: list[str] = []
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        for name in value:
            if name not in shape.members:
                problems.append(f"{path}.{name}: not a member of {shape.name}")
        for name in shape.required_members:
            if name not in value:
                problems.append(f"{path}.{name}: required member missing")
        for name, member in shape.members.items():
            if name in value:
                problems += validate(value[name], member, f"{path}.{name}")
    elif kind == "list":
        assert isinstance(shape, ListShape)
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
            problems.append(f"{path}: {len(value)} items, allowed {meta}")
        for i, item in enumerate(value):
            problems += validate(item, shape.member, f"{path}[{i}]")
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{path}: expected a string, got {type(value).__name__}"]
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            problems.append(f"{path}: {value!r} is not one of {shape.name}'s enum")
        if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
            problems.append(f"{path}: length {len(value)} outside {meta}")
        if "pattern" in meta and not _pattern(meta["pattern"]).fullmatch(value):
            problems.append(f"{path}: {value!r} does not match {meta['pattern']!r}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: expected an integer, got {type(value).__name__}"]
        if not meta.get("min", 0) <= value <= meta.get("max", value):
            problems.append(f"{path}: {value} outside {meta}")
    elif kind == "timestamp":
        if not _is_timestamp(value):
            problems.append(f"{path}: {value!r} is not ISO-8601 with a zone or epoch seconds")
    else:
        problems.append(f"{path}: unexpected shape type {kind}")
    return problems


def record_problems(record: dict[str, Any]) -> list[str]:
    """Every problem of one fixture record: context, API shapes, ARN consistency."""
    problems: list[str] = []
    if set(record) - {"account_id", "region", "experiment", "tags"}:
        problems.append(f"unexpected record keys {sorted(record)}")
    account, region = record.get("account_id"), record.get("region")
    if not (isinstance(account, str) and re.fullmatch(r"\d{12}", account)):
        problems.append(f"account_id {account!r}")
    experiment = record.get("experiment")
    if not isinstance(experiment, dict):
        return [*problems, "experiment is not an object"]
    for name in REQUIRED:
        if experiment.get(name) in (None, ""):
            problems.append(f"experiment.{name}: required by docs/design.md, missing")
    problems += validate(experiment, describe_shape(), "experiment")
    if "tags" in record:
        problems += validate(record["tags"], tags_shape(), "tags")
    match = ARN.fullmatch(str(experiment.get("Arn")))
    if not match:
        problems.append(f"Arn {experiment.get('Arn')!r}")
    elif (match["account"], match["region"], match["name"]) != (
        account,
        region,
        experiment.get("Name"),
    ):
        problems.append(f"Arn {match[0]} disagrees with account/region/Name")
    if not problems:  # cross-field rules need well-formed fields
        problems += _consistency(experiment)
    return problems


def _utc(value: Any) -> datetime:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _consistency(experiment: dict[str, Any]) -> list[str]:
    """Cross-field rules the API keeps: time order, CompletionTime only when finished,
    ShadowModeConfig naming the experiment's own variants."""
    problems = []
    created = _utc(experiment["CreationTime"])
    if "LastModifiedTime" in experiment and _utc(experiment["LastModifiedTime"]) < created:
        problems.append("LastModifiedTime before CreationTime")
    finished = experiment["Status"] in ("Completed", "Cancelled")
    if ("CompletionTime" in experiment) != finished:
        problems.append(f"CompletionTime presence wrong for {experiment['Status']}")
    if "CompletionTime" in experiment and _utc(experiment["CompletionTime"]) < created:
        problems.append("CompletionTime before CreationTime")
    schedule = experiment.get("Schedule", {})
    if {"StartTime", "EndTime"} <= set(schedule) and _utc(schedule["EndTime"]) <= _utc(
        schedule["StartTime"]
    ):
        problems.append("Schedule ends before it starts")
    if "FailureReason" in experiment["EndpointMetadata"] and "StatusReason" not in experiment:
        problems.append("the endpoint failed but StatusReason is missing")
    variants = [v["VariantName"] for v in experiment.get("ModelVariants", [])]
    shadow = experiment.get("ShadowModeConfig")
    if shadow is not None:
        names = [shadow["SourceModelVariantName"]] + [
            v["ShadowModelVariantName"] for v in shadow["ShadowModelVariants"]
        ]
        if sorted(names) != sorted(variants):
            problems.append(f"ShadowModeConfig variants {names} vs ModelVariants {variants}")
    return problems


# --- the validator itself ---------------------------------------------------------------


def test_validator_catches_bad_shapes() -> None:
    good = synthetic(1, seed=3)[0]
    assert record_problems(good) == []
    bad = json.loads(json.dumps(good))
    bad["experiment"]["Status"] = "Failed"
    bad["experiment"]["Bogus"] = 1
    bad["experiment"]["ModelVariants"][0]["InfrastructureConfig"]["RealTimeInferenceConfig"][
        "InstanceType"
    ] = "m5.large"
    bad["experiment"]["ShadowModeConfig"]["ShadowModelVariants"] *= 2
    bad["experiment"]["CreationTime"] = "yesterday"
    bad["experiment"]["Name"] = "fraud_xgb"
    bad["tags"] = [{"Key": "", "Value": "x"}, {"Key": "a", "Value": "b,c"}]
    text = "\n".join(record_problems(bad))
    for needle in (
        "experiment.Status:",
        "experiment.Bogus:",
        "experiment.ModelVariants[0].InfrastructureConfig.RealTimeInferenceConfig.InstanceType:",
        "experiment.ShadowModeConfig.ShadowModelVariants: 2 items",
        "experiment.CreationTime:",
    ):
        assert needle in text
    assert "experiment.Name" in text and "Arn" in text
    assert "tags[0].Key" in text and "tags[1].Value" in text
    spaced = {"Key": "Cost Center", "Value": "Zoë Müller"}
    assert validate([spaced], tags_shape(), "tags") == []


# --- synthetic() ---------------------------------------------------------------------


def test_deterministic_for_a_seed() -> None:
    assert synthetic(300, seed=11) == synthetic(300, seed=11)
    assert json.dumps(synthetic(300, seed=11)) == json.dumps(synthetic(300, seed=11))


def test_different_seeds_differ() -> None:
    assert synthetic(50, seed=1) != synthetic(50, seed=2)
    assert synthetic(50) == synthetic(50, seed=0)


def test_prefix_stable() -> None:
    assert synthetic(40, seed=5) == synthetic(200, seed=5)[:40]


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_n_respected(n: int) -> None:
    assert len(synthetic(n)) == n


def test_negative_n_rejected() -> None:
    with pytest.raises(ValueError):
        synthetic(-1)


def test_arns_unique_and_consistent() -> None:
    records = synthetic(20_000, seed=4)
    arns = [r["experiment"]["Arn"] for r in records]
    assert len(set(arns)) == len(arns)
    for record in records[:2000]:
        match = ARN.fullmatch(record["experiment"]["Arn"])
        assert match
        assert match["account"] == record["account_id"]
        assert match["region"] == record["region"]
        assert match["name"] == record["experiment"]["Name"]


def test_required_fields_present() -> None:
    for record in synthetic(2000, seed=9):
        for name in REQUIRED:
            assert record["experiment"].get(name) not in (None, "")


def test_distributions() -> None:
    records = synthetic(1000)
    experiments = [r["experiment"] for r in records]
    assert {e["Status"] for e in experiments} == STATUSES
    assert len({r["account_id"] for r in records}) >= 3
    assert len({r["region"] for r in records}) >= 4
    assert any("tags" not in r for r in records)
    assert any(r.get("tags") == [] for r in records)
    tag_counts = {len(r["tags"]) for r in records if "tags" in r}
    assert min(tag_counts) == 0 and max(tag_counts) <= 6
    assert any(_multi_valued(r.get("tags", [])) for r in records)
    assert any(_duplicated(r.get("tags", [])) for r in records)
    for member in ("Description", "StatusReason", "DataStorageConfig", "KmsKey", "Schedule"):
        present = sum(member in e for e in experiments)
        assert 0 < present < len(experiments), member
    styles = Counter(_time_style(e["CreationTime"]) for e in experiments)
    assert set(styles) == {"Z", "offset", "epoch"}
    assert styles["Z"] > len(experiments) / 2
    sampling = {
        e["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] for e in experiments
    }
    assert {0, 100} <= sampling and len(sampling) > 5
    instance_types = {
        v["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceType"]
        for e in experiments
        for v in e["ModelVariants"]
    }
    assert len(instance_types) > 10
    created = sorted(_utc(e["CreationTime"]) for e in experiments)
    assert created[0].year == created[-1].year == 2025
    assert (created[-1] - created[0]).days > 300


def test_synthetic_records_validate_against_botocore() -> None:
    records = synthetic(3000, seed=21)
    problems = {i: p for i, r in enumerate(records) if (p := record_problems(r))}
    assert not problems, dict(list(problems.items())[:5])


def test_records_are_json_serialisable() -> None:
    for record in synthetic(200, seed=8):
        assert json.loads(json.dumps(record)) == record


# --- the bundled sample ---------------------------------------------------------------


@cache
def _sample() -> list[dict[str, Any]]:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and set(data) == {"records"}
    records: list[dict[str, Any]] = data["records"]
    return records


def _by_name(name: str) -> list[dict[str, Any]]:
    return [r for r in _sample() if r["experiment"]["Name"] == name]


def _one(name: str) -> dict[str, Any]:
    (record,) = _by_name(name)
    return record


def _multi_valued(tags: list[dict[str, str]]) -> bool:
    values: dict[str, set[str]] = {}
    for tag in tags:
        values.setdefault(tag["Key"], set()).add(tag["Value"])
    return any(len(v) > 1 for v in values.values())


def _duplicated(tags: list[dict[str, str]]) -> bool:
    pairs = [(t["Key"], t["Value"]) for t in tags]
    return len(pairs) != len(set(pairs))


def _time_style(value: Any) -> str:
    if isinstance(value, (int, float)):
        return "epoch"
    return "Z" if value.endswith("Z") else "offset"


def test_sample_records_validate_against_botocore() -> None:
    problems = {r["experiment"]["Name"]: p for r in _sample() if (p := record_problems(r))}
    assert not problems, problems


def test_sample_size_and_spread() -> None:
    records = _sample()
    assert len(records) >= 28
    assert len({r["experiment"]["Arn"] for r in records}) == len(records)
    assert len({r["account_id"] for r in records}) >= 2
    assert len({r["region"] for r in records}) >= 3
    assert {r["experiment"]["Status"] for r in records} == STATUSES
    created = [_utc(r["experiment"]["CreationTime"]) for r in records]
    assert {c.year for c in created} == {2025}
    assert len({c.month for c in created}) >= 10


def test_sample_tag_edge_cases() -> None:
    fraud = _one("fraud-xgb-v7-shadow")["tags"]
    assert {"ml-platform", "fraud"} <= {t["Value"] for t in fraud if t["Key"] == "team"}
    assert _duplicated(_one("fraud-xgb-v6-shadow")["tags"])
    assert {"Key": "cost-center", "Value": ""} in _by_name("churn-lgbm-v3-shadow")[0]["tags"]
    assert {"Key": "Cost Center", "Value": "4410"} in _one("recsys-two-tower-v12-shadow")["tags"]
    assert _one("search-rerank-bert-v5-shadow")["tags"] == []
    assert "tags" not in _one("ltv-regression-v2-shadow")
    assert "tags" not in _one("spam-filter-fasttext-v11-shadow")
    eta = {t["Key"] for t in _one("eta-gbm-v14-shadow")["tags"]}
    assert "aws:cloudformation:stack-name" in eta
    assert {"Key": "owner", "Value": "Zoë Müller"} in _one("anomaly-iforest-v3-shadow")["tags"]
    assert sum(_multi_valued(r.get("tags", [])) for r in _sample()) >= 3


def test_sample_missing_optional_fields() -> None:
    bare = _one("search-rerank-bert-v5-shadow")["experiment"]
    for member in ("Description", "CompletionTime", "StatusReason", "DataStorageConfig"):
        assert member not in bare
    assert "KmsKey" not in bare
    assert "Schedule" not in _one("spam-filter-fasttext-v11-shadow")["experiment"]
    assert "EndTime" not in _one("route-optimizer-v2-shadow")["experiment"]["Schedule"]
    completed = _one("pricing-elasticity-v4-shadow")["experiment"]
    assert completed["Status"] == "Completed" and "StatusReason" not in completed
    assert _one("spam-filter-fasttext-v10-shadow")["experiment"]["Description"] == ""
    storage = _one("demand-forecast-deepar-v9-shadow")["experiment"]["DataStorageConfig"]
    assert set(storage) == {"Destination"}  # no KmsKey, no ContentType
    assert "EndpointConfigName" not in _one("eta-gbm-v14-shadow")["experiment"]["EndpointMetadata"]
    experiments = [r["experiment"] for r in _sample()]
    for member in ("Description", "StatusReason", "DataStorageConfig", "KmsKey", "Schedule"):
        assert any(member not in e for e in experiments), member
        assert any(member in e for e in experiments), member
    storages = [e["DataStorageConfig"] for e in experiments if "DataStorageConfig" in e]
    assert any("ContentType" not in s for s in storages)
    assert any("KmsKey" not in s for s in storages)
    content = [s["ContentType"] for s in storages if "ContentType" in s]
    assert any(set(c) == {"CsvContentTypes"} for c in content)
    assert any(set(c) == {"JsonContentTypes"} for c in content)
    assert any(len(c.get("JsonContentTypes", [])) == 2 for c in content)


def test_sample_status_reasons() -> None:
    for record in _sample():
        experiment = record["experiment"]
        if experiment["Status"] == "Cancelled":
            assert len(experiment["StatusReason"]) > 20
    failed = _one("credit-risk-catboost-v8-shadow")["experiment"]
    assert failed["EndpointMetadata"]["EndpointStatus"] == "Failed"
    assert '"container_1"' in failed["EndpointMetadata"]["FailureReason"]
    assert (
        "ResourceLimitExceeded"
        in _one("demand-forecast-deepar-v9-shadow")["experiment"]["StatusReason"]
    )


def test_sample_timestamp_styles() -> None:
    styles = Counter(_time_style(r["experiment"]["CreationTime"]) for r in _sample())
    assert styles["Z"] > len(_sample()) / 2 and styles["offset"] >= 2 and styles["epoch"] >= 2
    assert _one("recsys-two-tower-v11-shadow")["experiment"]["CreationTime"].endswith("+02:00")
    assert _one("llm-summarizer-mistral-7b-shadow")["experiment"]["CreationTime"].endswith("-05:00")
    assert isinstance(_one("kyc-doc-classifier-v1-shadow")["experiment"]["CreationTime"], int)
    assert isinstance(
        _one("support-intent-distilbert-v5-shadow")["experiment"]["CreationTime"], float
    )
    assert ".480Z" in _one("credit-risk-catboost-v9-shadow")["experiment"]["CreationTime"]
    mixed = _one("ad-ctr-dcn-v21-shadow")["experiment"]
    assert isinstance(mixed["CreationTime"], int) and isinstance(mixed["LastModifiedTime"], float)
    assert mixed["Schedule"]["StartTime"].endswith("+02:00")


def test_sample_variants_and_shadow_configs() -> None:
    experiments = [r["experiment"] for r in _sample()]
    sampling = {
        e["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] for e in experiments
    }
    assert {0, 1, 100} <= sampling and len(sampling) >= 8
    variant_statuses = {v["Status"] for e in experiments for v in e["ModelVariants"]}
    assert variant_statuses == {"Creating", "Updating", "InService", "Deleting", "Deleted"}
    endpoint_statuses = {e["EndpointMetadata"]["EndpointStatus"] for e in experiments}
    assert len(endpoint_statuses) >= 5
    infra = {
        (c["InstanceType"], c["InstanceCount"])
        for e in experiments
        for v in e["ModelVariants"]
        for c in [v["InfrastructureConfig"]["RealTimeInferenceConfig"]]
    }
    assert len({t for t, _ in infra}) >= 15 and len({n for _, n in infra}) >= 5
    assert any(v["VariantName"] == "AllTraffic" for e in experiments for v in e["ModelVariants"])


def test_sample_json_edge_cases() -> None:
    description = _one("recsys-two-tower-v11-shadow")["experiment"]["Description"]
    assert '"' in description and "\n" in description
    assert "é" in _one("kyc-doc-classifier-v2-shadow")["experiment"]["Description"]
    same_name = _by_name("churn-lgbm-v3-shadow")
    assert len(same_name) == 2
    assert len({(r["account_id"], r["region"]) for r in same_name}) == 2
