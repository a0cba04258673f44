"""ddsql_lite: Datadog DDSQL over AWS inventory, run locally on DuckDB.

>>> import ddsql_lite
>>> con = ddsql_lite.connect()          # the bundled sample data
>>> con.sql("SELECT status, count(*) FROM aws.sagemaker_inference_experiment GROUP BY 1").df()
"""

from typing import Any

from .connection import Connection, connect
from .errors import (
    CatalogError,
    DDSQLError,
    LoaderError,
    MissingDependencyError,
    ParseError,
    QueryCancelledError,
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    SchemaError,
    UnsupportedError,
)
from .result import Result

__version__ = "0.1.0"


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext ddsql_lite``: register the ``%ddsql`` / ``%%ddsql`` magics.

    IPython is imported only here, so the package itself does not need it.
    """
    from .magic import load_ipython_extension as load

    load(ipython)


__all__ = [
    "CatalogError",
    "Connection",
    "DDSQLError",
    "LoaderError",
    "MissingDependencyError",
    "ParseError",
    "QueryCancelledError",
    "QueryError",
    "QueryMemoryError",
    "QueryTimeoutError",
    "Result",
    "SchemaError",
    "UnsupportedError",
    "__version__",
    "connect",
]
