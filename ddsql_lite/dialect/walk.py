"""The rewrite walk: applies rewrites, each over the whole tree, in order.

A rewrite with a trigger (:func:`.declare.rewrites`) is called only on the nodes it
matches, and a tree that holds none is not walked for it. What a rewrite refuses is
refused at the node it was given, unless it names another (:class:`.refusals.Refusal`).
The rule list is passed in (:data:`.rules.REWRITES`): this module imports no rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from ..errors import UnsupportedError
from .declare import ALL, BY_NAME, NONE, TRIGGERS, Rewrite, Trigger
from .nodes import set_child
from .refusals import Refusal


def apply_rewrites(tree: exp.Expr, rewrites: Sequence[Rewrite]) -> exp.Expr:
    """Apply ``rewrites``, each over the whole tree, in order.

    Equivalent to :func:`rewrite_tree` for each rewrite in turn, but a rewrite with a
    trigger (:func:`.declare.rewrites`) is only called on the nodes it matches, and only
    the subtrees under those are walked again: one walk first lists, in walk order, the
    nodes some trigger matches; a rewrite visits the listed nodes it matches (and what is
    under them), and the nodes found there replace theirs in the list."""
    rules = [(rewrite, TRIGGERS.get(rewrite)) for rewrite in rewrites]
    triggers = [t for _, t in rules if t is not None]
    key = tuple(map(id, triggers))
    cached = _WATCHED.get(key)
    if cached is None:
        watched = Trigger(
            tuple(k for t in triggers for k in t.kinds),
            frozenset(c for t in triggers for c in t.calls),
        )
        _WATCHED[key] = (triggers, watched)  # (holding the triggers keeps their ids theirs)
    else:
        watched = cached[1]
    listed = _listed(tree, watched)
    for rewrite, trigger in rules:
        if trigger is None:
            tree, listed = _walk(tree, rewrite, None, watched)
        elif _hits(listed, trigger):
            tree, listed = _rewrite_listed(tree, rewrite, trigger, listed, watched)
    return tree


# What any trigger of a set of rewrites matches, by the ids of their triggers.
_WATCHED: dict[tuple[int, ...], tuple[list[Trigger], Trigger]] = {}


def rewrite_tree(tree: exp.Expr, rewrite: Rewrite) -> exp.Expr:
    """Apply ``rewrite`` top-down to every node, including every node under a
    replacement (sqlglot's ``transform`` skips those, which left the inner ``/`` of
    ``(6/4)/1`` truncating). A rewrite must not match its own output."""
    return _walk(tree, rewrite, None, None)[0]


def _walk(
    tree: exp.Expr,
    rewrite: Rewrite | None,
    trigger: Trigger | None,
    watched: Trigger | None,
    start: exp.Expr | None = None,
    listed: list[exp.Expr] | None = None,
    walked: set[int] | None = None,
) -> tuple[exp.Expr, list[exp.Expr]]:
    """Walk ``tree`` (or only the subtree at ``start``) top-down, applying ``rewrite``
    (when given) to every node ``trigger`` matches (every node when no trigger), and
    descending into each replacement. Returns the tree (its root may be replaced) and
    the nodes ``watched`` matches, in walk order (appended to ``listed``); the ids of
    the nodes walked are added to ``walked``."""
    found: list[exp.Expr] = [] if listed is None else listed
    # the triggers' verdicts by class, looked up here first (this loop runs per node)
    verdicts = trigger.verdicts if trigger is not None else {}
    seen = watched.verdicts if watched is not None else {}
    root = tree
    stack = [tree if start is None else start]
    while stack:
        node = stack.pop()
        if rewrite is not None and (
            trigger is None or (verdicts.get(type(node)) != NONE and _hit(node, trigger))
        ):
            # Where the node sits, taken before the rewrite: a rewrite that wraps the node
            # (LIKE -> ESCAPE) re-parents it.
            parent, key, index = node.parent, node.arg_key, node.index
            try:
                replacement = rewrite(node)
            except UnsupportedError as refused:  # refused where it is: at this node
                raise Refusal.at_node(refused, node) from None
            if replacement is not node:
                if node is root:
                    root = replacement
                elif parent is not None and key is not None:
                    set_child(parent, key, index, replacement)
                node = replacement
        if walked is not None:
            walked.add(id(node))
        if watched is not None and seen.get(type(node)) != NONE and _hit(node, watched):
            found.append(node)
        for value in node.args.values():  # the children, in iter_expressions order
            if isinstance(value, exp.Expr):
                stack.append(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, exp.Expr):
                        stack.append(item)
    return root, found


def _listed(tree: exp.Expr, watched: Trigger) -> list[exp.Expr]:
    """The nodes of ``tree`` that ``watched`` matches, in the order :func:`_walk` visits
    them (a loop of its own: this walk covers the whole tree)."""
    found: list[exp.Expr] = []
    verdicts, calls = watched.verdicts, watched.calls
    # Identifiers have no children: not walked, unless some trigger matches them.
    leaf = exp.Identifier if watched.verdict(exp.Identifier) == NONE else None
    stack = [tree]
    while stack:
        node = stack.pop()
        verdict = verdicts.get(type(node))
        if verdict is None:
            verdict = watched.verdict(type(node))
        if verdict == ALL or (verdict == BY_NAME and node.name.lower() in calls):
            found.append(node)
        for value in node.args.values():  # the children, in iter_expressions order
            if isinstance(value, exp.Expr):
                if type(value) is not leaf:
                    stack.append(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, exp.Expr) and type(item) is not leaf:
                        stack.append(item)
    return found


def _hit(node: exp.Expr, trigger: Trigger) -> bool:
    """Whether ``trigger`` matches ``node`` (this runs for every node walked)."""
    found = trigger.verdicts.get(type(node))
    if found is None:
        found = trigger.verdict(type(node))
    return found == ALL or (found == BY_NAME and node.name.lower() in trigger.calls)


def _hits(listed: list[exp.Expr], trigger: Trigger) -> bool:
    """Whether ``trigger`` matches any listed node."""
    verdicts = trigger.verdicts
    for node in listed:
        found = verdicts.get(type(node))
        if found != NONE and _hit(node, trigger):
            return True
    return False


def _rewrite_listed(
    tree: exp.Expr,
    rewrite: Rewrite,
    trigger: Trigger,
    listed: list[exp.Expr],
    watched: Trigger,
) -> tuple[exp.Expr, list[exp.Expr]]:
    """One rewrite over the listed nodes it matches, and the subtrees under them (where
    a rewrite may change or add nodes). Nodes no longer in the tree are skipped."""
    relisted: list[exp.Expr] = []
    walked: set[int] = set()
    verdicts = trigger.verdicts
    for node in listed:
        if id(node) in walked:
            continue  # walked (and listed again) under an earlier match
        if verdicts.get(type(node)) == NONE or not _hit(node, trigger):
            relisted.append(node)
        elif _attached(node, tree):
            tree = _walk(tree, rewrite, trigger, watched, node, relisted, walked)[0]
    return tree, relisted


def _attached(node: exp.Expr, root: exp.Expr) -> bool:
    """Whether ``node`` is (still) in the tree at ``root``."""
    while node is not root:
        parent = node.parent
        if parent is None:
            return False
        held = parent.args.get(node.arg_key) if node.arg_key is not None else None
        if held is not node and not (
            type(held) is list
            and node.index is not None
            and node.index < len(held)
            and held[node.index] is node
        ):
            return False
        node = parent
    return True
