"""The server's figures (issue 17): queries per second and p50/p99 latency of the
benchmark corpus sent by 1 and 8 concurrent psycopg clients to ``ddsql serve``, beside
the same queries through ``connect().sql()`` on as many threads.

The server runs as the real command (``ddsql serve --fixtures FILE --port 0``) in a
process of its own, over ``synthetic(rows, seed)`` written as a fixture; the clients are
threads of this process, each with its own connection (and, for the library, its own
``Connection.new_session()``). Each client runs the corpus ``rounds`` times after one
untimed round; latency is per query, from sending it to the last row read.

    .venv/bin/python -m benchmarks.server --rows 2000 --rounds 1   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import psycopg

import ddsql_lite
from ddsql_lite.loaders import synthetic

from .corpus import CORPUS
from .figures import ServerRun
from .timing import ROOT, median, p99

CLIENTS = (1, 8)


def measure_server(rows: int, seed: int, rounds: int, workdir: Path) -> list[ServerRun]:
    """The corpus through the wire and through the library, with each of
    :data:`CLIENTS` concurrent clients."""
    fixture = workdir / f"server-{rows}.jsonl"
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with fixture.open("w", encoding="utf-8") as out:
        for record in synthetic(rows, seed):
            out.write(encode(record) + "\n")
    queries = [query.ddsql for query in CORPUS]
    found: list[ServerRun] = []
    process, port = _serve(fixture)
    try:
        dsn = f"host=127.0.0.1 port={port} user=bench dbname=ddsql"
        for clients in CLIENTS:
            found.append(_run("wire", rows, clients, rounds, queries, lambda: _wire(dsn)))
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    with ddsql_lite.connect(fixtures=fixture) as con:
        for clients in CLIENTS:
            found.append(_run("library", rows, clients, rounds, queries, lambda: _library(con)))
    return found


def _serve(fixture: Path) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "ddsql_lite", "serve", "--port", "0", "--fixtures", str(fixture)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    if "127.0.0.1:" not in line:
        process.kill()
        raise RuntimeError(f"ddsql serve did not start: {line!r}")
    return process, int(line.split("127.0.0.1:")[1].split(";")[0])


def _wire(dsn: str) -> tuple[Callable[[str], int], Callable[[], None]]:
    conn = psycopg.connect(dsn, autocommit=True)

    def ask(sql: str) -> int:
        return len(conn.execute(sql).fetchall())

    return ask, conn.close


def _library(con: ddsql_lite.Connection) -> tuple[Callable[[str], int], Callable[[], None]]:
    session = con.new_session()

    def ask(sql: str) -> int:
        return len(session.sql(sql).fetchall())

    return ask, session.close


def _run(
    way: str,
    rows: int,
    clients: int,
    rounds: int,
    queries: Sequence[str],
    client: Callable[[], tuple[Callable[[str], int], Callable[[], None]]],
) -> ServerRun:
    latencies: list[float] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            ask, close = client()
        except BaseException as exc:
            errors.append(exc)
            ready.wait()
            return
        try:
            for sql in queries:  # the untimed round
                ask(sql)
            ready.wait()
            mine = []
            for _ in range(rounds):
                for sql in queries:
                    started = time.perf_counter()
                    ask(sql)
                    mine.append(time.perf_counter() - started)
            with lock:
                latencies.extend(mine)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    return ServerRun(
        way, rows, clients, len(latencies), len(latencies) / seconds, median(latencies),
        p99(latencies),
    )  # fmt: skip


def table(runs: Sequence[ServerRun]) -> list[str]:
    """The figures as Markdown table lines."""
    lines = [
        "| through | clients | queries | queries/s | p50 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        way = "`ddsql serve` + psycopg" if run.way == "wire" else "`connect().sql()`"
        lines.append(
            f"| {way} | {run.clients} | {run.queries} | {run.per_second:.1f} | "
            f"{run.p50 * 1000:.2f} | {run.p99 * 1000:.2f} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000, help="table rows (default 10000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per client")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ddsql-bench-server-") as tmp:
        runs = measure_server(args.rows, args.seed, args.rounds, Path(tmp))
    print("\n".join(table(runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__: list[Any] = ["ServerRun", "measure_server", "table"]
