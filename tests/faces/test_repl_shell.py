"""The interactive shell: driven through prompt_toolkit's pipe input, and once in a real
terminal (tmux)."""

from __future__ import annotations

import _thread
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

import ddsql_lite
from ddsql_lite import cli
from ddsql_lite.connection import Connection
from ddsql_lite.formats import csv_text
from ddsql_lite.repl import Shell, display, run_shell
from ddsql_lite.repl.metacommands import COMMANDS
from ddsql_lite.repl.shell import default_history

T = "aws.sagemaker_inference_experiment"
ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"
# A query that runs for many seconds: the 5-way self join of the sample table.
# About 10^9 concatenations: minutes on any machine, so Ctrl-C always lands while it runs.
LONG = (
    f"SELECT count(*) FROM {T} a, {T} b, {T} c, {T} d, {T} e, {T} f "
    "WHERE a.name || b.name || c.name || d.name || e.name || f.name LIKE '%zzz%';"
)


def session(
    *lines: str, opener: Callable[[], Connection] = ddsql_lite.connect, end: str = CTRL_D
) -> tuple[int, str, str]:
    """Type ``lines`` (each followed by Enter) into a shell, then ``end``; return the
    exit status, what went to stdout and what went to stderr."""
    out, err = io.StringIO(), io.StringIO()
    with create_pipe_input() as keys:
        keys.send_text("".join(line + ENTER for line in lines) + end)
        code = run_shell(
            opener,
            input=keys,
            output=DummyOutput(),
            history=InMemoryHistory(),
            stdout=out,
            stderr=err,
        )
    return code, out.getvalue(), err.getvalue()


def test_a_query_prints_an_aligned_table_with_a_footer() -> None:
    code, out, err = session(f"SELECT status, count(*) AS n FROM {T} GROUP BY 1 ORDER BY 1;")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].startswith("ddsql_lite ") and "32 rows" in lines[0]
    head = lines.index("status    | n")
    assert lines[head + 1] == "----------+--"
    assert lines[head + 2] == "Cancelled | 6"
    assert lines[head + 10].startswith("(8 rows, ") and lines[head + 10].endswith(" ms)")


def test_a_statement_runs_when_a_line_ends_with_a_semicolon() -> None:
    code, out, _ = session("SELECT 1 AS a", ", 'x;y' AS b  -- not yet;", ";")
    assert code == 0
    assert "a | b\n--+----\n1 | x;y\n" in out
    _, out, _ = session("SELECT 1 AS a; SELECT 2 AS b;")
    assert "a\n-\n1\n" in out and "b\n-\n2\n" in out


def test_an_error_shows_a_caret_and_the_shell_carries_on() -> None:
    code, out, err = session(
        f"SELECT nme FROM {T};",
        "SELECT name FROM",
        f"{T} WHERE status = 'Running' ORDER BY name LIMT 1;",
        "SELECT 'still here' AS alive;",
    )
    assert code == 0
    errors = err.splitlines()
    assert errors[0] == "error: column 'nme' does not exist; did you mean name? (line 1, column 8)"
    assert errors[1:3] == [f"  SELECT nme FROM {T}", "         ^"]
    assert errors[3].startswith("error: syntax error") and "(line 2, column" in errors[3]
    assert errors[5].index("^") == errors[4].index("LIMT")
    assert "alive\n----------\nstill here\n" in out


def test_ctrl_c_at_the_prompt_drops_the_line() -> None:
    code, out, err = session("SELECT nonsense" + CTRL_C + "SELECT 1 AS one;")
    assert code == 0 and err == "" and "one\n---\n  1\n" in out


def test_ctrl_c_cancels_a_running_query_and_the_shell_carries_on() -> None:
    running = threading.Event()

    def opener() -> Connection:
        con = ddsql_lite.connect()
        execute = con.engine.execute

        def watched(sql: str, *args: Any, **kwargs: Any) -> Any:
            if "zzz" in sql:
                running.set()
            return execute(sql, *args, **kwargs)

        con.engine.execute = watched  # type: ignore[method-assign]
        return con

    def press_ctrl_c() -> None:  # once the long query runs, as a user would
        if running.wait(30):
            time.sleep(0.3)
            _thread.interrupt_main()

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    started = time.monotonic()
    code, out, err = session(LONG, "SELECT 1 AS one;", opener=opener)
    assert running.is_set() and time.monotonic() - started < 15
    assert code == 0 and err.strip() == "query cancelled"
    assert "one\n---\n  1\n" in out


def test_every_meta_command_is_listed_by_help() -> None:
    _, out, _ = session("\\?")
    for name, spec in COMMANDS.items():
        if name == spec.name:
            assert f"  {spec.name} {spec.usage}".rstrip() in out and spec.help in out


def test_every_meta_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for spec in set(COMMANDS.values()):
        assert f"| `{spec.name}" in readme, spec.name


def test_tables_and_describe() -> None:
    code, out, err = session("\\dt", f"\\d {T}", "\\d aws_sagemaker_inference_experiment;")
    assert code == 0 and err == ""
    assert "aws.sagemaker_inference_experiment      |   32 | SageMaker inference" in out
    assert "  or aws_sagemaker_inference_experiment |      |" in out
    table = ddsql_lite.connect().registry.get(T)
    assert out.count(f"Table {T} (also aws_sagemaker_inference_experiment), 32 rows") == 2
    for column in table.columns:
        line = next(x for x in out.splitlines() if x.startswith(column.name + " "))
        assert f"| {column.type.ddsql} " in line
        assert column.description.split()[0] in line
    _, _, err = session("\\d aws.sagemaker_inference_experimnt", "\\nope")
    assert "error: table 'aws.sagemaker_inference_experimnt' does not exist; did you mean" in err
    assert "error: unknown meta-command \\nope; \\? lists them" in err


def test_expanded_display() -> None:
    sql = f"SELECT name, model_variants, completion_time FROM {T} ORDER BY name LIMIT 2;"
    code, out, err = session("\\x", sql, "\\x off", "SELECT 1 AS one;", "\\x auto", "\\x maybe")
    assert code == 0
    assert "Expanded display is on." in out and "Expanded display is off." in out
    lines = out.splitlines()
    first = lines.index(next(x for x in lines if x.startswith("-[ RECORD 1 ]")))
    assert lines[first + 1].startswith("name            | ")
    assert lines[first + 2] == "model_variants  | ["
    assert lines[first + 3] == "                |   {"
    assert any(x.startswith("-[ RECORD 2 ]") for x in lines)
    assert "one\n---\n  1\n" in out  # \x off: a table again
    assert "(2 rows" in out
    assert "Expanded display is used when a table would not fit." in out
    assert "error: \\x takes on, off or auto, not 'maybe'" in err


def test_timing_format_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    sql = f"SELECT status, count(*) AS n FROM {T} GROUP BY 1 ORDER BY 1;"
    code, out, err = session(
        "\\timing off", sql, "\\format csv", f"\\o {target}", sql, "\\o", "\\format json", sql,
        "\\format yaml",
    )  # fmt: skip
    assert code == 0
    assert "Timing is off." in out and "(8 rows)\n" in out
    rows = ddsql_lite.connect().sql(sql.rstrip(";")).fetchall()
    assert target.read_text() == csv_text(["status", "n"], rows)
    assert f"(8 rows) written to {target}" in out
    assert "Results go to the screen." in out
    records = json.loads(out[out.index("[\n") : out.index("]\n") + 1])
    assert records[0] == {"status": "Cancelled", "n": 6}
    assert "error: \\format takes one of table, csv, json, jsonl, markdown, not 'yaml'" in err


def test_translate_timeframe_and_reload() -> None:
    opened: list[Connection] = []

    def opener() -> Connection:
        opened.append(ddsql_lite.connect())
        return opened[-1]

    sql = f"SELECT tags->'team' FROM {T}"
    code, out, err = session(
        f"\\translate {sql}",
        "SELECT 1 AS one;",
        "\\translate",
        "\\timeframe '2025-03-01 12:00' '2025-03-01T13:30:00Z'",
        "\\reload",
        "SELECT current_setting('dd.time_frame_start') AS s, "
        "current_setting('dd.time_frame_end') AS e;",
        "\\timeframe 2025-03-01 bad",
        "SET dd.time_frame_end = '2025-03-02';",
        opener=opener,
    )
    assert code == 0
    assert opened[0].translate(sql) in out
    assert opened[0].translate("SELECT 1 AS one") in out
    assert "Time frame: 2025-03-01 12:00:00.000+00:00 to 2025-03-01 13:30:00.000+00:00" in out
    assert len(opened) == 2 and "Reloaded (aws.sagemaker_inference_experiment: 32 rows)." in out
    assert "2025-03-01 12:00:00.000+00:00 | 2025-03-01 13:30:00.000+00:00" in out  # kept
    assert "'bad' is not a timestamp" in err
    assert out.endswith("SET\n")


def test_quit_ends_the_shell_with_status_zero() -> None:
    code, out, _ = session("\\q", "SELECT 'never' AS x;", end="")
    assert code == 0 and "never" not in out
    code, _, _ = session("quit", end="")
    assert code == 0


def test_a_load_error_exits_with_status_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{}]")
    code, out, err = session(opener=lambda: ddsql_lite.connect(fixtures=bad))
    assert code == 1 and out == "" and err.startswith("error: ") and "bad.json" in err


def test_a_quick_tab_completes_even_while_typing_completion_runs() -> None:
    """Keys arrive in one burst, so the completion started by typing is still running
    when Tab comes: Tab must still insert the only candidate, or the common part."""
    code, out, err = session("SELECT count(*) AS n FROM aws_sag\t WHERE status = 'Running';")
    assert code == 0 and err == "", err
    assert "n\n-\n" in out
    code, out, err = session("SELECT creation_t\t FROM aws.sagemaker_inference_experiment LIMIT 0;")
    assert code == 0 and err == "" and "creation_time" in out


def test_history_lives_in_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    history = default_history()
    with create_pipe_input() as keys:
        keys.send_text("SELECT 1 AS one;" + ENTER + CTRL_D)
        shell = Shell(ddsql_lite.connect, stdout=io.StringIO(), stderr=io.StringIO())
        from ddsql_lite.repl.shell import make_session

        shell.loop(make_session(shell, history=history, input=keys, output=DummyOutput()))
        shell.close()
    assert "+SELECT 1 AS one;" in (tmp_path / "ddsql_lite" / "history").read_text()


def test_ddsql_without_a_query_opens_the_shell_with_the_data_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ddsql_lite import repl
    from ddsql_lite.loaders import sample_path

    records = json.loads(sample_path().read_text())["records"][:3]
    (tmp_path / "three.json").write_text(json.dumps(records))
    seen: list[int] = []

    def fake_shell(opener: Callable[[], Connection]) -> int:
        with opener() as con:
            seen.append(con.row_counts[T])
        return 0

    monkeypatch.setattr(repl, "run_shell", fake_shell)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    assert cli.main(["--fixtures", str(tmp_path)]) == 0
    assert seen == [3]


# --- a real terminal ----------------------------------------------------------------------


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


@pytest.mark.slow
@pytest.mark.skipif(
    not tmux_available() and os.environ.get("CI", "").lower() != "true",
    reason="tmux is not installed (.ci/run installs it)",
)
def test_in_a_real_terminal(tmp_path: Path) -> None:
    """Start ``ddsql`` in a tmux pane, complete a table name with Tab, run the query,
    read the result off the screen, cancel a long query with Ctrl-C, leave with Ctrl-D."""
    ddsql = Path(sys.executable).with_name("ddsql")
    status = tmp_path / "status"
    server = ["tmux", "-L", f"ddsql-test-{os.getpid()}", "-f", "/dev/null"]
    command = (
        f"env HOME={tmp_path} XDG_DATA_HOME={tmp_path / 'data'} PAGER= "
        f"{shlex.quote(str(ddsql))}; echo $? > {status}"
    )

    def tmux(*args: str) -> str:
        return subprocess.run(
            [*server, *args], check=True, capture_output=True, text=True, timeout=10
        ).stdout

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", "ddsql")

    def wait_until(ready: Callable[[], bool], what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen()}")
            time.sleep(0.1)

    def wait_for(predicate: Callable[[str], bool], what: str) -> str:
        """The screen once ``predicate`` holds for it."""
        shown = [""]

        def ready() -> bool:
            shown[0] = screen()
            return predicate(shown[0])

        wait_until(ready, what)
        return shown[0]

    def stty(tty: str) -> list[str]:
        """The terminal's settings, one word each (``isig`` or ``-isig``...)."""
        return (
            subprocess.run(
                ["stty", "-a", "-F", tty], capture_output=True, text=True, check=True, timeout=10
            )
            .stdout.replace(";", " ")
            .split()
        )

    expected = ddsql_lite.connect().sql(f"SELECT count(*) FROM {T} WHERE status = 'Running'")
    running = expected.fetchall()[0][0]
    tmux("new-session", "-d", "-s", "ddsql", "-x", "100", "-y", "30", command)
    try:
        wait_for(lambda s: "ddsql>" in s, "the prompt")
        tmux("send-keys", "-t", "ddsql", "-l", "SELECT count(*) AS running FROM aws_sag")
        tmux("send-keys", "-t", "ddsql", "Tab")
        wait_for(lambda s: "FROM aws_sagemaker_inference_experiment" in s, "the completion")
        # (tmux reads a ";" that ends an argument as its own command separator)
        tmux("send-keys", "-t", "ddsql", "-l", " WHERE status = 'Running'; ")
        tmux("send-keys", "-t", "ddsql", "Enter")
        text = wait_for(lambda s: "(1 row" in s, "the result")
        lines = [line.rstrip() for line in text.splitlines()]
        head = lines.index("running")
        assert lines[head + 1] == "-------"
        assert lines[head + 2].strip() == str(running)

        tmux("send-keys", "-t", "ddsql", "-l", LONG + " ")
        tmux("send-keys", "-t", "ddsql", "Enter")
        # Ctrl-C is a signal only once the prompt has given the terminal back (ISIG on:
        # the input was accepted); before that it is a key the prompt reads.
        tty = tmux("display-message", "-p", "-t", "ddsql", "#{pane_tty}").strip()
        wait_until(lambda: "isig" in stty(tty), "the prompt to give the terminal back")
        tmux("send-keys", "-t", "ddsql", "C-c")
        wait_for(lambda s: "cancelled" in s, "the cancellation")

        # Ctrl-D is read as a key by the prompt (raw mode): sent before that, the terminal
        # would take it as the end of a line no one reads
        wait_until(lambda: "-icanon" in stty(tty), "the prompt to read keys")
        tmux("send-keys", "-t", "ddsql", "C-d")
        wait_until(status.exists, "the shell to exit")
        assert status.read_text().strip() == "0"
    finally:
        subprocess.run([*server, "kill-server"], capture_output=True, check=False)


# --- hostile text and failures the shell must survive (issue 13) --------------------------

EVIL = "\x1b]0;pwned\x07 hidden\rshown\ttab \u009b2J 漢字"


def evil_fixture(tmp_path: Path) -> Path:
    """The sample's first record with control characters where anyone who can tag or
    describe an experiment could put them: the description, a tag value, a tag key."""
    from ddsql_lite.loaders import sample_path

    record = json.loads(sample_path().read_text())["records"][0]
    record["experiment"]["Description"] = EVIL
    record["tags"] = [{"Key": "team", "Value": "\x1b[2J\x1b[H"}, {"Key": "k\x1b[1m", "Value": "v"}]
    path = tmp_path / "evil.json"
    path.write_text(json.dumps([record]))
    return path


def test_control_characters_in_data_reach_the_screen_escaped(tmp_path: Path) -> None:
    fixtures = evil_fixture(tmp_path)
    sql = f"SELECT description AS \"d\x1b[2J\", tags->'team' AS team, tags FROM {T};"
    target = tmp_path / "out.csv"
    code, out, err = session(
        sql.replace("\x1b", ""),  # (keys cannot type ESC: the column name comes below)
        "\\x on",
        sql.replace("\x1b", ""),
        "\\x off",
        "\\format markdown",
        sql.replace("\x1b", ""),
        "\\format csv",
        f"\\o {target}",
        sql.replace("\x1b", ""),
        opener=lambda: ddsql_lite.connect(fixtures=fixtures),
    )
    assert code == 0 and err == "", err
    for raw in ("\x1b", "\x07", "\r", "\x9b"):
        assert raw not in out
    assert out.count("\\x1b]0;pwned\\x07 hidden\\rshown\\ttab \\x9b2J 漢字") == 3
    assert "\\x1b[2J\\x1b[H" in out and '"k\\\\u001b[1m"' not in out
    table = out[out.index("d[2J") :].splitlines()[:3]  # header, rule, the row: one width
    assert display.width(table[1]) == max(display.width(line) for line in table)
    # the file is CSV, a machine format: the data exactly
    assert EVIL in target.read_bytes().decode()


def test_control_characters_in_the_query_and_its_errors_are_escaped() -> None:
    out, err = io.StringIO(), io.StringIO()
    shell = Shell(ddsql_lite.connect, stdout=out, stderr=err)
    try:
        shell.handle(f"SELECT nme, '\x1b]0;pwned\x07' AS \"x\x1b[2J\" FROM {T};")
        shell.handle("SELECT '\x1b]0;pwned\x07\u202e' AS \"x\x1b[2J\";")
        shell.handle("\\translate SELECT '\x1b[2J'")
        shell.handle("\\o \x1b[2J/x")
        shell.handle("\\timeframe '\x1b[2J' now")
    finally:
        shell.close()
    text = out.getvalue() + err.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    lines = err.getvalue().splitlines()
    caret = lines.index("  SELECT nme, '\\x1b]0;pwned\\x07' AS \"x\\x1b[2J\" FROM " + T)
    assert lines[caret + 1] == "         ^"  # under nme
    assert "x\\x1b[2J" in out.getvalue() and "\\x1b]0;pwned\\x07\\u202e" in out.getvalue()
    assert "cannot write \\x1b[2J/x" in err.getvalue()


def test_the_time_frame_at_the_ends_of_the_range_does_not_end_the_shell() -> None:
    code, out, err = session(
        "SET dd.time_frame_end = '0001-01-01';",
        "\\timeframe 0001-01-01 0001-01-02",
        "SELECT current_setting('dd.time_frame_start') AS s;",
        "\\timeframe 9999-12-31T23:59:59.999999 9999-12-31T23:59:59.999999",
        "SHOW dd.time_frame_end;",
        "\\timeframe '0001-01-01T00:00:00+01:00' 0001-01-02",
        "\\timeframe default",
        "SET dd.time_frame_end = '0001-01-01 00:30';",
        "SELECT TIMESTAMP '9999-12-31' + INTERVAL '1 day' AS t;",  # past Python's datetime
        "SELECT 1 AS alive;",
    )
    assert code == 0
    assert "Time frame: 0001-01-01 00:00:00.000+00:00 to 0001-01-02 00:00:00.000+00:00" in out
    assert "\n0001-01-01 00:00:00.000+00:00\n" in out
    assert "\n9999-12-31 23:59:59.999+00:00\n" in out
    assert err.count("set dd.time_frame_start too") == 2
    assert "dd.time_frame_start: '0001-01-01T00:00:00+01:00'" in err
    assert "cannot be represented in Python" in err
    assert "alive\n-----\n    1\n" in out and "Traceback" not in err


def test_an_output_file_that_cannot_be_written_does_not_end_the_shell(tmp_path: Path) -> None:
    code, out, err = session(
        "\\o /dev/full",  # a full disk
        f"SELECT name FROM {T};",
        "SELECT 1 AS alive;",  # back on the screen
        "\\o /nonexistent/dir/x",
        f"\\o {tmp_path}",
        "\\o ~no-such-user-xyz/x",
        "SELECT 2 AS still;",
    )
    assert code == 0
    assert (
        "error: cannot write to /dev/full: No space left on device; results go to the "
        "screen again" in err
    )
    assert "alive\n-----\n    1\n" in out and "still\n-----\n    2\n" in out
    assert "cannot write /nonexistent/dir/x: No such file or directory" in err
    assert f"cannot write {tmp_path}: Is a directory" in err
    assert "cannot write ~no-such-user-xyz/x" in err
    out_io, err_io = io.StringIO(), io.StringIO()
    shell = Shell(ddsql_lite.connect, stdout=out_io, stderr=err_io)
    shell.handle("\\o a\x00b")  # a NUL in the name
    shell.handle("\\o /dev/full")
    shell.close()  # the failed file closes quietly
    assert "cannot write a\\x00b: embedded null byte" in err_io.getvalue()


class Screen(io.StringIO):
    """Standard output that fails: with ``error`` (an OSError) after ``ok`` writes."""

    def __init__(self, error: OSError, ok: int = 1) -> None:
        super().__init__()
        self.failure, self.ok = error, ok

    def write(self, text: str) -> int:
        if self.ok <= 0:
            raise self.failure
        self.ok -= 1
        return super().write(text)


def test_a_screen_that_cannot_be_written(tmp_path: Path) -> None:
    """A full disk under stdout: each output reports it and the shell goes on; a closed
    pipe ends it (``ddsql`` then exits 141, quietly)."""
    err = io.StringIO()
    with create_pipe_input() as keys:
        keys.send_text(f"SELECT 1 AS a;{ENTER}\\timing{ENTER}{CTRL_D}")
        code = run_shell(
            ddsql_lite.connect,
            input=keys,
            output=DummyOutput(),
            history=InMemoryHistory(),
            stdout=Screen(OSError(28, "No space left on device")),
            stderr=err,
        )
    assert code == 0
    assert err.getvalue().count("cannot write to standard output: No space left on device") == 2
    with create_pipe_input() as keys, pytest.raises(BrokenPipeError):
        keys.send_text(f"SELECT 1 AS a;{ENTER}{CTRL_D}")
        run_shell(
            ddsql_lite.connect,
            input=keys,
            output=DummyOutput(),
            history=InMemoryHistory(),
            stdout=Screen(BrokenPipeError(32, "Broken pipe")),
            stderr=io.StringIO(),
        )


def test_an_unexpected_exception_is_reported_and_the_shell_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(display, "aligned", broken)
    code, out, err = session("SELECT 1 AS a;", "\\format csv", "SELECT 2 AS b;")
    assert code == 0
    assert "internal error, please report it: RuntimeError: a bug" in err
    assert "b\n2\n" in out
