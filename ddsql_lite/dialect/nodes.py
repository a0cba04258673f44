"""What rules build and test: node builders (``call``, ``data_type``, constant-time
replacement), type tests (``is_json``, ``type_in``) and a node's text for messages
(``pg_sql``). How a rule declares what it rewrites is :mod:`.declare`."""

from __future__ import annotations

from collections.abc import Collection

from sqlglot import exp


def set_child(parent: exp.Expr, key: str, index: int | None, value: exp.Expr) -> None:
    """``parent.set(key, value, index)`` in constant time when ``index`` is a position in
    a list argument: sqlglot's ``set`` re-parents every item of the list, so replacing
    many items of one list (select-list items, IN values, call arguments) one by one
    was quadratic in the length of the list."""
    held = parent.args.get(key) if index is not None else None
    if type(held) is not list or not 0 <= index < len(held):  # type: ignore[operator]
        parent.set(key, value, index)
        return
    held[index] = value  # type: ignore[index]
    value.parent, value.arg_key, value.index = parent, key, index
    node: exp.Expr | None = parent
    while node is not None and node._hash is not None:  # as set(): cached hashes are stale
        node._hash = None
        node = node.parent


def replace_node(node: exp.Expr, new: exp.Expr) -> exp.Expr:
    """``node.replace(new)`` for a node in a tree, in constant time (see
    :func:`set_child`). Returns ``new``."""
    parent, key = node.parent, node.arg_key
    if parent is None or key is None or parent is new:
        return new
    set_child(parent, key, node.index, new)
    return new


def data_type(name: str) -> exp.DataType:
    """``exp.DataType.build(name)``, without parsing ``name`` each time: a copy of the
    type built the first time."""
    built = _DATA_TYPES.get(name)
    if built is None:
        built = _DATA_TYPES[name] = exp.DataType.build(name)
    return built.copy()


_DATA_TYPES: dict[str, exp.DataType] = {}


def call(name: str, *args: exp.Expr) -> exp.Expr:
    """A DuckDB function call node, printed as written."""
    return exp.Anonymous(this=name, expressions=list(args))


def type_in(typed: exp.DataType | None, kinds: Collection[exp.DType]) -> bool:
    """``typed.is_type(*kinds)`` for plain types (no parameters, not USERDEFINED), which
    compares the type enums only: without building a DataType for each of ``kinds``."""
    return typed is not None and typed.this in kinds


TEXT_TYPES = (
    exp.DType.VARCHAR,
    exp.DType.TEXT,
    exp.DType.CHAR,
    exp.DType.NCHAR,
    exp.DType.NVARCHAR,
)


def is_type(node: exp.Expr, kind: exp.DType) -> bool:
    return type_in(node.type, (kind,))


def is_json(node: exp.Expr) -> bool:
    """True for a JSON-typed value, including a JSON step (``->``, ``#>``) on one."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, (exp.JSONExtract, exp.JSONBExtract)):
        return is_json(node.this)
    return is_type(node, exp.DType.JSON)


def pg_sql(node: exp.Expr) -> str:
    """``node`` printed as PostgreSQL SQL, for a message. Never raises: sqlglot cannot
    print every node it parses (``U&'...' UESCAPE '+'`` makes its generator build an
    invalid regular expression), and building an error must not fail in its turn."""
    for dialect in ("postgres", "duckdb"):
        try:
            return node.sql(dialect)
        except Exception:  # any failure of a generator: try the next
            pass
    return node.key.upper()


def sources(select: exp.Expr) -> list[exp.Expr]:
    """The FROM and JOIN sources of ``select``, in order (tables, subqueries, VALUES,
    set-returning functions)."""
    from_ = select.args.get("from_")
    found = [from_.this] if from_ is not None else []
    return found + [join.this for join in select.args.get("joins") or ()]
