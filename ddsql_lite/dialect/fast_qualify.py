"""Qualification and typing of the common query shapes, without sqlglot's scope machinery.

:func:`qualify_and_type` leaves the tree as sqlglot's ``qualify(...,
expand_alias_refs=False)`` and ``annotate_types`` would, or raises :class:`NotFast` for a
shape it leaves to them (docs/design.md, "Fast qualification").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import cast

from sqlglot import exp
from sqlglot.optimizer.annotate_types import TypeAnnotator
from sqlglot.schema import MappingSchema

from .nodes import replace_node


class NotFast(Exception):
    """The query has a shape :func:`qualify_and_type` leaves to sqlglot."""


@dataclass(frozen=True)
class TableTypes:
    """What the fast path knows of the registry: each table's columns (in schema order)
    with the types sqlglot's schema gives them, keyed by (schema name, table name)."""

    schema: MappingSchema
    tables: dict[tuple[str, str], dict[str, exp.DataType]]

    @classmethod
    def of(cls, schema: MappingSchema, names: Iterable[tuple[str, str]]) -> TableTypes:
        tables = {}
        for db, name in names:
            ref = exp.table_(name, db=db)
            tables[(db, name)] = {
                column: schema.get_column_type(ref, column) for column in schema.column_names(ref)
            }
        return cls(schema, tables)


# Arguments that may be set on the structural nodes the fast path understands.
_SELECT_ARGS = frozenset(
    {"with_", "expressions", "distinct", "from_", "joins", "where", "group", "having"}
    | {"order", "limit", "offset"}
)
_JOIN_ARGS = frozenset({"this", "on", "side", "kind"})
_JOIN_KINDS = frozenset({"", "INNER", "OUTER", "CROSS"})
_TABLE_ARGS = frozenset({"this", "db", "alias"})
_SUBQUERY_ARGS = frozenset({"this", "alias"})
_UNNEST_ARGS = frozenset({"expressions", "alias"})
_CTE_ARGS = frozenset({"this", "alias"})
_COLUMN_ARGS = frozenset({"this", "table"})
# Nodes of other scopes, or that sqlglot's qualification treats specially.
_REFUSED = (exp.Query, exp.Dot, exp.TableColumn, exp.Lateral, exp.Pivot)

# What the column walk does with a node, by its class (see _role).
_PLAIN, _IDENTIFIER, _COLUMN, _REFUSE, _INNER = range(5)
_ROLES: dict[type[exp.Expr], int] = {}


def _role(kind: type[exp.Expr]) -> int:
    if issubclass(kind, _REFUSED):
        return _REFUSE
    if issubclass(kind, exp.Identifier):
        return _IDENTIFIER
    if issubclass(kind, exp.Column):
        return _COLUMN
    if issubclass(kind, (exp.Order, exp.Distinct)):
        return _INNER
    return _PLAIN


# Where a column sits, for sqlglot's rule of which columns a scope qualifies (see
# ``Scope.columns``): anywhere under the SELECT, in HAVING, in the SELECT's own ORDER BY.
_IN_SELECT, _IN_HAVING, _IN_ORDER = 0, 1, 2


def _only(node: exp.Expr, allowed: frozenset[str]) -> None:
    """NotFast when ``node`` has an argument set besides ``allowed``."""
    if node.args.keys() <= allowed:
        return
    for key, value in node.args.items():
        if value not in (None, False, [], "") and key not in allowed:
            raise NotFast(f"{node.key}.{key}")


@dataclass
class _Source:
    name: str
    node: exp.Expr  # the Table, Subquery or Unnest in FROM / JOIN
    columns: Collection[str]  # the names (only looked up: a set, or the types' dict)
    types: dict[str, exp.DataType] | None = None  # a registry table's column types
    scope: _Scope | None = None  # a CTE's or derived table's SELECT
    typed: dict[str, exp.DataType] | None = None  # its outputs' types, once annotated


@dataclass
class _Scope:
    select: exp.Select
    sources: dict[str, _Source] = field(default_factory=dict)
    # Columns that name a source, with the source they name (typed in this scope).
    columns: list[tuple[exp.Column, _Source]] = field(default_factory=list)


class _Qualifier:
    """One query's qualification: scopes in the order sqlglot annotates them (a scope's
    CTEs and derived tables before it), and every identifier to quote at the end."""

    def __init__(self, table_types: TableTypes) -> None:
        self.table_types = table_types
        self.dialect = table_types.schema.dialect  # sqlglot qualifies columns in the schema's
        self.scopes: list[_Scope] = []
        self.identifiers: list[exp.Identifier] = []
        # GROUP BY positions and the projections they stand for
        self.positions: list[tuple[exp.Expr, exp.Alias]] = []

    # ------------------------------------------------------------------ structure

    def select(self, select: exp.Select, ctes: dict[str, _Scope]) -> _Scope:
        _only(select, _SELECT_ARGS)
        distinct = select.args.get("distinct")
        if distinct is not None and (distinct.args.get("on") or distinct.expressions):
            raise NotFast("DISTINCT ON")
        with_ = select.args.get("with_")
        if with_ is not None:
            _only(with_, frozenset({"expressions"}))
            ctes = dict(ctes)
            for cte in with_.expressions:
                _only(cte, _CTE_ARGS)
                body, alias = cte.this, cte.args.get("alias")
                if not isinstance(body, exp.Select) or alias is None or alias.columns:
                    raise NotFast("CTE")
                if alias.name in ctes:
                    raise NotFast("CTE name")
                self.note(alias)
                ctes[alias.name] = self.select(body, ctes)
        scope = _Scope(select)
        from_ = select.args.get("from_")
        joins = select.args.get("joins") or []
        if from_ is None and joins:
            raise NotFast("JOIN without FROM")
        sources = ([from_.this] if from_ is not None else []) + [j.this for j in joins]
        unnests: list[tuple[int, exp.Unnest]] = []
        for position, node in enumerate(sources):
            source = self.source(node, ctes)
            if source.name in scope.sources:
                raise NotFast("two sources with one name")
            scope.sources[source.name] = source
            if isinstance(node, exp.Unnest):
                unnests.append((position, node))
        for join in joins:
            _only(join, _JOIN_ARGS)
            if (join.args.get("kind") or "").upper() not in _JOIN_KINDS:
                raise NotFast("join kind")
        self.columns(scope, unnests)
        self.outputs(select)
        self.group(scope)
        self.order(scope)
        self.scopes.append(scope)
        return scope

    def source(self, node: exp.Expr, ctes: dict[str, _Scope]) -> _Source:
        alias = node.args.get("alias")
        if alias is not None and not isinstance(alias, exp.TableAlias):
            raise NotFast("alias")
        if isinstance(node, exp.Table):
            _only(node, _TABLE_ARGS)
            if not isinstance(node.this, exp.Identifier) or (alias is not None and alias.columns):
                raise NotFast("table")
            self.note(node)
            if not node.args.get("db") and node.name in ctes:
                cte = ctes[node.name]
                columns: Collection[str] = frozenset(cte.select.named_selects)
                types, scope = None, cte
            else:
                types = self.table_types.tables.get((node.db, node.name))
                if types is None:
                    raise NotFast("table")
                columns, scope = types, None
            if alias is None or not alias.name:
                # qualify_tables: an unaliased source is aliased by its own name
                alias = alias or exp.TableAlias()
                alias.set("this", exp.to_identifier(node.name))
                node.set("alias", alias)
            self.note(alias)
            return _Source(alias.name, node, columns, types, scope)
        if isinstance(node, exp.Subquery):
            _only(node, _SUBQUERY_ARGS)
            if not isinstance(node.this, exp.Select) or alias is None or not alias.name:
                raise NotFast("derived table")
            if alias.columns:
                raise NotFast("derived table columns")
            self.note(alias)
            derived = self.select(node.this, ctes)
            return _Source(alias.name, node, frozenset(derived.select.named_selects), scope=derived)
        if isinstance(node, exp.Unnest):
            _only(node, _UNNEST_ARGS)
            if alias is None or not alias.name or not alias.columns:
                raise NotFast("unnest")
            self.note(alias)
            return _Source(alias.name, node, frozenset(c.name for c in alias.columns))
        raise NotFast(node.key)

    def note(self, node: exp.Expr) -> None:
        """Remember the identifiers directly under ``node`` (quoted at the end)."""
        for child in node.iter_expressions():
            if isinstance(child, exp.Identifier):
                self.identifiers.append(child)

    # ------------------------------------------------------------------ columns

    def columns(self, scope: _Scope, unnests: list[tuple[int, exp.Unnest]]) -> None:
        """Qualify the scope's columns (sqlglot's ``_qualify_columns``)."""
        select = scope.select
        if any(e.is_star for e in select.expressions):
            raise NotFast("star")
        named = set(select.named_selects)
        joins = select.args.get("joins") or []
        # (root, where it sits, join index for columns in a join's ON or UNNEST)
        roots: list[tuple[exp.Expr, int, int | None]] = [
            (e, _IN_SELECT, None) for e in select.expressions
        ]
        for position, unnest in unnests:
            for e in unnest.expressions:
                roots.append((e, _IN_SELECT, position - 1 if position else None))
        for index, join in enumerate(joins):
            if join.args.get("on") is not None:
                roots.append((join.args["on"], _IN_SELECT, index))
        for key in ("where", "group", "limit", "offset"):
            if select.args.get(key) is not None:
                roots.append((select.args[key], _IN_SELECT, None))
        if select.args.get("having") is not None:
            roots.append((select.args["having"], _IN_HAVING, None))
        order = select.args.get("order")
        if order is not None:
            _only(order, frozenset({"expressions"}))
            roots.append((order, _IN_ORDER, None))
        positions = {name: i for i, name in enumerate(scope.sources)}
        unnest_at = {position: unnest for position, unnest in unnests}
        for root, where, join in roots:
            stack = [(root, where)]
            while stack:
                node, where = stack.pop()
                role = _ROLES.get(type(node))
                if role is None:
                    role = _ROLES[type(node)] = _role(type(node))
                if role == _IDENTIFIER:
                    self.identifiers.append(cast(exp.Identifier, node))
                    continue
                if role == _COLUMN:
                    column = cast(exp.Column, node)
                    self.column(scope, column, where, join, named, positions, unnest_at)
                    continue
                if role == _REFUSE:
                    raise NotFast(node.key)
                if role == _INNER and node is not root:
                    where = _IN_SELECT  # an ORDER BY / DISTINCT inside a call or window
                for value in node.args.values():  # the children
                    if isinstance(value, exp.Expr):
                        stack.append((value, where))
                    elif type(value) is list:
                        for item in value:
                            if isinstance(item, exp.Expr):
                                stack.append((item, where))

    def column(
        self,
        scope: _Scope,
        column: exp.Column,
        where: int,
        join: int | None,
        named: set[str],
        positions: dict[str, int],
        unnest_at: dict[int, exp.Unnest],
    ) -> None:
        _only(column, _COLUMN_ARGS)
        if not isinstance(column.this, exp.Identifier):
            raise NotFast("column")
        table, name = column.table, column.name
        if table:
            source = scope.sources.get(table)
            if source is None or name not in source.columns:
                raise NotFast("column source")
        elif where == _IN_HAVING or (where == _IN_ORDER and name in named):
            self.note(column)
            return  # sqlglot leaves these to the engine (an output name, or HAVING's)
        else:
            source = self.one_column(scope, column) or self.resolve(scope, name, join)
            column.set("table", _copy_identifier(source.node.args["alias"].this))
        self.note(column)
        # An UNNEST's arguments may use the sources before it only.
        inside = _unnest_of(column, unnest_at)
        if inside is not None and positions[source.name] >= inside:
            raise NotFast("unnest argument")
        scope.columns.append((column, source))

    def one_column(self, scope: _Scope, column: exp.Column) -> _Source | None:
        """The set-returning source that an unqualified ``column`` names, when it has one
        column and no source has a column so named: ``column`` becomes that column (as
        :func:`.tables.one_column` does on sqlglot's path), a projection keeping its
        name (``SELECT v`` is ``v.value AS v``)."""
        name = column.name
        source = scope.sources.get(name)
        if source is None or not isinstance(source.node, exp.Unnest):
            return None
        columns = source.node.args["alias"].columns  # (names may repeat: unnest, unnest)
        if len(columns) != 1 or any(name in other.columns for other in scope.sources.values()):
            return None
        only = columns[0].name
        if isinstance(column.parent, exp.Select) and column.arg_key == "expressions":
            alias = exp.Alias(alias=exp.to_identifier(name))
            column.replace(alias)
            alias.set("this", column)
            self.identifiers.append(alias.args["alias"])
        column.set("this", exp.to_identifier(only))
        return source

    def resolve(self, scope: _Scope, name: str, join: int | None) -> _Source:
        """The one source with column ``name`` (sqlglot's ``Resolver.get_table``): among all
        the scope's sources, else among those joined so far for a join's ON."""
        owners = [s for s in scope.sources.values() if name in s.columns]
        if len(owners) != 1 and join is not None:
            available = list(scope.sources.values())[: join + 2]
            owners = [s for s in available if name in s.columns]
        if len(owners) != 1:
            raise NotFast("unresolved column")
        return owners[0]

    # ------------------------------------------------------------------ outputs

    def outputs(self, select: exp.Select) -> None:
        """Alias every projection (sqlglot's ``qualify_outputs``)."""
        selections = []
        for i, selection in enumerate(select.expressions):
            if isinstance(selection, exp.Aliases):
                raise NotFast("aliases")
            if not isinstance(selection, exp.Alias):
                unwrapped = selection.unnest()
                source = unwrapped.this if isinstance(unwrapped, exp.Column) else None
                selection = exp.alias_(
                    selection, alias=selection.output_name or f"_col_{i}", copy=False
                )
                alias = selection.args["alias"]
                if isinstance(source, exp.Identifier):
                    if source.quoted:
                        alias.set("quoted", True)
                else:
                    self.dialect.normalize_identifier(alias)
                self.identifiers.append(alias)
            selections.append(selection)
        if selections:
            select.set("expressions", selections)

    def group(self, scope: _Scope) -> None:
        """Positional GROUP BY items that sqlglot's ``_expand_group_by`` replaces with a
        copy of the projection: noted, to be replaced after the rewrites (see
        :func:`qualify_and_type`)."""
        select = scope.select
        group = select.args.get("group")
        if group is None:
            return
        _only(group, frozenset({"expressions"}))
        for node in group.expressions:
            if node.is_int and isinstance(node, exp.Literal):
                projection = _projection(select, node)
                this = projection.this
                if not (
                    isinstance(this, exp.CONSTANTS)
                    or this.is_number
                    or this.find(exp.Explode, exp.Unnest)
                ):
                    self.positions.append((node, projection))

    def order(self, scope: _Scope) -> None:
        """ORDER BY positions as output names, and items equal to a projection as its
        name when grouping (sqlglot's ``_expand_order_by_and_distinct_on``)."""
        select = scope.select
        order = select.args.get("order")
        if order is None:
            return
        counts = Counter(select.named_selects)
        names = {name for name, count in counts.items() if count == 1}
        items = [ordered.this for ordered in order.expressions]
        for node in items:
            if not isinstance(node, (exp.Column, exp.Literal)):  # (which hold no call)
                for agg in node.find_all(exp.AggFunc):
                    if any(not c.table for c in agg.find_all(exp.Column)):
                        raise NotFast("output name in an aggregate")
            if node.is_int and isinstance(node, exp.Literal):
                projection = _projection(select, node)
                if projection.alias in names:
                    column = exp.column(projection.args["alias"].copy())
                    self.identifiers.append(column.this)
                    replace_node(node, column)
        if select.args.get("group"):
            # sqlglot's {s.this: s ...}.get(node): the last projection equal to the item
            # (compared only when of the same class, as equality needs: hashing is costly)
            selects = [s for s in select.selects if s.alias_or_name in names]
            for node in items:
                if node.is_int:
                    continue
                replacement = None
                for selected in selects:
                    if type(selected.this) is type(node) and selected.this == node:
                        replacement = selected
                if replacement is not None:
                    column = exp.column(replacement.alias_or_name)
                    self.identifiers.append(column.this)
                    replace_node(node, column)

    # ------------------------------------------------------------------ quoting

    def quote(self) -> None:
        """Quote every identifier (sqlglot's ``quote_identifiers`` with identify=True)."""
        for identifier in self.identifiers:
            if not identifier.quoted and not isinstance(identifier.parent, exp.Func):
                identifier.set("quoted", True)


def _copy_identifier(identifier: exp.Identifier) -> exp.Identifier:
    """``identifier.copy()`` (what sqlglot's resolver gives a column as its table),
    without a deep copy of its position meta when that holds plain values only."""
    meta = identifier._meta
    if meta and any(type(v) not in (int, str, bool) for v in meta.values()):
        return identifier.copy()
    copy = exp.Identifier(**identifier.args)
    if meta is not None:
        copy._meta = dict(meta)
    if identifier.comments is not None:
        copy.comments = list(identifier.comments)
    if identifier._type is not None:
        copy._type = identifier._type.copy()
    return copy


def _projection(select: exp.Select, position: exp.Literal) -> exp.Alias:
    index = int(position.this) - 1
    if not 0 <= index < len(select.expressions):
        raise NotFast("position")
    projection = select.expressions[index]
    if not isinstance(projection, exp.Alias):
        raise NotFast("position")
    return projection


def _unnest_of(column: exp.Column, unnest_at: dict[int, exp.Unnest]) -> int | None:
    """The FROM/JOIN position of the UNNEST whose arguments hold ``column``, if any."""
    if not unnest_at:
        return None
    node: exp.Expr | None = column.parent
    while node is not None and not isinstance(node, exp.Select):
        if isinstance(node, exp.Unnest):
            for position, unnest in unnest_at.items():
                if unnest is node:
                    return position
        node = node.parent
    return None


# --------------------------------------------------------------------------- types


def qualify_and_type(tree: exp.Expr, table_types: TableTypes) -> Callable[[], None]:
    """Qualify ``tree`` and annotate its types in place, as sqlglot's ``qualify`` and
    ``annotate_types`` would (see the module docstring); :class:`NotFast` when the query
    is not of a shape handled here (the tree is then partly changed: parse it again).

    One difference: a positional GROUP BY item (``GROUP BY 1``) stays, and the function
    returned replaces it with a copy of its projection; call it after the rewrites. A
    copy of the rewritten projection is the rewritten copy, as no rewrite depends on
    what is above the expression it rewrites (the parent of a LIKE, or of an UNNEST, is
    never a GROUP BY either way); this saves rewriting and typing the copy."""
    if not isinstance(tree, exp.Select):
        raise NotFast(tree.key)
    qualifier = _Qualifier(table_types)
    qualifier.select(tree, {})
    qualifier.quote()
    annotator = TypeAnnotator(table_types.schema)
    for scope in qualifier.scopes:
        _annotate_scope(scope, annotator)
    annotator.annotate(tree, annotate_scope=False)  # and NULL types made the default

    def expand_positions() -> None:
        for position, projection in qualifier.positions:
            replace_node(position, projection.this.copy())

    return expand_positions


def _annotate_scope(scope: _Scope, annotator: TypeAnnotator) -> None:
    """sqlglot's ``annotate_scope`` with the columns typed from this module's scopes: on
    tables and queries first, then each UNNEST (whose arguments may use the sources
    before it) followed by the columns on it."""
    on_unnest: dict[int, list[exp.Column]] = {}
    for column, source in scope.columns:
        if isinstance(source.node, exp.Unnest):
            on_unnest.setdefault(id(source.node), []).append(column)
        else:
            _set_column_type(annotator, column, _column_type(source, column.name))
    for source in scope.sources.values():
        if isinstance(source.node, exp.Unnest):
            annotator.annotate_expression(source.node)
            for column in on_unnest.get(id(source.node), ()):
                _set_column_type(annotator, column, source.node.type)
    annotator.annotate_expression(scope.select)
    _fixup_order_by_aliases(scope.select, annotator)


def _column_type(source: _Source, name: str) -> exp.DataType | exp.DType:
    """The type sqlglot's annotator gives a column of ``source`` named ``name``."""
    if source.types is not None:
        return source.types[name]
    if source.typed is None:
        assert source.scope is not None
        selects = source.scope.select.selects
        source.typed = {s.alias_or_name: s.type for s in selects if s.type}
    return source.typed.get(name) or exp.DType.UNKNOWN


def _set_column_type(
    annotator: TypeAnnotator, column: exp.Column, kind: exp.DataType | exp.DType | None
) -> None:
    for child in column.iter_expressions():  # its identifiers, as the annotator's walk does
        if (
            isinstance(child, exp.Identifier)
            and exp.Identifier not in annotator.expression_metadata
        ):
            annotator._set_type(child, exp.DType.UNKNOWN)  # what it does for those
        else:
            annotator.annotate_expression(child)
    annotator._set_type(column, kind)
    if column.type and column.type.args.get("nullable") is False:
        column.meta["nonnull"] = True


def _fixup_order_by_aliases(select: exp.Select, annotator: TypeAnnotator) -> None:
    """sqlglot's ``TypeAnnotator._fixup_order_by_aliases``: ORDER BY output names take
    their projection's type."""
    order = select.args.get("order")
    if order is None:
        return
    alias_types: dict[str, exp.DataType] = {}
    for selection in select.selects:
        inner = selection.this if isinstance(selection, exp.Alias) else None
        if inner is not None and inner.type and not inner.is_type(exp.DType.UNKNOWN):
            alias_types[selection.alias] = inner.type
    if not alias_types:
        return
    for ordered in order.expressions:
        # (sqlglot walks the item pruning subqueries; the fast path has none in ORDER BY)
        nodes = [ordered]
        for node in nodes:
            nodes.extend(node.iter_expressions())
        columns = [
            c for c in nodes if isinstance(c, exp.Column) and not c.table and c.name in alias_types
        ]
        for column in columns:
            annotator._set_type(column, alias_types[column.name])
        if columns:
            for node in nodes:
                if not isinstance(node, (exp.Column, exp.Literal)):
                    annotator._visited.pop(id(node), None)
            annotator.annotate_expression(ordered)
