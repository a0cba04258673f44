"""Which functions and constructs a DDSQL query may use: the functions the rule modules
declare (:data:`.rules.RULES`), and the constructs listed here. The translator refuses
everything else with an ``UnsupportedError`` naming it, so a DuckDB-only function
(``read_csv``, ``getenv``, ``query``...) never runs. docs/dialect.md, "Functions"
documents every function.
"""

from __future__ import annotations

from sqlglot import exp

from .declare import Rule
from .rules import RULES

# Every DDSQL function, as users spell them. A name a query calls that is not here is
# refused before anything else looks at the query.
DDSQL_FUNCTIONS: frozenset[str] = frozenset(name for rule in RULES for name in rule.FUNCTIONS)


def declared(
    rules: tuple[Rule, ...] = RULES,
) -> tuple[dict[type[exp.Expr], str], frozenset[str]]:
    """The node classes the rule modules ``rules`` declare, each with the DDSQL name users write
    (the first function or syntax declared for it), and the lower-case names of the
    calls sqlglot leaves as ``exp.Anonymous`` (as the parser renamed them)."""
    kinds: dict[type[exp.Expr], str] = {}
    calls: set[str] = set()
    for rule in rules:
        for name, parsed in rule.FUNCTIONS.items():
            for form in parsed:
                if isinstance(form, str):
                    calls.add(form)
                else:
                    kinds.setdefault(form, name)
        for kind, name in rule.SYNTAX.items():
            kinds.setdefault(kind, name)
    return kinds, frozenset(calls)


NODE_NAMES, ANONYMOUS = declared()

# Syntax that reads like a call: CAST(x AS T), EXISTS (...), WITHIN GROUP (...).
CALL_SYNTAX: frozenset[str] = frozenset({"cast", "exists", "group"})

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


def is_allowed(node: exp.Expr) -> bool:
    """True when ``node`` is a construct or function DDSQL queries may use here.

    Classes match exactly: a subclass (``Except`` of a set operation, say) is not implied.
    """
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() in ANONYMOUS
    return type(node) in NODE_NAMES or type(node) in _CONSTRUCT_SET


def allowed_kind(kind: type[exp.Expr]) -> bool | None:
    """:func:`is_allowed` for every node of class ``kind``; None for calls
    (:class:`exp.Anonymous`), which are allowed or not by name."""
    if issubclass(kind, exp.Anonymous):
        return None
    return kind in NODE_NAMES or kind in _CONSTRUCT_SET


_CONSTRUCT_SET = frozenset(CONSTRUCTS)
