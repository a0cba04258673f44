"""Result formatters: table, csv, json, jsonl, markdown.

Each formatter takes column names, rows of Python values (as Result.fetchall gives
them) and, optionally, each column's DuckDB type (``Result.duckdb_types``), and returns
text. The text formats render values once, by :func:`cell`: NULL is ``NULL`` in tables
and empty in CSV, doubles are PostgreSQL's float8 text, timestamps PostgreSQL's text
(``2025-01-01 10:00:00.25``), tags, arrays and JSON values JSON text.

The human formats (``table``, ``markdown``) show control characters as escapes
(:func:`ddsql_lite.text.visible`), align by terminal columns and right-align numbers; the
machine formats keep the data exact: CSV as it is, JSON as strict JSON (RFC 8259) whose
strings decode to the data and whose values keep their types (:func:`json_value`: JSON
values nest, numbers are numbers; NaN and the infinities are the strings ``"NaN"``,
``"Infinity"``, ``"-Infinity"``, as PostgreSQL's ``to_json`` writes them).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

import pyarrow as pa

from .text import json_visible, pad, visible, width

Rows = Sequence[Sequence[Any]]
Types = Sequence[str | None] | None  # each column's DuckDB type (Result.duckdb_types), if known


def interval_text(months: int, days: int, microseconds: int) -> str:
    """An interval as PostgreSQL prints it: ``1 year 2 mons -3 days +04:05:06.5``
    (:func:`~ddsql_lite.dialect.intervals.pg_interval_text`, imported when first
    needed: a one-shot query without intervals does not load it)."""
    from .dialect.intervals import pg_interval_text

    return pg_interval_text(months, days, microseconds)


def float_text(value: float) -> str:
    """A double as PostgreSQL's float8 output prints it: the shortest digits that read
    back as ``value`` and lie strictly inside its rounding interval (Python's ``repr``
    may pick a bound above 2**53), in exponent form below 1e-4 and from 1e15 on."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    digits = repr(value)
    if abs(value) >= 2**53 and _on_bound(digits, value):
        width = len(Decimal(digits).normalize().as_tuple().digits)
        for places in range(width, 17):
            digits = f"{value:.{places}e}"
            if not _on_bound(digits, value):
                break
    sign, numerals, exponent = Decimal(digits).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, numerals))
    power = len(text) - 1 + exponent  # the decimal exponent of the first digit
    if power < -4 or power >= 15:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        body = f"{mantissa}e{'-' if power < 0 else '+'}{abs(power):02d}"
    elif power < 0:
        body = "0." + "0" * (-power - 1) + text
    else:
        body = text.ljust(power + 1, "0")
        if len(text) > power + 1:
            body = text[: power + 1] + "." + text[power + 1 :]
    return ("-" if sign else "") + body


def _on_bound(digits: str, value: float) -> bool:
    """Is the decimal ``digits`` exactly halfway between integral ``value`` and a
    neighbouring double?"""
    away = abs(Decimal(digits)) - abs(int(value))  # > 0: farther from zero than value
    gap = math.ulp(value) if away > 0 else math.ulp(math.nextafter(value, 0))
    return abs(away) * 2 == Decimal(gap)


def timestamp_text(value: datetime, sep: str = " ") -> str:
    """A timestamp as PostgreSQL prints it: ``2025-01-01 10:00:00.25`` (a fraction only
    when there is one, without trailing zeros; UTC, as every DDSQL timestamp is)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    text = value.isoformat(sep=sep, timespec="seconds")
    return text + (f".{value.microsecond:06d}".rstrip("0") if value.microsecond else "")


def plain(value: Any) -> Any:
    """A JSON-serialisable form of a result value (maps become objects, intervals and
    timestamps text)."""
    if isinstance(value, pa.MonthDayNano):
        return interval_text(value.months, value.days, value.nanoseconds // 1000)
    if isinstance(value, timedelta):
        return interval_text(0, value.days, value.seconds * 1_000_000 + value.microseconds)
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, tuple) and len(v) == 2 for v in value)
    ):
        return {k: plain(v) for k, v in value}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return timestamp_text(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def cell(value: Any, null: str = "NULL") -> str:
    """One value as text for a table or CSV cell."""
    if value is None:
        return null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return float_text(value)
    value = plain(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def is_number(value: Any) -> bool:
    """Is ``value`` a number (shown right-aligned in the human formats)?"""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def numeric_columns(count: int, rows: Rows) -> list[bool]:
    """For each of ``count`` columns: does it hold numbers only, NULLs aside, and at
    least one? Such columns are right-aligned, as psql aligns numbers."""
    found = []
    for i in range(count):
        values = [row[i] for row in rows if row[i] is not None]
        found.append(bool(values) and all(is_number(v) for v in values))
    return found


def table(columns: Sequence[str], rows: Rows, types: Types = None) -> str:
    """An aligned table like psql's, numbers right-aligned, with a row count footer; one
    line a row (a line break in a value shows as ``\\n``, other controls as escapes too)."""
    head = [visible(c) for c in columns]
    cells = [[visible(cell(v)) for v in row] for row in rows]
    lines = aligned([head], cells, numeric_columns(len(head), rows))
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def aligned(
    heads: Sequence[Sequence[str]],
    cells: Sequence[Sequence[str]],
    right: Sequence[bool] | None = None,
) -> list[str]:
    """Text already made visible, laid out as psql lays out a table: the head lines,
    a rule, then the rows, columns as wide as their widest text and separated by
    ``|`` (``right``: the columns aligned to the right in the rows)."""
    widths = [max(width(line[i]) for line in (*heads, *cells)) for i in range(len(heads[0]))]
    flags = right or [False] * len(widths)
    lines = [" | ".join(pad(v, w) for v, w in zip(line, widths)).rstrip() for line in heads]
    lines.append("-+-".join("-" * w for w in widths))
    for row in cells:
        lines.append(" | ".join(pad(v, w, r) for v, w, r in zip(row, widths, flags)).rstrip())
    return lines


def csv_text(columns: Sequence[str], rows: Rows, types: Types = None) -> str:
    """CSV with a header line; values exact (controls included), NULL empty. A value
    with a carriage return is quoted too (the csv module quotes only the characters of
    its line terminator, here ``\\n``), so that a CSV reader gets it back whole."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    returns = io.StringIO()
    quoting_returns = csv.writer(returns, lineterminator="\r\n")
    for row in [list(columns), *([cell(v, null="") for v in row] for row in rows)]:
        if any("\r" in value for value in row):
            returns.seek(0)
            returns.truncate()
            quoting_returns.writerow(row)
            out.write(returns.getvalue()[:-2] + "\n")
        else:
            writer.writerow(row)
    return out.getvalue()


def json_text(
    columns: Sequence[str], rows: Rows, types: Types = None, *, ascii_only: bool = False
) -> str:
    """A JSON array of objects, one per row, indented (see :func:`json_value` for how each
    type is written). Always strict JSON; characters unsafe on a terminal are ``\\uXXXX``
    escapes, and with ``ascii_only`` every non-ASCII one is."""
    if not rows:
        return "[]\n"
    # Row by row, as jsonl_text: the whole result as one tree of values costs the
    # collector more than writing it.
    records = (
        dump(json_record(columns, row, types), indent=2, level=1, ascii_only=ascii_only)
        for row in rows
    )
    return "[\n  " + ",\n  ".join(records) + "\n]\n"


def jsonl_text(
    columns: Sequence[str], rows: Rows, types: Types = None, *, ascii_only: bool = False
) -> str:
    """JSON Lines: one JSON object a row, on one line each (``jq`` reads them as a stream)."""
    return "".join(
        dump(json_record(columns, row, types), ascii_only=ascii_only) + "\n" for row in rows
    )


def markdown(columns: Sequence[str], rows: Rows, types: Types = None) -> str:
    """A GitHub-flavoured Markdown table, its columns padded to line up in plain text and
    numbers right-aligned (``---:``)."""

    def esc(text: str) -> str:
        return visible(text, newlines=True).replace("|", "\\|").replace("\n", "<br>")

    head = [esc(c) for c in columns]
    cells = [[esc(cell(v)) for v in row] for row in rows]
    right = numeric_columns(len(head), rows)
    widths = [max([3, width(h), *(width(row[i]) for row in cells)]) for i, h in enumerate(head)]
    rule = ["-" * (w - 1) + (":" if r else "-") for w, r in zip(widths, right)]
    lines = ["| " + " | ".join(pad(h, w) for h, w in zip(head, widths)) + " |"]
    lines.append("| " + " | ".join(rule) + " |")
    lines += [
        "| " + " | ".join(pad(v, w, r) for v, w, r in zip(row, widths, right)) + " |"
        for row in cells
    ]
    return "\n".join(lines) + "\n"


# --- JSON -------------------------------------------------------------------------


class Number(str):
    """A JSON number, as the exact text to write (a decimal's digits, a double's float8
    text, a number inside a JSON value as it was written)."""


class Pairs(list[tuple[str, Any]]):
    """A JSON object as its (key, value) pairs, in order (JSON text may repeat a key)."""


def json_record(columns: Sequence[str], row: Sequence[Any], types: Types = None) -> Pairs:
    """One row as a JSON object: column name to :func:`json_value`."""
    kinds = list(types) if types is not None else [None] * len(columns)
    return Pairs((c, json_value(v, k)) for c, v, k in zip(columns, row, kinds))


def json_value(value: Any, kind: str | None = None) -> Any:
    """A result value as JSON, by its DuckDB type ``kind`` (None: by its Python type).

    NULL is ``null``; booleans ``true``/``false``; integers, decimals and doubles are
    numbers (a double as its float8 text, NaN and the infinities as the strings
    ``"NaN"``, ``"Infinity"``, ``"-Infinity"``, as PostgreSQL's ``to_json`` writes them);
    a JSON value is itself, nested (its numbers as written, its keys in order); tags
    are an object of lists of strings; arrays are arrays; timestamps ISO-8601 UTC text
    (``2025-01-01T10:00:00.25Z``); intervals PostgreSQL's text (``1 day 02:00:00``);
    text is a string."""
    if value is None:
        return None
    if kind == "JSON" and isinstance(value, str):
        return _parsed_json(value)
    if kind is not None and kind.endswith("[]") and isinstance(value, (list, tuple)):
        return [json_value(v, kind[:-2]) for v in value]
    if kind is not None and kind.startswith("MAP(") and isinstance(value, (list, dict)):
        items = value.items() if isinstance(value, dict) else value
        return Pairs((str(k), json_value(v)) for k, v in items)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Number(value)
    if isinstance(value, float):
        return Number(float_text(value)) if math.isfinite(value) else float_text(value)
    if isinstance(value, Decimal):
        return Number(value) if value.is_finite() else str(value)
    if isinstance(value, datetime):
        return timestamp_text(value, "T") + "Z"
    if isinstance(value, dict):
        return Pairs((str(k), json_value(v)) for k, v in value.items())
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        return Pairs((str(k), json_value(v)) for k, v in value)  # a map of unknown type
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return plain(value)  # text; intervals, dates and times as text


def _parsed_json(text: str) -> Any:
    """JSON text as a value :func:`dump` writes back with the same numbers and keys;
    text that is not JSON (no DDSQL value is) stays a string."""
    try:
        return json.loads(
            text, parse_float=Number, parse_int=Number, object_pairs_hook=Pairs, parse_constant=str
        )
    except ValueError:
        return text


def dump(value: Any, *, indent: int | None = None, level: int = 0, ascii_only: bool = False) -> str:
    """A :func:`json_value` tree as strict JSON text: on one line (``", "`` and ``": "``
    between items) or indented by ``indent`` spaces a level, starting at ``level``.
    Characters unsafe on a terminal are ``\\uXXXX`` escapes; with ``ascii_only`` every
    non-ASCII one is."""
    out: list[str] = []
    quote = encode_basestring_ascii if ascii_only else encode_basestring
    _write(value, out.append, indent, level, quote)
    return json_visible("".join(out))


def _write(
    value: Any, put: Callable[[str], None], indent: int | None, level: int, quote: Any
) -> None:
    if value is None:
        put("null")
    elif value is True or value is False:
        put("true" if value else "false")
    elif isinstance(value, Number):
        put(str.__str__(value))
    elif isinstance(value, str):
        put(quote(value))
    elif isinstance(value, (Pairs, dict, list, tuple)):
        pairs = isinstance(value, (Pairs, dict))
        items = list(value.items()) if isinstance(value, dict) else value
        opening, closing = ("{", "}") if pairs else ("[", "]")
        if not items:
            put(opening + closing)
            return
        inner = "" if indent is None else "\n" + " " * (indent * (level + 1))
        put(opening)
        for n, item in enumerate(items):
            put(("," if n else "") + (inner or (" " if n else "")))
            if pairs:
                key, item = item
                put(quote(str(key)) + ": ")
            _write(item, put, indent, level + 1, quote)
        put(("" if indent is None else "\n" + " " * (indent * level)) + closing)
    else:  # a value json_value did not make: as the json module writes it
        put(json.dumps(value, ensure_ascii=quote is encode_basestring_ascii, allow_nan=False))


Formatter = Callable[[Sequence[str], Rows, Types], str]
FORMATS: dict[str, Formatter] = {
    "table": table,
    "csv": csv_text,
    "json": json_text,
    "jsonl": jsonl_text,
    "markdown": markdown,
}
MACHINE_FORMATS = ("csv", "json", "jsonl")  # exact data for programs; the rest is for people


def render(
    fmt: str, columns: Sequence[str], rows: Rows, types: Types = None, *, ascii_only: bool = False
) -> str:
    """Rows in the format named ``fmt`` (a key of :data:`FORMATS`); ``ascii_only``: JSON
    with every non-ASCII character escaped (for an output encoding that cannot hold it)."""
    if fmt == "json":
        return json_text(columns, rows, types, ascii_only=ascii_only)
    if fmt == "jsonl":
        return jsonl_text(columns, rows, types, ascii_only=ascii_only)
    return FORMATS[fmt](columns, rows, types)
