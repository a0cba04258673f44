"""Vectorised fixture loading: DuckDB parses the file, generated SQL maps the records.

:func:`read_file` turns one fixture file into the Arrow table the pure mapping
(:func:`.rows.record_to_row` + :func:`.rows.records_to_table`) builds from it, with no
Python per record on the hot path:

1. A private, throw-away DuckDB connection (not the sandboxed query engine) reads the
   file with ``read_json`` and runs the query :mod:`.shape_sql` generated for the table.
2. Records in the fast subset (``__ok``) keep DuckDB's values. For each record outside
   it the query hands back the record as DuckDB parsed it; those few go through the
   pure mapping, which gives the same row or raises the precise error, and their rows
   are put back in place.
3. The sorted ``tags`` pairs are grouped into the ``MAP(key -> values)`` column with
   Arrow compute (:func:`pairs_to_map`).

``read_file`` returns None when the file as a whole must take the pure path: DuckDB
cannot read it (malformed JSON, duplicate keys, a record that is not an object, ...),
it starts with a byte-order mark, it is a ``.json`` file whose first value is neither an
array nor an object, a record holds a number Python's ``json`` refuses (``nan``), or
the path holds glob characters. The pure path then reproduces the exact message, or
loads the file where DuckDB was only stricter.

Known difference: DuckDB's parser accepts trailing commas inside objects and arrays
(``[1, 2,]``) and ``nan``/``inf`` spellings that Python's ``json`` rejects. Where such
text sits in a member the mapping reads, the record leaves the fast subset and the pure
path decides as before; where it sits in a member the mapping ignores, the record loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import LoaderError
from ..registry import Table
from .rows import RecordError, record_to_row, records_to_table
from .shape_sql import OK_COLUMN, SelectPlan, UnsupportedShape, select_plan
from .sqljson import quote_text

RECORD_COLUMN = "__record"
_BATCH_ROWS = 65536
_GLOB_CHARS = frozenset("*?[]{}")
_BOM = b"\xef\xbb\xbf"
_JSON_SPACE = b" \t\r\n"
_DEFAULT_MAX_OBJECT = 16 * 1024 * 1024
_MAX_OBJECT_LIMIT = 2**32 - 2  # read_json's maximum_object_size is 32-bit
_MAX_SPLICES = 1024  # rows from the pure mapping put in place by slicing, not copying


@dataclass(frozen=True)
class FileRead:
    """One file's rows (``table``, in the table's schema) and how many of them the
    pure mapping made because they were outside the fast subset (``outside``)."""

    table: pa.Table
    outside: int


class FileFailure(Exception):
    """A record of the file fails the mapping. ``error`` names the file, the record and
    the field; ``keys_before`` are the keys of the file's records before it, so that the
    caller reports a duplicate key earlier in load order first, as the pure path does."""

    def __init__(self, error: LoaderError, keys_before: list[Any]) -> None:
        super().__init__(str(error))
        self.error = error
        self.keys_before = keys_before


class _PureFile(Exception):
    """The file must be read by the pure path after all."""


def plan_for(table: Table) -> SelectPlan | None:
    """The generated SQL for ``table``, or None when the generator cannot cover it."""
    if not table.api.get("describe"):
        return None
    try:
        return select_plan(table)
    except UnsupportedShape:
        return None


def loader_connection() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB for parsing fixtures: UTC, input order kept."""
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    return con


def read_file(file: Path, table: Table, plan: SelectPlan) -> FileRead | None:
    """The rows of ``file``, or None when the file needs the pure path (see the module
    docstring). Raises :class:`FileFailure` when a record is invalid."""
    con = loader_connection()
    try:
        query = fast_query(con, file, plan)
        if query is None:
            return None
        reader = con.sql(query).to_arrow_reader(_BATCH_ROWS)
        fast, outside = _collect(reader, table)
    except (duckdb.Error, OSError, pa.ArrowException):  # errors while streaming arrive
        return None  # as Arrow's (e.g. a truncated file); the pure path reports them
    finally:
        con.close()
    if not outside:
        return FileRead(fast, 0)
    try:
        return FileRead(_merge_pure(fast, outside, file, table), len(outside))
    except _PureFile:
        return None


def fast_query(con: duckdb.DuckDBPyConnection, file: Path, plan: SelectPlan) -> str | None:
    """The query :func:`read_file` runs on ``con`` for ``file`` (None: the pure path).
    Its columns are the table's, ``__ok`` and ``__record`` (the record as JSON text
    where ``__ok`` is false)."""
    layout = _layout(file)
    if layout is None:
        return None
    source = _source(con, file, layout, plan)
    if source is None:
        return None
    record = (
        "json_object('account_id', account_id, 'region', region, "
        "'experiment', e, 'tags', tags)::VARCHAR"
    )
    return plan.sql(source, (f"CASE WHEN NOT {OK_COLUMN} THEN {record} END AS {RECORD_COLUMN}",))


def _layout(file: Path) -> str | None:
    """``newline_delimited``, ``array`` or ``wrapper`` (``{"records": [...]}``), or None
    when the pure reader must decide (a BOM, no JSON value, glob characters)."""
    if _GLOB_CHARS & set(str(file)):
        return None
    try:
        with file.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head.startswith(_BOM):
        return None
    if file.suffix == ".jsonl":
        return "newline_delimited"
    first = head.lstrip(_JSON_SPACE)[:1]
    return {b"[": "array", b"{": "wrapper"}.get(first)


def _source(
    con: duckdb.DuckDBPyConnection, file: Path, layout: str, plan: SelectPlan
) -> str | None:
    """The reader relation for ``file``; None when a wrapper has no ``records`` list."""
    path = quote_text(str(file.absolute()))
    options = f"records = true, compression = 'none', columns = {plan.reader_columns()}"
    if layout != "wrapper":
        return f"read_json({path}, format = '{layout}', {options})"
    # {"records": [...]} is one JSON value: DuckDB reads it whole, then unnests.
    size = file.stat().st_size + 1
    if size > _MAX_OBJECT_LIMIT:
        return None
    record = f"STRUCT(account_id JSON, region JSON, experiment {plan.experiment_type}, tags JSON)[]"
    con.execute(
        "CREATE TEMP TABLE wrapper AS SELECT records FROM read_json("
        f"{path}, format = 'unstructured', records = true, compression = 'none', "
        f"maximum_object_size = {max(size, _DEFAULT_MAX_OBJECT)}, "
        f"columns = {{'records': {quote_text(record)}}})"
    )
    missing = con.sql("SELECT count(*) FROM wrapper WHERE records IS NULL").fetchall()
    if missing[0][0]:
        return None
    return (
        "(SELECT r.account_id, r.region, r.experiment, r.tags "
        "FROM (SELECT unnest(records) AS r FROM wrapper))"
    )


def _collect(reader: pa.RecordBatchReader, table: Table) -> tuple[pa.Table, dict[int, str]]:
    """The query's batches as the table's schema (tags grouped into maps), batch by
    batch so that only the final columns accumulate, and the records outside the fast
    subset: ``{position: record as JSON text}``."""
    schema = table.arrow_schema()
    maps = {c.name for c in table.columns if c.type.name == "hstore_csv"}
    batches = []
    outside: dict[int, str] = {}
    offset = 0
    for batch in reader:
        bad = pc.indices_nonzero(pc.invert(batch.column(OK_COLUMN)))
        if len(bad):
            texts = batch.column(RECORD_COLUMN).take(bad).to_pylist()
            outside.update(zip((offset + i for i in bad.to_pylist()), texts))
        columns = []
        for field in schema:
            column = batch.column(field.name)
            if field.name in maps:
                column = pairs_to_map(column, field.type)
            columns.append(column.cast(field.type))
        batches.append(pa.RecordBatch.from_arrays(columns, schema=schema))
        offset += batch.num_rows
    return pa.Table.from_batches(batches, schema=schema), outside


def _merge_pure(fast: pa.Table, outside: dict[int, str], file: Path, table: Table) -> pa.Table:
    """``fast`` with the rows at the positions of ``outside`` replaced by the pure
    mapping's rows of the records there."""
    positions = sorted(outside)
    rows: list[dict[str, Any]] = []
    for index in positions:
        text = outside[index]
        try:
            record = json.loads(text)
        except ValueError:  # DuckDB read a number Python refuses (nan, inf)
            raise _PureFile() from None
        try:
            rows.append(record_to_row(record, table))
        except RecordError as exc:
            keys = fast.column(table.key).slice(0, index).to_pylist()
            for earlier, row in zip(positions, rows):
                keys[earlier] = row[table.key]
            raise FileFailure(LoaderError(f"{file}: record {index}: {exc}"), keys) from None
    pure = records_to_table(rows, table)
    if len(positions) > _MAX_SPLICES:  # many: one copy of everything
        replaced = pa.array(positions, pa.uint64())
        inside = pc.indices_nonzero(pc.invert(pc.is_in(_positions(len(fast)), replaced)))
        merged = pa.concat_tables([fast.take(inside), pure])
        return merged.take(pc.sort_indices(pa.concat_arrays([inside, replaced])))
    # few: splice zero-copy slices of the fast rows around the pure ones
    parts, done = [], 0
    for index, position in enumerate(positions):
        parts += [fast.slice(done, position - done), pure.slice(index, 1)]
        done = position + 1
    parts.append(fast.slice(done))
    return pa.concat_tables(parts)


def pairs_to_map(column: pa.ChunkedArray | pa.Array, map_type: pa.DataType) -> pa.Array:
    """``list<struct<k, v>>`` whose lists are sorted by (k, v) -> ``map<k, list<v>>``:
    one entry per key, its values in order without repeats; a null list stays null.
    Keys and values must not be null. Arrow compute only."""
    lists = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    flat = lists.flatten()  # skips the pairs of null lists, as list_parent_indices does
    parents = pc.list_parent_indices(lists)
    keys, values = flat.field("k"), flat.field("v")
    # A pair starts an entry unless it has the row and key of the pair before it; it is
    # dropped when it also has that pair's value. Dropping keeps the other flags right.
    starts = pa.repeat(pa.scalar(True), len(flat))
    kept_before = _positions(len(flat) + 1)
    if len(flat) > 1:
        same_key = pc.and_(_same_as_previous(parents), _same_as_previous(keys))
        starts = pa.concat_arrays([pa.array([True]), pc.invert(same_key)])
        repeat = pc.and_(same_key, _same_as_previous(values))
        if pc.any(repeat).as_py():
            keep = pc.invert(pa.concat_arrays([pa.array([False]), repeat]))
            keys, values, starts = (pc.filter(a, keep) for a in (keys, values, starts))
            kept_before = _prefix_sums(keep)
    group_at = pc.indices_nonzero(starts)
    groups = pa.ListArray.from_arrays(
        pa.concat_arrays([group_at, pa.array([len(keys)], pa.uint64())]).cast(pa.int32()),
        values,
    )
    # A row's entries start at the number of entries before its first pair.
    lengths = pc.fill_null(pc.list_value_length(lists), 0)
    entries_before = _prefix_sums(starts)
    map_offsets = entries_before.take(kept_before.take(_prefix_sums(lengths))).cast(pa.int32())
    entries = pa.MapArray.from_arrays(
        map_offsets, keys.take(group_at), groups, mask=lists.is_null()
    )
    return entries.cast(map_type)


def _positions(length: int) -> pa.Array:
    """``0, 1, ..., length - 1`` as uint64."""
    return pc.indices_nonzero(pa.repeat(pa.scalar(True), length))


def _same_as_previous(array: pa.Array) -> pa.Array:
    """Element i (for i >= 1) equals element i - 1; ``len(array) - 1`` booleans."""
    return pc.equal(array.slice(1), array.slice(0, len(array) - 1))


def _prefix_sums(array: pa.Array) -> pa.Array:
    """``[0, a0, a0 + a1, ...]`` as int64 (booleans count as 0/1)."""
    counts = pc.cumulative_sum(array.cast(pa.int64()))
    return pa.concat_arrays([pa.array([0], pa.int64()), counts])
