"""Shared pieces of the live-loader tests: accounts, keys, records, the fake's fixture."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from ddsql_lite.dialect.filters import simple_filters
from ddsql_lite.loaders import synthetic
from ddsql_lite.loaders.live.filters import list_filters
from ddsql_lite.loaders.mapping.to_arrow import records_to_table
from ddsql_lite.loaders.mapping.to_row import REQUIRED, record_to_row
from ddsql_lite.registry import Table, load_registry
from tests.support.fake_sagemaker import FakeAws, apply_environment, aws_environment, fast_backoff

TABLE = load_registry().get("aws.sagemaker_inference_experiment")
ACCOUNT_A, ACCOUNT_B = "482910374615", "739102846501"
KEY_A, SECRET_A = "AKIAFAKEACCOUNTA0001", "fake-secret-of-account-a-Zq9"
KEY_B, SECRET_B = "AKIAFAKEACCOUNTB0002", "fake-secret-of-account-b-Xw7"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")


def pushdown(sql: str, table: Table = TABLE) -> dict[str, Any]:
    """The List-call filters a live load of ``table`` gets for the query ``sql``."""
    return list_filters(simple_filters(sql), table)


def pick(
    accounts: Iterable[str], regions: Iterable[str], per_region: int, seed: int = 11
) -> list[dict[str, Any]]:
    """Up to ``per_region`` synthetic records for each (account, region)."""
    wanted_accounts, wanted_regions = set(accounts), set(regions)
    counts: dict[tuple[str, str], int] = {}
    chosen = []
    for record in synthetic(2500, seed):
        key = (record["account_id"], record["region"])
        wanted = key[0] in wanted_accounts and key[1] in wanted_regions
        if wanted and counts.get(key, 0) < per_region:
            counts[key] = counts.get(key, 0) + 1
            chosen.append(record)
    return chosen


def bare(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with every optional field of the experiment removed, and no tags."""
    experiment = {k: record["experiment"][k] for k in REQUIRED}
    return {
        "account_id": record["account_id"],
        "region": record["region"],
        "experiment": experiment,
    }


def table_of(records: Iterable[dict[str, Any]]) -> pa.Table:
    """The table these records map to, sorted by key (the reference for comparisons)."""
    rows = [record_to_row(r, TABLE) for r in records]
    return records_to_table(rows, TABLE).sort_by("_key")


StartFake = Callable[..., FakeAws]


def fake_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StartFake]:
    """Body of the ``start_fake`` fixture (tests/conftest.py): start a :class:`FakeAws`
    and point the test's whole AWS environment at it.

    ``start_fake(records, profiles={...}, default=(key, secret) | None, region=..., **faults)``.
    Every ``AWS_*`` variable of the real environment is removed first; the config files
    are temporary; botocore's retry delays are scaled down (same policy, faster).
    """
    fakes: list[FakeAws] = []

    def start(
        records: Iterable[dict[str, Any]],
        *,
        profiles: dict[str, tuple[str, str]] | None = None,
        default: tuple[str, str] | None = (KEY_A, SECRET_A),
        region: str | None = "us-east-1",
        **faults: Any,
    ) -> FakeAws:
        keys = {KEY_A: ACCOUNT_A, KEY_B: ACCOUNT_B, **faults.pop("keys", {})}
        fake = FakeAws(records, keys=keys, **faults).start()
        fakes.append(fake)
        env = aws_environment(
            fake.url, tmp_path, profiles=profiles or {}, default=default, region=region
        )
        apply_environment(env, monkeypatch.setenv, monkeypatch.delenv)
        return fake

    with fast_backoff():
        yield start
    for fake in fakes:
        fake.stop()


SAGEMAKER_OPERATIONS = ("ListInferenceExperiments", "DescribeInferenceExperiment", "ListTags")


def sagemaker_calls(fake: FakeAws) -> int:
    return sum(fake.served[op] for op in SAGEMAKER_OPERATIONS)
