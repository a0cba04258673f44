"""The live AWS loader against a fake SageMaker/STS/EC2 on 127.0.0.1 (real boto3 clients,
real HTTP, the real JSON 1.1 and query protocols): faults, accounts, roles, regions,
credentials, the load report, secrets."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

import ddsql_lite
from ddsql_lite import LoaderError, UnsupportedError
from ddsql_lite.loaders.live.load import load_aws
from ddsql_lite.loaders.live.options import AwsOptions
from ddsql_lite.loaders.live.rate_shaping import RateShaper
from ddsql_lite.loaders.sources import load_tables, rows_table
from ddsql_lite.registry import load_registry
from tests.support.aws_helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    KEY_A,
    KEY_B,
    REGIONS,
    SECRET_A,
    SECRET_B,
    TABLE,
    StartFake,
    bare,
    pick,
    sagemaker_calls,
    table_of,
)


def live(**options: object) -> tuple[object, ddsql_lite.loaders.LoadReport]:
    """Load through ``load_tables``; few threads by default, as the fake shares this
    process's GIL with the loader."""
    options.setdefault("max_workers", 4)
    data, report = load_tables(
        load_registry(),
        source="aws",
        aws=AwsOptions.build(**options),  # type: ignore[arg-type]
    )
    return data[TABLE], report


def test_faults_lose_no_row(start_fake: StartFake) -> None:
    """Latency, a throttling burst, HTTP 500s, one-item pages (experiments and tags),
    a region that denies access and experiments without optional fields: the table
    holds exactly the experiments of the regions that answered."""
    records = pick([ACCOUNT_A], REGIONS, 12)
    records += [bare(r) for r in pick([ACCOUNT_A], ["eu-central-1"], 4)]
    records += pick([ACCOUNT_A], ["ap-southeast-2"], 3)  # this region denies access
    fake = start_fake(
        records,
        latency=0.002,
        throttle=range(150, 158),
        error_500=[20, 21, 100],
        page_size=1,
        tag_page_size=1,
        denied_regions=["ap-southeast-2"],
    )
    regions = [*REGIONS, "eu-central-1", "ap-southeast-2"]
    table, report = live(regions=regions, endpoint_url=fake.url, max_workers=8)

    expected = fake.expected_records(regions=regions)
    assert len(expected) == 40
    assert table.sort_by("_key").equals(table_of(expected))

    assert [(e.account_id, e.region) for e in report] == [(ACCOUNT_A, r) for r in regions]
    by_region = {e.region: e for e in report}
    denied = by_region["ap-southeast-2"]
    assert denied.rows == 0 and denied.error is not None
    assert denied.error.startswith("AccessDeniedException: User: arn:aws:iam::")
    for region in regions[:-1]:
        entry = by_region[region]
        assert entry.error is None
        assert entry.rows == sum(1 for r in expected if r["region"] == region)
        assert entry.seconds > 0
    # every SageMaker request the fake answered is a call or a retry in the report
    assert report.retries == fake.faults == 11
    assert report.api_calls + report.retries == sagemaker_calls(fake)
    # one-item pages: a List call per experiment (+1 for the last, empty-token page)
    assert fake.served["ListInferenceExperiments"] >= 40


@pytest.mark.slow
def test_a_rate_limited_service_is_ridden_not_stormed(start_fake: StartFake) -> None:
    """The fake throttles as SageMaker does: a token bucket per account, region and API,
    here 25 requests a second with bursts of 5. Every experiment is loaded, and shaping
    each API's rate to what the service accepts keeps the throttled requests few
    (botocore's standard retries alone, backoff scaled as in these tests, get ~270
    throttles here and lose experiments that spent their attempts; its adaptive mode
    slows the whole client at the first throttle and crawls at its floor rate)."""
    records = pick([ACCOUNT_A], REGIONS[:2], 40)
    fake = start_fake(records, rate_limit=25, burst=5, latency=0.005)
    table, report = live(regions=list(REGIONS[:2]), endpoint_url=fake.url, max_workers=8)
    assert table.sort_by("_key").equals(table_of(records))
    assert not report.errors
    assert report.retries == fake.faults == sum(fake.throttled.values())
    assert report.api_calls + report.retries == sagemaker_calls(fake)
    # the buckets ran dry (40 calls > 5 + 25/s), yet few requests were throttled, not
    # one per call over the rate; and no region crawled below the rate: the rate bound
    # is (40 - 5) / 25 = 1.4 s per bucket
    assert 0 < fake.faults <= 0.3 * report.api_calls
    assert all(entry.seconds < 3 * 1.4 for entry in report)


def test_the_rate_shaper_learns_each_apis_rate_from_throttles() -> None:
    """Unlimited until throttled; a throttle cuts that API's rate (not the others');
    throttles of requests sent before the cut do not cut again; requests then wait for
    their slot, and the rate grows back while nothing is throttled."""
    shaper = RateShaper()
    for _ in range(20):
        shaper.acquire("Describe")
        shaper.answered("Describe", throttled=False)
    assert shaper.rate("Describe") is None
    sent, cut_done = threading.Event(), threading.Event()

    def in_flight() -> None:  # another thread's request, sent before the cut
        shaper.acquire("Describe")
        sent.set()
        cut_done.wait(5)
        shaper.answered("Describe", throttled=True)

    other = threading.Thread(target=in_flight)
    other.start()
    sent.wait(5)
    shaper.acquire("Describe")
    shaper.answered("Describe", throttled=True)
    cut = shaper.rate("Describe")
    assert cut is not None and cut >= RateShaper.MIN_RATE
    assert shaper.rate("ListTags") is None and shaper.throttled == 1
    # the answer to the request sent before the cut is no news: no second cut
    cut_done.set()
    other.join()
    rate = shaper.rate("Describe")
    assert rate is not None and rate >= cut and shaper.throttled == 2  # it only grew
    # the next requests are spaced at the shaped rate
    started = time.monotonic()
    for _ in range(3):
        shaper.acquire("Describe")
    assert time.monotonic() - started >= 2 / (cut * 1.5)
    # a throttle of a request sent after the cut cuts again
    shaper.answered("Describe", throttled=True)
    again = shaper.rate("Describe")
    assert again is not None and again < cut


def test_experiments_missing_optional_fields_are_null(start_fake: StartFake) -> None:
    records = [bare(r) for r in pick([ACCOUNT_A], ["us-east-1"], 5)]
    fake = start_fake(records)
    table, report = live(regions=["us-east-1"], endpoint_url=fake.url)
    assert table.num_rows == 5 and report[0].rows == 5
    for column in ("description", "completion_time", "schedule", "model_variants", "role_arn"):
        assert table.column(column).null_count == 5
    assert table.sort_by("_key").equals(table_of(records))


def test_several_profiles_are_several_accounts(start_fake: StartFake) -> None:
    records = pick([ACCOUNT_A, ACCOUNT_B], REGIONS[:2], 6)
    fake = start_fake(
        records,
        profiles={"prod": (KEY_A, SECRET_A), "staging": (KEY_B, SECRET_B)},
        default=None,
    )
    con = ddsql_lite.connect(
        source="aws",
        profiles=["prod", "staging"],
        regions=list(REGIONS[:2]),
        endpoint_url=fake.url,
        max_workers=4,
    )
    report = con.load_report()
    assert [(e.account_id, e.region) for e in report] == [
        (a, r) for a in (ACCOUNT_A, ACCOUNT_B) for r in REGIONS[:2]
    ]
    assert report.rows == 24 and not report.errors
    rows = con.sql(
        "SELECT account_id, tags->'region' AS region, count(*) AS n "
        "FROM aws.sagemaker_inference_experiment GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    assert rows == [(a, r, 6) for a in sorted((ACCOUNT_A, ACCOUNT_B)) for r in sorted(REGIONS[:2])]
    # account_id is the account in the experiment's ARN
    mismatched = con.sql(
        "SELECT count(*) FROM aws.sagemaker_inference_experiment "
        "WHERE split_part(arn, ':', 5) <> account_id"
    ).fetchall()
    assert mismatched == [(0,)]


def test_same_account_twice_is_loaded_once(start_fake: StartFake) -> None:
    fake = start_fake(
        pick([ACCOUNT_A], ["us-east-1"], 3),
        profiles={"one": (KEY_A, SECRET_A), "two": (KEY_A, SECRET_A)},
    )
    table, report = live(profiles=["one", "two"], regions=["us-east-1"], endpoint_url=fake.url)
    assert len(report) == 1 and table.num_rows == 3


def test_role_arns_load_the_roles_accounts(start_fake: StartFake) -> None:
    role = f"arn:aws:iam::{ACCOUNT_B}:role/inventory-reader"
    records = pick([ACCOUNT_A, ACCOUNT_B], ["us-east-1"], 4)
    fake = start_fake(records, roles=[role])
    load = load_aws(
        TABLE, AwsOptions.build(role_arns=[role], regions=["us-east-1"], endpoint_url=fake.url)
    )
    assert [(e.account_id, e.region) for e in load.report] == [(ACCOUNT_B, "us-east-1")]
    assert {r["account_id"] for r in load.records} == {ACCOUNT_B}
    assert len(load.records) == 4
    assert fake.served["AssumeRole"] == 1
    text = json.dumps(load.records) + repr(load.report)
    for secret in fake.issued_secrets:
        assert secret not in text


def test_a_role_that_cannot_be_assumed_fails_before_fan_out(start_fake: StartFake) -> None:
    fake = start_fake(pick([ACCOUNT_A], ["us-east-1"], 2))
    with pytest.raises(LoaderError, match=r"cannot assume role .*AccessDenied"):
        live(
            role_arns=[f"arn:aws:iam::{ACCOUNT_B}:role/nope"],
            regions=["us-east-1"],
            endpoint_url=fake.url,
        )
    assert sagemaker_calls(fake) == 0


def test_all_regions_are_the_enabled_sagemaker_regions(start_fake: StartFake) -> None:
    records = pick([ACCOUNT_A], ["us-east-1", "eu-west-1", "us-west-2"], 2)
    fake = start_fake(records, enabled={ACCOUNT_A: ["us-east-1", "eu-west-1", "xx-fake-1"]})
    table, report = live(regions="all", endpoint_url=fake.url)
    # xx-fake-1 has no SageMaker, us-west-2 is not enabled
    assert sorted(e.region for e in report) == ["eu-west-1", "us-east-1"]
    assert table.num_rows == 4 and fake.served["DescribeRegions"] == 1


@pytest.mark.slow
def test_all_regions_when_the_enabled_check_is_denied(start_fake: StartFake) -> None:
    import boto3

    records = pick([ACCOUNT_A], ["us-east-1", "us-west-2"], 2)
    fake = start_fake(records, ec2_denied=True)
    table, report = live(regions="all", endpoint_url=fake.url, max_workers=8)
    every = boto3.Session().get_available_regions("sagemaker", partition_name="aws")
    assert [e.region for e in report] == every and len(every) > 20
    assert table.num_rows == 4 and not report.errors


def test_no_credentials_fail_fast(start_fake: StartFake) -> None:
    fake = start_fake(pick([ACCOUNT_A], ["us-east-1"], 2), default=None)
    with pytest.raises(LoaderError) as err:
        live(regions=["us-east-1"], endpoint_url=fake.url)
    assert "no AWS credentials found" in str(err.value)
    assert "aws configure" in str(err.value) and "aws sso login" in str(err.value)
    assert sagemaker_calls(fake) == 0


def test_expired_credentials_fail_fast_naming_the_profile(start_fake: StartFake) -> None:
    fake = start_fake(
        pick([ACCOUNT_A], ["us-east-1"], 2),
        profiles={"prod": (KEY_A, SECRET_A)},
        expired_keys=[KEY_A],
    )
    with pytest.raises(LoaderError) as err:
        live(profiles=["prod"], regions=["us-east-1"], endpoint_url=fake.url)
    message = str(err.value)
    assert "have expired" in message and "aws sso login --profile prod" in message
    assert SECRET_A not in message and KEY_A not in message
    assert sagemaker_calls(fake) == 0 and fake.served["GetCallerIdentity"] == 1


def test_rejected_credentials_fail_fast(start_fake: StartFake) -> None:
    fake = start_fake(
        pick([ACCOUNT_A], ["us-east-1"], 2), default=("AKIAUNKNOWNKEY000009", "whatever")
    )
    with pytest.raises(LoaderError, match=r"were rejected \(InvalidClientTokenId\)"):
        live(regions=["us-east-1"], endpoint_url=fake.url)
    assert sagemaker_calls(fake) == 0


def test_sso_profile_without_login_says_aws_sso_login(
    start_fake: StartFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = start_fake(pick([ACCOUNT_A], ["us-east-1"], 2), default=None)
    config = tmp_path / "sso_config"
    config.write_text(
        "[profile dev]\nsso_session = corp\nsso_account_id = 482910374615\n"
        "sso_role_name = ReadOnly\nregion = us-east-1\n\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = us-east-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("HOME", str(tmp_path))  # no cached SSO token anywhere
    with pytest.raises(LoaderError) as err:
        live(profiles=["dev"], regions=["us-east-1"], endpoint_url=fake.url)
    assert "SSO login for profile 'dev'" in str(err.value)
    assert "aws sso login --profile dev" in str(err.value)
    assert sagemaker_calls(fake) == 0


def test_unknown_profile(start_fake: StartFake) -> None:
    fake = start_fake([])
    with pytest.raises(LoaderError, match="AWS profile 'nope' is not configured"):
        live(profiles=["nope"], regions=["us-east-1"], endpoint_url=fake.url)


def test_region_name_typo_is_refused_before_any_call(start_fake: StartFake) -> None:
    fake = start_fake([])
    with pytest.raises(LoaderError, match=r"unknown region 'us-esat-1'.*did you mean .*us-east-1"):
        live(regions=["us-esat-1"])
    assert sum(fake.served.values()) == 0
    with pytest.raises(UnsupportedError, match="not an AWS region name"):
        AwsOptions.build(regions=["US East"])


def test_no_region_configured(start_fake: StartFake) -> None:
    fake = start_fake([], region=None)
    with pytest.raises(LoaderError, match=r"no region configured .*--region"):
        live(endpoint_url=fake.url)


def test_profile_region_is_the_default(start_fake: StartFake) -> None:
    fake = start_fake(pick([ACCOUNT_A], ["eu-west-1"], 2), region="eu-west-1")
    table, report = live(endpoint_url=fake.url)
    assert [e.region for e in report] == ["eu-west-1"] and table.num_rows == 2


def test_every_region_failing_is_an_error(start_fake: StartFake) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:2], 2), denied_regions=REGIONS[:2])
    with pytest.raises(LoaderError) as err:
        live(regions=list(REGIONS[:2]), endpoint_url=fake.url)
    message = str(err.value)
    assert "every region failed" in message
    assert f"{ACCOUNT_A} us-east-1: AccessDeniedException" in message
    assert f"{ACCOUNT_A} us-west-2: AccessDeniedException" in message


def test_secrets_never_reach_errors(start_fake: StartFake) -> None:
    """Even when the service echoes the credentials, the report hides them."""
    fake = start_fake(
        pick([ACCOUNT_A], REGIONS[:2], 2),
        denied_regions=["us-west-2"],
        message_leak=True,
        profiles={"prod": (KEY_A, SECRET_A)},
        default=None,
    )
    fake.secret_keys[KEY_A] = SECRET_A
    _, report = live(profiles=["prod"], regions=list(REGIONS[:2]), endpoint_url=fake.url)
    error = report.errors[0].error or ""
    assert "AccessDeniedException" in error and "****" in error
    assert KEY_A not in error and SECRET_A not in error
    assert KEY_A not in report.summary() and SECRET_A not in report.summary()


def test_vanished_experiments_are_skipped(start_fake: StartFake) -> None:
    records = pick([ACCOUNT_A], ["us-east-1"], 5)
    gone = records[2]["experiment"]["Name"]
    fake = start_fake(records, vanished=[gone])
    table, report = live(regions=["us-east-1"], endpoint_url=fake.url)
    assert table.num_rows == 4 and report[0].error is None
    assert gone not in table.column("name").to_pylist()


def test_an_experiment_that_cannot_be_read_is_reported(start_fake: StartFake) -> None:
    records = pick([ACCOUNT_A], ["us-east-1"], 5)
    broken = records[1]["experiment"]["Name"]
    fake = start_fake(records, failing=[broken])
    table, report = live(regions=["us-east-1"], endpoint_url=fake.url)
    assert table.num_rows == 4 and report[0].rows == 4
    assert report[0].error == f"ValidationException: {broken} cannot be read (1 not loaded)"
    assert "failed: 482910374615 us-east-1: ValidationException" in report.summary()


def test_records_are_json_ready_and_replayable(start_fake: StartFake) -> None:
    records = pick([ACCOUNT_A], ["us-east-1"], 6)
    fake = start_fake(records)
    load = load_aws(TABLE, AwsOptions.build(regions=["us-east-1"], endpoint_url=fake.url))
    assert json.loads(json.dumps(load.records)) == load.records
    stamps = [r["experiment"]["CreationTime"] for r in load.records]
    assert all(isinstance(s, str) and s.endswith("Z") for s in stamps)
    assert "ResponseMetadata" not in load.records[0]["experiment"]
    assert rows_table(load.records, TABLE).sort_by("_key").equals(table_of(records))


def test_report_of_sample_and_fixture_connections_is_empty() -> None:
    report = ddsql_lite.connect().load_report()
    assert report.source == "sample" and len(report) == 0 and report.rows == 0


def test_aws_options_need_source_aws() -> None:
    with pytest.raises(UnsupportedError, match="regions needs source='aws'"):
        ddsql_lite.connect(regions=["us-east-1"])
    with pytest.raises(UnsupportedError, match="not an IAM role ARN"):
        AwsOptions.build(role_arns=["role/x"])
    with pytest.raises(UnsupportedError, match="at most one profile"):
        AwsOptions.build(profiles=["a", "b"], role_arns=[f"arn:aws:iam::{ACCOUNT_B}:role/r"])
    assert AwsOptions.build(regions="us-east-1,eu-west-1").regions == ("us-east-1", "eu-west-1")
    assert AwsOptions.build(regions=["us-east-1", "all"]).regions == "all"
