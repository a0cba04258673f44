"""DDSQL tags: a set of ``key:value`` pairs stored as ``MAP(VARCHAR, VARCHAR[])``.

Keys are sorted and each key's values sorted and de-duplicated at load time, so equal
tag sets compare equal (``a.tags = b.tags``) and group together. ``tags -> 'k'`` is all
values of ``k`` joined by ``,`` (NULL when absent); ``akeys``/``avals`` list keys and
joined values in key order.
"""

from __future__ import annotations

from sqlglot import exp

from ..errors import UnsupportedError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import TEXT_TYPES, call, is_json, is_type, type_in
from .paths import JSON_OPERATORS, OPERATOR_TEXT, operand_error


def joined(values: exp.Expr) -> exp.Expr:
    """A tag's value list as DDSQL shows it: sorted values joined by commas (NULL for
    NULL). ``list_aggr(..., 'string_agg', ',')``, which joins in list order, answers as
    ``array_to_string`` does for a key's list (never empty, no NULL in it); DuckDB's
    binder takes time quadratic in their number for ``array_to_string`` calls on map
    values (4 s for 1,664 of them), and linear for these."""
    return call("list_aggr", values, exp.Literal.string("string_agg"), exp.Literal.string(","))


@rewrites(*JSON_OPERATORS, exp.Bracket)
def tag_lookups(node: exp.Expr) -> exp.Expr:
    """``tags -> 'k'`` (or hstore's subscript ``tags['k']``): every value of ``k`` sorted
    and joined by ``,``; NULL when absent."""
    lookup = _lookup(node)
    return node if lookup is None else joined(lookup)


@rewrites(exp.Is, exp.EQ, exp.NEQ)
def tag_tests(node: exp.Expr) -> exp.Expr:
    """``tags -> 'k' IS [NOT] NULL`` and ``tags -> 'k' = 'v'`` (or ``<>``, ``v`` without a
    comma) test the value list itself, without joining it: a key's list is never empty
    and holds no NULL, so it is NULL exactly when the joined text is, and it joins to a
    comma-free ``v`` exactly when it is ``[v]``."""
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        lookup = _lookup(node.this)
        if lookup is not None:
            node.set("this", lookup)
    elif isinstance(node, (exp.EQ, exp.NEQ)):
        for side, other in (("this", "expression"), ("expression", "this")):
            value = node.args[other]
            if isinstance(value, exp.Literal) and value.is_string and "," not in value.this:
                lookup = _lookup(node.args[side])
                if lookup is not None:
                    node.set(side, lookup)
                    node.set(other, exp.Array(expressions=[value]))
                    break
    return node


def _lookup(node: exp.Expr) -> exp.Expr | None:
    """``tags -> 'k'`` or ``tags['k']`` as the key's value list (``map_extract_value``);
    None for any other node. Refuses the JSON operators that do not apply to tags."""
    if isinstance(node, exp.Bracket):
        return _subscript(node) if is_type(node.this, exp.DType.MAP) else None
    if not isinstance(node, JSON_OPERATORS) or not is_type(node.this, exp.DType.MAP):
        if isinstance(node, JSON_OPERATORS) and not is_json(node.this):
            raise operand_error(node, node.this)
        return None
    if not isinstance(node, exp.JSONExtract):
        raise UnsupportedError(
            f"operator {OPERATOR_TEXT[type(node)]} does not apply to tags; use tags -> 'key'"
        )
    path = node.expression
    if isinstance(path, exp.JSONPath):
        parts = [p for p in path.expressions if not isinstance(p, exp.JSONPathRoot)]
        if len(parts) != 1 or not isinstance(parts[0], exp.JSONPathKey):
            raise UnsupportedError("tags -> needs a text key, such as tags -> 'team'")
        key: exp.Expr = exp.Literal.string(str(parts[0].this))
    else:
        key = path
    base = node.this.this if isinstance(node.this, exp.Paren) else node.this
    return call("map_extract_value", base, key)


def _subscript(node: exp.Bracket) -> exp.Expr:
    """hstore's ``tags['k']``: the same lookup as ``tags -> 'k'``; one text key, as
    hstore requires."""
    keys = node.expressions
    nested = isinstance(node.parent, exp.Bracket) and node.arg_key == "this"
    if nested or len(keys) != 1 or isinstance(keys[0], exp.Slice):
        raise UnsupportedError("hstore allows only one subscript, a text key: tags['key']")
    key = keys[0]
    if isinstance(key, (exp.Literal, exp.Neg)) and key.sql().lstrip("-").isdigit():
        # a number is read as its text, as hstore does (sqlglot stores it 0-based)
        key = exp.Literal.string(str(int(key.sql()) + 1))
    elif not (isinstance(key, exp.Literal) and key.is_string) and not type_in(key.type, TEXT_TYPES):
        raise UnsupportedError("hstore subscript must have type text: tags['key']")
    return call("map_extract_value", node.this, key)


@rewrites(calls=("akeys", "avals"))
def key_lists(node: exp.Expr) -> exp.Expr:
    """``akeys(tags)``: the keys; ``avals(tags)``: each key's values joined by ``,``."""
    if not (isinstance(node, exp.Anonymous) and node.name.lower() in ("akeys", "avals")):
        return node
    name = node.name.lower()
    if len(node.expressions) != 1 or not is_type(node.expressions[0], exp.DType.MAP):
        raise UnsupportedError(f"{name}() takes one argument, the tags column")
    tags = node.expressions[0]
    if name == "akeys":
        return call("map_keys", tags)
    value = exp.to_identifier("v")
    return call(
        "list_transform",
        call("map_values", tags),
        exp.Lambda(this=joined(exp.column(value)), expressions=[value]),
    )


REWRITES: tuple[Rewrite, ...] = (tag_tests, tag_lookups, key_lists)
FUNCTIONS: Functions = {"akeys": ("akeys",), "avals": ("avals",)}
SYNTAX: Syntax = {}
