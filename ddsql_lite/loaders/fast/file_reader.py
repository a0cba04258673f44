"""One fixture file -> its Arrow table, through a private DuckDB: :func:`read_file`.

The table, and the error for an invalid record, are those of the pure mapping for the
same file. A throw-away DuckDB connection (never the query engine) runs the record
query once per record and each member query once per distinct raw text; records
outside the fast subset are mapped by the pure mapping and put back in place.
``read_file`` returns None when the whole file must take the pure path
(docs/design.md, "The fast path").
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ...errors import LoaderError
from ...registry import Table
from ..mapping.api_shapes import output_shape
from ..mapping.fixture_reader import decode_json
from ..mapping.to_arrow import records_to_table
from ..mapping.to_row import record_to_row, tag_map
from ..mapping.values import RecordError, json_column_text
from .query_plan import (
    OK_COLUMN,
    MemberPlan,
    SelectPlan,
    UnsupportedShape,
    select_plan,
)
from .sql_json import quote_text

RECORD_COLUMN = "__record"
DISTINCT_VIEW = "__distinct"
_GLOB_CHARS = frozenset("*?[]{}")
_BOM = b"\xef\xbb\xbf"
_JSON_SPACE = b" \t\r\n"
_DEFAULT_MAX_OBJECT = 16 * 1024 * 1024
_MAX_OBJECT_LIMIT = 2**32 - 2  # read_json's maximum_object_size is 32-bit
BATCH_ROWS = 65536
GROUP_ROWS = 131072  # rows whose raw texts are dictionary-encoded together
SEGMENT_BYTES = 256 * 1024 * 1024  # distinct raw texts of a member gathered at most
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
        self.rows = 0  # rows gathered
        self.nbytes = 0  # size of the distinct texts gathered

    def add(self, group: pa.ChunkedArray) -> None:
        """Take one group of texts (strings, NULL for an absent member)."""
        encoded = pc.dictionary_encode(group, memory_pool=_POOL)
        distinct = _dictionary(encoded)
        self._distinct.append(distinct)
        self._indices.append(
            pa.chunked_array([c.indices for c in encoded.chunks], pa.int32()).combine_chunks()
        )
        self.rows += len(group)
        self.nbytes += distinct.nbytes

    def encoded(self) -> tuple[pa.Array, pa.ChunkedArray]:
        """Every distinct text once, and each row's index into them (NULL: absent).
        The texts gathered so far are dropped."""
        groups, self._distinct, self._indices = (self._distinct, self._indices), [], []
        self.rows = self.nbytes = 0
        merged = pa.chunked_array(groups[0], pa.string()).dictionary_encode()
        distinct = _dictionary(merged)
        # Position p of group g's dictionary is position offset_g + p of the groups'
        # dictionaries one after the other; ``mapping`` maps that to the merged one.
        mapping = pa.chunked_array([m.indices for m in merged.chunks], pa.int32())
        mapping = mapping.combine_chunks()
        indices, offset = [], 0
        for local, group in zip(*groups):
            indices.append(pc.take(mapping, pc.add(group, offset)))
            offset += len(local)
        return distinct, pa.chunked_array(indices, pa.int32())


def _dictionary(encoded: pa.ChunkedArray) -> pa.Array:
    """The distinct texts of a dictionary-encoded column of strings."""
    # Every chunk of a chunked encoding carries the whole dictionary.
    return encoded.chunks[-1].dictionary if encoded.num_chunks else pa.array([], pa.string())


class MemberColumn:
    """One member column of a file, converted a segment of rows at a time: the raw
    texts of a segment are gathered (:class:`RawTexts`) until their distinct texts
    reach :data:`SEGMENT_BYTES` or the file ends, then converted once per distinct text
    on ``cursor`` and dropped. ``values`` and ``ok`` (true where the member is absent)
    hold the converted rows' chunks, in row order; ``failed`` the raw texts of the rows
    whose ``ok`` is false, by row position."""

    def __init__(self, plan: MemberPlan, kind: pa.DataType, cursor: duckdb.DuckDBPyConnection):
        self.plan = plan
        self.kind = kind
        self.cursor = cursor
        self.texts = RawTexts()
        self.values: list[pa.Array] = []
        self.ok: list[pa.Array] = []
        self.failed: dict[int, str] = {}
        self._converted_rows = 0

    def add(self, group: pa.ChunkedArray) -> None:
        """Take the next group of raw texts; convert the segment when it is full."""
        self.texts.add(group)
        if self.texts.nbytes >= SEGMENT_BYTES:
            self.convert()

    def convert(self) -> None:
        """Convert the texts gathered since the last conversion."""
        distinct, indices = self.texts.encoded()
        values, flags = convert_distinct(self.cursor, distinct, self.plan, self.kind)
        ok = pc.fill_null(spread(flags, indices), True)
        self.values += spread(values, indices).chunks
        self.ok += ok.chunks
        bad = pc.indices_nonzero(pc.invert(ok))
        if len(bad):
            texts = pc.take(distinct, pc.take(indices, bad)).to_pylist()
            start = self._converted_rows
            self.failed.update(zip((start + i for i in bad.to_pylist()), texts))
        self._converted_rows += len(indices)

    def finish(self) -> None:
        """Convert what is left; the column is complete."""
        if self.texts.rows or not self.values:
            self.convert()


@dataclass
class Collected:
    """What the record query gave: the scalar columns, ``__ok``, the member columns
    and ``__record`` where ``__ok`` is false (by row position)."""

    scalars: dict[str, list[pa.Array]]
    ok: list[pa.Array]
    members: list[MemberColumn]
    records: dict[int, str]
    rows: int = 0


def read_file(file: Path, table: Table, plan: SelectPlan) -> FileRead | None:
    """The rows of ``file``, or None when the file needs the pure path (docs/design.md,
    "The fast path"). Raises :class:`FileFailure` when a record is invalid."""
    schema = table.arrow_schema()
    con = loader_connection()
    members = [MemberColumn(m, schema.field(m.column).type, con.cursor()) for m in plan.members]
    try:
        query = fast_query(con, file, plan)
        if query is None:
            return None
        got = collect(con.sql(query).to_arrow_reader(BATCH_ROWS), schema, plan, members)
        largest_first = sorted(members, key=lambda member: -member.texts.nbytes)
        with ThreadPoolExecutor(_WORKERS) as pool:  # Arrow and DuckDB release the GIL
            list(pool.map(MemberColumn.finish, largest_first))
    except (duckdb.Error, OSError, pa.ArrowException):  # errors while streaming arrive
        return None  # as Arrow's (e.g. a truncated file); the pure path reports them
    finally:
        for member in members:
            member.cursor.close()
        con.close()
    ok = pa.chunked_array(got.ok, pa.bool_())
    columns: dict[str, pa.ChunkedArray] = {}
    for member in members:
        columns[member.plan.column] = pa.chunked_array(member.values, member.kind)
        ok = pc.and_(ok, pa.chunked_array(member.ok, pa.bool_()))
    for name, arrays in got.scalars.items():
        columns[name] = pa.chunked_array(arrays, schema.field(name).type)
    for alias, column in plan.aliases:
        columns[alias] = columns[column]
    fast = pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)
    positions = pc.indices_nonzero(pc.invert(ok)).to_pylist()
    if not positions:
        return FileRead(fast, 0)

    def pure_row(position: int) -> dict[str, Any]:
        """The pure mapping's row at ``position``: of the record DuckDB parsed where the
        record-level checks failed; otherwise the fast row with the pure values of the
        members outside the fast subset (the other columns are exact)."""
        if position in got.records:
            return record_to_row(_decoded(got.records[position]), table)
        row: dict[str, Any] = fast.slice(position, 1).to_pylist()[0]
        for member in members:  # in column order: the first error is the pure path's
            if position in member.failed:
                text = member.failed[position]
                row[member.plan.column] = _pure_member(member.plan.column, text, table)
        return row

    try:
        return FileRead(_merge_pure(fast, positions, pure_row, file, table), len(positions))
    except _PureFile:
        return None


def collect(
    reader: pa.RecordBatchReader, schema: pa.Schema, plan: SelectPlan, members: list[MemberColumn]
) -> Collected:
    """The record query's batches (``reader``), gathered a group of batches at a time:
    the final scalar columns accumulate; the raw texts go to ``members``."""
    left_out = {m.column for m in plan.members} | {alias for alias, _ in plan.aliases}
    scalars = [f for f in schema if f.name not in left_out]
    got = Collected({f.name: [] for f in scalars}, [], members, {})
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
    for member in got.members:
        member.add(rows.column(member.plan.raw))
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


def spread(values: pa.Array, indices: pa.ChunkedArray) -> pa.ChunkedArray:
    """``values`` taken at ``indices`` (NULL where the index is)."""
    if len(values) == len(indices) and not indices.null_count:
        # Every row's text differs (a dictionary numbers its values in the order they
        # first appear): the values are already in row order.
        return pa.chunked_array([values], values.type)
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


def _decoded(text: str) -> Any:
    """JSON text DuckDB wrote, as Python's ``json`` reads it (at any depth, as the pure
    path reads the file: :func:`..mapping.fixture_reader.decode_json`); ``_PureFile``
    where it refuses it, e.g. ``nan``."""
    try:
        return decode_json(text)
    except (ValueError, RecursionError):
        raise _PureFile() from None


def _pure_member(column: str, raw: str, table: Table) -> Any:
    """The pure mapping's value of member ``column`` for its ``raw`` text (raises
    RecordError as :func:`..mapping.to_row.record_to_row` does for that column)."""
    source = table.column(column).source
    if source == "$tags":  # the raw text is the record's context
        parts: list[Any] = [_decoded(part) if part else None for part in raw.split("\x01")]
        return tag_map(parts[2], parts[0], parts[1])
    shape = output_shape(table.api["service"], table.api["describe"]).members.get(source)
    return json_column_text(_decoded(raw), shape, f"experiment.{source}")


def _merge_pure(
    fast: pa.Table,
    positions: list[int],
    pure_row: Callable[[int], dict[str, Any]],
    file: Path,
    table: Table,
) -> pa.Table:
    """``fast`` with the rows at ``positions`` (ascending) replaced by ``pure_row``'s."""
    rows: list[dict[str, Any]] = []
    for index in positions:
        try:
            rows.append(pure_row(index))
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
