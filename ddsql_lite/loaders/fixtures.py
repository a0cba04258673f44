"""Fixture files: recorded API records, replayed offline.

A fixture is a ``.json`` file (an array of records or ``{"records": [...]}``), a
``.jsonl`` file (one record a line, lines separated by ``\n`` as JSON Lines says) or a
directory of such files, read in name order. Errors name the file, the record's index
and the field; a load with any error loads nothing.

:func:`read_fixtures` is the fast path (:mod:`.vectorized`: DuckDB parses, generated SQL
maps); :func:`read_fixtures_reference` is the reference: :func:`read_records` then the
pure :func:`.rows.record_to_row` per record. Both give the same table and, for invalid
input, the same error; a file the fast path cannot take goes the reference way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import pyarrow as pa

from ..errors import LoaderError
from ..registry import Table
from .rows import RecordError, printable, record_to_row, records_to_table

SUFFIXES = (".json", ".jsonl")
# Below this size a file is mapped record by record: planning DuckDB's generated queries
# (about 0.25 s) costs more than the pure mapping of about a thousand records.
SMALL_FILE_BYTES = 2 * 1024 * 1024


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
        # "\n" only (a "\r" before it is JSON whitespace): str.splitlines would also
        # split inside strings holding U+2028, U+0085 and other separators.
        for number, line in enumerate(text.split("\n"), start=1):
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
        return decode_json(text)
    except json.JSONDecodeError as exc:
        raise LoaderError(
            f"{where}: malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise LoaderError(f"{where}: malformed JSON: {printable(str(exc))}") from None


def decode_json(text: str) -> Any:
    """``json.loads(text)`` at any depth of nesting.

    Python's decoder recurses once per level of nesting: how deep it can go depends on
    the caller's stack. Where it gives up, :func:`_decode_deep` decodes the same text
    (same values, same errors) without recursing, so that how deeply a fixture is nested
    never decides whether it loads; the mapping has its own fixed limit
    (:data:`.rows.MAX_DEPTH`) for the members it reads.
    """
    try:
        return json.loads(text)
    except RecursionError:
        return _decode_deep(text)


# one value at an index (C; recursive for containers), as json.loads reads it
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_SPACE = re.compile(r"[ \t\n\r]*")
_SHALLOW = 3  # containers at depths 0-2 (a file, its records list, a record) try _SCAN


def _decode_deep(text: str) -> Any:
    """:func:`json.loads` without recursion: containers are opened on a stack of their
    own; scalars, and the containers of the first :data:`_SHALLOW` levels when they are
    not too deep for it (the records of a file), are read by Python's scanner."""
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    value, end = _deep_value(text, _SPACE.match(text, 0).end())  # type: ignore[union-attr]
    end = _SPACE.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _deep_value(s: str, idx: int) -> tuple[Any, int]:
    """The JSON value starting at ``s[idx]`` and the index after it."""
    space = _SPACE.match
    # the open containers: a list, or an object's (key, value) pairs with the next key
    stack: list[tuple[list[Any], bool]] = []
    keys: list[str] = []
    while True:
        char = s[idx : idx + 1]
        value: Any
        if char in ("{", "["):
            if len(stack) < _SHALLOW:
                try:
                    value, idx = _SCAN(s, idx)
                except RecursionError:
                    pass
                except StopIteration as stop:  # a value missing inside the container
                    raise json.JSONDecodeError("Expecting value", s, stop.value) from None
                else:
                    char = ""
            if char:
                is_object = char == "{"
                idx = space(s, idx + 1).end()  # type: ignore[union-attr]
                if s[idx : idx + 1] == ("}" if is_object else "]"):
                    value, idx = ({} if is_object else []), idx + 1
                else:
                    stack.append(([], is_object))
                    if is_object:
                        key, idx = _deep_key(s, idx)
                        keys.append(key)
                    continue
        else:
            try:
                value, idx = _SCAN(s, idx)
            except StopIteration as stop:
                raise json.JSONDecodeError("Expecting value", s, stop.value) from None
        while True:  # the value is complete: add it to its container
            if not stack:
                return value, idx
            items, is_object = stack[-1]
            items.append((keys.pop(), value) if is_object else value)
            idx = space(s, idx).end()  # type: ignore[union-attr]
            char = s[idx : idx + 1]
            if char == ",":
                idx = space(s, idx + 1).end()  # type: ignore[union-attr]
                if is_object:
                    key, idx = _deep_key(s, idx)
                    keys.append(key)
                break
            if char != ("}" if is_object else "]"):
                raise json.JSONDecodeError("Expecting ',' delimiter", s, idx)
            stack.pop()
            value, idx = (dict(items) if is_object else items), idx + 1


def _deep_key(s: str, idx: int) -> tuple[str, int]:
    """An object's key at ``s[idx]``, and the index of its value."""
    if s[idx : idx + 1] != '"':
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", s, idx)
    key, idx = json.decoder.scanstring(s, idx + 1)  # type: ignore[attr-defined]
    idx = _SPACE.match(s, idx).end()  # type: ignore[union-attr]
    if s[idx : idx + 1] != ":":
        raise json.JSONDecodeError("Expecting ':' delimiter", s, idx)
    return key, _SPACE.match(s, idx + 1).end()  # type: ignore[union-attr]


def iter_rows(path: str | Path, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of the fixtures at ``path``; raises LoaderError on the first bad record."""
    seen: dict[str, str] = {}
    for file in fixture_files(path):
        yield from _file_rows(file, table, seen)


def _file_rows(file: Path, table: Table, seen: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The rows of one file by the pure mapping; ``seen`` maps keys to where they were."""
    for index, record in enumerate(read_records(file)):
        where = f"{file}: record {index}"
        try:
            row = record_to_row(record, table)
        except RecordError as exc:
            raise LoaderError(f"{where}: {exc}") from None
        _check_key(row[table.key], where, table, seen)
        yield row


def _check_key(key: Any, where: str, table: Table, seen: dict[str, str]) -> None:
    if key in seen:
        raise LoaderError(f"{where}: duplicate {table.key} {key!r} (first in {seen[key]})")
    seen[key] = where


def read_fixtures_reference(path: str | Path, table: Table) -> pa.Table:
    """The reference load: the pure mapping record by record (slow; for tests)."""
    return records_to_table(iter_rows(path, table), table)


def read_fixtures(
    path: str | Path, table: Table, *, small_file_bytes: int = SMALL_FILE_BYTES
) -> pa.Table:
    """Load the fixtures at ``path`` into one Arrow table; all or nothing.

    Same result and same errors as :func:`read_fixtures_reference`, at DuckDB's speed:
    each file of ``small_file_bytes`` or more goes through
    :func:`.vectorized.read_file`, the others and those the fast path cannot take
    through the pure mapping; duplicate keys are found with Arrow compute.
    """
    files = fixture_files(path)
    if all(_size(file) < small_file_bytes for file in files):
        return read_fixtures_reference(path, table)
    from .vectorized import FileFailure, plan_for, read_file  # DuckDB plans: about 0.25 s

    plan = plan_for(table)
    if plan is None:
        return read_fixtures_reference(path, table)
    ledger = _Ledger(table)
    for file in files:
        try:
            read = read_file(file, table, plan) if _size(file) >= small_file_bytes else None
        except FileFailure as failure:
            ledger.raise_first(failure.error, file, failure.keys_before)
        if read is None:  # the whole file takes the pure path
            rows = _file_rows(file, table, ledger.seen())
            ledger.add(file, records_to_table(rows, table), seen=True)
        else:
            ledger.add(file, read.table)
    import pyarrow.compute as pc

    result = ledger.table()
    keys = result.column(table.key)
    if pc.count_distinct(keys).as_py() != len(keys) - keys.null_count:
        ledger.seen()  # raises the first duplicate
    return result


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0  # the pure path reports it


class _Ledger:
    """The parts loaded so far, in load order, and (built only when needed) where each
    key was first seen, as the pure path's ``seen`` dict."""

    def __init__(self, table: Table) -> None:
        self.table_spec = table
        self.parts: list[tuple[Path, pa.Table]] = []
        self._seen: dict[str, str] = {}
        self._counted = 0  # parts whose keys are in _seen

    def add(self, file: Path, part: pa.Table, *, seen: bool = False) -> None:
        """Append a part; ``seen``: its keys are already in :meth:`seen`'s dict."""
        self.parts.append((file, part))
        if seen and self._counted == len(self.parts) - 1:
            self._counted += 1

    def seen(self) -> dict[str, str]:
        """Key -> where it was first loaded; raises the pure path's error on the first
        duplicate key."""
        for file, part in self.parts[self._counted :]:
            for index, key in enumerate(part.column(self.table_spec.key).to_pylist()):
                _check_key(key, f"{file}: record {index}", self.table_spec, self._seen)
        self._counted = len(self.parts)
        return self._seen

    def raise_first(self, error: LoaderError, file: Path, keys_before: list[Any]) -> NoReturn:
        """Raise what the pure path raises first: a duplicate key among the records
        before the bad one (the parts, then ``keys_before`` of ``file``), else ``error``."""
        seen = self.seen()
        for index, key in enumerate(keys_before):
            _check_key(key, f"{file}: record {index}", self.table_spec, seen)
        raise error

    def table(self) -> pa.Table:
        """All parts as one table."""
        if not self.parts:
            return records_to_table([], self.table_spec)
        return pa.concat_tables([part for _, part in self.parts])
