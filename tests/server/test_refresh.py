"""``ddsql serve --source aws --refresh-every``: the served data follows the source, and a
reload that fails keeps the data served and says so (the fake AWS endpoint of
tests/support/fake_sagemaker.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
import pytest

from tests.server.conftest import serve_command, stop
from tests.support.aws_helpers import ACCOUNT_A, KEY_A, StartFake, pick

pytestmark = pytest.mark.slow

T = "aws.sagemaker_inference_experiment"


def eventually(check: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_refresh_follows_the_source_and_a_failed_reload_keeps_the_data(
    start_fake: StartFake,
) -> None:
    records = pick([ACCOUNT_A], ["us-east-1"], 4)
    fake = start_fake(records[:3])
    process, port = serve_command(
        "--source", "aws", "--region", "us-east-1", "--refresh-every", "1s"
    )
    try:
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=me dbname=ddsql", autocommit=True
        ) as conn:

            def count() -> int:
                return int(conn.execute(f"SELECT count(*) FROM {T}").fetchone()[0])  # type: ignore[index]

            assert count() == 3
            added = dict(records[3])
            with fake._lock:
                fake.data[(ACCOUNT_A, "us-east-1")].append(added)
                fake._by_name[(ACCOUNT_A, "us-east-1", added["experiment"]["Name"])] = added
                fake._by_arn[(ACCOUNT_A, "us-east-1", added["experiment"]["Arn"])] = added
            eventually(lambda: count() == 4, "the new experiment")
            checks = fake.served["GetCallerIdentity"]
            fake.expired_keys.add(KEY_A)  # every reload fails from now on
            eventually(lambda: fake.served["GetCallerIdentity"] >= checks + 2, "failed reloads")
            assert count() == 4  # still the data loaded before
    finally:
        err = stop(process)
    assert "refresh failed, still serving the previous data" in err
    assert "refreshed" in err
