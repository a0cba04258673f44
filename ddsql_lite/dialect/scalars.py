"""Numbers, strings, arrays, aggregates and window functions, with PostgreSQL's answers.

Where DuckDB's function of the same name answers differently (``substring`` with a start
below 1, ``split_part`` with an empty delimiter, ``array_agg(DISTINCT x)`` order...), a
rewrite or a ``ddsql_`` macro restores PostgreSQL's (or DDSQL's documented) behaviour.
"""

from __future__ import annotations

from sqlglot import exp

from ..errors import QueryError, UnsupportedError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import TEXT_TYPES, call, data_type, is_json, pg_sql, type_in
from .refusals import Refusal
from .runtime import (
    ARRAY_TO_STRING,
    JSON_INPUT,
    RAISE,
    SPLIT_PART,
    STRING_TO_ARRAY,
    SUBSCRIPT,
    SUBSTRING,
    SUBSTRING_FROM,
    json_problem,
)
from .texts import array_operator


@rewrites(exp.Bracket)
def subscripts(node: exp.Expr) -> exp.Expr:
    """``a[i]``: 1-based, NULL out of range, including 0 and negative indexes (DuckDB
    would count those from the end)."""
    if isinstance(node, exp.Bracket):
        if len(node.expressions) != 1 or isinstance(node.expressions[0], exp.Slice):
            raise UnsupportedError("array subscripts take one index, such as a[1]")
        _check_subscripted(node.this)
        index = node.expressions[0]
        if isinstance(index, (exp.Literal, exp.Neg)) and index.sql().lstrip("-").isdigit():
            # sqlglot stores literal indexes 0-based (and only those); restore the written one
            index = exp.Literal.number(int(index.sql()) + 1)
        return call(SUBSCRIPT, node.this, index)
    return node


# What to write instead of a subscript on a value that is not an array (PostgreSQL refuses
# them: "cannot subscript type ... because it does not support subscripting"; DuckDB would
# index a string by character and a JSON array by element).
_NOT_SUBSCRIPTABLE = {
    exp.DType.JSON: "for an element of a JSON array write j -> 0",
    **{kind: "use substring(s, start, length)" for kind in TEXT_TYPES},
}


def _check_subscripted(value: exp.Expr) -> None:
    """Refuse ``v[i]`` unless ``v`` is an array (or of a type not known here)."""
    typed = value.type
    kind = typed.this if typed is not None else exp.DType.UNKNOWN
    if kind in (exp.DType.ARRAY, exp.DType.UNKNOWN, exp.DType.NULL):
        return
    instead = _NOT_SUBSCRIPTABLE.get(kind, "subscripts apply to arrays")
    raise UnsupportedError(
        f"cannot subscript type {pg_sql(typed).lower() if typed else kind} because "
        f"it does not support subscripting; {instead}"
    )


@rewrites(
    exp.Substring,
    exp.SplitPart,
    exp.StringToArray,
    exp.ArrayToString,
    exp.Round,
    exp.Floor,
    exp.Ceil,
)
def strings(node: exp.Expr) -> exp.Expr:
    """``substring``, ``split_part``, ``string_to_array`` and ``array_to_string`` with
    PostgreSQL's edge cases (and its strictness: a NULL argument gives NULL)."""
    if isinstance(node, exp.Substring):
        start, length = node.args.get("start"), node.args.get("length")
        if start is None or (isinstance(start, exp.Literal) and start.is_string):
            raise UnsupportedError("substring() takes a string, a start and a length")
        if length is None:
            return call(SUBSTRING_FROM, node.this, start)
        return call(SUBSTRING, node.this, start, length)
    if isinstance(node, exp.SplitPart):
        if node.args.get("delimiter") is None or node.args.get("part_index") is None:
            raise UnsupportedError("split_part() takes a string, a delimiter and a field number")
        return call(SPLIT_PART, node.this, node.args["delimiter"], node.args["part_index"])
    if isinstance(node, exp.StringToArray):
        if node.args.get("null"):
            raise UnsupportedError("string_to_array() takes two arguments")
        return call(STRING_TO_ARRAY, node.this, node.expression)
    if isinstance(node, exp.ArrayToString):
        if node.args.get("null"):
            raise UnsupportedError("array_to_string() takes two arguments")
        return call(ARRAY_TO_STRING, node.this, node.expression)  # a NULL delimiter: NULL
    if isinstance(node, exp.Round) and node.args.get("decimals") is not None:
        raise UnsupportedError("round() takes one argument in DDSQL")
    if isinstance(node, (exp.Floor, exp.Ceil)) and node.args.get("decimals") is not None:
        # (PostgreSQL has no such call; sqlglot would write DuckDB SQL that does not parse)
        raise UnsupportedError(f"{node.sql_name().lower()}() takes one argument")
    return node


@rewrites(exp.ParseJSON, exp.Cast, exp.DataType)
def types(node: exp.Expr) -> exp.Expr:
    """DDSQL's types: integers are BIGINT, decimals DOUBLE (a bare DuckDB DECIMAL would be
    DECIMAL(18,3)), text VARCHAR; ``JSON '...'`` keeps its text as written."""
    if isinstance(node, exp.ParseJSON) or (
        isinstance(node, exp.Cast) and node.to.is_type(exp.DType.JSON)
    ):
        return exp.Cast(this=json_checked(node.this), to=data_type("JSON"))
    if isinstance(node, exp.Cast) and _is_sized_text(node.to):
        size = node.to.expressions[0]
        return call("left", exp.Cast(this=node.this, to=data_type("VARCHAR")), size.this)
    if isinstance(node, exp.DataType):
        target = _CANONICAL.get(node.this)
        if target is not None and not node.expressions:
            return data_type(target)
        if node.this in _CANONICAL and node.this != exp.DType.VARCHAR:
            raise UnsupportedError(f"type modifiers in {pg_sql(node)} are not supported")
    return node


def json_checked(value: exp.Expr) -> exp.Expr:
    """``value``, about to be made JSON, checked as PostgreSQL reads JSON text and for
    repeated keys (see ``JSON_INPUT``): a string literal now, a text at run time, except
    the text of a JSON value (checked where it was made)."""
    if isinstance(value, exp.Literal) and value.is_string:
        problem = json_problem(value.this)
        if problem:
            kind = QueryError if problem.startswith("invalid input") else UnsupportedError
            raise Refusal(problem, value, kind=kind)
        return value
    known = value.type is not None and not type_in(value.type, (*TEXT_TYPES, exp.DType.UNKNOWN))
    if known or isinstance(value, exp.Null):  # not text
        return value
    inner = value
    while isinstance(inner, (exp.Cast, exp.Paren)) and type_in(inner.type, TEXT_TYPES):
        inner = inner.this
    return value if is_json(inner) else call(JSON_INPUT, value)


_CANONICAL = {
    exp.DType.INT: "BIGINT",
    exp.DType.SMALLINT: "BIGINT",
    exp.DType.BIGINT: "BIGINT",
    exp.DType.DECIMAL: "DOUBLE",
    exp.DType.DOUBLE: "DOUBLE",
    exp.DType.FLOAT: "DOUBLE",
    exp.DType.TEXT: "VARCHAR",
    exp.DType.VARCHAR: "VARCHAR",
    exp.DType.CHAR: "VARCHAR",
}


def _is_sized_text(to: exp.Expr) -> bool:
    return (
        isinstance(to, exp.DataType)
        and to.this in (exp.DType.VARCHAR, exp.DType.TEXT)
        and len(to.expressions) == 1
    )


@rewrites(exp.ArrayAgg, exp.WithinGroup, exp.Count)
def aggregates(node: exp.Expr) -> exp.Expr:
    """``array_agg(DISTINCT x)`` sorted like PostgreSQL's; ``approx_percentile(p) WITHIN
    GROUP (ORDER BY x)`` as the exact ``quantile_cont`` (PostgreSQL's percentile_cont);
    ``count()`` refused as PostgreSQL does (DuckDB counts rows)."""
    if isinstance(node, exp.Count) and node.this is None and not node.expressions:
        raise UnsupportedError("count(*) must be used to call a parameterless aggregate function")
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Distinct):
        values = node.this.expressions
        if len(values) == 1:  # PostgreSQL sorts to find duplicates, so the result is sorted
            order = [exp.Ordered(this=values[0].copy(), nulls_first=False)]
            return exp.ArrayAgg(this=exp.Order(this=node.this, expressions=order))
    if isinstance(node, exp.WithinGroup):
        func, order = node.this, node.expression
        if not (isinstance(func, exp.Anonymous) and func.name.lower() == "approx_percentile"):
            raise UnsupportedError("WITHIN GROUP is supported with approx_percentile only")
        if len(func.expressions) != 1 or len(order.expressions) != 1:
            raise UnsupportedError(
                "approx_percentile(p) WITHIN GROUP (ORDER BY x) takes one fraction and one value"
            )
        fraction, ordered = func.expressions[0], order.expressions[0]
        p = _fraction(fraction)
        if ordered.args.get("desc"):
            p = 1 - p
        return call("quantile_cont", ordered.this, exp.Literal.number(repr(p)))
    return node


def _fraction(node: exp.Expr) -> float:
    try:
        value = float(node.this) if isinstance(node, exp.Literal) and not node.is_string else None
    except ValueError:
        value = None
    if value is None or not 0 <= value <= 1:
        raise UnsupportedError(
            f"approx_percentile needs a literal fraction between 0 and 1, got {pg_sql(node)}"
        )
    return value


@rewrites(exp.DPipe)
def array_concatenation(node: exp.Expr) -> exp.Expr:
    """``||`` with an array operand: PostgreSQL's array operators. Two arrays (or an array
    and NULL) are joined, a NULL array counting as empty unless both are NULL
    (``array_cat``); an element is appended or prepended, to a NULL array too
    (``array_append``, ``array_prepend``)."""
    if not isinstance(node, exp.DPipe):
        return node
    function = array_operator(node)
    left, right = node.this, node.expression
    if function == "array_cat":
        return exp.Case(
            ifs=[exp.If(this=exp.Is(this=left, expression=exp.Null()), true=right)],
            default=call("list_concat", left.copy(), right.copy()),
        )
    if function == "array_append":
        return call("list_append", left, right)
    if function == "array_prepend":
        return call("list_prepend", left, right)
    return node


@rewrites(exp.NthValue)
def nth_value_offset(node: exp.Expr) -> exp.Expr:
    """``nth_value(x, n)`` fails for n < 1 as PostgreSQL's does (DuckDB answers NULL): a
    literal now, with a caret, any other n when the query runs (a NULL n gives NULL)."""
    offset = node.args.get("offset") if isinstance(node, exp.NthValue) else None
    if offset is None:
        return node
    if isinstance(offset, exp.Literal) and offset.is_int:
        if int(offset.this) < 1:
            raise Refusal(_NTH_VALUE, offset, kind=QueryError)
        return node
    checked = exp.Case(
        ifs=[
            exp.If(
                this=exp.or_(
                    exp.Is(this=offset.copy(), expression=exp.Null()),
                    exp.GTE(this=offset.copy(), expression=exp.Literal.number(1)),
                ),
                true=offset,
            )
        ],
        default=call(RAISE, exp.Literal.string(_NTH_VALUE)),
    )
    node.set("offset", checked)
    return node


_NTH_VALUE = "argument of nth_value must be greater than zero"


# (array_concatenation first: it reads string_to_array, which strings replaces)
REWRITES: tuple[Rewrite, ...] = (
    array_concatenation,
    strings,
    types,
    aggregates,
    subscripts,
    nth_value_offset,
)

FUNCTIONS: Functions = {
    # aggregates
    "count": (exp.Count,),
    "sum": (exp.Sum,),
    "min": (exp.Min,),
    "max": (exp.Max,),
    "avg": (exp.Avg,),
    "bool_and": (exp.LogicalAnd,),
    "bool_or": (exp.LogicalOr,),
    "array_agg": (exp.ArrayAgg,),
    "approx_percentile": (exp.WithinGroup, "approx_percentile"),
    # numbers
    "abs": (exp.Abs,),
    "ceil": (exp.Ceil,),
    "ceiling": (exp.Ceil,),
    "floor": (exp.Floor,),
    "power": (exp.Pow,),
    "round": (exp.Round,),
    # strings
    "lower": (exp.Lower,),
    "upper": (exp.Upper,),
    "length": (exp.Length,),
    "trim": (exp.Trim,),
    "coalesce": (exp.Coalesce,),
    "substring": (exp.Substring,),
    "strpos": (exp.StrPosition,),
    "split_part": (exp.SplitPart,),
    "reverse": (exp.Reverse,),
    "replace": (exp.Replace,),
    # arrays
    "cardinality": ("cardinality",),
    "array_position": (exp.ArrayPosition,),
    "string_to_array": (exp.StringToArray,),
    "array_to_string": (exp.ArrayToString,),
    # window functions
    "row_number": (exp.RowNumber,),
    "rank": (exp.Rank,),
    "lead": (exp.Lead,),
    "lag": (exp.Lag,),
    "first_value": (exp.FirstValue,),
    "last_value": (exp.LastValue,),
    "nth_value": (exp.NthValue,),
}
SYNTAX: Syntax = {exp.ParseJSON: "json", exp.Array: "array"}
