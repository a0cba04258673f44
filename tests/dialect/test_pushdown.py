"""Pushdown of narrowing predicates into ListInferenceExperiments: the pure rule table,
and the answer being identical with and without pushdown against the fake endpoint."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite.cli import main
from ddsql_lite.loaders.mapping.values import api_timestamp
from tests.support.aws_helpers import ACCOUNT_A, REGIONS, StartFake, pick, pushdown

T = "aws.sagemaker_inference_experiment"
UTC = timezone.utc


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


RULES: list[tuple[str, dict[str, Any]]] = [
    (f"SELECT * FROM {T} WHERE status = 'Running'", {"StatusEquals": "Running"}),
    (f"SELECT * FROM {T} WHERE 'Completed' = status", {"StatusEquals": "Completed"}),
    (f"SELECT * FROM {T} WHERE status = 'running'", {}),  # not an enum value: matches nothing
    (f"SELECT * FROM {T} WHERE type = 'ShadowMode'", {"Type": "ShadowMode"}),
    (f"SELECT * FROM {T} WHERE name LIKE '%fraud%'", {"NameContains": "fraud"}),
    (f"SELECT * FROM {T} WHERE name LIKE 'fraud-xgb%v1_'", {"NameContains": "fraud-xgb"}),
    (f"SELECT * FROM {T} WHERE name = 'fraud-xgb-v3'", {"NameContains": "fraud-xgb-v3"}),
    (f"SELECT * FROM {T} WHERE name LIKE '%fr aud%'", {}),  # not a name character
    (f"SELECT * FROM {T} WHERE name LIKE '%'", {}),
    (f"SELECT * FROM {T} WHERE name ILIKE '%fraud%'", {}),
    (f"SELECT * FROM {T} WHERE name NOT LIKE '%fraud%'", {}),
    (f"SELECT * FROM {T} WHERE name LIKE '%a\\_b%'", {}),
    (f"SELECT * FROM {T} WHERE name LIKE '%a!_b%' ESCAPE '!'", {}),
    (
        f"SELECT * FROM {T} WHERE creation_time > '2025-03-01'",
        {"CreationTimeAfter": at(2025, 2, 28, 23, 59, 59)},
    ),
    (
        f"SELECT * FROM {T} WHERE creation_time >= TIMESTAMP '2025-03-01 12:30:15.5'",
        {"CreationTimeAfter": at(2025, 3, 1, 12, 30, 14)},
    ),
    (f"SELECT * FROM {T} WHERE last_modified_time > DATE '2025-03-01'", {}),
    (f"SELECT * FROM {T} WHERE creation_time NOT BETWEEN '2025-01-01' AND '2025-02-01'", {}),
    (f"SELECT * FROM {T} WHERE creation_time BETWEEN SYMMETRIC '2025-02-01' AND '2025-01-01'", {}),
    (f"SELECT * FROM {T} WHERE creation_time > CAST('2025-03-01' AS timestamp(0))", {}),
    (
        f"SELECT * FROM {T} WHERE '2025-03-01'::timestamp < last_modified_time",
        {"LastModifiedTimeAfter": at(2025, 2, 28, 23, 59, 59)},
    ),
    (
        f"SELECT * FROM {T} WHERE creation_time < '2025-03-01T00:00:00Z'",
        {"CreationTimeBefore": at(2025, 3, 1, 0, 0, 2)},
    ),
    (f"SELECT * FROM {T} WHERE creation_time > '2025-03-01T00:00:00+02:00'", {}),
    (f"SELECT * FROM {T} WHERE creation_time > CAST('2025-03-01' AS timestamptz)", {}),
    (
        f"SELECT * FROM {T} WHERE creation_time BETWEEN '2025-01-01' AND '2025-02-01'",
        {
            "CreationTimeAfter": at(2024, 12, 31, 23, 59, 59),
            "CreationTimeBefore": at(2025, 2, 1, 0, 0, 2),
        },
    ),
    (
        f"SELECT * FROM {T} WHERE creation_time > '2025-01-01' AND creation_time > '2025-02-01'",
        {"CreationTimeAfter": at(2025, 1, 31, 23, 59, 59)},
    ),
    (f"SELECT * FROM {T} WHERE creation_time > now() - interval '1 day'", {}),
    (f"SELECT * FROM {T} WHERE creation_time > :since", {}),
    (f"SELECT * FROM {T} WHERE creation_time > '2025-13-01'", {}),
    (f"SELECT * FROM {T} WHERE status = 'Running' OR name LIKE '%x%'", {}),
    (f"SELECT * FROM {T} WHERE NOT status = 'Running'", {}),
    (
        f"SELECT * FROM {T} WHERE (status = 'Running' AND name LIKE '%x%') AND type = 'ShadowMode'",
        {"StatusEquals": "Running", "NameContains": "x", "Type": "ShadowMode"},
    ),
    (
        f"SELECT * FROM {T} WHERE status = 'Running' AND description = 'x'",
        {"StatusEquals": "Running"},
    ),
    (f"SELECT * FROM {T} WHERE \"Status\" = 'Running'", {}),
    (f"SELECT * FROM {T} WHERE \"status\" = 'Running'", {"StatusEquals": "Running"}),
    (
        "SELECT * FROM aws_sagemaker_inference_experiment e WHERE e.status = 'Running'",
        {"StatusEquals": "Running"},
    ),
    (
        f"SELECT type, count(*) FROM {T} WHERE status = 'Running' GROUP BY type "
        "HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 3",
        {"StatusEquals": "Running"},
    ),
    (f"SELECT * FROM {T} a JOIN {T} b USING (name) WHERE a.status = 'Running'", {}),
    (f"WITH x AS (SELECT * FROM {T}) SELECT * FROM x WHERE status = 'Running'", {}),
    (
        f"SELECT * FROM {T} WHERE status = 'Running' AND name IN "
        f"(SELECT name FROM {T} WHERE status = 'Completed')",
        {},
    ),
    (f"SELECT (SELECT count(*) FROM {T}) FROM {T} WHERE status = 'Running'", {}),
    (f"SELECT name FROM {T} WHERE status = 'Running' UNION ALL SELECT name FROM {T}", {}),
    (f"SELECT * FROM {T}, unnest(akeys(tags)) k WHERE status = 'Running'", {}),
    ("SELECT * FROM other_table WHERE status = 'Running'", {}),
    (f"SELECT * FROM {T} AS x(status) WHERE status = 'Running'", {}),  # _key renamed
    (f"SELECT * FROM {T} AS x WHERE x.status = 'Running'", {"StatusEquals": "Running"}),
    ("SELEC nonsense", {}),
    (f"SELECT * FROM {T} WHERE status = 'Running'; SELECT 1", {}),
]


@pytest.mark.parametrize(("sql", "expected"), RULES)
def test_rule(sql: str, expected: dict[str, Any]) -> None:
    assert pushdown(sql) == expected


def _boundary_queries(records: list[dict[str, Any]]) -> list[str]:
    """Comparisons exactly at an experiment's own timestamps (where a strict service
    bound and an inclusive query bound differ)."""
    stamp = api_timestamp(records[3]["experiment"]["CreationTime"], "")
    modified = api_timestamp(records[5]["experiment"]["LastModifiedTime"], "")
    c, m = stamp.isoformat(sep=" "), modified.isoformat(sep=" ")
    return [
        f"SELECT name FROM {T} WHERE creation_time >= '{c}' ORDER BY name",
        f"SELECT name FROM {T} WHERE creation_time <= TIMESTAMP '{c}' ORDER BY name",
        f"SELECT name FROM {T} WHERE last_modified_time BETWEEN '{m}' AND '{m}' ORDER BY name",
    ]


QUERIES = [
    f"SELECT name, status FROM {T} WHERE status = 'Running' ORDER BY name",
    f"SELECT name FROM {T} WHERE name LIKE '%fraud%' ORDER BY name",
    f"SELECT name FROM {T} WHERE name LIKE '%FRAUD%' ORDER BY name",
    f"SELECT name FROM {T} WHERE name LIKE 'churn-lgbm-v_%' AND status = 'Completed' ORDER BY 1",
    f"SELECT count(*) FROM {T} WHERE creation_time > '2025-06-01' "
    "AND last_modified_time > '2025-07-01'",
    f"SELECT status, count(*) FROM {T} WHERE creation_time BETWEEN '2025-02-01' AND "
    "'2025-09-30 12:00' GROUP BY 1 ORDER BY 1",
    f"SELECT name FROM {T} WHERE type = 'ShadowMode' AND last_modified_time < "
    "TIMESTAMP '2025-05-01' ORDER BY name",
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "semantics",
    [{}, {"case_sensitive_names": True, "inclusive_times": True}],
    ids=["insensitive-strict", "sensitive-inclusive"],
)
def test_same_answer_with_and_without_pushdown(
    start_fake: StartFake, semantics: dict[str, bool]
) -> None:
    records = pick([ACCOUNT_A], REGIONS[:2], 15)
    fake = start_fake(records, **semantics)
    # few threads: the fake shares this process's GIL with the loader
    options = {
        "source": "aws",
        "regions": list(REGIONS[:2]),
        "endpoint_url": fake.url,
        "max_workers": 2,
    }
    full = ddsql_lite.connect(**options)  # type: ignore[arg-type]
    narrowed_somewhere, answered = False, 0
    for sql in QUERIES + _boundary_queries(records):
        filters = pushdown(sql)
        assert filters, sql
        before = fake.served["DescribeInferenceExperiment"]
        with ddsql_lite.connect(**options, pushdown=sql) as pushed:  # type: ignore[arg-type]
            described = fake.served["DescribeInferenceExperiment"] - before
            answer = full.sql(sql).fetchall()
            assert pushed.sql(sql).fetchall() == answer, sql
            answered += answer not in ([], [(0,)])
            narrowed_somewhere |= described < len(records)
            assert pushed.load_report().rows == described
    assert narrowed_somewhere and answered >= 7  # most queries have rows to lose
    assert any("StatusEquals" in p for p in fake.list_params)


def test_cli_pushes_down_and_answers_the_same(
    start_fake: StartFake, capsys: pytest.CaptureFixture[str]
) -> None:
    records = pick([ACCOUNT_A], REGIONS[:1], 30)
    fake = start_fake(records)
    sql = f"SELECT name, status FROM {T} WHERE status = 'Running' AND name LIKE '%-v%' ORDER BY 1"
    argv = [
        "-c",
        sql,
        "--format",
        "csv",
        "--source",
        "aws",
        "--region",
        REGIONS[0],
        "--endpoint-url",
        fake.url,
        "--max-workers",
        "4",
    ]
    assert main(argv) == 0
    pushed_out, err = capsys.readouterr()
    assert {"StatusEquals": "Running", "MaxResults": 100}.items() <= fake.list_params[-1].items()
    assert fake.list_params[-1]["NameContains"] == "-v"
    running = sum(1 for r in records if r["experiment"]["Status"] == "Running")
    assert f"loaded {running} rows from 1 region in 1 account" in err
    with ddsql_lite.connect(
        source="aws", regions=[REGIONS[0]], endpoint_url=fake.url, max_workers=4
    ) as con:
        assert con.load_report().rows == len(records)
        expected = con.sql(sql).fetchall()
    assert pushed_out.splitlines() == ["name,status", *[f"{n},{s}" for n, s in expected]]
