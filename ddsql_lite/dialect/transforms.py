"""Pure rewrites of a qualified, type-annotated DDSQL tree into DuckDB semantics.

Each rewrite takes a node and returns a node (or the same one). Every rewrite module
(``paths``, ``regex``, ``timefuncs`` and this one) exports ``REWRITES``; :data:`REWRITES`
chains them in the order they are applied, each over the whole tree.
"""

from __future__ import annotations

from sqlglot import exp

from . import paths, regex, scalars, tables, tags, texts, timefuncs
from .nodes import Rewrite, call, macro

NONZERO_MACRO = macro(
    "ddsql_nonzero", "(x) AS CASE WHEN x = 0 THEN error('division by zero') ELSE x END"
)


def decimal_is_double(node: exp.Expr) -> exp.Expr:
    """DDSQL decimals are float64; DuckDB's bare DECIMAL would be DECIMAL(18,3)."""
    if isinstance(node, exp.DataType) and node.this in (
        exp.DType.DECIMAL,
        exp.DType.DOUBLE,
        exp.DType.FLOAT,
    ):
        return exp.DataType.build("DOUBLE")
    return node


def like_escape(node: exp.Expr) -> exp.Expr:
    """PostgreSQL's LIKE treats backslash as the escape character; DuckDB needs it said."""
    if isinstance(node, (exp.Like, exp.ILike)) and not isinstance(node.parent, exp.Escape):
        return exp.Escape(this=node, expression=exp.Literal.string("\\"))
    return node


def true_division(node: exp.Expr) -> exp.Expr:
    """DDSQL's ``/`` never truncates (``5 / 2`` is 2.5); a zero divisor is an error, as in
    PostgreSQL (DuckDB would answer NULL). ``%`` keeps integer semantics, zero is an error."""
    if isinstance(node, (exp.Div, exp.Mod)) and not isinstance(node.expression, exp.Anonymous):
        divisor = call(NONZERO_MACRO, node.expression)
        if isinstance(node, exp.Div):
            return exp.Div(this=node.this, expression=divisor, typed=False, safe=False)
        return exp.Mod(this=node.this, expression=divisor)
    return node


REWRITES: tuple[Rewrite, ...] = (
    *texts.REWRITES,  # first: it reads the types of calls that later rewrites replace
    *tables.REWRITES,
    *tags.REWRITES,
    *paths.REWRITES,
    *scalars.REWRITES,
    *regex.REWRITES,
    *timefuncs.REWRITES,
    decimal_is_double,
    like_escape,
    true_division,
)


def apply_rewrites(tree: exp.Expr) -> exp.Expr:
    """Apply every rewrite in :data:`REWRITES`, each over the whole tree."""
    for rewrite in REWRITES:
        tree = rewrite_tree(tree, rewrite)
    return tree


def rewrite_tree(tree: exp.Expr, rewrite: Rewrite) -> exp.Expr:
    """Apply ``rewrite`` top-down to every node, including every node under a
    replacement (sqlglot's ``transform`` skips those, which left the inner ``/`` of
    ``(6/4)/1`` truncating). A rewrite must not match its own output."""
    new = rewrite(tree)
    stack = list(new.iter_expressions())
    while stack:
        node = stack.pop()
        # Where the node sits, taken before the rewrite: a rewrite that wraps the node
        # (LIKE -> ESCAPE) re-parents it.
        parent, key, index = node.parent, node.arg_key, node.index
        replacement = rewrite(node)
        if replacement is not node and parent is not None and key is not None:
            parent.set(key, replacement, index)
        stack.extend(replacement.iter_expressions())
    return new
