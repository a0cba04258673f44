"""Pure mapping from an API record to a table row (docs/design.md, "Fixture format").

A record is ``{"account_id", "region", "experiment": <describe response>, "tags": [...]}``.
Each column's ``source`` in the schema names the response member it comes from, or
``$account_id`` / ``$tags``. The describe operation's output shape (:mod:`.shapes`) drives the
conversion of nested values: structure members become snake_case keys at every depth,
timestamps become ISO-8601 UTC text, and a value of the wrong type is an error naming
the field. So is a value no column can hold: a timestamp outside years 1-9999 once in
UTC, a string with a lone surrogate (not Unicode text), a number that is not finite
(``NaN``, ``Infinity``, ``1e400``) inside a JSON member, or a JSON member nested more
than :data:`MAX_DEPTH` levels deep. Errors are :class:`RecordError`; callers add the
file and record index.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from functools import cache
from typing import Any

import pyarrow as pa

from ..errors import LoaderError
from ..registry import Table
from .shapes import ListShape, MapShape, Shape, StructureShape, output_shape

REQUIRED = ("Arn", "Name", "Type", "Status", "CreationTime")
# Levels of objects and arrays a JSON member may have (the API's shapes have about ten):
# a fixed limit, so that what loads does not depend on the depth of Python's stack.
MAX_DEPTH = 100
_SHOWN = 80  # characters of a value quoted in an error message


class RecordError(LoaderError):
    """A record is invalid; ``field`` is the dotted path of the offending field. Lone
    surrogates in either are written as ``\\udXXX`` escapes: a message is always
    printable text."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = printable(field)
        self.problem = printable(problem)
        super().__init__(f"field {self.field}: {self.problem}")


class _TooDeep(RecordError):
    """A JSON member is nested more than :data:`MAX_DEPTH` levels deep."""


def printable(text: str) -> str:
    """``text`` with lone surrogates as backslash escapes (valid UTF-8 once encoded)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def shown(value: Any) -> str:
    """``repr(value)`` of a scalar for an error message, cut after :data:`_SHOWN`
    characters (an integer too long to print is described)."""
    if isinstance(value, (dict, list)):
        return f"a {type(value).__name__}"
    if isinstance(value, int) and value.bit_length() > 256:
        return f"an integer of about {int(value.bit_length() * math.log10(2)):,} digits"
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def is_text(value: str) -> bool:
    """``value`` is Unicode text: no lone surrogate (UTF-8 can encode it)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: str, field: str) -> str:
    """``value``, or RecordError when it holds a lone surrogate."""
    if not is_text(value):
        raise RecordError(field, _surrogate(value))
    return value


def _surrogate(value: str) -> str:
    bad = next(c for c in value if "\ud800" <= c <= "\udfff")
    inside = f" in {shown(value)}" if value != bad else ""
    return f"lone surrogate {bad!r}{inside}: not Unicode text"


_SNAKE_1 = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SNAKE_2 = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")


@cache
def snake_case(name: str) -> str:
    """``RealTimeInferenceConfig`` -> ``real_time_inference_config``, ``S3Uri`` -> ``s3_uri``."""
    return _SNAKE_2.sub("_", _SNAKE_1.sub("_", name)).lower()


def parse_timestamp(value: Any, field: str) -> datetime:
    """ISO-8601 text (``Z`` or an offset; naive means UTC), epoch seconds or a datetime,
    as a naive UTC datetime (years 1-9999: what Python's datetime holds)."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            raise RecordError(field, f"epoch seconds {shown(value)} out of range") from None
    elif isinstance(value, str):
        text = value.strip()
        if text[-1:] in "zZ" and text:
            text = text[:-1] + "+00:00"
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            raise RecordError(
                field, f"{shown(value)} is not an ISO-8601 timestamp or epoch seconds"
            ) from None
    else:
        raise RecordError(field, f"expected a timestamp, got {type(value).__name__}")
    if stamp.tzinfo is not None:
        try:
            stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is in year 0 in UTC
            raise RecordError(
                field, f"{shown(value)} is out of range in UTC (years 1 to 9999)"
            ) from None
    return stamp


def iso_utc(stamp: datetime) -> str:
    """``2025-03-01T12:00:00Z``; fractional seconds only when present, trailing zeros cut;
    the year always has four digits (``0001-...``)."""
    text = stamp.replace(tzinfo=None).isoformat(timespec="seconds")
    if stamp.microsecond:
        text += f".{stamp.microsecond:06d}".rstrip("0")
    return text + "Z"


_PRIMITIVE = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
}


def _deeper(depth: int, field: str) -> int:
    """The depth inside a container at ``depth``; _TooDeep past :data:`MAX_DEPTH`."""
    if depth >= MAX_DEPTH:
        raise _TooDeep(field, f"nested more than {MAX_DEPTH} levels deep")
    return depth + 1


def convert(value: Any, shape: Shape | None, field: str, depth: int = 0) -> Any:
    """Convert an API value to its JSON-column form, checking it against ``shape``.

    Members the shape does not know (a newer API) are kept, snake_cased, unchecked.
    ``depth`` counts the objects and arrays around ``value``; past :data:`MAX_DEPTH`
    the error is :class:`_TooDeep`. Strings and numbers are checked for what JSON text
    can hold by :func:`json_text`.
    """
    if shape is None:
        if isinstance(value, dict):
            inner = _deeper(depth, field)
            return {
                snake_case(k): convert(v, None, f"{field}.{k}", inner) for k, v in value.items()
            }
        if isinstance(value, list):
            inner = _deeper(depth, field)
            return [convert(v, None, f"{field}[{i}]", inner) for i, v in enumerate(value)]
        return iso_utc(parse_timestamp(value, field)) if isinstance(value, datetime) else value
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            raise RecordError(field, f"expected an object, got {type(value).__name__}")
        members, inner = shape.members, _deeper(depth, field)
        return {
            snake_case(k): convert(v, members.get(k), f"{field}.{k}", inner)
            for k, v in value.items()
            if v is not None
        }
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            raise RecordError(field, f"expected an array, got {type(value).__name__}")
        inner = _deeper(depth, field)
        return [convert(v, shape.member, f"{field}[{i}]", inner) for i, v in enumerate(value)]
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            raise RecordError(field, f"expected an object, got {type(value).__name__}")
        inner = _deeper(depth, field)
        return {k: convert(v, shape.value, f"{field}.{k}", inner) for k, v in value.items()}
    if kind == "timestamp":
        return iso_utc(parse_timestamp(value, field))
    expected = _PRIMITIVE.get(kind)
    # bool is an int in Python; only a boolean member accepts it.
    if expected is not None and (
        not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool))
    ):
        raise RecordError(field, f"expected {kind}, got {type(value).__name__}")
    # Enum values are kept as spelled, even ones newer than the installed botocore.
    return value


def json_text(value: Any, shape: Shape | None, field: str) -> str:
    """The text of a JSON column: ``value`` converted (:func:`convert`) as JSON.

    Refused (RecordError): nesting past :data:`MAX_DEPTH`, and what valid JSON text
    cannot hold: ``NaN``, ``Infinity`` (also ``1e400``, which Python reads as infinity),
    strings or keys with a lone surrogate, values that are not JSON (the error names
    the first such leaf).
    """
    try:
        converted = convert(value, shape, field)
    except _TooDeep:
        raise RecordError(field, f"nested more than {MAX_DEPTH} levels deep") from None
    except RecursionError:  # not within MAX_DEPTH: only when the caller's stack is deep
        raise RecordError(field, "nested too deeply") from None
    try:
        text = json.dumps(converted, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError, RecursionError):
        text = None
    if text is None or not is_text(text):
        raise RecordError(*_bad_leaf(value, field))
    return text


def _bad_leaf(value: Any, field: str) -> tuple[str, str]:
    """(field, problem) of the first leaf or key of ``value``, in JSON text order, that
    JSON text cannot hold (without recursion: ``value`` may be deep)."""
    stack: list[tuple[str, Any, bool]] = [(field, value, False)]
    while stack:
        where, item, is_key = stack.pop()
        if isinstance(item, dict):
            for key, member in reversed(list(item.items())):
                inner = f"{where}.{key}"
                stack += [(inner, member, False), (inner, key, True)]
        elif isinstance(item, list):
            stack += [(f"{where}[{i}]", v, False) for i, v in reversed(list(enumerate(item)))]
        elif isinstance(item, str):
            if not is_text(item):
                return where, ("the key: " if is_key else "") + _surrogate(item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                spelled = "NaN" if math.isnan(item) else ("-" if item < 0 else "") + "Infinity"
                return where, f"expected a finite number, got {spelled}"
        elif isinstance(item, int):
            try:
                str(item)
            except ValueError:
                return where, f"{shown(item)}: too many digits"
        elif item is not None and not isinstance(item, datetime):
            return where, f"{type(item).__name__} is not a JSON value"
    return field, "cannot be written as JSON"


def tag_map(tags: Any, region: str, account_id: str) -> list[tuple[str, list[str]]]:
    """ListTags' ``Tags`` plus ``region`` and ``aws_account`` as sorted (key, values) pairs,
    each key's values sorted and de-duplicated."""
    if tags is None:
        tags = []
    if not isinstance(tags, list):
        raise RecordError("tags", f"expected a list of {{Key, Value}}, got {type(tags).__name__}")
    grouped: dict[str, set[str]] = {"region": {region}, "aws_account": {account_id}}
    for i, tag in enumerate(tags):
        if not isinstance(tag, dict) or not isinstance(tag.get("Key"), str):
            raise RecordError(f"tags[{i}]", "expected an object with a string Key")
        value = tag.get("Value", "")
        if not isinstance(value, str):
            raise RecordError(f"tags[{i}].Value", f"expected a string, got {type(value).__name__}")
        key = check_text(tag["Key"], f"tags[{i}].Key")
        grouped.setdefault(key, set()).add(check_text(value, f"tags[{i}].Value"))
    return [(k, sorted(grouped[k])) for k in sorted(grouped)]


def _context(record: Any, key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value:
        raise RecordError(key, "expected a non-empty string")
    return check_text(value, key)


def record_to_row(record: Any, table: Table) -> dict[str, Any]:
    """Map one API record to ``{column: value}`` for ``table`` (pure; raises RecordError)."""
    if not isinstance(record, Mapping):
        raise RecordError("record", f"expected an object, got {type(record).__name__}")
    account_id, region = _context(record, "account_id"), _context(record, "region")
    experiment = record.get("experiment")
    if not isinstance(experiment, Mapping):
        raise RecordError("experiment", "expected an object (the describe response)")
    for name in REQUIRED:
        if experiment.get(name) in (None, ""):
            raise RecordError(f"experiment.{name}", "required field is missing")
    shape = output_shape(table.api["service"], table.api["describe"])
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.source == "$account_id":
            row[column.name] = account_id
            continue
        if column.source == "$tags":
            row[column.name] = tag_map(record.get("tags"), region, account_id)
            continue
        value = experiment.get(column.source)
        field = f"experiment.{column.source}"
        if value is None:
            row[column.name] = None
        elif column.type.name == "timestamp":
            row[column.name] = parse_timestamp(value, field)
        elif column.type.name == "json":
            row[column.name] = json_text(value, shape.members.get(column.source), field)
        elif column.type.name == "string":
            if not isinstance(value, str):
                raise RecordError(field, f"expected a string, got {type(value).__name__}")
            row[column.name] = check_text(value, field)
        else:
            row[column.name] = _scalar(value, column.type.name, field)
    return row


_INT64 = 2**63


def _scalar(value: Any, kind: str, field: str) -> Any:
    """``value`` for a ``bigint``, ``decimal`` or ``boolean`` column (RecordError when
    its Arrow column cannot hold it)."""
    if kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "bigint":
        ok = isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64
    elif kind == "decimal":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        try:
            ok = ok and math.isfinite(value)
        except OverflowError:  # an int past the largest double
            ok = False
    else:
        raise RecordError(field, f"a {kind} column cannot be mapped")
    if not ok:
        raise RecordError(field, f"expected a {kind} value, got {shown(value)}")
    return value


def records_to_table(rows: Iterable[Mapping[str, Any]], table: Table) -> pa.Table:
    """Build the Arrow table for ``table`` from mapped rows, in schema column order.

    The rows reach Arrow as JSON lines read by Arrow's JSON reader: ``pa.array`` on
    Python values imports pandas whenever it is installed (about 0.2 s, most of a
    one-shot query's start). Whatever the rows hold, the only error is a LoaderError
    (naming the row and the column where it can), besides those ``rows`` itself raises.
    """
    schema = table.arrow_schema()
    maps = [f.name for f in schema if pa.types.is_map(f.type)]
    lines = []
    for index, row in enumerate(rows):
        try:
            lines.append(_row_line(row, maps))
        except _UNWRITABLE as exc:
            raise LoaderError(f"row {index}: {_unwritable(row, maps, exc)}") from None
    if not lines:
        return schema.empty_table()
    try:
        return _read_lines(lines, schema)
    except _UNREADABLE:
        raise _unreadable(lines, schema) from None


# What json.dumps, a map's pairs and Arrow may raise for values a column cannot hold.
_UNWRITABLE = (TypeError, ValueError, OverflowError, RecursionError, AttributeError)
_UNREADABLE = (UnicodeEncodeError, pa.ArrowException, TypeError, ValueError)


def _row_line(row: Mapping[str, Any], maps: list[str]) -> str:
    """One row as a JSON line for :func:`_read_lines`."""
    line = dict(row)
    for name in maps:
        if line.get(name) is not None:
            line[name] = [{"key": k, "value": v} for k, v in line[name]]
    text = json.dumps(line, ensure_ascii=False, default=_json_default)
    if not is_text(text):
        raise ValueError(_surrogate(text))
    return text


def _unwritable(row: Any, maps: list[str], exc: Exception) -> str:
    """Why ``row`` cannot be written as a JSON line: its first bad column, if any."""
    if isinstance(row, Mapping):
        for name, value in row.items():
            try:
                _row_line({name: value}, maps)
            except _UNWRITABLE as inner:
                return f"column {printable(str(name))}: {printable(str(inner))}"
    return printable(f"not a row of column values: {type(exc).__name__}: {exc}")


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        stamp: datetime = value
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
        return stamp.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _unreadable(lines: list[str], schema: pa.Schema) -> LoaderError:
    """The error for JSON ``lines`` Arrow refuses: the first row and column it refuses."""
    for index, line in enumerate(lines):
        try:
            _read_lines([line], schema)
        except _UNREADABLE:
            pass
        else:
            continue
        for field in schema:
            try:
                _read_lines([line], pa.schema([field]))
            except _UNREADABLE as exc:
                problem = printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                return LoaderError(
                    f"row {index}, column {field.name}: a value cannot be stored in its "
                    f"column ({field.type}): {problem}"
                )
        return LoaderError(f"row {index}: its values cannot be stored in the table's columns")
    return LoaderError("the rows cannot be stored in the table's columns")


def _read_lines(lines: list[str], schema: pa.Schema) -> pa.Table:
    """The table of ``schema`` in JSON ``lines`` (a map column spelled as a list of
    ``{"key", "value"}`` objects); members outside ``schema`` are ignored."""
    import pyarrow.json as pajson

    wire = pa.schema(
        pa.field(f.name, pa.list_(pa.struct([f.type.key_field, f.type.item_field])))
        if pa.types.is_map(f.type)
        else f
        for f in schema
    )
    text = "\n".join(lines).encode("utf-8")
    read = pajson.read_json(
        pa.BufferReader(text),
        read_options=pajson.ReadOptions(
            # Threads pay off on large loads only; starting them costs about 5 ms.
            use_threads=len(text) > 1 << 22,
            block_size=max(1 << 20, len(text) + 1),
        ),
        parse_options=pajson.ParseOptions(explicit_schema=wire, unexpected_field_behavior="ignore"),
    )
    columns = []
    for field in schema:
        column = read.column(field.name)
        if pa.types.is_map(field.type):
            column = pa.chunked_array(
                [
                    pa.MapArray.from_arrays(
                        c.offsets,
                        c.values.field(0),
                        c.values.field(1),
                        mask=c.is_null() if c.null_count else None,
                    )
                    for c in column.chunks
                ],
                field.type,
            )
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)
