"""DDSQL regular expressions (ICU flavour) translated to DuckDB's RE2.

Module contract (shared by every rewrite module): ``REWRITES`` are pure node -> node
rewrites applied in order over the whole tree; ``FUNCTIONS`` (sqlglot class -> DDSQL
name) and ``ANONYMOUS`` (lower-case names sqlglot parses as Anonymous) list what this
module makes safe to call.
"""

from __future__ import annotations

from sqlglot import exp

from .nodes import Rewrite

REWRITES: tuple[Rewrite, ...] = ()
FUNCTIONS: dict[type[exp.Expr], str] = {}
ANONYMOUS: set[str] = set()
