"""Which functions and constructs a DDSQL query may use.

The translator refuses everything not listed here with an ``UnsupportedError`` naming
it, so a DuckDB-only function (``read_csv``, ``getenv``, ``query``...) can never run.
A function is listed once it is translated with PostgreSQL's (or DDSQL's documented)
semantics; docs/dialect.md, "Functions" documents every one of them.
"""

from __future__ import annotations

from sqlglot import exp

from . import paths, regex, scalars, tables, tags, timefuncs

# Every DDSQL function, as users spell them (docs/dialect.md, "Functions"). A name a
# query calls that is not here is refused before anything else looks at the query.
DDSQL_FUNCTIONS: frozenset[str] = frozenset(
    (
        *("min", "max", "count", "sum", "avg", "bool_and", "bool_or", "array_agg"),
        *("approx_percentile", "abs", "ceil", "ceiling", "floor", "round", "power"),
        *("lower", "upper", "length", "trim", "replace", "substring", "reverse", "strpos"),
        *("split_part", "coalesce", "now", "extract", "date_trunc", "date_bin"),
        *("to_timestamp", "to_char", "current_setting", "cardinality", "array_position"),
        *("string_to_array", "array_to_string", "unnest", "regexp_like", "regexp_match"),
        *("regexp_replace", "row_number", "rank", "lead", "lag", "first_value"),
        *("last_value", "nth_value", "json_extract_path", "json_extract_path_text"),
        *("json_array_elements", "json_array_elements_text", "akeys", "avals"),
    )
)
# Syntax that reads like a call: CAST(x AS T), EXISTS (...), WITHIN GROUP (...).
CALL_SYNTAX: frozenset[str] = frozenset({"cast", "exists", "group"})

# sqlglot node class -> the DDSQL name users write.
FUNCTIONS: dict[type[exp.Expr], str] = {
    exp.Count: "count",
    exp.Sum: "sum",
    exp.Min: "min",
    exp.Max: "max",
    exp.Avg: "avg",
    exp.LogicalAnd: "bool_and",
    exp.LogicalOr: "bool_or",
    exp.Lower: "lower",
    exp.Upper: "upper",
    exp.Length: "length",
    exp.Trim: "trim",
    exp.Coalesce: "coalesce",
    exp.Abs: "abs",
    exp.Ceil: "ceil",
    exp.Floor: "floor",
    exp.Pow: "power",
}

# Functions that sqlglot parses as Anonymous (lower-case name as written).
ANONYMOUS: set[str] = set()

for _module in (paths, regex, scalars, tables, tags, timefuncs):
    FUNCTIONS.update(_module.FUNCTIONS)
    ANONYMOUS |= _module.ANONYMOUS

# Non-function nodes a query may contain.
CONSTRUCTS: tuple[type[exp.Expr], ...] = (
    exp.Select,
    exp.Union,
    exp.Values,
    exp.From,
    exp.Join,
    exp.Where,
    exp.Group,
    exp.Having,
    exp.Order,
    exp.Ordered,
    exp.Limit,
    exp.Offset,
    exp.With,
    exp.CTE,
    exp.TableAlias,
    exp.Subquery,
    exp.Table,
    exp.Column,
    exp.Identifier,
    exp.Star,
    exp.Alias,
    exp.Literal,
    exp.Null,
    exp.Boolean,
    exp.Paren,
    exp.And,
    exp.Or,
    exp.Not,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.Is,
    exp.In,
    exp.Between,
    exp.Like,
    exp.Escape,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.Neg,
    exp.DPipe,
    exp.Case,
    exp.If,
    exp.Cast,
    exp.DataType,
    exp.Distinct,
    exp.Tuple,
    exp.JSONPath,
    exp.JSONPathRoot,
    exp.JSONPathKey,
    exp.JSONPathSubscript,
    exp.Array,
    exp.Dot,
    exp.Placeholder,
    exp.Window,
    exp.WindowSpec,
    exp.Exists,
    exp.Bracket,
    exp.DataTypeParam,
)

# Types a CAST may name.
CAST_TYPES = {
    exp.DType.BIGINT,
    exp.DType.INT,
    exp.DType.DECIMAL,
    exp.DType.DOUBLE,
    exp.DType.FLOAT,
    exp.DType.VARCHAR,
    exp.DType.TEXT,
    exp.DType.CHAR,
    exp.DType.ARRAY,
    exp.DType.BOOLEAN,
    exp.DType.TIMESTAMP,
    exp.DType.INTERVAL,
    exp.DType.JSON,
}


def function_name(node: exp.Expr) -> str:
    """The name of a function node as a user would recognise it."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower().removeprefix("ddsql_")
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return type(node).__name__.lower()


def is_allowed(node: exp.Expr) -> bool:
    """True when ``node`` is a construct or function DDSQL queries may use here.

    Classes match exactly: a subclass (``Except`` of a set operation, say) is not implied.
    """
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() in ANONYMOUS
    return type(node) in FUNCTIONS or type(node) in _CONSTRUCT_SET


def allowed_kind(kind: type[exp.Expr]) -> bool | None:
    """:func:`is_allowed` for every node of class ``kind``; None for calls
    (:class:`exp.Anonymous`), which are allowed or not by name."""
    if issubclass(kind, exp.Anonymous):
        return None
    return kind in FUNCTIONS or kind in _CONSTRUCT_SET


_CONSTRUCT_SET = frozenset(CONSTRUCTS)
