"""Result formatters for the command line: table, csv, json, markdown.

Each formatter takes column names and rows of Python values (as Result.fetchall gives
them) and returns text. Values are rendered once by :func:`cell` so every format agrees:
NULL is ``NULL`` in tables and empty in CSV, doubles are PostgreSQL's float8 text,
timestamps are ISO-8601, tags, arrays and JSON values are JSON text.

The human formats (``table``, ``markdown``) show control characters as escapes
(:func:`ddsql_lite.text.visible`) and align by terminal columns; the machine formats keep
the data exact: CSV as it is, JSON as strict JSON (RFC 8259) whose strings decode to the
data, with NaN and the infinities as the strings ``"NaN"``, ``"Infinity"``,
``"-Infinity"`` (PostgreSQL's ``to_json`` does the same).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa

from .text import json_visible, pad, visible, width

Rows = Sequence[Sequence[Any]]


def interval_text(months: int, days: int, microseconds: int) -> str:
    """An interval as PostgreSQL prints it: ``1 year 2 mons 3 days 04:05:06.5``."""
    parts = []
    years, months = divmod(abs(months), 12) if months >= 0 else (-(-months // 12), -(-months % 12))
    for amount, unit in ((years, "year"), (months, "mon"), (days, "day")):
        if amount:
            parts.append(f"{amount} {unit}{'' if amount == 1 else 's'}")
    if microseconds or not parts:
        sign = "-" if microseconds < 0 else ("+" if parts and days < 0 else "")
        seconds, micro = divmod(abs(microseconds), 1_000_000)
        minutes, second = divmod(seconds, 60)
        hours, minute = divmod(minutes, 60)
        clock = f"{sign}{hours:02d}:{minute:02d}:{second:02d}"
        parts.append(clock + (f".{micro:06d}".rstrip("0") if micro else ""))
    return " ".join(parts)


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


def plain(value: Any) -> Any:
    """A JSON-serialisable form of a result value (maps become objects, intervals text)."""
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
        return value.isoformat(sep=" ")
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


def table(columns: Sequence[str], rows: Rows) -> str:
    """An aligned table like psql's, with a row count footer; one line a row (a line
    break in a value shows as ``\\n``, other controls as escapes too)."""
    head = [visible(c) for c in columns]
    cells = [[visible(cell(v)) for v in row] for row in rows]
    widths = [width(h) for h in head]
    for row in cells:
        widths = [max(w, width(v)) for w, v in zip(widths, row)]
    lines = [" | ".join(pad(c, w) for c, w in zip(head, widths)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    for row in cells:
        lines.append(" | ".join(pad(v, w) for v, w in zip(row, widths)).rstrip())
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def csv_text(columns: Sequence[str], rows: Rows) -> str:
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


def strict(value: Any) -> Any:
    """``value`` (from :func:`plain`) with NaN and the infinities as strings, so that it
    is strict JSON: ``"NaN"``, ``"Infinity"``, ``"-Infinity"``, as PostgreSQL's
    ``to_json`` writes them."""
    if isinstance(value, float) and not math.isfinite(value):
        return float_text(value)
    if isinstance(value, list):
        return [strict(v) for v in value]
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    return value


def json_text(columns: Sequence[str], rows: Rows, *, ascii_only: bool = False) -> str:
    """A JSON array of objects, one per row (JSON values stay text, like PostgreSQL).
    Always strict JSON (see :func:`strict`); characters unsafe on a terminal are
    ``\\uXXXX`` escapes, and with ``ascii_only`` every non-ASCII one is."""
    records = [{c: strict(plain(v)) for c, v in zip(columns, row)} for row in rows]
    text = json.dumps(records, ensure_ascii=ascii_only, indent=2, default=str, allow_nan=False)
    return json_visible(text) + "\n"


def markdown(columns: Sequence[str], rows: Rows) -> str:
    def esc(text: str) -> str:
        return visible(text, newlines=True).replace("|", "\\|").replace("\n", "<br>")

    lines = [
        "| " + " | ".join(esc(c) for c in columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(esc(cell(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Sequence[str], Rows], str]] = {
    "table": table,
    "csv": csv_text,
    "json": json_text,
    "markdown": markdown,
}
