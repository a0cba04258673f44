"""DDSQL (Preview): tags as columns, the group type and relative time literals (a
:class:`.declare.Rule`, first in the preview's rules; docs/dialect.md, "The Preview
variant").

Before qualification, :func:`resolve_tags` makes every tag reference (a name that is no
column of the table, or ``#key``) a lookup of the key, typed ``hstore``: the group type,
which no reference construct has. After typing, :data:`REWRITES` give groups their
meaning and leave plain ``VARCHAR[]`` lists (sorted, de-duplicated values) for the rules
after: ``=`` a text is "contains", ``IN (...)`` "overlaps", ``=`` a group is set equality,
a cast to text joins the values with commas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from ..errors import UnsupportedError
from ..registry import Registry, Table
from .declare import Functions, Rewrite, Syntax, rewrites
from .intervals import parse_interval
from .nodes import TEXT_TYPES, call, data_type, is_type, type_in
from .preview_tokens import TAG_PREFIX, relative_text
from .refusals import Refusal, Source
from .runtime import JSON_TAGS_MACRO, JSON_TIMESTAMP_MACRO
from .timefuncs import interval_literal

GROUP = exp.DType.HSTORE  # the group type, as the tree types it
CAST_TYPES = frozenset({GROUP, exp.DType.DATE})
_TAGS = "tags"
_ORDERING = frozenset({"order", "group"})  # clauses where a bare name may be an output's


# --------------------------------------------------------------- tag references


def _tagged(table: Table | None) -> bool:
    return table is not None and any(c.name == _TAGS for c in table.columns)


def _source_columns(source: object, registry: Registry) -> tuple[Table | None, set[str] | None]:
    """A source's registry table (None for others) and its column names (None when they
    cannot be told)."""
    if isinstance(source, exp.Table):
        table = registry.find(".".join(p.name for p in source.parts))
        if table is not None:
            return table, {c.name for c in table.columns}
        return None, None
    if isinstance(source, Scope) and not isinstance(source.expression, exp.Query):
        source = source.expression  # a table function (UNNEST ...): its alias names it
    if isinstance(source, Scope):
        query = source.expression
        alias = query.parent.args.get("alias") if query.parent is not None else None
        listed = alias.columns if isinstance(alias, exp.TableAlias) else []
        if listed:
            return None, {c.name for c in listed}
        if isinstance(query, exp.Query) and not any(
            isinstance(s, exp.Star) or (isinstance(s, exp.Column) and s.is_star)
            for s in getattr(query, "selects", [])
        ):
            return None, set(query.named_selects)
        return None, None
    alias = source.args.get("alias") if isinstance(source, exp.Expr) else None
    if isinstance(alias, exp.TableAlias):
        return None, {c.name for c in alias.columns} | {alias.name}
    return None, None


def _clause(column: exp.Expr, select: exp.Expr) -> str | None:
    """The argument of ``select`` the column sits in (``where``, ``order``...)."""
    node = column
    while node.parent is not None and node.parent is not select:
        node = node.parent
    return node.arg_key if node.parent is select else None


def _lookup(source: str, key: str) -> exp.Expr:
    """A tag reference: the key's values in the tags of ``source``, typed as a group."""
    tags = exp.column(_TAGS, table=source)
    return exp.Cast(
        this=call("map_extract_value", tags, exp.Literal.string(key)), to=exp.DataType(this=GROUP)
    )


@dataclass
class _Select:
    """What the FROM of one SELECT (a scope) offers its names."""

    tables: dict[str, Table | None]  # each source's registry table (None for others)
    known: set[str]  # the sources' column names
    unknown: bool  # some source's columns cannot be told
    outputs: set[str]  # the select list's aliases
    outer: set[str]  # the columns of the queries around a correlated subquery

    @property
    def tagged(self) -> list[str]:
        return [name for name, table in self.tables.items() if _tagged(table)]


def _select_of(scope: Scope, registry: Registry, seen: dict[int, set[str]]) -> _Select:
    found = _Select({}, set(), False, set(), _outer_columns(scope, registry, seen))
    for name, source in scope.sources.items():
        table, columns = _source_columns(source, registry)
        found.tables[name] = table
        found.known |= columns or set()
        found.unknown = found.unknown or columns is None
    selects = getattr(scope.expression, "selects", [])
    found.outputs = {s.alias for s in selects if isinstance(s, exp.Alias)}
    return found


def _tag_of(column: exp.Column, scope: Scope, select: _Select) -> tuple[str, str, bool] | None:
    """(source, key, explicit) when ``column`` is a tag reference, else None; refuses an
    explicit one that names no source with tags."""
    name, qualifier = column.name, column.table
    explicit = name.startswith(TAG_PREFIX)
    key = name[len(TAG_PREFIX) :] if explicit else name
    if qualifier:
        if qualifier not in select.tables:
            return None  # an outer source, or unknown: qualification says
        table = select.tables[qualifier]
        if not _tagged(table) or (not explicit and name in _columns_of(table)):
            if explicit:
                raise Refusal(f"#{key}: {qualifier} has no tags", column)
            return None
        return qualifier, key, explicit
    if not explicit and (
        name in select.known
        or select.unknown
        or (name in select.outputs and _clause(column, scope.expression) in _ORDERING)
        or name in select.outer
    ):
        return None
    if len(select.tagged) != 1:
        if explicit:
            which = "no source has tags" if not select.tagged else "qualify it: t.#key"
            raise Refusal(f"#{key}: {which}", column)
        return None
    return select.tagged[0], key, explicit


def resolve_tags(tree: exp.Expr, registry: Registry) -> None:
    """Make every tag reference of ``tree`` a lookup of its key (see the module
    docstring): ``#key``, and an unknown name where a source of its SELECT has tags (a
    qualified ``t.key`` where ``t`` is such a table). A reference projected as it is gets
    the key's name (``#key`` for an explicit one). ``row_to_json(t)`` of such a table
    becomes its JSON object (:func:`row_json`)."""
    found: list[tuple[exp.Column, tuple[str, str, bool]]] = []
    rows: list[tuple[exp.Column, Table]] = []
    seen: dict[int, set[str]] = {}  # per scope: the columns of the scopes around it
    for scope in traverse_scope(tree):
        select = _select_of(scope, registry, seen)
        for column in _columns(scope):
            whole = select.tables.get(column.name) if _whole_row(column) else None
            if whole is not None and not column.table:
                rows.append((column, whole))
                continue
            tag = _tag_of(column, scope, select)
            if tag is not None:
                found.append((column, tag))
    for column, table in rows:
        _replace_named(column.parent, row_json(column.name, table), "row_to_json")
    for column, (on, key, explicit) in found:
        _replace_named(column, _lookup(on, key), ("#" if explicit else "") + key)


def _replace_named(node: exp.Expr | None, new: exp.Expr, name: str) -> None:
    """Replace ``node`` by ``new``; the select-list item PostgreSQL names after ``node``
    (itself or a cast of it) gets ``name`` as its alias."""
    assert node is not None
    item = _select_item(node)
    node.replace(new)
    item = new if item is node else item
    if item is not None:
        item.replace(exp.Alias(this=item.copy(), alias=exp.to_identifier(name, quoted=True)))


def _whole_row(column: exp.Expr) -> bool:
    """Whether ``column`` is the one argument of ``row_to_json(...)``."""
    parent = column.parent
    return (
        isinstance(parent, exp.Anonymous)
        and parent.name.lower() == "row_to_json"
        and len(parent.expressions) == 1
    )


def row_json(source: str, table: Table) -> exp.Expr:
    """``row_to_json(source)``: a JSON object of the table's columns, in order, each as
    PostgreSQL's ``to_json`` writes it (tags as hstore's JSON)."""
    args: list[exp.Expr] = []
    for col in table.columns:
        value: exp.Expr = exp.column(col.name, table=source, quoted=True)
        if col.type.ddsql == "HSTORE":
            value = call(JSON_TAGS_MACRO, value)
        elif col.type.ddsql == "TIMESTAMP":
            value = call(JSON_TIMESTAMP_MACRO, value)
        args += [exp.Literal.string(col.name), value]
    return call("json_object", *args)  # typed JSON by json_values


def _select_item(column: exp.Expr) -> exp.Expr | None:
    """The select-list item PostgreSQL names after ``column``: the column itself, or a
    cast of it (``team::text``), unaliased; None otherwise."""
    node = column
    while isinstance(node.parent, (exp.Cast, exp.Paren)) and node.arg_key == "this":
        node = node.parent
    if isinstance(node.parent, exp.Select) and node.arg_key == "expressions":
        return node
    return None


def _columns(scope: Scope) -> list[exp.Column]:
    """The columns of ``scope``, with those of its GROUP BY, ORDER BY and HAVING that
    sqlglot leaves out as references to an output (``#key`` is projected under another name,
    and ``key`` is a tag whichever it stands for)."""
    found = list(scope.columns)
    seen = {id(c) for c in found}
    for clause in ("group", "order", "having"):
        held = scope.expression.args.get(clause)
        if isinstance(held, exp.Expr):
            for column in held.find_all(exp.Column):
                if id(column) not in seen and not _nested(column, held):
                    found.append(column)
                    seen.add(id(column))
    return found


def _nested(column: exp.Expr, clause: exp.Expr) -> bool:
    """Whether ``column`` sits in a subquery inside ``clause``."""
    node = column.parent
    while node is not None and node is not clause:
        if isinstance(node, exp.Query):
            return True
        node = node.parent
    return False


def _columns_of(table: Table | None) -> set[str]:
    return {c.name for c in table.columns} if table is not None else set()


def _outer_columns(scope: Scope, registry: Registry, seen: dict[int, set[str]]) -> set[str]:
    """The column names of the sources of the queries a subquery sits in (a correlated
    reference is theirs, not a tag)."""
    names: set[str] = set()
    parent = scope.parent if scope.is_subquery else None
    while parent is not None:
        cached = seen.get(id(parent))
        if cached is None:
            cached = set()
            for source in parent.sources.values():
                cached |= _source_columns(source, registry)[1] or set()
            seen[id(parent)] = cached
        names |= cached
        parent = parent.parent if parent.is_subquery else None
    return names


def written_names(
    tree: exp.Expr, columns: tuple[str, ...], sql: str, functions: frozenset[str]
) -> tuple[str, ...]:
    """PostgreSQL's output names (``columns``, from :func:`.names.output_names`) with the
    name of a preview function as written where sqlglot parses it into a node that
    names it otherwise (``string_agg``, ``substr``, ``char_length``, ``mod``...)."""
    select = tree
    while isinstance(select, exp.Union):
        select = select.this
    if not isinstance(select, exp.Select) or len(columns) != len(select.expressions):
        return columns
    named = list(columns)
    for i, item in enumerate(select.expressions):
        node = item
        while isinstance(node, (exp.Cast, exp.Paren)):
            node = node.this
        if isinstance(node, exp.Mod):  # mod(x, y) (PostgreSQL's name), or x % y
            extent = Source(sql).extent(node)
            if extent is not None and sql[extent[0] : extent[0] + 3].lower() == "mod":
                named[i] = "mod"
        elif isinstance(node, exp.Func) and not isinstance(node, exp.Anonymous):
            written = Source(sql).call_name(node).lower()
            if written in functions and written not in _reference_functions():
                named[i] = written
    return tuple(named)


def _reference_functions() -> frozenset[str]:
    from .variants import variant

    return variant().functions


# --------------------------------------------------------------- groups


def _group(node: exp.Expr) -> bool:
    return is_type(node, GROUP)


def _texty(node: exp.Expr) -> bool:
    return (isinstance(node, exp.Literal) and node.is_string) or type_in(node.type, TEXT_TYPES)


def _typed(node: exp.Expr, name: str) -> exp.Expr:
    node.type = data_type(name)
    return node


def _contains(group: exp.Expr, value: exp.Expr) -> exp.Expr:
    return _typed(call("list_contains", group, value), "BOOLEAN")


@rewrites(exp.EQ, exp.NEQ)
def group_equality(node: exp.Expr) -> exp.Expr:
    """``group = 'v'``: the group contains v (``<>``: it does not); ``group = {'a','b'}``
    (or another group, or an array): the same set."""
    left, right = node.this, node.expression
    if not (_group(left) or _group(right)):
        return node
    group, other = (left, right) if _group(left) else (right, left)
    if _group(other) or type_in(other.type, (exp.DType.ARRAY,)):
        return node
    unknown = other.type is None or type_in(other.type, (exp.DType.UNKNOWN, exp.DType.NULL))
    if not (_texty(other) or isinstance(other, (exp.Null, exp.Placeholder)) or unknown):
        raise UnsupportedError(
            "a tag (group) compares with text (contains) or a group literal (equality)"
        )
    found = _contains(group, other)
    if isinstance(node, exp.EQ):
        return found
    return _typed(exp.Not(this=exp.Paren(this=found)), "BOOLEAN")


@rewrites(exp.Case)
def group_cases(node: exp.Expr) -> exp.Expr:
    """``CASE tag WHEN 'v' THEN ...``: each WHEN compares as ``tag = 'v'`` does."""
    if not isinstance(node, exp.Case) or node.this is None or not _group(node.this):
        return node
    ifs = [
        exp.If(this=exp.EQ(this=node.this.copy(), expression=i.this), true=i.args["true"])
        for i in node.args.get("ifs") or []
    ]
    return exp.Case(ifs=ifs, default=node.args.get("default"))  # group_equality reads them


@rewrites(exp.In)
def group_overlaps(node: exp.Expr) -> exp.Expr:
    """``group IN ('a', 'b')``: the group holds a or b (overlaps)."""
    if not isinstance(node, exp.In):
        return node
    if any(_group(e) for e in node.expressions):
        raise UnsupportedError("a tag (group) cannot be an IN list's item; use tag IN (...)")
    if not _group(node.this):
        return node
    if node.args.get("query") is not None or node.args.get("unnest") is not None:
        raise UnsupportedError("tag IN takes a list of texts: tag IN ('a', 'b')")
    if not all(_texty(e) or isinstance(e, exp.Null) for e in node.expressions):
        raise UnsupportedError("tag IN takes a list of texts: tag IN ('a', 'b')")
    values = exp.Array(expressions=[e.copy() for e in node.expressions])
    return _typed(call("list_has_any", node.this, values), "BOOLEAN")


@rewrites(exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.DPipe, exp.Add, exp.Sub)
def group_order(node: exp.Expr) -> exp.Expr:
    """A group compared with text by order or a pattern, or an operand of ``||``, ``+``
    or ``-``: refused (cast it to text)."""
    left, right = node.this, node.expression
    if isinstance(node, (exp.DPipe, exp.Add, exp.Sub)) and (_group(left) or _group(right)):
        raise UnsupportedError("a tag (group) is no operand here; cast it to text: tag::text")
    if (_group(left) and _texty(right)) or (_group(right) and _texty(left)):
        raise UnsupportedError(
            "a tag (group) compares with text by = (contains) or IN (overlaps); "
            "cast it to text for other comparisons: tag::text"
        )
    return node


@rewrites(exp.Cast, exp.Column)
def group_values(node: exp.Expr) -> exp.Expr:
    """A group as the ``VARCHAR[]`` list the rules after see: a tag lookup is the key's
    list (already sorted and de-duplicated); a group literal is sorted and de-duplicated
    here, any other array when the query runs; a group cast to text is its values joined
    by commas."""
    if isinstance(node, exp.Column):
        if not _group(node):
            return node
        return _typed(node.copy(), "VARCHAR[]")
    if not isinstance(node, exp.Cast):
        return node
    to = node.args["to"]
    inner: exp.Expr = node.this
    if _group(inner) and to.this != GROUP:
        if type_in(to, TEXT_TYPES):
            return _typed(call("array_to_string", inner, exp.Literal.string(",")), "VARCHAR")
        if to.this == exp.DType.ARRAY:
            return group_values(inner)
        raise UnsupportedError("a tag (group) casts to text or to text[]")
    if to.this == exp.DType.ARRAY and any(
        isinstance(e, exp.DataType) and e.this == GROUP for e in to.expressions
    ):
        raise UnsupportedError("arrays of groups are not supported")
    if to.this != GROUP:
        return node
    if _group(inner):
        return group_values(inner)  # (the walk goes on under a replacement, not at it)
    if isinstance(inner, exp.Anonymous) and inner.name == "map_extract_value":
        return _typed(inner, "VARCHAR[]")
    literal = inner.this if isinstance(inner, exp.Cast) else inner
    if isinstance(literal, exp.Array) and all(
        isinstance(e, exp.Literal) and e.is_string for e in literal.expressions
    ):
        values = sorted({e.this for e in literal.expressions}, key=lambda v: v.encode())
        array = exp.Array(expressions=[exp.Literal.string(v) for v in values])
        return _typed(exp.cast(array, data_type("VARCHAR[]")), "VARCHAR[]")
    if inner.type is None or type_in(inner.type, (exp.DType.ARRAY, exp.DType.UNKNOWN)):
        return _typed(call("list_sort", call("list_distinct", inner)), "VARCHAR[]")
    raise UnsupportedError("casts to group take an array of text, or a group literal {'a', 'b'}")


# --------------------------------------------------------------- time literals

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@rewrites(exp.Cast)
def relative_times(node: exp.Expr) -> exp.Expr:
    """``timestamp 'now'`` is the query's start (``now()``); ``timestamp '1 day ago'``
    that instant plus the interval ``'1 day ago'`` (PostgreSQL's reading: minus a day);
    ``date '...'`` the same, as a date. Any other date literal is ``YYYY-MM-DD``."""
    if not isinstance(node, exp.Cast) or not isinstance(node.this, exp.Literal):
        return node
    to, text = node.args["to"].this, node.this.this
    if to not in (exp.DType.TIMESTAMP, exp.DType.DATE) or not node.this.is_string:
        return node
    if not relative_text(text):
        if to == exp.DType.DATE and not _ISO_DATE.fullmatch(text.strip()):
            raise UnsupportedError(f"date {text!r}: DDSQL reads YYYY-MM-DD, or '1 day ago'")
        return node
    now = call("make_timestamp", call("epoch_us", call("now")))
    stamp: exp.Expr = now
    if text.strip().lower() != "now":
        stamp = exp.Add(this=now, expression=interval_literal(parse_interval(text)))
    stamp = _typed(exp.Paren(this=stamp), "TIMESTAMP")
    if to == exp.DType.DATE:
        return _typed(exp.cast(stamp, data_type("DATE")), "DATE")
    return stamp


def _json(node: exp.Expr) -> bool:
    return is_type(node, exp.DType.JSON)


@rewrites(calls=("json_object",))
def json_values(node: exp.Expr) -> exp.Expr:
    """The objects :func:`row_json` builds are JSON (typed so for the JSON operators)."""
    if isinstance(node, exp.Anonymous) and node.name == "json_object" and not _json(node):
        return _typed(node.copy(), "JSON")
    return node


REWRITES: tuple[Rewrite, ...] = (
    json_values,
    relative_times,
    group_cases,
    group_equality,
    group_overlaps,
    group_order,
    group_values,
)
FUNCTIONS: Functions = {}
SYNTAX: Syntax = {}
