"""PostgreSQL's result shape, which DuckDB would otherwise change.

Output column names (``?column?``, function names, ``int8`` for a typed literal),
``VALUES`` columns (``column1``...), the column order of ``SELECT *`` over ``JOIN ...
USING``, and ``GROUP BY`` on an output column's name. All pure functions on the parsed
(pre-qualification) tree, except :func:`order_using_star`, which runs after it.
"""

from __future__ import annotations

from sqlglot import exp

from ..registry import Registry
from .functions import NODE_NAMES
from .nodes import pg_sql, replace_node
from .refusals import Refusal

# PostgreSQL's internal type names, which name a cast's output column.
PG_TYPE_NAMES = {
    exp.DType.BIGINT: "int8",
    exp.DType.INT: "int4",
    exp.DType.SMALLINT: "int2",
    exp.DType.BOOLEAN: "bool",
    exp.DType.VARCHAR: "varchar",
    exp.DType.TEXT: "text",
    exp.DType.CHAR: "bpchar",
    exp.DType.DECIMAL: "numeric",
    exp.DType.DOUBLE: "float8",
    exp.DType.FLOAT: "float4",
    exp.DType.TIMESTAMP: "timestamp",
    exp.DType.JSON: "json",
    exp.DType.INTERVAL: "interval",
}
_UNNAMED = (exp.JSONExtract, exp.JSONExtractScalar, exp.JSONBExtract, exp.JSONBExtractScalar)


def output_names(tree: exp.Expr) -> tuple[str, ...]:
    """PostgreSQL's names for the outermost query's columns ("?column?" for expressions)."""
    select = tree
    while isinstance(select, exp.Union):
        select = select.this
    if not isinstance(select, exp.Select):
        if isinstance(select, exp.Values):
            width = len(select.expressions[0].expressions) if select.expressions else 0
            return tuple(f"column{i + 1}" for i in range(width))
        return ()
    if any(
        isinstance(e, exp.Star) or (isinstance(e, exp.Column) and e.is_star)
        for e in select.expressions
    ):
        return ()  # filled in from the qualified tree
    return tuple(pg_name(e) for e in select.expressions)


def pg_name(node: exp.Expr) -> str:
    if isinstance(node, exp.Alias):
        return node.alias
    if isinstance(node, exp.Column):
        return node.name
    if isinstance(node, exp.Cast):
        inner = pg_name(node.this)
        if inner != "?column?":
            return inner
        if node.to.this == exp.DType.ARRAY:
            return "?column?"
        return PG_TYPE_NAMES.get(node.to.this, pg_sql(node.to).lower().split("(")[0])
    if isinstance(node, (exp.Paren, exp.Bracket)):  # a subscript keeps its value's name
        return pg_name(node.this)
    if isinstance(node, exp.Case):
        return "case"
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower().removeprefix("ddsql_")
    if isinstance(node, exp.RegexpLike):  # a Binary, but only ever the function (~ is refused)
        return "regexp_like"
    if isinstance(node, _UNNAMED):
        return "?column?"
    if type(node) in NODE_NAMES and NODE_NAMES[type(node)].isidentifier():
        return NODE_NAMES[type(node)]
    if isinstance(node, exp.Func) and not isinstance(node, exp.Binary):
        return node.sql_name().lower()
    return "?column?"


def name_outputs(tree: exp.Expr, columns: tuple[str, ...]) -> None:
    """Alias the outermost projections with PostgreSQL's names, so DuckDB reports them."""
    select = tree
    while isinstance(select, exp.Union):
        select = select.this
    if not isinstance(select, exp.Select) or not columns:
        return
    named = [
        p if isinstance(p, exp.Alias) else exp.alias_(p, name, quoted=True, copy=False)
        for p, name in zip(select.expressions, columns)
    ]
    select.set("expressions", named + select.expressions[len(named) :])


def name_values(tree: exp.Expr, values_nodes: list[exp.Expr]) -> exp.Expr:
    """``VALUES`` columns are ``column1``, ``column2``... (DuckDB would say ``col0``).
    ``values_nodes``: the tree's VALUES, in ``find_all`` order."""
    if isinstance(tree, exp.Values) and tree.args.get("alias") is None:
        tail = {k: tree.args.pop(k) for k in ("order", "limit", "offset") if tree.args.get(k)}
        tree = exp.Select(expressions=[exp.Star()], from_=exp.From(this=tree), **tail)
    for values in values_nodes:
        rows = values.expressions
        for row in rows[1:]:
            if len(row.expressions) != len(rows[0].expressions):
                raise Refusal("VALUES lists must all be the same length", row)
        if values.parent is not None and not isinstance(values.parent, (exp.From, exp.Join)):
            # A VALUES as an expression's subquery ((VALUES (1)), IN, EXISTS): DuckDB
            # reads one with an alias only as a source, so it becomes SELECT * FROM it
            holder = exp.From(this=exp.Null())
            values.replace(exp.Select(expressions=[exp.Star()], from_=holder))
            holder.set("this", values)
        alias = values.args.get("alias")
        if alias is None:
            alias = exp.TableAlias(this=exp.to_identifier("*VALUES*", quoted=True))
            values.set("alias", alias)
        if not alias.columns and values.expressions:
            width = len(values.expressions[0].expressions)
            alias.set("columns", [exp.to_identifier(f"column{i + 1}") for i in range(width)])
    return tree


def group_by_output_names(
    selects: list[exp.Expr], ctes: list[exp.Expr], registry: Registry
) -> None:
    """``GROUP BY s`` where ``s`` names an output column and no input column: PostgreSQL
    groups by that output column; rewrite it as its ordinal. (Output names anywhere else,
    such as WHERE or later in the select list, stay errors, as in PostgreSQL.)
    ``selects``, ``ctes``: the tree's SELECTs and CTEs."""
    by_name: dict[str, exp.Expr] | None = None
    for select in selects:
        group = select.args.get("group")
        if group is None:
            continue
        assert isinstance(select, exp.Select)
        if by_name is None:
            by_name = {cte.alias: cte for cte in ctes}
        outputs = {
            e.alias: i + 1 for i, e in enumerate(select.expressions) if isinstance(e, exp.Alias)
        }
        inputs: set[str] | None = None
        known = False  # inputs are found when first needed
        for item in group.expressions:
            if isinstance(item, exp.Column) and not item.table and item.name in outputs:
                if not known:
                    inputs, known = input_columns(select, by_name, registry), True
                if inputs is not None and item.name not in inputs:
                    replace_node(item, exp.Literal.number(outputs[item.name]))


def input_columns(
    select: exp.Select, ctes: dict[str, exp.Expr], registry: Registry
) -> set[str] | None:
    """The column names a SELECT's FROM and JOINs provide, or None when unknown
    (``ctes``: the query's CTEs by name)."""
    names: set[str] = set()
    sources = [j.this for j in select.args.get("joins") or []]
    if select.args.get("from_") is not None:
        sources.insert(0, select.args["from_"].this)
    for source in sources:
        alias = source.args.get("alias")
        if isinstance(alias, exp.TableAlias) and alias.columns:
            names |= {c.name for c in alias.columns}
        elif isinstance(source, exp.Table) and source.name in ctes and not source.db:
            cte = ctes[source.name]
            cols = cte.args["alias"].columns if cte.args.get("alias") else []
            names |= {c.name for c in cols} or {e.alias_or_name for e in cte.this.selects}
        elif isinstance(source, exp.Table):
            table = registry.find(".".join(p.name for p in source.parts))
            if table is None:
                return None
            names |= {c.name for c in table.columns}
        elif isinstance(source, exp.Subquery):
            names |= {e.alias_or_name for e in source.this.selects}
        else:
            return None
    return names


def using_orders(tree: exp.Expr) -> list[list[str] | None]:
    """Before qualification: for each SELECT (in ``find_all`` order) whose ``*`` spans a
    ``JOIN ... USING`` as its first join, the USING columns in the order written."""
    orders: list[list[str] | None] = []
    for select in tree.find_all(exp.Select):
        joins = select.args.get("joins") or []
        star = any(isinstance(e, exp.Star) for e in select.expressions)
        usings = [j for j in joins if j.args.get("using")]
        if not star or not usings:
            orders.append(None)
        elif usings != joins[:1]:
            raise Refusal(
                "SELECT * is supported with JOIN ... USING as the first join",
                next(j for j in usings if j not in joins[:1]),
            )
        else:
            orders.append([u.name for u in usings[0].args["using"]])
    return orders


def order_using_star(qualified: exp.Expr, orders: list[list[str] | None]) -> None:
    """PostgreSQL lists ``SELECT *`` over ``a JOIN b USING (x, y)`` as x, y (in USING
    order), then a's other columns, then b's, then any later join's; sqlglot orders them
    differently. ``orders`` comes from :func:`using_orders` before qualification."""
    for select, order in zip(qualified.find_all(exp.Select), orders):
        if order is None:
            continue
        sides = [
            select.args["from_"].this.alias_or_name,
            select.args["joins"][0].this.alias_or_name,
        ]
        ranked = sorted(
            enumerate(select.expressions), key=lambda p: _star_rank(p[1], p[0], order, sides)
        )
        select.set("expressions", [p for _, p in ranked])


def _star_rank(
    projection: exp.Expr, position: int, using: list[str], sides: list[str]
) -> tuple[int, int]:
    """USING columns first (in USING order), then the left source's, the right's, others."""
    name = projection.alias_or_name
    if name in using:
        return (0, using.index(name))
    source = projection.this.table if isinstance(projection.this, exp.Column) else None
    group = sides.index(source) + 1 if source in sides else 3
    return (group, position)
