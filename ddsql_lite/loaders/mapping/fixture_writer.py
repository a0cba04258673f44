"""Writing fixture files: API records saved so that they replay to the identical table.

Contract of :func:`write_fixtures`: ``path`` ends in ``.json`` (a JSON array, one record a
line) or ``.jsonl`` (one record a line); records are written in the order given, as
UTF-8, keys as the API spells them. Every record is first checked with the same mapping
replay uses, so nothing is written unless all of it replays; the file is replaced
atomically (a reader never sees half a file). Records hold API data only, never
credentials.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ...errors import LoaderError
from ...registry import Table
from .fixture_reader import SUFFIXES
from .to_row import record_to_row
from .values import RecordError, is_text, printable


def _line(record: Mapping[str, Any], index: int) -> str:
    """One record as a line of JSON. A lone surrogate (in a member no column reads:
    the mapping refuses it elsewhere) is written as a ``\\udXXX`` escape, which
    replays to the same string; a value JSON cannot hold is an error."""
    try:
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        return text if is_text(text) else json.dumps(record, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise LoaderError(f"record {index} would not replay: {printable(str(exc))}") from None


def write_fixtures(records: Iterable[Mapping[str, Any]], path: str | Path, table: Table) -> int:
    """Write ``records`` to ``path`` (see the module docstring); returns how many."""
    path = Path(path)
    if path.suffix not in SUFFIXES:
        raise LoaderError(f"{path}: a fixture file must end in .json or .jsonl")
    items = list(records)
    for index, record in enumerate(items):
        try:
            record_to_row(record, table)
        except RecordError as exc:
            raise LoaderError(f"record {index} would not replay: {exc}") from None
    lines = [_line(r, index) for index, r in enumerate(items)]
    if path.suffix == ".jsonl":
        text = "".join(line + "\n" for line in lines)
    else:
        text = "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise LoaderError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return len(items)
