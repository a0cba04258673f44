"""The PostgreSQL 15 helper of the test suite (``tests/support/pg_oracle.py``), for the benchmarks.

The suite's private server (:class:`PostgresServer`), query runner and result comparison
are reused as they are, so the benchmark's PostgreSQL figures and answer checks are the
ones the oracle tests trust.
"""

from __future__ import annotations

from tests.support.pg_oracle import (
    COLUMNS,
    PostgresServer,
    PostgresUnavailable,
    compare_results,
    hstore_from_map,
    query_is_ordered,
    run,
)

__all__ = [
    "COLUMNS",
    "PostgresServer",
    "PostgresUnavailable",
    "compare_results",
    "hstore_from_map",
    "query_is_ordered",
    "run",
]
