"""Table schema files (YAML), one per table; read by :mod:`ddsql_lite.registry`."""
