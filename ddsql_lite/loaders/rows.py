"""Pure mapping from an API record to a table row (docs/design.md, "Fixture format").

A record is ``{"account_id", "region", "experiment": <describe response>, "tags": [...]}``.
Each column's ``source`` in the schema names the response member it comes from, or
``$account_id`` / ``$tags``. The describe operation's output shape (:mod:`.shapes`) drives the
conversion of nested values: structure members become snake_case keys at every depth,
timestamps become ISO-8601 UTC text, and a value of the wrong type is an error naming
the field. Errors are :class:`RecordError`; callers add the file and record index.
"""

from __future__ import annotations

import json
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


class RecordError(LoaderError):
    """A record is invalid; ``field`` is the dotted path of the offending field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"field {field}: {problem}")


_SNAKE_1 = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SNAKE_2 = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")


@cache
def snake_case(name: str) -> str:
    """``RealTimeInferenceConfig`` -> ``real_time_inference_config``, ``S3Uri`` -> ``s3_uri``."""
    return _SNAKE_2.sub("_", _SNAKE_1.sub("_", name)).lower()


def parse_timestamp(value: Any, field: str) -> datetime:
    """ISO-8601 text (``Z`` or an offset; naive means UTC), epoch seconds or a datetime,
    as a naive UTC datetime."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            raise RecordError(field, f"epoch seconds {value!r} out of range") from None
    elif isinstance(value, str):
        text = value.strip()
        if text[-1:] in "zZ" and text:
            text = text[:-1] + "+00:00"
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            raise RecordError(
                field, f"{value!r} is not an ISO-8601 timestamp or epoch seconds"
            ) from None
    else:
        raise RecordError(field, f"expected a timestamp, got {type(value).__name__}")
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
    return stamp


def iso_utc(stamp: datetime) -> str:
    """``2025-03-01T12:00:00Z``; fractional seconds only when present, trailing zeros cut."""
    text = stamp.strftime("%Y-%m-%dT%H:%M:%S")
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


def convert(value: Any, shape: Shape | None, field: str) -> Any:
    """Convert an API value to its JSON-column form, checking it against ``shape``.

    Members the shape does not know (a newer API) are kept, snake_cased, unchecked.
    """
    if shape is None:
        if isinstance(value, dict):
            return {snake_case(k): convert(v, None, f"{field}.{k}") for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v, None, f"{field}[{i}]") for i, v in enumerate(value)]
        return iso_utc(parse_timestamp(value, field)) if isinstance(value, datetime) else value
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            raise RecordError(field, f"expected an object, got {type(value).__name__}")
        members = shape.members
        return {
            snake_case(k): convert(v, members.get(k), f"{field}.{k}")
            for k, v in value.items()
            if v is not None
        }
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            raise RecordError(field, f"expected an array, got {type(value).__name__}")
        return [convert(v, shape.member, f"{field}[{i}]") for i, v in enumerate(value)]
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            raise RecordError(field, f"expected an object, got {type(value).__name__}")
        return {k: convert(v, shape.value, f"{field}.{k}") for k, v in value.items()}
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
    """The text of a JSON column: ``value`` converted (:func:`convert`) as JSON."""
    try:
        return json.dumps(convert(value, shape, field), ensure_ascii=False)
    except RecursionError:  # convert recurses once per level of nesting
        raise RecordError(field, "nested too deeply") from None


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
        grouped.setdefault(tag["Key"], set()).add(value)
    return [(k, sorted(grouped[k])) for k in sorted(grouped)]


def _context(record: Any, key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value:
        raise RecordError(key, "expected a non-empty string")
    return value


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
            row[column.name] = value
        else:
            row[column.name] = value
    return row


def records_to_table(rows: Iterable[Mapping[str, Any]], table: Table) -> pa.Table:
    """Build the Arrow table for ``table`` from mapped rows, in schema column order.

    The rows reach Arrow as JSON lines read by Arrow's JSON reader: ``pa.array`` on
    Python values imports pandas whenever it is installed (about 0.2 s, most of a
    one-shot query's start). Raises LoaderError for a value its column cannot hold.
    """
    schema = table.arrow_schema()
    maps = [f.name for f in schema if pa.types.is_map(f.type)]
    lines = []
    for row in rows:
        line = dict(row)
        for name in maps:
            if line.get(name) is not None:
                line[name] = [{"key": k, "value": v} for k, v in line[name]]
        lines.append(json.dumps(line, ensure_ascii=False, default=_json_default))
    if not lines:
        return schema.empty_table()
    return _read_lines(lines, schema)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _read_lines(lines: list[str], schema: pa.Schema) -> pa.Table:
    """The table of ``schema`` in JSON ``lines`` (a map column spelled as a list of
    ``{"key", "value"}`` objects)."""
    import pyarrow.json as pajson

    wire = pa.schema(
        pa.field(f.name, pa.list_(pa.struct([f.type.key_field, f.type.item_field])))
        if pa.types.is_map(f.type)
        else f
        for f in schema
    )
    try:
        text = "\n".join(lines).encode("utf-8")
        read = pajson.read_json(
            pa.BufferReader(text),
            read_options=pajson.ReadOptions(block_size=max(1 << 20, len(text) + 1)),
            parse_options=pajson.ParseOptions(explicit_schema=wire),
        )
    except (UnicodeEncodeError, pa.ArrowInvalid) as exc:
        raise LoaderError(f"a value cannot be stored in its column: {exc}") from None
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
