"""Operators and number types as DDSQL reads them: ``/`` never truncates, ``/`` and ``%``
by zero fail, LIKE escapes with a backslash, decimals are doubles (docs/dialect.md,
"Operators that differ from PostgreSQL").
"""

from __future__ import annotations

from sqlglot import exp

from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import call, data_type
from .runtime import NONZERO_MACRO


@rewrites(exp.DataType)
def decimal_is_double(node: exp.Expr) -> exp.Expr:
    """DDSQL decimals are float64; DuckDB's bare DECIMAL would be DECIMAL(18,3)."""
    if isinstance(node, exp.DataType) and node.this in (
        exp.DType.DECIMAL,
        exp.DType.DOUBLE,
        exp.DType.FLOAT,
    ):
        return data_type("DOUBLE")
    return node


@rewrites(exp.Like, exp.ILike)
def like_escape(node: exp.Expr) -> exp.Expr:
    """PostgreSQL's LIKE treats backslash as the escape character; DuckDB needs it said."""
    if isinstance(node, (exp.Like, exp.ILike)) and not isinstance(node.parent, exp.Escape):
        return exp.Escape(this=node, expression=exp.Literal.string("\\"))
    return node


@rewrites(exp.Div, exp.Mod)
def true_division(node: exp.Expr) -> exp.Expr:
    """DDSQL's ``/`` never truncates (``5 / 2`` is 2.5); a zero divisor is an error, as in
    PostgreSQL (DuckDB would answer NULL). ``%`` keeps integer semantics, zero is an error."""
    if not isinstance(node, (exp.Div, exp.Mod)):
        return node
    divisor = node.expression
    if isinstance(divisor, exp.Anonymous) and divisor.name.lower() == NONZERO_MACRO:
        return node  # checked already
    checked = call(NONZERO_MACRO, divisor)
    if isinstance(node, exp.Div):
        return exp.Div(this=node.this, expression=checked, typed=False, safe=False)
    return exp.Mod(this=node.this, expression=checked)


REWRITES: tuple[Rewrite, ...] = (decimal_is_double, like_escape, true_division)
FUNCTIONS: Functions = {}
SYNTAX: Syntax = {}
