"""Record and replay, the Parquet cache, the command line of live loads, the progress
bar and the report's text."""

from __future__ import annotations

import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

import ddsql_lite
from ddsql_lite import LoaderError, UnsupportedError
from ddsql_lite.cli import build_parser, main
from ddsql_lite.durations import format_duration, parse_duration
from ddsql_lite.loaders import LoadEntry, LoadReport, read_fixtures, write_fixtures
from ddsql_lite.loaders.live.cache import read_snapshot, snapshot_key
from ddsql_lite.loaders.live.options import AwsOptions
from ddsql_lite.loaders.live.progress import NullProgress, RichProgress, progress_sink
from ddsql_lite.loaders.sources import load_tables
from ddsql_lite.registry import load_registry
from tests.support.aws_helpers import (
    ACCOUNT_A,
    KEY_A,
    REGIONS,
    SECRET_A,
    TABLE,
    StartFake,
    bare,
    pick,
    sagemaker_calls,
)

T = "aws.sagemaker_inference_experiment"
COUNT = f"SELECT count(*) AS n FROM {T}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def aws_argv(url: str, *regions: str) -> list[str]:
    argv = ["--source", "aws", "--endpoint-url", url, "--max-workers", "4"]
    for region in regions:
        argv += ["--region", region]
    return argv


def live_table(url: str, regions: list[str]) -> object:
    options = AwsOptions.build(regions=regions, endpoint_url=url, max_workers=4)
    registry = load_registry()
    data, _ = load_tables(registry, source="aws", aws=options)
    return data[registry.get(T)]


@pytest.mark.slow
def test_record_then_replay_is_the_identical_table(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records = pick([ACCOUNT_A], REGIONS, 8)
    records += [bare(r) for r in pick([ACCOUNT_A], ["eu-central-1"], 2)]
    regions = [*REGIONS, "eu-central-1"]
    fake = start_fake(records, page_size=3)
    live = live_table(fake.url, regions)
    everything = f"SELECT * FROM {T} ORDER BY _key"
    code, from_aws, _ = run(
        capsys, "-c", everything, "--format", "json", *aws_argv(fake.url, *regions)
    )
    assert code == 0 and len(json.loads(from_aws)) == 26
    for suffix in (".json", ".jsonl"):
        out = tmp_path / "recorded" / f"load{suffix}"
        argv = ["record", *aws_argv(fake.url, *regions), "--out", str(out)]
        code, stdout, err = run(capsys, *argv)
        assert code == 0, err
        assert stdout == "" and f"wrote 26 records to {out}" in err
        assert "loaded 26 rows from 4 regions in 1 account" in err
        assert read_fixtures(out, TABLE).equals(live)  # same rows, same order
        text = out.read_text()
        for secret in (KEY_A, SECRET_A):
            assert secret not in text
        if suffix == ".jsonl":
            assert len(text.splitlines()) == 26
        else:
            assert isinstance(json.loads(text), list)
        # and every answer is the same through the command line
        code, from_file, _ = run(
            capsys, "-c", everything, "--format", "json", "--fixtures", str(out)
        )
        assert code == 0 and from_file == from_aws


def test_record_options_after_the_subcommand_win(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:2], 2))
    out = tmp_path / "x.json"
    code, _, err = run(
        capsys,
        "--source",
        "aws",
        "record",
        "--endpoint-url",
        fake.url,
        "--region",
        REGIONS[1],
        "--out",
        str(out),
    )
    assert code == 0, err
    assert {r["region"] for r in json.loads(out.read_text())} == {REGIONS[1]}


def test_record_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "record", "--out", str(tmp_path / "x.json"))
    assert code == 2 and "record needs --source aws" in err
    code, _, err = run(capsys, "record", "--source", "aws", "--out", str(tmp_path / "x.csv"))
    assert code == 2 and ".json or .jsonl" in err
    assert not (tmp_path / "x.json").exists()


def test_write_fixtures_refuses_records_that_would_not_replay(tmp_path: Path) -> None:
    good = pick([ACCOUNT_A], REGIONS[:1], 1)[0]
    broken = {**good, "experiment": {**good["experiment"], "CreationTime": "yesterday"}}
    with pytest.raises(LoaderError, match=r"record 1 would not replay: field experiment\.Creation"):
        write_fixtures([good, broken], tmp_path / "x.json", TABLE)
    assert not (tmp_path / "x.json").exists()
    assert write_fixtures([], tmp_path / "empty.jsonl", TABLE) == 0


def test_cache_is_reused_while_young_and_refreshed_on_demand(
    start_fake: StartFake, tmp_path: Path
) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:2], 5))
    cache = tmp_path / "cache"
    options = {
        "source": "aws",
        "regions": list(REGIONS[:2]),
        "endpoint_url": fake.url,
        "max_workers": 4,
        "cache": cache,
    }
    first = ddsql_lite.connect(**options, max_age="1h")  # type: ignore[arg-type]
    calls = sagemaker_calls(fake)
    assert not first.load_report().from_cache and calls > 0
    assert len(list(cache.glob("*.parquet"))) == 1 and len(list(cache.glob("*.json"))) == 1

    second = ddsql_lite.connect(**options, max_age=timedelta(hours=1))  # type: ignore[arg-type]
    report = second.load_report()
    assert sagemaker_calls(fake) == calls  # nothing fetched
    assert report.from_cache and report.rows == 10 and len(report) == 2
    assert report.summary(3600).startswith("using the cached snapshot ")
    assert "old; max age 1h (--refresh reloads): 10 rows from 2 regions in 1 account" in (
        report.summary(3600)
    )
    assert second.sql(f"SELECT * FROM {T} ORDER BY _key").fetchall() == (
        first.sql(f"SELECT * FROM {T} ORDER BY _key").fetchall()
    )

    ddsql_lite.connect(**options, refresh=True)  # type: ignore[arg-type]
    assert sagemaker_calls(fake) == 2 * calls
    ddsql_lite.connect(**options, max_age=0)  # type: ignore[arg-type]
    assert sagemaker_calls(fake) == 3 * calls
    # other regions are another snapshot
    other = dict(options, regions=[REGIONS[2]])
    ddsql_lite.connect(**other)  # type: ignore[arg-type]
    assert len(list(cache.glob("*.parquet"))) == 2


def test_a_damaged_snapshot_is_ignored(start_fake: StartFake, tmp_path: Path) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 3))
    options = {
        "source": "aws",
        "regions": [REGIONS[0]],
        "endpoint_url": fake.url,
        "max_workers": 4,
        "cache": tmp_path,
    }
    ddsql_lite.connect(**options)  # type: ignore[arg-type]
    [parquet] = tmp_path.glob("*.parquet")
    parquet.write_bytes(b"not parquet")
    identity = AwsOptions.build(regions=[REGIONS[0]], endpoint_url=fake.url).identity()
    assert parquet.name == snapshot_key(TABLE, identity) + ".parquet"
    assert read_snapshot(tmp_path, TABLE, identity, 3600) is None
    con = ddsql_lite.connect(**options)  # type: ignore[arg-type]
    assert not con.load_report().from_cache and con.load_report().rows == 3


def test_cli_cache_says_how_old_it_is(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 4))
    argv = [
        "-c",
        COUNT,
        "--format",
        "csv",
        *aws_argv(fake.url, REGIONS[0]),
        "--cache",
        str(tmp_path),
        "--max-age",
        "15m",
    ]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (0, "n\n4\n") and err.startswith("loaded 4 rows")
    code, out, err = run(capsys, *argv)
    assert (code, out) == (0, "n\n4\n")
    assert err.startswith("using the cached snapshot ") and "max age 15m" in err
    code, _, err = run(capsys, *argv, "--refresh")
    assert code == 0 and err.startswith("loaded 4 rows")
    # with --cache the query is not pushed down: the snapshot must serve any query
    assert all("StatusEquals" not in p for p in fake.list_params)
    code, _, err = run(capsys, *argv[:-2], "--max-age", "soon")
    assert code == 2 and "not a duration: 'soon'" in err


def test_cli_load_failures_exit_1_with_a_message(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = start_fake([], default=None)
    code, out, err = run(capsys, "-c", COUNT, *aws_argv(fake.url, REGIONS[0]))
    assert code == 1 and out == ""
    assert err.startswith("error: no AWS credentials found") and "Traceback" not in err
    code, _, err = run(capsys, "-c", COUNT, "--source", "aws", "--region", "us-esat-1")
    assert code == 1 and "error: unknown region 'us-esat-1'" in err
    assert sum(fake.served.values()) == 0  # nothing reached the (fake) AWS


GOOD_CONFIG = "[profile prod]\nregion = us-east-1\n"
GOOD_CREDENTIALS = f"[prod]\naws_access_key_id = {KEY_A}\naws_secret_access_key = {SECRET_A}\n"
REGION_ARGS = ("--region", "us-east-1")


@pytest.mark.parametrize(
    ("config", "credentials", "env", "argv", "expected"),
    [
        pytest.param(
            GOOD_CONFIG,
            GOOD_CREDENTIALS,
            {},
            ("--profile", "nope", *REGION_ARGS),
            "AWS profile 'nope' is not configured (configured: prod): add it with "
            "`aws configure --profile nope` or `aws configure sso --profile nope`",
            id="unknown-profile",
        ),
        pytest.param(
            GOOD_CONFIG,
            GOOD_CREDENTIALS,
            {},
            ("--profile", "prdo", *REGION_ARGS),
            "AWS profile 'prdo' is not configured (did you mean 'prod'?)",
            id="misspelt-profile",
        ),
        pytest.param(
            GOOD_CONFIG,
            GOOD_CREDENTIALS,
            {"AWS_PROFILE": "nope"},
            REGION_ARGS,
            "AWS profile 'nope' (AWS_PROFILE) is not configured (configured: prod): add it "
            "with `aws configure --profile nope` or `aws configure sso --profile nope`, or "
            "unset AWS_PROFILE",
            id="unknown-AWS_PROFILE",
        ),
        pytest.param(
            "region = us-east-1\n[profile prod]\n",
            GOOD_CREDENTIALS,
            {},
            ("--profile", "prod", *REGION_ARGS),
            "cannot parse the AWS config or credentials file {config} (line 1): fix it",
            id="config-file-unparsable",
        ),
        pytest.param(
            GOOD_CONFIG,
            f"aws_secret_access_key = {SECRET_A}\n[prod]\n",
            {},
            ("--profile", "prod", *REGION_ARGS),
            "cannot parse the AWS config or credentials file {credentials} (line 1): fix it",
            id="credentials-file-unparsable",
        ),
        pytest.param(
            "[profile prod]\n",
            GOOD_CREDENTIALS,
            {},
            ("--profile", "prod"),
            "no region configured for profile 'prod': pass regions=[...] (--region NAME, or "
            "--region all), set AWS_REGION, or configure one "
            "(`aws configure set region NAME --profile prod`)",
            id="no-region",
        ),
        pytest.param(
            "[profile prod]\nregion = us east 1\n",
            GOOD_CREDENTIALS,
            {},
            ("--profile", "prod"),
            "the region configured for profile 'prod', 'us east 1', is not a region name",
            id="configured-region-not-a-name",
        ),
        pytest.param(
            GOOD_CONFIG,
            GOOD_CREDENTIALS,
            {},
            ("--profile", "prod", *REGION_ARGS, "--endpoint-url", "not a url"),
            "not an endpoint URL: 'not a url': give the scheme and the host",
            id="endpoint-url-not-a-url",
        ),
        pytest.param(
            GOOD_CONFIG,
            GOOD_CREDENTIALS,
            {"AWS_ENDPOINT_URL": "::bad"},
            ("--profile", "prod", *REGION_ARGS),
            "cannot create the sts client for region 'us-east-1': ValueError: Invalid "
            "endpoint: ::bad: fix or unset AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or "
            "`endpoint_url` in the AWS config file",
            id="AWS_ENDPOINT_URL-not-a-url",
        ),
    ],
)
def test_cli_configuration_problems_say_what_to_do_before_any_call(
    start_fake: StartFake,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    config: str,
    credentials: str,
    env: dict[str, str],
    argv: tuple[str, ...],
    expected: str,
) -> None:
    """Profiles, config and credentials files, regions and endpoints that cannot work
    fail with one line saying what to do (no traceback), before any call reaches AWS
    (here: the fake, which STS calls would reach); no AWS_REGION / AWS_DEFAULT_REGION
    is set, and a secret on a line that cannot be parsed is not shown."""
    fake = start_fake([], default=None, region=None)
    files = {"config": tmp_path / "aws_config", "credentials": tmp_path / "aws_credentials"}
    files["config"].write_text(config)
    files["credentials"].write_text(credentials)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert "AWS_REGION" not in os.environ and "AWS_DEFAULT_REGION" not in os.environ
    code, out, err = run(capsys, "-c", COUNT, "--source", "aws", *argv)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {expected.format(**files)}"), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert SECRET_A not in err and KEY_A not in err
    assert sum(fake.served.values()) == 0


def test_cli_bad_query_fails_before_the_load(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 2))
    code, out, err = run(capsys, "-c", f"SELECT nmae FROM {T}", *aws_argv(fake.url, REGIONS[0]))
    assert code == 1 and out == "" and "did you mean name" in err
    assert sum(fake.served.values()) == 0


def test_cli_partial_failure_still_answers_and_reports(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:2], 3), denied_regions=[REGIONS[1]])
    code, out, err = run(
        capsys, "-c", COUNT, "--format", "csv", *aws_argv(fake.url, ",".join(REGIONS[:2]))
    )
    assert (code, out) == (0, "n\n3\n")
    lines = err.splitlines()
    assert lines[0].startswith("loaded 3 rows from 2 regions in 1 account in ")
    assert lines[1].startswith(f"  failed: {ACCOUNT_A} {REGIONS[1]}: AccessDeniedException: ")


def test_cli_aws_options_need_source_aws(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for argv in (
        ["--region", "us-east-1"],
        ["--profile", "p"],
        ["--cache", str(tmp_path)],
        ["--refresh"],
        ["--max-workers", "3"],
        ["--read-timeout", "3"],
        ["--connect-timeout", "3"],
    ):
        code, _, err = run(capsys, "-c", COUNT, *argv)
        assert code == 2 and "needs --source aws" in err, argv
    code, _, err = run(capsys, "-c", COUNT, "--source", "aws", "--fixtures", "x.json")
    assert code == 2 and "--fixtures cannot be used with --source aws" in err


def test_every_record_option_is_documented() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "subcommand")
    record = sub.choices["record"]  # type: ignore[attr-defined]
    for action in record._actions:
        if action.option_strings and action.dest != "help":
            assert action.help, f"record {action.option_strings} has no help text"
    text = parser.format_help()
    for option in (
        "--source",
        "--region",
        "--profile",
        "--role-arn",
        "--endpoint-url",
        "--max-workers",
        "--connect-timeout",
        "--read-timeout",
        "--cache",
        "--max-age",
        "--refresh",
        "record",
    ):
        assert option in text


def test_progress_bar_only_on_a_terminal(
    start_fake: StartFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert isinstance(progress_sink(None), NullProgress)
    assert isinstance(progress_sink(True), RichProgress)
    terminal = Tty()
    monkeypatch.setattr("sys.stderr", terminal)
    assert isinstance(progress_sink(None), RichProgress)
    fake = start_fake(pick([ACCOUNT_A], REGIONS[:1], 3))
    con = ddsql_lite.connect(
        source="aws", regions=[REGIONS[0]], endpoint_url=fake.url, max_workers=4, progress=True
    )
    assert con.load_report().rows == 3
    shown = terminal.getvalue()
    assert "regions" in shown and "experiments" in shown and "3/3" in shown


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("30s", 30),
        ("15m", 900),
        ("2h", 7200),
        ("1d", 86400),
        ("1h30m", 5400),
        ("1.5h", 5400),
        (" 2H ", 7200),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "15 m", "1h-5m", "-5", "soon", "5w"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(UnsupportedError, match="not a duration"):
        parse_duration(text)


def test_report_text_and_shape() -> None:
    report = LoadReport(
        "aws",
        (
            LoadEntry("111122223333", "us-east-1", rows=5, api_calls=11, retries=2, seconds=0.5),
            LoadEntry("111122223333", "eu-west-1", api_calls=1, error="AccessDeniedException: no"),
        ),
        seconds=1.25,
    )
    assert report.rows == 5 and report.api_calls == 12 and report.retries == 2
    assert report.summary().splitlines() == [
        "loaded 5 rows from 2 regions in 1 account in 1.2 s (12 API calls, 2 retries)",
        "  failed: 111122223333 eu-west-1: AccessDeniedException: no",
    ]
    assert report[1].error and not report[1].ok and report[0].ok
    assert LoadReport.from_json(json.loads(json.dumps(report.to_json()))) == report
    assert report.to_dicts()[0] == {
        "account_id": "111122223333",
        "region": "us-east-1",
        "rows": 5,
        "api_calls": 11,
        "retries": 2,
        "seconds": 0.5,
        "error": None,
    }
    assert [format_duration(s) for s in (0, 42, 900, 3725, 90000)] == [
        "0s",
        "42s",
        "15m",
        "1h2m",
        "1d1h",
    ]
