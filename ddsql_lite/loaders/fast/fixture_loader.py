"""Fixture loads at DuckDB's speed: :func:`read_fixtures`, all or nothing.

Same table and same errors as the pure reference load
(:func:`..mapping.fixture_reader.read_fixtures_reference`): each file of
:data:`SMALL_FILE_BYTES` or more goes through :func:`.file_reader.read_file`, the others
and those the fast path cannot take through the pure mapping; duplicate keys are found
with Arrow compute and reported as the pure path reports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import pyarrow as pa

from ...errors import LoaderError
from ...registry import Table
from ..mapping.fixture_reader import (
    check_key,
    file_rows,
    fixture_files,
    read_fixtures_reference,
)
from ..mapping.to_arrow import records_to_table

# Below this size a file is mapped record by record: planning DuckDB's generated queries
# (about 0.25 s) costs more than the pure mapping of about a thousand records.
SMALL_FILE_BYTES = 2 * 1024 * 1024


def read_fixtures(
    path: str | Path, table: Table, *, small_file_bytes: int = SMALL_FILE_BYTES
) -> pa.Table:
    """Load the fixtures at ``path`` into one Arrow table, all or nothing (see the
    module docstring); files under ``small_file_bytes`` take the pure mapping."""
    files = fixture_files(path)
    if all(_size(file) < small_file_bytes for file in files):
        return read_fixtures_reference(path, table)
    from .file_reader import FileFailure, plan_for, read_file  # DuckDB plans: about 0.25 s

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
            rows = file_rows(file, table, ledger.seen())
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
                check_key(key, f"{file}: record {index}", self.table_spec, self._seen)
        self._counted = len(self.parts)
        return self._seen

    def raise_first(self, error: LoaderError, file: Path, keys_before: list[Any]) -> NoReturn:
        """Raise what the pure path raises first: a duplicate key among the records
        before the bad one (the parts, then ``keys_before`` of ``file``), else ``error``."""
        seen = self.seen()
        for index, key in enumerate(keys_before):
            check_key(key, f"{file}: record {index}", self.table_spec, seen)
        raise error

    def table(self) -> pa.Table:
        """All parts as one table."""
        if not self.parts:
            return records_to_table([], self.table_spec)
        return pa.concat_tables([part for _, part in self.parts])
