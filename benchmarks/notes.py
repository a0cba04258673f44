"""What the tables of ``RESULTS.md`` do not say by themselves: the conditions of the
run, and for each target not met, what the figures show about why."""

from __future__ import annotations

from collections.abc import Callable

from .figures import Results, SizeRun, Target, targets


def notes(results: Results) -> list[str]:
    """Observations, then one explanation per target not met."""
    found = []
    if results.load_average_end > 1.5:
        found.append(
            f"The machine was shared: 1-minute load average {results.load_average_end:.1f}"
            " at the end of the run on 2 cores, so wall-clock figures are pessimistic."
        )
    if results.sizes and results.sizes[0].queries:
        small = results.sizes[0]
        share = max(q.translation_share for q in small.queries)
        found.append(
            f"Cached translation is at most {100 * share:.1f}% of any query's end-to-end time"
            f" at {small.rows:,} rows"
            + (": end-to-end figures are not dominated by translation." if share < 0.2 else ".")
        )
    mismatches = [
        f"{q.query} at {s.rows:,} rows"
        for s in results.sizes
        for q in s.queries
        if q.same_as_duckdb != "yes" or q.same_as_postgres not in ("yes", "-")
    ]
    found.append(
        "Answers differ for: " + ", ".join(mismatches) + "."
        if mismatches
        else "Every corpus query gave the same answer in ddsql_lite, hand-written DuckDB"
        + (" and PostgreSQL" if any(s.postgres_geomean for s in results.sizes) else "")
        + " at every size."
    )
    explain: dict[str, Callable[[Results, Target], str]] = {
        "translation, new query": _translation,
        "10k rows, end to end": _small_tables,
        "1M rows, PostgreSQL / ddsql_lite": _postgres,
        "fixture load": _fixture_load,
        "AWS loader (bench_aws_loader.py)": _aws,
    }
    for target in targets(results):
        if target.met is False and target.name in explain:
            found.append(f"*{target.name}*: {explain[target.name](results, target)}")
    return found


def _translation(results: Results, target: Target) -> str:
    medians = sorted(t.new_median for t in results.translations)
    return (
        f"a new query takes {medians[0]:.2f}-{medians[-1]:.2f} ms (median) to parse with"
        " sqlglot, type, rewrite and generate. Repeated queries hit the translator's cache,"
        " which is what the end-to-end figures use."
    )


def _small_tables(results: Results, target: Target) -> str:
    size = results.size(10_000)
    assert isinstance(size, SizeRun)
    slow = [q for q in size.queries if q.ddsql > 20.0]
    listed = ", ".join(
        f"{q.query} ({q.ddsql:.0f} ms; hand-written DuckDB {q.duckdb_native:.0f} ms native,"
        f" {q.duckdb:.0f} ms over Arrow)"
        for q in slow
    )
    return (
        f"{len(slow)} of {len(size.queries)} queries take over 20 ms: {listed}. At 10,000"
        " rows the engine keeps the table in small row groups, so that every core scans;"
        " what remains is DuckDB's own work on the query."
    )


def _postgres(results: Results, target: Target) -> str:
    size = results.size(1_000_000)
    assert isinstance(size, SizeRun)
    close = sorted(
        (q for q in size.queries if q.postgres_ratio is not None and q.postgres_ratio < 5),
        key=lambda q: q.postgres_ratio or 0.0,
    )
    listed = ", ".join(f"{q.query} ({q.postgres_ratio:.1f}x)" for q in close)
    return (
        f"PostgreSQL is within 5x on {listed}: hstore lookups on a heap scan are cheap"
        " (ddsql_lite's tags are MAP(VARCHAR, VARCHAR[]); tags->'k' joins the key's values"
        " by commas unless only tested for NULL or a comma-free value), and window and"
        " JSON-expanding queries sort or parse as much in both."
    )


def _fixture_load(results: Results, target: Target) -> str:
    load = results.load("jsonl")
    found = results.load_profile
    assert load is not None
    text = f"{load.records_per_second:,.0f} records/s over {load.rows:,} records"
    if found is None:
        return text + "."
    per_record = 1e6 * found.total / found.rows
    top = sorted(found.stages.items(), key=lambda item: -item[1])[:2]
    shares = " and ".join(f"{stage} {100 * sec / found.total:.0f}%" for stage, sec in top)
    return (
        f"{text}. The profile below puts the fast path at {per_record:.0f} µs of CPU per"
        f" record ({shares}), so one core does {1e6 / per_record:,.0f} records/s and two"
        f" cores at best {2e6 / per_record:,.0f}: 100,000 records/s on 2 cores needs 20 µs"
        " or less."
    )


def _aws(results: Results, target: Target) -> str:
    return (
        "these are benchmarks/bench_aws_loader.py's figures (the AWS loader's own benchmark),"
        " included as measured; its fake endpoint runs in a subprocess competing for the"
        " same cores."
    )
