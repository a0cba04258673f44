"""The Python API: connect(), the Result's conversions, translation, parameters and the
time frame."""

from __future__ import annotations

import re
import sys
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
