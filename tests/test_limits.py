"""Per-query resource limits (issue 8): time and memory, from the API and the CLI.

A runaway query stops at its limit with a message naming the limit, and the connection
answers the next query. Bad limit values are refused with a DDSQLError, not a traceback.
"""

from __future__ import annotations

import pytest

import ddsql_lite
from ddsql_lite import DDSQLError, QueryMemoryError, QueryTimeoutError
from ddsql_lite.cli import main

T = "aws.sagemaker_inference_experiment"
# 32 rows to the 8th power: about 10^12 rows to count, minutes on any machine, so a limit
# under a second is always reached however fast the machine is.
CROSS_JOIN_BOMB = "SELECT count(*) FROM " + ", ".join(f"{T} AS t{i}" for i in range(8))
# About a million concatenated ARNs (some 400 MB) gathered into one array.
MEMORY_HOG = (
    "SELECT cardinality(array_agg(a.arn || b.arn || c.arn || d.arn)) "
    f"FROM {T} AS a, {T} AS b, {T} AS c, {T} AS d"
)
COUNT = f"SELECT count(*) FROM {T}"


def test_cross_join_bomb_stops_at_the_time_limit() -> None:
    with ddsql_lite.connect(timeout=0.3) as con:
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.3 s"):
            con.sql(CROSS_JOIN_BOMB)
        assert con.sql(COUNT).fetchall() == [(32,)]


def test_per_query_timeout_overrides_the_connection() -> None:
    with ddsql_lite.connect() as con:
        with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.2 s"):
            con.sql(CROSS_JOIN_BOMB, timeout=0.2)
        assert con.sql(COUNT).fetchall() == [(32,)]


def test_memory_hog_stops_at_the_memory_limit() -> None:
    with ddsql_lite.connect(memory_limit="50MB", timeout=20) as con:
        with pytest.raises(QueryMemoryError, match="memory limit of 50MB"):
            con.sql(MEMORY_HOG)
        assert con.sql(COUNT).fetchall() == [(32,)]


@pytest.mark.parametrize("limit", ["banana", "0", "1KB"])
def test_bad_memory_limit_is_a_clear_error(limit: str) -> None:
    with pytest.raises(DDSQLError, match="memory_limit"):
        ddsql_lite.connect(memory_limit=limit)


def test_cli_limits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-c", CROSS_JOIN_BOMB, "--timeout", "0.3"]) == 1
    assert "time limit of 0.3 s" in capsys.readouterr().err
    assert main(["-c", MEMORY_HOG, "--memory-limit", "50MB"]) == 1
    assert "memory limit of 50MB" in capsys.readouterr().err
    assert main(["-c", COUNT, "--memory-limit", "banana"]) == 1
    assert "memory_limit 'banana' is not valid" in capsys.readouterr().err
    assert main(["-c", COUNT, "--timeout", "5", "--memory-limit", "200MB"]) == 0
