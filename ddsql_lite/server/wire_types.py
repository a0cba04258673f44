"""PostgreSQL's types on the wire: each result column's type OID, and its values as
PostgreSQL sends them in text format (what ``psql`` prints) and, for the common types,
in binary format; parameters read from either format.

Values are the Python values of a result's Arrow data (as ``Result.fetchall`` gives
them); their text is PostgreSQL's output, built from the project's own formatters
(:mod:`ddsql_lite.formats`: float8, timestamp and interval text). Tags (DDSQL's
``hstore``) go out as text in hstore's output form (``"k"=>"v1,v2"``, keys ordered as
hstore orders them: shorter first, then by bytes).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa

from ..errors import DDSQLError
from ..formats import float_text, interval_text, timestamp_text
from ..registry import TYPES

TAGS_DUCKDB = TYPES["hstore_csv"].duckdb
EPOCH = datetime(2000, 1, 1)
EPOCH_DATE = date(2000, 1, 1)


class ParameterError(DDSQLError):
    """A parameter value that does not read as its declared type."""

    sqlstate = "22P02"  # invalid_text_representation


@dataclass(frozen=True)
class PgType:
    """A PostgreSQL type as clients see it: its OID, name, size (-1: variable), the
    OID of its array type, and how its values are written."""

    oid: int
    name: str
    size: int
    array_oid: int = 0


TEXT = PgType(25, "text", -1, 1009)
INT8 = PgType(20, "int8", 8, 1016)
INT4 = PgType(23, "int4", 4, 1007)
INT2 = PgType(21, "int2", 2, 1005)
FLOAT8 = PgType(701, "float8", 8, 1022)
FLOAT4 = PgType(700, "float4", 4, 1021)
NUMERIC = PgType(1700, "numeric", -1, 1231)
BOOL = PgType(16, "bool", 1, 1000)
TIMESTAMP = PgType(1114, "timestamp", 8, 1115)
TIMESTAMPTZ = PgType(1184, "timestamptz", 8, 1185)
DATE = PgType(1082, "date", 4, 1182)
TIME = PgType(1083, "time", 8, 1183)
INTERVAL = PgType(1186, "interval", 16, 1187)
JSON = PgType(114, "json", -1, 199)
BYTEA = PgType(17, "bytea", -1, 1001)
UUID = PgType(2950, "uuid", 16, 2951)
VARCHAR = PgType(1043, "varchar", -1, 1015)
NAME = PgType(19, "name", 64, 1003)
OID = PgType(26, "oid", 4, 1028)
CHAR = PgType(18, "char", 1, 1002)
UNKNOWN = PgType(705, "unknown", -2)

SCALARS = [TEXT, INT8, INT4, INT2, FLOAT8, FLOAT4, NUMERIC, BOOL, TIMESTAMP, TIMESTAMPTZ,
           DATE, TIME, INTERVAL, JSON, BYTEA, UUID, VARCHAR, NAME, OID, CHAR]  # fmt: skip
BY_OID = {t.oid: t for t in SCALARS}
ARRAY_OF = {t.array_oid: t for t in SCALARS if t.array_oid}

_DUCKDB = {
    "VARCHAR": TEXT,
    "BIGINT": INT8,
    "INTEGER": INT4,
    "SMALLINT": INT2,
    "TINYINT": INT2,
    "UTINYINT": INT2,
    "USMALLINT": INT4,
    "UINTEGER": INT8,
    "UBIGINT": NUMERIC,
    "HUGEINT": NUMERIC,
    "UHUGEINT": NUMERIC,
    "DOUBLE": FLOAT8,
    "FLOAT": FLOAT4,
    "BOOLEAN": BOOL,
    "TIMESTAMP": TIMESTAMP,
    "TIMESTAMP WITH TIME ZONE": TIMESTAMPTZ,
    "DATE": DATE,
    "TIME": TIME,
    "INTERVAL": INTERVAL,
    "JSON": JSON,
    "BLOB": BYTEA,
    "UUID": UUID,
}


@dataclass(frozen=True)
class Column:
    """A result column on the wire: its PostgreSQL type (``array``: an array of it),
    whether it holds tags, and its text and binary writers."""

    pg: PgType
    array: bool = False
    tags: bool = False

    @property
    def oid(self) -> int:
        return self.pg.array_oid if self.array else self.pg.oid

    @property
    def size(self) -> int:
        return -1 if self.array else self.pg.size

    def text(self, value: Any) -> bytes:
        """``value`` (not None) in PostgreSQL's text format."""
        if self.tags:
            return hstore_text(value).encode()
        if self.array:
            return array_text(value, self.pg).encode()
        return scalar_text(value, self.pg).encode()

    def binary(self, value: Any) -> bytes:
        """``value`` (not None) in PostgreSQL's binary format."""
        if self.tags:
            return hstore_text(value).encode()
        if self.array:
            return array_binary(value, self.pg)
        return scalar_binary(value, self.pg)


def column_for(duckdb_type: str | None) -> Column:
    """The wire column of a result column of DuckDB type ``duckdb_type`` (None: text)."""
    if duckdb_type is None:
        return Column(TEXT)
    if duckdb_type == TAGS_DUCKDB or duckdb_type.startswith("MAP("):
        return Column(TEXT, tags=True)
    if duckdb_type.endswith("[]"):
        element = column_for(duckdb_type[:-2])
        return (
            Column(element.pg, array=True) if not (element.array or element.tags) else Column(TEXT)
        )
    if duckdb_type.startswith("DECIMAL"):
        return Column(NUMERIC)
    return Column(_DUCKDB.get(duckdb_type, TEXT))


def scalar_text(value: Any, pg: PgType) -> str:
    """One value as PostgreSQL's text output of ``pg`` writes it."""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, datetime):
        if pg is TIMESTAMPTZ:
            return timestamp_text(value) + "+00"
        return timestamp_text(value)
    if isinstance(value, pa.MonthDayNano):
        return interval_text(value.months, value.days, value.nanoseconds // 1000)
    if isinstance(value, timedelta):
        return interval_text(0, value.days, value.seconds * 1_000_000 + value.microseconds)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    return str(value)


_PLAIN = re.compile(r'[^{}",\\\s]+')


def array_text(values: list[Any], pg: PgType) -> str:
    """An array as PostgreSQL writes it: ``{a,"b c",NULL}``, nested arrays in braces."""
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
        elif isinstance(value, list):
            parts.append(array_text(value, pg))
        else:
            text = scalar_text(value, pg)
            if _PLAIN.fullmatch(text) and text.upper() != "NULL":
                parts.append(text)
            else:
                parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


def _hstore_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hstore_text(value: Any) -> str:
    """Tags (a map of key -> values, as Arrow gives it) as hstore's output:
    ``"k"=>"v1,v2"``, a key's values joined by ``,`` (docs/dialect.md, "Tags"), keys
    ordered as hstore stores them (by length in bytes, then by bytes)."""
    items = value.items() if isinstance(value, dict) else value
    pairs = []
    for key, values in items:
        text = (
            None
            if values is None
            else (values if isinstance(values, str) else ",".join(str(v) for v in values))
        )
        pairs.append((str(key), text))
    pairs.sort(key=lambda kv: (len(kv[0].encode()), kv[0].encode()))
    return ", ".join(
        f"{_hstore_quoted(k)}=>{'NULL' if v is None else _hstore_quoted(v)}" for k, v in pairs
    )


def _micros(stamp: datetime) -> int:
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
    delta = stamp - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def numeric_binary(value: Decimal) -> bytes:
    """A numeric in PostgreSQL's binary form: digit count, weight, sign, display scale,
    then base-10000 digits."""
    if value.is_nan():
        return struct.pack("!hhHh", 0, 0, 0xC000, 0)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    scale = max(-exponent, 0)
    text = "".join(map(str, digits))
    if exponent > 0:
        text += "0" * exponent
        exponent = 0
    elif exponent < 0:
        text = text.zfill(1 - exponent)  # at least one digit before the point
    whole = text[:exponent] if exponent else text
    fraction = text[exponent:] if exponent else ""
    whole = whole.zfill(-(-len(whole) // 4) * 4)
    fraction = fraction + "0" * (-len(fraction) % 4)
    groups = [int(whole[i : i + 4]) for i in range(0, len(whole), 4)]
    weight = len(groups) - 1
    groups += [int(fraction[i : i + 4]) for i in range(0, len(fraction), 4)]
    while groups and groups[0] == 0:
        groups.pop(0)
        weight -= 1
    while groups and groups[-1] == 0:
        groups.pop()
    if not groups:
        weight = 0
    head = struct.pack("!hhHh", len(groups), weight, 0x4000 if sign else 0, scale)
    return head + struct.pack(f"!{len(groups)}h", *groups)


_BINARY: dict[int, Callable[[Any], bytes]] = {
    INT8.oid: lambda v: struct.pack("!q", v),
    INT4.oid: lambda v: struct.pack("!i", v),
    INT2.oid: lambda v: struct.pack("!h", v),
    OID.oid: lambda v: struct.pack("!I", v),
    FLOAT8.oid: lambda v: struct.pack("!d", v),
    FLOAT4.oid: lambda v: struct.pack("!f", v),
    BOOL.oid: lambda v: b"\x01" if v else b"\x00",
    TIMESTAMP.oid: lambda v: struct.pack("!q", _micros(v)),
    TIMESTAMPTZ.oid: lambda v: struct.pack("!q", _micros(v)),
    DATE.oid: lambda v: struct.pack("!i", (v - EPOCH_DATE).days),
    NUMERIC.oid: lambda v: numeric_binary(Decimal(v)),
    BYTEA.oid: bytes,
    UUID.oid: lambda v: v.bytes,
}


def scalar_binary(value: Any, pg: PgType) -> bytes:
    """One value in PostgreSQL's binary format of ``pg`` (text-like types: UTF-8)."""
    if pg is INTERVAL:
        if isinstance(value, timedelta):
            micros = value.seconds * 1_000_000 + value.microseconds
            return struct.pack("!qii", micros, value.days, 0)
        return struct.pack("!qii", value.nanoseconds // 1000, value.days, value.months)
    if pg is TIME:
        return struct.pack("!q", (value.hour * 3600 + value.minute * 60 + value.second)
                           * 1_000_000 + value.microsecond)  # fmt: skip
    writer = _BINARY.get(pg.oid)
    return writer(value) if writer else scalar_text(value, pg).encode()


def array_binary(values: list[Any], pg: PgType) -> bytes:
    """A one-dimensional array in PostgreSQL's binary format (elements as
    :func:`scalar_binary`); deeper arrays are written as text arrays of their rows."""
    element = pg if not any(isinstance(v, list) for v in values) else TEXT
    out = [struct.pack("!iiIii", 1, int(any(v is None for v in values)), element.oid,
                       len(values), 1)]  # fmt: skip
    for value in values:
        if value is None:
            out.append(struct.pack("!i", -1))
            continue
        data = (
            array_text(value, pg).encode()
            if isinstance(value, list)
            else scalar_binary(value, element)
        )
        out.append(struct.pack("!i", len(data)) + data)
    return b"".join(out)


# ------------------------------------------------------------------------- parameters


def read_parameter(data: bytes, oid: int, binary: bool) -> Any:
    """A bound parameter's value as the Python value the library binds: integers, floats,
    booleans, timestamps and dates as such, anything else as text. ``oid`` is the type
    the client declared (0: unknown, read as text)."""
    try:
        return _read_binary(data, oid) if binary else _read_text(data.decode(), oid)
    except (ValueError, struct.error, UnicodeDecodeError, InvalidOperation):
        kind = BY_OID.get(oid, TEXT).name
        raise ParameterError(f"invalid input syntax for type {kind}: {data!r}") from None


def _read_text(text: str, oid: int) -> Any:
    if oid in ARRAY_OF:
        element = ARRAY_OF[oid].oid
        return [None if item is None else _read_text(item, element) for item in parse_array(text)]
    if oid in (INT8.oid, INT4.oid, INT2.oid, OID.oid):
        return int(text)
    if oid in (FLOAT8.oid, FLOAT4.oid, NUMERIC.oid):
        return float(text)
    if oid == BOOL.oid:
        word = text.strip().lower()
        if word in ("t", "true", "y", "yes", "on", "1"):
            return True
        if word in ("f", "false", "n", "no", "off", "0"):
            return False
        raise ValueError(text)
    if oid in (TIMESTAMP.oid, TIMESTAMPTZ.oid):
        stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
        return stamp
    if oid == DATE.oid:
        return date.fromisoformat(text.strip())
    return text


def parse_array(text: str) -> list[str | None]:
    """The elements of a one-dimensional array in PostgreSQL's text form (``{a,"b c",NULL}``)."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise ValueError(text)
    items: list[str | None] = []
    body, at = text[1:-1], 0
    while at < len(body):
        if body[at] == '"':
            at += 1
            chars = []
            while body[at] != '"':
                if body[at] == "\\":
                    at += 1
                chars.append(body[at])
                at += 1
            items.append("".join(chars))
            at += 1
        else:
            end = body.find(",", at)
            end = len(body) if end < 0 else end
            word = body[at:end].strip()
            if word.startswith("{"):
                raise ValueError("nested arrays are not supported as parameters")
            items.append(None if word.upper() == "NULL" else word)
            at = end
        if at < len(body):
            if body[at] != ",":
                raise ValueError(text)
            at += 1
    return items


def _read_binary(data: bytes, oid: int) -> Any:
    if oid in ARRAY_OF:
        dims, _, element = struct.unpack("!iiI", data[:12])
        if dims == 0:
            return []
        if dims != 1:
            raise ValueError("only one-dimensional arrays are supported as parameters")
        count = struct.unpack("!i", data[12:16])[0]
        at = 20
        values: list[Any] = []
        for _ in range(count):
            (length,) = struct.unpack("!i", data[at : at + 4])
            at += 4
            if length < 0:
                values.append(None)
                continue
            values.append(_read_binary(data[at : at + length], element))
            at += length
        return values
    if oid == INT8.oid:
        return struct.unpack("!q", data)[0]
    if oid == INT4.oid:
        return struct.unpack("!i", data)[0]
    if oid == INT2.oid:
        return struct.unpack("!h", data)[0]
    if oid == OID.oid:
        return struct.unpack("!I", data)[0]
    if oid == FLOAT8.oid:
        return struct.unpack("!d", data)[0]
    if oid == FLOAT4.oid:
        return struct.unpack("!f", data)[0]
    if oid == BOOL.oid:
        return data != b"\x00"
    if oid in (TIMESTAMP.oid, TIMESTAMPTZ.oid):
        return EPOCH + timedelta(microseconds=struct.unpack("!q", data)[0])
    if oid == DATE.oid:
        return EPOCH_DATE + timedelta(days=struct.unpack("!i", data)[0])
    if oid == NUMERIC.oid:
        return float(_numeric_from_binary(data))
    return data.decode()


def _numeric_from_binary(data: bytes) -> Decimal:
    count, weight, sign, _scale = struct.unpack("!hhHh", data[:8])
    if sign == 0xC000:
        return Decimal("NaN")
    digits = struct.unpack(f"!{count}h", data[8 : 8 + 2 * count])
    value = Decimal(0)
    for i, digit in enumerate(digits):
        value += Decimal(digit) * Decimal(10000) ** (weight - i)
    return -value if sign == 0x4000 else value
