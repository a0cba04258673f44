"""Fixture load benchmark: one fixture file through ``read_fixtures``, in its own process.

Run by :mod:`benchmarks.run` as ``python -m benchmarks.loadbench FIXTURE [ARROW_OUT]`` so
that the peak resident memory it reports (``ru_maxrss``) is the load's alone. Prints one
JSON object: ``rows``, ``bytes`` (file size), ``seconds`` (the ``read_fixtures`` call),
``records_per_second``, ``peak_rss_bytes`` and ``baseline_rss_bytes`` (after the imports,
before the load). With ``ARROW_OUT`` the table is written there as Arrow IPC, for the
caller to memory-map instead of loading again.

``python -m benchmarks.loadbench --profile FIXTURE`` instead prints where the fast path
spends its CPU time, stage by stage, DuckDB on one thread (:func:`profile`).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from ddsql_lite.loaders.fast.file_reader import (
    BATCH_ROWS,
    MemberColumn,
    collect,
    convert_distinct,
    fast_query,
    loader_connection,
    plan_for,
    spread,
)
from ddsql_lite.loaders.fast.fixture_loader import read_fixtures
from ddsql_lite.registry import load_registry

TABLE_NAME = "aws.sagemaker_inference_experiment"


def peak_rss_bytes() -> int:
    """This process's peak resident set size (Linux reports kB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def current_rss_bytes() -> int:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return peak_rss_bytes()


def measure(fixture: Path, arrow_out: Path | None = None) -> dict[str, float]:
    table_spec = load_registry().get(TABLE_NAME)
    plan_for(table_spec)  # the generated SQL is built once per process; not the load
    baseline = current_rss_bytes()
    started = time.perf_counter()
    table = read_fixtures(fixture, table_spec)
    seconds = time.perf_counter() - started
    figures = {
        "rows": table.num_rows,
        "bytes": fixture.stat().st_size,
        "seconds": seconds,
        "records_per_second": table.num_rows / seconds if seconds else 0.0,
        "peak_rss_bytes": peak_rss_bytes(),
        "baseline_rss_bytes": baseline,
    }
    if arrow_out is not None:
        with pa.OSFile(str(arrow_out), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table, max_chunksize=65536)
    return figures


def profile(fixture: Path) -> dict[str, Any]:
    """CPU seconds per stage of the fast path for ``fixture``, DuckDB on one thread.

    The record query runs to an Arrow table first, so that DuckDB's share is measured on
    its own; then its batches are gathered (raw member texts dictionary-encoded), the
    member queries convert the distinct texts, and Arrow hands the values to the rows
    (the last two split as for a file whose distinct texts fit one segment).
    ``distinct`` is how many distinct raw texts each member column has.
    """
    table_spec = load_registry().get(TABLE_NAME)
    schema = table_spec.arrow_schema()
    plan = plan_for(table_spec)
    assert plan is not None
    con = loader_connection()
    try:
        con.execute("SET threads = 1")
        query = fast_query(con, fixture, plan)
        assert query is not None, "the file does not take the fast path"
        started = time.process_time()
        records = con.sql(query).to_arrow_table()
        record_query = time.process_time() - started
        started = time.process_time()
        columns = [MemberColumn(m, schema.field(m.column).type, con) for m in plan.members]
        collect(records.to_reader(BATCH_ROWS), schema, plan, columns)
        encoded = [column.texts.encoded() for column in columns]
        encoding = time.process_time() - started
        started = time.process_time()
        converted = [
            convert_distinct(con, distinct, column.plan, column.kind)
            for column, (distinct, _) in zip(columns, encoded)
        ]
        members = time.process_time() - started
    finally:
        con.close()
    started = time.process_time()
    for (values, flags), (_, indices) in zip(converted, encoded):
        spread(values, indices)
        spread(flags, indices)
    spreading = time.process_time() - started
    stages = {
        "read_json + record query (strings, timestamps, checks, raw texts)": record_query,
        "Arrow: gather batches, dictionary-encode raw member texts": encoding,
        "member queries, once per distinct raw text (JSON columns, tags)": members,
        "Arrow: member values back to every row (take)": spreading,
    }
    distinct = {c.plan.column: len(d) for c, (d, _) in zip(columns, encoded)}
    return {"rows": records.num_rows, "stages": stages, "distinct": distinct}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--profile"] and len(argv) == 2:
        print(json.dumps(profile(Path(argv[1]))))
        return 0
    if not 1 <= len(argv) <= 2:
        print("usage: python -m benchmarks.loadbench FIXTURE [ARROW_OUT]", file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) == 2 else None
    print(json.dumps(measure(Path(argv[0]), out)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
