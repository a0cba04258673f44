"""Bounds on what a query may ask the translator (and DuckDB's binder) to build: measured by
:func:`check_bounds` on the parsed tree before anything is expanded, widths from the
registry and the query's own column lists; a query over one is refused naming the bound
and its value (docs/dialect.md, "Limits").
"""

from __future__ import annotations

from sqlglot import exp

from ..registry import Registry
from .inventory import Inventory
from .nodes import sources
from .refusals import Refusal

# PostgreSQL's MaxTupleAttributeNumber: "target lists can have at most 1664 entries".
MAX_OUTPUT_COLUMNS = 1664
# The columns every * and t.* of a query expand to, together.
MAX_STAR_COLUMNS = 5_000
# FROM and JOIN sources (tables, subqueries, VALUES, set-returning functions), together
# over every SELECT of the query. DuckDB's binder and join planner, which a time limit
# cannot interrupt, take time that grows with about the cube of this number: 0.1 to 0.6 s
# at 64 (joins, correlated subqueries, json_array_elements), 1 to 2 s at 128, 16 to 34 s
# at 256.
MAX_SOURCES = 64
# Common table expressions, together over every WITH of the query (the binder's time
# grows as fast with the references to them, which are sources).
MAX_CTES = 64
# Keys in one GROUP BY, ORDER BY or PARTITION BY: PostgreSQL adds each to the target
# list (as a hidden entry), which holds at most 1664.
MAX_KEYS = MAX_OUTPUT_COLUMNS
# PostgreSQL's FUNC_MAX_ARGS: "cannot pass more than 100 arguments to a function".
MAX_FUNCTION_ARGUMENTS = 100


def check_bounds(found: Inventory, registry: Registry) -> None:
    """Refuse a query over one of the bounds above (``found``: its inventory)."""
    ctes = found.of(exp.CTE)
    if len(ctes) > MAX_CTES:
        raise Refusal(
            f"the query has {len(ctes):,} common table expressions; the limit is {MAX_CTES}",
            ctes[MAX_CTES],
        )
    sources = found.of((exp.From, exp.Join))
    if len(sources) > MAX_SOURCES:
        raise Refusal(
            f"the query has {len(sources):,} FROM and JOIN sources; the limit is {MAX_SOURCES}",
            sources[MAX_SOURCES].this,
        )
    for clause in found.of((exp.Group, exp.Order, exp.Window)):
        keys = clause.args.get("partition_by") if isinstance(clause, exp.Window) else None
        keys = keys if keys is not None else clause.expressions
        if len(keys) > MAX_KEYS:
            what = (
                "GROUP BY"
                if isinstance(clause, exp.Group)
                else "ORDER BY"
                if isinstance(clause, exp.Order)
                else "PARTITION BY"
            )
            raise Refusal(
                f"{what} lists {len(keys):,} items; the limit is {MAX_KEYS:,} (as in "
                "PostgreSQL, where target lists can have at most 1664 entries)",
                keys[MAX_KEYS].this if isinstance(keys[MAX_KEYS], exp.Ordered) else keys[MAX_KEYS],
            )
    for call in found.of(exp.Anonymous):
        if len(call.expressions) > MAX_FUNCTION_ARGUMENTS:
            raise Refusal(
                f"cannot pass more than {MAX_FUNCTION_ARGUMENTS} arguments to a function "
                f"({call.name.lower().removeprefix('ddsql_')}() has {len(call.expressions):,})",
                call,
            )
    widths = _Widths(registry, {cte.alias_or_name.lower() for cte in ctes})
    for cte in ctes:  # in order, so a CTE's width is known before the CTEs after it
        widths.cte(cte)
    for select in found.of(exp.Select):
        widths.query(select)
    for values in found.of(exp.Values):
        widths.query(values)


class _Widths:
    """The number of columns of each query and source, each computed once."""

    def __init__(self, registry: Registry, cte_names: set[str]) -> None:
        self.registry = registry
        self.cte_names = cte_names
        self.known: dict[int, int] = {}
        self.stars = 0  # the columns the stars measured so far expand to

    def query(self, node: exp.Expr) -> int:
        """The width of a SELECT, set operation, VALUES or parenthesised query; refused
        over :data:`MAX_OUTPUT_COLUMNS` (a SELECT's ``*`` also counts to the star bound)."""
        found = self.known.get(id(node))
        if found is not None:
            return found
        self.known[id(node)] = 0  # (a query that reaches itself: a recursive CTE)
        if isinstance(node, exp.Select):
            width = self._select(node)
        elif isinstance(node, exp.SetOperation):
            width = self.query(node.this)
        elif isinstance(node, exp.Values):
            rows = node.expressions
            width = len(rows[0].expressions) if rows and isinstance(rows[0], exp.Tuple) else 1
        elif isinstance(node, (exp.Subquery, exp.Paren)):
            width = self.query(node.this)
        else:
            width = 1
        if width > MAX_OUTPUT_COLUMNS:
            what = "VALUES rows have" if isinstance(node, exp.Values) else "a SELECT has"
            raise Refusal(
                f"{what} {width:,} columns; the limit is {MAX_OUTPUT_COLUMNS:,} "
                "(target lists can have at most 1664 entries, as in PostgreSQL)",
                node,
            )
        self.known[id(node)] = width
        return width

    def _select(self, select: exp.Select) -> int:
        items = select.expressions
        if not items:
            raise Refusal("a SELECT without columns is not supported", select)
        width = 0
        found: list[exp.Expr] | None = None
        for item in items:
            if isinstance(item, exp.Star):
                found = sources(select) if found is None else found
                expanded = sum(self.source(s) for s in found)
            elif isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
                found = sources(select) if found is None else found
                named = [s for s in found if s.alias_or_name.lower() == item.table.lower()]
                expanded = self.source(named[0]) if named else 0
            else:
                width += 1
                continue
            width += expanded
            self.stars += expanded
            if self.stars > MAX_STAR_COLUMNS:
                raise Refusal(
                    f"the query's * expand to more than {MAX_STAR_COLUMNS:,} columns "
                    f"(the limit); list the columns it needs",
                    item,
                )
            if width > MAX_OUTPUT_COLUMNS:
                break  # (refused by the caller)
        return width

    def source(self, node: exp.Expr) -> int:
        """The width of a FROM or JOIN source."""
        alias = node.args.get("alias")
        if isinstance(alias, exp.TableAlias) and alias.columns:
            return len(alias.columns)
        if isinstance(node, exp.Table):
            if isinstance(node.this, exp.Anonymous):
                return 1  # json_array_elements(...) AS e
            name = node.name.lower()
            if not node.args.get("db") and name in self.cte_names:
                cte = visible_cte(node, name)
                if cte is not None:
                    return self.cte(cte)
            table = self.registry.find(".".join(p.name for p in node.parts))
            return len(table.columns) if table is not None else 0
        if isinstance(node, exp.Unnest):
            return max(len(node.expressions), 1)
        if isinstance(node, (exp.Subquery, exp.Values)):
            return self.query(node)
        return 0

    def cte(self, cte: exp.Expr) -> int:
        alias = cte.args.get("alias")
        if isinstance(alias, exp.TableAlias) and alias.columns:
            return len(alias.columns)
        return self.query(cte.this)


def visible_cte(table: exp.Expr, name: str) -> exp.Expr | None:
    """The CTE a table reference named ``name`` reads: the nearest enclosing WITH that
    defines it (before the reference's own CTE, or any CTE of a recursive WITH)."""
    node: exp.Expr = table
    while True:
        parent = node.parent
        if parent is None:
            return None
        ctes: list[exp.Expr] = []
        if isinstance(node, exp.CTE):
            # inside a CTE: the CTEs of its WITH defined before it (itself if recursive)
            for cte in parent.expressions:
                if cte is node and not parent.args.get("recursive"):
                    break
                ctes.append(cte)
            above = parent.parent
            if above is None:
                return _named(ctes, name)
            parent = above
        elif node.arg_key != "with_":
            with_ = parent.args.get("with_")
            ctes = list(with_.expressions) if isinstance(with_, exp.With) else []
        found = _named(ctes, name)
        if found is not None:
            return found
        node = parent


def _named(ctes: list[exp.Expr], name: str) -> exp.Expr | None:
    for cte in ctes:
        if cte.alias_or_name.lower() == name:
            return cte
    return None
