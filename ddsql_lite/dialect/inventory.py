"""One breadth-first walk of a parsed statement (sqlglot's ``walk`` order) that lists the
nodes of each kind the checks before qualification read, and refuses a tree deeper than
:data:`MAX_TREE_DEPTH`. A check that replaces nodes drops them (:meth:`Inventory.drop`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from ..errors import UnsupportedError
from .ddsql import ARROW_NODES, unwrap_arrow

# Bounds that keep translation fast and inside Python's recursion limit (sqlglot walks
# trees recursively and some of its passes are quadratic in the depth of a tree).
MAX_TREE_DEPTH = 128
TOO_DEEP = (
    "the query is nested too deeply (parentheses, subqueries or chained operators); "
    "simplify it, e.g. use IN (...) for long OR chains"
)

Kind = type[exp.Expr] | tuple[type[exp.Expr], ...]
# The kinds collected: the class (or classes) their nodes are an instance of.
_KINDS: tuple[Kind, ...] = (
    exp.Identifier,
    exp.TableAlias,
    exp.CTE,
    exp.Anonymous,
    exp.Group,
    exp.Limit,
    exp.Values,
    exp.Table,
    exp.Unnest,
    (exp.Table, exp.Unnest),  # the sources of FROM and JOIN, in one list
    exp.Select,
    exp.Placeholder,
    exp.Explode,
    (exp.From, exp.Join),  # one per FROM or JOIN source
    (exp.Group, exp.Order, exp.Window),  # the clauses that list keys
)
# For each node class met so far, the positions in _KINDS of the kinds it is one of.
_KINDS_OF: dict[type[exp.Expr], tuple[int, ...]] = {}


@dataclass
class Inventory:
    """The nodes of a statement, all and by kind, in breadth-first order (see the module
    docstring for identifiers)."""

    nodes: list[exp.Expr] = field(default_factory=list)
    by_kind: tuple[list[exp.Expr], ...] = field(default_factory=lambda: tuple([] for _ in _KINDS))
    dropped: set[int] = field(default_factory=set)  # ids of nodes no longer in the tree

    def of(self, kind: Kind) -> list[exp.Expr]:
        """The nodes that are instances of ``kind`` (one of the collected kinds) and still
        in the tree."""
        nodes = self.by_kind[_KINDS.index(kind)]
        if self.dropped:
            return [n for n in nodes if id(n) not in self.dropped]
        return nodes

    def discard(self, node: exp.Expr) -> None:
        """Note that ``node`` (only) left the tree."""
        self.dropped.add(id(node))

    def drop(self, node: exp.Expr) -> None:
        """Note that ``node`` and everything under it left the tree."""
        stack = [node]
        while stack:
            gone = stack.pop()
            self.dropped.add(id(gone))
            stack.extend(gone.iter_expressions())


def take_inventory(tree: exp.Expr, unwrap_arrows: bool = False) -> Inventory:
    """The inventory of ``tree``; :class:`UnsupportedError` when it is deeper than
    :data:`MAX_TREE_DEPTH` (measured without recursion, so any depth is safe).
    ``unwrap_arrows``: apply :func:`.ddsql.unwrap_arrow` on the way (see ``parse``)."""
    inventory = Inventory()
    nodes, by_kind = inventory.nodes, inventory.by_kind
    # Identifiers (leaves, about half the nodes) are listed with their parent's level;
    # their order among the nodes does not matter (no check refuses one).
    identifier, identifiers = exp.Identifier, by_kind[_KINDS.index(exp.Identifier)]
    level: list[exp.Expr] = [tree]
    depth = 0
    while level:
        if depth > MAX_TREE_DEPTH:
            raise UnsupportedError(f"{TOO_DEEP} (the limit is {MAX_TREE_DEPTH} levels)")
        below: list[exp.Expr] = []
        leaves = len(identifiers)
        for node in level:
            if unwrap_arrows and isinstance(node, ARROW_NODES):
                unwrap_arrow(node)  # before its children are listed, as parse would
            nodes.append(node)
            kinds = _KINDS_OF.get(type(node))
            if kinds is None:
                kinds = _KINDS_OF[type(node)] = tuple(
                    i for i, kind in enumerate(_KINDS) if isinstance(node, kind)
                )
            for i in kinds:
                by_kind[i].append(node)
            for value in node.args.values():  # the children, in iter_expressions order
                if isinstance(value, exp.Expr):
                    if type(value) is identifier:
                        identifiers.append(value)
                    else:
                        below.append(value)
                elif type(value) is list:
                    for item in value:
                        if type(item) is identifier:
                            identifiers.append(item)
                        elif isinstance(item, exp.Expr):
                            below.append(item)
        if len(identifiers) > leaves:
            if depth + 1 > MAX_TREE_DEPTH:
                raise UnsupportedError(f"{TOO_DEEP} (the limit is {MAX_TREE_DEPTH} levels)")
            nodes.extend(identifiers[leaves:])
        level = below
        depth += 1
    return inventory
