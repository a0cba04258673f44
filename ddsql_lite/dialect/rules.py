"""The rule modules, in the order their rewrites run (sqlglot's optimizer ``RULES``).

Each is a :class:`.declare.Rule`: ``REWRITES``, ``FUNCTIONS`` and ``SYNTAX``. The rewrite
chain is derived here and the function list in :mod:`.functions`, both from
:data:`RULES` alone: a new rule module is one entry below.
"""

from __future__ import annotations

from . import operators, paths, regex, scalars, tables, tags, texts, timefuncs
from .declare import Rewrite, Rule

RULES: tuple[Rule, ...] = (
    texts,  # first: it reads the types of calls that later rewrites replace
    tables,
    tags,
    paths,
    scalars,
    regex,
    timefuncs,
    operators,
)

# Every rewrite, in order: each applies over the whole tree (.walk.apply_rewrites).
REWRITES: tuple[Rewrite, ...] = tuple(rewrite for rule in RULES for rewrite in rule.REWRITES)
