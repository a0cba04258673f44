"""Fault injection for the live AWS loader: a region that hangs (from its first call or
halfway), an endpoint that never accepts a connection, credentials that expire halfway
through the load. Each test checks that the load ends in bounded time, that the report
says what happened and where, and that no row is lost silently: every experiment of the
fake is loaded, named as missing, or beyond a listing the report says was cut off."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite import LoaderError, UnsupportedError
from ddsql_lite.cli import main
from ddsql_lite.loaders.live.load import AwsLoad, load_aws
from ddsql_lite.loaders.live.options import MAX_ATTEMPTS, AwsOptions
from ddsql_lite.loaders.live.progress import NullProgress
from ddsql_lite.loaders.live.report import LoadEntry, LoadReport
from ddsql_lite.loaders.sources import rows_table
from ddsql_lite.options import CONNECT_TIMEOUT, READ_TIMEOUT
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
    pick,
    table_of,
)
from tests.support.fake_sagemaker import unanswered_endpoint

TIMEOUT = 0.2
"""The tests' connect and read timeout (seconds, per attempt)."""
BUDGET = MAX_ATTEMPTS * TIMEOUT
"""What one call costs when every attempt times out (backoff is scaled to ~0 here)."""


class Timeline(NullProgress):
    """When each (account, region) finished and when the fan-out ended, in seconds
    since it started (credential checks and client set-up come before)."""

    def __init__(self) -> None:
        self.started = 0.0
        self.done: dict[tuple[str, str], float] = {}
        self.elapsed = 0.0

    def start(self, targets: int) -> None:
        self.started = time.monotonic()

    def target_done(self, entry: LoadEntry) -> None:
        self.done[(entry.account_id, entry.region)] = time.monotonic() - self.started

    def stop(self) -> None:
        self.elapsed = time.monotonic() - self.started


def load(progress: Timeline | None = None, **options: Any) -> AwsLoad:
    """A live load with the tests' short timeouts."""
    options.setdefault("max_workers", 4)
    options.setdefault("connect_timeout", TIMEOUT)
    options.setdefault("read_timeout", TIMEOUT)
    return load_aws(TABLE, AwsOptions.build(**options), progress=progress)


def names(records: list[dict[str, Any]], region: str, account: str = ACCOUNT_A) -> list[str]:
    """Experiment names of one (account, region), in List order."""
    return [
        r["experiment"]["Name"]
        for r in records
        if r["region"] == region and r["account_id"] == account
    ]


def entries(report: LoadReport, account: str = ACCOUNT_A) -> dict[str, LoadEntry]:
    return {e.region: e for e in report if e.account_id == account}


def assert_nothing_lost(fetched: AwsLoad, records: list[dict[str, Any]]) -> None:
    """Every experiment of the fake is loaded, or named in its entry's ``missing``, or
    beyond the ``listed`` ones of a listing the entry flags as cut off; an entry with
    anything missing has an error saying so."""
    unreported = 0
    for entry in fetched.report:
        listing = names(records, entry.region, entry.account_id)
        loaded = names(fetched.records, entry.region, entry.account_id)
        assert not set(loaded) & set(entry.missing)
        assert sorted(loaded + list(entry.missing)) == sorted(listing[: entry.listed])
        assert len(loaded) == entry.rows
        if entry.listing_complete:
            assert entry.listed == len(listing)
        else:
            unreported += len(listing) - entry.listed
            assert entry.error is not None
            if entry.listed:
                assert f"listing cut off after {entry.listed}" in entry.error
        if entry.missing:
            assert entry.error is not None
            assert f"{len(entry.missing)} not loaded" in entry.error
    assert len(fetched.records) + fetched.report.missing + unreported == len(records)


def test_timeouts_are_options_with_defaults() -> None:
    """The connect and read timeouts reach every client's configuration."""
    default: Any = AwsOptions.build().client_config(16)  # botocore Config: untyped
    assert (default.connect_timeout, default.read_timeout) == (CONNECT_TIMEOUT, READ_TIMEOUT)
    assert default.retries == {"mode": "standard", "total_max_attempts": MAX_ATTEMPTS}
    short: Any = AwsOptions.build(connect_timeout=0.5, read_timeout=2).client_config(max_attempts=3)
    assert (short.connect_timeout, short.read_timeout) == (0.5, 2.0)
    assert short.retries == {"mode": "standard", "total_max_attempts": 3}
    with pytest.raises(UnsupportedError, match=r"^read_timeout: 0 is not between 0 and 3600"):
        AwsOptions.build(read_timeout=0)
    with pytest.raises(UnsupportedError, match=r"^max_workers: 0 is not a whole number from 1"):
        AwsOptions.build(max_workers=0)
    with pytest.raises(UnsupportedError, match=r"^connect_timeout: 'x' is not a number"):
        AwsOptions.build(connect_timeout="x")  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_hanging_region_fails_on_its_read_timeout_and_holds_up_no_other(
    start_fake: StartFake,
) -> None:
    """eu-west-1 accepts connections and never answers: its entry says read timeout
    after botocore's attempts (one call's budget, not more), and the other regions
    load completely, finishing long before it gives up."""
    records = pick([ACCOUNT_A], REGIONS, 8)
    fake = start_fake(records, hang={"eu-west-1": 0})
    timeline = Timeline()
    fetched = load(timeline, regions=list(REGIONS), endpoint_url=fake.url)

    by_region = entries(fetched.report)
    hung = by_region["eu-west-1"]
    assert hung.error is not None
    assert hung.error.startswith('ReadTimeoutError: Read timeout on endpoint URL: "http://')
    assert hung.error.endswith(f"(no answer within the {TIMEOUT:g} s read timeout)")
    assert (hung.rows, hung.listed, hung.listing_complete) == (0, 0, False)
    # one List call, every attempt timed out, then nothing more was tried
    assert hung.api_calls == 1 and hung.retries == MAX_ATTEMPTS - 1 == fake.hung - 1
    assert BUDGET <= hung.seconds < BUDGET + 1.0 and timeline.elapsed < BUDGET + 1.0

    good = [r for r in records if r["region"] != "eu-west-1"]
    assert rows_table(fetched.records, TABLE).sort_by("_key").equals(table_of(good))
    for region in REGIONS[:2]:
        entry = by_region[region]
        assert entry.ok and entry.listing_complete and entry.rows == entry.listed == 8
        assert timeline.done[(ACCOUNT_A, region)] < BUDGET / 2  # not held up
    assert_nothing_lost(fetched, records)

    summary = fetched.report.summary().splitlines()
    assert summary[0].endswith("; incomplete: 1 region not listed")
    assert summary[1].startswith(f"  failed: {ACCOUNT_A} eu-west-1: ReadTimeoutError: ")


@pytest.mark.slow
def test_a_region_that_stops_answering_halfway_is_given_up_after_one_timeout(
    start_fake: StartFake,
) -> None:
    """us-west-2 answers its List and four more calls, then hangs. The calls in flight
    (at most one per thread) time out together and no call is started for it after that:
    it costs one call's budget, not a timeout for each of its remaining experiments.
    Its entry names every listed experiment it could not read."""
    records = pick([ACCOUNT_A], REGIONS[:2], 12)
    fake = start_fake(records, hang={"us-west-2": 5})
    timeline = Timeline()
    fetched = load(timeline, regions=list(REGIONS[:2]), endpoint_url=fake.url)

    by_region = entries(fetched.report)
    hung = by_region["us-west-2"]
    assert hung.error is not None and hung.error.startswith("ReadTimeoutError: ")
    assert hung.listing_complete and hung.listed == 12
    assert hung.rows <= 2 and len(hung.missing) == 12 - hung.rows
    assert f"({len(hung.missing)} not loaded" in hung.error
    assert timeline.elapsed < 2 * BUDGET
    # 5 answered calls, then at most the 4 in flight (one per thread); none after them
    assert hung.api_calls <= 5 + 4 and fake.hung <= 4 * MAX_ATTEMPTS
    assert by_region["us-east-1"].ok and by_region["us-east-1"].rows == 12
    assert_nothing_lost(fetched, records)

    summary = fetched.report.summary()
    assert f"; incomplete: {len(hung.missing)} experiments not loaded" in summary
    assert f"    not loaded: {', '.join(hung.missing[:5])} and " in summary


@pytest.mark.slow
def test_a_region_hanging_halfway_holds_only_its_share_of_the_threads(
    start_fake: StartFake,
) -> None:
    """us-west-2 answers its List and five more calls, then hangs, while the other two
    regions still have most of their experiments to load, on 4 threads. The hung region
    runs at most its share of them (4 threads / 3 regions: 2) when it stops answering,
    and holds them for one timeout only: once an attempt timed out it runs one call,
    the probe, which keeps its retries, while its other calls give their thread back;
    when the probe has spent its attempts the region's queued experiments are dropped
    at once. The other regions load completely, long before it is given up (before
    the fix every thread ended up waiting on the hung region, for every attempt)."""
    timeout = 0.3  # the others' work outlasts one timeout: the hung region's share stays 2
    budget = MAX_ATTEMPTS * timeout
    records = pick([ACCOUNT_A], REGIONS, 30)
    fake = start_fake(records, hang={"us-west-2": 6}, latency=0.01)
    timeline = Timeline()
    fetched = load(
        timeline,
        regions=list(REGIONS),
        endpoint_url=fake.url,
        max_workers=4,
        connect_timeout=timeout,
        read_timeout=timeout,
    )

    by_region = entries(fetched.report)
    hung = by_region["us-west-2"]
    assert hung.error is not None and hung.error.startswith("ReadTimeoutError: ")
    assert hung.listing_complete and hung.listed == 30
    assert hung.rows <= 3 and len(hung.missing) == 30 - hung.rows
    # at most 2 calls in flight when it hung: 2 unanswered attempts, then the probe's
    # other attempts; no call was started there after that
    share = 2
    assert fake.hung <= share + MAX_ATTEMPTS - 1
    assert hung.api_calls <= 6 + share
    for region in ("us-east-1", "eu-west-1"):
        entry = by_region[region]
        assert entry.ok and entry.listing_complete and entry.rows == entry.listed == 30
        assert timeline.done[(ACCOUNT_A, region)] < budget / 2  # not held up
    # the hung region is given up once its probe has spent its attempts, not later
    assert budget <= timeline.done[(ACCOUNT_A, "us-west-2")] < budget + 1.0
    assert timeline.elapsed < budget + 1.0
    assert_nothing_lost(fetched, records)


@pytest.mark.slow
def test_an_endpoint_that_never_accepts_fails_on_the_connect_timeout(
    start_fake: StartFake,
) -> None:
    """Connections to the SageMaker endpoint are never accepted (127.0.0.1 only): both
    regions fail on their connect timeout, concurrently, and the load raises naming
    each of them."""
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:2], 3))  # STS still answers
    timeline = Timeline()
    with unanswered_endpoint() as url, pytest.raises(LoaderError) as err:
        load(timeline, regions=list(REGIONS[:2]), endpoint_url=url)
    message = str(err.value)
    assert message.startswith("nothing loaded from AWS: every region failed:")
    for region in REGIONS[:2]:
        assert f"{ACCOUNT_A} {region}: ConnectTimeoutError: Connect timeout on endpoint" in message
    assert message.count(f"(no answer within the {TIMEOUT:g} s connect timeout)") == 2
    assert BUDGET <= timeline.elapsed < 1.5 * BUDGET  # the two regions waited together
    assert fake.served["GetCallerIdentity"] == 1


def two_profiles(start_fake: StartFake, records: list[dict[str, Any]], **faults: Any) -> Any:
    return start_fake(
        records,
        profiles={"prod": (KEY_A, SECRET_A), "staging": (KEY_B, SECRET_B)},
        default=None,
        **faults,
    )


def test_credentials_expiring_halfway_keep_what_was_read_and_name_the_rest(
    start_fake: StartFake,
) -> None:
    """Account A's key expires after 7 SageMaker calls. One thread, and the targets taken
    round-robin, make the order exact: both Lists, the first experiment of each region,
    then the second one's Describe in us-east-1; its ListTags is refused. Each region of
    A then makes one refused call and no more; what was read is kept, every other
    experiment of A is named, account B loads fully."""
    records = pick([ACCOUNT_A, ACCOUNT_B], REGIONS[:2], 6)
    fake = two_profiles(start_fake, records, expire_after={KEY_A: 7})
    fetched = load(
        profiles=["prod", "staging"],
        regions=list(REGIONS[:2]),
        endpoint_url=fake.url,
        max_workers=1,
    )
    east, west = (entries(fetched.report)[r] for r in REGIONS[:2])
    east_names, west_names = names(records, "us-east-1"), names(records, "us-west-2")
    assert (east.rows, east.missing, east.api_calls) == (1, tuple(east_names[1:]), 5)
    assert (west.rows, west.missing, west.api_calls) == (1, tuple(west_names[1:]), 4)
    assert all(e.ok and e.rows == 6 for e in entries(fetched.report, ACCOUNT_B).values())
    assert len(fetched.records) == 14 and fetched.report.missing == 10
    assert_nothing_lost(fetched, records)

    summary = fetched.report.summary()
    assert summary.splitlines()[0].endswith("; incomplete: 10 experiments not loaded")
    assert f"  failed: {ACCOUNT_A} us-east-1: ExpiredTokenException: " in summary
    assert f"    not loaded: {', '.join(east_names[1:])}\n" in summary
    assert summary.endswith(f"    not loaded: {', '.join(west_names[1:])}")
    assert KEY_A not in summary and SECRET_A not in summary
    # a cache snapshot keeps what is missing
    assert LoadReport.from_json(fetched.report.to_json()).entries == fetched.report.entries


def test_credentials_expiring_mid_listing_say_the_listing_was_cut_off(
    start_fake: StartFake,
) -> None:
    """Two-item List pages and one thread: A's listing pages first, and its key expires
    on the third page. The report says the listing was cut off after 4 experiments
    (more may exist) and names those 4 as not loaded: none was tried once the account's
    credentials were known to have expired."""
    records = pick([ACCOUNT_A, ACCOUNT_B], ["us-east-1"], 7)
    fake = two_profiles(start_fake, records, page_size=2, expire_after={KEY_A: 2})
    fetched = load(
        profiles=["prod", "staging"], regions=["us-east-1"], endpoint_url=fake.url, max_workers=1
    )
    entry = entries(fetched.report)["us-east-1"]
    listed = names(records, "us-east-1")[:4]
    assert (entry.rows, entry.listed, entry.listing_complete) == (0, 4, False)
    assert (entry.missing, entry.api_calls) == (tuple(listed), 3)
    assert entry.error is not None and entry.error.startswith(
        "ExpiredTokenException: The security token included in the request is expired "
        "(listing cut off after 4; 4 not loaded); the credentials of profile 'prod' expired"
    )
    assert entries(fetched.report, ACCOUNT_B)["us-east-1"].rows == 7
    assert_nothing_lost(fetched, records)
    head = fetched.report.summary().splitlines()[0]
    assert head.endswith("; incomplete: 1 listing cut off, 4 experiments not loaded")


def test_credentials_expiring_under_concurrency_lose_no_row_silently(
    start_fake: StartFake,
) -> None:
    """Eight threads, two-item List pages, three regions: the expiry lands wherever the
    threads are (mid-listing included). Whatever the interleaving, every experiment is
    loaded, named as missing, or beyond a listing reported as cut off."""
    records = pick([ACCOUNT_A], REGIONS, 10)
    fake = start_fake(records, page_size=2, expire_after={KEY_A: 25})
    fetched = load(regions=list(REGIONS), endpoint_url=fake.url, max_workers=8)
    assert fetched.records  # more calls were answered than threads can have in flight
    assert all(e.error is not None and "ExpiredTokenException" in e.error for e in fetched.report)
    assert not fetched.report.complete
    assert_nothing_lost(fetched, records)


def test_the_cli_summary_shows_a_partial_load(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line answers from what was loaded and says on stderr what is not."""
    records = pick([ACCOUNT_A, ACCOUNT_B], ["us-east-1"], 5)
    fake = two_profiles(start_fake, records, expire_after={KEY_A: 5})
    argv = ["-c", "SELECT count(*) AS n FROM aws.sagemaker_inference_experiment"]
    argv += ["--format", "csv", "--source", "aws", "--endpoint-url", fake.url]
    argv += ["--profile", "prod", "--profile", "staging", "--region", "us-east-1"]
    assert main([*argv, "--max-workers", "1"]) == 0
    out, err = capsys.readouterr()
    # List, then 2 experiments of A (4 calls); the third's Describe is refused
    assert out.splitlines() == ["n", "7"]
    lines = err.splitlines()
    assert lines[0].startswith("loaded 7 rows from 2 regions in 2 accounts in ")
    assert lines[0].endswith("; incomplete: 3 experiments not loaded")
    assert lines[1].startswith(f"  failed: {ACCOUNT_A} us-east-1: ExpiredTokenException: ")
    assert "aws sso login --profile prod" in lines[1]
    assert lines[2] == f"    not loaded: {', '.join(names(records, 'us-east-1')[2:])}"


@pytest.mark.slow
def test_the_cli_read_timeout_gives_up_a_hanging_region(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--read-timeout`` reaches every client: the hanging region is reported after its
    attempts at that timeout, and the query answers from the other region."""
    records = pick([ACCOUNT_A], REGIONS[:2], 3)
    fake = start_fake(records, hang={REGIONS[1]: 0})
    argv = ["-c", "SELECT count(*) AS n FROM aws.sagemaker_inference_experiment"]
    argv += ["--format", "csv", "--source", "aws", "--endpoint-url", fake.url]
    argv += ["--region", REGIONS[0], "--region", REGIONS[1], "--read-timeout", "0.05"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["n", "3"]
    assert f"failed: {ACCOUNT_A} {REGIONS[1]}: ReadTimeoutError: " in err
    assert "(no answer within the 0.05 s read timeout)" in err


@pytest.mark.slow
def test_an_incomplete_load_is_not_cached(start_fake: StartFake, tmp_path: Path) -> None:
    """A snapshot of a partial load would serve its gaps until it ages out: it is not
    written, and the next connection loads again."""
    records = pick([ACCOUNT_A], REGIONS[:2], 3)
    fake = start_fake(records, hang={REGIONS[1]: 0})
    options: dict[str, Any] = {
        "source": "aws",
        "regions": list(REGIONS[:2]),
        "endpoint_url": fake.url,
        "read_timeout": 0.05,
        "cache": tmp_path / "cache",
    }
    first = ddsql_lite.connect(**options)
    assert not first.load_report().complete and first.load_report().cache_path is None
    assert not list(tmp_path.glob("cache/*.parquet"))
    second = ddsql_lite.connect(**options)
    assert not second.load_report().from_cache and second.load_report().rows == 3
