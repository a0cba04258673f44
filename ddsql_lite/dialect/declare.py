"""What a rule module declares (:class:`Rule`): its rewrites, each with the nodes it may
change (``@rewrites``), and the DDSQL functions and syntax it handles. Every module in
:data:`.rules.RULES` is a :class:`Rule` (docs/design.md, "Rewrite rules").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sqlglot import exp

# A rewrite: a pure function from node to node (the same node when it changes nothing).
Rewrite = Callable[[exp.Expr], exp.Expr]
# A DDSQL function as users call it (lower case) -> what sqlglot parses a call of it into:
# node classes, and the lower-case names of calls it leaves as ``exp.Anonymous``.
Functions = dict[str, tuple[type[exp.Expr] | str, ...]]
# Nodes that are not calls (operators, typed literals) -> the name users know them by.
Syntax = dict[type[exp.Expr], str]


class Rule(Protocol):
    """A rule module: what it exports."""

    # Applied in order, each over the whole tree, after qualification and typing.
    REWRITES: tuple[Rewrite, ...]
    # The DDSQL functions it handles; validation allows them, and nothing undeclared.
    FUNCTIONS: Functions
    # The non-call nodes it handles.
    SYNTAX: Syntax


@dataclass(frozen=True)
class Trigger:
    """The nodes a rewrite may change: instances of ``kinds``, and calls
    (:class:`exp.Anonymous`) whose lower-case name is in ``calls``."""

    kinds: tuple[type[exp.Expr], ...]
    calls: frozenset[str]
    # verdict() of each class met so far
    verdicts: dict[type[exp.Expr], int] = field(default_factory=dict, compare=False, repr=False)

    def verdict(self, kind: type[exp.Expr]) -> int:
        """ALL when every node of class ``kind`` matches, BY_NAME when a call of that
        class matches if its name is in ``calls``, NONE otherwise (remembered)."""
        found = self.verdicts.get(kind)
        if found is None:
            if issubclass(kind, self.kinds):
                found = ALL
            elif self.calls and issubclass(kind, exp.Anonymous):
                found = BY_NAME
            else:
                found = NONE
            self.verdicts[kind] = found
        return found


NONE, BY_NAME, ALL = 0, 1, 2
# The trigger of each rewrite that declares one (see :func:`rewrites`).
TRIGGERS: dict[Rewrite, Trigger] = {}


def rewrites(*kinds: type[exp.Expr], calls: Iterable[str] = ()) -> Callable[[Rewrite], Rewrite]:
    """Declare what a rewrite may change (see :class:`Trigger`). Contract: it returns
    every other node unchanged, without changing anything else, so the rewrite walk
    need not call it there, nor walk a tree that holds none of them."""

    def declare(rewrite: Rewrite) -> Rewrite:
        TRIGGERS[rewrite] = Trigger(kinds, frozenset(c.lower() for c in calls))
        return rewrite

    return declare
