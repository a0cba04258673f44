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

from collections.abc import Iterable

from sqlglot import exp

from ..errors import UnsupportedError
from .nodes import Rewrite, call, data_type, macro, rewrites
from .scalars import json_text

JSON_ELEMENTS = macro(
    "ddsql_json_elements",
    # A JSON value is valid JSON text, so an array is one whose first non-blank is "[";
    # testing that costs nothing, where json_type would parse the document twice.
    "(j) AS CASE WHEN j IS NULL OR starts_with(ltrim(CAST(j AS VARCHAR), "
    "' ' || chr(9) || chr(10) || chr(13)), '[') THEN json_extract(j, '$[*]') "
    "ELSE ddsql_raise('cannot extract elements from ' || "
    "CASE json_type(j) WHEN 'OBJECT' THEN 'an object' ELSE 'a scalar' END) END",
)
JSON_ELEMENTS_TEXT = macro(
    "ddsql_json_elements_text",
    "(j) AS list_transform(ddsql_json_elements(j), lambda e: json_extract_string(e, '$'))",
)
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


REWRITES: tuple[Rewrite, ...] = (lateral_unnest,)
FUNCTIONS: dict[type[exp.Expr], str] = {exp.Unnest: "unnest"}
ANONYMOUS = set(JSON_FUNCTIONS)
