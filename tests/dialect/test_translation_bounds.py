"""The translator's bounds (issue 13): what a query may ask it, and DuckDB's binder, to
build (``ddsql_lite/dialect/bounds.py``; docs/dialect.md, "Limits").

Hostile inputs up to the length limit translate or are refused, each well within a
generous wall-clock bound; inputs over a bound are refused with an UnsupportedError
that names the bound and its value, before qualification expands anything; inputs at
a bound translate. No assertion depends on the speed of the machine beyond the
generous bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from ddsql_lite import DDSQLError, UnsupportedError
from ddsql_lite.dialect import Translator
from ddsql_lite.dialect import translate as translation
from ddsql_lite.dialect.bounds import (
    MAX_CTES,
    MAX_FUNCTION_ARGUMENTS,
    MAX_KEYS,
    MAX_OUTPUT_COLUMNS,
    MAX_SOURCES,
    MAX_STAR_COLUMNS,
)
from ddsql_lite.dialect.icu_pattern import MAX_REPETITION_ATOMS
from ddsql_lite.dialect.translate import MAX_QUERY_LENGTH
from ddsql_lite.registry import load_registry

T = "aws.sagemaker_inference_experiment"
WALL = 5.0  # seconds: generous; the worst measured is well under one


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator(load_registry(), cache_size=0)


@pytest.fixture(scope="module")
def width() -> int:
    """The sample table's column count."""
    table = load_registry().find(T)
    assert table is not None
    return len(table.columns)


def fill(prefix: str, item: Callable[[int], str], sep: str, suffix: str, size: int) -> str:
    """``prefix`` + items joined by ``sep`` + ``suffix``, as long as fits in ``size``."""
    parts: list[str] = []
    length, i = len(prefix) + len(suffix), 0
    while True:
        text = item(i)
        if length + len(text) + len(sep) > size:
            return prefix + sep.join(parts) + suffix
        parts.append(text)
        length += len(text) + len(sep)
        i += 1


N = MAX_QUERY_LENGTH - 100
# Hostile shapes, each as long as the length limit allows. Those that once took seconds
# to minutes (or gigabytes) in translation are marked with what they cost then.
HOSTILE: dict[str, str] = {
    "stars": fill("SELECT ", lambda i: "*", ", ", f" FROM {T}", N),  # 27 s, 6 GB
    "qualified stars": fill("SELECT ", lambda i: "t.*", ", ", f" FROM {T} t", N),
    "stars over joins": fill("SELECT ", lambda i: "*", ", ", f" FROM {T} a, {T} b", N),
    "json_array_elements sources": fill(  # 70 s (quadratic element path fusion)
        f"SELECT count(*) FROM {T} t",
        lambda i: f", json_array_elements(t.model_variants) AS e{i}",
        "",
        "",
        N,
    ),
    "unnest sources": fill(
        f"SELECT count(*) FROM {T} t", lambda i: f", unnest(ARRAY[1]) AS u{i}", "", "", N
    ),
    "tables": fill("SELECT count(*) FROM ", lambda i: f"{T} t{i}", ", ", "", N),
    "joins": fill(
        f"SELECT count(*) FROM {T} t0",
        lambda i: f" JOIN {T} t{i + 1} ON t{i + 1}.name = t{i}.name",
        "",
        "",
        N,
    ),
    "left joins and a star": fill(
        f"SELECT * FROM {T} t0", lambda i: f" LEFT JOIN {T} t{i + 1} ON true", "", "", N
    ),
    "ctes": fill("WITH ", lambda i: f"c{i} AS (SELECT 1 AS a)", ", ", " SELECT 1", N),
    "cte chain": fill(
        "WITH c0 AS (SELECT 1 AS a)", lambda i: f", c{i + 1} AS (SELECT * FROM c{i})", "", "", N
    )
    + " SELECT 1",
    "subqueries in the select list": fill(
        "SELECT ", lambda i: f"(SELECT name FROM {T} LIMIT 1)", ",", "", N
    ),
    "derived tables": fill("SELECT count(*) FROM ", lambda i: f"(SELECT 1) q{i}", ",", "", N),
    "star subqueries": fill(
        "SELECT count(*) FROM ", lambda i: f"(SELECT *, *, *, * FROM {T}) q{i}", ",", "", N
    ),
    "constants": fill("SELECT ", lambda i: "1", ",", "", N),
    "columns": fill("SELECT ", lambda i: "name", ",", f" FROM {T}", N),
    "wide VALUES": "VALUES (" + ",".join(["1"] * (N // 2 - 10)) + ")",
    "VALUES rows": fill("VALUES ", lambda i: f"({i})", ",", "", N),
    "IN list": fill(f"SELECT count(*) FROM {T} WHERE name IN (", lambda i: f"'n{i}'", ",", ")", N),
    "timestamps in IN": fill(  # quadratic list replacements
        f"SELECT count(*) FROM {T} WHERE creation_time IN (",
        lambda i: "'2025-01-01'",
        ",",
        ")",
        N,
    ),
    "coalesce arguments": fill("SELECT coalesce(", lambda i: "name", ",", f") FROM {T}", N),
    "CASE branches": fill(
        "SELECT CASE ", lambda i: f"WHEN name = 'n{i}' THEN {i}", " ", f" END FROM {T}", N
    ),
    "GROUP BY positions": fill(  # quadratic list replacements
        f"SELECT name FROM {T} GROUP BY ", lambda i: "1", ",", "", N
    ),
    "ORDER BY positions": fill(f"SELECT name FROM {T} ORDER BY ", lambda i: "1", ",", "", N),
    "ORDER BY columns": fill(f"SELECT name FROM {T} ORDER BY ", lambda i: "name", ",", "", N),
    "window functions": fill(
        "SELECT ",
        lambda i: "row_number() OVER (PARTITION BY name ORDER BY arn)",
        ",",
        f" FROM {T}",
        N,
    ),
    "tag lookups": fill("SELECT ", lambda i: f"tags->'k{i}'", ",", f" FROM {T}", N),
    "JSON steps": fill("SELECT ", lambda i: "schedule->'a'->>'b'", ",", f" FROM {T}", N),
    "divisions": fill("SELECT ", lambda i: "1 / 2", ",", "", N),
    "parameters": fill("SELECT ", lambda i: f":p{i}", ",", "", N),
    "settings": fill("SELECT ", lambda i: "current_setting('dd.time_frame_start')", ",", "", N),
    "json_extract_path steps": fill(
        "SELECT json_extract_path_text(schedule, ", lambda i: "'a'", ",", f") FROM {T}", N
    ),
    "JSON path text": "SELECT schedule #>> '{" + ",".join(["a"] * (N // 2 - 50)) + f"}}' FROM {T}",
    "regular expression": "SELECT regexp_like('a', '" + "(a|b)" * (N // 5 - 10) + "')",
    "regex repetitions": "SELECT regexp_like('a', '" + "a{2,1000}" * (N // 9 - 10) + "')",
    "to_char format": "SELECT to_char(now(), '" + "YYYY-MM-DD " * (N // 11 - 5) + "')",
    "set-returning functions": fill(
        "SELECT ", lambda i: "json_array_elements(model_variants)->>'a'", ",", f" FROM {T}", N
    ),
    "comments": "SELECT 1 " + "/* x */" * (N // 7 - 5),
    "semicolons": "SELECT 1" + ";" * (N - 10),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_inputs_translate_or_are_refused_quickly(translator: Translator, name: str) -> None:
    sql = HOSTILE[name]
    assert len(sql) <= MAX_QUERY_LENGTH
    started = time.perf_counter()
    try:
        result = translator.translate(sql)
    except DDSQLError as exc:
        assert str(exc).strip()
    else:
        # what gets through is bounded too: at most a few MB of DuckDB SQL
        assert len(result.duckdb_sql) < 4_000_000
    assert time.perf_counter() - started < WALL, name


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("stars", f"the limit is {MAX_OUTPUT_COLUMNS:,}"),
        ("qualified stars", f"the limit is {MAX_OUTPUT_COLUMNS:,}"),
        ("json_array_elements sources", f"FROM and JOIN sources; the limit is {MAX_SOURCES}"),
        ("tables", f"FROM and JOIN sources; the limit is {MAX_SOURCES}"),
        ("ctes", f"common table expressions; the limit is {MAX_CTES}"),
        ("constants", f"columns; the limit is {MAX_OUTPUT_COLUMNS:,}"),
        ("wide VALUES", "VALUES rows have 49,"),
        ("GROUP BY positions", "GROUP BY lists 49,"),
        ("ORDER BY positions", "ORDER BY lists 49,"),
        ("json_extract_path steps", f"more than {MAX_FUNCTION_ARGUMENTS} arguments"),
    ],
)
def test_hostile_inputs_over_a_bound_name_it(
    translator: Translator, name: str, message: str
) -> None:
    with pytest.raises(UnsupportedError, match=message.replace("(", r"\(")):
        translator.translate(HOSTILE[name])


def test_the_doubling_cte_chain_is_refused_before_expansion(translator: Translator) -> None:
    """700 bytes whose last CTE has 2^24 columns: DuckDB's binder ran for 49 s (884 MB)
    on it and cannot be interrupted."""
    ctes = ", ".join(f"c{i} AS (SELECT * FROM c{i - 1} x, c{i - 1} y)" for i in range(1, 25))
    sql = f"WITH c0 AS (SELECT 1 AS a), {ctes} SELECT * FROM c24"
    assert len(sql) < 1000
    with pytest.raises(UnsupportedError, match=r"a SELECT has 2,048 columns; the limit is 1,664"):
        translator.translate(sql)
    # the same with column lists and t.* instead of *
    ctes = ", ".join(f"c{i} AS (SELECT x.*, y.* FROM c{i - 1} x, c{i - 1} y)" for i in range(1, 25))
    with pytest.raises(UnsupportedError, match="2,048 columns"):
        translator.translate(f"WITH c0(a) AS (SELECT 1), {ctes} SELECT count(*) FROM c24")


@pytest.fixture
def no_qualification(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if either qualification runs (the expensive work bounds precede)."""
    import sqlglot.optimizer.qualify as sqlglot_qualify

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("qualification ran before the bound refused the query")

    monkeypatch.setattr(translation, "qualify_and_type", boom)
    monkeypatch.setattr(sqlglot_qualify, "qualify", boom)
    yield


@pytest.mark.slow
@pytest.mark.parametrize("name", ["stars", "json_array_elements sources", "cte chain", "ctes"])
def test_bounds_refuse_before_qualification(
    translator: Translator, no_qualification: None, name: str
) -> None:
    with pytest.raises(UnsupportedError, match="limit"):
        translator.translate(HOSTILE[name])


# ----------------------------------------------------------------- each bound's edge


def stars(n: int) -> str:
    return ", ".join(["*"] * n)


def test_output_columns_bound(translator: Translator, width: int) -> None:
    most = MAX_OUTPUT_COLUMNS // width
    ok = translator.translate(f"SELECT {stars(most)} FROM {T}")
    assert ok.duckdb_sql.count(" AS ") == most * width + 1  # the columns and the table alias
    with pytest.raises(UnsupportedError, match=f"has {(most + 1) * width:,} columns"):
        translator.translate(f"SELECT {stars(most + 1)} FROM {T}")
    plain = ", ".join(["1"] * MAX_OUTPUT_COLUMNS)
    assert len(translator.translate(f"SELECT {plain}").columns) == MAX_OUTPUT_COLUMNS
    with pytest.raises(UnsupportedError, match=f"has {MAX_OUTPUT_COLUMNS + 1:,} columns"):
        translator.translate(f"SELECT {plain}, 1")
    with pytest.raises(UnsupportedError, match="VALUES rows have"):
        translator.translate(f"VALUES ({plain}, 1)")
    # a subquery's select list is bounded too, whatever reads it
    with pytest.raises(UnsupportedError, match=f"has {MAX_OUTPUT_COLUMNS + 1:,} columns"):
        translator.translate(f"SELECT count(*) FROM (SELECT {plain}, 1) q")


@pytest.mark.parametrize(
    ("source", "columns"),
    [
        (f"{T} t", None),  # the registry's columns
        ("(SELECT 1, 2, 3) q", 3),
        ("(VALUES (1, 2)) v", 2),
        ("(VALUES (1, 2)) v(a, b)", 2),
        ("json_array_elements('[1]') e", 1),
        ("unnest(ARRAY[1], ARRAY[2]) u", 2),
    ],
)
def test_source_widths(
    translator: Translator, width: int, source: str, columns: int | None
) -> None:
    """Each source's width, as the bound counts it: one star more than fits is refused
    with the product in the message."""
    columns = width if columns is None else columns
    over = MAX_OUTPUT_COLUMNS // columns + 1
    with pytest.raises(UnsupportedError, match=f"has {over * columns:,} columns"):
        translator.translate(f"SELECT {stars(over)} FROM {source}")


def test_cte_widths_follow_the_query(translator: Translator, width: int) -> None:
    # a CTE's column list, a CTE read through another, t.* counting its own source only
    most = MAX_OUTPUT_COLUMNS // (2 * width)
    sql = (
        f"WITH a AS (SELECT * FROM {T}), b AS (SELECT x.*, y.* FROM a x, a y) "
        f"SELECT {stars(most + 1)} FROM b"
    )
    with pytest.raises(UnsupportedError, match=f"has {(most + 1) * 2 * width:,} columns"):
        translator.translate(sql)
    ok = f"WITH a(k) AS (SELECT 1) SELECT {stars(MAX_OUTPUT_COLUMNS)} FROM a"
    assert len(translator.translate(ok).duckdb_sql) > MAX_OUTPUT_COLUMNS
    # a nested WITH's name hides the outer one (18 columns outside, 1 inside)
    inner = (
        f"WITH a AS (SELECT * FROM {T}) SELECT {stars(MAX_OUTPUT_COLUMNS)} "
        "FROM (WITH a AS (SELECT 1) SELECT * FROM a) q"
    )
    assert translator.translate(inner).duckdb_sql.count('"q"') > MAX_OUTPUT_COLUMNS


def test_star_columns_bound(translator: Translator, width: int) -> None:
    per_query = MAX_OUTPUT_COLUMNS // width  # stars per subquery, each under the column bound
    columns = per_query * width
    queries = MAX_STAR_COLUMNS // columns
    sources = ", ".join(f"(SELECT {stars(per_query)} FROM {T}) q{i}" for i in range(queries))
    translator.translate(f"SELECT count(*) FROM {sources}")
    sources += f", (SELECT {stars(per_query)} FROM {T}) q_last"
    with pytest.raises(UnsupportedError, match=f"more than {MAX_STAR_COLUMNS:,} columns"):
        translator.translate(f"SELECT count(*) FROM {sources}")


def test_sources_bound(translator: Translator) -> None:
    def joined(n: int) -> str:
        return f"SELECT count(*) FROM {T} t0" + "".join(
            f" JOIN {T} t{i} ON t{i}.name = t0.name" for i in range(1, n)
        )

    translator.translate(joined(MAX_SOURCES))
    with pytest.raises(UnsupportedError, match=f"has {MAX_SOURCES + 1} FROM and JOIN sources"):
        translator.translate(joined(MAX_SOURCES + 1))
    # subqueries' sources count too
    subqueries = " AND ".join(f"name IN (SELECT name FROM {T} u{i})" for i in range(MAX_SOURCES))
    with pytest.raises(UnsupportedError, match=f"the limit is {MAX_SOURCES}"):
        translator.translate(f"SELECT count(*) FROM {T} WHERE {subqueries}")


def test_ctes_bound(translator: Translator) -> None:
    def chain(n: int) -> str:
        ctes = "".join(f", c{i} AS (SELECT * FROM c{i - 1})" for i in range(1, n))
        return f"WITH c0 AS (SELECT 1 AS a){ctes} SELECT * FROM c{n - 1}"

    assert f'"c{MAX_CTES - 1}"' in translator.translate(chain(MAX_CTES)).duckdb_sql
    with pytest.raises(UnsupportedError, match=f"has {MAX_CTES + 1} common table expressions"):
        translator.translate(chain(MAX_CTES + 1))


@pytest.mark.slow
@pytest.mark.parametrize("clause", ["GROUP BY", "ORDER BY", "PARTITION BY"])
def test_keys_bound(translator: Translator, clause: str) -> None:
    def query(n: int) -> str:
        keys = ", ".join(f"name || '{i}'" for i in range(n))
        if clause == "PARTITION BY":
            return f"SELECT count(*) OVER (PARTITION BY {keys}) FROM {T}"
        return f"SELECT count(*) FROM {T} {clause} {keys}"

    translator.translate(query(MAX_KEYS))
    with pytest.raises(UnsupportedError, match=f"{clause} lists {MAX_KEYS + 1:,} items"):
        translator.translate(query(MAX_KEYS + 1))


def test_function_arguments_bound(translator: Translator) -> None:
    """PostgreSQL's own: "cannot pass more than 100 arguments to a function"."""

    def query(n: int) -> str:
        steps = ", ".join(f"'k{i}'" for i in range(n - 1))
        return f"SELECT json_extract_path_text(schedule, {steps}) FROM {T}"

    translator.translate(query(MAX_FUNCTION_ARGUMENTS))
    with pytest.raises(UnsupportedError, match="cannot pass more than 100 arguments"):
        translator.translate(query(MAX_FUNCTION_ARGUMENTS + 1))
    # coalesce is syntax, not a function: no bound, as in PostgreSQL
    many = ", ".join(["name"] * (MAX_FUNCTION_ARGUMENTS * 3))
    translator.translate(f"SELECT coalesce({many}) FROM {T}")


def test_select_without_columns_is_refused(translator: Translator) -> None:
    """``SELECT FROM t`` (PostgreSQL: rows of no columns; DuckDB: a syntax error)."""
    with pytest.raises(UnsupportedError, match="without columns"):
        translator.translate(f"SELECT FROM {T}")


def test_regex_repetitions_bound(translator: Translator) -> None:
    """RE2 expands {n,m} into copies; compiling them takes time quadratic in their
    number (900 characters of a{2,1000} took 30 s in DuckDB, at bind time for a
    literal pattern, where no time limit reaches)."""
    assert MAX_REPETITION_ATOMS == 5_000
    translator.translate("SELECT regexp_like('a', '" + "a{2,1000}" * 5 + "')")
    for pattern in ("a{2,1000}" * 6, "(ab|cd){1,1000}" * 2, "(a{1,100}){1,100}"):
        with pytest.raises(UnsupportedError, match="expand to more than 5,000 items"):
            translator.translate(f"SELECT regexp_like('a', '{pattern}')")
    # long patterns without counted repetitions are not bounded by this
    translator.translate("SELECT regexp_like('a', '" + "ab" * 20_000 + "')")
