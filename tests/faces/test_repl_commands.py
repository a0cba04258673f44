"""The shell's psql habits and help: ``\\df``, ``\\h``, ``\\e``, ``\\i``, ``\\s``, ``\\dt+``,
``\\timeout``, ``\\memory``, Ctrl-R then Enter, a misspelt statement keyword, and where the
data comes from (the banner, ``\\timeframe``)."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

import ddsql_lite
from ddsql_lite import metadata
from ddsql_lite.connection import Connection
from ddsql_lite.errors import ParseError
from ddsql_lite.repl import run_shell
from ddsql_lite.repl.sqltokens import script_inputs

from .test_repl_shell import CTRL_C, CTRL_D, ENTER, session

T = "aws.sagemaker_inference_experiment"
CTRL_R = "\x12"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "dialect.md"
# 32 rows to the 8th power to count: minutes of work, stopped by a short time limit.
SLOW = "SELECT count(*) FROM " + ", ".join(f"{T} AS t{i}" for i in range(8)) + ";"


# --- \df and \h ----------------------------------------------------------------------------


def test_every_function_the_translator_accepts_has_help_and_nothing_else() -> None:
    names = {f.name for f in metadata.function_help()}
    assert names == set(metadata.function_names())
    for form in metadata.function_help():
        assert form.signature.startswith(form.name + "(") and form.description, form
        assert form.category in {
            "aggregate", "number", "string", "time", "array", "regex", "json", "tags",
            "window",
        }  # fmt: skip


def test_function_signatures_agree_with_the_dialect_docs() -> None:
    """Every signature's first form (up to its first bracket or comma) is written in
    docs/dialect.md, "Functions"."""
    text = DOCS.read_text()
    section = text[text.index("## Functions") : text.index("## Regular expressions")]
    for form in metadata.function_help():
        head = re.split(r"[\[,)]", form.signature, maxsplit=1)[0]
        assert f"`{head}" in section, form.signature


def names_listed(out: str) -> list[str]:
    """The first word of each row of a \\df table (after its header and rule)."""
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("function "))
    rows = [line for line in lines[head:] if line and not line.startswith(("function ", "-", " "))]
    return [line.split()[0] for line in rows]


def test_df_lists_functions_with_signatures_and_takes_psql_patterns() -> None:
    code, out, err = session("\\df")
    assert code == 0 and err == ""
    assert set(names_listed(out)) == set(metadata.function_names())
    assert re.search(
        r"\njson_extract_path_text +\| json_extract_path_text\(j, step, \.\.\.\) +\| the", out
    )
    _, out, _ = session("\\df json*")
    assert set(names_listed(out)) == {n for n in metadata.function_names() if n.startswith("json")}
    _, out, _ = session("\\df ?ank", "\\df *_TEXT")
    assert names_listed(out) == ["rank", "json_array_elements_text", "json_extract_path_text"]
    _, out, _ = session("\\df lower")
    assert names_listed(out) == ["lower"]  # the whole name: not json_..._lower
    _, _, err = session("\\df nope*")
    assert "error: no DDSQL function matches 'nope*'; \\df lists them all" in err


def test_df_and_h_complete_their_arguments() -> None:
    from ddsql_lite.repl.catalog import ConnectionCatalog
    from ddsql_lite.repl.completion import complete
    from ddsql_lite.repl.metacommands import completion_arguments

    with ddsql_lite.connect() as con:
        catalog = ConnectionCatalog(con, completion_arguments([T]))
        found = [c.text for c in complete("\\df json_ex", catalog)]
        assert found == ["json_extract_path", "json_extract_path_text"]
        assert [c.text for c in complete("\\h SEL", catalog)] == ["SELECT"]


def test_h_gives_the_syntax_of_each_statement_and_names_what_is_refused() -> None:
    accepted, refused, _ = metadata.statement_help()
    assert [s.name for s in accepted] == ["SELECT", "WITH", "UNION", "VALUES", "SET", "SHOW"]
    assert set(refused) == {"INTERSECT", "EXCEPT"}
    code, out, err = session("\\h", "\\h select", "\\h INTERSECT;", "\\h create", "\\h show")
    assert code == 0 and err == ""
    assert "Statements DDSQL accepts (\\h NAME shows the syntax):" in out
    assert "Command:     SELECT\nDescription: read rows from the tables\nSyntax:\n" in out
    assert "    [GROUP BY [ALL | DISTINCT] expression [, ...]]" in out
    assert "INTERSECT is refused: DDSQL does not support INTERSECT" in out
    assert "No help for CREATE: it is not a DDSQL statement." in out
    assert "SHOW dd.time_frame_start\n" in out
    assert out.count("Statements DDSQL accepts") == 2  # the list, alone and after CREATE


def test_the_syntax_summaries_run() -> None:
    """The statements \\h describes run as written there (with names filled in)."""
    with ddsql_lite.connect() as con:
        con.sql(f"WITH x (n) AS (SELECT name FROM {T}) SELECT n FROM x")
        con.sql("SELECT 1 UNION ALL SELECT 2")
        con.sql("SELECT * FROM (VALUES (1, 'a')) AS v (n, s)")
        con.sql("SET dd.time_frame_start = '2025-01-01'")
        con.sql("SHOW ALL")
        with pytest.raises(ddsql_lite.DDSQLError, match="INTERSECT is not supported"):
            con.sql("SELECT 1 INTERSECT SELECT 1")


# --- a misspelt statement keyword -----------------------------------------------------------


def test_a_misspelt_statement_keyword_gets_a_suggestion() -> None:
    with pytest.raises(ParseError, match=r"SELCT is not a keyword; did you mean SELECT\?"):
        ddsql_lite.translate(f"SELCT name FROM {T}")
    with pytest.raises(ParseError, match="did you mean WITH") as caught:
        ddsql_lite.translate("SELECT 1;\n  wtih x AS (SELECT 1) SELECT * FROM x")
    assert (caught.value.line, caught.value.column) == (2, 3)
    with pytest.raises(ParseError) as other:
        ddsql_lite.translate("FOO 1")
    assert "did you mean" not in str(other.value)
    _, _, err = session("SELCT 1;")
    assert err.splitlines() == [
        "error: syntax error: SELCT is not a keyword; did you mean SELECT? (line 1, column 1)",
        "  SELCT 1",
        "  ^",
    ]


# --- \e, \i, \s ----------------------------------------------------------------------------


def editor(tmp_path: Path, replace: str, name: str = "edit.sh") -> str:
    """An editor command that replaces the file it is given with ``replace`` (no
    trailing newline) and keeps a copy of what it was given in ``given.sql``."""
    script = tmp_path / name
    script.write_text(
        f'cp "$1" {shlex.quote(str(tmp_path / "given.sql"))}\n'
        f'printf %s {shlex.quote(replace)} > "$1"\n'
    )
    return f"sh {shlex.quote(str(script))}"


def test_e_edits_the_last_query_then_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor(tmp_path, "SELECT 42 AS answer;"))
    code, out, err = session("SELECT 41 AS answr;", "\\e")
    assert code == 0 and err == ""
    assert (tmp_path / "given.sql").read_text() == "SELECT 41 AS answr;\n"
    assert "answer\n------\n    42\n" in out
    monkeypatch.setenv("VISUAL", editor(tmp_path, "SELECT 43 AS visual;", "v.sh"))
    _, out, _ = session("SELECT nme FROM t;", "\\e")  # a failed query is edited too
    assert "visual\n------\n    43\n" in out
    assert (tmp_path / "given.sql").read_text() == "SELECT nme FROM t;\n"


def test_e_edits_the_query_being_typed_and_an_unfinished_edit_waits_at_the_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor(tmp_path, "SELECT 5"))
    code, out, err = session("SELECT 7", "AS seven", "\\e", " + 1 AS six;")
    assert code == 0 and err == ""
    assert (tmp_path / "given.sql").read_text() == "SELECT 7\nAS seven;\n"
    assert "six\n---\n  6\n" in out and "seven" not in out


def test_e_reports_a_failing_editor_and_edits_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "false")
    code, out, err = session("SELECT 1 AS one;", "\\e", "SELECT 2 AS alive;")
    assert code == 0 and "error: the editor exited with status 1; nothing ran" in err
    assert "alive" in out
    query = tmp_path / "q.sql"
    query.write_text("SELECT 1 AS from_file;")
    monkeypatch.setenv("EDITOR", editor(tmp_path, "SELECT 2 AS edited_file;"))
    _, out, _ = session(f"\\e {query}")
    assert query.read_text() == "SELECT 2 AS edited_file;" and "edited_file" in out


def test_script_inputs_with_their_lines() -> None:
    text = (
        "-- a script\nSELECT 1 AS a; SELECT 2\n  AS b;\n\\x on\n\n"
        "SELECT ';' AS c -- not the end;\n;\n  \\timing off\nSELECT 'last'"
    )
    assert script_inputs(text) == [
        (2, "SELECT 1 AS a"),
        (2, "SELECT 2\n  AS b"),
        (4, "\\x on"),
        (6, "SELECT ';' AS c -- not the end;"),
        (8, "\\timing off"),
        (9, "SELECT 'last'"),
    ]


def test_i_runs_a_file_in_order_and_stops_at_the_first_error(tmp_path: Path) -> None:
    script = tmp_path / "report.sql"
    script.write_text(
        f"SELECT count(*) AS n FROM {T};\n\\format csv\nSELECT 'two' AS second;\n\n"
        f"-- a typo\nSELECT\n  nme FROM {T};\nSELECT 'never' AS x;\n"
    )
    code, out, err = session(f"\\i {script}", "\\format table", "SELECT 1 AS alive;")
    assert code == 0
    assert "n\n--\n32\n" in out and "second\ntwo\n" in out and "never" not in out
    assert err.startswith(f"error: {script}:6: column 'nme' does not exist; did you mean name?")
    assert "alive\n-----\n    1\n" in out  # the shell goes on
    _, _, err = session(f"\\i {tmp_path / 'missing.sql'}", "\\i")
    assert f"error: cannot read {tmp_path / 'missing.sql'}: No such file or directory" in err
    assert "error: \\i needs a file name" in err
    (tmp_path / "bad.sql").write_text("SELECT 1 AS ok;\n\\nope\n")
    _, _, err = session(f"\\i {tmp_path / 'bad.sql'}")
    assert f"error: {tmp_path / 'bad.sql'}:2: unknown meta-command \\nope" in err


def test_i_files_that_include_themselves_stop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.sql"
    loop.write_text(f"SELECT 1 AS turn;\n\\i {loop}\n")
    code, out, err = session(f"\\i {loop}", "SELECT 'alive' AS still;")
    assert code == 0 and out.count("turn") == 16
    assert f"{loop}:2: {loop}: \\i files nest more than 16 deep" in err
    assert "alive" in out


def test_s_shows_the_history(tmp_path: Path) -> None:
    target = tmp_path / "history.txt"
    code, out, err = session("SELECT 1", "AS one;", "\\x on", "\\s", f"\\s {target}")
    assert code == 0 and err == ""
    assert "SELECT 1\nAS one;\n\\x on\n\\s\n" in out
    assert target.read_text() == f"SELECT 1\nAS one;\n\\x on\n\\s\n\\s {target}\n"
    _, _, err = session(f"\\s {tmp_path}")
    assert f"cannot write {tmp_path}: Is a directory" in err


def run_keys(keys_text: str, history: list[str]) -> tuple[str, str]:
    """Type raw keys into a shell whose history holds ``history``; stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    past = InMemoryHistory()
    for line in history:
        past.append_string(line)
    with create_pipe_input() as keys:
        keys.send_text(keys_text + CTRL_D)
        run_shell(
            ddsql_lite.connect,
            input=keys,
            output=DummyOutput(),
            history=past,
            stdout=out,
            stderr=err,
        )
    return out.getvalue(), err.getvalue()


def test_ctrl_r_then_enter_runs_the_query_found() -> None:
    history = ["SELECT 'found it' AS search;", "SELECT 'newer' AS other;", "SELECT 1 AS"]
    # (without it, Enter would only end the search: Ctrl-C then drops the line)
    out, err = run_keys(CTRL_R + "found" + ENTER + CTRL_C, history)
    assert err == "" and "search\n--------\nfound it\n" in out and "newer" not in out
    out, err = run_keys(CTRL_R + "1 AS" + ENTER + " one;" + ENTER, history)
    assert err == "" and "one\n---\n  1\n" in out  # unfinished: left to finish


# --- limits --------------------------------------------------------------------------------


def test_timeout_and_memory_change_the_limits_and_survive_reload() -> None:
    opened: list[Connection] = []

    def opener() -> Connection:
        opened.append(ddsql_lite.connect())
        return opened[-1]

    code, out, err = session(
        "\\timeout", "\\timeout 0.3", SLOW, "\\memory 50MB", "\\reload", "\\timeout",
        "\\memory", "\\timeout 0", "\\timeout -1", "\\memory banana",
        "SELECT 1 AS alive;", opener=opener,
    )  # fmt: skip
    assert code == 0
    assert "Time limit: 30 s per query." in out
    assert out.count("Time limit: 0.3 s per query.") == 2  # set, and kept by \reload
    assert "Memory limit: 4GB per query." not in out
    assert out.count("Memory limit: 50MB per query.") == 2
    assert "No time limit." in out
    assert "query stopped: it ran past its time limit of 0.3 s" in err
    assert "timeout '-1' is not a time limit" in err
    assert "'banana' is not a memory size" in err
    assert opened[1].limits == (0.0, "50MB")
    assert "alive\n-----\n    1\n" in out


# --- where the data comes from -------------------------------------------------------------


def sample_span() -> tuple[str, str]:
    with ddsql_lite.connect() as con:
        columns = [c.name for c in con.registry.get(T).columns if c.type.ddsql == "TIMESTAMP"]
        ends = ", ".join(f"min({c}), max({c})" for c in columns)
        row = con.sql(f"SELECT {ends} FROM {T}").fetchall()[0]
    stamps = [v for v in row if v is not None]
    return f"{min(stamps):%Y-%m-%d}", f"{max(stamps):%Y-%m-%d}"


def test_the_banner_and_dt_plus_say_the_data_is_the_sample_and_its_dates(tmp_path: Path) -> None:
    first, last = sample_span()
    note = f"Data: the bundled sample data (made-up experiments), dated {first} to {last}."
    code, out, err = session("\\dt+", "\\dt")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[1] == note and out.count(note) == 2
    assert re.search(r"\nLoaded at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.\n", out)
    head = next(line for line in lines if line.startswith("table "))
    assert [c.strip() for c in head.split("|")] == ["table", "rows", "size", "description"]
    assert re.search(r"\| +32 \| +\d+ (bytes|kB|MB) \|", out)
    from ddsql_lite.loaders import sample_path

    records = json.loads(sample_path().read_text())["records"][:2]
    (tmp_path / "two.json").write_text(json.dumps(records))
    _, out, _ = session("\\dt+", opener=lambda: ddsql_lite.connect(fixtures=tmp_path / "two.json"))
    assert "bundled" not in out.splitlines()[1]
    assert "Data: fixture files, dated " in out


def test_timeframe_default_says_the_hour_before_each_query() -> None:
    code, out, err = session(
        "\\timeframe", "\\timeframe '2025-03-01 12:00' '2025-03-01 13:00'", "\\timeframe default",
        "SET dd.time_frame_start = '2025-03-01';", "\\timeframe",
    )  # fmt: skip
    assert code == 0 and err == ""
    assert out.count("Time frame: the hour before each query (the default)") == 2
    assert "Time frame: 2025-03-01 12:00:00.000+00:00 to 2025-03-01 13:00:00.000+00:00" in out
    assert "Time frame: 2025-03-01 00:00:00.000+00:00 to the start of each query" in out


def test_timeframe_takes_relative_spans() -> None:
    code, out, err = session(
        "\\timeframe 7d",
        "SELECT current_setting('dd.time_frame_end')::timestamp"
        " - current_setting('dd.time_frame_start')::timestamp AS span;",
        "\\timeframe now-2h now",
        "\\timeframe 7 days",
    )  # fmt: skip
    assert code == 0
    assert "Time frame: the 7d before each query" in out
    assert "7 days" in out
    assert "Time frame: now-2h to now, read at each query" in out
    assert "'7' is not a timestamp" in err  # two words that are not START END: refused


def test_file_names_complete_after_the_commands_that_take_one(tmp_path: Path) -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from ddsql_lite.repl import Shell
    from ddsql_lite.repl.shell import ShellCompleter

    (tmp_path / "report.sql").write_text("SELECT 1;")
    shell = Shell(ddsql_lite.connect, stdout=io.StringIO(), stderr=io.StringIO())
    try:
        completer = ShellCompleter(shell)
        for command in ("\\i", "\\e", "\\o", "\\s"):
            text = f"{command} {tmp_path}/rep"
            found = completer.get_completions(
                Document(text, len(text)), CompleteEvent(completion_requested=True)
            )
            assert [c.text for c in found] == ["ort.sql"], command
    finally:
        shell.close()


# --- a real terminal ----------------------------------------------------------------------


class Terminal:
    """``ddsql`` in a tmux pane of 100 x 30, with its own history."""

    def __init__(self, tmp_path: Path, env: str = "") -> None:
        ddsql = Path(sys.executable).with_name("ddsql")
        self.server = ["tmux", "-L", f"ddsql-cmd-{os.getpid()}", "-f", "/dev/null"]
        command = (
            f"env HOME={tmp_path} XDG_DATA_HOME={tmp_path / 'data'} PAGER= {env} "
            f"{shlex.quote(str(ddsql))}"
        )
        self.tmux("new-session", "-d", "-s", "ddsql", "-x", "100", "-y", "30", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [*self.server, *args], check=True, capture_output=True, text=True, timeout=10
        ).stdout

    def type(self, text: str) -> None:
        # (tmux reads a ";" that ends an argument as its own command separator)
        self.tmux("send-keys", "-t", "ddsql", "-l", text)

    def keys(self, *names: str) -> None:
        self.tmux("send-keys", "-t", "ddsql", *names)

    def wait_for(self, predicate: Callable[[str], bool], what: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.tmux("capture-pane", "-p", "-t", "ddsql")
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen:\n{text}")

    def close(self) -> None:
        subprocess.run([*self.server, "kill-server"], capture_output=True, check=False)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_in_a_real_terminal_ctrl_r_enter_runs_and_e_edits(tmp_path: Path) -> None:
    script = tmp_path / "edit.sh"
    script.write_text("sed -i 's/41/42/' \"$1\"\n")
    term = Terminal(tmp_path, env=f"VISUAL='sh {script}'")
    try:
        term.wait_for(lambda s: "ddsql>" in s, "the prompt")
        term.type("SELECT 'needle' AS found, 41 AS answer; ")
        term.keys("Enter")
        term.wait_for(lambda s: "(1 row" in s, "the first result")
        term.type("SELECT 2 AS other; ")
        term.keys("Enter")
        term.wait_for(lambda s: "other" in s and s.count("(1 row") == 2, "the second result")
        term.keys("C-r")
        term.type("needl")
        term.wait_for(lambda s: "reverse-i-search" in s or "needl" in s.splitlines()[-1], "search")
        term.keys("Enter")  # runs it at once, as readline does
        term.wait_for(lambda s: s.count("(1 row") == 3, "the query found, run")
        term.type("\\e")
        term.keys("Enter")  # the editor changes 41 to 42 and the query runs
        text = term.wait_for(lambda s: s.count("(1 row") == 4, "the edited query")
        assert "42" in text.split("\\e", 1)[1]
        term.keys("C-d")
    finally:
        term.close()
