"""PostgreSQL 15 as the oracle: the corpus (corpus/*.sql), the harness, the benchmarks."""
