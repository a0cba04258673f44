"""Operators and number types as DDSQL reads them: ``/`` never truncates, ``/`` and ``%``
by zero fail, LIKE escapes with a backslash, decimals are doubles (docs/dialect.md,
"Operators that differ from PostgreSQL"); numbers with PostgreSQL's edges: text read as
PostgreSQL reads a number or a boolean, double arithmetic that overflows or underflows and
``power``'s domain errors fail, BIGINT stays 64 bits (docs/dialect.md, "Numbers at their
edges").
"""

from __future__ import annotations

from sqlglot import exp

from ..errors import QueryError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import TEXT_TYPES, call, data_type, type_in
from .refusals import Refusal
from .runtime import (
    BLANKS,
    F8,
    F8_STEP,
    NONZERO_MACRO,
    TEXT_TO,
    TO_ARRAY_TYPE,
    TO_TYPE,
    TRUE_WORDS,
    input_problem,
)


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
        quotient = exp.Div(this=node.this, expression=checked, typed=False, safe=False)
        numbers = type_in(node.this.type, _NUMBERS) and type_in(divisor.type, _NUMBERS)
        quotient.type = data_type("DOUBLE") if numbers else node.type  # never truncated
        return quotient
    return exp.Mod(this=node.this, expression=checked)


_DOUBLES = (exp.DType.DOUBLE, exp.DType.FLOAT)
_INTEGERS = tuple(exp.DataType.INTEGER_TYPES)
_NUMBERS = (*_DOUBLES, exp.DType.DECIMAL, *_INTEGERS)
_STEPS: dict[type[exp.Expr], str] = {
    exp.Add: F8_STEP["add"],
    exp.Sub: F8_STEP["sub"],
    exp.Mul: F8_STEP["mul"],
    exp.Div: F8_STEP["div"],
    exp.Pow: F8_STEP["power"],
}
_CHECKED = frozenset((F8, *F8_STEP.values()))


def _operand_type(operand: exp.Expr) -> exp.DataType | None:
    """The type of an operand, through the zero check ``true_division`` added."""
    if isinstance(operand, exp.Anonymous) and operand.name.lower() == NONZERO_MACRO:
        operand = operand.expressions[0]
    written = operand.this if isinstance(operand, exp.Literal) and operand.is_number else ""
    if "." in written and not {"e", "E"} & set(written):
        return data_type("DECIMAL")  # DuckDB's type for 1.5: exact, no overflow
    return operand.type


def _is_double_step(node: exp.Expr) -> bool:
    """``power``, or arithmetic on known numbers one of which is a double (DuckDB's
    DECIMAL literals, such as ``1.5``, are exact and cannot overflow as doubles do)."""
    if isinstance(node, exp.Pow):
        return True
    if type(node) not in _STEPS or not isinstance(node, exp.Binary):
        return False
    left, right = _operand_type(node.this), _operand_type(node.expression)
    return (
        type_in(left, _NUMBERS)
        and type_in(right, _NUMBERS)
        and (type_in(left, _DOUBLES) or type_in(right, _DOUBLES))
    )


def _in_checked(node: exp.Expr) -> bool:
    """Is ``node`` an operand of a step of double arithmetic, or already checked?"""
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    if isinstance(parent, exp.Anonymous):
        return parent.name.lower() in _CHECKED
    return parent is not None and _is_double_step(parent)


def _stepwise(node: exp.Expr) -> exp.Expr:
    """A copy of the double arithmetic tree ``node`` with each step checked."""
    if isinstance(node, exp.Paren):
        return _stepwise(node.this)
    if not _is_double_step(node):
        return node.copy()
    assert isinstance(node, exp.Binary)
    return call(_STEPS[type(node)], _stepwise(node.this), _stepwise(node.expression))


@rewrites(exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Pow, exp.Neg)
def number_edges(node: exp.Expr) -> exp.Expr:
    """Double arithmetic and ``power`` (``^``) fail where PostgreSQL's float8 does:
    "value out of range: overflow" or "underflow" (DuckDB answers infinity or zero),
    ``power``'s domain errors (DuckDB answers infinity or NaN); the checks sit at the root
    of each tree of it (runtime ``F8``). ``-x`` on a BIGINT stays a BIGINT (DuckDB widens
    the negation of a value that may be the smallest BIGINT to HUGEINT)."""
    if isinstance(node, exp.Neg):
        operand, parent = node.this, node.parent
        kept = isinstance(parent, exp.Cast) and parent.to.is_type(exp.DType.BIGINT)
        if type_in(operand.type, _INTEGERS) and not isinstance(operand, exp.Literal) and not kept:
            return exp.Cast(this=node, to=data_type("BIGINT"))
        return node
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul)) and all(
        map(_int_literal, (node.this, node.expression))
    ):
        # DDSQL integers are BIGINT; DuckDB's are INTEGER up to 2**31, and overflow there
        node.set("this", exp.Cast(this=node.this, to=data_type("BIGINT")))
        return node
    if not _is_double_step(node) or _in_checked(node):
        return node
    return call(F8, node, _stepwise(node))


def _int_literal(node: exp.Expr) -> bool:
    """An integer literal, maybe negated or in parentheses (DuckDB types it INTEGER when
    it fits 32 bits)."""
    while isinstance(node, (exp.Paren, exp.Neg)):
        node = node.this
    return isinstance(node, exp.Literal) and node.is_int


@rewrites(exp.Cast)
def number_input(node: exp.Expr) -> exp.Expr:
    """Text cast to BIGINT, DECIMAL or BOOLEAN is read as PostgreSQL reads it (DuckDB also
    reads ``'1.5'``, ``'1_000'`` and ``'0x10'`` as integers, but not ``'on'``): a literal
    now, with PostgreSQL's error and a caret; other text when the query runs."""
    if not isinstance(node, exp.Cast) or isinstance(node.this, exp.Null):
        return node
    if node.to.is_type(exp.DType.ARRAY) and node.to.expressions:
        element = node.to.expressions[0]
        name = _CAST_NAMES.get(element.this) if isinstance(element, exp.DataType) else None
        known = node.this.type
        if name is None or (
            known is not None
            and not type_in(known, (exp.DType.ARRAY, exp.DType.UNKNOWN, exp.DType.NULL))
        ):
            return node
        return call(TO_ARRAY_TYPE[name], node.this)  # elements read as above, if text
    target = node.to.this
    name = _CAST_NAMES.get(target)
    if name is None:
        return node
    value = node.this
    if isinstance(value, exp.Literal):
        if value.is_string:
            problem = input_problem(value.this, *_INPUTS[target])
            if problem:
                raise Refusal(problem, value, kind=QueryError)
            if target == exp.DType.BOOLEAN:  # DuckDB's cast does not take 'on' or 'of'
                return exp.Boolean(this=value.this.strip(BLANKS).lower() in TRUE_WORDS)
        return node
    if type_in(value.type, TEXT_TYPES):
        return call(TEXT_TO[name], value)
    if value.type is not None and not type_in(value.type, (exp.DType.UNKNOWN, exp.DType.NULL)):
        return node  # not text: DuckDB's cast is PostgreSQL's
    return call(TO_TYPE[name], value)


_CAST_NAMES = {exp.DType.BIGINT: "BIGINT", exp.DType.DOUBLE: "DOUBLE", exp.DType.BOOLEAN: "BOOLEAN"}
# The kind of input each cast reads, and the type its errors name (DDSQL's).
_INPUTS = {
    exp.DType.BIGINT: ("bigint", "bigint"),
    exp.DType.DOUBLE: ("double", "decimal"),
    exp.DType.BOOLEAN: ("boolean", "boolean"),
}


REWRITES: tuple[Rewrite, ...] = (
    decimal_is_double,
    like_escape,
    true_division,
    number_input,
    number_edges,
)
FUNCTIONS: Functions = {}
SYNTAX: Syntax = {}
