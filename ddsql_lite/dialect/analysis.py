"""What PostgreSQL's parse analysis rejects and DuckDB's binder answers, refused with
PostgreSQL's meaning and a caret (docs/dialect.md, "Strictness").

:func:`check_structure` reads the parsed tree (before qualification): sources, column
lists and widths, positions, where aggregates and window functions stand, recursive
CTEs. :func:`order_recursive_with` puts the items of a WITH RECURSIVE in PostgreSQL's
order. :func:`check_qualified` reads the qualified tree: a column sqlglot left
unqualified in WHERE or HAVING (an output column's name there), ambiguous columns,
SELECT DISTINCT's ORDER BY (docs/design.md, "PostgreSQL's analysis").
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from ..errors import CatalogError, UndefinedColumnError
from ..registry import Registry
from .bounds import visible_cte
from .nodes import sources
from .refusals import Refusal

DISTINCT_ORDER = "for SELECT DISTINCT, ORDER BY expressions must appear in select list"
# Where PostgreSQL reads an output column's name.
_OUTPUT_NAMES = (
    "an output column's name can be used in ORDER BY and GROUP BY only; repeat its expression here"
)


def check_structure(
    selects: Iterable[exp.Expr],
    sources: Iterable[exp.Expr],
    ctes: Iterable[exp.Expr],
    windows: Iterable[exp.Expr],
) -> None:
    """Refuse, before qualification, what PostgreSQL's analysis rejects in the selects
    (where aggregates and window functions stand, positions, UNION widths, source names),
    the sources (``sources``: the FROM and JOIN nodes), the CTEs and the window
    functions."""
    unions: dict[int, exp.Expr] = {}
    for select in selects:
        _check_clauses(select)
        _check_positions(select, select.expressions)
        _check_source_names(select)
        _check_subquery_width(select)
        parent = select.parent
        while isinstance(parent, exp.Subquery):
            parent = parent.parent
        if isinstance(parent, exp.Union):
            unions[id(parent)] = parent
    for union in unions.values():
        _check_union(union)
    for clause in sources:
        _check_source(clause.this)
        if isinstance(clause, exp.Join) and clause.args.get("on") is not None:
            _check_placement(clause.args["on"], "JOIN conditions")
        if isinstance(clause, exp.Join):
            _check_using(clause)
    names: dict[tuple[int, str], exp.Expr] = {}
    for cte in ctes:
        _check_columns(cte, f"WITH query {_quoted(cte.alias_or_name)}")
        with_ = cte.parent
        key = (id(with_), cte.alias_or_name)
        if key in names:
            raise Refusal(
                f"WITH query name {_quoted(cte.alias_or_name)} specified more than once",
                cte.args.get("alias") or cte,
            )
        names[key] = cte
        if isinstance(with_, exp.With) and with_.args.get("recursive"):
            _check_recursion(cte)
    for window in windows:
        _check_window(window)


# The clauses where PostgreSQL allows neither aggregates nor window functions (and where
# it allows aggregates but no window functions), by argument name.
_NO_AGGREGATES = {"where": "WHERE", "group": "GROUP BY"}
_NO_WINDOWS = {**_NO_AGGREGATES, "having": "HAVING"}


def _check_clauses(select: exp.Expr) -> None:
    """Aggregates and window functions where PostgreSQL takes neither (DuckDB refuses
    most in its own words), and LIMIT and OFFSET that are negative numbers."""
    for key, clause in _NO_WINDOWS.items():
        node = select.args.get(key)
        if node is not None:
            _check_placement(node, clause, aggregates=key in _NO_AGGREGATES)
    for key in ("limit", "offset"):
        node = select.args.get(key)
        value = node.args.get("expression") if isinstance(node, (exp.Limit, exp.Offset)) else None
        if isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal):
            raise Refusal(f"{key.upper()} must not be negative", value)


def _check_placement(
    clause: exp.Expr, name: str, aggregates: bool = True, windows: bool = True
) -> None:
    """No window function, nor aggregate, in ``clause`` (outside the subqueries it holds),
    unless told they are allowed."""
    stack = [clause]
    while stack:
        node = stack.pop()
        if isinstance(node, exp.Window):
            if not windows:
                continue  # (an aggregate over a window is a window function)
            raise Refusal(f"window functions are not allowed in {name}", node.this)
        if aggregates and isinstance(node, exp.AggFunc):
            raise Refusal(f"aggregate functions are not allowed in {name}", node)
        if isinstance(node, exp.Query) and node is not clause:
            continue
        stack.extend(node.iter_expressions())


def _check_positions(query: exp.Expr, items: list[exp.Expr]) -> None:
    """``ORDER BY n`` and ``GROUP BY n`` name a column of the select list (``items``);
    GROUP BY's is no aggregate or window function."""
    width = exact_width(query)
    for key, word in (("order", "ORDER BY"), ("group", "GROUP BY")):
        clause = query.args.get(key)
        for item in clause.expressions if clause is not None else []:
            value = item.this if isinstance(item, exp.Ordered) else item
            if not (isinstance(value, exp.Literal) and value.is_int):
                continue
            position = int(value.this)
            if width is not None and not 1 <= position <= width:
                raise Refusal(f"{word} position {position} is not in select list", value)
            if key == "group" and width is not None and items:
                _check_placement(items[position - 1], "GROUP BY")


def _check_union(union: exp.Expr) -> None:
    """The operands of a UNION have as many columns as each other; its ORDER BY
    positions are among them."""
    left, right = exact_width(union.this), exact_width(union.expression)
    if left is not None and right is not None and left != right:
        operand = union.expression
        while isinstance(operand, exp.Subquery):
            operand = operand.this
        raise Refusal("each UNION query must have the same number of columns", operand)
    _check_positions(union, [])


# Where a parenthesised query is a source or an operand, not a value.
_QUERY_PLACES = (
    exp.From,
    exp.Join,
    exp.SetOperation,
    exp.Subquery,
    exp.CTE,
    exp.Exists,
    exp.With,
    exp.Lateral,
)


def _check_subquery_width(select: exp.Expr) -> None:
    """A subquery used as a value has one column; one that ``IN`` reads has as many as
    the value it is compared with."""
    subquery = select.parent
    if isinstance(subquery, exp.Array):  # ARRAY(SELECT ...)
        if (exact_width(select) or 1) != 1:
            raise Refusal("subquery must return only one column", select)
        return
    if not isinstance(subquery, exp.Subquery) or subquery.parent is None:
        return
    width = exact_width(select)
    place = subquery.parent
    if width is None or (isinstance(place, _QUERY_PLACES) and not isinstance(place, exp.In)):
        return
    if isinstance(place, exp.In) and place.args.get("query") is subquery:
        left = place.this
        wanted = len(left.expressions) if isinstance(left, exp.Tuple) else 1
        if width != wanted:
            few = "too many" if width > wanted else "too few"
            raise Refusal(f"subquery has {few} columns", subquery)
    elif width != 1:
        raise Refusal("subquery must return only one column", subquery)


def _check_using(join: exp.Expr) -> None:
    """A column is named once in a join's USING list."""
    seen: set[str] = set()
    for column in join.args.get("using") or []:
        if column.name in seen:
            raise Refusal(
                f"column name {_quoted(column.name)} appears more than once in USING clause",
                column,
            )
        seen.add(column.name)


def _check_source_names(select: exp.Expr) -> None:
    """No two FROM and JOIN sources of one select go by the same name."""
    seen: set[str] = set()
    for source in sources(select):
        if not isinstance(source, (exp.Table, exp.Subquery, exp.Values, exp.Unnest)):
            continue
        name = source.alias_or_name
        if not name:
            continue
        if name in seen:
            alias = source.args.get("alias")
            raise Refusal(f"table name {_quoted(name)} specified more than once", alias or source)
        seen.add(name)


def order_recursive_with(ctes: Iterable[exp.Expr]) -> None:
    """Put the items of each WITH RECURSIVE in an order where each reads only itself and
    the items before it (PostgreSQL sorts them so; DuckDB reads them in the written order
    and fails on a forward reference). Refuses items that read each other, as PostgreSQL
    does."""
    withs: dict[int, exp.Expr] = {}
    for cte in ctes:
        with_ = cte.parent
        if isinstance(with_, exp.With) and with_.args.get("recursive"):
            withs[id(with_)] = with_
    for with_ in withs.values():
        items = list(with_.expressions)
        names = {cte.alias_or_name.lower() for cte in items}
        reads = {id(cte): _reads(cte, names) for cte in items}
        ordered: list[exp.Expr] = []
        placed: set[str] = set()
        while len(ordered) < len(items):
            ready = next(
                (cte for cte in items if cte not in ordered and reads[id(cte)] <= placed),
                None,
            )
            if ready is None:
                waiting = next(cte for cte in items if cte not in ordered)
                raise Refusal(
                    "mutual recursion between WITH items is not implemented",
                    waiting.args.get("alias") or waiting,
                )
            ordered.append(ready)
            placed.add(ready.alias_or_name.lower())
        if ordered != items:
            with_.set("expressions", ordered)


def _reads(cte: exp.Expr, names: set[str]) -> set[str]:
    """The other items of its WITH (``names``) that ``cte`` reads."""
    own = cte.alias_or_name.lower()
    return {
        table.name.lower()
        for table in cte.this.find_all(exp.Table)
        if not table.args.get("db")
        and table.name.lower() in names - {own}
        and not _shadowed(table, cte, table.name.lower())
    }


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check_source(source: exp.Expr) -> None:
    """A subquery or VALUES in FROM has an alias, and no more column names than columns."""
    if isinstance(source, (exp.Subquery, exp.Values)):
        what = "VALUES" if isinstance(source, exp.Values) else "subquery"
        if not source.alias:
            raise Refusal(
                f"{what} in FROM must have an alias; for example FROM ({what.upper()} ...) AS s",
                source,
            )
        _check_columns(source, f"table {_quoted(source.alias)}")


def _check_columns(node: exp.Expr, named: str) -> None:
    """A column list (``AS s(a, b)``, ``WITH x(a, b)``) names no more columns than its
    query has (PostgreSQL names the first ones and keeps the rest: fewer is allowed)."""
    alias = node.args.get("alias")
    if not isinstance(alias, exp.TableAlias) or not alias.columns:
        return
    query = node if isinstance(node, exp.Values) else node.this
    width = exact_width(query)
    if width is not None and len(alias.columns) > width:
        raise Refusal(
            f"{named} has {width} columns available but {len(alias.columns)} columns specified",
            alias.columns[width],
        )


def exact_width(query: exp.Expr) -> int | None:
    """The number of columns of a query, when its text says it without expanding a star
    (None otherwise)."""
    while isinstance(query, (exp.Subquery, exp.Paren)):
        query = query.this
    if isinstance(query, exp.SetOperation):
        return exact_width(query.this)
    if isinstance(query, exp.Values):
        rows = query.expressions
        return len(rows[0].expressions) if rows and isinstance(rows[0], exp.Tuple) else 1
    if isinstance(query, exp.Select):
        from_ = query.args.get("from_")
        if (
            len(query.expressions) == 1
            and isinstance(query.expressions[0], exp.Star)
            and from_ is not None
            and isinstance(from_.this, exp.Values)
            and not query.args.get("joins")
        ):
            return exact_width(from_.this)  # how sqlglot reads WITH x AS (VALUES ...)
        for item in query.expressions:
            if isinstance(item, exp.Star) or (
                isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
            ):
                return None
        return len(query.expressions)
    return None


def _check_recursion(cte: exp.Expr) -> None:
    """A CTE of a WITH RECURSIVE that reads itself has PostgreSQL's form (its
    ``checkWellFormedRecursion``; DuckDB would run the others, or loop until the time
    limit): ``non-recursive term UNION [ALL] recursive term``, the self-reference in the
    recursive term only, once, not in a subquery expression nor on the side of an outer
    join that may be NULL; no ORDER BY, OFFSET or LIMIT on the whole; no aggregate in the
    recursive term."""
    name = cte.alias_or_name.lower()
    written = _quoted(cte.alias_or_name)
    references = [
        table
        for table in cte.this.find_all(exp.Table)
        if not table.args.get("db")
        and table.name.lower() == name
        and not _shadowed(table, cte, name)
    ]
    if not references:
        return  # not recursive after all: an ordinary CTE
    query = cte.this
    if not isinstance(query, exp.Union):
        raise Refusal(
            f"recursive query {written} does not have the form non-recursive-term "
            "UNION [ALL] recursive-term",
            cte.args.get("alias") or cte,
        )
    message = f"recursive reference to query {written} must not appear"
    seen = False
    for table in references:
        if _within(table, query.this):
            raise Refusal(f"{message} within its non-recursive term", table)
        if _in_subquery(table, cte):
            raise Refusal(f"{message} within a subquery", table)
        if _nullable(table):
            raise Refusal(f"{message} within an outer join", table)
        if seen:
            raise Refusal(f"{message} more than once", table)
        seen = True
    for key, word in (("order", "ORDER BY"), ("offset", "OFFSET"), ("limit", "LIMIT")):
        clause = query.args.get(key)
        if clause is not None:
            raise Refusal(f"{word} in a recursive query is not implemented", clause)
    term = query.expression
    while isinstance(term, exp.Subquery):
        term = term.this
    for select in [term] if isinstance(term, exp.Select) else term.find_all(exp.Select):
        if isinstance(select, exp.Select) and _operand_of(select, term):
            _check_placement(select, "a recursive query's recursive term", windows=False)


def _within(node: exp.Expr, ancestor: exp.Expr) -> bool:
    """Whether ``node`` is ``ancestor`` or under it."""
    current: exp.Expr | None = node
    while current is not None:
        if current is ancestor:
            return True
        current = current.parent
    return False


def _operand_of(select: exp.Expr, term: exp.Expr) -> bool:
    """Whether ``select`` is ``term`` or one of its set operation's operands."""
    node: exp.Expr | None = select
    while node is not None and node is not term:
        if not isinstance(node.parent, (exp.Union, exp.Subquery)):
            return False
        node = node.parent
    return node is term


def _shadowed(table: exp.Expr, cte: exp.Expr, name: str) -> bool:
    """Whether a WITH between ``table`` and ``cte`` defines ``name`` again."""
    node = table.parent
    while node is not None and node is not cte:
        with_ = node.args.get("with_")
        if isinstance(with_, exp.With) and any(
            c.alias_or_name.lower() == name for c in with_.expressions
        ):
            return True
        node = node.parent
    return False


def _in_subquery(table: exp.Expr, cte: exp.Expr) -> bool:
    """Whether ``table`` is read inside a subquery expression (``IN (SELECT ...)``,
    ``EXISTS``, a scalar subquery) of the CTE; a derived table in FROM is no such
    subquery, nor are the operands of the CTE's set operations."""
    node = table.parent
    while node is not None and node is not cte:
        parent = node.parent
        if isinstance(node, exp.Query) and not isinstance(
            parent, (exp.From, exp.Join, exp.Subquery, exp.SetOperation, exp.CTE, exp.With)
        ):
            return True
        if isinstance(node, exp.Subquery) and not isinstance(
            parent, (exp.From, exp.Join, exp.Subquery, exp.SetOperation, exp.CTE)
        ):
            return True
        node = parent
    return False


def _nullable(table: exp.Expr) -> bool:
    """Whether ``table`` is a side of an outer join whose rows may be made up of NULLs."""
    parent = table.parent
    if isinstance(parent, exp.Join):
        return (parent.side or "").upper() in ("LEFT", "FULL")
    if isinstance(parent, exp.From) and isinstance(parent.parent, exp.Select):
        joins = parent.parent.args.get("joins") or []
        return any((j.side or "").upper() in ("RIGHT", "FULL") for j in joins)
    return False


def _check_window(window: exp.Expr) -> None:
    """``count(DISTINCT x) OVER (...)``: PostgreSQL has no DISTINCT window aggregates; no
    window function in a window's PARTITION BY or ORDER BY."""
    if not isinstance(window, exp.Window):
        return
    function = window.this
    if isinstance(function, exp.Func) and any(
        isinstance(arg, exp.Distinct) for arg in function.iter_expressions()
    ):
        raise Refusal("DISTINCT is not implemented for window functions", function)
    for key in ("partition_by", "order"):
        value = window.args.get(key)
        for part in value if isinstance(value, list) else [value] if value is not None else []:
            _check_placement(part, "window definitions", aggregates=False)


def check_qualified(selects: Iterable[exp.Expr], registry: Registry) -> bool:
    """After qualification: a column left unqualified in WHERE or HAVING is one whose
    name is also an output column's (sqlglot and DuckDB read it as that output column;
    PostgreSQL reads output names in ORDER BY and GROUP BY only). It is the source column
    of that name when the select's sources have one, else refused as PostgreSQL does.
    Also refuses an ORDER BY of a SELECT DISTINCT on something not selected. Returns
    whether it tied a column to its source (which then needs typing)."""
    tied = False
    for select in selects:
        _check_ambiguous(select)
        for key in ("where", "having"):
            clause = select.args.get(key)
            if clause is not None:
                tied = _check_names(clause, select, registry) or tied
        order = select.args.get("order")
        distinct = select.args.get("distinct")
        if order is not None and distinct is not None:
            on = distinct.args.get("on")
            if on is None:
                _check_distinct_order(select, order)
            else:
                _check_distinct_on(select, on, order)
    return tied


def _check_names(clause: exp.Expr, select: exp.Expr, registry: Registry) -> bool:
    """Tie each unqualified column of ``clause`` (outside the subqueries it holds,
    checked as selects of their own) to the source that has it, or refuse it. Returns
    whether it tied any."""
    tied = False
    named: list[tuple[str, frozenset[str] | None]] | None = None
    stack = [clause]
    while stack:
        node = stack.pop()
        if isinstance(node, exp.Column):
            if node.table or isinstance(node.this, exp.Star):
                continue
            named = _source_columns(select, registry) if named is None else named
            having = [alias for alias, columns in named if columns and node.name in columns]
            if len(having) == 1:
                node.set("table", exp.to_identifier(having[0], quoted=True))
                tied = True
            elif len(having) > 1:
                raise Refusal(
                    f"column reference {_quoted(node.name)} is ambiguous", node, kind=CatalogError
                )
            elif not having and all(columns is not None for _, columns in named):
                raise Refusal(
                    f"column {_quoted(node.name)} does not exist ({_OUTPUT_NAMES})",
                    node,
                    kind=UndefinedColumnError,
                )
            continue
        if isinstance(node, exp.Query) and node is not clause:
            continue
        stack.extend(node.iter_expressions())
    return tied


def _check_ambiguous(select: exp.Expr) -> None:
    """A column of a derived table or CTE that has two output columns of that name is
    ambiguous, as in PostgreSQL (DuckDB reads the first)."""
    twice: dict[str, set[str]] = {}
    for source in sources(select):
        names = _output_names(source)
        repeated = {n for n in names if names.count(n) > 1}
        if repeated:
            twice[source.alias_or_name] = repeated
    if not twice:
        return
    stack = [select]
    while stack:
        node = stack.pop()
        if isinstance(node, exp.Column) and node.name in twice.get(node.table, ()):
            raise Refusal(
                f"column reference {_quoted(node.name)} is ambiguous", node, kind=CatalogError
            )
        if isinstance(node, exp.Query) and node is not select:
            continue
        stack.extend(node.iter_expressions())


def _output_names(source: exp.Expr) -> list[str]:
    """The column names of a derived table or a CTE read by name, as listed (empty for
    other sources, and where a column list names them)."""
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return []
    query: exp.Expr | None = source.this if isinstance(source, exp.Subquery) else None
    if isinstance(source, exp.Table) and not source.args.get("db"):
        cte = visible_cte(source, source.name.lower())
        listed = cte.args.get("alias") if cte is not None else None
        if cte is not None and not (isinstance(listed, exp.TableAlias) and listed.columns):
            query = cte.this
    if not isinstance(query, exp.Query):
        return []
    return [s.alias_or_name for s in query.selects]


def _source_columns(
    select: exp.Expr, registry: Registry
) -> list[tuple[str, frozenset[str] | None]]:
    """Each FROM and JOIN source of a qualified select: its name and its column names
    (None when they are not known here)."""
    return [(source.alias_or_name, _columns_of(source, registry)) for source in sources(select)]


def _columns_of(source: exp.Expr, registry: Registry) -> frozenset[str] | None:
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return frozenset(c.name for c in alias.columns)
    query: exp.Expr | None = None
    if isinstance(source, exp.Table):
        if not source.args.get("db"):
            cte = visible_cte(source, source.name.lower())
            if cte is not None:
                listed = cte.args.get("alias")
                if isinstance(listed, exp.TableAlias) and listed.columns:
                    return frozenset(c.name for c in listed.columns)
                query = cte.this
        if query is None:
            table = registry.find(".".join(p.name for p in source.parts))
            return frozenset(c.name for c in table.columns) if table is not None else None
    elif isinstance(source, exp.Subquery):
        query = source.this
    if isinstance(query, exp.Query) and not any(
        isinstance(s, exp.Star) or isinstance(s.this, exp.Star) for s in query.selects
    ):
        return frozenset(s.alias_or_name for s in query.selects)
    return None


def _check_distinct_order(select: exp.Expr, order: exp.Expr) -> None:
    """Each ORDER BY item of a SELECT DISTINCT is an output column: its name, its
    position, or an expression of the select list."""
    names = {item.alias_or_name for item in select.expressions if isinstance(item, exp.Alias)}
    selected = [_unqualified(item.unalias()) for item in select.expressions]
    for item in order.expressions:
        key = item.this if isinstance(item, exp.Ordered) else item
        if isinstance(key, exp.Literal) and not key.is_string:
            continue  # a position
        if isinstance(key, exp.Column) and key.name in names:
            continue
        if _unqualified(key) in selected:
            continue
        raise Refusal(DISTINCT_ORDER, key)


def _check_distinct_on(select: exp.Expr, on: exp.Expr, order: exp.Expr) -> None:
    """The leading ORDER BY items of a SELECT DISTINCT ON are its DISTINCT ON expressions
    (in any order), until each has been listed."""
    expressions = on.expressions if isinstance(on, exp.Tuple) else [on]
    keys = [_sort_key(select, e) for e in expressions]
    remaining = list(keys)
    for item in order.expressions:
        if not remaining:
            return
        key = _sort_key(select, item.this if isinstance(item, exp.Ordered) else item)
        if key not in keys:
            raise Refusal(
                "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                expressions[0],
            )
        remaining = [k for k in remaining if k != key]


def _sort_key(select: exp.Expr, key: exp.Expr) -> exp.Expr:
    """What an ORDER BY or DISTINCT ON item sorts by: a position's or an output name's
    expression, else itself; without tables' names."""
    items = select.expressions
    if isinstance(key, exp.Literal) and key.is_int and 1 <= int(key.this) <= len(items):
        return _unqualified(items[int(key.this) - 1].unalias())
    if isinstance(key, exp.Column):
        for item in items:
            if isinstance(item, exp.Alias) and item.alias == key.name:
                return _unqualified(item.this)
    return _unqualified(key)


def _unqualified(node: exp.Expr) -> exp.Expr:
    """``node`` with its columns' table names dropped: sqlglot qualifies an ORDER BY
    column that is also an output name less than the same column in the select list."""
    bare = node.copy()
    for column in bare.find_all(exp.Column):
        column.set("table", None)
    return bare
