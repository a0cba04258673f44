"""The completion catalog of a live connection: the registry's tables, DDSQL's
functions, and the tag keys and JSON keys present in the loaded data.

Data-dependent keys are read with internal SQL on the connection's engine the first
time they are asked for and cached for the life of the catalog (one catalog per load:
``\\reload`` makes a new one). A failing lookup gives no keys rather than an error:
completion must never break the shell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..connection import Connection
from ..dialect.functions import DDSQL_FUNCTIONS
from ..errors import DDSQLError
from ..registry import Table

# The path step that stands for any element of an array (not a possible JSON key text
# a user would type: it starts with a NUL).
ITEM = "\x00[]"
# How many distinct JSON values of a column are read to learn its keys.
MAX_JSON_VALUES = 20_000
_INDEX = re.compile(r"-?\d+")
KeyTree = dict[tuple[str, ...], dict[str, None]]


class ConnectionCatalog:
    """A :class:`~ddsql_lite.repl.completion.Catalog` over a connection's loaded data."""

    def __init__(
        self, con: Connection, meta_commands: Mapping[str, Sequence[str] | None] | None = None
    ) -> None:
        self.con = con
        self._meta = dict(meta_commands or {})
        self._tags: dict[tuple[str, str], list[str]] = {}
        self._trees: dict[tuple[str, str], KeyTree] = {}

    def tables(self) -> Sequence[Table]:
        return self.con.tables()

    def functions(self) -> Iterable[str]:
        return DDSQL_FUNCTIONS

    def meta_commands(self) -> Mapping[str, Sequence[str] | None]:
        return self._meta

    def tag_keys(self, table: str, column: str) -> Sequence[str]:
        """Every key of the tag column ``column``, sorted."""
        spec = self.con.registry.find(table)
        if spec is None:
            return []
        if (spec.name, column) not in self._tags:
            sql = (
                f"SELECT DISTINCT unnest(map_keys({_quote(column)})) AS k "
                f"FROM {_table_sql(spec)} ORDER BY k"
            )
            self._tags[spec.name, column] = [str(v) for v in self._values(sql) if v is not None]
        return self._tags[spec.name, column]

    def json_keys(self, table: str, column: str, path: Sequence[str]) -> Sequence[str]:
        """The keys of the objects at ``path`` in the JSON column ``column``, in the
        order they first appear. A step that is an integer is an array index (any
        element) as well as an object key, as in ``json_extract_path``."""
        spec = self.con.registry.find(table)
        if spec is None:
            return []
        if (spec.name, column) not in self._trees:
            sql = (
                f"SELECT DISTINCT CAST({_quote(column)} AS VARCHAR) FROM {_table_sql(spec)} "
                f"WHERE {_quote(column)} IS NOT NULL LIMIT {MAX_JSON_VALUES}"
            )
            self._trees[spec.name, column] = key_tree(self._values(sql))
        return keys_at(self._trees[spec.name, column], path)

    def _values(self, sql: str) -> list[Any]:
        try:
            result = self.con.engine.execute(sql, timeout=10)
        except DDSQLError:
            return []
        return result.column(0).to_pylist() if result.num_columns else []


def key_tree(documents: Iterable[Any]) -> KeyTree:
    """Every object path in ``documents`` (JSON texts) mapped to the keys seen there;
    array elements are the step :data:`ITEM`. Texts that are not JSON are skipped."""
    tree: KeyTree = {}

    def walk(value: Any, path: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            keys = tree.setdefault(path, {})
            for key, child in value.items():
                keys.setdefault(key)
                walk(child, (*path, key))
        elif isinstance(value, list):
            for child in value:
                walk(child, (*path, ITEM))

    for text in documents:
        try:
            walk(json.loads(text), ())
        except (TypeError, ValueError):
            continue
    return tree


def keys_at(tree: KeyTree, path: Sequence[str]) -> list[str]:
    """The keys at ``path`` (steps as written; integer steps match array elements)."""
    paths: list[tuple[str, ...]] = [()]
    for step in path:
        options = [step, ITEM] if _INDEX.fullmatch(step) else [step]
        paths = [(*p, o) for p in paths for o in options if _prefix(tree, (*p, o))]
    found: dict[str, None] = {}
    for p in paths:
        for key in tree.get(p, {}):
            found.setdefault(key)
    return list(found)


def _prefix(tree: KeyTree, path: tuple[str, ...]) -> bool:
    """Is ``path`` the start of any recorded path (an array of objects, say)?"""
    return any(p[: len(path)] == path for p in tree)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_sql(table: Table) -> str:
    return f"{_quote(table.schema_name)}.{_quote(table.table_name)}"
