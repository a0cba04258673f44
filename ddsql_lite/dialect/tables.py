"""Set-returning functions: ``json_array_elements[_text]`` and ``unnest``, in FROM and in a
select list, with PostgreSQL's rows and column names (docs/dialect.md, "JSON"). :func:`prepare`
runs before qualification, the rewrite after it (docs/design.md, "Set-returning functions").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlglot import exp

from ..errors import CatalogError, UndefinedFunctionError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import call, data_type, replace_node, sources, type_in
from .paths import JSON_OPERATORS, dollar_keys
from .pgtypes import FROM_SQLGLOT
from .refusals import Refusal
from .runtime import JSON_ARRAY, JSON_ELEMENTS, JSON_ELEMENTS_TEXT
from .scalars import json_checked

JSON_FUNCTIONS = {
    "json_array_elements": (JSON_ELEMENTS, "JSON"),
    "json_array_elements_text": (JSON_ELEMENTS_TEXT, "VARCHAR"),
}


def prepare(sources: Iterable[exp.Expr]) -> list[exp.Table]:
    """Rewrite the set-returning functions of every FROM and JOIN into typed UNNESTs,
    ``WITH ORDINALITY`` into one more array (1, 2, ... as long as the longest).
    ``sources``: the tree's tables and UNNESTs, in ``find_all`` order. Returns the
    tables replaced (their function's arguments now sit in the UNNEST)."""
    replaced = []
    for source in sources:
        if isinstance(source, exp.Table) and isinstance(source.this, exp.Anonymous):
            name = source.this.name.lower()
            if name in JSON_FUNCTIONS:
                replace_node(source, _json_elements(source, name))
                replaced.append(source)
        elif isinstance(source, exp.Table) and source.args.get("ordinality"):
            raise Refusal("WITH ORDINALITY goes with a set-returning function", source)
        elif isinstance(source, exp.Unnest) and isinstance(source.parent, (exp.From, exp.Join)):
            _unnest_source(source)
    return replaced


def _unnest_source(source: exp.Unnest) -> None:
    """PostgreSQL's names for ``unnest(...)`` in FROM; ``WITH ORDINALITY`` (which
    sqlglot keeps as ``offset``, holding the last column alias when there are any)
    becomes a last array of positions."""
    alias = source.args.get("alias")
    ordinality = source.args.get("offset")
    width = len(source.expressions)
    if ordinality:
        source.set("offset", None)
        if isinstance(ordinality, exp.Identifier) and alias is not None:  # the last alias name
            alias.append("columns", ordinality)
        source.append("expressions", _positions(source.expressions))
    source.set("alias", _alias(alias, "unnest", "unnest", width, ordinal=bool(ordinality)))


def _json_elements(source: exp.Table, name: str) -> exp.Unnest:
    typed = _elements(source.this, name)
    ordinal = bool(source.args.get("ordinality"))
    arrays = [typed, _positions([typed])] if ordinal else [typed]
    alias = _alias(source.args.get("alias"), name, "value", 1, named=True, ordinal=ordinal)
    return exp.Unnest(expressions=arrays, alias=alias)


def _positions(arrays: list[exp.Expr]) -> exp.Expr:
    """The BIGINT[] ``[1, 2, ..., n]``, n the length of the longest of ``arrays`` (NULL
    when every one is NULL, so that no row comes out, as without ordinality)."""
    lengths = [call("len", array.copy()) for array in arrays]
    longest = lengths[0] if len(lengths) == 1 else call("greatest", *lengths)
    one = exp.Literal.number(1)
    positions = call("range", one, exp.Add(this=longest, expression=one.copy()))
    positions.type = data_type("BIGINT[]")  # DuckDB's range: BIGINT[] already
    return positions


def _elements(written: exp.Expr, name: str) -> exp.Cast:
    """The typed list of elements that the call ``name(args)`` (json_array_elements[_text])
    sets out."""
    args = written.expressions
    if len(args) != 1:
        raise Refusal(f"{name}() takes one json argument", written)
    function, element_type = JSON_FUNCTIONS[name]
    document = args[0]
    if isinstance(document, exp.Literal) and document.is_string:  # text read as json
        document = json_checked(document)
    return exp.Cast(this=call(function, document), to=data_type(f"{element_type}[]"))


def _alias(
    alias: exp.TableAlias | None,
    function: str,
    column: str,
    width: int,
    named: bool = False,
    ordinal: bool = False,
) -> exp.TableAlias:
    """PostgreSQL's names: without an alias the source is named after the function and
    its columns ``column``; ``AS v`` names the source and, for one column, the column,
    unless the function names its output (``named``: json_array_elements' ``value``);
    ``WITH ORDINALITY`` adds ``ordinality``. A column list names the first columns, the
    rest keep those names. The source's name alone reads its one column, if it has one
    (:func:`one_column`)."""
    source = alias.name if alias is not None else function
    one = alias is not None and width == 1 and not named
    defaults = [source if one else column] * width + (["ordinality"] if ordinal else [])
    written = list(alias.columns) if alias is not None else []
    if len(written) > len(defaults):
        raise Refusal(
            f'table "{source}" has {len(defaults)} columns available but {len(written)} '
            "columns specified",
            alias,
            kind=CatalogError,
        )
    columns = [c.copy() for c in written] + [exp.to_identifier(c) for c in defaults[len(written) :]]
    name = alias.this.copy() if alias is not None else exp.to_identifier(source)
    return exp.TableAlias(this=name, columns=columns)


def one_column(whole_row: exp.TableColumn) -> exp.Column | None:
    """PostgreSQL reads the name of a set-returning source with one column (``FROM
    json_array_elements(j) AS e``, ``unnest(a) AS u(x)``) alone as that column (the
    function's result is a scalar, its whole row): ``e`` is ``e.value``. That column,
    qualified, for ``whole_row`` (a source's name used as a value, from sqlglot's
    qualification); None when the nearest source so named is something else."""
    name = whole_row.name
    select = whole_row.find_ancestor(exp.Select)
    while select is not None:
        for source in sources(select):
            alias = source.args.get("alias")
            if alias is None or alias.name != name:
                continue
            if isinstance(source, exp.Unnest) and len(alias.columns) == 1:
                return exp.column(alias.columns[0].copy(), table=alias.this.copy())
            return None
        select = select.find_ancestor(exp.Select)
    return None


@rewrites(exp.Unnest, exp.Explode)
def argument_types(node: exp.Expr) -> exp.Expr:
    """Refuse a set-returning function given a value of a type it does not take, as
    PostgreSQL does ("function unnest(text) does not exist"); DuckDB would fail in its
    own words when it runs. Returns ``node`` unchanged."""
    if isinstance(node, exp.Explode):
        values = [node.this]
    elif isinstance(node, exp.Unnest):
        values = list(node.expressions)
    else:
        return node
    for value in values:
        elements = value.this if isinstance(value, exp.Cast) else None
        name = _ELEMENTS_OF.get(elements.name) if isinstance(elements, exp.Anonymous) else None
        if name is not None and isinstance(elements, exp.Anonymous):  # the JSON functions
            document = elements.expressions[0]
            literal = isinstance(document, exp.Literal) and document.is_string
            if literal or isinstance(document, JSON_OPERATORS):
                continue  # text PostgreSQL reads as JSON, or a JSON step
            if not type_in(document.type, _NOT_JSON):
                continue  # JSON, or not known here
            raise Refusal(
                f"function {name}({_type_name(document)}) does not exist",
                node,
                kind=UndefinedFunctionError,
            )
        if isinstance(value, exp.Literal) and value.is_string:
            raise Refusal(
                "function unnest(unknown) is not unique; unnest takes an array, such as "
                "ARRAY['a', 'b'] or string_to_array(s, ',')",
                node,
            )
        if type_in(value.type, _NOT_ARRAYS):
            raise Refusal(
                f"function unnest({_type_name(value)}) does not exist",
                node,
                kind=UndefinedFunctionError,
            )
    return node


# The function each JSON elements macro stands for.
_ELEMENTS_OF = {macro: name for name, (macro, _) in JSON_FUNCTIONS.items()}
# Types known not to be arrays, or JSON (their PostgreSQL names: .pgtypes.FROM_SQLGLOT).
_NOT_ARRAYS = frozenset(FROM_SQLGLOT)
_NOT_JSON = _NOT_ARRAYS - {exp.DType.JSON} | {exp.DType.ARRAY}


def _type_name(value: exp.Expr) -> str:
    kind = value.type.this if value.type is not None else exp.DType.UNKNOWN
    return "array" if kind == exp.DType.ARRAY else FROM_SQLGLOT.get(kind, "unknown")


@rewrites(exp.Unnest)
def lateral_unnest(node: exp.Expr) -> exp.Expr:
    """``FROM unnest(a, b) AS u(x, y)`` -> ``FROM (SELECT unnest(a) AS x, unnest(b) AS y)
    AS u(x, y)`` (a source, not an UNNEST in a select list)."""
    if not (isinstance(node, exp.Unnest) and isinstance(node.parent, (exp.From, exp.Join))):
        return node
    alias = node.args["alias"]
    names = [c.name for c in alias.columns]
    # (exp.select and exp.alias_ would copy the arrays, which are moved here instead)
    select = exp.Select(
        expressions=[
            exp.alias_(exp.Unnest(expressions=[e]), n, quoted=True, copy=False)
            for e, n in zip(node.expressions, names)
        ]
    )
    return exp.Subquery(this=select, alias=alias)


def fuse_element_paths(tree: exp.Expr) -> exp.Expr:
    """``json_array_elements(d) AS v`` read only as ``v->'a'->>'b'`` (text at key paths):
    ``d`` becomes a list of structs holding just those paths, in one ``json_transform``,
    in place of every element written out as JSON text and parsed again for each path.

    Same answers: a missing key, a JSON null and a step into a non-object are SQL NULL
    either way, and a leaf is taken as JSON and made text by ``json_extract_string`` as
    before. Runs on the rewritten tree (the sources are :func:`lateral_unnest`'s).

    One walk lists the sources, the names of every source and the columns by source
    name; fusing one source changes none of the others' lists (its columns are replaced
    by copies that no other source reads), so each is looked up, not searched for."""
    sources: list[exp.Subquery] = []
    names: dict[str, int] = {}
    columns: dict[tuple[str, str], list[exp.Column]] = {}
    for node in tree.walk():
        if isinstance(node, exp.Subquery):
            sources.append(node)
        elif isinstance(node, exp.TableAlias):
            names[node.name] = names.get(node.name, 0) + 1
        elif isinstance(node, exp.Column):
            columns.setdefault((node.table, node.name), []).append(node)
    for source in sources:
        _fuse(source, names, columns)
    return tree


def _fuse(
    source: exp.Subquery,
    names: dict[str, int],
    columns: dict[tuple[str, str], list[exp.Column]],
) -> None:
    select, alias = source.this, source.args.get("alias")
    if not (
        isinstance(select, exp.Select)
        and isinstance(alias, exp.TableAlias)  # (a subquery in an expression: an Identifier)
        and len(alias.columns) == 1
    ):
        return
    (item,) = select.expressions if len(select.expressions) == 1 else (None,)
    unnest = item.this if isinstance(item, exp.Alias) else item
    if not (isinstance(unnest, exp.Unnest) and len(unnest.expressions) == 1):
        return
    typed = unnest.expressions[0]
    elements = typed.this if isinstance(typed, exp.Cast) else None
    if not (isinstance(elements, exp.Anonymous) and elements.name == JSON_ELEMENTS):
        return
    name, column = alias.name, alias.columns[0].name
    if names.get(name) != 1:
        return  # another source of that name: its columns could not be told apart
    uses = columns.get((name, column), [])
    reads, paths = [], []
    for use in uses:
        read = use.parent
        if not (
            isinstance(read, exp.Anonymous)
            and read.name.lower() == "json_extract_string"
            and len(read.expressions) == 2
            and read.expressions[0] is use
            and isinstance(read.expressions[1], exp.Literal)
        ):
            return
        keys = dollar_keys(read.expressions[1].this)
        if keys is None:
            return
        reads.append(read)
        paths.append(keys)
    structure = _structure(paths)
    if not uses or structure is None:
        return
    document = elements.expressions[0]
    structured = call("json_transform", call(JSON_ARRAY, document), exp.Literal.string(structure))
    replace_node(typed, structured)
    for use, read, path in zip(uses, reads, paths):
        value: exp.Expr = use.copy()
        for key in path:
            value = call("struct_extract", value, exp.Literal.string(key))
        replace_node(read, call("json_extract_string", value, exp.Literal.string("$")))


def _structure(paths: list[list[str]]) -> str | None:
    """The ``json_transform`` structure of a list of objects holding ``paths`` (JSON
    leaves), or None when two paths clash: a key both a leaf and an object, or keys
    that differ only in case (DuckDB's struct fields ignore case)."""
    root: dict[str, Any] = {}
    for path in paths:
        node = root
        for depth, key in enumerate(path):
            leaf = depth == len(path) - 1
            same = [k for k in node if k.lower() == key.lower()]
            if same and same != [key]:
                return None
            if key in node:
                if leaf != (node[key] == "JSON"):
                    return None
            else:
                node[key] = "JSON" if leaf else {}
            node = node[key]
    return json.dumps([root], separators=(",", ":"))


# Where PostgreSQL refuses a set-returning function: by the node it would sit under, and
# by the clause of the SELECT (its argument name) it would sit in.
_REFUSED_UNDER: tuple[tuple[type[exp.Expr], str], ...] = (
    (exp.AggFunc, "aggregate function calls cannot contain set-returning function calls"),
    (exp.Window, "window function calls cannot contain set-returning function calls"),
    (exp.Case, "set-returning functions are not allowed in CASE"),
    (exp.If, "set-returning functions are not allowed in CASE"),
    (exp.Coalesce, "set-returning functions are not allowed in COALESCE"),
    (exp.Values, "set-returning functions are not allowed in VALUES"),
)
_CLAUSES = {
    "where": "WHERE",
    "joins": "JOIN conditions",
    "group": "GROUP BY",
    "having": "HAVING",
    "order": "ORDER BY",
    "limit": "LIMIT",
    "offset": "OFFSET",
    "distinct": "DISTINCT ON",
    "from_": "FROM, except as a source of its own",
    "windows": "WINDOW",
}


def prepare_select_lists(calls: Iterable[exp.Expr], explodes: Iterable[exp.Expr]) -> None:
    """The set-returning functions outside FROM: allowed in a select list (see the
    module docstring), refused elsewhere. ``calls``: the tree's Anonymous nodes;
    ``explodes``: its select-list ``unnest`` calls (sqlglot's Explode). The JSON
    functions become UNNESTs of their typed elements."""
    for node in explodes:
        assert isinstance(node, exp.Explode)
        if node.expressions:
            raise Refusal(
                "unnest() with several arrays is not allowed in a select list; "
                "use FROM unnest(a, b) AS u(x, y)",
                node,
            )
        _check_place(node, "unnest")
    for node in calls:
        name = node.name.lower() if isinstance(node, exp.Anonymous) else ""
        if name not in JSON_FUNCTIONS or isinstance(node.parent, exp.Table):
            continue
        _check_place(node, name)
        replace_node(node, exp.Explode(this=_elements(node, name)))


def _check_place(node: exp.Expr, name: str) -> None:
    """Refuse a set-returning function anywhere but (inside expressions of) a select
    list, with PostgreSQL's words."""
    child, parent = node, node.parent
    while parent is not None and not isinstance(parent, exp.Select):
        for kind, message in _REFUSED_UNDER:
            if isinstance(parent, kind):
                raise Refusal(f"{name}(): {message}{_INSTEAD}", node)
        if isinstance(parent, (exp.Explode, exp.Unnest)) or (
            isinstance(parent, exp.Anonymous) and parent.name.lower() in JSON_FUNCTIONS
        ):
            raise Refusal(
                f"{name}(): a set-returning function cannot take another one's rows{_INSTEAD}",
                node,
            )
        child, parent = parent, parent.parent
    if parent is None:
        raise Refusal(f"{name}(): set-returning functions are not allowed here{_INSTEAD}", node)
    if child.arg_key != "expressions":
        clause = _CLAUSES.get(child.arg_key or "", (child.arg_key or "").upper())
        raise Refusal(
            f"{name}(): set-returning functions are not allowed in {clause}{_INSTEAD}", node
        )


_INSTEAD = "; use it as a source: FROM ..., json_array_elements(j) AS e (or unnest(a) AS u)"

REWRITES: tuple[Rewrite, ...] = (argument_types, lateral_unnest)
FUNCTIONS: Functions = {
    "unnest": (exp.Unnest, exp.Explode),
    **{name: (name,) for name in JSON_FUNCTIONS},  # json_array_elements[_text]
}
SYNTAX: Syntax = {}
