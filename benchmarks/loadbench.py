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
import shutil
import sys
import tempfile
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


def _stage(operator: dict[str, Any]) -> str:
    """A readable name for an operator of the generated query's plan."""
    kind = str(operator.get("type", "?"))
    text = json.dumps(operator.get("extra_info", {}))
    if kind == "TABLE_SCAN":
        return f"{str(operator.get('name', 'scan')).lower()}: parse the file into columns"
    if kind != "PROJECTION":
        return kind.lower()
    if "json_transform" in text:
        return "json_transform: parse the JSON members"
    if "list_sort" in text or "concat(" in text:
        return "build JSON text, timestamps, tag pairs"
    if "starts_with(account_id" in text or "contains(c" in text:
        return "fast-subset checks"
    if "json_object" in text:
        return "output columns"
    return "other projections"


def profile(fixture: Path) -> dict[str, Any]:
    """CPU seconds per stage of the fast path for ``fixture``, DuckDB on one thread."""
    table_spec = load_registry().get(TABLE_NAME)
    plan = plan_for(table_spec)
    assert plan is not None
    con = loader_connection()
    out = Path(tempfile.mkdtemp(prefix="ddsql-profile-")) / "profile.json"
    try:
        con.execute("SET threads = 1")
        query = fast_query(con, fixture, plan)
        assert query is not None, "the file does not take the fast path"
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute(f"PRAGMA profiling_output = '{out}'")
        reader = con.sql(query).to_arrow_reader(65536)
        batches = list(reader)
        con.execute("PRAGMA disable_profiling")
        tree = json.loads(out.read_text())
    finally:
        con.close()
        shutil.rmtree(out.parent, ignore_errors=True)
    stages: dict[str, float] = {}

    def walk(node: dict[str, Any]) -> None:
        name = _stage(node)
        stages[name] = stages.get(name, 0.0) + float(node.get("timing", 0.0))
        for child in node.get("children", []):
            walk(child)

    for node in tree.get("operator", []):
        walk(node)
    started = time.process_time()
    table = pa.Table.from_batches(batches)
    tags = next(c.name for c in table_spec.columns if c.type.name == "hstore_csv")
    pairs_to_map(table.column(tags), table_spec.arrow_schema().field(tags).type)
    stages["Arrow: group tag pairs into maps"] = time.process_time() - started
    stages["planning (bind + optimise)"] = float(tree.get("planner", {}).get("total_time", 0))
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
