"""DDSQL (Preview) as an opt-in variant (docs/dialect.md, "The Preview variant"): every
face switches it on, the reference variant refuses its syntax saying so, and no preview
corpus query answers the same in the reference variant (nothing of the preview leaks
into the default). The answers themselves are the preview corpus's
(tests/oracle/corpus/preview/*.sql, checked against PostgreSQL 15)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite.connection import Connection
from ddsql_lite.dialect import Translator
from ddsql_lite.errors import DDSQLError, UnsupportedError
from ddsql_lite.loaders import sample_path
from ddsql_lite.registry import load_registry
from tests.support.corpus_files import ANNOTATION, corpus_lines, with_table

T = "aws.sagemaker_inference_experiment"
REGISTRY = load_registry()
PREVIEW = Translator(REGISTRY, cache_size=0, syntax="preview")
REFERENCE = Translator(REGISTRY, cache_size=0)


@pytest.fixture(scope="module")
def con() -> Iterator[Connection]:
    with ddsql_lite.connect(fixtures=sample_path()) as connection:
        yield connection


def _rows(con: Connection, sql: str, syntax: str) -> Any:
    return sorted(map(repr, con.sql(sql, syntax=syntax).fetchall()))


@pytest.mark.parametrize(
    ("stem", "line"),
    [pytest.param(stem, line, id=f"{stem}:{n}") for stem, n, line in corpus_lines("preview")],
)
def test_no_preview_query_answers_the_same_in_the_reference_variant(
    con: Connection, stem: str, line: str
) -> None:
    sql, *notes = ANNOTATION.split(line.strip())
    query = with_table(sql.strip())
    if stem == "preview/shared":  # PostgreSQL's syntax, which both variants read alike
        assert _rows(con, query, "ddsql") == _rows(con, query, "preview")
        return
    try:
        reference = _rows(con, query, "ddsql")
    except DDSQLError:
        return  # refused: the usual case
    assert not any(n.startswith("error:") for n in notes)
    assert reference != _rows(con, query, "preview"), query


@pytest.mark.parametrize(
    ("sql", "written"),
    [
        (f"SELECT #team FROM {T}", "#team"),
        (f'SELECT #"Cost Center" FROM {T}', '#"Cost Center"'),
        ("SELECT {'a', 'b'}", "{'a', 'b'}"),
        ("SELECT 0x4B1D", "0x4B1D"),
        ("SELECT array<int>[1, 2]", "array<type>[...]"),
    ],
)
def test_the_reference_refuses_preview_syntax_saying_so(sql: str, written: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        REFERENCE.translate(sql)
    message = str(info.value)
    assert written in message and "DDSQL Preview syntax" in message
    assert "^" in message  # a caret under it


def test_an_implicit_tag_is_an_unknown_column_in_the_reference() -> None:
    with pytest.raises(DDSQLError, match="column 'team' does not exist"):
        REFERENCE.translate(f"SELECT team FROM {T}")


def test_the_variant_is_part_of_what_selects_a_translation(con: Connection) -> None:
    sql = f"SELECT count(*) FROM {T} WHERE env = 'prod'"
    assert con.sql(sql, syntax="preview").fetchall() == [(15,)]
    with pytest.raises(DDSQLError):
        con.sql(sql)  # the session's variant is still the reference
    con.set_syntax("preview")
    try:
        assert con.sql(sql).fetchall() == [(15,)]
        assert "LIST_CONTAINS" in con.translate(sql)
        with pytest.raises(DDSQLError):
            con.sql(sql, syntax="ddsql")
    finally:
        con.set_syntax("ddsql")
    assert ddsql_lite.translate(sql, syntax="preview") == con.translate(sql, syntax="preview")


def test_connect_takes_the_syntax_option() -> None:
    with pytest.raises(UnsupportedError, match="syntax: 'sql' is not one of ddsql, preview"):
        ddsql_lite.connect(syntax="sql")
    with ddsql_lite.connect(syntax="preview") as preview:
        assert preview.syntax == "preview"
        assert preview.sql(f"SELECT #region FROM {T} LIMIT 1").columns == ["#region"]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (f"SELECT name FROM {T} WHERE team IN (SELECT name FROM {T})", "tag IN takes a list"),
        (f"SELECT name FROM {T} WHERE 'a' IN (team)", "cannot be an IN list's item"),
        (f"SELECT name FROM {T} WHERE team IN (1, 2)", "tag IN takes a list of texts"),
        ("SELECT #team", "no source has tags"),
        (f"SELECT name FROM {T} AS a, {T} AS b WHERE #team = 'x'", "qualify it"),
        (f"SELECT team::int FROM {T}", "casts to text or to text[]"),
        ("SELECT 'a'::group", "casts to group take an array of text"),
        ('SELECT "ddsql_tag#x"', "reserved"),
        (f"SELECT team || 'x' FROM {T}", "no operand here"),
        ("SELECT array<group>['a']", "arrays of groups"),
        ("SELECT 0x8000000000000000", "out of range for type bigint"),
    ],
)
def test_preview_refusals(sql: str, message: str) -> None:
    with pytest.raises(DDSQLError, match=message.replace("(", r"\(").replace("[", r"\[")):
        PREVIEW.translate(sql)


def test_groups_and_casts_to_group() -> None:
    for cast in ("#team::group::tag_column", "region::text[]", "(team::group)::text"):
        sql = PREVIEW.translate(f"SELECT {cast} FROM {T}").duckdb_sql
        assert "HSTORE" not in sql.upper(), sql
    literal = PREVIEW.translate("SELECT ARRAY['b', 'a', 'b']::group, {'b', 'a'}::tag_column")
    assert literal.duckdb_sql.count("['a', 'b']") == 2  # sorted, once each, when translated
    sql = PREVIEW.translate(f"SELECT string_to_array(name, '-')::group FROM {T}").duckdb_sql
    assert "LIST_SORT(LIST_DISTINCT(" in sql  # when the query runs


def test_the_shell_switches_the_variant_and_its_prompt_says_which() -> None:
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from ddsql_lite.repl import run_shell
    from ddsql_lite.repl.shell import PREVIEW_PROMPT, PROMPT, Shell

    out, err = io.StringIO(), io.StringIO()
    lines = [
        "\\syntax",
        "\\df string_agg",
        "\\syntax preview",
        "\\df string_agg",
        f"SELECT count(*) AS n FROM {T} WHERE team = 'fraud';",
        "\\syntax sql",
        "\\syntax ddsql",
        f"SELECT count(*) AS n FROM {T} WHERE team = 'fraud';",
    ]
    with create_pipe_input() as keys:
        keys.send_text("".join(line + "\r" for line in lines) + "\x04")
        run_shell(
            ddsql_lite.connect,
            input=keys,
            output=DummyOutput(),
            history=InMemoryHistory(),
            stdout=out,
            stderr=err,
        )
    text = out.getvalue()
    assert "Syntax: ddsql, DDSQL (the reference)." in text
    assert "Syntax: preview, DDSQL (Preview)." in text
    assert text.count("(1 row") == 1  # the preview query ran, the reference one did not
    assert "\\syntax takes ddsql or preview, not 'sql'" in err.getvalue()
    assert "column 'team' does not exist" in err.getvalue()
    assert "no DDSQL function matches 'string_agg'" in err.getvalue()  # before \syntax
    assert "string_agg(text, delim [ORDER BY ...])" in text
    shell = Shell(ddsql_lite.connect, stdout=io.StringIO(), stderr=io.StringIO())
    try:
        assert shell.prompt() == PROMPT
        shell.con.set_syntax("preview")
        assert shell.prompt() == PREVIEW_PROMPT
        shell.reload()
        assert shell.prompt() == PREVIEW_PROMPT  # kept by \reload
    finally:
        shell.close()


def test_the_shell_catalog_lists_the_variant_functions(con: Connection) -> None:
    from ddsql_lite.repl.catalog import ConnectionCatalog

    catalog = ConnectionCatalog(con)
    assert "string_agg" not in set(catalog.functions())
    con.set_syntax("preview")
    try:
        assert {"string_agg", "date_diff", "lower"} <= set(catalog.functions())
    finally:
        con.set_syntax("ddsql")


def test_the_fast_path_agrees_with_sqlglot_on_the_preview_corpus() -> None:
    """Tag references are in the tree before qualification: the fast path and sqlglot's
    passes must give the same SQL (or the same error) for every preview line."""
    slow = Translator(REGISTRY, cache_size=0, fast=False, syntax="preview")

    def outcome(translator: Translator, sql: str) -> object:
        try:
            found = translator.translate(sql)
        except DDSQLError as exc:
            return (type(exc), str(exc))
        return (found.duckdb_sql, found.columns)

    from tests.support.corpus_files import corpus_queries

    for sql in corpus_queries("preview"):
        assert outcome(PREVIEW, sql) == outcome(slow, sql), sql


def test_a_parameter_compared_with_a_tag_is_contains(con: Connection) -> None:
    sql = f"SELECT count(*) FROM {T} WHERE team = :team"
    assert con.sql(sql, {"team": "fraud"}, syntax="preview").fetchall() == [(2,)]


@pytest.mark.parametrize(
    ("sql", "written"),
    [
        ("SELECT concat('a', 'b')", "function concat() is not supported in DDSQL; it is"),
        ("SELECT date_diff('day', now(), now())", "function date_diff() is not supported"),
        (f"SELECT name::date FROM {T}", "casts to date are not supported in DDSQL; the type"),
        (f"SELECT name::group FROM {T}", "casts to group are not supported in DDSQL; the type"),
        ("SELECT timestamp '1 day ago'", "relative timestamps are DDSQL Preview syntax"),
    ],
)
def test_the_reference_names_preview_functions_and_types(sql: str, written: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        REFERENCE.translate(sql)
    assert written in str(info.value) and "DDSQL Preview syntax" in str(info.value)


def test_every_preview_function_has_help() -> None:
    """The shell's \\df in the preview lists every function the preview accepts, each
    with a signature that starts with its name, and nothing else."""
    from ddsql_lite import metadata

    forms = metadata.function_help("preview")
    assert {f.name for f in forms} == set(metadata.function_names("preview"))
    assert all(f.signature.startswith(f.name + "(") and f.description for f in forms)
    reference = {f.name for f in metadata.function_help()}
    assert reference == set(metadata.function_names())  # the reference's stays its own
