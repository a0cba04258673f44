"""Fixture load benchmark: one fixture file through ``read_fixtures``, in its own process.

Run by :mod:`benchmarks.run` as ``python -m benchmarks.loadbench FIXTURE [ARROW_OUT]`` so
that the peak resident memory it reports (``ru_maxrss``) is the load's alone. Prints one
JSON object: ``rows``, ``bytes`` (file size), ``seconds`` (the ``read_fixtures`` call),
``records_per_second``, ``peak_rss_bytes`` and ``baseline_rss_bytes`` (after the imports,
before the load). With ``ARROW_OUT`` the table is written there as Arrow IPC, for the
caller to memory-map instead of loading again.

``python -m benchmarks.loadbench --profile FIXTURE`` instead prints where the fast path
spends its CPU time: DuckDB's profile of the generated query on one thread, stage by
stage, and the Arrow work after it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from ddsql_lite.loaders.fixtures import read_fixtures
from ddsql_lite.loaders.vectorized import fast_query, loader_connection, pairs_to_map, plan_for
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


def _cpu_seconds(con: Any, sql: str) -> float:
    started = time.process_time()
    con.execute(sql).fetchall()
    return time.process_time() - started


def profile(fixture: Path) -> dict[str, Any]:
    """CPU seconds per stage of the fast path for ``fixture``, DuckDB on one thread.

    Each stage of the generated query is run on its own, its every column consumed
    (``sum(hash(COLUMNS(*)))``), so the differences between the runs are the stages'
    costs; then the whole query with its Arrow result, and the Arrow grouping of tags.
    """
    table_spec = load_registry().get(TABLE_NAME)
    plan = plan_for(table_spec)
    assert plan is not None
    con = loader_connection()
    try:
        con.execute("SET threads = 1")
        query = fast_query(con, fixture, plan)
        assert query is not None, "the file does not take the fast path"
        ctes = query.split(", checked AS (")[0]  # WITH src ..., parsed ..., built ...
        upto = {
            name: _cpu_seconds(con, f"{ctes} SELECT sum(hash(COLUMNS(*))) FROM {name}")
            for name in ("src", "parsed", "built")
        }
        started = time.process_time()
        table = con.sql(query).to_arrow_table()
        whole = time.process_time() - started
    finally:
        con.close()
    tags = next(c.name for c in table_spec.columns if c.type.name == "hstore_csv")
    map_type = table_spec.arrow_schema().field(tags).type
    pairs_to_map(table.column(tags).slice(0, 10), map_type)  # once per process: kernel set-up
    started = time.process_time()
    pairs_to_map(table.column(tags), map_type)
    grouping = time.process_time() - started
    stages = {
        "read_json: parse the file, decode context": upto["src"],
        "json_transform: parse the JSON members": upto["parsed"] - upto["src"],
        "build JSON text, timestamps, tag pairs": upto["built"] - upto["parsed"],
        "checks, output columns, Arrow result": whole - upto["built"],
        "Arrow: group tag pairs into maps": grouping,
    }
    return {"rows": table.num_rows, "stages": stages}


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
