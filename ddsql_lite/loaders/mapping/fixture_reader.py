"""Reading fixture files record by record, and the reference load built on it.

A fixture is a ``.json`` file (an array of records or ``{"records": [...]}``), a
``.jsonl`` file (one record a line) or a directory of such files, read in name order
(docs/design.md, "Fixture format"). Errors name the file, the record's index and the
field; a load with any error loads nothing. :func:`read_fixtures_reference` maps every
record with :func:`.to_row.record_to_row`; the fast path gives the same table faster.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

from ...errors import LoaderError
from ...registry import Table
from .to_arrow import records_to_table
from .to_row import record_to_row
from .values import RecordError, printable

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
    (:data:`.values.MAX_DEPTH`) for the members it reads.
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
        yield from file_rows(file, table, seen)


def file_rows(file: Path, table: Table, seen: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The rows of one file by the pure mapping; ``seen`` maps keys to where they were."""
    for index, record in enumerate(read_records(file)):
        where = f"{file}: record {index}"
        try:
            row = record_to_row(record, table)
        except RecordError as exc:
            raise LoaderError(f"{where}: {exc}") from None
        check_key(row[table.key], where, table, seen)
        yield row


def check_key(key: Any, where: str, table: Table, seen: dict[str, str]) -> None:
    """Remember that ``key`` is at ``where``; LoaderError when it was seen before."""
    if key in seen:
        raise LoaderError(f"{where}: duplicate {table.key} {key!r} (first in {seen[key]})")
    seen[key] = where


def read_fixtures_reference(path: str | Path, table: Table) -> pa.Table:
    """The reference load: the pure mapping record by record (the fast path's yardstick)."""
    return records_to_table(iter_rows(path, table), table)
