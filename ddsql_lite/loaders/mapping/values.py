"""API values as column values: timestamps, the text of JSON columns, text checks.

Pure functions of one value. A value no column can hold is a :class:`RecordError`
naming the field as a dotted path (docs/design.md, "Fixture format"): a timestamp
outside years 1-9999 once in UTC, a string with a lone surrogate, a number that is not
finite inside a JSON member, a JSON member nested more than :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from functools import cache
from typing import Any

from ...errors import LoaderError
from .api_shapes import ListShape, MapShape, Shape, StructureShape

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
        raise RecordError(field, surrogate_problem(value))
    return value


def surrogate_problem(value: str) -> str:
    """The error text for ``value``, a string holding a lone surrogate."""
    bad = next(c for c in value if "\ud800" <= c <= "\udfff")
    inside = f" in {shown(value)}" if value != bad else ""
    return f"lone surrogate {bad!r}{inside}: not Unicode text"


_SNAKE_1 = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SNAKE_2 = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")


@cache
def snake_case(name: str) -> str:
    """``RealTimeInferenceConfig`` -> ``real_time_inference_config``, ``S3Uri`` -> ``s3_uri``."""
    return _SNAKE_2.sub("_", _SNAKE_1.sub("_", name)).lower()


def api_timestamp(value: Any, field: str) -> datetime:
    """An API timestamp as a naive UTC datetime: ISO-8601 text (``Z`` or an offset;
    naive means UTC), epoch seconds or a datetime (years 1-9999: what Python's datetime
    holds)."""
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
    can hold by :func:`json_column_text`.
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
        return iso_utc(api_timestamp(value, field)) if isinstance(value, datetime) else value
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
        return iso_utc(api_timestamp(value, field))
    expected = _PRIMITIVE.get(kind)
    # bool is an int in Python; only a boolean member accepts it.
    if expected is not None and (
        not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool))
    ):
        raise RecordError(field, f"expected {kind}, got {type(value).__name__}")
    # Enum values are kept as spelled, even ones newer than the installed botocore.
    return value


def compact_json(value: Any) -> str:
    """The JSON text of a JSON column's value: compact (no whitespace between tokens),
    keys in the value's order, non-ASCII characters as they are. Raises what
    ``json.dumps`` raises (``ValueError`` for ``NaN`` and infinities)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def json_column_text(value: Any, shape: Shape | None, field: str) -> str:
    """The text of a JSON column: ``value`` converted (:func:`convert`) as
    :func:`compact_json` writes it (``{"k":"v","n":1}``).

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
        text = compact_json(converted)
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
                return where, ("the key: " if is_key else "") + surrogate_problem(item)
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
