"""The Python API: connect(), the Result's conversions, translation, parameters and the
time frame."""

from __future__ import annotations

import re
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

import ddsql_lite
from ddsql_lite import DDSQLError, MissingDependencyError, QueryError

T = "aws.sagemaker_inference_experiment"


@pytest.fixture(scope="module")
def con():
    with ddsql_lite.connect() as connection:
        yield connection


def test_result_conversions(con) -> None:
    result = con.sql(f"SELECT status, count(*) AS n FROM {T} GROUP BY 1 ORDER BY 1")
    assert result.columns == ["status", "n"]
    rows = result.fetchall()
    assert list(result.df()["status"]) == [r[0] for r in rows]
    assert result.pl()["n"].to_list() == [r[1] for r in rows]
    assert result.to_arrow_table().num_rows == len(rows)
    assert result.fetchall() == []  # fetchall consumes, like a cursor


@pytest.mark.parametrize(
    ("module", "method", "install"),
    [("polars", "pl", "'ddsql_lite[polars]'"), ("pandas", "df", "ddsql_lite")],
)
def test_a_missing_dataframe_package_names_what_to_install(
    con, monkeypatch: pytest.MonkeyPatch, module: str, method: str, install: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    result = con.sql(f"SELECT count(*) AS n FROM {T}")
    with pytest.raises(MissingDependencyError, match=f"pip install {re.escape(install)}$"):
        getattr(result, method)()


def test_translate_and_tables(con) -> None:
    assert con.translate(f"SELECT name FROM {T}").startswith('SELECT "sagemaker_inference')
    assert [t.name for t in con.tables()] == [T]


def test_connect_with_fixtures(tmp_path: Path) -> None:
    import json

    from ddsql_lite.loaders import sample_path

    records = json.loads(sample_path().read_text())["records"][:3]
    (tmp_path / "few.json").write_text(json.dumps(records))
    with ddsql_lite.connect(fixtures=tmp_path / "few.json") as con:
        assert con.sql(f"SELECT count(*) FROM {T}").fetchall() == [(3,)]


def test_named_parameters_are_bound_not_pasted(con) -> None:
    hostile = "x' OR '1'='1"
    sql = f"SELECT count(*) FROM {T} WHERE status = :status OR name = :name"
    assert (
        con.sql(sql, {"status": "Running", "name": hostile}).fetchall()
        == con.sql(f"SELECT count(*) FROM {T} WHERE status = 'Running'").fetchall()
    )
    assert "$status" in con.translate(sql) and hostile not in con.translate(sql)
    with pytest.raises(DDSQLError, match=":name"):
        con.sql(sql, {"status": "Running"})
    with pytest.raises(DDSQLError, match="not used"):
        con.sql(sql, {"status": "Running", "name": "n", "extra": 1})
    assert con.sql(
        "SELECT tags->:key AS v FROM aws_sagemaker_inference_experiment "
        "WHERE tags->:key IS NOT NULL LIMIT 1",
        {"key": "team"},
    ).fetchall()


def test_time_frame_defaults_to_the_last_hour(con) -> None:
    start, end = con.time_frame
    assert (end - start).total_seconds() == 3600
    (text,) = con.sql("SELECT current_setting('dd.time_frame_end') AS e").fetchone() or ()
    assert text.endswith("+00:00") and len(text) == len("2025-01-01 00:00:00.000+00:00")


def test_time_frame_from_set_show_and_the_api() -> None:
    with ddsql_lite.connect() as c:
        c.sql("SET dd.time_frame_start = '2025-03-01T12:00:00+02:00'")
        assert c.sql("SHOW dd.time_frame_start").fetchall() == [("2025-03-01 10:00:00.000+00:00",)]
        assert c.sql("SHOW dd.time_frame_start").columns == ["dd.time_frame_start"]
        c.set_time_frame("2025-01-01", "2025-02-01 00:00:00.250")
        got = c.sql(
            "SELECT current_setting('dd.time_frame_start') AS s, "
            "current_setting('dd.time_frame_end') AS e"
        ).fetchall()
        assert got == [("2025-01-01 00:00:00.000+00:00", "2025-02-01 00:00:00.250+00:00")]
        rows = c.sql("SHOW ALL").fetchall()
        assert [r[0] for r in rows] == ["dd.time_frame_start", "dd.time_frame_end"]
        with pytest.raises(DDSQLError, match="starts after it ends"):
            c.set_time_frame("2025-03-01", "2025-02-01")
        with pytest.raises(DDSQLError, match="is not a timestamp"):
            c.sql("SET dd.time_frame_end = 'yesterday'")
        c.set_time_frame()
        start, end = c.time_frame
        assert (end - start).total_seconds() == 3600


def test_values_python_cannot_hold_are_a_clear_error(con) -> None:
    result = con.sql("SELECT TIMESTAMP '9999-12-31 00:00:00' + INTERVAL '2 days' AS t")
    with pytest.raises(QueryError, match="cannot be represented in Python"):
        result.fetchall()
    assert result.to_arrow_table().num_rows == 1
    assert str(result).splitlines()[3].startswith("10000-01-02")  # the preview never fails


# ----------------------------------------------------------------- issue 19: first use


def test_a_result_prints_a_preview(con, capsys: pytest.CaptureFixture[str]) -> None:
    result = con.sql(f"SELECT name, tags, schedule, creation_time FROM {T} ORDER BY name")
    text = str(result)
    lines = text.splitlines()
    assert lines[0].split(" | ")[0].strip() == "name"
    assert [w.strip() for w in lines[1].split("|")] == ["varchar", "hstore", "json", "timestamp"]
    assert set(lines[2]) <= {"-", "+"}
    assert len(lines) == 3 + 10 + 1 and lines[-1] == f"({len(result)} rows, first 10 shown)"
    assert repr(result) == text
    assert all(len(cell.strip()) <= 40 for line in lines[3:-1] for cell in line.split(" | "))
    result.show(rows=2)
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 3 + 2 + 1 and shown[-1].endswith("first 2 shown)")
    small = con.sql("SELECT 1 AS one")
    assert str(small).splitlines() == ["one", "bigint", "------", "1", "(1 row)"]
    assert str(con.sql("SET dd.time_frame_end = '2025-01-01'")) == "(0 rows)"
    con.set_time_frame()


def test_the_html_preview_escapes_values(con) -> None:
    html = con.sql("SELECT '<b>&' AS \"<i>\" FROM (VALUES (1)) AS v(x)")._repr_html_()
    assert "&lt;b&gt;&amp;" in html and "&lt;i&gt;" in html and "<b>" not in html
    assert "<small>varchar</small>" in html and "(1 row)" in html


def test_types_are_ddsql_types(con) -> None:
    result = con.sql(
        f"SELECT name, tags, schedule, creation_time, count(*) OVER () AS n, 1.5 AS d, "
        f"ARRAY[name] AS a, last_modified_time - creation_time AS age, true AS b FROM {T}"
    )
    assert result.types == [
        "VARCHAR",
        "HSTORE",
        "JSON",
        "TIMESTAMP",
        "BIGINT",
        "DECIMAL",
        "VARCHAR[]",
        "INTERVAL",
        "BOOLEAN",
    ]
    assert con.sql("SHOW ALL").types == ["VARCHAR"] * 3


def test_df_gives_tags_as_a_dict_of_lists(con) -> None:
    query = f"SELECT name, tags, tags AS again FROM {T} WHERE name = 'fraud-xgb-v7-shadow'"
    frame = con.sql(query).df()
    tags = frame["tags"][0]
    assert isinstance(tags, dict) and tags["team"] == ["fraud", "ml-platform"]
    assert frame["again"][0] == tags
    assert con.sql(query).fetchall()[0][1] == [(k, v) for k, v in tags.items()]
    assert con.sql(f"SELECT tags FROM {T} WHERE false").df().empty


def test_the_module_level_sql_uses_one_default_connection() -> None:
    import threading

    seen: list[ddsql_lite.Connection] = []
    threads = [
        threading.Thread(target=lambda: seen.append(ddsql_lite.default_connection()))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in seen}) == 1
    assert ddsql_lite.sql(f"SELECT count(*) FROM {T}").fetchall() == [(32,)]
    assert ddsql_lite.sql("SELECT :x AS x", {"x": 5}).fetchall() == [(5,)]
    assert ddsql_lite.default_connection() is seen[0]


def test_tables_print_their_columns_and_types(con) -> None:
    text = repr(con.tables())
    lines = text.splitlines()
    assert lines[0] == f"{T} (also aws_sagemaker_inference_experiment): 18 columns"
    assert lines[1].split() == ["_key", "VARCHAR"]
    assert "  tags" in text and text.rstrip().splitlines()[-1].split() == ["type", "VARCHAR"]
    assert any(line.split() == ["tags", "HSTORE"] for line in lines)


@pytest.mark.parametrize(
    ("frame", "length"),
    [
        ("7d", 7 * 86400),
        ("1h", 3600),
        ("now-7d now", 7 * 86400),
        (["now-2h", "now-1h"], 3600),
        ("2025-03-01 12:00 2025-03-01 13:30", 5400),
        (["1h30m", "2025-03-01T12:00:00Z"], 5400),
    ],
)
def test_relative_time_frames(frame, length: int) -> None:
    with ddsql_lite.connect(time_frame=frame) as c:
        start, end = c.time_frame
        assert (end - start).total_seconds() == length
        text = c.sql("SELECT current_setting('dd.time_frame_end') AS e").fetchone()
        assert text is not None and text[0].endswith("+00:00")


def test_a_relative_time_frame_moves_with_each_query() -> None:
    from ddsql_lite.session import utcnow

    with ddsql_lite.connect() as c:
        c.set_time_frame("now-7d", "now-1d")
        before = utcnow()
        start, end = c.time_frame
        assert before - timedelta(days=1) <= end <= utcnow() - timedelta(days=1)
        assert end - start == timedelta(days=6)
        time.sleep(0.01)
        later = c.time_frame
        assert later[1] > end  # "now" moved
        c.set_time_frame("2d")
        start, end = c.time_frame
        assert end - start == timedelta(days=2) and end >= before
        with pytest.raises(DDSQLError, match="not a timestamp"):
            c.sql("SET dd.time_frame_end = 'now'")  # SET takes ISO text, as in Datadog


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("yesterday", "'yesterday' is not a timestamp"),
        (["now", "now-1d"], "START 'now' is after END 'now-1d'"),
        ("now-7x", "'7x' is not a duration"),
        (["a", "b", "c"], "give START END, or a span"),
        ("now-99999999999d", "out of range"),
    ],
)
def test_bad_time_frames(frame, message: str) -> None:
    with pytest.raises(DDSQLError, match=re.escape(message)):
        ddsql_lite.connect(time_frame=frame)
