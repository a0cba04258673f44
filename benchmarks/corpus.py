"""The benchmark corpus: representative DDSQL queries, each asked three ways.

Every :class:`Query` is one question asked of ``aws.sagemaker_inference_experiment``:

- ``ddsql``: the DDSQL a user pastes from the Datadog DDSQL Editor (run by ddsql_lite);
- ``duckdb``: what an expert would write by hand in DuckDB over the same Arrow table,
  registered as ``t`` (JSON columns are VARCHAR there, ``tags`` is
  ``MAP(VARCHAR, VARCHAR[])``);
- ``postgres``: the question in PostgreSQL 15 over the same rows (``json`` and ``hstore``
  columns); the DDSQL text itself unless DDSQL spells it differently.

All three must give the same answer (the harness checks it). The queries cover tag
lookups and grouping, JSON paths and arrows, ``json_array_elements``, window functions,
a join, aggregates and timestamp filters.
"""

from __future__ import annotations

from dataclasses import dataclass

TABLE = "aws.sagemaker_inference_experiment"


@dataclass(frozen=True)
class Query:
    """One question, as DDSQL, hand-written DuckDB SQL and PostgreSQL SQL."""

    name: str
    what: str
    ddsql: str
    duckdb: str
    pg: str | None = None

    @property
    def postgres(self) -> str:
        return self.pg or self.ddsql


T = TABLE
CORPUS: tuple[Query, ...] = (
    Query(
        "tags_group",
        "tag lookup, grouped",
        f"SELECT tags->'team' AS team, count(*) AS n FROM {T} GROUP BY 1 ORDER BY n DESC, team",
        "SELECT array_to_string(tags['team'], ',') AS team, count(*) AS n FROM t"
        " GROUP BY 1 ORDER BY n DESC, team",
    ),
    Query(
        "tags_filter",
        "tag equality filter",
        f"SELECT account_id, count(*) AS n FROM {T} WHERE tags->'env' = 'prod'"
        " AND tags->'owner' IS NOT NULL GROUP BY account_id ORDER BY account_id",
        "SELECT account_id, count(*) AS n FROM t WHERE array_to_string(tags['env'], ',')"
        " = 'prod' AND tags['owner'] IS NOT NULL GROUP BY account_id ORDER BY account_id",
    ),
    Query(
        "tag_keys",
        "akeys: tag keys per experiment",
        f"SELECT cardinality(akeys(tags)) AS tag_keys, count(*) AS n FROM {T}"
        " GROUP BY 1 ORDER BY 1",
        "SELECT cardinality(tags) AS tag_keys, count(*) AS n FROM t GROUP BY 1 ORDER BY 1",
    ),
    Query(
        "json_path_text",
        "json_extract_path_text with an array index",
        "SELECT json_extract_path_text(shadow_mode_config, 'shadow_model_variants', '0',"
        f" 'sampling_percentage') AS pct, count(*) AS n FROM {T} GROUP BY 1 ORDER BY 1",
        "SELECT json_extract_string(shadow_mode_config,"
        " '$.shadow_model_variants[0].sampling_percentage') AS pct, count(*) AS n FROM t"
        " GROUP BY 1 ORDER BY 1",
    ),
    Query(
        "json_arrows",
        "-> and ->> on JSON, top 10",
        f"SELECT model_variants->0->>'model_name' AS production_model, count(*) AS n FROM {T}"
        " GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10",
        "SELECT json_extract_string(model_variants, '$[0].model_name') AS production_model,"
        " count(*) AS n FROM t GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10",
    ),
    Query(
        "json_filter",
        "JSON member filter and grouping",
        f"SELECT endpoint_metadata->>'endpoint_status' AS endpoint_status, count(*) AS n"
        f" FROM {T} WHERE data_storage_config->'content_type' IS NOT NULL GROUP BY 1"
        " ORDER BY 1",
        "SELECT json_extract_string(endpoint_metadata, '$.endpoint_status') AS"
        " endpoint_status, count(*) AS n FROM t WHERE json_extract(data_storage_config,"
        " '$.content_type') IS NOT NULL GROUP BY 1 ORDER BY 1",
    ),
    Query(
        "json_array_elements",
        "json_array_elements in FROM, grouped",
        "SELECT v->'infrastructure_config'->'real_time_inference_config'->>'instance_type'"
        f" AS instance_type, count(*) AS n FROM {T}, json_array_elements(model_variants) AS v"
        " GROUP BY 1 ORDER BY n DESC, 1",
        "SELECT json_extract_string(v,"
        " '$.infrastructure_config.real_time_inference_config.instance_type') AS"
        " instance_type, count(*) AS n FROM t, unnest(json_extract(model_variants, '$[*]'))"
        " AS u(v) GROUP BY 1 ORDER BY n DESC, 1",
    ),
    Query(
        "window_rank",
        "row_number per account, latest 3",
        "SELECT account_id, name, creation_time FROM (SELECT account_id, name,"
        " creation_time, row_number() OVER (PARTITION BY account_id ORDER BY creation_time"
        f" DESC, _key) AS rn FROM {T}) AS s WHERE rn <= 3 ORDER BY account_id, rn",
        "SELECT account_id, name, creation_time FROM (SELECT account_id, name,"
        " creation_time, row_number() OVER (PARTITION BY account_id ORDER BY creation_time"
        " DESC, _key) AS rn FROM t) AS s WHERE rn <= 3 ORDER BY account_id, rn",
    ),
    Query(
        "window_running",
        "monthly counts with a running total",
        "SELECT date_trunc('month', creation_time) AS month, count(*) AS n, sum(count(*))"
        f" OVER (ORDER BY date_trunc('month', creation_time)) AS running FROM {T}"
        " GROUP BY 1 ORDER BY 1",
        "SELECT date_trunc('month', creation_time) AS month, count(*) AS n, sum(count(*))"
        " OVER (ORDER BY date_trunc('month', creation_time)) AS running FROM t"
        " GROUP BY 1 ORDER BY 1",
    ),
    Query(
        "join",
        "join with an aggregated CTE",
        f"WITH per_account AS (SELECT account_id, count(*) AS experiments FROM {T}"
        " GROUP BY account_id) SELECT e.status, min(p.experiments) AS fewest,"
        f" max(p.experiments) AS most, count(*) AS n FROM {T} AS e JOIN per_account AS p"
        " ON e.account_id = p.account_id GROUP BY e.status ORDER BY e.status",
        "WITH per_account AS (SELECT account_id, count(*) AS experiments FROM t"
        " GROUP BY account_id) SELECT e.status, min(p.experiments) AS fewest,"
        " max(p.experiments) AS most, count(*) AS n FROM t AS e JOIN per_account AS p"
        " ON e.account_id = p.account_id GROUP BY e.status ORDER BY e.status",
    ),
    Query(
        "aggregates",
        "count, count distinct, min, max, avg per status",
        "SELECT status, count(*) AS n, count(DISTINCT role_arn) AS roles,"
        " min(creation_time) AS first, max(last_modified_time) AS last,"
        f" avg(length(name)) AS name_length FROM {T} GROUP BY status ORDER BY status",
        "SELECT status, count(*) AS n, count(DISTINCT role_arn) AS roles,"
        " min(creation_time) AS first, max(last_modified_time) AS last,"
        " avg(length(name)) AS name_length FROM t GROUP BY status ORDER BY status",
    ),
    Query(
        "percentile",
        "approx_percentile (exact median) of a duration",
        "SELECT status, approx_percentile(0.5) WITHIN GROUP (ORDER BY extract(day FROM"
        f" last_modified_time - creation_time)) AS median_days FROM {T} GROUP BY status"
        " ORDER BY status",
        "SELECT status, quantile_cont(date_part('day', last_modified_time - creation_time),"
        " 0.5) AS median_days FROM t GROUP BY status ORDER BY status",
        "SELECT status, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(day FROM"
        f" last_modified_time - creation_time)) AS median_days FROM {T} GROUP BY status"
        " ORDER BY status",
    ),
    Query(
        "time_filter",
        "timestamp range filter",
        f"SELECT count(*) AS n FROM {T} WHERE creation_time >= TIMESTAMP '2025-06-01"
        " 00:00:00' AND creation_time < TIMESTAMP '2025-07-01 00:00:00' AND"
        " completion_time IS NOT NULL",
        "SELECT count(*) AS n FROM t WHERE creation_time >= TIMESTAMP '2025-06-01 00:00:00'"
        " AND creation_time < TIMESTAMP '2025-07-01 00:00:00' AND completion_time IS NOT NULL",
    ),
    Query(
        "time_buckets",
        "date_trunc by week over a range, by status",
        "SELECT date_trunc('week', creation_time) AS week, status, count(*) AS n"
        f" FROM {T} WHERE creation_time BETWEEN TIMESTAMP '2025-03-01 00:00:00' AND"
        " TIMESTAMP '2025-05-01 00:00:00' GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT date_trunc('week', creation_time) AS week, status, count(*) AS n FROM t"
        " WHERE creation_time BETWEEN TIMESTAMP '2025-03-01 00:00:00' AND"
        " TIMESTAMP '2025-05-01 00:00:00' GROUP BY 1, 2 ORDER BY 1, 2",
    ),
    Query(
        "like_in",
        "LIKE and IN filters",
        f"SELECT status, count(*) AS n FROM {T} WHERE name LIKE 'fraud%' AND status IN"
        " ('Running', 'Completed', 'Cancelled') GROUP BY status ORDER BY status",
        "SELECT status, count(*) AS n FROM t WHERE name LIKE 'fraud%' AND status IN"
        " ('Running', 'Completed', 'Cancelled') GROUP BY status ORDER BY status",
    ),
)
