"""Loaders: API records (live from AWS, or from fixture files) -> rows -> Arrow tables.

``sources`` is the entry point the API calls (``load_tables``, ``record_live``,
``list_filters``). ``mapping`` is the pure record -> row mapping and fixture files;
``fast`` builds the mapping's table from large fixture files with DuckDB, and can be
removed at no cost but speed; ``live`` is the AWS fan-out, its cache and its report.
Loaders know no SQL dialect (docs/design.md, "Layers").
"""

from importlib import import_module
from typing import Any

# Public name -> the module defining it, imported on first use (PEP 562): a connection
# over fixtures must not pay for the live loader's botocore or the fast path's planner.
_PUBLIC = {
    "LoadEntry": "live.report",
    "LoadReport": "live.report",
    "list_filters": "live.filters",
    "read_fixtures": "fast.fixture_loader",
    "read_sample": "mapping.sample_dates",
    "records_to_table": "mapping.to_arrow",
    "sample_path": "mapping.fixture_reader",
    "synthetic": "mapping.synthetic_records",
    "write_fixtures": "mapping.fixture_writer",
}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)


__all__ = sorted(_PUBLIC)
