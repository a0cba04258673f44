"""The figures one benchmark run produces, and the targets of issue 7 they are held to.

Plain dataclasses, filled by :mod:`benchmarks.run` and rendered by
:mod:`benchmarks.report`. Times are milliseconds unless a name says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .timing import geomean

GB = 1_000_000_000


@dataclass(frozen=True)
class Translation:
    """Translation time of one corpus query: new text (cache missed) and repeated."""

    query: str
    new_median: float
    new_p99: float
    repeated_median: float
    repeated_p99: float


@dataclass(frozen=True)
class QueryTime:
    """One corpus query at one table size: medians, and whether the answers agree."""

    query: str
    ddsql: float
    duckdb: float  # over the Arrow table registered in a plain connection (the target's)
    duckdb_native: float  # over a copy of it in DuckDB's own storage, as ddsql_lite keeps
    postgres: float | None
    same_as_duckdb: str  # "yes" or what differs
    same_as_postgres: str  # "yes", what differs, or "-" (not run)
    translation_share: float  # cached translation time / ddsql end-to-end time

    @property
    def overhead(self) -> float:
        return self.ddsql / self.duckdb

    @property
    def native_overhead(self) -> float:
        return self.ddsql / self.duckdb_native

    @property
    def postgres_ratio(self) -> float | None:
        return None if self.postgres is None else self.postgres / self.ddsql


@dataclass
class SizeRun:
    """All corpus queries at one table size."""

    rows: int
    engine_load_seconds: float
    postgres_load_seconds: float | None
    runs: int
    postgres_runs: int
    queries: list[QueryTime] = field(default_factory=list)

    @property
    def overhead_geomean(self) -> float:
        return geomean([q.overhead for q in self.queries])

    @property
    def native_overhead_geomean(self) -> float:
        return geomean([q.native_overhead for q in self.queries])

    @property
    def postgres_geomean(self) -> float | None:
        ratios = [r for q in self.queries if (r := q.postgres_ratio) is not None]
        return geomean(ratios) if ratios else None


@dataclass(frozen=True)
class Load:
    """Fixture load of one file through ``read_fixtures``, in a process of its own."""

    layout: str  # "jsonl" or "json"
    file: str
    rows: int
    bytes: int
    seconds: float
    peak_rss_bytes: int
    baseline_rss_bytes: int

    @property
    def records_per_second(self) -> float:
        return self.rows / self.seconds


@dataclass(frozen=True)
class LoadProfile:
    """Where the fast path spends its CPU on ``rows`` records: seconds per stage
    (DuckDB's profiler, one thread, then the Arrow work)."""

    rows: int
    stages: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.stages.values())


@dataclass(frozen=True)
class Startup:
    """Start-up wall times, medians of ``runs`` fresh processes each (issue 12)."""

    floor_seconds: float  # python -c FLOOR
    oneshot_seconds: float  # ddsql -c QUERY on the bundled data
    shell_prompt_seconds: float  # ddsql in a terminal, until its first prompt
    runs: int
    query: str
    floor: str  # the floor's Python: the imports a DuckDB SQL translator needs

    @property
    def ratio(self) -> float:
        return self.oneshot_seconds / self.floor_seconds


@dataclass(frozen=True)
class Target:
    """One target of issue 7: what is asked, what was measured, met or not (None: not
    measured by this run, e.g. a size it did not include)."""

    name: str
    wanted: str
    measured: str
    met: bool | None


@dataclass(frozen=True)
class ServerRun:
    """The corpus sent by ``clients`` concurrent clients through ``way``: ``"wire"``
    (``ddsql serve`` and psycopg) or ``"library"`` (``connect().sql()``)."""

    way: str
    rows: int
    clients: int
    queries: int
    per_second: float
    p50: float
    p99: float


@dataclass
class Results:
    """Everything one run measured."""

    command: str
    date: str
    machine: dict[str, str]
    versions: dict[str, str]
    seed: int
    translations: list[Translation] = field(default_factory=list)
    sizes: list[SizeRun] = field(default_factory=list)
    loads: list[Load] = field(default_factory=list)
    load_profile: LoadProfile | None = None
    aws: dict[str, Any] | None = None
    aws_text: str = ""
    aws_on_target: bool | None = None
    startup: Startup | None = None
    server: list[ServerRun] = field(default_factory=list)
    load_average_end: float = 0.0
    notes: list[str] = field(default_factory=list)

    def size(self, rows: int) -> SizeRun | None:
        return next((s for s in self.sizes if s.rows == rows), None)

    def load(self, layout: str) -> Load | None:
        return next((x for x in self.loads if x.layout == layout), None)


def targets(results: Results) -> list[Target]:
    """Issue 7's and issue 12's targets against ``results``."""
    found: list[Target] = []
    if results.startup is not None:
        startup = results.startup
        found.append(
            Target(
                "start-up, one-shot query",
                "ddsql -c <= 1.3x the import floor",
                f"{startup.ratio:.2f}x ({startup.oneshot_seconds:.3f} s against "
                f"{startup.floor_seconds:.3f} s)",
                startup.ratio <= 1.3,
            )
        )
        found.append(
            Target(
                "start-up, shell",
                "first prompt < 0.6 s",
                f"{startup.shell_prompt_seconds:.3f} s",
                startup.shell_prompt_seconds < 0.6,
            )
        )
    if results.translations:
        worst_new = max(results.translations, key=lambda t: t.new_median)
        worst_again = max(results.translations, key=lambda t: t.repeated_median)
        found.append(
            Target(
                "translation, new query",
                "median <= 2 ms for every query",
                f"{worst_new.new_median:.3f} ms (slowest: {worst_new.query})",
                worst_new.new_median <= 2.0,
            )
        )
        found.append(
            Target(
                "translation, repeated query",
                "median <= 0.05 ms for every query",
                f"{worst_again.repeated_median:.4f} ms (slowest: {worst_again.query})",
                worst_again.repeated_median <= 0.05,
            )
        )
    small = results.size(10_000)
    if small is not None:
        worst = max(small.queries, key=lambda q: q.ddsql)
        found.append(
            Target(
                "10k rows, end to end",
                "<= 20 ms for every corpus query",
                f"{worst.ddsql:.1f} ms (slowest: {worst.query})",
                worst.ddsql <= 20.0,
            )
        )
    else:
        found.append(
            Target(
                "10k rows, end to end",
                "<= 20 ms for every corpus query",
                "not measured (no 10k run)",
                None,
            )
        )
    big = results.size(1_000_000)
    if big is not None:
        found.append(
            Target(
                "1M rows, ddsql_lite / hand-written DuckDB",
                "geometric mean <= 1.15",
                f"{big.overhead_geomean:.3f}",
                big.overhead_geomean <= 1.15,
            )
        )
        pg = big.postgres_geomean
        found.append(
            Target(
                "1M rows, PostgreSQL / ddsql_lite",
                "geometric mean >= 10",
                "not measured (no PostgreSQL)" if pg is None else f"{pg:.1f}",
                None if pg is None else pg >= 10.0,
            )
        )
    else:
        for name, wanted in (
            ("1M rows, ddsql_lite / hand-written DuckDB", "geometric mean <= 1.15"),
            ("1M rows, PostgreSQL / ddsql_lite", "geometric mean >= 10"),
        ):
            found.append(Target(name, wanted, "not measured (no 1M run)", None))
    load = results.load("jsonl")
    if load is not None:
        at_size = load.rows >= 1_000_000
        found.append(
            Target(
                "fixture load",
                ">= 100,000 records/s",
                f"{load.records_per_second:,.0f} records/s ({load.rows:,} records)",
                load.records_per_second >= 100_000 if at_size else None,
            )
        )
        found.append(
            Target(
                "fixture load memory",
                "1M rows in <= 3 GB (peak RSS)",
                f"{load.peak_rss_bytes / GB:.2f} GB peak RSS ({load.rows:,} records)",
                load.peak_rss_bytes <= 3 * GB if at_size else None,
            )
        )
    if results.aws is not None:
        found.append(
            Target(
                "AWS loader (bench_aws_loader.py)",
                ">= 10x sequential, <= 1.5x ideal",
                f"{results.aws['speedup']:.1f}x sequential, {results.aws['vs_ideal']:.2f}x ideal",
                results.aws_on_target,
            )
        )
    return found
