"""Fuzzing (issue 8): every input is answered or refused cleanly.

Two generators, both driven by hypothesis:

* a grammar over ``aws.sagemaker_inference_experiment``: typed expressions over its
  columns (text, timestamps, JSON paths, tag lookups), DDSQL's functions (also called
  with random arities and argument types), WHERE / GROUP BY / HAVING / ORDER BY / LIMIT;
* token-level mutation of the real queries in ``tests/oracle/corpus/*.sql``: tokens deleted,
  duplicated, swapped, or random punctuation and keywords inserted.

Both run in the DDSQL (Preview) variant too (``syntax="preview"``): the reference's
grammar with its tag lookups made tag references and preview constructs added (group
comparisons and literals, relative time literals, hexadecimal and typed array literals,
the preview's functions), and mutations of ``corpus/preview/*.sql``.

Property: :meth:`Connection.sql` returns a Result (whose rows convert to Python) or
raises a :class:`DDSQLError`; nothing else escapes; what the translator accepts becomes
SQL DuckDB's parser reads (checked on an empty DuckDB connection before the query runs);
no query runs past its time limit (plus translation), and the connection answers
afterwards. A share of the well-typed
generated queries also runs in the PostgreSQL oracle (the ``pg`` fixture): when both
accept, the answers must agree (ordered on ``_key`` or compared unordered).

The default run is a fast sample. ``DDSQL_FUZZ_EXAMPLES=10000 pytest tests/dialect/test_fuzz.py
-s`` runs that many cases per generator (the oracle test runs a quarter as many) and
prints the outcomes by type.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ddsql_lite
from ddsql_lite import DDSQLError
from ddsql_lite.dialect.functions import DDSQL_FUNCTIONS
from ddsql_lite.dialect.variants import variant
from ddsql_lite.loaders import sample_path
from tests.support.corpus_files import corpus_queries
from tests.support.pg_oracle import (
    compare_results,
    hstore_from_map,
    load_records,
    query_is_ordered,
    read_fixture_records,
    run,
)

EXAMPLES = int(os.environ.get("DDSQL_FUZZ_EXAMPLES", "150"))
QUERY_TIMEOUT = 2.0  # the engine's limit for each generated query (seconds)
WALL_LIMIT = 15.0  # translation + execution must finish well within this
T = "aws.sagemaker_inference_experiment"

TEXT = [
    "_key",
    "account_id",
    "arn",
    "name",
    "type",
    "status",
    "status_reason",
    "description",
    "role_arn",
]
TIMES = ["creation_time", "completion_time", "last_modified_time"]
JSONS = [
    "schedule",
    "endpoint_metadata",
    "model_variants",
    "data_storage_config",
    "shadow_mode_config",
]
TAG_KEYS = ["team", "env", "region", "aws_account", "owner", "no-such-key", "", "a:b"]
JSON_KEYS = [
    "model_name",
    "variant_name",
    "endpoint_name",
    "shadow_model_variants",
    "sampling_percentage",
    "start_time",
    "end_time",
    "s3_uri",
    "kms_key",
    "destination",
    "0",
    "-1",
    "nope",
]
# Keys whose values are scalars: ``->>`` on a container gives JSON text, which DDSQL
# normalises (docs/dialect.md, "JSON text") while PostgreSQL keeps the stored spelling,
# so the oracle grammar reads scalars only.
SCALAR_JSON_KEYS = [
    "model_name",
    "variant_name",
    "endpoint_name",
    "start_time",
    "end_time",
    "kms_key",
    "destination",
    "nope",
]
TEXT_LITERALS = [
    "'Running'",
    "'Completed'",
    "'ShadowMode'",
    "''",
    "'a''b'",
    "'%'",
    "'fraud'",
    "'ü✓'",
    "','",
    "NULL",
]
PUNCTUATION = [
    "(",
    ")",
    ",",
    ";",
    "'",
    '"',
    "::",
    "->",
    "->>",
    "*",
    "=",
    "[",
    "]",
    "||",
    ".",
    "$1",
    ":x",
    "--",
    "/*",
    "NULL",
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "AND",
    "OR",
    "NOT",
    "AS",
    "CASE",
    "END",
    "1e308",
    "-9223372036854775808",
    "\x00",
    "\uff1b",
]

OUTCOMES: Counter[str] = Counter()
Gen = Callable[[], str]  # draws one piece of SQL


@pytest.fixture(scope="module")
def con() -> Iterator[ddsql_lite.Connection]:
    # the sample as recorded, which the oracle loads too (connect()'s default dates it
    # relative to today, JSON timestamps included)
    with ddsql_lite.connect(fixtures=sample_path(), timeout=QUERY_TIMEOUT) as connection:
        yield connection
    if OUTCOMES:
        cases = sum(n for k, n in OUTCOMES.items() if k != "oracle agreed")
        print(f"\nfuzz outcomes ({cases} cases): {dict(sorted(OUTCOMES.items()))}")


# ------------------------------------------------------------------------- grammar


def text_expr(draw: st.DrawFn, depth: int, safe: bool) -> str:
    """A text-valued expression (``safe``: one PostgreSQL answers identically)."""
    leaf: list[Gen] = [
        lambda: draw(st.sampled_from(TEXT)),
        lambda: draw(st.sampled_from(TEXT_LITERALS[:-1])),
        lambda: f"tags->'{draw(st.sampled_from(TAG_KEYS[:4]))}'",
        lambda: (
            f"{draw(st.sampled_from(JSONS))}->>"
            f"'{draw(st.sampled_from(SCALAR_JSON_KEYS if safe else JSON_KEYS))}'"
        ),
        lambda: f"model_variants->0->>'{draw(st.sampled_from(JSON_KEYS[:2]))}'",
    ]
    if depth <= 0:
        return draw(st.sampled_from(leaf))()
    inner: Gen = lambda: text_expr(draw, depth - 1, safe)  # noqa: E731
    options: list[Gen] = [
        *leaf,
        lambda: f"lower({inner()})",
        lambda: f"upper({inner()})",
        lambda: f"trim({inner()})",
        lambda: f"reverse({inner()})",
        lambda: f"coalesce({inner()}, {inner()})",
        lambda: f"({inner()} || {inner()})",
        lambda: f"replace({inner()}, 'a', 'b')",
        lambda: f"split_part({inner()}, '-', {draw(st.integers(1, 3))})",
        lambda: f"substring({inner()}, {draw(st.integers(1, 5))}, {draw(st.integers(0, 5))})",
        lambda: f"array_to_string(string_to_array({inner()}, '-'), '|')",
        lambda: f"CASE WHEN {bool_expr(draw, depth - 1, safe)} THEN {inner()} ELSE {inner()} END",
        lambda: f"CAST({num_expr(draw, depth - 1, safe)} AS VARCHAR)",
    ]
    if not safe:
        options += [
            lambda: f"to_char({time_expr(draw, depth - 1, safe)}, 'YYYY-MM-DD HH24:MI')",
            lambda: (
                f"json_extract_path_text({draw(st.sampled_from(JSONS))}, "
                + ", ".join(
                    f"'{k}'" for k in draw(st.lists(st.sampled_from(JSON_KEYS), max_size=3))
                )
                + ")"
            ),
            lambda: f"regexp_replace({inner()}, '[a-e]+', 'x')",
            lambda: f"tags->'{draw(st.sampled_from(TAG_KEYS))}'",
            lambda: f"({draw(st.sampled_from(JSONS))}->'{draw(st.sampled_from(JSON_KEYS))}')::text",
        ]
    return draw(st.sampled_from(options))()


def num_expr(draw: st.DrawFn, depth: int, safe: bool) -> str:
    """A numeric expression."""
    leaf: list[Gen] = [
        lambda: str(draw(st.integers(-5, 100))),
        lambda: f"length({text_expr(draw, 0, safe)})",
    ]
    if depth <= 0:
        return draw(st.sampled_from(leaf))()
    inner: Gen = lambda: num_expr(draw, depth - 1, safe)  # noqa: E731
    options: list[Gen] = [
        *leaf,
        lambda: f"length({text_expr(draw, depth - 1, safe)})",
        lambda: f"strpos({text_expr(draw, depth - 1, safe)}, 'e')",
        lambda: f"abs({inner()})",
        lambda: f"({inner()} + {inner()})",
        lambda: f"({inner()} - {inner()})",
        lambda: f"({inner()} * {inner()})",
        lambda: f"cardinality(string_to_array({text_expr(draw, depth - 1, safe)}, '-'))",
        lambda: f"coalesce({inner()}, 0)",
    ]
    if not safe:
        options += [
            lambda: f"({inner()} / {inner()})",
            lambda: f"({inner()} % {inner()})",
            lambda: f"round({inner()} / 3.0, {draw(st.integers(0, 3))})",
            lambda: f"power({inner()}, {draw(st.integers(-2, 40))})",
            lambda: f"extract(epoch FROM {time_expr(draw, depth - 1, safe)})",
            lambda: f"floor({inner()} * 1.5)",
            lambda: "9223372036854775807",
        ]
    return draw(st.sampled_from(options))()


def time_expr(draw: st.DrawFn, depth: int, safe: bool) -> str:
    """A timestamp expression."""
    options: list[Gen] = [
        lambda: draw(st.sampled_from(TIMES)),
        lambda: "TIMESTAMP '2025-03-01 12:00:00'",
    ]
    if depth > 0:
        unit = draw(st.sampled_from(["hour", "day", "month", "year"]))
        options.append(lambda: f"date_trunc('{unit}', {time_expr(draw, depth - 1, safe)})")
        if not safe:
            options += [
                lambda: f"coalesce({time_expr(draw, depth - 1, safe)}, now())",
                lambda: f"to_timestamp({num_expr(draw, depth - 1, safe)})",
                lambda: f"{time_expr(draw, depth - 1, safe)} + INTERVAL '1 day'",
            ]
    return draw(st.sampled_from(options))()


def bool_expr(draw: st.DrawFn, depth: int, safe: bool) -> str:
    """A boolean expression."""
    text: Gen = lambda: text_expr(draw, max(depth - 1, 0), safe)  # noqa: E731
    num: Gen = lambda: num_expr(draw, max(depth - 1, 0), safe)  # noqa: E731
    literal = st.sampled_from(TEXT_LITERALS[:-1])
    cmp = draw(st.sampled_from(["=", "<>", "<", ">=", "!="]))
    options: list[Gen] = [
        lambda: f"{text()} {cmp} {text()}",
        lambda: f"{text()} IS NULL",
        lambda: f"{text()} IS NOT NULL",
        lambda: f"{text()} LIKE '{draw(st.sampled_from(['%a%', 'f%', '%-v_', '']))}'",
        lambda: f"{num()} {cmp} {num()}",
        lambda: f"{num()} BETWEEN 1 AND {draw(st.integers(0, 40))}",
        lambda: f"{text()} IN ({', '.join(draw(st.lists(literal, min_size=1, max_size=4)))})",
        lambda: f"{time_expr(draw, max(depth - 1, 0), safe)} > TIMESTAMP '2025-01-15'",
    ]
    if depth > 0:
        inner: Gen = lambda: bool_expr(draw, depth - 1, safe)  # noqa: E731
        options += [
            lambda: f"({inner()} AND {inner()})",
            lambda: f"({inner()} OR {inner()})",
            lambda: f"NOT ({inner()})",
        ]
    if not safe:
        options += [
            lambda: f"regexp_like({text()}, '{draw(st.sampled_from(['^a', '[', '(x|y)+$', '']))}')",
            lambda: f"{text()} ILIKE '%A%'",
            lambda: f"EXISTS (SELECT 1 FROM {T} AS s WHERE s.name = {text()})",
            lambda: f"{text()} = ANY(string_to_array('a,b', ','))",
        ]
    return draw(st.sampled_from(options))()


ANY_KIND = ["text", "num", "time", "bool", "json", "star", "null"]


def argument(draw: st.DrawFn, kind: str, depth: int) -> str:
    """A random argument of ``kind`` (one of :data:`ANY_KIND`, or "preview")."""
    if kind == "text":
        return text_expr(draw, depth, False)
    if kind == "num":
        return num_expr(draw, depth, False)
    if kind == "time":
        return time_expr(draw, depth, False)
    if kind == "bool":
        return bool_expr(draw, depth, False)
    if kind == "json":
        return draw(st.sampled_from(JSONS))
    if kind == "preview":
        return preview_expr(draw, depth)
    return "*" if kind == "star" else "NULL"


def chaos_call(draw: st.DrawFn, depth: int) -> str:
    """Any DDSQL function, with a random number of arguments of random kinds."""
    name = draw(st.sampled_from(sorted(DDSQL_FUNCTIONS)))
    kinds = draw(st.lists(st.sampled_from(ANY_KIND), max_size=4))
    args = [argument(draw, kind, depth) for kind in kinds]
    over = draw(st.sampled_from(["", "", " OVER ()", " OVER (ORDER BY _key)"]))
    return f"{name}({', '.join(args)}){over}"


@st.composite
def safe_query(draw: st.DrawFn) -> str:
    """A well-typed SELECT whose answer PostgreSQL must reproduce (deterministic order)."""
    depth = draw(st.integers(0, 2))
    where = f" WHERE {bool_expr(draw, depth, True)}" if draw(st.booleans()) else ""

    def value() -> str:
        if draw(st.booleans()):
            return text_expr(draw, depth, True)
        return num_expr(draw, depth, True)

    if draw(st.booleans()):
        key = value()
        agg = draw(
            st.sampled_from(
                [
                    "count(*)",
                    f"max({text_expr(draw, 0, True)})",
                    f"min({num_expr(draw, 0, True)})",
                    f"sum({num_expr(draw, 0, True)})",
                ]
            )
        )
        having = f" HAVING count(*) > {draw(st.integers(0, 3))}" if draw(st.booleans()) else ""
        return f"SELECT {key} AS k, {agg} AS v FROM {T}{where} GROUP BY 1{having} ORDER BY 1"
    items = [value() for _ in range(draw(st.integers(1, 3)))]
    columns = ", ".join(f"{e} AS c{i}" for i, e in enumerate(items))
    limit = f" LIMIT {draw(st.integers(0, 40))}" if draw(st.booleans()) else ""
    return f"SELECT _key, {columns} FROM {T}{where} ORDER BY _key{limit}"


@st.composite
def any_query(draw: st.DrawFn) -> str:
    """A valid-looking SELECT built from the whole grammar (it may be refused)."""
    depth = draw(st.integers(0, 3))
    items = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "num", "time", "bool", "call", "star", "json"]))
        if kind == "text":
            items.append(text_expr(draw, depth, False))
        elif kind == "num":
            items.append(num_expr(draw, depth, False))
        elif kind == "time":
            items.append(time_expr(draw, depth, False))
        elif kind == "bool":
            items.append(bool_expr(draw, depth, False))
        elif kind == "call":
            items.append(chaos_call(draw, max(depth - 1, 0)))
        else:
            items.append("*" if kind == "star" else draw(st.sampled_from(JSONS)))
    sql = f"SELECT {', '.join(items)} FROM {T}"
    if draw(st.booleans()):
        sql += f" WHERE {bool_expr(draw, depth, False)}"
    if draw(st.booleans()):
        sql += " GROUP BY " + ", ".join(
            draw(
                st.lists(
                    st.sampled_from(["1", "2", "name", "status", "tags->'team'"]),
                    min_size=1,
                    max_size=2,
                )
            )
        )
    if draw(st.booleans()):
        sql += f" ORDER BY {draw(st.sampled_from(['1', '_key', 'name DESC', '2 NULLS FIRST']))}"
    if draw(st.booleans()):
        sql += f" LIMIT {draw(st.integers(-1, 50))}"
    return sql


# ------------------------------------------------------------------------ mutation

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\w+|->>|->|::|\|\||<>|!=|>=|<=|\S")


CORPUS = corpus_queries()
PREVIEW_CORPUS = corpus_queries("preview")
PREVIEW_FUNCTIONS = sorted(variant("preview").functions - DDSQL_FUNCTIONS)


@st.composite
def mutated_query(draw: st.DrawFn, corpus: list[str] = CORPUS) -> str:
    """A corpus query with a few token-level mutations."""
    tokens = _TOKEN.findall(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace"]))
        if op == "delete":
            del tokens[i]
        elif op == "duplicate":
            tokens.insert(i, tokens[i])
        elif op == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == "insert":
            tokens.insert(i, draw(st.sampled_from(PUNCTUATION)))
        else:
            tokens[i] = draw(st.sampled_from(PUNCTUATION + TEXT + JSONS + TEXT_LITERALS))
    return " ".join(tokens)


def tag_reference(draw: st.DrawFn) -> str:
    """A DDSQL (Preview) tag reference: implicit, explicit, quoted or qualified."""
    key = draw(st.sampled_from(TAG_KEYS))
    plain = key.replace("_", "").isalnum()
    forms = [f'#"{key}"', f'"{key}"'] + ([key, f"#{key}", f"t.{key}"] if plain else [])
    return draw(st.sampled_from(forms))


def preview_expr(draw: st.DrawFn, depth: int) -> str:
    """An expression using the preview's constructs (it may be refused)."""
    tag: Gen = lambda: tag_reference(draw)  # noqa: E731
    value: Gen = lambda: draw(st.sampled_from(TEXT_LITERALS))  # noqa: E731
    unit = draw(st.sampled_from(["day", "hours", "hr", "min", "30s", "month", "x", ""]))
    when: Gen = lambda: draw(st.sampled_from(["timestamp", "date"]))  # noqa: E731
    options: list[Gen] = [
        tag,
        lambda: f"{tag()} = {value()}",
        lambda: f"{tag()} <> {value()}",
        lambda: f"{tag()} IN ({value()}, {value()})",
        lambda: f"{tag()} = {{{value()}, {value()}}}",
        lambda: f"{tag()} = {tag()}",
        lambda: f"{tag()}::{draw(st.sampled_from(['text', 'group', 'text[]', 'int', 'json']))}",
        lambda: f"{{{value()}}}",
        lambda: f"{when()} '{draw(st.integers(0, 99))} {unit} ago'",
        lambda: f"creation_time > timestamp '{draw(st.integers(0, 999))} days ago'",
        lambda: f"{when()} 'now'",
        lambda: f"0x{draw(st.integers(0, 2**64)):x}",
        lambda: f"array<{draw(st.sampled_from(['int', 'text', 'double', 'group']))}>[{value()}]",
        lambda: f"{tag()} {draw(st.sampled_from(['>', 'LIKE', '||', '+']))} {value()}",
    ]
    if depth > 0:
        options.append(lambda: preview_call(draw, depth - 1))
    return draw(st.sampled_from(options))()


def preview_call(draw: st.DrawFn, depth: int) -> str:
    """A preview function with a random number of arguments of random kinds."""
    name = draw(st.sampled_from(PREVIEW_FUNCTIONS))
    kinds = draw(st.lists(st.sampled_from(["text", "num", "time", "preview"]), max_size=4))
    args = [argument(draw, kind, depth) for kind in kinds]
    over = " OVER (ORDER BY _key)" if name == "dense_rank" else ""
    return f"{name}({', '.join(args)}){over}"


@st.composite
def preview_query(draw: st.DrawFn) -> str:
    """A DDSQL (Preview) query: the reference's grammar with its tag lookups made tag
    references, and preview expressions added to its select list or its WHERE."""
    sql = draw(any_query())
    sql = re.sub(r"tags->'[^']*'", lambda _: tag_reference(draw), sql)
    sql = sql.replace(f"FROM {T}", f"FROM {T} AS t", 1)
    depth = draw(st.integers(0, 2))
    extra = preview_expr(draw, depth)
    if " WHERE " in sql and draw(st.booleans()):
        return sql.replace(" WHERE ", f" WHERE {extra} AND ", 1)
    return sql.replace("SELECT ", f"SELECT {extra}, ", 1)


# ------------------------------------------------------------------------ property


# A DuckDB connection that only parses (no tables, nothing bound).
_PARSER = duckdb.connect()


def assert_duckdb_parses(con: ddsql_lite.Connection, sql: str, syntax: str = "ddsql") -> None:
    """The property the translator owes DuckDB: whatever it translates, DuckDB's parser
    reads (binding may still fail, with a DDSQLError when it runs)."""
    try:
        translated = con.translate(sql, syntax=syntax)
    except DDSQLError:
        return  # refused: nothing to parse
    try:
        _PARSER.extract_statements(translated)
    except duckdb.Error as exc:
        OUTCOMES["BUG unparsable translation"] += 1
        raise AssertionError(f"DuckDB cannot parse the translation of {sql!r}: {exc}") from exc


def check_outcome(con: ddsql_lite.Connection, sql: str, syntax: str = "ddsql") -> Any:
    """Run ``sql`` (read in the variant ``syntax``): return its rows, or None when
    refused with a DDSQLError. Anything else (another exception, a hang) fails the test;
    the connection must answer after; a translation must be SQL DuckDB parses."""
    assert_duckdb_parses(con, sql, syntax)
    started = time.monotonic()
    rows = None
    try:
        rows = con.sql(sql, timeout=QUERY_TIMEOUT, syntax=syntax).fetchall()
        OUTCOMES["Result"] += 1
    except DDSQLError as exc:
        assert str(exc).strip(), f"empty message for {sql!r}"
        OUTCOMES[type(exc).__name__] += 1
    except Exception as exc:  # the property: nothing but DDSQLError escapes
        OUTCOMES[f"BUG {type(exc).__name__}"] += 1
        raise AssertionError(f"{type(exc).__name__} escaped for {sql!r}: {exc}") from exc
    elapsed = time.monotonic() - started
    assert elapsed < WALL_LIMIT, f"{sql!r} took {elapsed:.1f} s"
    assert con.sql(f"SELECT count(*) FROM {T}").fetchall()[0][0] > 0
    return rows


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES <= 300,  # the default sample is the same on every run
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


# Found by this module's fuzzing; each used to raise something other than a DDSQLError.
FOUND: list[str] = [
    f"SELECT ceil() FROM {T}",  # AttributeError in sqlglot's type annotation
    f"SELECT floor() FROM {T}",
    f"SELECT json_extract_path() FROM {T}",  # ValueError in the path rewrite
    f"SELECT json_extract_path_text() FROM {T}",
    f"SELECT split_part('a') FROM {T}",  # KeyError in the split_part rewrite
    f"SELECT split_part(name, ',') FROM {T}",
    "SELECT " + "(" * 50 + "1" + ")" * 50,  # RecursionError in the parser
    "SELECT " + " + ".join(["1"] * 2000),  # RecursionError / quadratic passes
]


@pytest.mark.parametrize("sql", FOUND, ids=lambda s: s[:40])
def test_found_by_fuzzing_is_refused_cleanly(con: ddsql_lite.Connection, sql: str) -> None:
    with pytest.raises(DDSQLError):
        con.sql(sql)
    assert con.sql(f"SELECT count(*) FROM {T}").fetchall()[0][0] > 0


# Translations DuckDB's parser rejected (issue 18): a VALUES used as an expression.
UNPARSED: list[str] = [
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + (VALUES (1)) FROM r WHERE n < 3) "
    "SELECT n FROM r",
    "SELECT (VALUES (1))",
    "SELECT 2 IN (VALUES (1), (2))",
    "SELECT EXISTS (VALUES (1))",
    f"SELECT name FROM {T} WHERE length(name) = (VALUES (19))",
]
# Found by the parse property: a window named in OVER (refused, as named windows are).
UNPARSED_REFUSED: list[str] = [
    f"SELECT avg(length(name)) OVER (ORDER ORDER BY _key) FROM {T}",
    f"SELECT avg(length(name)) OVER (w ORDER BY _key) FROM {T} WINDOW w AS (PARTITION BY status)",
]
# Found by the parse property: refused before it reaches DuckDB.
UNPARSED_REFUSED_OTHERS: list[str] = [
    "SELECT name FROM aws . . sagemaker_inference_experiment AS t",
    "SELECT name FROM . . aws . sagemaker_inference_experiment AS t",
    f"SELECT to_timestamp(NULL) OVER () FROM {T}",
    f"SELECT lower(name) OVER () FROM {T}",
    f"SELECT approx_percentile(0.5) WITHIN GROUP (ORDER BY length(name)) OVER () FROM {T}",
    "SELECT TIMESTAMP '2025-01-01' AS :x",
    "SELECT 1 FROM (SELECT 1) AS :x",
    f"SELECT (account_id AS BIGINT) AS acct FROM {T}",
    "SELECT lower(('a' AS b))",
    "SELECT * FROM FROM UNNEST(ARRAY['b', NULL, 'a']) AS u(x)",
    f"SELECT completion_time IS _key AS open FROM {T}",
    "VALUES ( , 'a' ) , ( 2 , 'b' )",
    f"SELECT upper(SELECT name) || '/' || status FROM {T}",
    f"SELECT name FROM {T} GROUP BY WHERE true ORDER BY _key",
    f"SELECT count(*) FROM {T} AS t WHERE tags -> 'env' IN ('prod', NULL [ )",
    "SELECT EXISTS ((1)) AS b",
    f"SELECT floor(_key IN ('Running'), _key) FROM {T}",
    "SELECT ceil(1.5, 2)",
]


@pytest.mark.parametrize("sql", UNPARSED_REFUSED_OTHERS, ids=lambda s: s[:40])
def test_unparsable_shapes_are_refused(con: ddsql_lite.Connection, sql: str) -> None:
    with pytest.raises((ddsql_lite.UnsupportedError, ddsql_lite.ParseError)):
        con.sql(sql)


@pytest.mark.parametrize("sql", UNPARSED_REFUSED, ids=lambda s: s[:40])
def test_named_windows_are_refused(con: ddsql_lite.Connection, sql: str) -> None:
    with pytest.raises(ddsql_lite.UnsupportedError, match="named windows"):
        con.sql(sql)


@pytest.mark.parametrize("sql", UNPARSED, ids=lambda s: s[:40])
def test_translations_parse_in_duckdb(con: ddsql_lite.Connection, sql: str) -> None:
    assert_duckdb_parses(con, sql)
    con.sql(sql)


@pytest.mark.slow
@FUZZ
@given(sql=any_query())
def test_grammar_queries_answer_or_refuse(con: ddsql_lite.Connection, sql: str) -> None:
    check_outcome(con, sql)


@pytest.mark.slow
@FUZZ
@given(sql=mutated_query())
def test_mutated_corpus_queries_answer_or_refuse(con: ddsql_lite.Connection, sql: str) -> None:
    check_outcome(con, sql)


@pytest.mark.slow
@FUZZ
@given(sql=preview_query())
def test_preview_grammar_queries_answer_or_refuse(con: ddsql_lite.Connection, sql: str) -> None:
    check_outcome(con, sql, "preview")


@pytest.mark.slow
@FUZZ
@given(sql=mutated_query(PREVIEW_CORPUS))
def test_mutated_preview_corpus_queries_answer_or_refuse(
    con: ddsql_lite.Connection, sql: str
) -> None:
    check_outcome(con, sql, "preview")


@pytest.fixture(scope="module")
def pg_conn(pg: Any) -> Any:
    load_records(pg.conn, read_fixture_records(sample_path()))
    return pg.conn


@pytest.mark.slow
@settings(FUZZ, max_examples=max(EXAMPLES // 4, 20))
@given(sql=safe_query())
def test_generated_queries_agree_with_postgresql(
    con: ddsql_lite.Connection, pg_conn: Any, sql: str
) -> None:
    rows = check_outcome(con, sql)
    try:
        _, expected = run(pg_conn, sql)
    except Exception:  # PostgreSQL refused it: nothing to compare
        return
    if rows is None:
        return  # refused by ddsql_lite only: allowed (DDSQL is a subset), not compared
    actual = [tuple(hstore_from_map(v) if isinstance(v, list) else v for v in r) for r in rows]
    diff = compare_results(expected, actual, ordered=query_is_ordered(sql))
    assert diff is None, f"{sql}\n{diff}"
    OUTCOMES["oracle agreed"] += 1


# --------------------------------------------------------------- user text in the SQL

# Characters that end or open strings, names, comments, dollar quotes and statements.
_HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(list("'\";$-/*\\:%{}[]()?@#\n\t\x00 aZ_1é\uff1b")), max_size=24
)
# Where user text lands in a query: each slot quotes it as DDSQL needs (or not at all).
SLOTS: dict[str, Callable[[str], str]] = {
    "string": lambda x: "SELECT '" + x.replace("'", "''") + "' AS s",
    "name": lambda x: 'SELECT 1 AS "' + x.replace('"', '""') + '"',
    "placeholder": lambda x: f"SELECT :{x}",
    "block comment": lambda x: f"SELECT 1 /* {x} */ AS one",
    "line comment": lambda x: f"SELECT 1 AS one -- {x}",
    "json key": lambda x: f"SELECT schedule ->> '{x.replace(chr(39), chr(39) * 2)}' FROM {T}",
    "json path": lambda x: f"SELECT schedule #>> '{{{x.replace(chr(39), chr(39) * 2)}}}' FROM {T}",
    "tag key": lambda x: f"SELECT tags -> '{x.replace(chr(39), chr(39) * 2)}' FROM {T}",
    "pattern": lambda x: f"SELECT regexp_like(name, '{x.replace(chr(39), chr(39) * 2)}') FROM {T}",
    "format": lambda x: (
        f"SELECT to_char(creation_time, '{x.replace(chr(39), chr(39) * 2)}') FROM {T}"
    ),
    "like": lambda x: f"SELECT name LIKE '{x.replace(chr(39), chr(39) * 2)}' FROM {T}",
    "interval": lambda x: f"SELECT INTERVAL '{x.replace(chr(39), chr(39) * 2)}'",
    "raw": lambda x: f"SELECT {x}",
    "raw after": lambda x: f"SELECT name FROM {T} {x}",
}
_PARAMETER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@pytest.mark.slow
@FUZZ
@given(slot=st.sampled_from(sorted(SLOTS)), text=_HOSTILE_TEXT)
def test_user_text_never_leaves_its_statement(
    con: ddsql_lite.Connection, slot: str, text: str
) -> None:
    """Whatever text lands in a string, a name, a placeholder, a comment, a JSON path, a
    tag key, a pattern, a format or an interval: the query is refused with a DDSQLError,
    or its DuckDB SQL is one statement whose placeholders are plain names (issue 13); a
    string literal answers its own text."""
    sql = SLOTS[slot](text)
    try:
        translation = con.translator.translate(sql)
    except DDSQLError:
        OUTCOMES["text refused"] += 1
        return
    OUTCOMES["text translated"] += 1
    if translation.session is not None:
        return
    assert len(duckdb.extract_statements(translation.duckdb_sql)) == 1, (
        sql,
        translation.duckdb_sql,
    )
    for name in translation.parameters:
        assert _PARAMETER.fullmatch(name), (sql, name)
        assert not name.lower().startswith("ddsql_") or name in (
            "ddsql_dd_time_frame_start",
            "ddsql_dd_time_frame_end",
        ), (sql, name)
    if slot == "string":
        assert con.sql(sql).fetchall() == [(text,)]
