"""The translator as a whole: refusals, names, session statements, the fast path. Each rule
module's (DDSQL, DuckDB) pairs are in tests/dialect/rules/ (tests/dialect/test_rules.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from sqlglot import exp

from ddsql_lite import CatalogError, DDSQLError, ParseError, UnsupportedError
from ddsql_lite.dialect import Translator, fast_qualify, walk
from ddsql_lite.dialect import translate as translation
from ddsql_lite.dialect.declare import Rewrite
from ddsql_lite.dialect.paths import Step, json_path_sql, text_array_steps
from ddsql_lite.registry import load_registry
from tests.support.corpus_files import corpus_queries

T = "aws.sagemaker_inference_experiment"
Q = '"sagemaker_inference_experiment"'  # the qualified table alias in generated SQL


@pytest.fixture(scope="module")
def translate():
    translator = Translator(load_registry())
    return lambda sql: translator.translate(sql).duckdb_sql


def select(expr: str) -> str:
    return f"SELECT {expr} FROM {T}"


@pytest.mark.parametrize(
    ("ddsql", "duckdb"),
    [
        # session settings travel as parameters (the rules' own pairs: tests/dialect/test_rules.py)
        ("current_setting('dd.time_frame_end')", "CAST($ddsql_dd_time_frame_end AS TEXT)"),
    ],
)
def test_rewrite(translate, ddsql: str, duckdb: str) -> None:
    out = translate(select(f"{ddsql} AS x"))
    assert out == f'SELECT {duckdb} AS "x" FROM "aws"."sagemaker_inference_experiment" AS {Q}'


def test_odd_integer_text_step_tests_the_type_at_run_time() -> None:
    from sqlglot import exp

    sql = json_path_sql(exp.column("j"), [Step("text", "-1")], as_text=False).sql("duckdb")
    assert sql == (
        "CASE WHEN JSON_TYPE(j) = 'ARRAY' THEN JSON_EXTRACT(j, '$[#-1]') "
        "ELSE JSON_EXTRACT(j, '/-1') END"
    )


@pytest.mark.parametrize(
    ("literal", "steps"),
    [
        ("{a,0}", ["a", "0"]),
        ('{"a,b", "c\\"d"}', ["a,b", 'c"d']),
        ("{}", []),
        ("{ x , y }", ["x", "y"]),
    ],
)
def test_text_array_steps(literal: str, steps: list[str]) -> None:
    assert [s.value for s in text_array_steps(literal)] == steps


def test_table_functions_become_typed_unnests(translate) -> None:
    out = translate(f"SELECT v FROM {T} t, json_array_elements(t.model_variants) AS v")
    # The function's column is "value" (PostgreSQL's OUT parameter); the source's name
    # alone reads it.
    assert out.startswith('SELECT "v"."value" AS "v" FROM')
    assert (
        '(SELECT UNNEST(CAST(DDSQL_JSON_ELEMENTS("t"."model_variants") AS JSON[])) AS "value")'
        ' AS "v"("value")' in out
    )
    zipped = translate("SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a']) AS u(x, y)")
    assert zipped == (
        'SELECT "u"."x" AS "x", "u"."y" AS "y" FROM '
        '(SELECT UNNEST([1, 2]) AS "x", UNNEST([\'a\']) AS "y") AS "u"("x", "y")'
    )


def test_elements_read_at_key_paths_are_transformed_once(translate) -> None:
    elements = f"FROM {T} t, json_array_elements(t.model_variants) AS v"
    out = translate(f"SELECT v->'a'->>'b', v->>'c' {elements} WHERE v->>'c' = 'x'")
    assert (
        'UNNEST(JSON_TRANSFORM(DDSQL_JSON_ARRAY("t"."model_variants"), '
        '\'[{"a":{"b":"JSON"},"c":"JSON"}]\')) AS "value"' in out
    )
    assert (
        "JSON_EXTRACT_STRING(STRUCT_EXTRACT(STRUCT_EXTRACT(\"v\".\"value\", 'a'), 'b'), '$')" in out
    )
    # Kept element by element: the whole value, ->, an index, keys differing in case, a
    # key both a leaf and an object.
    for reads in ("v", "v->'a'", "v->>0", "v->>'a', v->>'A'", "v->>'a', v->'a'->>'b'"):
        assert "DDSQL_JSON_ELEMENTS" in translate(f"SELECT {reads} {elements}"), reads


def test_session_statements() -> None:
    translator = Translator(load_registry())
    assert translator.translate("SHOW dd.time_frame_start").session == (
        "show",
        "dd.time_frame_start",
    )
    assert translator.translate("SHOW ALL").session == ("show", "all")
    assert translator.translate("SET dd.time_frame_end TO '2025-01-01'").session == (
        "set",
        "dd.time_frame_end",
        "2025-01-01",
    )


def test_alias_table_name_becomes_canonical(translate) -> None:
    out = translate("SELECT name FROM aws_sagemaker_inference_experiment")
    assert out == (
        'SELECT "aws_sagemaker_inference_experiment"."name" AS "name" '
        'FROM "aws"."sagemaker_inference_experiment" AS '
        '"aws_sagemaker_inference_experiment"'
    )


def test_output_names_follow_postgresql(translate) -> None:
    translator = Translator(load_registry())
    got = translator.translate(
        f"SELECT name, count(*), tags->'team', lower(name), name AS n, 1 + 1 FROM {T} GROUP BY name"
    ).columns
    assert got == ("name", "count", "?column?", "lower", "n", "?column?")


def test_translation_is_cached() -> None:
    translator = Translator(load_registry())
    first = translator.translate(select("name"))
    assert translator.translate(select("name")) is first


# (query, error class, a fragment of the message); tests/dialect/test_refusals.py checks
# that every refusal of these lists names what it refuses as written, with a caret.
REFUSALS = [
    ("SELECT 1; SELECT 2", UnsupportedError, "one statement per call"),
    ("", UnsupportedError, "no statement"),
    (f"DROP VIEW {T}", UnsupportedError, "DROP statements"),
    ("INSTALL httpfs", UnsupportedError, "INSTALL statements"),
    ("PRAGMA version", UnsupportedError, "PRAGMA statements"),
    ("SET threads = 1", UnsupportedError, "SET is supported for dd.time_frame_start"),
    ("SELECT * FROM read_csv('/etc/passwd')", UnsupportedError, "read_csv() is not supported"),
    ("SELECT getenv('HOME')", UnsupportedError, "getenv() is not supported"),
    ("SELECT * FROM duckdb_settings()", UnsupportedError, "duckdb_settings"),
    (select("query('SELECT 1')"), UnsupportedError, "query() is not supported"),
    (select("name ILIKE 'x'"), UnsupportedError, "not supported"),
    (select("ddsql_nonzero(1)"), UnsupportedError, "ddsql_nonzero"),
    (select("name->'a'"), UnsupportedError, "needs a json value or the tags column"),
    (select("tags->>'a'"), UnsupportedError, "does not apply to tags"),
    (select("schedule->1.5"), UnsupportedError, "text key or an integer index"),
    (select("schedule->name"), UnsupportedError, "path steps must be literals"),
    (select("json_extract_path_text(schedule)"), UnsupportedError, "at least one path step"),
    (
        "SELECT * FROM aws.sagemaker_inference",
        CatalogError,
        "did you mean aws.sagemaker_inference_experiment",
    ),
    (select("nmae"), CatalogError, "did you mean name"),
    ("SELECT * FROM 'file.csv'", CatalogError, "table 'file.csv' does not exist"),
    ("SELECT FROM WHERE", ParseError, "line 1, column"),
    (select("position('a' in name)"), UnsupportedError, "position() is not supported"),
    (select("char_length(name)"), UnsupportedError, "char_length() is not supported"),
    (select("round(1.234, 2)"), UnsupportedError, "round() takes one argument"),
    (select("current_setting('TimeZone')"), UnsupportedError, "current_setting() reads"),
    (select("approx_percentile(1.5) WITHIN GROUP (ORDER BY 1)"), UnsupportedError, "between 0"),
    (
        select("percentile_cont(0.5) WITHIN GROUP (ORDER BY 1)"),
        UnsupportedError,
        "percentile_cont() is not supported",
    ),
    (f"SELECT name FROM {T} INTERSECT SELECT name FROM {T}", UnsupportedError, "INTERSECT"),
    ("SHOW search_path", UnsupportedError, "the settings are"),
    ("SET dd.time_frame_start = 5", UnsupportedError, "quoted timestamp"),
    (select("CAST(name AS DECIMAL(10, 2))"), UnsupportedError, "type modifiers"),
    # PostgreSQL's json reads the last of repeated keys, DuckDB the first
    ("""SELECT '{"a": 1, "a": 2}'::json->>'a'""", UnsupportedError, 'repeats the key "a"'),
    ("""SELECT JSON '[{"b": {"c": 1, "c": 1}}]'""", UnsupportedError, 'repeats the key "c"'),
    (
        """SELECT v FROM json_array_elements('[{"k": 1, "k": 2}]') AS v""",
        UnsupportedError,
        'repeats the key "k"',
    ),
]


@pytest.mark.parametrize(("sql", "error", "fragment"), REFUSALS)
def test_refusals(translate, sql: str, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error, match=None) as info:
        translate(sql)
    assert fragment in str(info.value)


def test_parse_error_has_a_caret_under_the_token(translate) -> None:
    with pytest.raises(ParseError) as info:
        translate("SELECT name\nFROM aws.sagemaker_inference_experiment\nWHERE (name = 'x'")
    err = info.value
    assert (err.line, err.column) >= (3, 1)
    assert str(err).splitlines()[-1].strip() == "^"


def outcome(translator: Translator, sql: str) -> tuple[object, ...]:
    try:
        result = translator.translate(sql)
    except DDSQLError as exc:
        return (type(exc), str(exc))
    return (result.duckdb_sql, result.columns, result.parameters)


@pytest.mark.slow
def test_fast_path_agrees_with_sqlglot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path (dialect.fast_qualify, and rewrites called only where their trigger
    matches) gives what sqlglot's qualify + annotate_types and every rewrite on every
    node give: the same SQL or error, and the same type on every node before the
    rewrites (but under GROUP BY, where the fast path copies projections later)."""
    registry = load_registry()
    fast = Translator(registry, cache_size=0)
    reference = Translator(registry, cache_size=0, fast=False)
    typed: list[list[tuple[str, str | None]]] = []  # (node kind, type), walk order
    real_rewrites, real_qualify = translation.apply_rewrites, translation.qualify_and_type
    took_fast_path: list[bool] = []

    def capture_types(tree: exp.Expr, rewrites: Sequence[Rewrite]) -> exp.Expr:
        nodes = tree.walk(prune=lambda n: isinstance(n, exp.Group))
        typed.append([(n.key, n.type.sql() if n.type else None) for n in nodes])
        return real_rewrites(tree, rewrites)

    def qualify_fast(tree: exp.Expr, table_types: fast_qualify.TableTypes) -> Callable[[], None]:
        finish = real_qualify(tree, table_types)
        took_fast_path.append(True)
        return finish

    monkeypatch.setattr(translation, "apply_rewrites", capture_types)
    monkeypatch.setattr(translation, "qualify_and_type", qualify_fast)
    queries = corpus_queries()
    fast_count = 0
    for sql in queries:
        typed.clear()
        took_fast_path.clear()
        got = outcome(fast, sql)
        fast_types = typed[-1:]
        with monkeypatch.context() as everywhere:
            everywhere.setattr(walk, "TRIGGERS", {})
            expected = outcome(reference, sql)
        assert got == expected, sql
        if took_fast_path:
            fast_count += 1
            assert fast_types == typed[-1:], sql
    assert 0.5 < fast_count / len(queries) < 1  # the corpus exercises both paths


# ------------------------------------------------------ issue 13: DuckDB-only syntax

DUCKDB_SYNTAX = [
    # (query, what the message names, the column of the caret or None)
    (f"SELECT 1 FROM {T} a ANTI JOIN {T} b ON a.name = b.name", "ANTI JOIN is DuckDB", 52),
    (f"SELECT 1 FROM {T} a SEMI JOIN {T} b ON a.name = b.name", "SEMI JOIN is DuckDB", 52),
    (f"SELECT 1 FROM {T} a LEFT ANTI JOIN {T} b ON true", "ANTI JOIN is DuckDB", 57),
    (f"SELECT 1 FROM {T} a ASOF JOIN {T} b ON true", "ASOF JOIN is DuckDB", 52),
    (f"SELECT 1 FROM {T} a ASOF LEFT JOIN {T} b ON true", "ASOF JOIN is DuckDB", 52),
    (f"SELECT 1 FROM {T} a POSITIONAL JOIN {T} b", "POSITIONAL JOIN is DuckDB", 52),
    ("SELECT 1 AS a UNION BY NAME SELECT 2 AS a", "UNION BY NAME is DuckDB", 21),
    ("SELECT 1 AS a UNION ALL BY NAME SELECT 2 AS a", "UNION BY NAME is DuckDB", 25),
    (f"SELECT * REPLACE (1 AS name) FROM {T}", "SELECT * REPLACE (...) is DuckDB", 10),
    (f"SELECT * EXCLUDE (name) FROM {T}", "SELECT * EXCLUDE (...) is DuckDB", 10),
    (f"SELECT t.* EXCLUDE (name) FROM {T} t", "SELECT * EXCLUDE (...) is DuckDB", 12),
    (f"SELECT * EXCEPT (name) FROM {T}", "SELECT * EXCEPT (...) is DuckDB", 10),
    (f"SELECT * RENAME (name AS n) FROM {T}", "SELECT * RENAME (...) is DuckDB", 10),
    (f"SELECT * LIKE 'n%' FROM {T}", "* LIKE is DuckDB", 8),
    (f"SELECT COLUMNS('na.*') FROM {T}", "COLUMNS(...) is DuckDB", 8),
    (f"SELECT *COLUMNS('na.*') FROM {T}", "COLUMNS(...) is DuckDB", 9),
    (f"FROM {T} SELECT name", "a query starts with SELECT, not FROM", 1),
    (f"SELECT (FROM {T} SELECT count(*))", "a query starting with FROM is DuckDB", 9),
    (f"SELECT 1 AS a UNION (FROM {T} SELECT 1)", "a query starting with FROM is DuckDB", 22),
    (f"SELECT 1 AS a UNION ALL FROM {T} SELECT 1", "a query starting with FROM is DuckDB", 25),
    (f"WITH x AS (FROM {T}) SELECT 1", "a query starting with FROM is DuckDB", 12),
    ("SELECT [x * 2 FOR x IN ARRAY[1, 2]]", "list comprehension", 8),
    ("SELECT [1, 2]", "'[...]' lists are DuckDB syntax", 8),
    ("SELECT list_transform(ARRAY[1], lambda x: x + 1)", "lambda function is DuckDB", 33),
    ("SELECT {'a': 1}", "struct or map literal {...} is DuckDB", 8),
    ("SELECT MAP {'a': 1}", "struct or map literal {...} is DuckDB", 12),
    ("SELECT NULL::STRUCT(a INT)", "casts to STRUCT", 14),
    (f"SELECT name FROM {T} QUALIFY row_number() OVER () = 1", "QUALIFY is DuckDB", 53),
    (f"SELECT name FROM {T} USING SAMPLE 10%", "USING SAMPLE is DuckDB", 59),
    (f"SELECT * FROM {T} PIVOT (count(*) FOR status IN ('a'))", "PIVOT is DuckDB syntax", 50),
    (f"SELECT status, count(*) FROM {T} GROUP BY ALL", "GROUP BY ALL without columns", 74),
    (f"SELECT status FROM {T} ORDER BY ALL", "ORDER BY ALL is DuckDB", 64),
    (f"SUMMARIZE {T}", "SUMMARIZE is DuckDB", 1),
    (f"DESCRIBE {T}", "DESCRIBE statements are not supported", 1),
    ("SELECT 'abc'[1:2]", "string slicing s[...] is DuckDB", 13),
    ("SELECT 2 ** 3", "** is DuckDB syntax", 10),
    ("SELECT 7 // 2", "// is DuckDB syntax", 10),
    # what PostgreSQL 15 refuses too
    ("SELECT 1_000", "trailing junk after numeric literal at or near '1_000'", 8),
    ("SELECT 0.5e", "trailing junk after numeric literal at or near '0.5e'", 8),
    ("SELECT 1abc", "trailing junk after numeric literal", 8),
    (f"SELECT name, FROM {T}", "a trailing comma", 12),
    ("SELECT lower('a',)", "a trailing comma", 17),
    ("SELECT ARRAY[1, 2,]", "a trailing comma", 18),
    ("SELECT NULL::INT[3]", "array sizes are not supported; write INT[]", 17),
    ("SELECT (1, 2)", "row values such as (1, 2)", 8),
    (f"SELECT t FROM {T} t", "t names a table: whole-row values", 8),
    (f"SELECT count(t) FROM {T} t", "t names a table", 14),
    (f"SELECT * FROM {T} WITH ORDINALITY", "WITH ORDINALITY goes with a set-returning", 15),
    # a source with two columns is a row: only a one-column source's name reads its column
    ("SELECT u FROM unnest(ARRAY[1], ARRAY[2]) AS u", "u names a table: whole-row values", 8),
]


@pytest.mark.parametrize(("sql", "named", "column"), DUCKDB_SYNTAX, ids=lambda v: str(v)[:40])
def test_duckdb_syntax_is_refused_by_name(
    translate, sql: str, named: str, column: int | None
) -> None:
    with pytest.raises(DDSQLError) as info:
        translate(sql)
    assert named in str(info.value)
    if column is not None:
        assert isinstance(info.value, ParseError) or f"column {column})" in str(info.value)
        if isinstance(info.value, ParseError):
            assert (info.value.line, info.value.column) == (1, column)
        assert str(info.value).splitlines()[-1].strip() == "^"


VALUE_ACCESS = [
    (select("name[1]"), "cannot subscript type text"),
    (select("model_variants[1]"), "cannot subscript type json"),
    (select("schedule['start_time']"), "cannot subscript type json"),
    (select("tags['team']['x']"), "hstore allows only one subscript"),
    (select("tags.team"), "there is no table 'tags' in FROM"),
    (select("schedule.start_time"), "there is no table 'schedule' in FROM"),
    (f"SELECT t.schedule.start_time FROM {T} t", "DDSQL has no '.' field access"),
]


@pytest.mark.parametrize(("sql", "fragment"), VALUE_ACCESS)
def test_duckdb_value_access_is_refused(translate, sql: str, fragment: str) -> None:
    """DuckDB reads these as string indexing, JSON and map subscripts and struct field
    access; PostgreSQL refuses each."""
    with pytest.raises(DDSQLError) as info:
        translate(sql)
    assert fragment in str(info.value)


def test_array_subscripts_still_work(translate) -> None:
    assert (
        translate("SELECT (ARRAY[1, 2, 3])[2] AS x")
        == 'SELECT DDSQL_SUBSCRIPT(([1, 2, 3]), 2) AS "x"'
    )
    assert "DDSQL_SUBSCRIPT((MAP_KEYS(" in translate(select("(akeys(tags))[1]"))


def test_semi_as_a_table_alias_is_not_a_join(translate) -> None:
    out = translate(f"SELECT semi.name FROM {T} AS semi JOIN {T} b ON semi.name = b.name")
    assert 'AS "semi" JOIN' in out


# ------------------------------------------- set-returning functions in a select list


SRF_PLACES = [
    (select("1 WHERE unnest(ARRAY[1]) = 1").replace(f" FROM {T}", ""), "not allowed in WHERE"),
    (f"SELECT 1 FROM {T} WHERE json_array_elements(schedule) IS NULL", "not allowed in WHERE"),
    (f"SELECT 1 FROM {T} a JOIN {T} b ON unnest(akeys(a.tags)) = 'x'", "JOIN conditions"),
    (f"SELECT 1 FROM {T} GROUP BY unnest(akeys(tags))", "not allowed in GROUP BY"),
    ("SELECT 1 ORDER BY unnest(ARRAY[2, 1])", "not allowed in ORDER BY"),
    ("SELECT CASE WHEN true THEN unnest(ARRAY[1]) END", "not allowed in CASE"),
    ("SELECT coalesce(unnest(ARRAY[1]), 0)", "not allowed in COALESCE"),
    ("SELECT count(unnest(ARRAY[1]))", "aggregate function calls cannot contain"),
    ("SELECT sum(1) OVER (PARTITION BY unnest(ARRAY[1]))", "window function calls"),
    ("VALUES (unnest(ARRAY[1]))", "not allowed in VALUES"),
    ("SELECT unnest(unnest(ARRAY[ARRAY[1]]))", "cannot take another one's rows"),
    ("SELECT unnest(ARRAY[1], ARRAY[2])", "use FROM unnest(a, b) AS u(x, y)"),
]


@pytest.mark.parametrize(("sql", "fragment"), SRF_PLACES)
def test_set_returning_functions_where_postgresql_refuses_them(
    translate, sql: str, fragment: str
) -> None:
    with pytest.raises(UnsupportedError) as info:
        translate(sql)
    assert fragment in str(info.value)
    assert "FROM ..., json_array_elements(j) AS e" in str(info.value) or "unnest(a, b)" in str(
        info.value
    )
    assert "explode" not in str(info.value).lower()


# --------------------------------------------------------------- issue 13: placeholders


PLACEHOLDERS = [
    # a parameter where a name goes (the fast path's qualification met one as an alias)
    (select("status AS :x"), "a parameter is a value, not a name"),
    (f"SELECT 1 FROM {T} AS :y", "a parameter is a value, not a name"),
    ("WITH :w AS (SELECT 1) SELECT 1", "a parameter is a value, not a name"),
    ("SELECT * FROM (SELECT 1) AS v(:z)", "a parameter is a value, not a name"),
    (
        'SELECT :"ddsql_$ x $ddsql_$; DELETE FROM t; SELECT 1 --"',
        "parameter names are not quoted",
    ),
    ('SELECT :"x"', "parameter names are not quoted"),
    ("SELECT :'x'", "parameter names are not quoted"),
    ("SELECT : x", "a parameter is written :name"),
    ("SELECT :", "a parameter is written :name"),
    ("SELECT :x$y", "letters, digits and underscores only"),
    ("SELECT :é", "letters, digits and underscores only"),
    ("SELECT :1", "parameters are named, like :name"),
    ("SELECT ?", "parameters are named, like :name"),
    ("SELECT %(x)s", "%(name)s placeholders are not DDSQL"),
    ("SELECT :ddsql_dd_time_frame_start", "names starting with ddsql_ are reserved"),
    ("SELECT :DDSQL_X", "names starting with ddsql_ are reserved"),
    ("SELECT :x + :X", "differ only in case"),
]


@pytest.mark.parametrize(("sql", "fragment"), PLACEHOLDERS)
def test_placeholder_names_are_identifiers(translate, sql: str, fragment: str) -> None:
    with pytest.raises(DDSQLError) as info:
        translate(sql)
    assert fragment in str(info.value)


def test_placeholders_as_written() -> None:
    translator = Translator(load_registry())
    got = translator.translate("SELECT :x, :_y1, :select, :x, current_setting('dd.time_frame_end')")
    assert got.parameters == ("x", "_y1", "select", "ddsql_dd_time_frame_end")
    assert got.duckdb_sql.startswith('SELECT $x AS "?column?", $_y1 AS "?column?", $select AS')


@pytest.mark.parametrize("name", ["x; DELETE FROM t", "a b", "x$y", "ddsql_x", "", "1", "?"])
def test_the_generator_only_prints_checked_names(name: str) -> None:
    """Whatever put a placeholder in the tree, parameters() (the last step before the
    generator prints $name) refuses a name that is not a plain identifier."""
    tree = exp.select(exp.Placeholder(this=name))
    with pytest.raises(UnsupportedError):
        translation.parameters(tree)


def test_comments_do_not_reach_duckdb(translate) -> None:
    out = translate("SELECT 1 /* a */ AS x -- */ DELETE FROM t; /*")
    assert out == 'SELECT 1 AS "x"'


@pytest.mark.parametrize(
    "sql",
    [
        f"SELECT DISTINCT ON (name, arn) name FROM {T} ORDER BY name, arn",
        f"SELECT count(*) FROM {T} WHERE (name, arn) IN (('a', 'b'), ('c', 'd'))",
        f"SELECT count(*) FROM {T} WHERE (name, arn) = ('a', 'b')",
        "VALUES (1, 'a'), (2, 'b')",
        f"SELECT count(*), count(DISTINCT name) FROM {T}",
        f"SELECT t.*, u.* FROM {T} t JOIN {T} u ON t._key = u._key",
        "SELECT trim(FROM '  a  ')",
        f"SELECT semi.name FROM {T} AS semi",
    ],
)
def test_postgresql_forms_near_the_refused_ones_still_translate(translate, sql: str) -> None:
    assert translate(sql)
