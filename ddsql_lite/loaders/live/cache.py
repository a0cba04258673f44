"""A local Parquet snapshot of a complete live load, reused while it is young enough.

A snapshot is ``<table>-<key>.parquet`` and ``<table>-<key>.json`` (its load report)
in the cache directory, keyed by the table and the load's identity (never secrets).
:func:`find_snapshot` uses a snapshot only when it is fresh and
intact, and otherwise says why not; files are replaced atomically (docs/design.md,
"Live-load cache").
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from ...errors import LoaderError
from ...registry import Table
from ..mapping.api_shapes import ListShape, MapShape, Shape, StructureShape, output_shape
from ..mapping.to_row import REQUIRED
from ..mapping.values import (
    RecordError,
    api_timestamp,
    compact_json,
    iso_utc,
    printable,
    snake_case,
)
from .report import LoadEntry, LoadReport

_META_BYTES = 64 * 1024 * 1024  # a metadata file larger than this is not read
# timestamp[us] values Python's datetime holds: 0001-01-01 to 9999-12-31 23:59:59.999999
_FIRST_US, _LAST_US = -62135596800 * 10**6, 253402300800 * 10**6 - 1

Snapshot = tuple[pa.Table, LoadReport]


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
) -> Snapshot | None:
    """The snapshot's table and report if it is intact and fresh (docs/design.md,
    "Live-load cache")."""
    return find_snapshot(directory, table, identity, max_age)[0]


def find_snapshot(
    directory: str | Path,
    table: Table,
    identity: Mapping[str, Any],
    max_age: float,
    *,
    now: datetime | None = None,
) -> tuple[Snapshot | None, str | None]:
    """(the snapshot, None) when it is intact and at most ``max_age`` seconds old at
    ``now``; else (None, why it was ignored), or (None, None) when there is none or it
    is only too old. See docs/design.md, "Live-load cache"."""
    data_path, meta_path = _paths(Path(directory).expanduser(), table, identity)
    if not meta_path.exists() and not data_path.exists():
        return None, None
    try:
        report = _meta_report(meta_path, data_path, identity)
        now = now or datetime.now(timezone.utc)
        if report.loaded_at > now:
            when = report.loaded_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
            raise _Ignored(f"its load time, {when} UTC, is in the future")
        if report.age(now) > max_age:
            return None, None
        data = _read_table(data_path, table, report.rows)
    except _Ignored as why:
        return None, f"ignored the cached snapshot {printable(str(data_path))}: {why}"
    return (data, report), None


class _Ignored(Exception):
    """The snapshot is damaged or suspicious; the message says why."""


# ----------------------------------------------------------------- the metadata file


def _meta_report(meta_path: Path, data_path: Path, identity: Mapping[str, Any]) -> LoadReport:
    """The report the metadata file holds, checked (docs/design.md, "Live-load cache")."""
    try:
        if meta_path.stat().st_size > _META_BYTES:
            raise _Ignored("its metadata file is too large")
        text = meta_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Ignored(f"cannot read its metadata file: {_why(exc)}") from None
    meta = _field(_strict_json(text, "its metadata file"), "metadata", dict)
    _only(meta, ("report", "rows", "identity"), "metadata")
    expected = json.loads(json.dumps(identity, default=str))
    if meta.get("identity") != expected:
        raise _Ignored("its metadata names another load (identity)")
    doc = _field(meta.get("report"), "report", dict)
    _only(doc, ("source", "seconds", "loaded_at", "entries"), "report")
    if doc.get("source") != "aws":
        raise _Ignored("its report is not of a live load")
    _number(doc.get("seconds"), "report.seconds")
    loaded_at = doc.get("loaded_at")
    try:
        stamp = datetime.fromisoformat(_field(loaded_at, "report.loaded_at", str))
        if stamp.tzinfo is not None:
            stamp.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise _Ignored(f"its load time is not a timestamp: {loaded_at!r:.60}") from None
    entries = _field(doc.get("entries"), "report.entries", list)
    for index, entry in enumerate(entries):
        _entry(entry, f"report.entries[{index}]")
    report = LoadReport.from_json(doc, from_cache=True, cache_path=str(data_path))
    rows = meta.get("rows")
    if _count(rows, "rows") != report.rows:
        raise _Ignored(f"its metadata counts {rows} rows, its report {report.rows}")
    return report


def _strict_json(text: str, what: str) -> Any:
    """``json.loads(text)``, refusing ``NaN``, infinities and repeated keys."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(items)
        if len(found) != len(items):
            raise _Ignored(f"{what} repeats a key")
        return found

    def refuse(name: str) -> Any:
        raise _Ignored(f"{what} holds {name}, which is not JSON")

    def number(text: str) -> float:
        value = float(text)
        return value if math.isfinite(value) else refuse(text[:40])

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=refuse, parse_float=number)
    except RecursionError:
        raise _Ignored(f"{what} is nested too deeply") from None
    except ValueError as exc:
        raise _Ignored(f"{what} is not JSON: {_why(exc)}") from None


_ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(LoadEntry))


def _entry(entry: Any, where: str) -> None:
    """Check one report entry's fields and their types."""
    _field(entry, where, dict)
    _only(entry, _ENTRY_FIELDS, where)
    for name in ("account_id", "region"):
        _field(entry.get(name), f"{where}.{name}", str)
    for name in ("rows", "api_calls", "retries", "listed"):
        if name in entry:
            _count(entry[name], f"{where}.{name}")
    if "seconds" in entry:
        _number(entry["seconds"], f"{where}.seconds")
    if entry.get("error") is not None:
        _field(entry["error"], f"{where}.error", str)
    if "listing_complete" in entry:
        _field(entry["listing_complete"], f"{where}.listing_complete", bool)
    for name in _field(entry.get("missing", []), f"{where}.missing", list):
        _field(name, f"{where}.missing[]", str)


def _field(value: Any, where: str, kind: type) -> Any:
    if not isinstance(value, kind):
        raise _Ignored(f"its {where} is {type(value).__name__}, expected {kind.__name__}")
    return value


def _only(doc: dict[str, Any], names: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(doc) - set(names))
    if unknown:
        raise _Ignored(f"its {where} has an unknown member {unknown[0]!r:.60}")


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Ignored(f"its {where} is not a count: {value!r:.60}")
    return value


def _number(value: Any, where: str) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise _Ignored(f"its {where} is not a number of seconds: {value!r:.60}")
    return float(value)


def _why(exc: BaseException) -> str:
    text = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
    return printable(text.splitlines()[0][:200])


# ----------------------------------------------------------------- the Parquet file


def _read_table(data_path: Path, table: Table, rows: int) -> pa.Table:
    """The snapshot's table, checked (docs/design.md, "Live-load cache")."""
    import pyarrow.parquet as pq  # imported where used: a load without a cache skips it

    try:
        data = pq.read_table(data_path)
        data.validate(full=True)
    # A damaged file can make the Parquet reader raise about anything.
    except Exception as exc:
        raise _Ignored(f"cannot read its Parquet file: {_why(exc)}") from None
    data = data.replace_schema_metadata(None)
    if not data.schema.equals(table.arrow_schema()):
        raise _Ignored("its columns are not the table's")
    if data.num_rows != rows:
        raise _Ignored(f"it holds {data.num_rows} rows, its report counts {rows}")
    _check_columns(data, table)
    return data


def _check_columns(data: pa.Table, table: Table) -> None:
    """Check the values of each column against what the mapping writes."""
    import pyarrow.compute as pc

    keys = data.column(table.key)
    if keys.null_count or pc.count_distinct(keys).as_py() != data.num_rows:
        raise _Ignored(f"its key column {table.key} has a repeated or missing value")
    shape = output_shape(table.api["service"], table.api["describe"])
    for column in table.columns:
        values = data.column(column.name)
        if (column.source in REQUIRED or column.source == "$account_id") and values.null_count:
            raise _Ignored(f"its column {column.name} has a missing value")
        kind = column.type.name
        if kind == "timestamp" and len(values) > values.null_count:
            low, high = pc.min_max(values.cast(pa.int64())).values()
            if low.as_py() < _FIRST_US or high.as_py() > _LAST_US:
                raise _Ignored(f"its column {column.name} has a timestamp out of range")
        elif kind == "json":
            paths = _timestamp_paths(shape.members.get(column.source))
            for text in pc.unique(values).drop_null().to_pylist():
                _check_json(text, paths, column.name)
        elif kind == "hstore_csv" and not _sorted_tags(values.combine_chunks()):
            raise _Ignored(f"its column {column.name} has tags out of order or null")


def _check_json(text: str, paths: tuple[tuple[str, ...], ...], column: str) -> None:
    """``text`` is JSON text as :func:`..mapping.values.json_column_text` writes it:
    valid, no repeated key, no ``NaN`` or infinity, compact; and its timestamps
    (the members at ``paths``) are ISO-8601 UTC text in range."""
    try:
        value = json.loads(text)
        same = compact_json(value) == text
    except (ValueError, RecursionError):
        same = False
    if not same:
        raise _Ignored(f"its column {column} holds text that is not the loader's JSON")
    for path in paths:
        for stamp in _at(value, path):
            if not isinstance(stamp, str) or not _iso_utc_text(stamp):
                raise _Ignored(
                    f"its column {column} holds a timestamp that is not ISO-8601 UTC "
                    f"text in range: {stamp!r:.60}"
                )


@cache
def _timestamp_paths(shape: Shape | None) -> tuple[tuple[str, ...], ...]:
    """Where a converted value of ``shape`` holds timestamps: each path a tuple of
    steps, a snake_case member name, ``"[]"`` (every element) or ``"{}"`` (every value
    of a map)."""
    found: list[tuple[str, ...]] = []

    def walk(node: Shape | None, path: tuple[str, ...], seen: tuple[int, ...]) -> None:
        if node is None or id(node) in seen:  # shapes may refer to themselves
            return
        seen += (id(node),)
        if isinstance(node, StructureShape):
            for name, member in node.members.items():
                walk(member, (*path, snake_case(name)), seen)
        elif isinstance(node, ListShape):
            walk(node.member, (*path, "[]"), seen)
        elif isinstance(node, MapShape):
            walk(node.value, (*path, "{}"), seen)
        elif node.type_name == "timestamp":
            found.append(path)

    walk(shape, (), ())
    return tuple(found)


def _at(value: Any, path: tuple[str, ...]) -> list[Any]:
    """The values at ``path`` (see :func:`_timestamp_paths`) inside ``value``; the
    mapping drops absent members. A container of the wrong kind is a damaged value."""
    found = [value]
    for step in path:
        inner: list[Any] = []
        for item in found:
            if isinstance(item, list) and step == "[]":
                inner += item
            elif isinstance(item, dict) and step == "{}":
                inner += item.values()
            elif isinstance(item, dict) and step != "[]":
                if step in item:
                    inner.append(item[step])
            else:
                raise _Ignored(f"its JSON has a {type(item).__name__} where an object or array was")
        found = inner
    return found


def _iso_utc_text(text: str) -> bool:
    try:
        return iso_utc(api_timestamp(text, "")) == text
    except RecordError:
        return False


def _sorted_tags(tags: pa.Array) -> bool:
    """Tags as the mapping writes them: in each row keys sorted and unique, and each
    key's values sorted, unique and not null (Arrow compute; UTF-8 byte order is code
    point order, as Python sorts)."""
    import pyarrow.compute as pc

    if not len(tags) or tags.null_count == len(tags):
        return True
    # as a list of (key, value) structs: list kernels do not take map arrays
    entries = tags.cast(pa.list_(pa.struct([tags.type.key_field, tags.type.item_field])))
    pairs = entries.flatten()
    keys, lists = pairs.field(0), pairs.field(1)
    if lists.null_count or pc.list_flatten(lists).null_count:
        return False
    if not _increasing_within(keys, pc.list_parent_indices(entries)):
        return False
    return _increasing_within(pc.list_flatten(lists), pc.list_parent_indices(lists))


def _increasing_within(values: pa.Array, groups: pa.Array) -> bool:
    """Each value is greater than the one before it when both are in the same group."""
    import pyarrow.compute as pc

    if len(values) < 2:
        return True
    same = pc.equal(groups.slice(1), groups.slice(0, len(groups) - 1))
    greater = pc.greater(values.slice(1), values.slice(0, len(values) - 1))
    return bool(pc.all(pc.or_(pc.invert(same), greater)).as_py())


# ----------------------------------------------------------------- writing


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
    except (OSError, pa.ArrowException) as exc:
        raise LoaderError(f"{directory}: cannot write the cache: {_why(exc)}") from None
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
