"""DDSQL time: NOW, EXTRACT, DATE_TRUNC, DATE_BIN, TO_TIMESTAMP, TO_CHAR, and timestamp and
interval text, with DDSQL's documented meaning, else PostgreSQL 15's; the rest is refused
(docs/dialect.md, "Time"). The calls arrive renamed ``ddsql_*`` by the parser's pre-pass
(:mod:`.tokens`). Arithmetic is DuckDB's; only text literals in it are read here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlglot import exp

from ..errors import UnsupportedError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import call, data_type, pg_sql, type_in
from .preview_tokens import PREVIEW, relative_text
from .refusals import Refusal
from .runtime import (
    DATE_BIN,
    EPOCH_TIMESTAMP,
    INTERVAL_AVG,
    INTERVAL_DAYS,
    INTERVAL_LIST_DAYS,
    INTERVAL_LIST_MICROS,
    INTERVAL_LIST_MONTHS,
    INTERVAL_MICROS,
    INTERVAL_MONTHS,
    INTERVAL_OF,
    INTERVAL_OUT,
    INTERVAL_TEXT,
    MAX_OFFSET_HOURS,
    TEXT_TIMESTAMP,
    TIMESTAMP_TEXT,
    TO_TIMESTAMP_FIELDS,
)
from .tokens import RAW_CALLS

if TYPE_CHECKING:
    from .intervals import Interval

_TIMESTAMP_TEXT = re.compile(TIMESTAMP_TEXT)
# What ends a timestamp text that DDSQL does not read as its offset: a sign and digits,
# or a time zone name.
_OFFSET = re.compile(r"(?:[+-][0-9:]+|[A-Za-z][A-Za-z0-9/_+-]*)\s*$")
_SHAPE = "YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][+HH:MM], UTC unless an offset is given"


# --------------------------------------------------------------------------- literals


def read_timestamp_literal(text: str) -> datetime:
    """The UTC timestamp a literal's text denotes, as DDSQL reads it:
    ``YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]]``, optionally followed by a UTC offset: ``Z``,
    ``UTC``, ``GMT``, or after a time ``+HH``, ``+HHMM``, ``+HH:MM`` (either sign, hours
    up to 15), which makes it that instant in UTC (``...00:00-04:00`` is 04:00 UTC; a
    documented deviation: PostgreSQL drops the offset). Raises :class:`UnsupportedError`
    for anything else, naming a malformed offset or a time zone name."""
    match = _TIMESTAMP_TEXT.match(text)
    if not match:
        raise UnsupportedError(_unread_timestamp(text))
    y, mo, d, h, mi, s, frac, sign, oh, om = (g or "0" for g in match.groups())
    micros = int(frac.ljust(6, "0")) if match.group(7) else 0
    try:
        if int(h) > 23 or int(y) == 0:
            raise ValueError
        base = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s))
    except ValueError:
        raise UnsupportedError(f"timestamp {text!r}: date/time field out of range") from None
    if int(oh) > MAX_OFFSET_HOURS or int(om) > 59:
        raise UnsupportedError(f"timestamp {text!r}: time zone displacement out of range")
    offset = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    try:
        return base + timedelta(microseconds=micros) - offset
    except OverflowError:
        raise UnsupportedError(f"timestamp {text!r}: out of range in UTC") from None


def _unread_timestamp(text: str) -> str:
    """Why ``text`` is no timestamp DDSQL reads: its offset or zone (when the rest is a
    timestamp), else its shape."""
    ending = _OFFSET.search(text)
    if ending is not None and _TIMESTAMP_TEXT.match(text[: ending.start()]):
        written = ending.group(0).strip()
        if written[0].isalpha():
            why = f"the time zone {written!r} is not supported; write its UTC offset"
        elif ":" not in text[: ending.start()]:
            why = f"an offset ({written!r}) needs a time of day"
        else:
            why = f"the offset {written!r} is not one DDSQL reads"
        return f"timestamp {text!r}: {why} ({_SHAPE})"
    hint = f"; relative timestamps are {PREVIEW}" if relative_text(text) else ""
    return f"timestamp {text!r}: DDSQL reads {_SHAPE}{hint}"


def timestamp_literal(value: datetime) -> exp.Expr:
    """An exact DuckDB TIMESTAMP literal."""
    return exp.Cast(this=exp.Literal.string(value.isoformat(sep=" ")), to=data_type("TIMESTAMP"))


def _parse_interval(text: str) -> Interval:
    from .intervals import parse_interval  # on first use: start-up

    return parse_interval(text)


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
    if isinstance(node, exp.Window):
        return kind(node.this)
    if isinstance(node, (exp.Sum, exp.Avg)) and kind(_summed(node)) == "interval":
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
        return timestamp_literal(read_timestamp_literal(node.this))
    return interval_literal(_parse_interval(node.this))


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
        raise Refusal(
            f"EXTRACT({unit} FROM ...) needs a timestamp or an interval; "
            f"{{value}} is {what or 'of unknown type'}",
            value,
            parts={"value": value},
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
    raise Refusal(
        f"{function}() needs a timestamp; {{value}} is {what or 'of unknown type'}",
        value,
        parts={"value": value},
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
    step = _parse_interval(inner.this)
    if step.months:
        raise UnsupportedError(
            "date_bin(): timestamps cannot be binned into intervals containing months or years"
        )
    from .intervals import USECS_PER_DAY

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
                raise Refusal(
                    "to_timestamp({value}): not a (finite) number of seconds",
                    value,
                    parts={"value": value},
                )
            value = exp.Literal.number(repr(seconds))
        elif what != "number":
            raise Refusal(
                "to_timestamp() takes seconds since 1970 (a number) or (text, format); "
                f"{{value}} is {what or 'of unknown type'}",
                value,
                parts={"value": value},
            )
        return call(EPOCH_TIMESTAMP, exp.cast(_deep(value), data_type("DOUBLE")))
    text, fmt = args
    if isinstance(fmt, exp.Null) or isinstance(text, exp.Null):
        return exp.cast(exp.null(), data_type("TIMESTAMP"))
    if not _is_text_literal(fmt):
        raise UnsupportedError("to_timestamp(text, format): the format must be a literal")
    if kind(text) not in ("text", None):
        raise Refusal(
            f"to_timestamp(text, format) reads text; {{value}} is {kind(text)}",
            text,
            parts={"value": text},
        )
    from .pgformat import FIELDS, to_timestamp_regex

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
    from .pgformat import to_char_parts

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
            return interval_literal(_parse_interval(value.this))
        raise UnsupportedError(
            "casts to interval are supported for literal text only, such as '2 hours'::interval"
        )
    if type_in(to, (exp.DType.TIMESTAMP,)):
        if what in ("timestamp", "null"):
            return node
        if _is_text_literal(value):
            return timestamp_literal(read_timestamp_literal(value.this))
        if what in ("text", None):
            return call(TEXT_TIMESTAMP, _deep(value))
        raise UnsupportedError(f"cannot cast {what} to timestamp")
    if type_in(to, _TEXT_TYPES) and what == "interval":
        return call(INTERVAL_TEXT, _deep(value))
    if what == "timestamp" and type_in(to, (exp.DType.DATE,)):
        return node  # its day, as PostgreSQL's (a date: DDSQL Preview only)
    if what in ("timestamp", "interval") and not type_in(to, _TEXT_TYPES):
        # PostgreSQL has no such cast (DuckDB would answer, e.g. a timestamp as JSON)
        raise UnsupportedError(f"cannot cast {what} to {pg_sql(to).lower()}")
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


def _summed(node: exp.Expr) -> exp.Expr:
    """The argument of ``sum``/``avg`` (inside DISTINCT when it is one)."""
    value: exp.Expr = node.this
    if isinstance(value, exp.Distinct) and len(value.expressions) == 1:
        only: exp.Expr = value.expressions[0]
        return only
    return value


def _sum(node: exp.Expr) -> exp.Expr:
    """``sum(interval)``, which DuckDB lacks, as PostgreSQL's: each field (months, days,
    microseconds) summed on its own (``1 mon 40 days 24:59:57``, never justified);
    ``avg(interval)``, which DuckDB computes in doubles, as PostgreSQL's sum divided by
    the count. In a window the window is repeated around each aggregate
    (:func:`_window`)."""
    window = node.parent
    if isinstance(window, exp.Window) and node.arg_key == "this":
        return node  # _window's
    assert isinstance(node, (exp.Sum, exp.Avg))
    return _interval_aggregate(node, lambda total: total)


def _window(node: exp.Expr) -> exp.Expr:
    assert isinstance(node, exp.Window)
    inner: exp.Expr = node.this
    if not (isinstance(inner, (exp.Sum, exp.Avg)) and kind(_summed(inner)) == "interval"):
        return node

    def over(aggregate: exp.Expr) -> exp.Expr:
        window = node.copy()
        window.set("this", aggregate)
        return window

    return _interval_aggregate(inner, over)


def _interval_aggregate(node: exp.Sum | exp.Avg, over: Callable[[exp.Expr], exp.Expr]) -> exp.Expr:
    value = _summed(node)
    if kind(value) != "interval":
        return node
    value = _deep(value)
    distinct = isinstance(node.this, exp.Distinct)
    if distinct:  # the fields of the distinct intervals, not the distinct fields
        listed = exp.ArrayAgg(this=exp.Distinct(expressions=[value.copy()]))
        fields = (INTERVAL_LIST_MONTHS, INTERVAL_LIST_DAYS, INTERVAL_LIST_MICROS)
        totals = [call(field, over(listed.copy())) for field in fields]
    else:
        fields = (INTERVAL_MONTHS, INTERVAL_DAYS, INTERVAL_MICROS)
        totals = [over(exp.Sum(this=call(field, value.copy()))) for field in fields]
    if isinstance(node, exp.Sum):
        return call(INTERVAL_OF, *totals)
    counted = exp.Distinct(expressions=[value]) if distinct else value
    return call(INTERVAL_AVG, *totals, over(exp.Count(this=counted)))


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
    exp.Sum: _sum,
    exp.Avg: _sum,
    exp.Window: _window,
}


@rewrites(exp.Select)
def interval_outputs(node: exp.Expr) -> exp.Expr:
    """An interval column of the query's result fails when Arrow cannot carry it (runtime
    ``INTERVAL_OUT``), rather than wrap around."""
    if not isinstance(node, exp.Select) or not _is_output(node):
        return node
    for projection in node.expressions:
        value = projection.this if isinstance(projection, exp.Alias) else projection
        if kind(value) != "interval":
            continue
        literal = value.this if isinstance(value, exp.Cast) else None
        if isinstance(literal, exp.Literal) and literal.is_string:
            if abs(_parse_interval(literal.this).micros) > ARROW_INTERVAL_MICROS:
                raise Refusal(_INTERVAL_OUT_OF_RANGE, literal)
            continue  # known to fit
        if isinstance(value, exp.Sub) and "interval" not in (
            kind(value.this),
            kind(value.expression),
        ):
            continue  # timestamp - timestamp: whole days in days, less than one in time
        value.replace(call(INTERVAL_OUT, value.copy()))
    return node


# The largest time part (microseconds) of an interval Arrow carries: runtime INTERVAL_OUT.
ARROW_INTERVAL_MICROS = (2**63 - 1) // 1000
_INTERVAL_OUT_OF_RANGE = "interval out of range: a result holds times of up to 2562047:47:16.854775"


def _is_output(select: exp.Select) -> bool:
    """Does ``select`` give the query's result rows (alone or as a branch of UNIONs)?"""
    parent = select.parent
    while isinstance(parent, (exp.SetOperation, exp.Subquery)):
        parent = parent.parent
    return parent is None


# time_functions changes the nodes it has a handler for, and of calls only those in _CALLS.
REWRITES: tuple[Rewrite, ...] = (
    interval_outputs,
    rewrites(*(k for k in _HANDLERS if k is not exp.Anonymous), calls=_CALLS)(time_functions),
)
FUNCTIONS: Functions = {
    **{name: (renamed,) for name, renamed in RAW_CALLS.items()},  # now, date_trunc, ...
    "extract": (exp.Extract,),
    # bound to a query parameter before validation (translate.bind_settings)
    "current_setting": (),
}
SYNTAX: Syntax = {exp.CurrentTimestamp: "current_timestamp"}
