"""Loaders: fetch API records (live or from fixtures), map them to rows, build Arrow tables.

The split follows cloud-custodian: *fetch* (``aws``, ``fetch``, ``fixtures``) yields API
records, *transform* (``rows``) is a pure record -> row mapping, *load* builds one Arrow
table. ``sources`` picks the source for ``connect()``; ``report`` says what a load did;
``record`` writes fixtures, ``cache`` keeps Parquet snapshots, ``pushdown`` derives List
filters from a query, ``progress`` draws the progress bar. Fixture files take the
vectorised path: ``vectorized`` runs the DuckDB query that ``shape_sql`` (with ``sqljson``)
generates from the schema and the botocore shape, the same mapping as ``rows``.
"""

from .fixtures import read_fixtures, sample_path
from .pushdown import list_filters
from .record import write_fixtures
from .report import LoadEntry, LoadReport
from .rows import records_to_table
from .synthetic import synthetic

__all__ = [
    "LoadEntry",
    "LoadReport",
    "list_filters",
    "read_fixtures",
    "records_to_table",
    "sample_path",
    "synthetic",
    "write_fixtures",
]
