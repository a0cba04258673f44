"""Render one run's :class:`~benchmarks.figures.Results` as ``RESULTS.md``."""

from __future__ import annotations

from .corpus import CORPUS
from .figures import GB, Results, Target, targets

_STATUS = {True: "met", False: "**not met**", None: "not measured"}


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _ms(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render(results: Results) -> str:
    """The Markdown text of ``RESULTS.md``."""
    found = targets(results)
    lines = [
        "# ddsql_lite benchmark results",
        "",
        f"Written by `{results.command}` on {results.date}. Synthetic data:",
        f"`ddsql_lite.loaders.synthetic(n, seed={results.seed})`; every size is a prefix of",
        "the largest. Times are medians of wall-clock runs after one warm-up run.",
        "",
        "## Machine and versions",
        "",
        *_table(["", ""], [[k, v] for k, v in {**results.machine, **results.versions}.items()]),
        "",
        f"1-minute load average at the end of the run: {results.load_average_end:.2f}.",
        "",
        "## Targets",
        "",
        *_targets_table(found),
        "",
    ]
    if results.notes:
        lines += ["Notes:", "", *[f"- {note}" for note in results.notes], ""]
    lines += _startup_section(results)
    lines += _translation_section(results)
    for size in results.sizes:
        lines += _size_section(size)
    lines += _load_section(results)
    lines += _profile_section(results)
    lines += _aws_section(results)
    lines += _server_section(results)
    lines += _corpus_section()
    return "\n".join(lines).rstrip() + "\n"


def _targets_table(found: list[Target]) -> list[str]:
    return _table(
        ["target", "wanted", "measured", "status"],
        [[t.name, t.wanted, t.measured, _STATUS[t.met]] for t in found],
    )


def _startup_section(results: Results) -> list[str]:
    startup = results.startup
    if startup is None:
        return []
    return [
        "## Start-up",
        "",
        f"Each command in a fresh process, {startup.runs} runs each, alternating, after one",
        "untimed run (bytecode caches written, as an installed package has them); medians.",
        "",
        *_table(
            ["command", "seconds", "vs floor"],
            [
                [f'`python -c "{startup.floor}"` (floor)', f"{startup.floor_seconds:.3f}", "1.00x"],
                [
                    f'`ddsql -c "{startup.query}"`',
                    f"{startup.oneshot_seconds:.3f}",
                    f"{startup.ratio:.2f}x",
                ],
                [
                    "`ddsql` in a terminal, until its first prompt",
                    f"{startup.shell_prompt_seconds:.3f}",
                    f"{startup.shell_prompt_seconds / startup.floor_seconds:.2f}x",
                ],
            ],
        ),
        "",
    ]


def _translation_section(results: Results) -> list[str]:
    if not results.translations:
        return []
    rows = [
        [
            t.query,
            f"{t.new_median:.3f}",
            f"{t.new_p99:.3f}",
            f"{t.repeated_median:.4f}",
            f"{t.repeated_p99:.4f}",
        ]
        for t in results.translations
    ]
    return [
        "## Translation (DDSQL -> DuckDB SQL)",
        "",
        "New: the query text with a unique comment, so the translator's cache misses;",
        "repeated: the same text again (cache hit). Milliseconds.",
        "",
        *_table(["query", "new median", "new p99", "repeated median", "repeated p99"], rows),
        "",
    ]


def _size_section(size: object) -> list[str]:
    from .figures import SizeRun

    assert isinstance(size, SizeRun)
    rows = []
    for q in size.queries:
        rows.append(
            [
                q.query,
                _ms(q.ddsql),
                _ms(q.duckdb),
                f"{q.overhead:.2f}",
                _ms(q.duckdb_native),
                f"{q.native_overhead:.2f}",
                _ms(q.postgres, 1),
                "-" if q.postgres_ratio is None else f"{q.postgres_ratio:.1f}",
                f"{100 * q.translation_share:.1f}%",
                q.same_as_duckdb,
                q.same_as_postgres,
            ]
        )
    pg = size.postgres_geomean
    rows.append(
        [
            "**geometric mean**",
            "",
            "",
            f"**{size.overhead_geomean:.3f}**",
            "",
            f"**{size.native_overhead_geomean:.3f}**",
            "",
            "-" if pg is None else f"**{pg:.1f}**",
            "",
            "",
            "",
        ]
    )
    pg_load = (
        ""
        if size.postgres_load_seconds is None
        else f" PostgreSQL COPY + VACUUM ANALYZE: {size.postgres_load_seconds:.1f} s."
    )
    return [
        f"## End to end at {size.rows:,} rows",
        "",
        f"ddsql_lite: `con.sql(ddsql)` (translation cached, sandboxed engine, Arrow result),"
        f" {size.runs} runs. DuckDB: the hand-written SQL over the same Arrow table registered"
        " in a plain connection (the target's baseline; DuckDB converts Arrow to its own"
        " vectors on every scan, which costs most on the tags MAP column), and over a copy"
        " in DuckDB's own storage (native; ddsql_lite copies the table in at connect time),"
        f" {size.runs} runs each. PostgreSQL 15 (json, hstore): {size.postgres_runs} runs."
        f" Engine load (Arrow -> DuckDB table): {size.engine_load_seconds:.2f} s.{pg_load}",
        "",
        *_table(
            [
                "query",
                "ddsql ms",
                "DuckDB ms",
                "ddsql/DuckDB",
                "DuckDB native ms",
                "ddsql/native",
                "PostgreSQL ms",
                "PG/ddsql",
                "translation share",
                "same as DuckDB",
                "same as PG",
            ],
            rows,
        ),
        "",
    ]


def _load_section(results: Results) -> list[str]:
    if not results.loads:
        return []
    rows = [
        [
            f"{x.file} ({x.layout})",
            f"{x.rows:,}",
            f"{x.bytes / 1e6:,.1f} MB",
            f"{x.seconds:.2f}",
            f"{x.records_per_second:,.0f}",
            f"{x.peak_rss_bytes / GB:.2f} GB",
            f"{x.baseline_rss_bytes / GB:.2f} GB",
        ]
        for x in results.loads
    ]
    return [
        "## Fixture load",
        "",
        "`read_fixtures(path, table)` on synthetic records written as fixture files, each",
        "load in a fresh process; peak RSS is that process's maximum resident set (the",
        "baseline is after imports, before the load).",
        "",
        *_table(
            ["file", "records", "size", "seconds", "records/s", "peak RSS", "baseline RSS"], rows
        ),
        "",
    ]


def _profile_section(results: Results) -> list[str]:
    found = results.load_profile
    if found is None:
        return []
    rows = [
        [
            stage,
            f"{seconds:.2f}",
            f"{1e6 * seconds / found.rows:.1f}",
            f"{100 * seconds / found.total:.0f}%",
        ]
        for stage, seconds in sorted(found.stages.items(), key=lambda item: -item[1])
    ]
    rows.append(
        ["**total**", f"**{found.total:.2f}**", f"**{1e6 * found.total / found.rows:.1f}**", ""]
    )
    per_core = found.rows / found.total
    return [
        f"Where the fast path's CPU goes ({found.rows:,} records of the same file, DuckDB's",
        "profiler with one thread, then the Arrow work; `python -m benchmarks.loadbench",
        f"--profile FILE`). One core does {per_core:,.0f} records/s; two cores at best twice that.",
        "",
        *_table(["stage", "CPU s", "µs/record", "share"], rows),
        "",
    ]


def _aws_section(results: Results) -> list[str]:
    if results.aws is None:
        return []
    return [
        "## AWS loader (benchmarks/bench_aws_loader.py)",
        "",
        "```",
        results.aws_text.rstrip(),
        "```",
        "",
    ]


def _server_section(results: Results) -> list[str]:
    if not results.server:
        return []
    from .server import table

    rows = results.server[0].rows
    return [
        "## The server",
        "",
        f"The corpus at {rows:,} rows, each client running it after one untimed round;",
        "latency per query from sending it to its last row (`benchmarks/server.py`). The",
        "psycopg clients are threads of the benchmark's process; `ddsql serve` runs in its",
        "own.",
        "",
        *table(results.server),
        "",
    ]


def _corpus_section() -> list[str]:
    lines = ["## Corpus", ""]
    for query in CORPUS:
        lines += [f"**{query.name}** ({query.what})", "", "```sql", query.ddsql, "```", ""]
    return lines
