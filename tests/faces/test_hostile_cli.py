"""The ``ddsql`` command under hostile input (issue 13, class 6): it never shows a
traceback and always exits with the documented status (0 ok, 1 failed or output
unwritable, 2 bad usage, 130 Ctrl-C, 141 closed pipe).

The table of hostile command lines runs through ``main([...])``; what involves real
pipes, encodings, full disks and signals runs ``python -m ddsql_lite`` in a subprocess.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from ddsql_lite import cli
from ddsql_lite.cli import main
from ddsql_lite.errors import DDSQLError
from ddsql_lite.session import (
    Moment,
    TimeFrame,
    format_instant,
    parse_instant,
    parse_time_frame,
)
from tests.support.aws_helpers import ACCOUNT_A, REGIONS, StartFake, pick, pushdown

T = "aws.sagemaker_inference_experiment"
UTC = timezone.utc
SETTING = (
    "SELECT current_setting('dd.time_frame_start') AS s, current_setting('dd.time_frame_end') AS e"
)


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# (argv, exit status, text stderr must contain); "" in place of a file name is tmp_path.
HOSTILE: list[tuple[list[str], int, str]] = [
    # --timeout: 0 is "no limit" (documented); anything that would silently remove the
    # limit, or is not a number, is bad usage.
    (["-c", "SELECT 1", "--timeout", "-1"], 2, "not a time limit"),
    (["-c", "SELECT 1", "--timeout=-0.5"], 2, "not a time limit"),
    (["-c", "SELECT 1", "--timeout", "nan"], 2, "not a time limit"),
    (["-c", "SELECT 1", "--timeout", "NaN"], 2, "not a time limit"),
    (["-c", "SELECT 1", "--timeout", "inf"], 2, "not a time limit"),
    (["-c", "SELECT 1", "--timeout=-inf"], 2, "not a time limit"),
    (["-c", "SELECT 1", "--timeout", "1e999"], 2, "not a time limit"),
    (["-c", "SELECT 1", "--timeout", ""], 2, "not a number of seconds"),
    (["-c", "SELECT 1", "--timeout", " "], 2, "not a number of seconds"),
    (["-c", "SELECT 1", "--timeout", "soon"], 2, "not a number of seconds"),
    (["-c", "SELECT 1", "--timeout", "0"], 0, ""),
    # --memory-limit: DuckDB reads a negative size as "no limit"; refuse it, zero, a bare
    # number, and what is not a size at all.
    (["-c", "SELECT 1", "--memory-limit=-1"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit=-5GB"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "0GB"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "0"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", ""], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "100"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "inf"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "nan"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "1e3GB"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "banana"], 2, "not a memory size"),
    (["-c", "SELECT 1", "--memory-limit", "1.5 GiB"], 0, ""),
    # other option values
    (["-c", "SELECT 1", "--max-age", "inf"], 2, "--max-age"),
    (["-c", "SELECT 1", "--time-frame", "yesterday", "2025-01-01"], 2, "not a timestamp"),
    (["-c", "SELECT 1", "--time-frame", "2025-01-02", "2025-01-01"], 2, "is after END"),
    (
        ["-c", "SELECT 1", "--time-frame", "0001-01-01T00:00:00+01:00", "2025-01-01"],
        2,
        "--time-frame",
    ),
    (
        ["-c", "SELECT 1", "--time-frame", "2025-01-01", "9999-12-31T23:59:59-14:00"],
        2,
        "--time-frame",
    ),
    (["-c", "SELECT 1", "--time-frame", "10000-01-01", "10000-01-02"], 2, "not a timestamp"),
    # the time frame at the ends of the range works, or is refused with a message
    (["-c", SETTING, "--time-frame", "0001-01-01", "0001-01-02"], 0, ""),
    (
        ["-c", SETTING, "--time-frame", "9999-12-31 23:59:59.999999", "9999-12-31 23:59:59.999999"],
        0,
        "",
    ),
    (["-c", "SET dd.time_frame_end = '0001-01-01'"], 1, "set dd.time_frame_start too"),
    (["-c", "SET dd.time_frame_end = '0001-01-01 00:59:59.999999'"], 1, "earliest timestamp"),
    (["-c", "SET dd.time_frame_end = '0001-01-01 01:00'"], 0, ""),
    (["-c", "SET dd.time_frame_end = '9999-12-31 23:59:59.999999'"], 0, ""),
    (["-c", "SET dd.time_frame_start = '9999-12-31 23:59:59.999999'"], 1, "starts after it ends"),
    (["-c", "SET dd.time_frame_end = '0001-01-01T00:30:00+01:00'"], 1, "dd.time_frame_end"),
    (["-c", "SET dd.time_frame_end = '9999-12-31T23:00:00-02:00'"], 1, "dd.time_frame_end"),
    # the query's text
    (["-c", "SELECT '\udcff'"], 2, "-c is not UTF-8 text (character 9)"),
    (["translate", "SELECT '\udcff'"], 2, "SQL is not UTF-8 text"),
    (["-f", ""], 2, "Is a directory"),
    (["-f", "/nonexistent/q.sql"], 2, "No such file or directory"),
    (["-f", "bad.sql"], 2, "is not UTF-8 text: byte 0xff at offset 9 (line 2)"),
    (["-f", "nul\x00.sql"], 2, "cannot read"),
    (["-f", "bom.sql"], 0, ""),
    (["-f", "bombad.sql"], 2, "byte 0xff at offset 6 (line 2)"),
    # an error that echoes the user's text shows its controls escaped
    (["-c", "SELECT nme, '\x1b]0;pwned\x07' FROM " + T], 1, "'\\x1b]0;pwned\\x07'"),
]


@pytest.mark.parametrize(("argv", "code", "message"), HOSTILE, ids=lambda v: repr(v)[:60])
def test_hostile_command_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], code: int, message: str
) -> None:
    (tmp_path / "bad.sql").write_bytes(b"SELECT 1\n\xff\xfe")
    (tmp_path / "bom.sql").write_bytes("\ufeffSELECT 1 AS one".encode())
    (tmp_path / "bombad.sql").write_bytes(b"\xef\xbb\xbfA\nB\xff")
    argv = [str(tmp_path) if a == "" and argv[i - 1] == "-f" else a for i, a in enumerate(argv)]
    argv = [str(tmp_path / a) if a.endswith(".sql") and "/" not in a else a for a in argv]
    got, _, err = run(capsys, argv)
    assert (got, message in err) == (code, True), err
    assert "Traceback" not in err and "\x1b" not in err and "\x07" not in err


def test_the_time_frame_at_the_ends_of_the_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, ["-c", SETTING, "--format", "csv", "--time-frame", "0001-01-01", "0001-01-02"]
    )
    assert (code, out) == (0, "s,e\n0001-01-01 00:00:00.000+00:00,0001-01-02 00:00:00.000+00:00\n")
    assert format_instant(datetime.max) == "9999-12-31 23:59:59.999+00:00"
    assert TimeFrame(end=Moment(datetime(1, 1, 1, 1))).resolve(datetime.max)[0] == datetime.min
    with pytest.raises(DDSQLError, match=r"set dd\.time_frame_start too"):
        TimeFrame(end=Moment(datetime(1, 1, 1, 0, 59))).resolve(datetime.max)
    with pytest.raises(DDSQLError, match=r"now-1d is out of range"):  # relative ends too
        parse_time_frame("now-1d now").resolve(datetime.min + timedelta(hours=1))
    with pytest.raises(DDSQLError, match=r"the time frame's start, 2:00:00 before its end"):
        parse_time_frame("2h").resolve(datetime.min + timedelta(hours=1))
    with pytest.raises(DDSQLError, match=r"^x: "):  # UTC is before year 1
        parse_instant(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), "x")


def test_a_query_on_standard_input_that_is_not_utf8(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Stdin(io.TextIOWrapper):
        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", Stdin(io.BytesIO(b"SELECT '\xe9'"), encoding="ascii"))
    code, _, err = run(capsys, ["--format", "csv"])
    assert code == 2 and "standard input is not UTF-8 text: byte 0xe9 at offset 8" in err
    # UTF-8 whatever the locale's encoding says
    monkeypatch.setattr(
        sys, "stdin", Stdin(io.BytesIO("SELECT 'é' AS x".encode()), encoding="ascii")
    )
    assert run(capsys, ["--format", "csv"])[:2] == (0, "x\né\n")
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run(capsys, [])
    assert code == 2 and "standard input is closed" in err


def test_ctrl_c_in_each_phase_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    import ddsql_lite.connection
    import ddsql_lite.formats
    import ddsql_lite.scripts

    for target, name in (
        (cli, "build_parser"),  # argument parsing
        (ddsql_lite.connection, "connect"),  # the load
        (ddsql_lite.connection.Connection, "sql"),  # the query (before the engine sees it)
        (ddsql_lite.scripts, "emit"),  # the output
    ):
        with monkeypatch.context() as patch:
            patch.setattr(target, name, interrupt)
            code, _, err = run(capsys, ["-c", "SELECT 1"])
        assert (code, err) == (130, "cancelled\n"), name
    # the engine's own cancellation (a QueryCancelledError) is Ctrl-C too
    from ddsql_lite.errors import QueryCancelledError

    def cancelled(*args: Any, **kwargs: Any) -> Any:
        raise QueryCancelledError("query cancelled")

    monkeypatch.setattr(ddsql_lite.connection.Connection, "sql", cancelled)
    assert run(capsys, ["-c", "SELECT 1"])[:1] == (130,)


def test_a_bug_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("oops")

    import ddsql_lite.connection

    monkeypatch.setattr(ddsql_lite.connection.Connection, "sql", broken)
    monkeypatch.delenv("DDSQL_DEBUG", raising=False)
    code, _, err = run(capsys, ["-c", "SELECT 1"])
    assert (code, err) == (1, "internal error, please report it: ZeroDivisionError: oops\n")
    monkeypatch.setenv("DDSQL_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["-c", "SELECT 1"])


# --- real pipes, encodings, disks and signals ---------------------------------------

BIG = f"SELECT * FROM {T} a, {T} b"  # 1024 wide rows: megabytes of output


def ddsql(*argv: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[bytes]:
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "DDSQL_DEBUG")}
    return subprocess.Popen(
        [sys.executable, "-m", "ddsql_lite", *argv],
        env={**base, **(env or {})},
        stderr=subprocess.PIPE,
        **kwargs,
    )


@pytest.mark.slow
@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize(
    "argv",
    [["-c", BIG], ["-c", BIG, "--format", "json"], ["--help"], ["translate", BIG]],
    ids=["table", "json", "help", "translate"],
)
def test_a_closed_pipe_ends_quietly_with_141(argv: list[str], unbuffered: str) -> None:
    """``ddsql ... | head -1``: the reader takes a line and goes; no BrokenPipeError, no
    "Exception ignored" at shutdown, and the status a tool killed by SIGPIPE has."""
    proc = ddsql(*argv, env={"PYTHONUNBUFFERED": unbuffered}, stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    if argv[0] == "-c":  # megabytes: the command is still writing when the reader goes
        assert proc.stdout.readline()
    proc.stdout.close()  # short output: the reader goes before it is written
    err = proc.stderr.read().decode()
    assert (proc.wait(timeout=120), err) == (141, "")


@pytest.mark.slow
@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize(
    ("argv", "code"),
    [(["-c", "SELECT 1"], 1), (["-c", BIG], 1), (["--version"], 1), (["-c", "SELECT nme"], 1)],
)
def test_a_full_disk_is_an_error_message(argv: list[str], code: int, unbuffered: str) -> None:
    with open("/dev/full", "wb") as full:
        proc = ddsql(*argv, env={"PYTHONUNBUFFERED": unbuffered}, stdout=full)
        _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode == code, text
    assert "Traceback" not in text and "Exception ignored" not in text
    if "nme" not in argv[-1]:
        assert text == "error: cannot write to standard output: No space left on device\n"


def test_a_closed_standard_output_or_input_is_an_error_message() -> None:
    """``ddsql -c ... >&-`` and ``ddsql <&-`` (Python sets sys.stdout/stdin to None)."""
    proc = ddsql("-c", "SELECT 1", preexec_fn=lambda: os.close(1))
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (
        1,
        b"error: cannot write the result: standard output is closed\n",
    )
    proc = ddsql(preexec_fn=lambda: os.close(0))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and err.endswith(b"no query: standard input is closed\n")


HOSTILE_TEXT = "é ✓ 漢字 \x1b]0;pwned\x07 \u009b"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_an_ascii_output_encoding_escapes_instead_of_failing(fmt: str, tmp_path: Path) -> None:
    fixture = tmp_path / "one.json"
    fixture.write_text(json.dumps([_record(description=HOSTILE_TEXT)]))
    proc = ddsql(
        "-c",
        f'SELECT description AS "dé" FROM {T}',
        "--format",
        fmt,
        "--fixtures",
        str(fixture),
        env={"PYTHONIOENCODING": "ascii"},
        stdout=subprocess.PIPE,
    )
    out, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (0, b"")
    text = out.decode("ascii")  # every byte is ASCII
    if fmt == "json":  # still exact: \u escapes
        assert json.loads(text) == [{"dé": HOSTILE_TEXT}]
    elif fmt == "csv":  # as exact as ASCII allows: the controls as they are
        assert "\x1b]0;pwned\x07" in text and "\\xe9 \\u2713 \\u6f22\\u5b57" in text
    else:
        assert "\x1b" not in text and "\x07" not in text and "\\x1b]0;pwned\\x07" in text


@pytest.mark.slow
def test_ctrl_c_during_a_query_exits_130_without_a_traceback() -> None:
    long_query = (
        f"SELECT count(*) FROM {T} a, {T} b, {T} c, {T} d, {T} e, {T} f "
        "WHERE a.name || b.name || c.name || d.name || e.name || f.name LIKE '%zzz%'"
    )
    proc = ddsql("-c", long_query, "--timeout", "0", stdout=subprocess.PIPE)
    time.sleep(3)  # past start-up and the load: the query runs for minutes
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, b"", b"cancelled\n")


@pytest.mark.slow
@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
def test_ctrl_c_while_writing_the_output_exits_130_without_a_traceback(unbuffered: str) -> None:
    """The reader does not read: the command blocks writing megabytes, and Ctrl-C ends
    it at once (no flush that would block again, no "Exception ignored" at exit)."""
    import select

    proc = ddsql(
        "-c", BIG, "--format", "json", env={"PYTHONUNBUFFERED": unbuffered}, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 120)  # it has started writing
    assert ready
    time.sleep(0.5)  # the pipe is full: the write blocks
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    try:
        code = proc.wait(timeout=20)
    finally:
        proc.kill()
    assert time.monotonic() - started < 10
    assert proc.stderr is not None
    assert (code, proc.stderr.read()) == (130, b"cancelled\n")
    proc.stdout.close()


def test_ctrl_c_while_importing_exits_130_without_a_traceback() -> None:
    """``python -m ddsql_lite``: a KeyboardInterrupt while ddsql_lite.cli imports (here
    raised by an import hook, deterministically) is status 130 and one word."""
    code = (
        "import builtins, runpy, sys\n"
        "real = builtins.__import__\n"
        "def hook(name, *args, **kwargs):\n"
        "    if name == 'argparse':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "sys.modules.pop('argparse', None)\n"
        "builtins.__import__ = hook\n"
        "sys.argv = ['ddsql', '-c', 'SELECT 1']\n"
        "runpy.run_module('ddsql_lite', run_name='__main__', alter_sys=True)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (130, "cancelled\n")
    # and importing the package and the command's module loads no heavy library
    probe = (
        "import sys, ddsql_lite.cli; "
        "print(sorted(m for m in ('duckdb', 'pyarrow', 'sqlglot', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


# --- pushdown at the ends of the timestamp range ------------------------------------


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("creation_time > '0001-01-01'", {}),
        ("creation_time >= '0001-01-01 00:00:00.999999'", {}),
        ("creation_time > '0001-01-01 00:00:01'", {"CreationTimeAfter": at(1, 1, 1)}),
        ("creation_time < '9999-12-31 23:59:59.999999'", {}),
        ("creation_time <= TIMESTAMP '9999-12-31 23:59:58'", {}),
        (
            "creation_time < '9999-12-31 23:59:57'",
            {"CreationTimeBefore": at(9999, 12, 31, 23, 59, 59)},
        ),
        ("creation_time < '0001-01-01'", {"CreationTimeBefore": at(1, 1, 1, 0, 0, 2)}),
        (
            "creation_time > '9999-12-31 23:59:59.999999'",
            {"CreationTimeAfter": at(9999, 12, 31, 23, 59, 58)},
        ),
        ("creation_time BETWEEN '0001-01-01' AND '9999-12-31 23:59:59.999999'", {}),
        (
            "creation_time > '0001-01-01' AND creation_time > '2025-01-01'",
            {"CreationTimeAfter": at(2024, 12, 31, 23, 59, 59)},
        ),
        ("last_modified_time > '0001-01-01T00:00:00Z'", {}),
    ],
)
def test_pushdown_at_the_ends_of_the_range(where: str, expected: dict[str, Any]) -> None:
    assert pushdown(f"SELECT name FROM {T} WHERE {where}") == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    "where",
    [
        "creation_time > '0001-01-01'",
        "creation_time < '9999-12-31 23:59:59.999999'",
        "creation_time < '0001-01-01 00:00:01'",
        "creation_time > '9999-12-31 23:59:59'",
    ],
)
def test_live_loads_with_filters_at_the_ends_of_the_range(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    records = pick([ACCOUNT_A], REGIONS[:1], 6)
    fake = start_fake(records)
    argv = ["-c", f"SELECT count(*) AS n FROM {T} WHERE {where}", "--format", "csv"]
    argv += ["--source", "aws", "--region", REGIONS[0], "--endpoint-url", fake.url]
    code, out, err = run(capsys, argv)
    everything = "'0001-01-01'" in where or "9999-12-31 23:59:59.999999" in where
    assert (code, out) == (0, f"n\n{len(records) if everything else 0}\n"), err


def _record(**experiment: Any) -> dict[str, Any]:
    """One fixture record (the sample's first) with ``experiment`` fields replaced
    (``description=...`` sets ``Description``)."""
    from ddsql_lite.loaders import sample_path

    record: dict[str, Any] = json.loads(sample_path().read_text())["records"][0]
    record = json.loads(json.dumps(record))
    for key, value in experiment.items():
        record["experiment"][key[:1].upper() + key[1:]] = value
    return record
