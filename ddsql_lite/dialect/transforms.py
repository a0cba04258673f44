"""Pure rewrites of a qualified, type-annotated DDSQL tree into DuckDB semantics.

Each rewrite takes a node and returns a node (or the same one). Every rewrite module
(``paths``, ``regex``, ``timefuncs`` and this one) exports ``REWRITES``; :data:`REWRITES`
chains them in the order they are applied, each over the whole tree. A rewrite declares
the nodes it changes with :func:`.nodes.rewrites`, so the walk calls it on those only
and skips a tree that holds none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from . import paths, regex, scalars, tables, tags, texts, timefuncs
from .nodes import TRIGGERS, Rewrite, Trigger, call, macro, rewrites

NONZERO_MACRO = macro(
    "ddsql_nonzero", "(x) AS CASE WHEN x = 0 THEN error('division by zero') ELSE x END"
)


@rewrites(exp.DataType)
def decimal_is_double(node: exp.Expr) -> exp.Expr:
    """DDSQL decimals are float64; DuckDB's bare DECIMAL would be DECIMAL(18,3)."""
    if isinstance(node, exp.DataType) and node.this in (
        exp.DType.DECIMAL,
        exp.DType.DOUBLE,
        exp.DType.FLOAT,
    ):
        return exp.DataType.build("DOUBLE")
    return node


@rewrites(exp.Like, exp.ILike)
def like_escape(node: exp.Expr) -> exp.Expr:
    """PostgreSQL's LIKE treats backslash as the escape character; DuckDB needs it said."""
    if isinstance(node, (exp.Like, exp.ILike)) and not isinstance(node.parent, exp.Escape):
        return exp.Escape(this=node, expression=exp.Literal.string("\\"))
    return node


@rewrites(exp.Div, exp.Mod)
def true_division(node: exp.Expr) -> exp.Expr:
    """DDSQL's ``/`` never truncates (``5 / 2`` is 2.5); a zero divisor is an error, as in
    PostgreSQL (DuckDB would answer NULL). ``%`` keeps integer semantics, zero is an error."""
    if isinstance(node, (exp.Div, exp.Mod)) and not isinstance(node.expression, exp.Anonymous):
        divisor = call(NONZERO_MACRO, node.expression)
        if isinstance(node, exp.Div):
            return exp.Div(this=node.this, expression=divisor, typed=False, safe=False)
        return exp.Mod(this=node.this, expression=divisor)
    return node


REWRITES: tuple[Rewrite, ...] = (
    *texts.REWRITES,  # first: it reads the types of calls that later rewrites replace
    *tables.REWRITES,
    *tags.REWRITES,
    *paths.REWRITES,
    *scalars.REWRITES,
    *regex.REWRITES,
    *timefuncs.REWRITES,
    decimal_is_double,
    like_escape,
    true_division,
)


@dataclass
class Present:
    """The node classes a tree holds, and the lower-case names of its calls."""

    kinds: set[type[exp.Expr]] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)

    def add(self, node: exp.Expr) -> None:
        self.kinds.add(type(node))
        if isinstance(node, exp.Anonymous):
            self.calls.add(node.name.lower())

    def includes(self, trigger: Trigger) -> bool:
        """Whether the tree holds a node ``trigger`` matches."""
        return bool(trigger.calls & self.calls) or any(
            issubclass(kind, trigger.kinds) for kind in self.kinds
        )

    @classmethod
    def of(cls, tree: exp.Expr) -> Present:
        present = cls()
        stack = [tree]
        while stack:
            node = stack.pop()
            present.add(node)
            stack.extend(node.iter_expressions())
        return present


def apply_rewrites(tree: exp.Expr) -> tuple[exp.Expr, Present]:
    """Apply every rewrite in :data:`REWRITES`, each over the whole tree, skipping one
    whose trigger (:func:`.nodes.rewrites`) matches nothing in it. Returns the tree and
    what it holds."""
    present = Present.of(tree)
    for rewrite in REWRITES:
        trigger = TRIGGERS.get(rewrite)
        if trigger is None or present.includes(trigger):
            tree, present = rewrite_tree(tree, rewrite, trigger)
    return tree, present


def rewrite_tree(
    tree: exp.Expr, rewrite: Rewrite, trigger: Trigger | None = None
) -> tuple[exp.Expr, Present]:
    """Apply ``rewrite`` top-down to every node (only those ``trigger`` matches, when
    given), including every node under a replacement (sqlglot's ``transform`` skips those,
    which left the inner ``/`` of ``(6/4)/1`` truncating). A rewrite must not match its
    own output. Returns the new tree and what it holds."""
    present = Present()
    new = rewrite(tree) if trigger is None or trigger.matches(tree) else tree
    present.add(new)
    stack = list(new.iter_expressions())
    while stack:
        node = stack.pop()
        if trigger is None or trigger.matches(node):
            # Where the node sits, taken before the rewrite: a rewrite that wraps the node
            # (LIKE -> ESCAPE) re-parents it.
            parent, key, index = node.parent, node.arg_key, node.index
            replacement = rewrite(node)
            if replacement is not node and parent is not None and key is not None:
                parent.set(key, replacement, index)
            node = replacement
        present.add(node)
        stack.extend(node.iter_expressions())
    return new, present
