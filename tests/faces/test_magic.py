"""The %ddsql / %%ddsql magics, in a real IPython shell (ddsql_lite.magic)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.interactiveshell import ExecutionResult, InteractiveShell
from traitlets.config import Config

import ddsql_lite
from ddsql_lite import magic
from ddsql_lite.loaders import synthetic

TABLE = "aws.sagemaker_inference_experiment"


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InteractiveShell]:
    """One in-process IPython shell for the module, with history kept in memory."""
    saved_main = sys.modules.get("__main__")
    saved_ipythondir = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    ip = InteractiveShell.instance(config=config, colors="nocolor")
    try:
        ip.run_line_magic("load_ext", "ddsql_lite")
        yield ip
    finally:
        InteractiveShell.clear_instance()
        if saved_main is not None:  # the shell installs its own __main__ module
            sys.modules["__main__"] = saved_main
        if saved_ipythondir is None:
            os.environ.pop("IPYTHONDIR", None)
        else:
            os.environ["IPYTHONDIR"] = saved_ipythondir


@pytest.fixture()
def magics(shell: InteractiveShell) -> Iterator[magic.DDSQLMagics]:
    """The shell's DDSQLMagics instance, connected to the sample data."""
    instance = shell.magics_manager.registry["DDSQLMagics"]
    assert isinstance(instance, magic.DDSQLMagics)
    shell.run_line_magic("ddsql", "--source sample")
    yield instance


@pytest.fixture(scope="module")
def api() -> ddsql_lite.Connection:
    """The Python API on the same (bundled) data, to compare answers with."""
    return ddsql_lite.connect()


@pytest.fixture(scope="module")
def fixture_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fixtures") / "synthetic.json"
    path.write_text(json.dumps(synthetic(40, seed=7)))
    return path


def run(shell: InteractiveShell, source: str) -> ExecutionResult:
    return shell.run_cell(source, store_history=True)


def test_cell_magic_returns_a_dataframe_that_underscore_holds(
    shell: InteractiveShell, magics: magic.DDSQLMagics, api: ddsql_lite.Connection
) -> None:
    query = f"SELECT status, count(*) AS experiments FROM {TABLE} GROUP BY status ORDER BY status"
    result = run(shell, f"%%ddsql\n{query}\n")
    assert result.success, result.error_in_exec
    assert isinstance(result.result, pd.DataFrame)
    pd.testing.assert_frame_equal(result.result, api.sql(query).df())
    assert shell.user_ns["_"] is result.result


def test_line_magic_passes_the_query_verbatim(
    shell: InteractiveShell, magics: magic.DDSQLMagics, api: ddsql_lite.Connection
) -> None:
    # Quotes, ->, '{...}' and $ would be mangled by shell-style splitting or expansion.
    query = (
        f"SELECT name, tags->'team' AS team, model_variants #>> '{{0,model_name}}' AS m, "
        f"'$HOME {{x}}' AS literal FROM {TABLE} WHERE tags->'team' LIKE '%fraud%' ORDER BY name"
    )
    result = run(shell, f"%ddsql {query}")
    assert result.success, result.error_in_exec
    frame = result.result
    pd.testing.assert_frame_equal(frame, api.sql(query).df())
    assert len(frame) > 0
    assert set(frame["literal"]) == {"$HOME {x}"}
    assert shell.user_ns["_"] is frame


def test_out_option_stores_the_frame(shell: InteractiveShell, magics: magic.DDSQLMagics) -> None:
    shell.user_ns.pop("by_region", None)
    result = run(
        shell,
        f"%%ddsql -o by_region\nSELECT tags->'region' AS region, count(*) AS n FROM {TABLE} "
        "GROUP BY 1 ORDER BY 1",
    )
    assert result.success, result.error_in_exec
    stored = shell.user_ns["by_region"]
    assert stored is result.result
    assert list(stored.columns) == ["region", "n"]
    assert stored["n"].sum() == 32

    assert run(shell, f"%ddsql --out=total SELECT count(*) AS n FROM {TABLE}").success
    assert shell.user_ns["total"]["n"].tolist() == [32]


def test_parameters_come_from_python_variables_and_stay_data(
    shell: InteractiveShell,
    magics: magic.DDSQLMagics,
    api: ddsql_lite.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, dict[str, Any] | None]] = []
    real_sql = ddsql_lite.Connection.sql

    def spy(self: ddsql_lite.Connection, query: str, params: Any = None, **kw: Any) -> Any:
        seen.append((query, None if params is None else dict(params)))
        return real_sql(self, query, params, **kw)

    monkeypatch.setattr(ddsql_lite.Connection, "sql", spy)
    shell.user_ns["status"] = "Cancelled"
    result = run(shell, f"%%ddsql\nSELECT name FROM {TABLE} WHERE status = :status ORDER BY 1")
    assert result.success, result.error_in_exec
    expected = api.sql(f"SELECT name FROM {TABLE} WHERE status = 'Cancelled' ORDER BY 1").df()
    pd.testing.assert_frame_equal(result.result, expected)
    assert len(expected) > 0

    hostile = "x' OR '1'='1'; SELECT * FROM aws.sagemaker_inference_experiment --"
    shell.user_ns["name"] = hostile
    result = run(
        shell, f"%ddsql SELECT count(*) AS n FROM {TABLE} WHERE name = :name OR :name = ''"
    )
    assert result.success, result.error_in_exec
    assert result.result["n"].tolist() == [0]  # pasted into the SQL it would match 32 rows
    query, params = seen[-1]
    assert params == {"name": hostile}
    assert hostile not in query and ":name" in query


def test_a_placeholder_without_a_variable_is_a_short_error(
    shell: InteractiveShell, magics: magic.DDSQLMagics, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.user_ns.pop("no_such_var", None)
    result = run(shell, f"%ddsql SELECT name FROM {TABLE} WHERE name = :no_such_var")
    assert not result.success
    out = capsys.readouterr()
    text = out.out + out.err
    assert "NameError: no Python variable for :no_such_var" in text
    assert "Traceback" not in text


def test_errors_are_one_short_block_with_the_caret(
    shell: InteractiveShell, magics: magic.DDSQLMagics, capsys: pytest.CaptureFixture[str]
) -> None:
    run(shell, "sentinel = 1")
    run(shell, "sentinel")
    before = shell.user_ns["_"]
    shell.user_ns.pop("broken", None)
    capsys.readouterr()
    result = run(shell, f"%%ddsql -o broken\nSELECT name\nFROM {TABLE}\nWHERE status = = 'Running'")
    assert not result.success
    assert isinstance(result.error_in_exec, magic.DDSQLMagicError)
    out = capsys.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if line.strip()]
    assert lines[0].startswith("ParseError: ") and "line 3" in lines[0], lines
    assert lines[-2].strip() == "WHERE status = = 'Running'"
    assert lines[-1].strip() == "^"
    assert len(lines) == 3, lines
    text = "\n".join(lines)
    assert "Traceback" not in text and "File " not in text and "----" not in text
    assert shell.user_ns["_"] is before  # nothing displayed, nothing stored
    assert "broken" not in shell.user_ns


def test_unknown_tables_keep_the_library_message(
    shell: InteractiveShell, magics: magic.DDSQLMagics, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    result = run(shell, "%ddsql SELECT * FROM aws.sagemaker_inference_experiments")
    assert not result.success
    out = capsys.readouterr()
    text = (out.out + out.err).strip()
    assert text.startswith("CatalogError: ")
    assert "aws.sagemaker_inference_experiment" in text
    assert "Traceback" not in text


def test_bad_options_are_usage_errors(
    shell: InteractiveShell, magics: magic.DDSQLMagics, capsys: pytest.CaptureFixture[str]
) -> None:
    for line in (
        "%ddsql --bogus SELECT 1",
        "%ddsql -o 1x SELECT 1",
        "%ddsql -o class SELECT 1",
        "%ddsql -o out",
        "%ddsql --timeout soon SELECT 1",
    ):
        assert not run(shell, line).success
        out = capsys.readouterr()
        assert "UsageError" in out.out + out.err, line
    assert not run(shell, "%%ddsql SELECT 1\nSELECT 2").success
    assert "first line" in capsys.readouterr().err


def test_the_connection_is_reused_until_the_data_options_change(
    shell: InteractiveShell,
    magics: magic.DDSQLMagics,
    fixture_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    opened: list[dict[str, Any]] = []

    def counting_connect(**kwargs: Any) -> ddsql_lite.Connection:
        opened.append(kwargs)
        return ddsql_lite.connect(**kwargs)

    monkeypatch.setattr(magic, "connect", counting_connect)
    count = f"SELECT count(*) AS n FROM {TABLE}"
    first = magics.connection
    assert run(shell, f"%ddsql {count}").result["n"].tolist() == [32]
    assert run(shell, f"%%ddsql\n{count}").result["n"].tolist() == [32]
    assert magics.connection is first and opened == []

    shell.user_ns["fixture_path"] = str(fixture_file)
    assert run(shell, f"%ddsql --fixtures $fixture_path {count}").result["n"].tolist() == [40]
    from_fixtures = magics.connection
    assert from_fixtures is not first and len(opened) == 1
    assert opened[0] == {"fixtures": str(fixture_file.resolve())}
    # No data options: keep the open connection; the same options: keep it too.
    assert run(shell, f"%ddsql {count}").result["n"].tolist() == [40]
    assert run(shell, f'%%ddsql --fixtures "{fixture_file}"\n{count}').result["n"].tolist() == [40]
    assert magics.connection is from_fixtures and len(opened) == 1

    capsys.readouterr()
    assert run(shell, "%ddsql --source sample").result is None
    printed = capsys.readouterr().out
    assert "the bundled sample data" in printed
    assert re.search(r"32 rows; timestamps \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)", printed)
    assert len(opened) == 2 and magics.connection is not from_fixtures
    assert run(shell, f"%ddsql {count}").result["n"].tolist() == [32]


def live_connection(failed_region: str | None = None) -> ddsql_lite.Connection:
    """The sample data, dressed as a live load of two regions (the second may have failed)."""
    from ddsql_lite.loaders import read_fixtures, sample_path
    from ddsql_lite.loaders.live.report import LoadEntry, LoadReport
    from ddsql_lite.registry import load_registry

    registry = load_registry()
    data = {table: read_fixtures(sample_path(), table) for table in registry}
    second = (
        LoadEntry("482910374615", failed_region, error="AccessDenied: no")
        if failed_region
        else LoadEntry("482910374615", "eu-west-1", api_calls=1)
    )
    entries = (LoadEntry("482910374615", "us-east-1", rows=32, api_calls=40), second)
    report = LoadReport("aws", entries, seconds=1.5)
    return ddsql_lite.Connection(data, registry, report=report)


def test_aws_options_are_passed_to_connect(
    shell: InteractiveShell,
    magics: magic.DDSQLMagics,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_connect(**kwargs: Any) -> ddsql_lite.Connection:
        calls.append(kwargs)
        return live_connection(failed_region="ap-southeast-2")

    monkeypatch.setattr(magic, "connect", fake_connect)
    monkeypatch.chdir(tmp_path)  # --cache snapshots makes the directory: not in the checkout
    line = (
        "--source aws --regions us-east-1,eu-west-1 --region ap-southeast-2 --profile prod "
        "--role-arn arn:aws:iam::123456789012:role/Reader --endpoint-url http://127.0.0.1:9 "
        "--max-workers 4 --connect-timeout 2 --read-timeout 9.5 --cache snapshots --max-age 2h "
        "--memory-limit 1GB"
    )
    capsys.readouterr()
    with pytest.warns(DeprecationWarning, match="--regions is deprecated: use --region"):
        result = run(shell, f"%ddsql {line} SELECT 1 AS one")
    assert result.success, result.error_in_exec
    assert calls == [
        {
            "source": "aws",
            "regions": ("us-east-1", "eu-west-1", "ap-southeast-2"),
            "profiles": ("prod",),
            "role_arns": ("arn:aws:iam::123456789012:role/Reader",),
            "endpoint_url": "http://127.0.0.1:9",
            "max_workers": 4,
            "connect_timeout": 2.0,
            "read_timeout": 9.5,
            "cache": str(Path("snapshots").resolve()),
            "max_age": 7200.0,
            "memory_limit": "1GB",
        }
    ]
    # Opening live data says what was loaded, and which region failed.
    printed = capsys.readouterr().out
    assert "ddsql: source aws, regions us-east-1,eu-west-1,ap-southeast-2, profiles prod" in printed
    assert "failed: 482910374615 ap-southeast-2: AccessDenied: no" in printed

    with pytest.warns(DeprecationWarning, match="--profiles is deprecated: use --profile"):
        assert run(shell, "%ddsql --source aws --profiles a,b --profile c").success
    assert calls[-1] == {"source": "aws", "profiles": ("a", "b", "c")}


def test_refresh_reopens_even_with_the_same_options(
    shell: InteractiveShell, magics: magic.DDSQLMagics, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_connect(**kwargs: Any) -> ddsql_lite.Connection:
        calls.append(kwargs)
        return live_connection()

    monkeypatch.setattr(magic, "connect", fake_connect)
    aws = "--source aws --region us-east-1"
    for line in (aws, aws, f"{aws} --refresh", aws, "SELECT 1 AS one"):
        assert run(shell, f"%ddsql {line}").success, line
    assert calls == [
        {"source": "aws", "regions": ("us-east-1",)},
        {"source": "aws", "regions": ("us-east-1",), "refresh": True},
    ]


def test_every_option_is_spelled_the_same_in_every_face() -> None:
    """connect() takes exactly the declared options (plus the deprecated ``profile``),
    and the magic's and the CLI's flags are the options' flags."""
    import inspect

    from ddsql_lite import options
    from ddsql_lite.cli import build_parser

    declared = [o.name for o in options.OPTIONS]
    parameters = list(inspect.signature(ddsql_lite.connect).parameters)
    assert parameters == [*declared, "profile"]
    flags = {o.option_string for o in options.OPTIONS if o.faces}
    magic_flags = {name for names, _ in magic.OPTIONS for name in names}
    cli_flags = set(build_parser()._option_string_actions)
    assert flags <= magic_flags and flags <= cli_flags
    renamed = set(options.RENAMED) - {"profile"}
    assert magic_flags - flags == {"-o", "--out", *renamed}


def test_query_timeout_is_passed_per_query(
    shell: InteractiveShell, magics: magic.DDSQLMagics, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    real_sql = ddsql_lite.Connection.sql

    def spy(self: ddsql_lite.Connection, query: str, params: Any = None, **kw: Any) -> Any:
        seen.append(kw.get("timeout"))
        return real_sql(self, query, params, **kw)

    monkeypatch.setattr(ddsql_lite.Connection, "sql", spy)
    assert run(shell, "%ddsql --timeout 5 SELECT 1 AS one").success
    assert run(shell, "%ddsql SELECT 1 AS one").success
    assert seen == [5.0, None]


def test_relative_time_frames(shell: InteractiveShell, magics: magic.DDSQLMagics) -> None:
    sql = (
        "SELECT CAST(current_setting('dd.time_frame_end') AS TIMESTAMP) "
        "- CAST(current_setting('dd.time_frame_start') AS TIMESTAMP) = INTERVAL '7 days' AS week"
    )
    for line in (
        f"%ddsql --time-frame 7d {sql}",
        f"%ddsql --time-frame now-7d now {sql}",
        f'%%ddsql --time-frame "now-7d now"\n{sql}',
        f"%%ddsql --time-frame now-7d now\n{sql}",
    ):
        result = run(shell, line)
        assert result.success, line
        assert bool(result.result["week"][0]) is True
    assert not run(shell, f"%ddsql --time-frame 7x {sql}").success


@pytest.mark.parametrize(
    ("line", "options", "query"),
    [
        ("SELECT 1", [], "SELECT 1"),
        ("-o out SELECT -1", ["-o", "out"], "SELECT -1"),
        ("-oout --timeout=3 SELECT 1", ["-oout", "--timeout=3"], "SELECT 1"),
        ('--fixtures "a b/c.json" SELECT 1', ["--fixtures", "a b/c.json"], "SELECT 1"),
        ("--fixtures x -- -- comment\nSELECT 1", ["--fixtures", "x"], "-- comment\nSELECT 1"),
        ("SELECT tags->'team' AS t", [], "SELECT tags->'team' AS t"),
        ("  -o x  ", ["-o", "x"], ""),
        ("", [], ""),
        ("--bogus SELECT 1", ["--bogus"], "SELECT 1"),
        # --time-frame START [END]: its END on the line, then the query
        ("--time-frame now-7d now SELECT 1", ["--time-frame", "now-7d", "now"], "SELECT 1"),
        ("--time-frame 7d SELECT 1", ["--time-frame", "7d"], "SELECT 1"),
        ("--time-frame 7d -o x now", ["--time-frame", "7d", "-o", "x"], "now"),
        (
            "--time-frame 2025-01-01 '2025-02-01' -o x",
            ["--time-frame", "2025-01-01", "2025-02-01", "-o", "x"],
            "",
        ),
        ("--timeout 5 now", ["--timeout", "5"], "now"),
    ],
)
def test_split_line(line: str, options: list[str], query: str) -> None:
    parser = magic.parser_of(magic.DDSQLMagics.ddsql)
    assert magic.split_line(line, parser) == (options, query)


def test_importing_the_package_does_not_import_ipython() -> None:
    code = "import sys, ddsql_lite; assert 'IPython' not in sys.modules, 'IPython imported'"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "options",
    [
        "--timeout=-1",
        "--timeout nan",
        "--timeout inf",
        "--timeout ''",
        "--memory-limit=-1",
        "--memory-limit=-5GB",
        "--memory-limit 0GB",
        "--memory-limit 100",
        "--memory-limit ''",
    ],
)
def test_bad_limit_values_are_usage_errors_without_a_traceback(
    shell: InteractiveShell,
    magics: magic.DDSQLMagics,
    capsys: pytest.CaptureFixture[str],
    options: str,
) -> None:
    """Values that would silently remove a limit are refused before anything runs."""
    capsys.readouterr()
    assert not run(shell, f"%ddsql {options} SELECT 1").success
    out = capsys.readouterr()
    text = out.out + out.err
    assert "UsageError" in text and "Traceback" not in text, text
    assert "not a time limit" in text or "not a number" in text or "not a memory size" in text


def test_control_characters_in_errors_are_shown_escaped(
    shell: InteractiveShell, magics: magic.DDSQLMagics, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    result = run(shell, f"%%ddsql\nSELECT nme, '\x1b]0;pwned\x07' FROM {TABLE}")
    assert not result.success
    error = result.error_in_exec
    assert isinstance(error, magic.DDSQLMagicError)
    rendered = "\n".join(error._render_traceback_())
    assert "\x1b" not in rendered and "\x07" not in rendered
    assert "'\\x1b]0;pwned\\x07'" in rendered
    out = capsys.readouterr()
    assert "\x1b]0" not in out.out + out.err
    err = magic.DDSQLMagicError("CatalogError", "column 'x\x1b[2J' does not exist\n  x\x1b[2J\n  ^")
    assert err._render_traceback_() == [
        "CatalogError: column 'x\\x1b[2J' does not exist",
        "  x\\x1b[2J",
        "  ^",
    ]


def test_the_syntax_option_reads_one_cell_as_ddsql_preview(
    shell: InteractiveShell, magics: magic.DDSQLMagics
) -> None:
    """``--syntax preview`` applies to its cell's query (as ``--timeout`` does); the
    connection is reused and the next cell is read as the reference again."""
    query = f"SELECT count(*) AS n FROM {TABLE} WHERE team = 'fraud'"
    assert run(shell, f"%%ddsql --syntax preview\n{query}\n").result["n"].tolist() == [2]
    connection = magics.connection
    assert run(shell, f"%ddsql --syntax preview {query}").result["n"].tolist() == [2]
    failed = run(shell, f"%%ddsql\n{query}\n")
    assert isinstance(failed.error_in_exec, magic.DDSQLMagicError)
    assert "column 'team' does not exist" in str(failed.error_in_exec)
    assert magics.connection is connection
    bad = run(shell, f"%%ddsql --syntax sql\n{query}\n")
    assert bad.error_in_exec is not None or bad.error_before_exec is not None
