"""ddsql_lite: Datadog DDSQL over AWS inventory, run locally on DuckDB.

>>> import ddsql_lite
>>> con = ddsql_lite.connect()          # the bundled sample data
>>> con.sql("SELECT status, count(*) FROM aws.sagemaker_inference_experiment GROUP BY 1").df()
>>> ddsql_lite.sql("SELECT count(*) FROM aws.sagemaker_inference_experiment")  # a default one
"""

from typing import TYPE_CHECKING, Any

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
    UndefinedColumnError,
    UndefinedFunctionError,
    UnsupportedError,
)

if TYPE_CHECKING:
    from .connection import Connection, connect, default_connection, record, sql, translate
    from .result import Result

__version__ = "0.1.0"

_LAZY = {
    "Connection": ".connection",
    "connect": ".connection",
    "default_connection": ".connection",
    "record": ".connection",
    "sql": ".connection",
    "translate": ".connection",
    "Result": ".result",
}


def __getattr__(name: str) -> Any:
    """``Connection``, ``connect``, ``sql``, ``default_connection``, ``record``,
    ``translate`` and ``Result``, imported on first use: ``ddsql``
    imports this package before its own code runs, and handles Ctrl-C (exit 130, no
    traceback) only from then on, so the package itself imports nothing heavy."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


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
    "UndefinedColumnError",
    "UndefinedFunctionError",
    "UnsupportedError",
    "__version__",
    "connect",
    "default_connection",
    "record",
    "sql",
    "translate",
]
