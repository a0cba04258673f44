"""A local Parquet snapshot of a live load, reused while it is young enough.

Contract:

- A snapshot is two files in the cache directory: ``<table>-<key>.parquet`` (the loaded
  table) and ``<table>-<key>.json`` (its load report with the load time, and what it was
  keyed by). ``key`` hashes the table's name and columns and the load's identity (see
  ``AwsOptions.identity``: profiles, roles, regions, endpoint, List filters; never
  secrets), so a snapshot is only reused for the same question.
- :func:`read_snapshot` returns the table and its report (``from_cache=True``) when the
  snapshot exists, is readable, has the table's exact schema and is at most ``max_age``
  seconds old; otherwise None (the caller loads live and writes a new one).
- Files are replaced atomically; a damaged snapshot is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import LoaderError, UnsupportedError
from ..registry import Table
from .report import LoadReport

DEFAULT_MAX_AGE = 3600.0
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[dhms])+")
_PART = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(value: str | float | timedelta) -> float:
    """Seconds in ``value``: a number of seconds, a timedelta, or text such as ``90``,
    ``15m``, ``2h``, ``1d``, ``1h30m``."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if _NUMBER.fullmatch(text):
            seconds = float(text)
        elif _DURATION.fullmatch(text):
            seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _PART.findall(text))
        else:
            raise UnsupportedError(
                f"not a duration: {value!r} (use e.g. 90, 30s, 15m, 2h, 1d, 1h30m)"
            )
    else:
        raise UnsupportedError(f"not a duration: {value!r}")
    if seconds < 0:
        raise UnsupportedError(f"a duration cannot be negative: {value!r}")
    return seconds


def snapshot_key(table: Table, identity: Mapping[str, Any]) -> str:
    """The snapshot's file stem for ``table`` loaded with ``identity``."""
    doc = {
        "table": table.name,
        "columns": [[c.name, c.type.name] for c in table.columns],
        "identity": identity,
    }
    digest = hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()
    return f"{table.name}-{digest[:20]}"


def _paths(directory: Path, table: Table, identity: Mapping[str, Any]) -> tuple[Path, Path]:
    stem = snapshot_key(table, identity)
    return directory / f"{stem}.parquet", directory / f"{stem}.json"


def read_snapshot(
    directory: str | Path,
    table: Table,
    identity: Mapping[str, Any],
    max_age: float,
) -> tuple[pa.Table, LoadReport] | None:
    """The snapshot's table and report if it is usable and fresh; see the module doc."""
    import pyarrow.parquet as pq  # imported where used: a load without a cache skips it

    data_path, meta_path = _paths(Path(directory).expanduser(), table, identity)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        report = LoadReport.from_json(meta["report"], from_cache=True, cache_path=str(data_path))
        if report.age() > max_age:
            return None
        data = pq.read_table(data_path)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None
    data = data.replace_schema_metadata(None)
    if not data.schema.equals(table.arrow_schema()) or data.num_rows != meta.get("rows"):
        return None
    return data, report


def write_snapshot(
    directory: str | Path,
    table: Table,
    identity: Mapping[str, Any],
    data: pa.Table,
    report: LoadReport,
) -> Path:
    """Store ``data`` and ``report`` as the snapshot for ``identity``; returns its path."""
    import pyarrow.parquet as pq

    directory = Path(directory).expanduser()
    data_path, meta_path = _paths(directory, table, identity)
    meta = {"report": report.to_json(), "rows": data.num_rows, "identity": identity}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _atomic(data_path, lambda tmp: pq.write_table(data, tmp))
        text = json.dumps(meta, indent=1, default=str)
        _atomic(meta_path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    except OSError as exc:
        raise LoaderError(f"{directory}: cannot write the cache: {exc.strerror or exc}") from None
    return data_path


def _atomic(path: Path, write: Callable[[str], object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
