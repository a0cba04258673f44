"""Loaders: fetch API records (live or from fixtures), map them to rows, build Arrow tables.

The split follows cloud-custodian: *fetch* (``aws``, ``fetch``, ``fixtures``) yields API
records, *transform* (``rows``) is a pure record -> row mapping, *load* builds one Arrow
table. ``sources`` picks the source for ``connect()``; ``report`` says what a load did;
``record`` writes fixtures, ``cache`` keeps Parquet snapshots, ``pushdown`` derives List
filters from a query, ``progress`` draws the progress bar. Fixture files take the
vectorised path: ``vectorized`` runs the DuckDB query that ``shape_sql`` (with ``sqljson``)
generates from the schema and the botocore shape, the same mapping as ``rows``.
"""

from importlib import import_module
from typing import Any

# Public name -> the module defining it, imported on first use (PEP 562): a connection
# over fixtures must not pay for the live loader's botocore or the fast path's planner.
_PUBLIC = {
    "LoadEntry": "report",
    "LoadReport": "report",
    "list_filters": "pushdown",
    "read_fixtures": "fixtures",
    "records_to_table": "rows",
    "sample_path": "fixtures",
    "synthetic": "synthetic_records",
    "write_fixtures": "record",
}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)


__all__ = sorted(_PUBLIC)
