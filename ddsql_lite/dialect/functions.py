"""Which functions and constructs a DDSQL query may use.

The translator refuses everything not listed here with an ``UnsupportedError`` naming
it, so a DuckDB-only function (``read_csv``, ``getenv``, ``query``...) can never run.
A function is listed once it is translated with PostgreSQL's (or DDSQL's documented)
semantics; ``DDSQL.md`` is the full list the dialect grows towards.
"""

from __future__ import annotations

from sqlglot import exp

from . import regex, timefuncs

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
    # JSON operators; the transforms check their operand types.
    exp.JSONExtract: "->",
    exp.JSONExtractScalar: "->>",
    exp.JSONBExtract: "#>",
    exp.JSONBExtractScalar: "#>>",
}

# Functions that sqlglot parses as Anonymous (lower-case name as written).
ANONYMOUS: set[str] = {
    "replace",
    "ddsql_json_extract_path",
    "ddsql_json_extract_path_text",
}

FUNCTIONS.update(regex.FUNCTIONS)
FUNCTIONS.update(timefuncs.FUNCTIONS)
ANONYMOUS |= regex.ANONYMOUS | timefuncs.ANONYMOUS

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
    exp.DType.BOOLEAN,
    exp.DType.TIMESTAMP,
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


_CONSTRUCT_SET = frozenset(CONSTRUCTS)
