"""Small helpers shared by the rewrite modules: node builders and type tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlglot import exp

Rewrite = Callable[[exp.Expr], exp.Expr]


@dataclass(frozen=True)
class Trigger:
    """The nodes a rewrite may change: instances of ``kinds``, and calls
    (:class:`exp.Anonymous`) whose lower-case name is in ``calls``."""

    kinds: tuple[type[exp.Expr], ...]
    calls: frozenset[str]

    def matches(self, node: exp.Expr) -> bool:
        return isinstance(node, self.kinds) or (
            bool(self.calls) and isinstance(node, exp.Anonymous) and node.name.lower() in self.calls
        )


# The trigger of each rewrite that declares one (see :func:`rewrites`).
TRIGGERS: dict[Rewrite, Trigger] = {}


def rewrites(*kinds: type[exp.Expr], calls: Iterable[str] = ()) -> Callable[[Rewrite], Rewrite]:
    """Declare what a rewrite may change (see :class:`Trigger`). Contract: it returns
    every other node unchanged, without changing anything else, so the rewrite walk
    need not call it there, nor walk a tree that holds none of them."""

    def declare(rewrite: Rewrite) -> Rewrite:
        TRIGGERS[rewrite] = Trigger(kinds, frozenset(c.lower() for c in calls))
        return rewrite

    return declare


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
