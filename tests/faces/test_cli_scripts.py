"""``ddsql`` as psql users use it (issue 19): JSON that jq can use, scripts of several
statements, ``ddsql translate`` on standard input, pretty-printed."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite.repl.sqltokens import split_statements, statement_spans
from ddsql_lite.scripts import statements
from tests.faces.test_cli import run

T = "aws.sagemaker_inference_experiment"
SHADOW = f"SELECT name, shadow_mode_config FROM {T} ORDER BY name"


def strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


# --- JSON that jq can use -----------------------------------------------------------------


def test_json_columns_nest_as_json(capsys) -> None:
    code, out, _ = run(capsys, "-c", SHADOW, "--format", "json")
    records = strict(out)
    assert code == 0 and len(records) == 32
    picked = [
        r["name"]
        for r in records
        if r["shadow_mode_config"] is not None
        and r["shadow_mode_config"]["shadow_model_variants"][0]["sampling_percentage"] > 50
    ]
    with ddsql_lite.connect() as con:
        expected = con.sql(
            f"SELECT name FROM {T} WHERE (shadow_mode_config #>> "
            "'{shadow_model_variants,0,sampling_percentage}')::bigint > 50 ORDER BY name"
        ).fetchall()
    assert picked == [n for (n,) in expected] and picked


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_issue_s_jq_filter_works(tmp_path: Path) -> None:
    ddsql = Path(sys.executable).with_name("ddsql")
    sql = f"SELECT shadow_mode_config FROM {T}"
    out = subprocess.run(
        [str(ddsql), "-c", sql, "--format", "json"], capture_output=True, check=True, text=True
    ).stdout
    jq = subprocess.run(
        [
            "jq",
            "-c",
            ".[] | select(.shadow_mode_config.shadow_model_variants[0].sampling_percentage > 50)",
        ],
        input=out,
        capture_output=True,
        text=True,
    )
    assert jq.returncode == 0, jq.stderr
    assert jq.stdout.count("\n") >= 1 and "Cannot index" not in jq.stderr


def test_json_keeps_every_type(capsys) -> None:
    sql = (
        "SELECT shadow_mode_config -> 'shadow_model_variants' AS variants, "
        "shadow_mode_config ->> 'source_model_variant_name' AS source, "
        "shadow_mode_config::text AS as_text, ARRAY[shadow_mode_config] AS configs, "
        "1.5 AS dec, 2::float8 / 3 AS dbl, 7 AS big, 'NaN'::float8 AS nan, true AS yes, "
        "TIMESTAMP '2025-01-01 10:00:00.25' AS ts, INTERVAL '1 day 2 hours' AS iv, "
        '\'{"a": 1.50, "b": [1e2, null]}\'::json AS written, tags, NULL AS nothing '
        f"FROM {T} WHERE shadow_mode_config IS NOT NULL ORDER BY name LIMIT 1"
    )
    _, out, _ = run(capsys, "-c", sql, "--format", "json")
    [record] = strict(out)
    assert isinstance(record["variants"], list) and record["variants"][0]["sampling_percentage"]
    assert isinstance(record["source"], str)
    assert isinstance(record["as_text"], str)  # text that holds JSON stays text: by type
    assert json.loads(record["as_text"]) == record["configs"][0]
    assert record["dec"] == 1.5 and record["dbl"] == 2 / 3 and record["big"] == 7
    assert record["nan"] == "NaN" and record["yes"] is True and record["nothing"] is None
    assert record["ts"] == "2025-01-01T10:00:00.25Z" and record["iv"] == "1 day 02:00:00"
    assert set(record["tags"]) >= {"aws_account", "region"}
    assert all(isinstance(v, list) for v in record["tags"].values())
    assert '"dec": 1.5,' in out and '"big": 7,' in out
    assert '"a": 1.50' in out and "1e2" in out  # JSON numbers as written


def test_jsonl_writes_a_row_a_line(capsys) -> None:
    _, lines, _ = run(capsys, "-c", SHADOW, "--format", "jsonl")
    _, array, _ = run(capsys, "-c", SHADOW, "--format", "json")
    rows = lines.splitlines()
    assert len(rows) == 32 and [strict(r) for r in rows] == strict(array)


def test_json_formats_are_strict_for_values_json_cannot_hold(capsys) -> None:
    sql = "SELECT 'Infinity'::float8 AS x, ARRAY['-Infinity'::float8, 1.5] AS y"
    for fmt in ("json", "jsonl"):
        _, out, _ = run(capsys, "-c", sql, "--format", fmt)
        assert "Infinity" in out
        rows = strict(out) if fmt == "json" else [strict(line) for line in out.splitlines()]
        assert rows == [{"x": "Infinity", "y": ["-Infinity", 1.5]}]


# --- scripts -----------------------------------------------------------------------------

SCRIPT = f"""-- statuses
SELECT status, count(*) AS n FROM {T} GROUP BY 1 ORDER BY 1 LIMIT 2;
SET dd.time_frame_start = '2025-01-01 10:00:00';
SELECT current_setting('dd.time_frame_start') AS start;

SELECT nme
  FROM {T};
SELECT 'after' AS last;
"""


def test_a_script_runs_in_order_and_stops_at_the_first_error(capsys, tmp_path: Path) -> None:
    path = tmp_path / "script.sql"
    path.write_text(SCRIPT)
    code, out, err = run(capsys, "-f", str(path))
    assert code == 1
    parts = out.split("\n\n")
    assert parts[0].splitlines()[-1] == "(2 rows)"
    assert parts[1] == "SET"  # then the setting applies to what follows
    assert parts[2].splitlines()[2].startswith("2025-01-01 10:00:00")
    assert "after" not in out
    assert err.startswith(f"error: {path}:6: column 'nme' does not exist")


def test_continue_runs_the_rest_and_still_fails(capsys, tmp_path: Path) -> None:
    path = tmp_path / "script.sql"
    path.write_text(SCRIPT)
    code, out, err = run(capsys, "-f", str(path), "--continue", "--format", "csv")
    assert code == 1 and err.count("error:") == 1
    assert out == (
        "status,n\nCancelled,6\nCompleted,9\n"
        "start\n2025-01-01 10:00:00.000+00:00\n"  # (SET prints nothing in CSV)
        "last\nafter\n"
    )


def test_a_script_on_standard_input_names_its_lines(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT 1 AS a;\n\nSELECT 1 FROM FROM;"))
    code, out, err = run(capsys, "--format", "jsonl")
    assert code == 1 and out == '{"a": 1}\n'
    assert err.startswith("error: <stdin>:3: ")


def test_c_runs_several_statements_as_psql_does(capsys) -> None:
    code, out, err = run(capsys, "-c", "SELECT 1 AS a; SELECT 2 AS b", "--format", "json")
    assert code == 0 and err == ""
    assert out == '[\n  {\n    "a": 1\n  }\n]\n[\n  {\n    "b": 2\n  }\n]\n'
    code, _, err = run(capsys, "-c", "SELECT 1;\nSELECT x FROM nowhere")
    assert code == 1 and err.startswith("error: line 2: ")
    code, _, err = run(capsys, "-c", "SELECT x FROM nowhere")  # one statement: as before
    assert code == 1 and err.startswith("error: ") and not err.startswith("error: line")


def test_the_api_keeps_one_statement_per_call() -> None:
    with ddsql_lite.connect() as con, pytest.raises(ddsql_lite.DDSQLError, match="one statement"):
        con.sql("SELECT 1; SELECT 2")


def test_splitting_respects_strings_names_comments_and_dollar_quotes() -> None:
    text = (
        "SELECT ';' AS \"a;b\" -- c;\n"
        "; /* ; */ SELECT $$x;y$$, $t$ $$; $t$;\n"
        "-- only a comment;\n"
        "SELECT 3"
    )
    assert split_statements(text) == [
        "SELECT ';' AS \"a;b\" -- c;",
        "SELECT $$x;y$$, $t$ $$; $t$",
        "SELECT 3",
    ]
    assert [s.line for s in statements(text)] == [1, 2, 4]
    assert statement_spans("  SELECT 1 ;") == [(2, "SELECT 1")]
    assert split_statements("SELECT E'a\\';b', e'c'';d'; SELECT 2") == [
        "SELECT E'a\\';b', e'c'';d'",
        "SELECT 2",
    ]
    assert statements("-- nothing") == statements("-- nothing")[:1]  # left to the library


def test_dollar_quotes_reach_the_translator_whole(capsys) -> None:
    """DDSQL refuses dollar quotes, but a script is still split around them: one error,
    for the whole first statement, and the second runs."""
    sql = "SELECT $$a;b$$ AS v; SELECT 2 AS w"
    code, out, err = run(capsys, "-c", sql, "--format", "csv", "--continue")
    assert code == 1 and out == "w\n2\n"
    assert err.count("error:") == 1 and err.startswith("error: line 1: ") and "a;b" in err


# --- translate ---------------------------------------------------------------------------


def test_translate_reads_standard_input_and_pretty_prints(capsys, monkeypatch) -> None:
    sql = f"SELECT name, status FROM {T} WHERE status = 'Running'"
    monkeypatch.setattr(sys, "stdin", io.StringIO(sql))
    code, out, _ = run(capsys, "translate")
    assert code == 0 and out == ddsql_lite.translate(sql, pretty=True) + "\n"
    assert out.count("\n") > 3 and out.startswith("SELECT\n  ")
    code, one, _ = run(capsys, "translate", "--one-line", sql)
    assert code == 0 and one == ddsql_lite.translate(sql) + "\n" and one.count("\n") == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO(sql))
    assert run(capsys, "translate", "-")[1] == out


def test_pretty_sql_is_the_same_sql() -> None:
    sql = f"SELECT status, count(*) FROM {T} WHERE name LIKE 'a%' GROUP BY 1 HAVING count(*) > 1"
    with ddsql_lite.connect() as con:
        pretty = con.translate(sql, pretty=True)
        assert pretty != con.translate(sql) and "\n" in pretty
        assert con.engine.execute(pretty).equals(con.engine.execute(con.translate(sql)))


@pytest.mark.slow
def test_a_script_does_not_load_the_shell() -> None:
    code = (
        "import sys; from ddsql_lite.cli import main; "
        "main(['-c', 'SELECT 1; SELECT 2', '--format', 'csv']); "
        "assert 'prompt_toolkit' not in sys.modules, 'loaded'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- one rendering ------------------------------------------------------------------------


def test_the_command_and_the_shell_lay_a_table_out_alike(capsys) -> None:
    from ddsql_lite.repl import Shell

    sql = (
        "SELECT name, status, creation_time, 1.5 AS x, count(*) OVER () AS n, NULL AS nothing, "
        f"tags -> 'team' AS team FROM {T} ORDER BY name LIMIT 3"
    )
    _, out, _ = run(capsys, "-c", sql)
    screen = io.StringIO()
    shell = Shell(ddsql_lite.connect, stdout=screen, stderr=io.StringIO())
    try:
        shell.handle(sql + ";")
    finally:
        shell.close()
    assert screen.getvalue().splitlines()[:-1] == out.splitlines()[:-1]
    assert out.splitlines()[2].split(" | ")[4] == "32"  # (right-aligned under "n")
