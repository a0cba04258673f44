"""The ddsql command line: formats, inputs, exit codes, help."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ddsql_lite.cli import build_parser, main

T = "aws.sagemaker_inference_experiment"
QUERY = f"SELECT status, count(*) AS n FROM {T} GROUP BY status ORDER BY status"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_table_format(capsys) -> None:
    code, out, _ = run(capsys, "-c", QUERY)
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split("|")[0].strip() == "status"
    assert lines[-1] == "(8 rows)"


def test_csv_json_markdown(capsys) -> None:
    _, out, _ = run(capsys, "-c", QUERY, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 8 and set(rows[0]) == {"status", "n"}
    _, out, _ = run(capsys, "-c", QUERY, "--format", "json")
    records = json.loads(out)
    assert sum(r["n"] for r in records) >= 24
    _, out, _ = run(capsys, "-c", QUERY, "--format", "markdown")
    assert out.splitlines()[1] == "| --------- | --: |"  # padded; numbers to the right


def test_nulls_and_tags_render(capsys) -> None:
    sql = f"SELECT NULL AS nothing, tags FROM {T} ORDER BY name LIMIT 1"
    _, out, _ = run(capsys, "-c", sql, "--format", "json")
    record = json.loads(out)[0]
    assert record["nothing"] is None and record["tags"]["aws_account"]
    _, out, _ = run(capsys, "-c", sql)
    assert out.splitlines()[2].startswith("NULL")
    _, out, _ = run(capsys, "-c", sql, "--format", "csv")
    assert out.splitlines()[1].startswith(",")


def test_file_and_stdin(capsys, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "q.sql"
    path.write_text(QUERY)
    code, out, _ = run(capsys, "-f", str(path), "--format", "csv")
    assert code == 0 and out.startswith("status,n\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(QUERY))
    code, out2, _ = run(capsys, "--format", "csv")
    assert code == 0 and out2 == out


def test_fixtures_option(capsys, tmp_path: Path) -> None:
    from ddsql_lite.loaders import sample_path

    records = json.loads(sample_path().read_text())["records"][:2]
    (tmp_path / "two.json").write_text(json.dumps(records))
    code, out, _ = run(
        capsys,
        "-c",
        f"SELECT count(*) FROM {T}",
        "--format",
        "csv",
        "--fixtures",
        str(tmp_path / "two.json"),
    )
    assert (code, out) == (0, "count\n2\n")
    code, _, err = run(capsys, "-c", "SELECT 1", "--fixtures", str(tmp_path / "none.json"))
    assert code == 1 and "no such fixture" in err


def test_translate_command(capsys) -> None:
    code, out, _ = run(capsys, "translate", f"SELECT tags->'team' FROM {T}")
    assert code == 0 and "MAP_EXTRACT_VALUE" in out


def test_exit_codes(capsys) -> None:
    code, out, err = run(capsys, "-c", f"SELECT nmae FROM {T}")
    assert code == 1 and out == ""
    assert "did you mean name" in err and "^" in err and "Traceback" not in err
    assert run(capsys, "--format", "xml", "-c", "SELECT 1")[0] == 2
    assert run(capsys, "-c", "SELECT 1", "-f", "x.sql")[0] == 2
    assert run(capsys, "-f", "/nonexistent/q.sql")[0] == 2


def test_every_option_is_documented() -> None:
    parser = build_parser()
    for action in parser._actions:
        if action.option_strings and action.dest != "help":
            assert action.help, f"{action.option_strings} has no help text"
    text = parser.format_help()
    assert "examples:" in text and "--fixtures" in text and "translate" in text


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ddsql_lite.cli",
            "-c",
            f"SELECT count(*) FROM {T}",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("count\n")


def test_time_frame_option(capsys) -> None:
    sql = "SELECT current_setting('dd.time_frame_start') AS s"
    code, out, _ = run(
        capsys, "-c", sql, "--format", "csv", "--time-frame", "2025-01-01", "2025-01-02"
    )
    assert (code, out) == (0, "s\n2025-01-01 00:00:00.000+00:00\n")
    code, _, err = run(capsys, "-c", sql, "--time-frame", "2025-01-02", "2025-01-01")
    assert code == 2 and "START '2025-01-02' is after END '2025-01-01'" in err


@pytest.mark.parametrize("frame", [["7d"], ["now-7d", "now"], ["now-7d now"]])
def test_relative_time_frames_on_the_command_line(capsys, frame: list[str]) -> None:
    from datetime import datetime, timedelta

    sql = (
        "SELECT current_setting('dd.time_frame_start') AS s, "
        "current_setting('dd.time_frame_end') AS e"
    )
    code, out, err = run(capsys, "-c", sql, "--format", "csv", "--time-frame", *frame)
    assert code == 0, err
    start, end = (datetime.fromisoformat(v) for v in out.splitlines()[1].split(","))
    assert end - start == timedelta(days=7)
    assert abs((datetime.now(end.tzinfo) - end).total_seconds()) < 60
    code, _, err = run(capsys, "-c", sql, "--time-frame", "now", "now-1d")
    assert code == 2 and "START 'now' is after END 'now-1d'" in err


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ((0, 0, 1_800_000_000), "00:30:00"),
        ((14, 3, 14_706_500_000), "1 year 2 mons 3 days 04:05:06.5"),
        ((0, 0, 0), "00:00:00"),
        ((-1, 0, 0), "-1 mons"),
        ((0, -1, 7_200_000_000), "-1 days +02:00:00"),
        ((-4, 0, 1_000_000), "-4 mons +00:00:01"),  # a part after a negative one: its sign
        ((-19, 8, -468_561), "-1 years -7 mons +8 days -00:00:00.468561"),
    ],
)
def test_intervals_print_like_postgresql(parts: tuple[int, int, int], text: str) -> None:
    from ddsql_lite.formats import interval_text

    assert interval_text(*parts) == text


def test_the_syntax_option(capsys) -> None:
    """``--syntax preview`` reads the queries (and ``translate``'s) as DDSQL (Preview)."""
    query = f"SELECT count(*) AS n FROM {T} WHERE #team = 'fraud'"
    code, out, _ = run(capsys, "--syntax", "preview", "-c", query, "--format", "csv")
    assert code == 0 and out.splitlines() == ["n", "2"]
    code, _, err = run(capsys, "-c", query)
    assert code == 1 and "DDSQL Preview syntax" in err
    code, out, _ = run(capsys, "--syntax", "preview", "translate", "--one-line", query)
    assert code == 0 and "LIST_CONTAINS" in out
    code, _, err = run(capsys, "--syntax", "sql", "-c", query)
    assert code == 2 and "invalid choice: 'sql'" in err
