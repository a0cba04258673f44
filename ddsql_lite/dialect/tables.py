"""Set-returning functions in FROM: ``json_array_elements[_text]`` and ``unnest``.

:func:`prepare` runs before qualification, so that the rest of the translator sees
ordinary typed ``UNNEST`` sources with PostgreSQL's column names: ``FROM f(...) AS v``
names both the source and its single column ``v``; without an alias the column is
``value`` for the JSON functions and ``unnest`` for ``unnest``. The rewrite after
qualification turns every ``UNNEST`` source into a lateral subquery of select-list
UNNESTs: that zips ``unnest(a, b, ...)``, which DuckDB's UNNEST cannot take, padding the
shorter arrays with NULL like PostgreSQL, and it runs many times faster than DuckDB's
UNNEST table function over a column of the outer table (which it evaluates as a
dependent join).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlglot import exp

from ..errors import UnsupportedError
from .nodes import Rewrite, call, data_type, rewrites
from .paths import dollar_keys
from .runtime import JSON_ARRAY, JSON_ELEMENTS, JSON_ELEMENTS_TEXT
from .scalars import json_text

JSON_FUNCTIONS = {
    "json_array_elements": (JSON_ELEMENTS, "JSON"),
    "json_array_elements_text": (JSON_ELEMENTS_TEXT, "VARCHAR"),
}


def prepare(sources: Iterable[exp.Expr]) -> list[exp.Table]:
    """Rewrite the set-returning functions of every FROM and JOIN into typed UNNESTs.
    ``sources``: the tree's tables and UNNESTs, in ``find_all`` order. Returns the
    tables replaced (their function's arguments now sit in the UNNEST)."""
    replaced = []
    for source in sources:
        if isinstance(source, exp.Table) and isinstance(source.this, exp.Anonymous):
            name = source.this.name.lower()
            if name in JSON_FUNCTIONS:
                source.replace(_json_elements(source, name))
                replaced.append(source)
        elif isinstance(source, exp.Unnest) and isinstance(source.parent, (exp.From, exp.Join)):
            width = len(source.expressions)
            source.set("alias", _alias(source.args.get("alias"), "unnest", "unnest", width))
    return replaced


def _json_elements(source: exp.Table, name: str) -> exp.Unnest:
    args = source.this.expressions
    if len(args) != 1:
        raise UnsupportedError(f"{name}() takes one json argument")
    function, element_type = JSON_FUNCTIONS[name]
    document = args[0]
    if isinstance(document, exp.Literal):  # text that PostgreSQL reads as json
        document = json_text(document)
    typed = exp.Cast(this=call(function, document), to=data_type(f"{element_type}[]"))
    return exp.Unnest(expressions=[typed], alias=_alias(source.args.get("alias"), name, "value", 1))


def _alias(alias: exp.TableAlias | None, function: str, column: str, width: int) -> exp.TableAlias:
    """PostgreSQL's names: without an alias the source is named after the function and
    its columns ``column``; ``AS v`` names the source and, for one column, the column."""
    if alias is not None and alias.columns:
        return alias
    if alias is None:
        source, columns = function, [column] * width
    else:
        source, columns = alias.name, [alias.name] if width == 1 else [column] * width
    return exp.TableAlias(
        this=exp.to_identifier(source), columns=[exp.to_identifier(c) for c in columns]
    )


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
    before. Runs on the rewritten tree (the sources are :func:`lateral_unnest`'s)."""
    for source in list(tree.find_all(exp.Subquery)):
        _fuse(tree, source)
    return tree


def _fuse(tree: exp.Expr, source: exp.Subquery) -> None:
    select, alias = source.this, source.args.get("alias")
    if not (isinstance(select, exp.Select) and alias and len(alias.columns) == 1):
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
    if sum(1 for a in tree.find_all(exp.TableAlias) if a.name == name) != 1:
        return  # another source of that name: its columns could not be told apart
    uses = [c for c in tree.find_all(exp.Column) if c.name == column and c.table == name]
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
    typed.replace(call("json_transform", call(JSON_ARRAY, document), exp.Literal.string(structure)))
    for use, read, path in zip(uses, reads, paths):
        value: exp.Expr = use.copy()
        for key in path:
            value = call("struct_extract", value, exp.Literal.string(key))
        read.replace(call("json_extract_string", value, exp.Literal.string("$")))


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


REWRITES: tuple[Rewrite, ...] = (lateral_unnest,)
FUNCTIONS: dict[type[exp.Expr], str] = {exp.Unnest: "unnest"}
ANONYMOUS = set(JSON_FUNCTIONS)
