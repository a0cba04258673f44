"""The fast path for fixture files: the mapping's table, built by DuckDB.

:func:`.fixture_loader.read_fixtures` sends each large fixture file through a private,
throw-away DuckDB connection running SQL generated from the schema and the API output
shape (``query_plan``, ``sql_json``, ``file_reader``); small files, and every record the
SQL cannot map exactly, go through the pure mapping (``loaders.mapping``). It builds the
same table, and raises the same errors, as the mapping's reference load
(``read_fixtures_reference``): tests/loaders/test_fast_path.py and
tests/loaders/test_fixture_faults.py prove it. Removing this package costs nothing but
speed (docs/design.md, "The fast path").
"""
