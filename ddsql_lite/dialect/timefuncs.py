"""DDSQL time: NOW, EXTRACT, DATE_TRUNC, DATE_BIN, TO_TIMESTAMP, TO_CHAR, intervals.

Module contract (shared by every rewrite module): ``REWRITES`` are pure node -> node
rewrites applied in order over the whole tree; ``FUNCTIONS`` (sqlglot class -> DDSQL
name) and ``ANONYMOUS`` (lower-case names sqlglot parses as Anonymous) list what this
module makes safe to call.

sqlglot reads these functions lossily (``INTERVAL '1 day 02:03:04'`` becomes one day,
``'2 hrs'`` an unknown unit, ``to_char`` formats are mapped to strftime before we see
them), so :func:`prepare_tokens` runs on the token stream first: ``INTERVAL 'text'``
becomes ``'text'::INTERVAL`` (its text kept whole), and ``now``, ``date_trunc``,
``date_bin``, ``to_timestamp`` and ``to_char`` calls are renamed ``ddsql_*`` so they
parse as plain calls with their arguments as written. The rewrite then gives each the
meaning DDSQL.md documents (rule 1) or PostgreSQL 15's (rule 2), and refuses the rest:

* interval text is parsed exactly (:mod:`.intervals`) into a DuckDB interval literal;
  intervals print as PostgreSQL prints them when cast to text;
* timestamp text (literals, casts, text compared with a timestamp) is read strictly as
  ``YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]`` in UTC (a zero offset is allowed; any other
  offset is refused, since PostgreSQL would silently drop it);
* ``NOW()`` and ``CURRENT_TIMESTAMP`` are the query's start as a UTC TIMESTAMP;
* ``EXTRACT``: ``dow`` is 1 (Monday) to 7 (Sunday) and ``second`` whole seconds (DDSQL);
* ``DATE_BIN`` and ``TO_TIMESTAMP(epoch)`` use PostgreSQL's exact integer arithmetic
  and rounding; ``TO_CHAR``/``TO_TIMESTAMP(text, format)`` use :mod:`.pgformat`.

Timestamp and interval arithmetic (``+``, ``-``, ``*``, ``/``, comparisons) is left to
DuckDB, whose interval arithmetic gives PostgreSQL's answers; only text literals in it
are read here, as PostgreSQL types them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlglot import exp
from sqlglot.tokenizer_core import Token, TokenType

from ..errors import UnsupportedError
from .intervals import USECS_PER_DAY, Interval, parse_interval
from .nodes import Rewrite, call, data_type, macro, rewrites, type_in
from .pgformat import FIELDS, to_char_parts, to_timestamp_regex

# Calls whose arguments sqlglot would rewrite: renamed before parsing (see prepare_tokens).
RAW_CALLS: dict[str, str] = {
    name: "ddsql_" + name for name in ("now", "date_trunc", "date_bin", "to_timestamp", "to_char")
}
# prepare_tokens changes nothing in a text without INTERVAL or a name (VAR token) of these.
TIME_WORDS = frozenset({*RAW_CALLS, "extract"})
_INTERVAL, _VAR = TokenType.INTERVAL, TokenType.VAR
_CALL_OR_FROM = (TokenType.L_PAREN, TokenType.FROM)
# PostgreSQL's interval type modifiers (``INTERVAL '1' DAY``), refused.
_TYPMOD_FIELDS = {"year", "month", "day", "hour", "minute", "second"}


def prepare_tokens(tokens: list[Token]) -> list[Token]:
    """The token pre-pass for time syntax (see the module docstring).

    ``INTERVAL 'text'`` -> ``'text' :: INTERVAL``; ``INTERVAL 'text' HOUR`` (a type
    modifier), ``INTERVAL 2 DAY`` and ``INTERVAL(3) 'text'`` are refused; ``now(``,
    ``date_trunc(``, ``date_bin(``, ``to_timestamp(``, ``to_char(`` -> ``ddsql_*(``;
    ``EXTRACT(unit FROM`` -> ``EXTRACT('unit' FROM`` (PostgreSQL's quoted form).
    """
    out: list[Token] = []
    last = len(tokens) - 1
    after_interval = False
    for i, tok in enumerate(tokens):
        kind = tok.token_type
        nxt = tokens[i + 1] if i < last else None
        if not (
            kind == _INTERVAL
            or after_interval
            or (kind == _VAR and nxt is not None and nxt.token_type in _CALL_OR_FROM)
        ):
            out.append(tok)  # no rule below applies to this token
            continue
        prev = tokens[i - 1] if i else None
        if kind != _VAR or after_interval:  # (a name not after INTERVAL skips these)
            after_interval = kind == _INTERVAL
            if _interval_literal_at(tokens, i):
                continue  # the string comes next and is emitted as 'text' :: INTERVAL
            if _interval_literal_at(tokens, i - 1):
                out += [
                    tok,
                    Token(TokenType.DCOLON, "::", tok.line, tok.col, tok.end, tok.end),
                    Token(TokenType.INTERVAL, "INTERVAL", tok.line, tok.col, tok.end, tok.end),
                ]
                continue
        if _extract_unit_at(tokens, i):
            tok = Token(TokenType.STRING, tok.text.lower(), tok.line, tok.col, tok.start, tok.end)
        elif _raw_call_at(tok, nxt, prev):
            name = RAW_CALLS[tok.text.lower()]
            tok = Token(_VAR, name, tok.line, tok.col, tok.start, tok.end, tok.comments)
        out.append(tok)
    return out


def _raw_call_at(tok: Token, nxt: Token | None, prev: Token | None) -> bool:
    """True when ``tok`` calls one of :data:`RAW_CALLS` (not as ``x.name(``)."""
    return (
        tok.token_type == _VAR
        and tok.text.lower() in RAW_CALLS
        and nxt is not None
        and nxt.token_type == TokenType.L_PAREN
        and (prev is None or prev.token_type != TokenType.DOT)
    )


def _interval_literal_at(tokens: list[Token], i: int) -> bool:
    """True when ``tokens[i]`` is the ``INTERVAL`` of ``INTERVAL 'text'`` (not of a cast
    such as ``x::interval``); refuses the forms PostgreSQL reads with field modifiers."""
    if i < 0 or tokens[i].token_type != TokenType.INTERVAL:
        return False
    if i > 0 and tokens[i - 1].token_type in (TokenType.DCOLON, TokenType.ALIAS):
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.token_type in (TokenType.NUMBER, TokenType.L_PAREN):
        raise UnsupportedError(
            "INTERVAL needs its amount and unit in quotes, such as INTERVAL '2 days'"
        )
    if nxt is None or nxt.token_type != TokenType.STRING:
        return False
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    typmod = after is not None and after.token_type == TokenType.VAR
    if typmod and after is not None and after.text.lower() in _TYPMOD_FIELDS:
        raise UnsupportedError(
            f"INTERVAL '{nxt.text}' {after.text}: interval field restrictions are not "
            f"supported; write the unit inside the quotes "
            f"(INTERVAL '{nxt.text} {after.text.lower()}s')"
        )
    return True


def _extract_unit_at(tokens: list[Token], i: int) -> bool:
    """True when ``tokens[i]`` is the bare unit of ``EXTRACT(unit FROM ...)``."""
    return (
        2 <= i < len(tokens) - 1
        and tokens[i].token_type == TokenType.VAR
        and tokens[i + 1].token_type == TokenType.FROM
        and tokens[i - 1].token_type == TokenType.L_PAREN
        and tokens[i - 2].token_type == TokenType.VAR
        and tokens[i - 2].text.lower() == "extract"
    )


# --------------------------------------------------------------------------- macros

INTERVAL_PART = macro(
    "ddsql_interval_part",
    "(v, unit, first, before) AS CASE WHEN v = 0 THEN '' ELSE "
    "(CASE WHEN first THEN '' ELSE ' ' END) || (CASE WHEN before AND v > 0 THEN '+' ELSE '' END)"
    " || CAST(v AS VARCHAR) || ' ' || unit || (CASE WHEN v = 1 THEN '' ELSE 's' END) END",
)
INTERVAL_TEXT_PARTS = macro(
    "ddsql_interval_text_parts",
    "(y, mo, d, h, mi, s, us) AS "
    "ddsql_interval_part(y, 'year', true, false) "
    "|| ddsql_interval_part(mo, 'mon', y = 0, y < 0) "
    "|| ddsql_interval_part(d, 'day', y = 0 AND mo = 0, "
    "CASE WHEN mo <> 0 THEN mo < 0 ELSE y < 0 END) "
    "|| CASE WHEN (y = 0 AND mo = 0 AND d = 0) OR h <> 0 OR mi <> 0 OR s <> 0 OR us <> 0 THEN "
    "(CASE WHEN y = 0 AND mo = 0 AND d = 0 THEN '' ELSE ' ' END) "
    "|| (CASE WHEN h < 0 OR mi < 0 OR s < 0 OR us < 0 THEN '-' "
    "WHEN (CASE WHEN d <> 0 THEN d < 0 WHEN mo <> 0 THEN mo < 0 ELSE y < 0 END) THEN '+' "
    "ELSE '' END) "
    "|| printf('%02d:%02d:%02d', abs(h), abs(mi), abs(s)) "
    "|| CASE WHEN us = 0 THEN '' ELSE '.' || rtrim(printf('%06d', abs(us)), '0') END "
    "ELSE '' END",
)
INTERVAL_TEXT = macro(
    "ddsql_interval_text",
    "(i) AS CASE WHEN i IS NULL THEN NULL ELSE ddsql_interval_text_parts("
    "datepart('year', i), datepart('month', i), datepart('day', i), datepart('hour', i), "
    "datepart('minute', i), datepart('second', i), datepart('microseconds', i) % 1000000) END",
)
# PostgreSQL's timestamp_bin: origin + the stride multiple that floors (ts - origin).
DATE_BIN = macro(
    "ddsql_date_bin",
    "(stride, ts, origin) AS make_timestamp(epoch_us(ts) - "
    "(((epoch_us(ts) - epoch_us(origin)) % stride) + stride) % stride)",
)
# PostgreSQL's float8 to_timestamp: shift to its 2000 epoch, then rint to microseconds.
EPOCH_TIMESTAMP = macro(
    "ddsql_epoch_timestamp",
    "(x) AS CASE WHEN isnan(x) THEN ddsql_raise('timestamp cannot be NaN') "
    "WHEN x < -62135596800 OR x >= 253402300800 THEN ddsql_raise('to_timestamp(' || x || "
    "'): out of the range of years 1 to 9999') "
    "ELSE make_timestamp(CAST(roundbankers((x - 946684800.0) * 1000000.0, 0) AS BIGINT) "
    "+ 946684800000000) END",
)
# PostgreSQL's adjust_partial_year_to_2020 (YY read with fewer than four digits).
PARTIAL_YEAR = macro(
    "ddsql_partial_year",
    "(y) AS CASE WHEN y < 70 THEN y + 2000 WHEN y < 100 THEN y + 1900 "
    "WHEN y < 520 THEN y + 2000 WHEN y < 1000 THEN y + 1000 ELSE y END",
)
MAKE_TIMESTAMP = macro(
    "ddsql_make_timestamp",
    "(what, y, mo, d, h, clock12, pm, mi, sec, us) AS CASE "
    "WHEN y = 0 THEN ddsql_raise(what || ': no year (PostgreSQL would answer a year BC)') "
    "WHEN y > 9999 THEN ddsql_raise(what || ': year ' || y || ' is out of range') "
    "WHEN mo > 12 OR d > 31 OR d > day(last_day(make_date(y, greatest(mo, 1), 1))) "
    "THEN ddsql_raise(what || ': date/time field value out of range') "
    "WHEN clock12 AND (h < 1 OR h > 12) "
    "THEN ddsql_raise(what || ': hour \"' || h || '\" is invalid for the 12-hour clock') "
    "WHEN h > 23 OR mi > 59 OR sec > 59 OR us > 999999 "
    "THEN ddsql_raise(what || ': date/time field value out of range') "
    "ELSE make_timestamp(y, greatest(mo, 1), greatest(d, 1), "
    "CASE WHEN clock12 AND pm AND h < 12 THEN h + 12 WHEN clock12 AND NOT pm AND h = 12 THEN 0 "
    "ELSE h END, mi, 0) + to_microseconds(sec * 1000000 + us) END",
)
FIELD_INT = macro("ddsql_field_int", "(t) AS CASE WHEN t = '' THEN 0 ELSE CAST(t AS BIGINT) END")
TO_TIMESTAMP_FIELDS = macro(
    "ddsql_to_timestamp_fields",
    "(s, what, m) AS CASE WHEN s IS NULL THEN CAST(NULL AS TIMESTAMP) "
    "WHEN length(m.consumed) < length(s) "
    "THEN ddsql_raise(what || ': the text does not match the format at \"' "
    "|| substr(s, length(m.consumed) + 1, 20) || '\"') "
    "ELSE ddsql_make_timestamp(what, "
    "CASE WHEN m.year <> '' THEN ddsql_field_int(m.year) WHEN m.year2 = '' THEN 0 "
    "WHEN length(m.year2) < 4 THEN ddsql_partial_year(ddsql_field_int(m.year2)) "
    "ELSE ddsql_field_int(m.year2) END, "
    "ddsql_field_int(m.month), ddsql_field_int(m.day), "
    "ddsql_field_int(m.hour24) + ddsql_field_int(m.hour12), "
    "m.hour12 <> '' OR m.meridiem <> '', lower(m.meridiem) = 'pm', "
    "ddsql_field_int(m.minute), ddsql_field_int(m.second), "
    "ddsql_field_int(m.millisecond) * 1000 * CASE length(m.millisecond) "
    "WHEN 1 THEN 100 WHEN 2 THEN 10 ELSE 1 END) END",
)

_SPACE = "[ \\t\\n\\x0B\\f\\r]"
# Timestamp text DDSQL reads: ISO date, optional time, optional zero UTC offset.
_ZONE = "[Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|\\+00(?::?00)?"  # a zero offset; "-00" needs a time
TIMESTAMP_TEXT = (
    f"^{_SPACE}*([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}})(?:"
    f"(?:[Tt]|{_SPACE}+)([0-9]{{1,2}}):([0-9]{{2}})(?::([0-9]{{2}})(?:\\.([0-9]{{1,6}}))?)?"
    f"{_SPACE}*(?:(?:{_ZONE}|-00(?::?00)?){_SPACE}*)?"
    f"|{_SPACE}*(?:(?:{_ZONE}){_SPACE}*)?)$"
)
_TIMESTAMP_TEXT = re.compile(TIMESTAMP_TEXT)
_OFFSET = re.compile(r"(?:[+-][0-9]{2}(?::?[0-9]{2})?|[A-Za-z][A-Za-z/_]+)\s*$")
TEXT_TIMESTAMP_PARTS = macro(
    "ddsql_text_timestamp_parts",
    "(s, m) AS CASE WHEN s IS NULL THEN CAST(NULL AS TIMESTAMP) WHEN m.y = '' THEN "
    "ddsql_raise('cannot read ''' || s || ''' as a timestamp: DDSQL reads "
    "YYYY-MM-DD[ HH:MM[:SS[.ffffff]]] in UTC') "
    "WHEN ddsql_field_int(m.y) = 0 OR ddsql_field_int(m.mo) = 0 OR ddsql_field_int(m.d) = 0 "
    "THEN ddsql_raise('timestamp ''' || s || ''': date/time field value out of range') "
    "ELSE ddsql_make_timestamp('timestamp ''' || s || '''', ddsql_field_int(m.y), "
    "ddsql_field_int(m.mo), ddsql_field_int(m.d), ddsql_field_int(m.h), false, false, "
    "ddsql_field_int(m.mi), ddsql_field_int(m.sec), ddsql_field_int(rpad(m.frac, 6, '0'))) END",
)
TEXT_TIMESTAMP = macro(
    "ddsql_text_timestamp",
    "(s) AS ddsql_text_timestamp_parts(s, regexp_extract(CAST(s AS VARCHAR), "
    f"'{TIMESTAMP_TEXT}', ['y', 'mo', 'd', 'h', 'mi', 'sec', 'frac']))",
)


# --------------------------------------------------------------------------- literals


def parse_timestamp(text: str) -> datetime:
    """Timestamp text as DDSQL reads it (UTC): ``YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]]``,
    optionally followed by a zero offset (``Z``, ``+00``, ``+00:00``, ``UTC``). Raises
    :class:`UnsupportedError` for anything else, including non-zero offsets, which
    PostgreSQL would silently drop."""
    match = _TIMESTAMP_TEXT.match(text)
    if not match:
        if _TIMESTAMP_TEXT.match(_OFFSET.sub("", text)):
            raise UnsupportedError(
                f"timestamp {text!r}: DDSQL timestamps are UTC and a time zone offset "
                "would be ignored; write the UTC time without it"
            )
        raise UnsupportedError(
            f"timestamp {text!r}: DDSQL reads YYYY-MM-DD[ HH:MM[:SS[.ffffff]]] (UTC)"
        )
    y, mo, d, h, mi, s, frac = (g or "0" for g in match.groups())
    micros = int(frac.ljust(6, "0")) if match.group(7) else 0
    try:
        if int(h) > 23 or int(y) == 0:
            raise ValueError
        base = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s))
    except ValueError:
        raise UnsupportedError(f"timestamp {text!r}: date/time field out of range") from None
    return base + timedelta(microseconds=micros)


def timestamp_literal(value: datetime) -> exp.Expr:
    """An exact DuckDB TIMESTAMP literal."""
    return exp.Cast(this=exp.Literal.string(value.isoformat(sep=" ")), to=data_type("TIMESTAMP"))


def interval_literal(value: Interval) -> exp.Expr:
    """An exact DuckDB INTERVAL literal (full unit names, one integer per field; read
    again by this module it gives the same value)."""
    return exp.Cast(this=exp.Literal.string(value.duckdb_text()), to=data_type("INTERVAL"))


# --------------------------------------------------------------------------- kinds

_TEXT_TYPES = (exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.CHAR)
_NUMBER_TYPES = (
    exp.DType.BIGINT,
    exp.DType.INT,
    exp.DType.SMALLINT,
    exp.DType.TINYINT,
    exp.DType.DOUBLE,
    exp.DType.FLOAT,
    exp.DType.DECIMAL,
)
_TIMESTAMP_CALLS = {"ddsql_now", "ddsql_date_trunc", "ddsql_date_bin", "ddsql_to_timestamp"}


def kind(node: exp.Expr) -> str | None:
    """What a value is, for the time rules: "timestamp", "interval", "text", "number",
    "null", or None when unknown. Uses the annotated types and this module's calls."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Null):
        return "null"
    if isinstance(node, exp.Literal):
        return "text" if node.is_string else "number"
    if isinstance(node, exp.Anonymous) and node.name.lower() in _TIMESTAMP_CALLS:
        return "timestamp"
    if isinstance(node, exp.Anonymous) and node.name.lower() == "ddsql_to_char":
        return "text"
    if isinstance(node, exp.CurrentTimestamp):
        return "timestamp"
    if isinstance(node, exp.Extract):
        return "number"
    if isinstance(node, exp.Cast) and isinstance(node.to, exp.DataType):
        return _type_kind(node.to)
    if isinstance(node, (exp.Add, exp.Sub)):
        return _arith_kind(node)
    if isinstance(node, exp.Neg):
        return "interval" if kind(node.this) == "interval" else _type_kind(node.type)
    if isinstance(node, (exp.Mul, exp.Div)) and "interval" in (
        kind(node.this),
        kind(node.expression),
    ):
        return "interval"
    if isinstance(node, (exp.Min, exp.Max, exp.Coalesce)):
        for arg in [node.this, *node.expressions]:
            found = kind(arg) if arg is not None else None
            if found not in (None, "null", "text"):
                return found
    return _type_kind(node.type)


def _type_kind(typed: exp.DataType | None) -> str | None:
    if typed is None:
        return None
    if type_in(typed, (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPNTZ)):
        return "timestamp"
    if type_in(typed, (exp.DType.INTERVAL,)):
        return "interval"
    if type_in(typed, _TEXT_TYPES):
        return "text"
    if type_in(typed, _NUMBER_TYPES):
        return "number"
    if type_in(typed, (exp.DType.NULL,)):
        return "null"
    return None


def _arith_kind(node: exp.Add | exp.Sub) -> str | None:
    left, right = kind(node.this), kind(node.expression)
    pair = {left, right}
    if isinstance(node, exp.Add):
        if pair == {"timestamp", "interval"} or pair == {"timestamp", "text"}:
            return "timestamp"
        if left == right == "interval" or pair == {"interval", "text"}:
            return "interval"
        return _type_kind(node.type)
    if left == "timestamp" and right == "interval":
        return "timestamp"
    if pair <= {"timestamp", "text"} and "timestamp" in pair:
        return "interval"
    if pair <= {"interval", "text"} and "interval" in pair:
        return "interval"
    return _type_kind(node.type)


def _is_text_literal(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and node.is_string


def literal_as(node: exp.Expr, target: str) -> exp.Expr:
    """A text literal read as ``target`` ("timestamp" or "interval") like PostgreSQL
    reads an untyped literal next to a value of that type; other nodes unchanged."""
    if not _is_text_literal(node):
        return node
    if target == "timestamp":
        return timestamp_literal(parse_timestamp(node.this))
    return interval_literal(parse_interval(node.this))


# --------------------------------------------------------------------------- the rewrite

TIMESTAMP_PARTS = {
    "dow": "isodow",  # DDSQL: 1 (Monday) .. 7 (Sunday)
    "doy": "doy",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "second": "second",  # DDSQL: whole seconds
    "timezone_hour": "timezone_hour",  # 0: DDSQL timestamps are UTC
    "timezone_minute": "timezone_minute",
}
INTERVAL_PARTS = {
    unit: unit for unit in ("day", "hour", "minute", "second", "month", "quarter", "year")
}
TRUNC_UNITS = {
    **dict.fromkeys(("millisecond", "milliseconds"), "milliseconds"),
    **{
        spelling: unit
        for unit in ("second", "minute", "hour", "day", "week", "month", "quarter", "year")
        for spelling in (unit, unit + "s")
    },
}
_UNITS_TEXT = (
    "millisecond(s), second(s), minute(s), hour(s), day(s), week(s), month(s), quarter(s), year(s)"
)


def time_functions(node: exp.Expr) -> exp.Expr:
    """Every time rewrite (see the module docstring). Decisions use the original
    children (with their annotated types); the children are then rewritten too, since
    a replaced node's subtree is not visited again by the same pass."""
    handler = _HANDLERS.get(type(node))
    if handler is None:
        return node
    return handler(node)


def _deep(node: exp.Expr) -> exp.Expr:
    """``node`` (a child of a node being replaced) with every time rewrite applied. The
    rewrites are idempotent on their own output, so a subtree visited twice is safe."""
    return node.transform(time_functions, copy=False)


def _args(node: exp.Anonymous, counts: tuple[int, ...], usage: str) -> list[exp.Expr]:
    args = list(node.expressions)
    if len(args) not in counts:
        raise UnsupportedError(f"{usage}: wrong number of arguments")
    return args


def _unit_text(node: exp.Expr, function: str) -> str:
    if _is_text_literal(node) or isinstance(node, exp.Var):
        return str(node.this).lower()
    raise UnsupportedError(f"{function}: the unit must be written out, such as 'hour'")


def _extract(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Extract)
    unit = _unit_text(node.this, "EXTRACT")
    value = node.expression
    what = kind(value)
    if what == "interval":
        parts = INTERVAL_PARTS
    elif what == "timestamp":
        parts = TIMESTAMP_PARTS
    else:
        raise UnsupportedError(
            f"EXTRACT({unit} FROM ...) needs a timestamp or an interval; "
            f"{value.sql('postgres')[:60]} is {what or 'of unknown type'}"
        )
    if unit not in parts:
        listed = ", ".join(parts)
        raise UnsupportedError(
            f"EXTRACT({unit} FROM {'interval' if what == 'interval' else 'timestamp'}) is "
            f"not supported in DDSQL (units: {listed})"
        )
    return call("date_part", exp.Literal.string(parts[unit]), _deep(value))


def _date_trunc(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Anonymous)
    unit_node, value = _args(node, (2,), "date_trunc(unit, timestamp)")
    unit = _unit_text(unit_node, "date_trunc")
    if unit not in TRUNC_UNITS:
        raise UnsupportedError(
            f"date_trunc('{unit}', ...) is not supported in DDSQL (units: {_UNITS_TEXT})"
        )
    _need_timestamp(value, "date_trunc")
    return call("date_trunc", exp.Literal.string(TRUNC_UNITS[unit]), _timestamp_arg(value))


def _need_timestamp(value: exp.Expr, function: str, untyped_ok: bool = False) -> None:
    """Refuse a value that is not a timestamp. ``untyped_ok``: a bare NULL or text literal
    is read as a timestamp (PostgreSQL resolves it from the other arguments); elsewhere
    PostgreSQL finds the call ambiguous."""
    what = kind(value)
    if what == "timestamp" or (untyped_ok and (what == "null" or _is_text_literal(value))):
        return
    raise UnsupportedError(
        f"{function}() needs a timestamp; {value.sql('postgres')[:60]} is "
        f"{what or 'of unknown type'}"
    )


def _timestamp_arg(value: exp.Expr) -> exp.Expr:
    if isinstance(value, exp.Null):
        return exp.cast(exp.null(), data_type("TIMESTAMP"))
    return literal_as(_deep(value), "timestamp")


def _date_bin(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Anonymous)
    stride, source, origin = _args(node, (3,), "date_bin(stride, timestamp, origin)")
    inner = stride
    if isinstance(inner, exp.Cast) and inner.to.is_type(exp.DType.INTERVAL):
        inner = inner.this
    if isinstance(inner, exp.Null):
        return exp.cast(exp.null(), data_type("TIMESTAMP"))
    if not _is_text_literal(inner):
        raise UnsupportedError("date_bin(): the stride must be an interval literal")
    step = parse_interval(inner.this)
    if step.months:
        raise UnsupportedError(
            "date_bin(): timestamps cannot be binned into intervals containing months or years"
        )
    micros = step.days * USECS_PER_DAY + step.micros
    if micros <= 0:
        raise UnsupportedError("date_bin(): the stride must be greater than zero")
    _need_timestamp(source, "date_bin", untyped_ok=True)
    _need_timestamp(origin, "date_bin", untyped_ok=True)
    return call(
        DATE_BIN, exp.Literal.number(micros), _timestamp_arg(source), _timestamp_arg(origin)
    )


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _to_timestamp(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Anonymous)
    args = _args(node, (1, 2), "to_timestamp(epoch_seconds) or to_timestamp(text, format)")
    if len(args) == 1:
        value = args[0]
        what = kind(value)
        if what == "null":
            return exp.cast(exp.null(), data_type("TIMESTAMP"))
        if _is_text_literal(value):
            seconds = _float(value.this)
            if seconds is None or not math.isfinite(seconds):
                raise UnsupportedError(
                    f"to_timestamp({value.sql('postgres')}): not a (finite) number of seconds"
                )
            value = exp.Literal.number(repr(seconds))
        elif what != "number":
            raise UnsupportedError(
                f"to_timestamp() takes seconds since 1970 (a number) or (text, format); "
                f"{value.sql('postgres')[:60]} is {what or 'of unknown type'}"
            )
        return call(EPOCH_TIMESTAMP, exp.cast(_deep(value), data_type("DOUBLE")))
    text, fmt = args
    if isinstance(fmt, exp.Null) or isinstance(text, exp.Null):
        return exp.cast(exp.null(), data_type("TIMESTAMP"))
    if not _is_text_literal(fmt):
        raise UnsupportedError("to_timestamp(text, format): the format must be a literal")
    if kind(text) not in ("text", None):
        raise UnsupportedError(
            f"to_timestamp(text, format) reads text; {text.sql('postgres')[:60]} is {kind(text)}"
        )
    pattern = to_timestamp_regex(fmt.this)
    names = exp.Array(expressions=[exp.Literal.string(n) for n in ("consumed", *pattern.groups)])
    assert set(pattern.groups) == set(FIELDS)
    source = _deep(text)
    label = exp.Literal.string(f"to_timestamp(text, '{fmt.this}')")
    return call(
        TO_TIMESTAMP_FIELDS,
        source,
        label,
        call("regexp_extract", source.copy(), exp.Literal.string(pattern.regex), names),
    )


def _to_char(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Anonymous)
    value, fmt = _args(node, (2,), "to_char(timestamp, format)")
    _need_timestamp(value, "to_char")
    if isinstance(fmt, exp.Null):
        return exp.cast(exp.null(), data_type("VARCHAR"))
    if not _is_text_literal(fmt):
        raise UnsupportedError("to_char(timestamp, format): the format must be a literal")
    parts = to_char_parts(fmt.this)
    if not parts:  # PostgreSQL: an empty format gives NULL
        return exp.cast(exp.null(), data_type("VARCHAR"))
    stamp = _deep(value)
    pieces: list[exp.Expr] = []
    for part in parts:
        if part.kind == "strftime":
            pieces.append(call("strftime", stamp.copy(), exp.Literal.string(part.text)))
        else:
            pieces.append(call("lower", call("strftime", stamp.copy(), exp.Literal.string("%p"))))
    result = pieces[0]
    for piece in pieces[1:]:
        result = exp.DPipe(this=result, expression=piece, safe=True)
    return exp.paren(result) if len(pieces) > 1 else result


def _now(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Anonymous) and node.expressions:
        raise UnsupportedError("now() takes no arguments")
    if isinstance(node, exp.CurrentTimestamp) and node.this is not None:
        raise UnsupportedError("CURRENT_TIMESTAMP takes no precision in DDSQL")
    # The transaction's start (the query's), as a UTC TIMESTAMP whatever the zone setting.
    return call("make_timestamp", call("epoch_us", call("now")))


def _anonymous(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Anonymous)
    handler = _CALLS.get(str(node.name).lower())
    return handler(node) if handler is not None else node


def _cast(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Cast)
    to, value = node.to, node.this
    what = kind(value)
    if type_in(to, (exp.DType.INTERVAL,)):
        if what in ("interval", "null"):
            return node
        if _is_text_literal(value):
            return interval_literal(parse_interval(value.this))
        raise UnsupportedError(
            "casts to interval are supported for literal text only, such as '2 hours'::interval"
        )
    if type_in(to, (exp.DType.TIMESTAMP,)):
        if what in ("timestamp", "null"):
            return node
        if _is_text_literal(value):
            return timestamp_literal(parse_timestamp(value.this))
        if what in ("text", None):
            return call(TEXT_TIMESTAMP, _deep(value))
        raise UnsupportedError(f"cannot cast {what} to timestamp")
    if type_in(to, _TEXT_TYPES) and what == "interval":
        return call(INTERVAL_TEXT, _deep(value))
    if what in ("timestamp", "interval") and not type_in(to, _TEXT_TYPES):
        # PostgreSQL has no such cast (DuckDB would answer, e.g. a timestamp as JSON)
        raise UnsupportedError(f"cannot cast {what} to {to.sql('postgres').lower()}")
    return node


def _comparison(node: exp.Expr) -> exp.Expr:
    """Text literals compared with a timestamp or an interval are read as one."""
    assert isinstance(node, exp.Binary)
    left, right = kind(node.this), kind(node.expression)
    for side, other in (("expression", left), ("this", right)):
        if other in ("timestamp", "interval") and _is_text_literal(node.args[side]):
            node.set(side, literal_as(node.args[side], other))
    return node


def _between(node: exp.Expr) -> exp.Expr:
    what = kind(node.this)
    if what in ("timestamp", "interval"):
        for side in ("low", "high"):
            node.set(side, literal_as(node.args[side], what))
    return node


def _in(node: exp.Expr) -> exp.Expr:
    what = kind(node.this)
    if what in ("timestamp", "interval"):
        node.set("expressions", [literal_as(e, what) for e in node.expressions])
    return node


def _coalesce(node: exp.Expr) -> exp.Expr:
    what = kind(node)
    if what in ("timestamp", "interval"):
        node.set("this", literal_as(node.this, what))
        node.set("expressions", [literal_as(e, what) for e in node.expressions])
    return node


def _arithmetic(node: exp.Expr) -> exp.Expr:
    """PostgreSQL's types for a text literal in ``+``/``-``: ``ts + 'x'`` and
    ``interval +/- 'x'`` read an interval, ``ts - 'x'`` and ``'x' - ts`` a timestamp."""
    assert isinstance(node, (exp.Add, exp.Sub))
    left, right = kind(node.this), kind(node.expression)
    if isinstance(node, exp.Add):
        for side, other in (("expression", left), ("this", right)):
            if other in ("timestamp", "interval"):
                node.set(side, literal_as(node.args[side], "interval"))
        return node
    for side, other in (("expression", left), ("this", right)):
        if other in ("timestamp", "interval"):
            node.set(side, literal_as(node.args[side], other))
    return node


def _concat(node: exp.Expr) -> exp.Expr:
    """``interval || text`` prints the interval as PostgreSQL does."""
    assert isinstance(node, exp.DPipe)
    for side in ("this", "expression"):
        operand = node.args[side]
        if kind(operand) == "interval":
            node.set(side, call(INTERVAL_TEXT, _deep(operand)))
    return node


_CALLS: dict[str, Callable[[exp.Expr], exp.Expr]] = {
    "ddsql_date_trunc": _date_trunc,
    "ddsql_date_bin": _date_bin,
    "ddsql_to_timestamp": _to_timestamp,
    "ddsql_to_char": _to_char,
    "ddsql_now": _now,
}
_HANDLERS: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {
    exp.Extract: _extract,
    exp.Anonymous: _anonymous,
    exp.CurrentTimestamp: _now,
    exp.Cast: _cast,
    exp.EQ: _comparison,
    exp.NEQ: _comparison,
    exp.GT: _comparison,
    exp.GTE: _comparison,
    exp.LT: _comparison,
    exp.LTE: _comparison,
    exp.Between: _between,
    exp.In: _in,
    exp.Coalesce: _coalesce,
    exp.Add: _arithmetic,
    exp.Sub: _arithmetic,
    exp.DPipe: _concat,
}

# time_functions changes the nodes it has a handler for, and of calls only those in _CALLS.
REWRITES: tuple[Rewrite, ...] = (
    rewrites(*(k for k in _HANDLERS if k is not exp.Anonymous), calls=_CALLS)(time_functions),
)
FUNCTIONS: dict[type[exp.Expr], str] = {
    exp.Extract: "extract",
    exp.CurrentTimestamp: "current_timestamp",
}
ANONYMOUS: set[str] = set(RAW_CALLS.values())
