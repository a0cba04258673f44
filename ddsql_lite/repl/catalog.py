"""The completion catalog of a live connection: the registry's tables, DDSQL's
functions, and the tag keys, JSON keys and few-valued text values present in the loaded
data (:mod:`ddsql_lite.metadata`), each read the first time it is asked for and cached
for the life of the catalog (one catalog per load: ``\\reload`` makes a new one)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import metadata
from ..connection import Connection
from ..registry import Table

# The path step that stands for any element of an array (not a possible JSON key text
# a user would type: it starts with a NUL).
ITEM = "\x00[]"
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
        self._values: dict[tuple[str, str, str | None], list[str]] = {}

    def tables(self) -> Sequence[Table]:
        return self.con.tables()

    def functions(self) -> Iterable[str]:
        """The functions of the connection's DDSQL variant."""
        return metadata.function_names(self.con.syntax)

    def meta_commands(self) -> Mapping[str, Sequence[str] | None]:
        return self._meta

    def tag_keys(self, table: str, column: str) -> Sequence[str]:
        """Every key of the tag column ``column``, sorted."""
        key = self._key(table, column)
        if key not in self._tags:
            self._tags[key] = metadata.tag_keys(self.con, table, column)
        return self._tags[key]

    def json_keys(self, table: str, column: str, path: Sequence[str]) -> Sequence[str]:
        """The keys of the objects at ``path`` in the JSON column ``column``, in the
        order they first appear. A step that is an integer is an array index (any
        element) as well as an object key, as in ``json_extract_path``."""
        return keys_at(self._tree(table, column), path)

    def json_array(self, table: str, column: str, path: Sequence[str]) -> bool:
        """Is the value at ``path`` in the JSON column ``column`` an array (somewhere in
        the data)?"""
        return is_array_at(self._tree(table, column), path)

    def values(self, table: str, column: str, key: str | None = None) -> Sequence[str]:
        """The values of a few-valued text column, or (``key``) of a tag key, sorted;
        none when there are many."""
        cached = (*self._key(table, column), key)
        if cached not in self._values:
            if key is None:
                found = metadata.column_values(self.con, table, column)
            else:
                found = metadata.tag_values(self.con, table, column, key)
            self._values[cached] = found
        return self._values[cached]

    def _tree(self, table: str, column: str) -> KeyTree:
        key = self._key(table, column)
        if key not in self._trees:
            self._trees[key] = key_tree(metadata.json_texts(self.con, table, column))
        return self._trees[key]

    def _key(self, table: str, column: str) -> tuple[str, str]:
        """What a lookup is cached under: the table's own name (not an alias)."""
        spec = self.con.registry.find(table)
        return (table if spec is None else spec.name, column)


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
            tree.setdefault((*path, ITEM), {})  # an array is here (even of scalars)
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
    found: dict[str, None] = {}
    for p in _resolve(tree, path):
        for key in tree.get(p, {}):
            found.setdefault(key)
    return list(found)


def is_array_at(tree: KeyTree, path: Sequence[str]) -> bool:
    """Is there an array at ``path`` (steps as written) in any document?"""
    return any((*p, ITEM) in tree for p in _resolve(tree, path))


def _resolve(tree: KeyTree, path: Sequence[str]) -> list[tuple[str, ...]]:
    """The recorded paths ``path`` may denote (an integer step is a key or an index)."""
    paths: list[tuple[str, ...]] = [()]
    for step in path:
        options = [step, ITEM] if _INDEX.fullmatch(step) else [step]
        paths = [(*p, o) for p in paths for o in options if _prefix(tree, (*p, o))]
    return paths


def _prefix(tree: KeyTree, path: tuple[str, ...]) -> bool:
    """Is ``path`` the start of any recorded path (an array of objects, say)?"""
    return any(p[: len(path)] == path for p in tree)
