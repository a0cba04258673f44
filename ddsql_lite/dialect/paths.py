"""PostgreSQL JSON paths (``->``, ``->>``, ``#>``, ``#>>``, ``json_extract_path[_text]``)
as DuckDB.

``->`` on a tag column is a tag lookup (``tags``); on JSON it is a path step. JSON paths
keep PostgreSQL's semantics:
keys with any characters, text steps that index arrays, negative indexes, JSON null
versus SQL NULL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from ..errors import UnsupportedError
from .ddsql import RAW_FUNCTIONS
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import call, data_type, is_json, pg_sql
from .refusals import Refusal

JSON_OPERATORS = (exp.JSONExtract, exp.JSONExtractScalar, exp.JSONBExtract, exp.JSONBExtractScalar)
_RAW_PATH_FUNCTIONS = {v: k for k, v in RAW_FUNCTIONS.items()}
OPERATOR_TEXT: dict[type[exp.Expr], str] = {
    exp.JSONExtract: "->",
    exp.JSONExtractScalar: "->>",
    exp.JSONBExtract: "#>",
    exp.JSONBExtractScalar: "#>>",
}


@dataclass(frozen=True)
class Step:
    """One path step, with PostgreSQL's meaning for where it came from:

    * ``key``: ``-> 'k'`` / ``->> 'k'``, an object member only (NULL on arrays);
    * ``text``: a ``json_extract_path`` or ``#>`` element, a member on objects and an
      index on arrays when it reads as an integer (as ``strtol`` reads it);
    * ``int``: ``-> 0`` / ``->> -1``, an array index only (negative from the end).
    """

    kind: str  # "key" | "text" | "int"
    value: str | int


_STRTOL = re.compile(r"^\s*[+-]?\d+$")  # what PostgreSQL's strtol accepts as an index
_CANONICAL_INDEX = re.compile(r"^(0|[1-9]\d*)$")
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"  # a key a $ path can hold as written
_SIMPLE_KEY = re.compile(rf"^{_KEY}$")
_KEYS_PATH = re.compile(rf"^\$(?:\.{_KEY})+$")


def _token(text: str) -> str:
    """A JSON Pointer reference token: any member name, exactly."""
    return "/" + text.replace("~", "~0").replace("/", "~1")


def _index(n: int) -> str:
    return f"[{n}]" if n >= 0 else f"[#{n}]"


def _pointer(step: Step) -> str | None:
    """The step as a JSON Pointer token, when a pointer reads it exactly as PostgreSQL
    does on objects, arrays and scalars alike; else None.

    A pointer token is a member name on objects and, when it is a plain non-negative
    integer, an index on arrays.
    """
    if step.kind == "int":
        return None
    text = str(step.value)
    if _STRTOL.match(text) and not (step.kind == "text" and _CANONICAL_INDEX.match(text)):
        return None
    return _token(text)


def _dollar(step: Step) -> str | None:
    """The step in DuckDB's ``$`` path syntax, when it can be written there exactly."""
    if step.kind == "int":
        return _index(int(step.value))
    text = str(step.value)
    return f".{text}" if _SIMPLE_KEY.match(text) else None


def dollar_keys(path: str) -> list[str] | None:
    """The keys of a path :func:`json_path_sql` wrote for key steps alone (``$.a.b``);
    None for any other path (an index, a JSON Pointer)."""
    return path[2:].split(".") if _KEYS_PATH.match(path) else None


def _extract(base: exp.Expr, path: str, as_text: bool = False) -> exp.Expr:
    return call(
        "json_extract_string" if as_text else "json_extract", base, exp.Literal.string(path)
    )


def _json_type_is(node: exp.Expr, kind: str) -> exp.Expr:
    return exp.EQ(this=call("json_type", node.copy()), expression=exp.Literal.string(kind))


def _guarded_step(node: exp.Expr, step: Step) -> exp.Expr:
    """One step a single path cannot express: an int step, or an integer-looking key."""
    if step.kind == "int":
        return _extract(node, "$" + _index(int(step.value)))
    text = str(step.value)
    as_member = _extract(node, _token(text))
    if step.kind == "key":  # a member name only, even when it looks like an index
        return exp.Case(ifs=[exp.If(this=_json_type_is(node, "OBJECT"), true=as_member)])
    as_index = _extract(node, "$" + _index(int(text)))
    return exp.Case(
        ifs=[exp.If(this=_json_type_is(node, "ARRAY"), true=as_index)], default=as_member
    )


def json_path_sql(base: exp.Expr, steps: list[Step], as_text: bool) -> exp.Expr:
    """DuckDB for a PostgreSQL JSON path: ``base`` followed by ``steps``, as JSON or text.

    One ``$`` path or one JSON Pointer when the whole path fits either exactly;
    otherwise runs of pointer steps, with a type test for the steps no path can express.
    """
    dollar = [_dollar(s) for s in steps]
    if all(d is not None for d in dollar):
        return _extract(base, "$" + "".join(d for d in dollar if d), as_text)
    pointers = [_pointer(s) for s in steps]
    if all(p is not None for p in pointers):
        return _extract(base, "".join(p for p in pointers if p), as_text)
    node, run = base, ""
    for step, pointer in zip(steps, pointers):
        if pointer is not None:
            run += pointer
            continue
        if run:
            node, run = _extract(node, run), ""
        node = _guarded_step(node, step)
    if run:
        node = _extract(node, run)
    return _extract(node, "$", True) if as_text else node


def _literal_step(node: exp.Expr, kind: str, where: str) -> Step:
    if isinstance(node, exp.Literal) and node.is_string and kind == "text":
        return Step("text", node.this)
    if kind == "int":
        if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
            return Step("int", -int(node.this.this))
        if isinstance(node, exp.Literal) and not node.is_string:
            return Step("int", int(node.this))
    raise Refusal(
        f"{where}: path steps must be literals; {{step}} is not supported",
        node,
        parts={"step": node},
    )


def text_array_steps(text: str) -> list[Step]:
    """The elements of a PostgreSQL text-array literal such as ``'{a,"b,c",0}'``."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise UnsupportedError(f"malformed array literal {text!r} for #> / #>>")
    items: list[Step] = []
    body = body[1:-1]
    if not body.strip():
        return items
    for match in re.finditer(r'\s*(?:"((?:[^"\\]|\\.)*)"|([^,{}"]*?))\s*(?:,|$)', body):
        if match.end() == match.start():
            break
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            items.append(Step("text", re.sub(r"\\(.)", r"\1", quoted)))
        elif bare and bare.upper() != "NULL":
            items.append(Step("text", bare))
        else:
            raise UnsupportedError(f"array literal {text!r}: NULL or empty path elements")
    return items


def _operator_steps(node: exp.Expr) -> list[Step]:
    where = f"operator {OPERATOR_TEXT[type(node)]}"
    path = node.expression
    if isinstance(node, (exp.JSONBExtract, exp.JSONBExtractScalar)):
        if isinstance(path, exp.Literal) and path.is_string:
            return text_array_steps(path.this)
        if isinstance(path, exp.Array):
            return [_literal_step(e, "text", where) for e in path.expressions]
        raise UnsupportedError(f"{where}: the path must be a literal such as '{{a,0}}'")
    if isinstance(path, exp.JSONPath):
        steps = []
        for part in path.expressions:
            if isinstance(part, exp.JSONPathRoot):
                continue
            if isinstance(part, exp.JSONPathKey):
                steps.append(Step("key", str(part.this)))
            elif isinstance(part, exp.JSONPathSubscript) and isinstance(part.this, int):
                steps.append(Step("int", part.this))
            else:
                raise UnsupportedError(f"{where}: unsupported path {pg_sql(path)}")
        return steps
    return [_literal_step(path, "int", where)]


def operand_error(node: exp.Expr, operand: exp.Expr) -> UnsupportedError:
    """The refusal of a JSON operator or function (``node``) on a value that is not JSON."""
    kind = operand.type.sql().lower() if operand.type else "unknown"
    what = OPERATOR_TEXT.get(type(node)) or f"{node.name}()"
    return Refusal(
        f"{what} needs a json value or the tags column; {{operand}} is {kind}",
        node if node.parent is not None else operand,
        parts={"operand": operand},
    )


@rewrites(*JSON_OPERATORS, calls=_RAW_PATH_FUNCTIONS)
def json_paths(node: exp.Expr) -> exp.Expr:
    """``->``, ``->>``, ``#>``, ``#>>`` on JSON and ``json_extract_path[_text]``, with a
    chain of JSON-valued steps folded into one path."""
    if isinstance(node, exp.Anonymous) and node.name in _RAW_PATH_FUNCTIONS:
        name = _RAW_PATH_FUNCTIONS[node.name]
        if not node.expressions:
            raise UnsupportedError(f"{name}() needs a json value and at least one path step")
        base, *args = node.expressions
        if not is_json(base):
            raise operand_error(exp.Anonymous(this=name), base)
        if any(isinstance(a, exp.Null) for a in args):
            return exp.cast(exp.null(), data_type("VARCHAR" if name.endswith("_text") else "JSON"))
        if not args:
            raise UnsupportedError(f"{name}() needs at least one path step")
        steps = [_literal_step(a, "text", name) for a in args]
        return json_path_sql(base, steps, as_text=name.endswith("_text"))
    if not isinstance(node, JSON_OPERATORS) or not is_json(node.this):
        return node
    steps = _operator_steps(node)
    base = node.this
    # Fold an inner JSON-valued operator into this one: j->'a'->'b' is one path.
    while isinstance(base, (exp.JSONExtract, exp.JSONBExtract)) and is_json(base.this):
        steps = _operator_steps(base) + steps
        base = base.this
    while isinstance(base, exp.Paren):
        base = base.this
    as_text = isinstance(node, (exp.JSONExtractScalar, exp.JSONBExtractScalar))
    return json_path_sql(base, steps, as_text)


REWRITES: tuple[Rewrite, ...] = (json_paths,)
# json_extract_path[_text], renamed by the parser (ddsql.RAW_FUNCTIONS)
FUNCTIONS: Functions = {name: (renamed,) for name, renamed in RAW_FUNCTIONS.items()}
SYNTAX: Syntax = dict(OPERATOR_TEXT)
