"""Fixture files: recorded API records, replayed offline.

A fixture is a ``.json`` file (an array of records or ``{"records": [...]}``), a
``.jsonl`` file (one record a line) or a directory of such files, read in name order.
Errors name the file, the record's index and the field; a load with any error loads
nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import LoaderError
from ..registry import Table
from .rows import RecordError, record_to_row, records_to_table

SUFFIXES = (".json", ".jsonl")


def sample_path() -> Path:
    """The bundled sample data (no credentials needed)."""
    return Path(str(resources.files("ddsql_lite.data").joinpath("sample_experiments.json")))


def fixture_files(path: str | Path) -> list[Path]:
    """The fixture files ``path`` stands for, in load order."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
        if not files:
            raise LoaderError(f"{path}: no .json or .jsonl fixture files in this directory")
        return files
    if not path.exists():
        raise LoaderError(f"{path}: no such fixture file or directory")
    if path.suffix not in SUFFIXES:
        raise LoaderError(f"{path}: a fixture file must end in .json or .jsonl")
    return [path]


def read_records(file: Path) -> list[Any]:
    """The records in one fixture file (not yet validated)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoaderError(f"{file}: cannot read: {exc}") from None
    if file.suffix == ".jsonl":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                records.append(_decode(line, f"{file}: line {number}"))
        return records
    doc = _decode(text, str(file))
    if isinstance(doc, dict) and isinstance(doc.get("records"), list):
        return list(doc["records"])
    if isinstance(doc, list):
        return doc
    raise LoaderError(f'{file}: expected a JSON array of records or {{"records": [...]}}')


def _decode(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoaderError(
            f"{where}: malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def iter_rows(path: str | Path, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of the fixtures at ``path``; raises LoaderError on the first bad record."""
    seen: dict[str, str] = {}
    for file in fixture_files(path):
        for index, record in enumerate(read_records(file)):
            where = f"{file}: record {index}"
            try:
                row = record_to_row(record, table)
            except RecordError as exc:
                raise LoaderError(f"{where}: {exc}") from None
            key = row[table.key]
            if key in seen:
                raise LoaderError(f"{where}: duplicate {table.key} {key!r} (first in {seen[key]})")
            seen[key] = where
            yield row


def read_fixtures(path: str | Path, table: Table) -> pa.Table:
    """Load the fixtures at ``path`` into one Arrow table; all or nothing."""
    return records_to_table(iter_rows(path, table), table)
