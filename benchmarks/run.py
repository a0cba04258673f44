"""Run the ddsql_lite benchmarks (issue 7) and write ``benchmarks/RESULTS.md``.

    .venv/bin/python -m benchmarks.run              # 10k, 100k and 1M rows: several minutes
    .venv/bin/python -m benchmarks.run --tiny       # a few seconds; the test suite runs it
    .venv/bin/python -m benchmarks.run --sizes 10000,100000 --output /tmp/RESULTS.md

What it measures, on ``synthetic(n, seed)`` records (each size a prefix of the largest):

1. translation time per corpus query, new text (cache missed) and repeated;
2. the corpus end to end in ddsql_lite, as hand-written DuckDB SQL over the very same
   Arrow table, and in PostgreSQL 15 over the same rows; the answers are compared;
3. the fixture load: the largest size written once as ``.jsonl`` (and up to 100,000
   records as ``.json``), each loaded by ``read_fixtures`` in a fresh process (records/s,
   peak RSS); the loaded table is the one the other figures use;
4. the AWS loader against the fake endpoint (``benchmarks/bench_aws_loader.py``);
5. start-up: ``ddsql -c`` on the bundled data against importing DuckDB, pyarrow and
   sqlglot, and the shell's first prompt (``benchmarks/startup.py``);
6. the server: the corpus from 1 and 8 concurrent psycopg clients through ``ddsql
   serve``, beside ``connect().sql()`` on as many threads, at 10,000 rows
   (``benchmarks/server.py``; ``python -m benchmarks.server`` runs it alone).

PostgreSQL is required unless ``--no-postgres`` is given. Exit status 0, or 1 with
``--check`` when a measured target is not met.
"""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import json
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ddsql_lite.connection import Connection
from ddsql_lite.dialect import Translator
from ddsql_lite.loaders import synthetic
from ddsql_lite.loaders.mapping.to_arrow import records_to_table
from ddsql_lite.registry import Registry, load_registry

from . import bench_aws_loader
from .corpus import CORPUS, TABLE, Query
from .figures import Load, LoadProfile, QueryTime, Results, SizeRun, Translation, targets
from .notes import notes
from .oracle import PostgresServer, compare_results, hstore_from_map, query_is_ordered, run
from .pgload import load_table
from .report import render
from .server import measure_server
from .startup import measure_startup
from .timing import ROOT, load_average, machine, median, p99, timed, versions

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
TINY_SIZES = (500, 2_000)
JSON_LOAD_ROWS = 100_000
SERVER_ROWS = 10_000  # the corpus size the server's figures use (--tiny: 500)


@dataclass(frozen=True)
class Settings:
    """What to run: table sizes, how often, where the report goes."""

    sizes: tuple[int, ...]
    seed: int
    output: Path
    postgres: bool
    tiny: bool
    command: str

    def runs(self, rows: int) -> int:
        if self.tiny:
            return 3
        return 15 if rows <= 20_000 else 7 if rows <= 200_000 else 5

    def postgres_runs(self, rows: int) -> int:
        if self.tiny:
            return 2
        return 5 if rows <= 20_000 else 3 if rows <= 200_000 else 2

    @property
    def startup_runs(self) -> int:
        return 3 if self.tiny else 21

    @property
    def translation_runs(self) -> tuple[int, int]:
        """(new, repeated) translations per query."""
        return (5, 20) if self.tiny else (40, 400)


def parse_args(argv: Sequence[str] | None) -> tuple[Settings, bool]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        help="table sizes, comma separated (default 10000,100000,1000000; with --tiny 500,2000)",
    )
    parser.add_argument("--tiny", action="store_true", help="small sizes and few runs")
    parser.add_argument("--seed", type=int, default=7, help="synthetic data seed (default 7)")
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "benchmarks" / "RESULTS.md",
        help="where to write the report (default benchmarks/RESULTS.md)",
    )
    parser.add_argument(
        "--no-postgres",
        action="store_true",
        help="skip PostgreSQL (otherwise it must be available)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is not met")
    args = parser.parse_args(argv)
    if args.sizes:
        sizes = tuple(sorted({int(s.replace("_", "")) for s in args.sizes.split(",")}))
    else:
        sizes = TINY_SIZES if args.tiny else DEFAULT_SIZES
    given = list(sys.argv[1:] if argv is None else argv)
    command = " ".join(["python -m benchmarks.run", *map(shlex.quote, given)])
    settings = Settings(sizes, args.seed, args.output, not args.no_postgres, args.tiny, command)
    return settings, args.check


def main(argv: Sequence[str] | None = None) -> int:
    settings, check = parse_args(argv)
    results = run_benchmarks(settings)
    settings.output.write_text(render(results))
    print(f"wrote {settings.output}")
    for target in targets(results):
        status = {True: "met", False: "NOT MET", None: "not measured"}[target.met]
        print(f"  {target.name}: {target.measured} ({target.wanted}): {status}")
    missed = [t for t in targets(results) if t.met is False]
    return 1 if check and missed else 0


def run_benchmarks(settings: Settings) -> Results:
    """Every measurement; see the module docstring."""
    registry = load_registry()
    table_spec = registry.get(TABLE)
    server = PostgresServer() if settings.postgres else None
    with tempfile.TemporaryDirectory(prefix="ddsql-bench-") as tmp:
        workdir = Path(tmp)
        try:
            if server is not None:
                server.start()
            results = Results(
                command=settings.command,
                date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                machine=machine(),
                versions=versions(server.bindir if server else None),
                seed=settings.seed,
            )
            log("start-up")  # first, on a machine not yet busy with the other figures
            results.startup = measure_startup(settings.startup_runs)
            log(f"synthetic({max(settings.sizes):,}, seed={settings.seed}) -> fixture files")
            files = write_fixtures(max(settings.sizes), settings.seed, workdir)
            log("fixture loads (fresh processes)")
            results.loads = [
                measure_load(path, layout, workdir) for layout, path in files if layout != "profile"
            ]
            results.load_profile = profile_load(dict(files)["profile"])
            table = pa.ipc.open_file(pa.memory_map(str(workdir / "table.arrow"))).read_all()
            log("translation")
            results.translations = measure_translation(registry, settings)
            for rows in settings.sizes:
                log(f"corpus at {rows:,} rows")
                results.sizes.append(
                    measure_size(
                        registry, table_spec, table.slice(0, rows), settings, server, workdir
                    )
                )
            del table
            gc.collect()
            log("server: 1 and 8 psycopg clients")
            server_rows = 500 if settings.tiny else SERVER_ROWS
            results.server = measure_server(
                server_rows, settings.seed, 1 if settings.tiny else 3, workdir
            )
        finally:
            if server is not None:
                server.stop()
    log("AWS loader")
    measure_aws(results, settings)
    results.load_average_end = load_average()
    results.notes = notes(results)
    return results


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----------------------------------------------------------------- data and loads


def write_fixtures(rows: int, seed: int, workdir: Path) -> list[tuple[str, Path]]:
    """``synthetic(rows, seed)`` as a ``.jsonl`` fixture and, for up to
    :data:`JSON_LOAD_ROWS` records, as a ``.json`` array and a ``.jsonl`` to profile
    (all in the format ``write_fixtures`` records: compact JSON, a record a line)."""
    records = synthetic(rows, seed)
    jsonl = workdir / "synthetic.jsonl"
    array = workdir / "synthetic.json"
    head_jsonl = workdir / "profile.jsonl"
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = min(rows, JSON_LOAD_ROWS)
    with (
        jsonl.open("w", encoding="utf-8") as out,
        array.open("w", encoding="utf-8") as arr,
        head_jsonl.open("w", encoding="utf-8") as part,
    ):
        arr.write("[\n")
        for index, record in enumerate(records):
            line = encode(record)
            out.write(line + "\n")
            if index < head:
                arr.write(line + (",\n" if index < head - 1 else "\n"))
                part.write(line + "\n")
        arr.write("]\n")
    del records
    gc.collect()
    return [("jsonl", jsonl), ("json", array), ("profile", head_jsonl)]


def measure_load(path: Path, layout: str, workdir: Path) -> Load:
    """Load ``path`` with ``read_fixtures`` in a fresh process (the ``.jsonl`` load also
    writes the table to ``workdir/table.arrow``)."""
    command = [sys.executable, "-m", "benchmarks.loadbench", str(path)]
    if layout == "jsonl":
        command.append(str(workdir / "table.arrow"))
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"fixture load of {path} failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Load(
        layout=layout,
        file=path.name,
        rows=int(figures["rows"]),
        bytes=int(figures["bytes"]),
        seconds=float(figures["seconds"]),
        peak_rss_bytes=int(figures["peak_rss_bytes"]),
        baseline_rss_bytes=int(figures["baseline_rss_bytes"]),
    )


def profile_load(path: Path) -> LoadProfile:
    """CPU per stage of the fast path on ``path`` (``loadbench --profile``)."""
    command = [sys.executable, "-m", "benchmarks.loadbench", "--profile", str(path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"profiling the load of {path} failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return LoadProfile(int(figures["rows"]), {k: float(v) for k, v in figures["stages"].items()})


# ----------------------------------------------------------------- translation


def measure_translation(registry: Registry, settings: Settings) -> list[Translation]:
    """Per corpus query: new text (a unique comment defeats the cache) and repeated."""
    new_runs, repeated_runs = settings.translation_runs
    translator = Translator(registry)
    found = []
    prefixes = (f"/* benchmark {n} */ " for n in itertools.count())
    for query in CORPUS:
        translator.translate(query.ddsql)  # warm: imports, first-use caches
        new = timed(functools.partial(_new_text, translator, prefixes, query.ddsql), runs=new_runs)
        repeated = timed(functools.partial(translator.translate, query.ddsql), runs=repeated_runs)
        found.append(
            Translation(
                query.name,
                1e3 * median(new),
                1e3 * p99(new),
                1e3 * median(repeated),
                1e3 * p99(repeated),
            )
        )
    return found


def _new_text(translator: Translator, prefixes: Iterator[str], text: str) -> None:
    translator.translate(next(prefixes) + text)


# ----------------------------------------------------------------- corpus end to end


def measure_size(
    registry: Registry,
    table_spec: Any,
    data: pa.Table,
    settings: Settings,
    server: PostgresServer | None,
    workdir: Path,
) -> SizeRun:
    """The corpus at ``data.num_rows`` rows in ddsql_lite, plain DuckDB and PostgreSQL."""
    rows = data.num_rows
    tables = {t: data if t is table_spec else records_to_table([], t) for t in registry}
    started = time.perf_counter()
    con = Connection(tables, registry)
    engine_load = time.perf_counter() - started
    plain = duckdb.connect()
    plain.register("t", data)
    native = duckdb.connect()
    native.register("arrow_rows", data)
    native.execute("CREATE TABLE t AS SELECT * FROM arrow_rows")
    native.unregister("arrow_rows")
    pg_load = None
    if server is not None:
        pg_load = load_table(server.conn, data, workdir)
    size = SizeRun(
        rows,
        engine_load,
        pg_load,
        settings.runs(rows),
        settings.postgres_runs(rows) if server else 0,
    )
    try:
        for query in CORPUS:
            size.queries.append(measure_query(query, con, plain, native, server, settings, rows))
    finally:
        con.close()
        plain.close()
        native.close()
    return size


def measure_query(
    query: Query,
    con: Connection,
    plain: duckdb.DuckDBPyConnection,
    native: duckdb.DuckDBPyConnection,
    server: PostgresServer | None,
    settings: Settings,
    rows: int,
) -> QueryTime:
    runs = settings.runs(rows)
    ddsql = timed(lambda: con.sql(query.ddsql), runs=runs)
    duck = timed(lambda: plain.sql(query.duckdb).to_arrow_table(), runs=runs)
    duck_native = timed(lambda: native.sql(query.duckdb).to_arrow_table(), runs=runs)
    translate = timed(lambda: con.translate(query.ddsql), runs=runs)
    ours = _rows(con.sql(query.ddsql))
    ordered = query_is_ordered(query.ddsql)
    theirs = plain.sql(query.duckdb).fetchall()
    same_duck = compare_results(theirs, ours, ordered=ordered)
    pg_time = None
    same_pg = "-"
    if server is not None:
        samples = timed(lambda: run(server.conn, query.postgres), runs=settings.postgres_runs(rows))
        pg_time = 1e3 * median(samples)
        _, pg_rows = run(server.conn, query.postgres)
        diff = compare_results(pg_rows, ours, ordered=ordered)
        same_pg = "yes" if diff is None else _short(diff)
    return QueryTime(
        query=query.name,
        ddsql=1e3 * median(ddsql),
        duckdb=1e3 * median(duck),
        duckdb_native=1e3 * median(duck_native),
        postgres=pg_time,
        same_as_duckdb="yes" if same_duck is None else _short(same_duck),
        same_as_postgres=same_pg,
        translation_share=median(translate) / median(ddsql),
    )


def _rows(result: Any) -> list[tuple[Any, ...]]:
    """A ddsql_lite result's rows, tag maps as the hstore PostgreSQL holds."""
    types = result.types
    return [
        tuple(hstore_from_map(v) if t == "HSTORE" else v for v, t in zip(row, types))
        for row in result.fetchall()
    ]


def _short(diff: str) -> str:
    return "no: " + diff.splitlines()[0].replace("|", "/")[:80]


# ----------------------------------------------------------------- AWS loader


def measure_aws(results: Results, settings: Settings) -> None:
    """The AWS loader figures from ``bench_aws_loader.py`` (its ``--tiny`` with --tiny)."""
    if settings.tiny:
        figures = bench_aws_loader.run(regions=2, per_region=15, latency=0.010)
    else:
        figures = bench_aws_loader.run()
    results.aws = figures
    results.aws_text = bench_aws_loader.format_figures(figures)
    # its targets are for the full-size run; a tiny run only shows the harness works
    results.aws_on_target = None if settings.tiny else bench_aws_loader.on_target(figures)


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl-C: the private PostgreSQL and the temporary files go
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
