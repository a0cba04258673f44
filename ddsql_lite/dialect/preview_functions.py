"""The functions DDSQL (Preview) lists beyond the reference's (a :class:`.declare.Rule`
of the preview only; docs/dialect.md, "The Preview variant"). Most are PostgreSQL's and
DuckDB's alike, and only need declaring; the rewrites here give the others PostgreSQL's
answers and errors: ``round(x, s)`` rounds the decimal a double prints as, ``ln``,
``log``, ``sqrt`` and ``exp`` fail where PostgreSQL's do, ``concat`` prints numbers as
PostgreSQL does, the three-argument ``string_to_array`` and ``array_to_string`` read
their null string, and ``json_build_object`` builds its object.
"""

from __future__ import annotations

from sqlglot import exp

from ..errors import UnsupportedError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import TEXT_TYPES, call, data_type, type_in
from .runtime import RAISE, ROUND_PLACES_MACRO

# date_diff is renamed before parsing (sqlglot's builder reorders its arguments):
# ddsql.PREVIEW_RAW_FUNCTIONS.
DATE_DIFF = "ddsql_date_diff"
DATE_DIFF_UNITS = frozenset(
    {"microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month"}
    | {"quarter", "year"}
)


def _fail(message: str) -> exp.Expr:
    return call(RAISE, exp.Literal.string(message))


def _guarded(value: exp.Expr, *checks: tuple[exp.Expr, str]) -> exp.Expr:
    """``value``, unless a check holds: then the query fails with its message."""
    ifs = [exp.If(this=condition, true=_fail(message)) for condition, message in checks]
    return exp.Case(ifs=ifs, default=value)


def _lt(value: exp.Expr, bound: str) -> exp.Expr:
    return exp.LT(this=value.copy(), expression=exp.Literal.number(bound))


@rewrites(exp.Ln, exp.Log, exp.Sqrt, exp.Exp)
def math_domains(node: exp.Expr) -> exp.Expr:
    """PostgreSQL's errors where DuckDB answers -inf, NaN or inf: the logarithm of zero or
    of a negative number, the square root of a negative number, ``exp`` overflowing.
    (The guarded call is DuckDB's, by name, so this rewrite does not meet it again.)"""
    if isinstance(node, (exp.Ln, exp.Log)):
        args = [node.this, node.expression] if node.expression else [node.this]
        x = args[-1]
        zero = exp.EQ(this=x.copy(), expression=exp.Literal.number(0))
        return _guarded(
            call("ln" if isinstance(node, exp.Ln) else "log", *args),
            (zero, "cannot take logarithm of zero"),
            (_lt(x, "0"), "cannot take logarithm of a negative number"),
        )
    if isinstance(node, exp.Sqrt):
        return _guarded(
            call("sqrt", node.this),
            (_lt(node.this, "0"), "cannot take square root of a negative number"),
        )
    if isinstance(node, exp.Exp):
        over = exp.GT(this=node.this.copy(), expression=exp.Literal.number("709.782712893384"))
        return _guarded(call("exp", node.this), (over, "value out of range: overflow"))
    return node


@rewrites(exp.Round)
def round_places(node: exp.Expr) -> exp.Expr:
    """``round(x, s)``: x rounded to s decimal places (s < 0: to tens, hundreds...), half
    away from zero, on the decimal the double prints as (``round(2.675, 2)`` is 2.68, as
    PostgreSQL's ``round(numeric, int)`` on that value gives); a double."""
    if not isinstance(node, exp.Round) or node.args.get("decimals") is None:
        return node
    return call(ROUND_PLACES_MACRO, node.this, node.args["decimals"])


def _text(node: exp.Expr) -> bool:
    return type_in(node.type, TEXT_TYPES) or (isinstance(node, exp.Literal) and node.is_string)


@rewrites(exp.Concat)
def concat_texts(node: exp.Expr) -> exp.Expr:
    """``concat(x, ...)``: each argument as PostgreSQL prints it (a cast to text, which
    the texts rule spells), NULLs skipped."""
    if not isinstance(node, exp.Concat) or all(
        _text(e) or isinstance(e, (exp.Cast, exp.Case)) for e in node.expressions
    ):
        return node
    texts = [
        e if _text(e) or (isinstance(e, exp.Cast) and type_in(e.to, TEXT_TYPES)) else _as_text(e)
        for e in node.expressions
    ]
    return exp.Concat(expressions=texts, safe=True, coalesce=True)


def _as_text(value: exp.Expr) -> exp.Expr:
    """``value`` as ``concat`` prints it: a type's output text (a boolean is ``t`` or
    ``f``, where a cast to text says ``true``), NULL kept."""
    if type_in(value.type, (exp.DType.BOOLEAN,)):
        t, f = exp.Literal.string("t"), exp.Literal.string("f")
        return exp.Case(
            ifs=[exp.If(this=value, true=t), exp.If(this=exp.Not(this=value.copy()), true=f)]
        )
    return exp.Cast(this=value, to=data_type("TEXT"))


@rewrites(exp.StringToArray, exp.ArrayToString)
def null_strings(node: exp.Expr) -> exp.Expr:
    """The third argument of ``string_to_array`` (fields equal to it become NULL) and of
    ``array_to_string`` (NULL elements are written as it; text arrays only)."""
    if not isinstance(node, (exp.StringToArray, exp.ArrayToString)):
        return node
    null = node.args.get("null")
    if null is None:
        return node
    x = exp.to_identifier("x")
    if isinstance(node, exp.StringToArray):
        split = exp.StringToArray(this=node.this, expression=node.expression)
        same = exp.EQ(this=exp.column(x), expression=null)
        body: exp.Expr = exp.Case(ifs=[exp.If(this=same, true=exp.Null())], default=exp.column(x))
        return call("list_transform", split, exp.Lambda(this=body, expressions=[x]))
    element = (
        node.this.type.expressions[0] if node.this.type and node.this.type.expressions else None
    )
    if not (isinstance(element, exp.DataType) and type_in(element, TEXT_TYPES)):
        raise UnsupportedError("array_to_string() with a null string takes an array of text")
    body = exp.Coalesce(this=exp.column(x), expressions=[null])
    filled = call("list_transform", node.this, exp.Lambda(this=body, expressions=[x]))
    return exp.ArrayToString(this=filled, expression=node.expression)


@rewrites(calls=(DATE_DIFF, "json_build_object", "row_to_json"))
def preview_calls(node: exp.Expr) -> exp.Expr:
    """``date_diff(unit, a, b)``: how many unit boundaries lie from a to b (DuckDB's
    ``date_diff``); ``json_build_object(k, v, ...)``: a JSON object."""
    if not isinstance(node, exp.Anonymous):
        return node
    name, args = node.name.lower(), node.expressions
    if name == DATE_DIFF:
        unit = args[0] if args else None
        if len(args) != 3 or not (isinstance(unit, exp.Literal) and unit.is_string):
            raise UnsupportedError("date_diff() takes a unit in quotes and two timestamps")
        word = unit.this.lower().removesuffix("s")
        if word not in DATE_DIFF_UNITS:
            raise UnsupportedError(f"date_diff() unit {unit.this!r} is not supported")
        return call("date_diff", exp.Literal.string(word), args[1], args[2])
    if name == "row_to_json":  # (a table's name was made an object before qualification)
        raise UnsupportedError("row_to_json() takes a table's name: SELECT row_to_json(t) FROM t")
    if name == "json_build_object":
        if len(args) % 2:
            raise UnsupportedError("argument list must have even number of elements")
        for value in args[1::2]:
            if type_in(value.type, (exp.DType.TIMESTAMP, exp.DType.INTERVAL, exp.DType.DATE)):
                raise UnsupportedError(
                    "json_build_object() values are text, numbers, booleans or JSON here; "
                    "cast a timestamp to text"
                )
        built = call("json_object", *args)
        built.type = data_type("JSON")  # for the JSON operators after
        return built
    return node


REWRITES: tuple[Rewrite, ...] = (
    math_domains,
    round_places,
    concat_texts,
    null_strings,
    preview_calls,
)
FUNCTIONS: Functions = {
    "string_agg": (exp.GroupConcat,),
    "concat": (exp.Concat,),
    "substr": (exp.Substring,),
    "md5": (exp.MD5,),
    "char_length": (exp.Length,),
    "left": (exp.Left,),
    "right": (exp.Right,),
    "ltrim": (exp.Trim,),
    "rtrim": (exp.Trim,),
    "mod": (exp.Mod,),
    "ln": (exp.Ln,),
    "log": (exp.Log,),
    "log2": (exp.Log,),
    "exp": (exp.Exp,),
    "sqrt": (exp.Sqrt,),
    "array_length": (exp.ArraySize,),
    "array_contains": (exp.ArrayContains,),
    "array_cat": (exp.ArrayConcat,),
    "array_append": (exp.ArrayAppend,),
    "date_diff": (DATE_DIFF,),
    "nullif": (exp.Nullif,),
    "json_build_object": ("json_build_object",),
    "row_to_json": ("row_to_json",),
    "dense_rank": (exp.DenseRank,),
}
SYNTAX: Syntax = {}
