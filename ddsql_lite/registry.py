"""The schema registry: YAML table declarations -> typed table and column specs.

Each file under ``schemas/`` (shipped in the wheel as ``ddsql_lite.schemas``) declares one
table: its DDSQL name, older aliases, the API it is loaded from and its columns in
``SELECT *`` order. :func:`load_registry` validates every file and raises
:class:`~ddsql_lite.errors.SchemaError` naming the file and the column at fault.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

from .errors import CatalogError, SchemaError
from .usercache import cache_directory, store_text


@dataclass(frozen=True)
class ColumnType:
    """One DDSQL column type and its Arrow and DuckDB representations."""

    name: str  # as written in schema files
    ddsql: str  # as DDSQL documents it
    duckdb: str
    arrow: pa.DataType


TYPES: dict[str, ColumnType] = {
    t.name: t
    for t in (
        ColumnType("string", "VARCHAR", "VARCHAR", pa.string()),
        ColumnType("bigint", "BIGINT", "BIGINT", pa.int64()),
        ColumnType("decimal", "DECIMAL", "DOUBLE", pa.float64()),
        ColumnType("boolean", "BOOLEAN", "BOOLEAN", pa.bool_()),
        ColumnType("timestamp", "TIMESTAMP", "TIMESTAMP", pa.timestamp("us")),
        ColumnType("json", "JSON", "JSON", pa.string()),
        ColumnType(
            "hstore_csv",
            "HSTORE",
            "MAP(VARCHAR, VARCHAR[])",
            pa.map_(pa.string(), pa.list_(pa.string())),
        ),
    )
}


@dataclass(frozen=True)
class Column:
    """A column: its name, type, where its value comes from and what it means."""

    name: str
    type: ColumnType
    source: str
    description: str


@dataclass(frozen=True, eq=False)
class Table:
    """A table declared by one schema file."""

    name: str  # "aws.sagemaker_inference_experiment"
    aliases: tuple[str, ...]
    description: str
    columns: tuple[Column, ...]
    api: dict[str, str] = field(default_factory=dict)
    key: str = "_key"

    @property
    def schema_name(self) -> str:
        return self.name.split(".")[0]

    @property
    def table_name(self) -> str:
        return self.name.split(".")[-1]

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a query may use for this table."""
        return (self.name, *self.aliases)

    def column(self, name: str) -> Column:
        """The column called ``name`` (case-insensitive), or a CatalogError with hints."""
        for col in self.columns:
            if col.name == name.lower():
                return col
        raise CatalogError(
            f"column {name!r} does not exist in {self.name}"
            + suggest(name, [c.name for c in self.columns])
        )

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type.arrow) for c in self.columns])

    def __repr__(self) -> str:
        """The name, the other names and the columns with their DDSQL types."""
        also = f" (also {', '.join(self.aliases)})" if self.aliases else ""
        size = max((len(c.name) for c in self.columns), default=0)
        lines = [f"{self.name}{also}: {len(self.columns)} columns"]
        lines += [f"  {c.name.ljust(size)}  {c.type.ddsql}" for c in self.columns]
        return "\n".join(lines)


class TableList(list[Table]):
    """The tables of :meth:`Connection.tables`: a list that prints each table."""

    def __repr__(self) -> str:
        return "\n\n".join(repr(t) for t in self)


class Registry:
    """Every declared table, looked up by any of its names."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self._tables = tuple(tables)
        self._by_name = {n: t for t in self._tables for n in t.names}

    def __iter__(self) -> Iterator[Table]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def find(self, name: str) -> Table | None:
        return self._by_name.get(name.lower())

    def get(self, name: str) -> Table:
        table = self.find(name)
        if table is None:
            raise CatalogError(f"table {name!r} does not exist" + suggest(name, self._by_name))
        return table


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A "did you mean" clause naming the closest candidates, or ``""``."""
    close = difflib.get_close_matches(name.lower(), list(candidates), n=3, cutoff=0.5)
    return f"; did you mean {' or '.join(close)}?" if close else ""


_TABLE_KEYS = {"table", "columns", "description"}
_COLUMN_KEYS = {"name", "type", "source", "description"}


def parse_schema(text: str, origin: str) -> Table:
    """Validate one schema file's text; ``origin`` names the file in errors."""
    return schema_table(read_yaml(text, origin), origin)


def read_yaml(text: str, origin: str) -> Any:
    """The document in YAML ``text`` (libyaml's safe loader when PyYAML has it)."""
    import yaml  # imported where used: about 10 ms, which the schema cache saves

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise SchemaError(f"{origin}: not valid YAML: {exc}") from None


def schema_table(doc: Any, origin: str) -> Table:
    """Validate one schema file's document; ``origin`` names the file in errors."""
    if not isinstance(doc, dict):
        raise SchemaError(f"{origin}: expected a mapping with keys {sorted(_TABLE_KEYS)}")
    missing = _TABLE_KEYS - doc.keys()
    if missing:
        raise SchemaError(f"{origin}: missing key(s) {', '.join(sorted(missing))}")
    name = doc["table"]
    if not isinstance(name, str) or not name.replace("_", "").replace(".", "").isalnum():
        raise SchemaError(f"{origin}: table name {name!r} is not a valid identifier")
    if not isinstance(doc["columns"], list) or not doc["columns"]:
        raise SchemaError(f"{origin}: 'columns' must be a non-empty list")
    columns: list[Column] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc["columns"]):
        columns.append(_parse_column(raw, f"{origin}: column {index}", seen))
    key = doc.get("key", columns[0].name)
    if key not in seen:
        raise SchemaError(f"{origin}: key column {key!r} is not declared")
    return Table(
        name=name.lower(),
        aliases=tuple(a.lower() for a in doc.get("aliases", [])),
        description=" ".join(str(doc["description"]).split()),
        columns=tuple(columns),
        api=dict(doc.get("api", {})),
        key=key,
    )


def _parse_column(raw: Any, where: str, seen: set[str]) -> Column:
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: expected a mapping with keys {sorted(_COLUMN_KEYS)}")
    name = raw.get("name")
    if isinstance(name, str):
        where = f"{where.rsplit(': column', 1)[0]}: column {name!r}"
    missing = _COLUMN_KEYS - raw.keys()
    if missing:
        raise SchemaError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    unknown = raw.keys() - _COLUMN_KEYS
    if unknown:
        raise SchemaError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
        raise SchemaError(f"{where}: column name must be a lower-case identifier")
    if name in seen:
        raise SchemaError(f"{where}: duplicate column")
    seen.add(name)
    type_ = TYPES.get(str(raw["type"]))
    if type_ is None:
        raise SchemaError(f"{where}: unknown type {raw['type']!r} (known: {', '.join(TYPES)})")
    return Column(name, type_, str(raw["source"]), " ".join(str(raw["description"]).split()))


def load_registry(paths: Iterable[Path] | None = None) -> Registry:
    """Load the given schema files, or every file shipped in ``ddsql_lite.schemas``."""
    if paths is None:
        return _bundled_registry()
    return Registry(parse_schema(p.read_text(encoding="utf-8"), str(p)) for p in paths)


@cache
def _bundled_registry() -> Registry:
    root = resources.files("ddsql_lite.schemas")
    files = sorted((f for f in root.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    return Registry(schema_table(doc, name) for name, doc in schema_documents(texts).items())


def schema_documents(texts: dict[str, str], cache_dir: Path | None = None) -> dict[str, Any]:
    """The YAML document of each schema file's text, by file name.

    Parsed documents are kept as JSON in ``cache_dir`` (default: the user's cache
    directory, see :mod:`.usercache`), keyed by the texts, so an unchanged registry is
    read without importing PyYAML; a document JSON cannot hold exactly (a date, a number
    as a key) is never cached.
    """
    digest = hashlib.sha256(json.dumps(texts, sort_keys=True).encode("utf-8")).hexdigest()
    path = (cache_directory() if cache_dir is None else cache_dir) / "schemas.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached["key"] == digest and isinstance(cached["documents"], dict):
            documents: dict[str, Any] = cached["documents"]
            return documents
    except (OSError, ValueError, KeyError, TypeError):
        pass
    documents = {name: read_yaml(text, name) for name, text in texts.items()}
    _store(path, {"key": digest, "documents": documents})
    return documents


def _store(path: Path, content: dict[str, Any]) -> None:
    """Keep ``content`` as JSON in ``path``, if JSON holds it exactly."""
    try:
        text = json.dumps(content)
    except (TypeError, ValueError):  # a date, for one
        return
    if json.loads(text) == content:  # not so with a number as a key, NaN...
        store_text(path, text)
