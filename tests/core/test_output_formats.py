"""Output under hostile data (issue 13, class 7): the human formats escape control
characters and align by terminal columns; CSV and JSON keep the data exact, JSON always
strict; the Result API converts every column (intervals too) or raises a DDSQLError."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

import ddsql_lite
from ddsql_lite import QueryError
from ddsql_lite.errors import caret
from ddsql_lite.formats import FORMATS, csv_text, dump, json_record, json_text, markdown, table
from ddsql_lite.result import Result
from ddsql_lite.text import visible, width

EVIL = [
    "\x1b]0;pwned\x07",
    "shown\rhidden",
    "a\tb",
    "line\nbreak",
    "\x00\x7f\u0085\u009b",
    "abc\u202edcba",
    "漢字",
    'q"u,o|te',
]


def strict_loads(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_human_formats_escape_every_control_and_align_by_columns() -> None:
    rows = [(v, len(v)) for v in EVIL]
    for render in (table, markdown):
        text = render(["v\x1b[2J", "n"], rows)
        assert not any(c in text for c in "\x1b\x07\r\t\x00\x7f\u0085\u009b\u202e"), render
        assert "\\x1b]0;pwned\\x07" in text and "v\\x1b[2J" in text
        assert "shown\\rhidden" in text and "a\\tb" in text and "abc\\u202edcba" in text
    lines = table(["v", "n"], rows).splitlines()
    assert "line\\nbreak" in lines[2 + EVIL.index("line\nbreak")]  # one line a row
    bars = {width(line[: line.index(" | " if " | " in line else "-+-")]) for line in lines[:-1]}
    assert len(bars) == 1, lines  # 漢字 counts 4 columns: the bars line up
    assert "<br>" in markdown(["v"], [("line\nbreak",)])
    assert 'q"u,o\\|te' in markdown(["v"], [('q"u,o|te',)])


def test_csv_keeps_the_data_exact() -> None:
    rows = [(v, None) for v in EVIL] + [("a\r\nb", 1.5)]
    text = csv_text(["v\r", "n"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["v\r", "n"]
    assert back[1:] == [[v, "" if n is None else "1.5"] for v, n in rows]


def test_json_is_strict_and_exact() -> None:
    values = [math.nan, math.inf, -math.inf, 1.5, None]
    rows: list[tuple[Any, ...]] = [(v, [v, 2.0], f"{e}") for v, e in zip(values, EVIL)]
    text = json_text(["x", "arr", "s\x1b"], rows)
    assert "NaN" not in text.replace('"NaN"', "") and "Infinity" not in text.replace(
        '"Infinity"', ""
    ).replace('"-Infinity"', "")
    records = strict_loads(text)  # RFC 8259: no NaN or Infinity tokens
    assert [r["x"] for r in records] == ["NaN", "Infinity", "-Infinity", 1.5, None]
    assert records[0]["arr"] == ["NaN", 2.0]
    assert [r["s\x1b"] for r in records] == EVIL[:5]  # strings decode to the data exactly
    assert not any(c in text for c in "\x1b\x07\r\t\x00\x7f\u0085\u009b\u202e")  # \u escapes
    ascii_text = json_text(["v"], [(v,) for v in EVIL], ascii_only=True)
    assert ascii_text.isascii() and [r["v"] for r in strict_loads(ascii_text)] == EVIL


def test_json_is_the_indented_array_of_the_rows() -> None:
    # written row by row, it is the same text as the whole array dumped at once
    nested = '{"a": [1, {"b": null}], "c": "x"}'
    rows = [(1, nested, [1.5, None], {"team": ["a", "b"]}), (None, "[]", [], {})]
    types = ["BIGINT", "JSON", "DOUBLE[]", "MAP(VARCHAR, VARCHAR[])"]
    columns = ["n", "j", "arr", "tags"]
    for some in (rows[:0], rows[:1], rows):
        whole = [json_record(columns, row, types) for row in some]
        assert json_text(columns, some, types) == dump(whole, indent=2) + "\n"
    assert strict_loads(json_text(columns, rows, types))[0]["j"] == json.loads(nested)


def test_json_from_a_query_with_nan_and_infinity() -> None:
    with ddsql_lite.connect() as con:
        result = con.sql(
            "SELECT 'NaN'::double AS x, '-Infinity'::double AS y, ARRAY['Infinity'::double, 1] AS z"
        )
        records = strict_loads(FORMATS["json"](result.columns, result.fetchall()))
    assert records == [{"x": "NaN", "y": "-Infinity", "z": ["Infinity", 1.0]}]


def test_the_caret_is_placed_by_terminal_columns_and_its_line_escaped() -> None:
    assert caret("SELECT\tx", 1, 8) == "  SELECT\\tx\n          ^"
    assert caret("SELECT '漢字', nme", 1, 14) == "  SELECT '漢字', nme\n" + " " * 17 + "^"
    assert caret("SELECT 1\r\nFROM \x1b[2J t", 2, 6) == "  FROM \\x1b[2J t\n       ^"
    assert caret("SELECT", 1, 10) == "  SELECT\n           ^"  # past the end: as before
    assert visible("\udcff") == "\\udcff"


def test_a_parse_error_on_a_query_with_controls_is_safe() -> None:
    with ddsql_lite.connect() as con, pytest.raises(ddsql_lite.DDSQLError) as info:
        con.sql("SELECT '\x1b]0;pwned\x07' FROM FROM")
    assert "\x1b" not in str(info.value) and "\\x1b]0;pwned\\x07" in str(info.value)


# --- the Result API -------------------------------------------------------------------


def test_intervals_reach_polars_as_durations_or_structs() -> None:
    polars = pytest.importorskip("polars")
    with ddsql_lite.connect() as con:
        result = con.sql(
            "SELECT INTERVAL '1 day 2 hours' AS d, INTERVAL '1 month 3 days' AS m, "
            "CAST(NULL AS interval) AS z, ARRAY[INTERVAL '1 second', NULL] AS a, "
            "ARRAY[INTERVAL '1 year'] AS y, last_modified_time - creation_time AS age "
            "FROM aws.sagemaker_inference_experiment ORDER BY name LIMIT 2"
        )
        frame = result.pl()
    assert frame.schema["d"] == polars.Duration("us")
    assert frame.schema["z"] == polars.Duration("us")
    assert frame.schema["age"] == polars.Duration("us")
    assert frame.schema["a"] == polars.List(polars.Duration("us"))
    assert frame.schema["m"] == polars.Struct(
        {"months": polars.Int32, "days": polars.Int32, "microseconds": polars.Int64}
    )
    assert frame.schema["y"] == polars.List(frame.schema["m"])
    row = frame.row(0)
    assert row[0] == timedelta(days=1, hours=2) and row[2] is None
    assert row[1] == {"months": 1, "days": 3, "microseconds": 0}
    assert row[3] == [timedelta(seconds=1), None]
    with ddsql_lite.connect() as con:
        expected = [
            r[0]
            for r in con.sql(
                "SELECT last_modified_time - creation_time FROM aws.sagemaker_inference_experiment "
                "ORDER BY name LIMIT 2"
            ).fetchall()
        ]
    assert frame["age"].to_list() == expected


def test_an_interval_too_long_for_a_duration_becomes_a_struct() -> None:
    polars = pytest.importorskip("polars")
    days = 200_000_000  # past 2**63 microseconds
    table = pa.table({"i": pa.array([pa.MonthDayNano([0, days, 0])], pa.month_day_nano_interval())})
    frame = Result(table, "", "", 0.0).pl()
    assert frame.row(0) == ({"months": 0, "days": days, "microseconds": 0},)
    assert isinstance(frame.schema["i"], polars.Struct)


def test_conversion_failures_are_query_errors() -> None:
    pytest.importorskip("polars")
    with ddsql_lite.connect() as con:
        result = con.sql("SELECT 1 AS a, 2 AS a")
    with pytest.raises(QueryError, match=r"polars DataFrame: DuplicateError: .* distinct names"):
        result.pl()
    assert list(result.df().columns) == ["a", "a"]

    class Unconvertible:  # an Arrow table whose conversion fails in pyarrow
        schema = pa.schema([])

        def to_pandas(self) -> Any:
            raise pa.ArrowInvalid("cannot convert")

    broken = Result(Unconvertible(), "", "", 0.0)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="pandas DataFrame: ArrowInvalid: cannot convert"):
        broken.df()


def test_fetching_more_rows_than_there_are_is_not_an_error() -> None:
    with ddsql_lite.connect() as con:
        result = con.sql("SELECT name FROM aws.sagemaker_inference_experiment")
        assert result.fetchmany(-1) == [] and len(result.fetchmany(10**20)) == 32
        assert result.fetchmany(10**20) == [] and result.fetchone() is None


# --- one rendering, as psql's (issue 19) -----------------------------------------------


def test_timestamps_print_as_postgresql_everywhere() -> None:
    from datetime import datetime

    from ddsql_lite.formats import cell, json_value

    quarter = datetime(2025, 1, 1, 10, 0, 0, 250000)
    assert cell(quarter) == "2025-01-01 10:00:00.25"
    assert cell(datetime(2025, 1, 1, 10, 0)) == "2025-01-01 10:00:00"
    assert cell([quarter]) == '["2025-01-01 10:00:00.25"]'
    assert json_value(quarter, "TIMESTAMP") == "2025-01-01T10:00:00.25Z"
    with ddsql_lite.connect() as con:
        result = con.sql(
            "SELECT TIMESTAMP '2025-01-01 10:00:00.250' AS t, now() AS n, "
            "date_trunc('second', now()) AS s"
        )
        t, n, s = (cell(v) for v in result.fetchall()[0])
    assert t == "2025-01-01 10:00:00.25" and not n.endswith("0") and len(s) == 19


def test_the_table_format_right_aligns_numbers() -> None:
    lines = table(["name", "n", "x"], [("a", 1, 1.5), ("bb", 10, None), ("c", None, 2.25)])
    assert lines.splitlines() == [
        "name | n    | x",
        "-----+------+-----",
        "a    |    1 |  1.5",
        "bb   |   10 | NULL",
        "c    | NULL | 2.25",
        "(3 rows)",
    ]


def test_markdown_pads_its_columns_and_right_aligns_numbers() -> None:
    text = markdown(["name", "n"], [("alpha", 1), ("b", 100)])
    assert text.splitlines() == [
        "| name  | n   |",
        "| ----- | --: |",
        "| alpha |   1 |",
        "| b     | 100 |",
    ]


def test_json_values_follow_their_duckdb_types() -> None:
    from ddsql_lite.formats import dump, json_value

    def shown(value: Any, kind: str | None) -> str:
        return dump(json_value(value, kind))

    assert shown('{"a": 1}', "VARCHAR") == '"{\\"a\\": 1}"'  # text is text, whatever it holds
    assert shown('{"a":1.50,"a":[1e2]}', "JSON") == '{"a": 1.50, "a": [1e2]}'  # as written
    assert shown(['{"a": 1}', None], "JSON[]") == '[{"a": 1}, null]'
    assert shown([], "MAP(VARCHAR, VARCHAR[])") == "{}"  # tags: an object, even empty
    assert shown([("team", ["a", "b"])], "MAP(VARCHAR, VARCHAR[])") == '{"team": ["a", "b"]}'
    assert shown(Decimal("12345678901234567890.5"), "DECIMAL(38,1)") == "12345678901234567890.5"
    assert shown(1e16, "DOUBLE") == "1e+16" and shown(-0.5, "DOUBLE") == "-0.5"
    assert shown(math.nan, "DOUBLE") == '"NaN"' and shown(True, "BOOLEAN") == "true"
    assert shown(timedelta(hours=2), "INTERVAL") == '"02:00:00"'
    with ddsql_lite.connect() as con:
        result = con.sql(
            "SELECT shadow_mode_config, shadow_mode_config -> 'x' AS step, "
            "shadow_mode_config ->> 'x' AS text, tags, 1.5 AS d "
            "FROM aws.sagemaker_inference_experiment LIMIT 1"
        )
        assert result.duckdb_types == [
            "JSON",
            "JSON",
            "VARCHAR",
            "MAP(VARCHAR, VARCHAR[])",
            "DECIMAL(2,1)",
        ]
        assert con.sql("SHOW dd.time_frame_start").duckdb_types == [None]


def test_a_caret_excerpt_is_cut_around_the_caret_to_fit() -> None:
    from ddsql_lite.errors import fit_excerpts

    sql = "SELECT " + ", ".join(f"col{i}" for i in range(30)) + ", nme FROM t"
    message = "column 'nme' does not exist (line 1, column 186)\n" + caret(
        sql, 1, sql.index("nme") + 1
    )
    head, text, mark = fit_excerpts(message, 40).split("\n")
    assert head == message.split("\n")[0]  # the message itself is left to wrap
    assert width(text) <= 40 and len(mark) <= 40 and text.startswith("  …")
    assert text[len(mark) - 1 :].startswith("nme")  # the caret is under the name
    assert fit_excerpts(caret("SELECT nme", 1, 8), 40) == caret("SELECT nme", 1, 8)
    wide = "SELECT " + "漢字" * 30 + " nme"
    text, mark = fit_excerpts(caret(wide, 1, len(wide) - 2), 30).split("\n")
    assert width(text) <= 30 and width(text[: text.index("nme")]) == len(mark) - 1
    text, mark = fit_excerpts(caret("SELECT " + "x" * 80, 1, 3), 30).split("\n")
    assert text.startswith("  SELECT x") and text.endswith("…") and mark == "    ^"
