"""Loaders: fetch API records (live or from fixtures), map them to rows, build Arrow tables.

The split follows cloud-custodian: *fetch* (``aws``, ``fixtures``) yields API records,
*transform* (``rows``) is a pure record -> row mapping, *load* builds one Arrow table.
"""

from .fixtures import read_fixtures, sample_path
from .rows import records_to_table
from .synthetic import synthetic

__all__ = ["read_fixtures", "records_to_table", "sample_path", "synthetic"]
