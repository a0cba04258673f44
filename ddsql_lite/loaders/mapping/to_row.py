"""One API record -> one row of a table: :func:`record_to_row`, pure.

A record is ``{"account_id", "region", "experiment": <describe response>, "tags": [...]}``.
Each column's ``source`` names the response member it reads, or ``$account_id`` /
``$tags``; the describe operation's output shape (:mod:`.api_shapes`) drives the
conversion of nested values (docs/design.md, "From API record to row"). A record the
mapping refuses raises :class:`.values.RecordError`; callers add the file and index.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ...registry import Table
from .api_shapes import output_shape
from .values import RecordError, api_timestamp, check_text, json_column_text, shown

REQUIRED = ("Arn", "Name", "Type", "Status", "CreationTime")


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
            row[column.name] = api_timestamp(value, field)
        elif column.type.name == "json":
            row[column.name] = json_column_text(value, shape.members.get(column.source), field)
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
