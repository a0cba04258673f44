"""What the shell offers at the cursor: the pure completion function, its tokenizer,
and the catalog that reads tag and JSON keys from the loaded data."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest

import ddsql_lite
from ddsql_lite.dialect.functions import DDSQL_FUNCTIONS
from ddsql_lite.metadata import MAX_VALUES
from ddsql_lite.registry import Table, load_registry
from ddsql_lite.repl.catalog import ConnectionCatalog, is_array_at, key_tree, keys_at
from ddsql_lite.repl.completion import Candidate, complete
from ddsql_lite.repl.sqltokens import is_complete, split_statements, tokenize

T = "aws.sagemaker_inference_experiment"
OLD = "aws_sagemaker_inference_experiment"
TAG_KEYS = ["Cost Center", "env", "owner", "region", "team"]
VALUES = {"status": ["Completed", "Running"], "tags": ["fraud,ml-platform", "sre"]}
DOCS = {
    "model_variants": [
        '[{"model_name": "a", "variant_name": "a", "infrastructure_config": '
        '{"infrastructure_type": "RealTimeInference", "real_time_inference_config": '
        '{"instance_type": "ml.c5.xlarge", "instance_count": 1}}}]'
    ],
    "shadow_mode_config": [
        '{"source_model_variant_name": "a", "shadow_model_variants": '
        '[{"shadow_model_variant_name": "b", "sampling_percentage": 20}]}'
    ],
    "schedule": ['{"start_time": "2025-01-01T00:00:00Z", "end_time": null}'],
    "data_storage_config": ['{"destination": "s3://x", "kms_key": "k", "it\'s": 1}'],
}


class StaticCatalog:
    """A catalog with fixed data-dependent keys (the registry's real tables)."""

    def __init__(self) -> None:
        self.trees = {column: key_tree(docs) for column, docs in DOCS.items()}
        self.asked: list[tuple[str, str, tuple[str, ...]]] = []

    def tables(self) -> Sequence[Table]:
        return list(load_registry())

    def functions(self) -> Iterable[str]:
        return DDSQL_FUNCTIONS

    def tag_keys(self, table: str, column: str) -> Sequence[str]:
        return TAG_KEYS if column == "tags" else []

    def json_keys(self, table: str, column: str, path: Sequence[str]) -> Sequence[str]:
        self.asked.append((table, column, tuple(path)))
        return keys_at(self.trees.get(column, {}), path)

    def json_array(self, table: str, column: str, path: Sequence[str]) -> bool:
        return is_array_at(self.trees.get(column, {}), path)

    def values(self, table: str, column: str, key: str | None = None) -> Sequence[str]:
        if column == "tags":
            return VALUES["tags"] if key == "team" else []
        return VALUES.get(column, [])

    def meta_commands(self) -> Mapping[str, Sequence[str] | None]:
        return {"\\d": [T, OLD], "\\dt": [], "\\x": ["on", "off", "auto"], "\\translate": None}


CATALOG = StaticCatalog()


def texts(before: str, after: str = "") -> list[str]:
    return [c.text for c in complete(before, CATALOG, after)]


def kinds(before: str, after: str = "") -> set[str]:
    return {c.kind for c in complete(before, CATALOG, after)}


# --- contexts ------------------------------------------------------------------------------


def test_statement_start_offers_statement_keywords() -> None:
    assert texts("") == ["SELECT", "WITH", "VALUES", "SHOW", "SET"]
    assert texts("sel") == ["select"]  # the typed case wins
    assert texts("SELECT 1; WI") == ["WITH"]


def test_tables_after_from_and_join_both_names() -> None:
    assert texts("SELECT * FROM ") == [T, OLD]
    assert texts("SELECT * FROM aws_sag") == [OLD]
    assert texts(f"SELECT * FROM {T} a JOIN aws_sagemaker_i") == [OLD]
    assert texts("SELECT * FROM aws.") == ["sagemaker_inference_experiment"]
    found = complete("SELECT * FROM aws.sag", CATALOG)
    assert [(c.text, c.start, c.kind) for c in found] == [
        ("sagemaker_inference_experiment", -3, "table")
    ]
    assert texts(f"SELECT * FROM {T} a, ") == [T, OLD]
    assert "SELECT" in texts("SELECT * FROM (")


def test_columns_of_the_table_in_scope_and_keywords() -> None:
    found = complete("SELECT na", CATALOG, f" FROM {T}")
    assert found[0] == Candidate("name", "column", -2, "name", "VARCHAR")
    assert texts(f"SELECT * FROM {T} WHERE sta") == ["status", "status_reason"]
    everything = kinds(f"SELECT * FROM {T} WHERE ")
    assert {"column", "function", "keyword", "alias"} <= everything
    assert "json_extract_path_text" in texts("SELECT json_ex")


def test_columns_after_an_alias_and_a_dot() -> None:
    assert texts(f"SELECT t.na FROM {T} t") == []  # the cursor is at the end: no alias yet
    assert texts("SELECT t.na", f" FROM {T} t") == ["name"]
    assert texts(f"SELECT * FROM {T} t WHERE t.")[:3] == ["_key", "account_id", "arn"]
    joined = f"SELECT * FROM {T} AS a JOIN {OLD} b ON a.name = b."
    assert "name" in texts(joined) and len(texts(joined)) == 18
    assert texts(f"SELECT {T}.sta", f" FROM {T}") == ["status", "status_reason"]
    assert texts("SELECT x.", f" FROM {T} t") == []  # unknown alias


def test_columns_of_ctes_and_subqueries() -> None:
    cte = f"WITH x(n, mv) AS (SELECT name, model_variants FROM {T}) SELECT "
    assert texts(cte, " FROM x")[:3] == ["n", "mv", "x"]
    sub = f"SELECT s. FROM (SELECT name AS who, count(*) AS c FROM {T} GROUP BY 1) s"
    assert texts(sub[: sub.index("s.") + 2], sub[sub.index("s.") + 2 :]) == ["who", "c"]
    star = f"WITH y AS (SELECT * FROM {T}) SELECT y.sta"
    assert texts(star, " FROM y") == ["status", "status_reason"]
    assert texts("WITH y AS (SELECT 1 AS one) SELECT * FROM ") == [T, OLD, "y"]
    inner = f"SELECT name FROM {T} WHERE name IN (SELECT nam"
    assert texts(inner, f" FROM {OLD})") == ["name"]


def test_output_names_in_order_by() -> None:
    sql = f"SELECT name AS experiment FROM {T} ORDER BY exp"
    assert texts(sql)[0] == "experiment"


def test_keywords_after_an_operand() -> None:
    assert texts("SELECT name ", f"FROM {T}")[:2] == ["AS", "FROM"]
    assert texts(f"SELECT name FROM {T} ") == [
        "AS", "JOIN", "INNER JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN", "ON",
        "USING", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "UNION",
        "UNION ALL",
    ]  # fmt: skip
    assert texts(f"SELECT name FROM {T} ORDER BY name d") == ["desc"]
    assert texts("SELECT name AS ") == []  # naming an alias


def test_tag_keys_after_arrow() -> None:
    assert texts("SELECT tags->'") == [f"{k}'" for k in TAG_KEYS]
    first = complete("SELECT tags->'te", CATALOG, f" FROM {T}")[0]
    assert (first.text, first.start, first.kind) == ("team'", -2, "tag key")
    assert texts("SELECT t.tags->>'reg", f" FROM {T} t") == ["region'"]
    assert texts("SELECT tags->") == [f"'{k}'" for k in TAG_KEYS]
    assert texts("SELECT tags -> 'Cost C") == ["Cost Center'"]  # spaces inside a key
    assert texts(f"SELECT count(*) FROM {T} WHERE tags->'env' = '") == []  # values: none


def test_json_keys_after_arrows_at_any_depth() -> None:
    assert texts("SELECT schedule->>'") == ["start_time'", "end_time'"]
    chain = "SELECT shadow_mode_config->'shadow_model_variants'->0->>'sa"
    assert texts(chain, f" FROM {T}") == ["sampling_percentage'"]
    assert texts("SELECT model_variants->0->'infrastructure_config'->'") == [
        "infrastructure_type'",
        "real_time_inference_config'",
    ]
    assert texts("SELECT m.model_variants->-1->'", f" FROM {T} m")[0] == "model_name'"
    assert texts("SELECT data_storage_config->'it") == ["it''s'"]  # quotes doubled
    assert texts("SELECT name->'") == []  # not JSON


def test_an_array_offers_indexes_before_keys() -> None:
    """``model_variants`` is an array: ``->'0'`` would be an object key (NULL), so an
    index replaces the quote typed; then keys after ``->0->'``."""
    found = complete("SELECT model_variants->'", CATALOG, f" FROM {T}")
    assert [(c.text, c.start, c.kind) for c in found] == [("0", -1, "index"), ("-1", -1, "index")]
    assert texts("SELECT model_variants->") == ["0", "-1"]
    assert texts("SELECT model_variants->0->'") == [
        "model_name'",
        "variant_name'",
        "infrastructure_config'",
    ]
    assert texts("SELECT shadow_mode_config->'shadow_model_variants'->'") == ["0", "-1"]
    assert texts("SELECT schedule->'") == ["start_time'", "end_time'"]  # an object: keys only


def test_values_after_a_comparison_with_a_text_column_or_a_tag() -> None:
    assert texts(f"SELECT name FROM {T} WHERE status = '") == ["Completed'", "Running'"]
    assert texts(f"SELECT name FROM {T} WHERE status <> 'R") == ["Running'"]
    assert texts(f"SELECT name FROM {T} t WHERE t.status IN ('Running', '") == [
        "Completed'",
        "Running'",
    ]
    assert texts(f"SELECT name FROM {T} WHERE status NOT IN ('") == ["Completed'", "Running'"]
    assert texts(f"SELECT name FROM {T} WHERE tags->'team' = '") == ["fraud,ml-platform'", "sre'"]
    assert texts(f"SELECT name FROM {T} WHERE tags->'team' = 's") == ["sre'"]
    assert texts(f"SELECT name FROM {T} WHERE name = '") == []  # not few-valued here
    assert texts(f"SELECT name FROM {T} WHERE status = 'Running' AND '") == []


def test_json_keys_inside_json_extract_path() -> None:
    fn = "SELECT json_extract_path_text(shadow_mode_config, '"
    assert texts(fn) == ["source_model_variant_name'", "shadow_model_variants'"]
    deeper = "SELECT json_extract_path_text(shadow_mode_config, 'shadow_model_variants', '0', '"
    assert texts(deeper) == ["shadow_model_variant_name'", "sampling_percentage'"]
    assert texts("SELECT json_extract_path(t.schedule, 'st", f" FROM {T} t") == ["start_time'"]
    assert texts("SELECT json_extract_path_text(schedule, ") == ["'start_time'", "'end_time'"]
    assert "status" in texts("SELECT json_extract_path_text(sta")  # the JSON argument itself
    assert texts("SELECT json_extract_path_text(name, '") == []


def test_json_keys_through_a_cte_column() -> None:
    sql = f"WITH x AS (SELECT model_variants AS mv FROM {T}) SELECT mv->0->>'var"
    assert texts(sql, " FROM x") == ["variant_name'"]


def test_types_units_and_settings() -> None:
    assert "BIGINT" in texts("SELECT name::")
    assert texts("SELECT cast(name AS VAR") == ["VARCHAR"]
    assert "dow" in texts("SELECT extract(")
    assert texts("SELECT date_trunc('mon") == ["month'"]
    assert texts("SELECT current_setting('") == ["dd.time_frame_start'", "dd.time_frame_end'"]
    assert texts("SHOW dd.") == ["dd.time_frame_start", "dd.time_frame_end"]


def test_nothing_inside_comments_literals_and_numbers() -> None:
    assert texts("SELECT 1 -- na") == []
    assert texts("SELECT /* na") == []
    assert texts("SELECT 'abc'") == []
    assert texts("SELECT 12") == []
    assert texts("SELECT 'x") == []


def test_quoted_identifiers() -> None:
    assert texts('SELECT "sta', f" FROM {T}") == ['status"', 'status_reason"']


def test_meta_commands_and_their_arguments() -> None:
    assert texts("\\") == ["\\d", "\\dt", "\\x", "\\translate"]
    assert texts("\\d") == ["\\d", "\\dt"]
    assert texts("\\d aws_") == [OLD]
    assert texts("\\x a") == ["auto"]
    assert texts("\\translate SELECT tags->'te")[0] == "team'"


def test_each_candidate_says_what_it_replaces() -> None:
    for before in ["SELECT na", "SELECT tags->'Co", "\\x o", "SELECT * FROM aws.sag"]:
        for cand in complete(before, CATALOG):
            replaced = before[len(before) + cand.start :]
            assert cand.start <= 0
            assert cand.text.lower().startswith(replaced.lower()) or replaced.lower() in (
                cand.text.lower()
            ), (before, cand)


# --- every prefix of real queries ------------------------------------------------------------

QUERIES = [
    f"SELECT status, count(*) AS experiments FROM {T} GROUP BY status ORDER BY status",
    f"SELECT tags->'team' AS team, count(*) FROM {T} GROUP BY 1 ORDER BY 2 DESC",
    f"SELECT name FROM {OLD} WHERE tags->'env' = 'prod' AND status <> 'Completed'",
    f"SELECT e.name, e.model_variants->0->>'model_name' AS production_model FROM {T} e",
    f"SELECT json_extract_path_text(shadow_mode_config, 'shadow_model_variants', '-1', "
    f"'sampling_percentage')::decimal AS pct FROM {T} WHERE status = 'Running'",
    f"SELECT a.name, b.name FROM {T} a JOIN {T} b ON a.tags->'team' = b.tags->'team' "
    "AND a.arn < b.arn",
    f"WITH running AS (SELECT name, endpoint_metadata FROM {T} WHERE status = 'Running') "
    "SELECT r.endpoint_metadata->>'endpoint_name' AS endpoint, count(*) FROM running r "
    "GROUP BY 1",
    f"SELECT name FROM {T} WHERE creation_time > (SELECT min(creation_time) FROM {OLD})",
    f"SELECT s.who, s.n FROM (SELECT tags->'owner' AS who, count(*) AS n FROM {T} "
    "GROUP BY 1) s WHERE s.n > 1 ORDER BY s.n DESC NULLS LAST LIMIT 5",
    f"SELECT date_trunc('month', creation_time) AS month, count(*) FROM {T} GROUP BY 1",
    f"SELECT name, CASE WHEN completion_time IS NULL THEN 'open' ELSE 'done' END FROM {T}",
    f"SELECT v.value->>'variant_name' FROM {T} t, json_array_elements(t.model_variants) "
    "AS v(value)",
    f"SELECT name, row_number() OVER (PARTITION BY tags->'team' ORDER BY creation_time) FROM {T}",
    f"SELECT akeys(tags), avals(tags) FROM {T} WHERE tags->'Cost Center' IS NOT NULL",
    f"SELECT extract(dow FROM creation_time) AS dow, count(*) FROM {T} GROUP BY 1;\n"
    f"SELECT /* c */ name -- note\nFROM {T} WHERE name LIKE '%shadow%' OFFSET 1",
    f"SELECT \"name\", CAST(schedule->>'start_time' AS timestamp) FROM {T} "
    "WHERE name IN ('a', 'b''s') UNION ALL SELECT 'x', NULL",
]


@pytest.mark.parametrize("sql", QUERIES, ids=range(len(QUERIES)))
def test_every_prefix_of_real_queries_completes(sql: str) -> None:
    for cut in range(len(sql) + 1):
        before, after = sql[:cut], sql[cut:]
        for candidate in complete(before, CATALOG, after):
            assert candidate.text and candidate.kind
            assert -len(before) <= candidate.start <= 0


def word_starts(sql: str) -> list[tuple[int, str]]:
    """(offset, name) of each table, column and key name the queries write."""
    columns = {c.name for t in load_registry() for c in t.columns}
    keys = set(TAG_KEYS) | {
        k for tree in CATALOG.trees.values() for ks in tree.values() for k in ks
    }
    found = []
    toks = tokenize(sql)
    for i, tok in enumerate(toks):
        previous = [t for t in toks[:i] if t.kind not in ("space", "comment")]
        if previous and previous[-1].is_word("as"):
            continue  # an alias being named
        if tok.kind == "word" and tok.value in columns:
            found.append((tok.start, tok.value))
        if tok.kind == "string" and tok.value in keys and previous[-1].text in ("->", "->>"):
            found.append((tok.start + 1, tok.value + "'"))
    return found


@pytest.mark.parametrize("sql", QUERIES, ids=range(len(QUERIES)))
def test_names_the_queries_use_are_offered_where_they_are_written(sql: str) -> None:
    """Typing the first letter of each column or key a real query writes offers it."""
    for offset, name in word_starts(sql):
        before, after = sql[: offset + 1], sql[offset + 1 + len(name) - 1 :]
        assert name in texts(before, after), (sql[:offset], name)


# --- the tokenizer ----------------------------------------------------------------------------


def test_tokenizer_keeps_every_character_and_never_fails() -> None:
    for text in ["SELECT 'a''b", 'SELECT "x', "/* open", "SELECT 1 -- x\n;", "$1 ?? ``"]:
        assert "".join(t.text for t in tokenize(text)) == text


def test_statement_split_and_completeness() -> None:
    assert split_statements("SELECT ';'; SELECT 2 -- x;\n;  ;") == ["SELECT ';'", "SELECT 2 -- x;"]
    assert is_complete("SELECT 1;  -- done")
    assert not is_complete("SELECT ';")
    assert not is_complete("SELECT 1 -- ;")


# --- the catalog over loaded data -------------------------------------------------------------


@pytest.fixture(scope="module")
def live() -> Iterable[ConnectionCatalog]:
    con = ddsql_lite.connect()
    yield ConnectionCatalog(con)
    con.close()


def test_catalog_reads_tag_keys_from_the_data(live: ConnectionCatalog) -> None:
    keys = live.tag_keys(T, "tags")
    assert {"team", "region", "aws_account", "Cost Center"} <= set(keys)
    assert keys == sorted(keys)
    assert live.tag_keys(OLD, "tags") is live.tag_keys(T, "tags")  # read once per load


def test_catalog_reads_json_keys_at_any_depth(live: ConnectionCatalog) -> None:
    assert live.json_keys(T, "schedule", []) == ["start_time", "end_time"]
    assert "model_name" in live.json_keys(T, "model_variants", ["0"])
    assert "model_name" in live.json_keys(T, "model_variants", ["-1"])
    deep = live.json_keys(T, "model_variants", ["0", "infrastructure_config"])
    assert "real_time_inference_config" in deep
    assert live.json_keys(T, "model_variants", ["nope"]) == []
    assert live.json_keys(T, "name", []) == []  # not a JSON column: no keys, no error


def test_catalog_completes_on_the_sample_data(live: ConnectionCatalog) -> None:
    found = [c.text for c in complete("SELECT tags->'te", live, f" FROM {T}")]
    assert found[0] == "team'"
    deep = "SELECT json_extract_path_text(shadow_mode_config, 'shadow_model_variants', '0', '"
    assert "sampling_percentage'" in [c.text for c in complete(deep, live)]


def test_catalog_reads_few_values_from_the_data(live: ConnectionCatalog) -> None:
    con = live.con
    statuses = [r[0] for r in con.sql(f"SELECT DISTINCT status FROM {T} ORDER BY 1").fetchall()]
    assert live.values(T, "status") == statuses and "Running" in statuses
    teams = con.sql(f"SELECT DISTINCT tags->'team' FROM {T} WHERE tags->'team' IS NOT NULL")
    assert set(live.values(OLD, "tags", "team")) == {r[0] for r in teams.fetchall()}
    assert live.values(T, "tags", "no such key") == []
    assert live.json_array(T, "model_variants", []) and not live.json_array(T, "schedule", [])
    found = [c.text for c in complete(f"SELECT 1 FROM {T} WHERE status = 'Ru", live)]
    assert found == ["Running'"]


def test_many_values_are_not_offered(tmp_path: Path) -> None:
    from ddsql_lite.loaders import sample_path

    records = json.loads(sample_path().read_text())["records"]
    more = []
    for i in range(MAX_VALUES + 1):
        record = json.loads(json.dumps(records[i % len(records)]))
        record["experiment"]["Arn"] += f"-{i}"
        record["experiment"]["Name"] = f"experiment-{i}"
        more.append(record)
    (tmp_path / "many.json").write_text(json.dumps(more))
    with ddsql_lite.connect(fixtures=tmp_path / "many.json") as con:
        catalog = ConnectionCatalog(con)
        assert catalog.values(T, "name") == [] and catalog.values(T, "status") != []


def test_key_paths_treat_integer_steps_as_indexes_and_keys() -> None:
    tree = key_tree(['{"0": {"a": 1}, "l": [{"b": 1}, 2]}', "not json", "[]"])
    assert keys_at(tree, []) == ["0", "l"]
    assert keys_at(tree, ["0"]) == ["a"]
    assert keys_at(tree, ["l", "1"]) == ["b"]
    assert keys_at(tree, ["l", "x"]) == []
    assert is_array_at(tree, ["l"]) and is_array_at(tree, [])  # (the document "[]")
    assert not is_array_at(tree, ["0"]) and not is_array_at(key_tree(["{}"]), [])
    assert is_array_at(key_tree(['{"n": [1, 2]}']), ["n"])  # an array of scalars too


# --- DDSQL (Preview): tag keys are names ---------------------------------------------------


def preview(before: str, after: str = "") -> list[Candidate]:
    return complete(before, CATALOG, after, syntax="preview")


def test_preview_completes_tag_keys_as_bare_names() -> None:
    found = preview("SELECT te", after=f" FROM {T}")
    assert found[0].text == "team" and found[0].kind == "tag key"
    assert "team" not in texts("SELECT te", after=f" FROM {T}")  # not in the reference
    where = {c.text for c in preview(f"SELECT name FROM {T} WHERE ")}
    assert {"team", "env", '"Cost Center"', "name"} <= where
    assert "team" in {c.text for c in preview("SELECT ")}  # no FROM yet: every table's


def test_preview_completes_tag_keys_after_hash() -> None:
    found = preview("SELECT #", after=f" FROM {T}")
    assert [c.text for c in found] == ['"Cost Center"', "env", "owner", "region", "team"]
    assert all(c.kind == "tag key" for c in found)
    typed = preview(f"SELECT name FROM {T} WHERE #te")
    assert (typed[0].text, typed[0].start) == ("team", -2)
    quoted = preview('SELECT #"Co', after=f" FROM {T}")
    assert [(c.text, c.start) for c in quoted] == [('"Cost Center"', -3)]
    assert "team" not in texts("SELECT #", after=f" FROM {T}")  # the reference: no tags
