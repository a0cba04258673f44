"""Small helpers shared by the rewrite modules: node builders and type tests."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

Rewrite = Callable[[exp.Expr], exp.Expr]

# DuckDB macros the generated SQL may call, by name; the engine defines them before it
# locks the configuration, and the translator refuses them in user SQL (``ddsql_`` names).
MACROS: dict[str, str] = {}


def macro(name: str, definition: str) -> str:
    """Declare a DuckDB macro ``name`` (``"(x) AS ..."``) and return its name."""
    assert name.startswith("ddsql_"), name
    MACROS[name] = definition
    return name


def call(name: str, *args: exp.Expr) -> exp.Expr:
    """A DuckDB function call node, printed as written."""
    return exp.Anonymous(this=name, expressions=list(args))


def is_type(node: exp.Expr, kind: exp.DType) -> bool:
    return node.type is not None and node.type.is_type(kind)


def is_json(node: exp.Expr) -> bool:
    """True for a JSON-typed value, including a JSON step (``->``, ``#>``) on one."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, (exp.JSONExtract, exp.JSONBExtract)):
        return is_json(node.this)
    return is_type(node, exp.DType.JSON)
