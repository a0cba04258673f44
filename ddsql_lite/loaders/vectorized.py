"""Vectorised fixture loading: DuckDB parses the file, generated SQL maps the records.

:func:`read_file` turns one fixture file into the Arrow table the pure mapping
(:func:`.rows.record_to_row` + :func:`.rows.records_to_table`) builds from it, with no
Python per record on the hot path:

1. A private, throw-away DuckDB connection (not the sandboxed query engine) reads the
   file with ``read_json`` and runs the record query :mod:`.shape_sql` generated for
   the table: the string and timestamp columns, the record-level checks (``__ok``) and
   each member column's raw text.
2. Each member column (the JSON columns and ``tags``) is dictionary-encoded with Arrow
   a group of batches at a time, as the batches arrive (:func:`collect`; the raw texts
   are not kept), its member query converts every distinct raw text once, and Arrow
   ``take`` hands the values back to the rows (:func:`spread`); two worker threads do
   that, a column at a time. The sorted ``tags`` pairs are grouped into the
   ``MAP(key -> values)`` column (:func:`pairs_to_map`) once per distinct text too.
3. A record outside the fast subset (its ``__ok`` or one of its members' ``ok`` is
   false) goes through the pure mapping, which gives the same row or raises the precise
   error, and its row is put back in place. The record is the one DuckDB parsed
   (``__record``) where ``__ok`` is false; otherwise its strings and timestamps are
   exact, and it is rebuilt from them and the raw member texts.

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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import LoaderError
from ..registry import Table
from .rows import RecordError, record_to_row, records_to_table
from .shape_sql import (
    CONTEXT_COLUMN,
    OK_COLUMN,
    MemberPlan,
    SelectPlan,
    UnsupportedShape,
    select_plan,
)
from .sqljson import quote_text

RECORD_COLUMN = "__record"
DISTINCT_VIEW = "__distinct"
_GLOB_CHARS = frozenset("*?[]{}")
_BOM = b"\xef\xbb\xbf"
_JSON_SPACE = b" \t\r\n"
_DEFAULT_MAX_OBJECT = 16 * 1024 * 1024
_MAX_OBJECT_LIMIT = 2**32 - 2  # read_json's maximum_object_size is 32-bit
BATCH_ROWS = 65536
GROUP_ROWS = 131072  # rows whose raw texts are dictionary-encoded together
_MAX_SPLICES = 1024  # rows from the pure mapping put in place by slicing, not copying


def _memory_pool() -> pa.MemoryPool:
    """Where the loader's large Arrow arrays go: jemalloc where pyarrow has it. Most of
    the cost of writing a fresh array is the first touch of its memory, which is several
    times cheaper from jemalloc than from the default mimalloc (measured on Linux)."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


_POOL = _memory_pool()
_WORKERS = 2  # threads converting member columns after the record query


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
    """A private in-memory DuckDB for parsing fixtures: UTC, input order kept, quiet."""
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    return con


class RawTexts:
    """The raw texts of one column of the record query, gathered group by group without
    keeping them: each group's distinct texts and its rows' indices into those."""

    def __init__(self) -> None:
        self._distinct: list[pa.Array] = []
        self._indices: list[pa.Array] = []

    def add(self, group: pa.ChunkedArray) -> None:
        """Take one group of texts (strings, NULL for an absent member)."""
        encoded = pc.dictionary_encode(group, memory_pool=_POOL)
        chunks = encoded.chunks
        # Every chunk of a chunked encoding carries the whole dictionary.
        self._distinct.append(chunks[-1].dictionary if chunks else pa.array([], pa.string()))
        self._indices.append(
            pa.chunked_array([c.indices for c in chunks], pa.int32()).combine_chunks()
        )

    def encoded(self) -> tuple[pa.Array, pa.ChunkedArray]:
        """Every distinct text once, and each row's index into them (NULL: absent)."""
        merged = pa.chunked_array(self._distinct, pa.string()).dictionary_encode()
        # Every chunk of a chunked encoding carries the whole dictionary.
        distinct = merged.chunks[-1].dictionary if merged.num_chunks else pa.array([], pa.string())
        # Position p of group g's dictionary is position offset_g + p of the groups'
        # dictionaries one after the other; ``mapping`` maps that to the merged one.
        mapping = pa.chunked_array([m.indices for m in merged.chunks], pa.int32())
        mapping = mapping.combine_chunks()
        indices, offset = [], 0
        for local, group in zip(self._distinct, self._indices):
            indices.append(pc.take(mapping, pc.add(group, offset)))
            offset += len(local)
        return distinct, pa.chunked_array(indices, pa.int32())


@dataclass
class Collected:
    """What the record query gave: the scalar columns, ``__ok``, the raw texts of the
    member columns and of the context, and ``__record`` where ``__ok`` is false (by
    row position)."""

    scalars: dict[str, list[pa.Array]]
    ok: list[pa.Array]
    texts: dict[str, RawTexts]
    records: dict[int, str]
    rows: int = 0


def read_file(file: Path, table: Table, plan: SelectPlan) -> FileRead | None:
    """The rows of ``file``, or None when the file needs the pure path (see the module
    docstring). Raises :class:`FileFailure` when a record is invalid."""
    schema = table.arrow_schema()
    con = loader_connection()
    try:
        query = fast_query(con, file, plan)
        if query is None:
            return None
        got = collect(con.sql(query).to_arrow_reader(BATCH_ROWS), schema, plan)
        with ThreadPoolExecutor(_WORKERS) as pool:  # Arrow and DuckDB release the GIL
            work = [(m, got.texts[m.raw], schema.field(m.column).type) for m in plan.members]
            members = list(pool.map(lambda job: _member(con, *job), work))
    except (duckdb.Error, OSError, pa.ArrowException):  # errors while streaming arrive
        return None  # as Arrow's (e.g. a truncated file); the pure path reports them
    finally:
        con.close()
    ok = pa.chunked_array(got.ok, pa.bool_())
    columns: dict[str, pa.ChunkedArray] = {}
    encoded: dict[str, tuple[pa.Array, pa.ChunkedArray]] = {}
    for member, (texts, values, flags) in zip(plan.members, members):
        encoded[member.raw] = texts
        columns[member.column] = values
        ok = pc.and_(ok, flags)
    for name, arrays in got.scalars.items():
        columns[name] = pa.chunked_array(arrays, schema.field(name).type)
    for alias, column in plan.aliases:
        columns[alias] = columns[column]
    fast = pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)
    positions = pc.indices_nonzero(pc.invert(ok)).to_pylist()
    if not positions:
        return FileRead(fast, 0)
    if CONTEXT_COLUMN not in encoded:
        encoded[CONTEXT_COLUMN] = got.texts[CONTEXT_COLUMN].encoded()
    try:
        outside = _outside_records(positions, got.records, fast, encoded, table, plan)
        return FileRead(_merge_pure(fast, outside, file, table), len(outside))
    except _PureFile:
        return None


def collect(reader: pa.RecordBatchReader, schema: pa.Schema, plan: SelectPlan) -> Collected:
    """The record query's batches (``reader``), gathered a group of batches at a time:
    only the final scalar columns accumulate; the raw texts are dictionary-encoded
    (:class:`RawTexts`) and dropped."""
    left_out = {m.column for m in plan.members} | {alias for alias, _ in plan.aliases}
    scalars = [f for f in schema if f.name not in left_out]
    got = Collected({f.name: [] for f in scalars}, [], {}, {})
    for name in (*(m.raw for m in plan.members), CONTEXT_COLUMN):
        got.texts.setdefault(name, RawTexts())
    group: list[pa.RecordBatch] = []
    # A group is added on a worker thread while the next one is read, so that DuckDB
    # keeps producing batches meanwhile; groups are added one at a time, in order.
    with ThreadPoolExecutor(1) as worker:
        adding: Future[None] | None = None
        for batch in reader:
            group.append(batch)
            if sum(b.num_rows for b in group) >= GROUP_ROWS:
                if adding is not None:
                    adding.result()
                adding = worker.submit(_add_group, got, pa.Table.from_batches(group), scalars)
                group = []
        if adding is not None:
            adding.result()
    if group or not got.rows:
        _add_group(got, pa.Table.from_batches(group, reader.schema), scalars)
    return got


def _add_group(got: Collected, rows: pa.Table, scalars: list[pa.Field]) -> None:
    """Add consecutive rows of the record query to ``got``. A column kept from an
    imported batch keeps all of the batch's memory: the kept columns are copies."""
    for field in scalars:
        got.scalars[field.name].append(_copy(rows.column(field.name), field.type))
    for name, texts in got.texts.items():
        texts.add(rows.column(name))
    ok = _copy(rows.column(OK_COLUMN), pa.bool_())
    bad = pc.indices_nonzero(pc.invert(ok))
    if len(bad):
        texts = rows.column(RECORD_COLUMN).take(bad).to_pylist()
        got.records.update(zip((got.rows + i for i in bad.to_pylist()), texts))
    got.ok.append(ok)
    got.rows += rows.num_rows


def _copy(column: pa.ChunkedArray, kind: pa.DataType) -> pa.Array:
    """``column`` as one array of type ``kind`` in memory of its own."""
    chunks = [c.cast(kind) for c in column.chunks] or [pa.array([], kind)]
    return pa.concat_arrays(chunks, memory_pool=_POOL)


def _member(
    con: duckdb.DuckDBPyConnection, member: MemberPlan, texts: RawTexts, kind: pa.DataType
) -> tuple[tuple[pa.Array, pa.ChunkedArray], pa.ChunkedArray, pa.ChunkedArray]:
    """The column's raw ``texts`` encoded (:meth:`RawTexts.encoded`), the member column
    for every row, and whether each row's raw text is in the fast subset (true where
    the member is absent); the member query runs on a cursor of its own."""
    distinct, indices = encoded = texts.encoded()
    with con.cursor() as cursor:
        values, flags = convert_distinct(cursor, distinct, member, kind)
    return encoded, spread(values, indices), pc.fill_null(spread(flags, indices), True)


def spread(values: pa.Array, indices: pa.ChunkedArray) -> pa.ChunkedArray:
    """``values`` taken at ``indices`` (NULL where the index is)."""
    chunks = [pc.take(values, i, memory_pool=_POOL) for i in indices.chunks]
    return pa.chunked_array(chunks, values.type)


def convert_distinct(
    con: duckdb.DuckDBPyConnection, distinct: pa.Array, member: MemberPlan, kind: pa.DataType
) -> tuple[pa.Array, pa.Array]:
    """``member``'s query run on ``con`` over the ``distinct`` raw texts: each text's
    value (of Arrow type ``kind``) and ``ok`` flag."""
    con.register(DISTINCT_VIEW, pa.table({"raw": distinct}))
    try:
        done = con.sql(member.sql(DISTINCT_VIEW)).to_arrow_table()
    finally:
        con.unregister(DISTINCT_VIEW)
    values = done.column("value").combine_chunks()
    if pa.types.is_map(kind):
        values = pairs_to_map(values, kind)
    return values.cast(kind), done.column("ok").combine_chunks()


def fast_query(con: duckdb.DuckDBPyConnection, file: Path, plan: SelectPlan) -> str | None:
    """The record query :func:`read_file` runs on ``con`` for ``file`` (None: the pure
    path). Its columns are those of :meth:`.SelectPlan.sql` and ``__record`` (the
    record as JSON text where ``__ok`` is false)."""
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


def _outside_records(
    positions: list[int],
    records: dict[int, str],
    fast: pa.Table,
    encoded: dict[str, tuple[pa.Array, pa.ChunkedArray]],
    table: Table,
    plan: SelectPlan,
) -> dict[int, Any]:
    """The records at ``positions`` (outside the fast subset) for the pure mapping: as
    DuckDB parsed them (``records``) where the record-level checks failed; otherwise
    the strings and timestamps of ``fast`` are exact, and the record is rebuilt from
    them and the raw member texts."""

    def text(name: str, position: int) -> str | None:
        distinct, indices = encoded[name]
        index = indices[position].as_py()
        return None if index is None else str(distinct[index].as_py())

    def value(text: str | None) -> Any:
        return json.loads(text) if text else None

    raw_of = {m.column: m.raw for m in plan.members}
    found: dict[int, Any] = {}
    try:
        for position in positions:
            if position in records:
                found[position] = json.loads(records[position])
                continue
            row = fast.slice(position, 1).to_pylist()[0]
            context = text(CONTEXT_COLUMN, position) or ""
            region, account_id, tags = (value(part) for part in context.split("\x01"))
            experiment = {
                c.source: value(text(raw_of[c.name], position)) if c.name in raw_of else row[c.name]
                for c in table.columns
                if not c.source.startswith("$")
            }
            found[position] = {
                "account_id": account_id,
                "region": region,
                "experiment": experiment,
                "tags": tags,
            }
    except ValueError:  # DuckDB read a number Python refuses (nan, inf)
        raise _PureFile() from None
    return found


def _merge_pure(fast: pa.Table, outside: dict[int, Any], file: Path, table: Table) -> pa.Table:
    """``fast`` with the rows at the positions of ``outside`` replaced by the pure
    mapping's rows of the records there."""
    positions = sorted(outside)
    rows: list[dict[str, Any]] = []
    for index in positions:
        try:
            rows.append(record_to_row(outside[index], table))
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
