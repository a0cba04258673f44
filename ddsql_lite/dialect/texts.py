"""Numbers and arrays made text as PostgreSQL prints them (``2`` not ``2.0``, ``1e+15``,
``{a,b}``, ``t``/``f``) where a value becomes text: casts to text, ``||`` and
``array_to_string`` (docs/design.md, "Values as text").
"""

from __future__ import annotations

from sqlglot import exp

from ..errors import UnsupportedError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import TEXT_TYPES, call, data_type, pg_sql, type_in
from .pgtypes import ARRAY_OPERATOR
from .runtime import ARRAY_TEXT, INTERVAL_TEXT, VALUE_TEXT
from .timefuncs import kind

_NOT_NUMBERS = (
    *TEXT_TYPES,
    exp.DType.BOOLEAN,
    exp.DType.TIMESTAMP,
    exp.DType.TIMESTAMPTZ,
    exp.DType.DATE,
    exp.DType.INTERVAL,
    exp.DType.JSON,
    exp.DType.ARRAY,
    exp.DType.MAP,
)


# The root last asked about by _unsure_text, and the answer (one entry: a translation asks
# about one tree at a time).
_UNSURE: tuple[exp.Expr | None, bool] = (None, False)


def _unsure_text(node: exp.Expr) -> bool:
    """Is ``node`` a column typed text whose type may be another when DuckDB runs it?
    A column of a VALUES or of a set operation takes the type DuckDB (and PostgreSQL)
    resolve over all its rows, which the annotation may miss (``VALUES (1::float8),
    ('2')`` is a column of doubles); columns of a query without either are the registry's,
    or expressions over them, and typed exactly."""
    global _UNSURE
    if not isinstance(node, exp.Column) or not type_in(node.type, TEXT_TYPES):
        return False
    root = node.root()
    cached_root, unsure = _UNSURE
    if cached_root is not root:
        unsure = root.find(exp.Values, exp.SetOperation) is not None
        _UNSURE = (root, unsure)
    return unsure


def _may_be_number(node: exp.Expr) -> bool:
    """Could ``node`` be a number when DuckDB runs it? (Its annotated type is a guess:
    ``/`` on two integers, for one, is a double in DDSQL.)"""
    if isinstance(node, (exp.Placeholder, exp.Parameter, exp.Literal)) and not node.is_number:
        return False  # text: a literal or a bound setting
    if _unsure_text(node):
        return True
    if kind(node) in ("timestamp", "interval", "text", "null"):
        return False  # the time rules print these
    return node.type is None or not type_in(node.type, _NOT_NUMBERS)


# Calls that return text arrays but that sqlglot leaves untyped.
_TEXT_ARRAY_CALLS = {"akeys", "avals", "string_to_array", "regexp_match", "regexp_split_to_array"}


def element_type(node: exp.Expr) -> exp.DataType | None:
    """The element type of an array-valued ``node``; None when it is not known to be one."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, (exp.StringToArray, exp.RegexpSplit)) or (
        isinstance(node, exp.Anonymous) and node.name.lower() in _TEXT_ARRAY_CALLS
    ):
        return data_type("TEXT")
    typed = node.type
    if typed is not None and type_in(typed, (exp.DType.ARRAY,)) and typed.expressions:
        element = typed.expressions[0]
        return element if isinstance(element, exp.DataType) else None
    return None


def array_operator(node: exp.DPipe) -> str | None:
    """The array function ``a || b`` stands for (``array_cat``, ``array_append``,
    ``array_prepend``), as PostgreSQL's type resolution (.pgtypes) found it, else as the
    operands' types say; None when it joins text."""
    found = node.meta.get(ARRAY_OPERATOR) if node._meta else None
    if found is not None:
        return str(found)
    left, right = (element_type(operand) is not None for operand in (node.this, node.expression))
    if left and (right or isinstance(node.expression, exp.Null)):
        return "array_cat"
    if right and isinstance(node.this, exp.Null):
        return "array_cat"
    return "array_append" if left else "array_prepend" if right else None


def _element_texts(array: exp.Expr, item: exp.DataType) -> exp.Expr:
    """``array`` (of ``item`` elements) as a VARCHAR[] of the elements' PostgreSQL texts,
    NULLs kept."""
    element = exp.to_identifier("e")
    value = exp.column(element)
    if item.is_type(*TEXT_TYPES):
        if not (isinstance(array, exp.Array) and any(map(_unsure_text, array.expressions))):
            return array
        item = data_type("UNKNOWN")  # an element may not be text: decided when DuckDB binds
    if item.is_type(exp.DType.BOOLEAN):
        text: exp.Expr = exp.Case(
            ifs=[
                exp.If(this=value, true=exp.Literal.string("t")),
                exp.If(this=exp.Not(this=value.copy()), true=exp.Literal.string("f")),
            ]
        )
    elif item.is_type(exp.DType.INTERVAL):
        text = call(INTERVAL_TEXT, value)
    elif item.is_type(
        exp.DType.UNKNOWN, *exp.DataType.NUMERIC_TYPES, exp.DType.TIMESTAMP, exp.DType.JSON
    ):
        text = call(VALUE_TEXT, value)
    else:
        raise UnsupportedError(f"arrays of {pg_sql(item).lower()} cannot be made text")
    return call("list_transform", array, exp.Lambda(this=text, expressions=[element]))


def _value_text(value: exp.Expr) -> exp.Expr:
    """``value`` as PostgreSQL's text (``ddsql_value_text``); of a select-list
    ``unnest(a)``, each element made text before it is set out (DuckDB refuses an UNNEST
    inside the macro's lambdas, and the rows are the same)."""
    if isinstance(value, exp.Explode) and not value.expressions:
        element = exp.to_identifier("e")
        texts = exp.Lambda(this=call(VALUE_TEXT, exp.column(element)), expressions=[element])
        return exp.Explode(this=call("list_transform", value.this, texts))
    return call(VALUE_TEXT, value)


@rewrites(exp.Cast, exp.DPipe, exp.ArrayToString)
def value_texts(node: exp.Expr) -> exp.Expr:
    """Casts to text (and to text arrays), ``||`` operands and ``array_to_string`` arrays
    as PostgreSQL's text."""
    if isinstance(node, exp.Cast) and type_in(node.to, TEXT_TYPES):
        item = element_type(node.this)
        text = None
        if item is not None:
            text = call(ARRAY_TEXT, _element_texts(node.this, item))
        elif _may_be_number(node.this):
            text = _value_text(node.this)
        if text is not None:
            text.type = data_type("VARCHAR")  # for the rules after this one
            return text
    elif isinstance(node, exp.Cast) and type_in(node.to, (exp.DType.ARRAY,)):
        target = node.to.expressions[0] if node.to.expressions else None
        item = element_type(node.this)
        if item is not None and isinstance(target, exp.DataType) and target.is_type(*TEXT_TYPES):
            return _element_texts(node.this, item)
    elif isinstance(node, exp.DPipe) and array_operator(node) is None:
        for side in ("this", "expression"):
            operand = node.args[side]
            if _may_be_number(operand):
                node.set(side, _value_text(operand))
    elif isinstance(node, exp.ArrayToString):
        item = element_type(node.this)
        if item is not None:
            node.set("this", _element_texts(node.this, item))
    return node


REWRITES: tuple[Rewrite, ...] = (value_texts,)
FUNCTIONS: Functions = {}
SYNTAX: Syntax = {}
