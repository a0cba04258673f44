"""PostgreSQL 15 interval input, read exactly into (months, days, microseconds), printed as
PostgreSQL prints it and as an exact DuckDB literal. :func:`parse_interval` ports the parts
of PostgreSQL's ``DecodeInterval`` with one clear meaning and refuses the rest, never
reading a different amount (docs/design.md, "Intervals and format patterns").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import UnsupportedError

USECS_PER_SEC = 1_000_000
USECS_PER_MINUTE = 60 * USECS_PER_SEC
USECS_PER_HOUR = 60 * USECS_PER_MINUTE
USECS_PER_DAY = 24 * USECS_PER_HOUR
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
TOKMAXLEN = 10  # PostgreSQL compares unit names on their first ten characters

# PostgreSQL 15's deltatktbl: unit spelling -> unit. "ago" is handled separately.
UNITS: dict[str, str] = {
    **dict.fromkeys(("c", "cent", "centuries", "century"), "century"),
    **dict.fromkeys(("d", "day", "days"), "day"),
    **dict.fromkeys(("dec", "decade", "decades", "decs"), "decade"),
    **dict.fromkeys(("h", "hour", "hours", "hr", "hrs"), "hour"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minute"),
    **dict.fromkeys(("microsecon", "us", "usec", "usecond", "useconds", "usecs"), "microsecond"),
    **dict.fromkeys(("mil", "millennia", "millennium", "mils"), "millennium"),
    **dict.fromkeys(("millisecon", "ms", "msec", "msecond", "mseconds", "msecs"), "millisecond"),
    **dict.fromkeys(("mon", "mons", "month", "months"), "month"),
    **dict.fromkeys(("s", "sec", "second", "seconds", "secs"), "second"),
    **dict.fromkeys(("w", "week", "weeks"), "week"),
    **dict.fromkeys(("y", "year", "years", "yr", "yrs"), "year"),
}
# Units PostgreSQL knows but refuses in an interval (quarter, time zone).
_REFUSED_UNITS = {"qtr", "quarter", "timezone", "timezone_h", "timezone_m"}

# Field bits, as DTK_M(...) in PostgreSQL: a field may be given once.
_BITS = {
    name: 1 << i
    for i, name in enumerate(
        (
            "microsecond",
            "millisecond",
            "second",
            "minute",
            "hour",
            "day",
            "week",
            "month",
            "year",
            "decade",
            "century",
            "millennium",
        )
    )
}
_ALL_SECONDS = _BITS["second"] | _BITS["millisecond"] | _BITS["microsecond"]
_TIME_BITS = _BITS["hour"] | _BITS["minute"] | _ALL_SECONDS
_USECS = {
    "microsecond": 1,
    "millisecond": 1000,
    "second": USECS_PER_SEC,
    "minute": USECS_PER_MINUTE,
    "hour": USECS_PER_HOUR,
}
_YEARS = {"year": 1, "decade": 10, "century": 100, "millennium": 1000}

_TIME = re.compile(r"^(\d+):(\d+)(?::(\d+))?(\.\d+)?$")
_NUMBER = re.compile(r"^([+-]?)(\d*)(?:(\.\d*)|-(\d+))?$")


@dataclass(frozen=True)
class Interval:
    """An interval as PostgreSQL and DuckDB store it: months, days, microseconds."""

    months: int
    days: int
    micros: int

    def duckdb_text(self) -> str:
        """Text DuckDB's interval parser reads as exactly this value (full unit names,
        one integer per field): ``'14 months -3 days 12345 microseconds'``."""
        micros = f"{self.micros} microseconds"
        if self.micros == INT64[0]:  # DuckDB reads the number before its sign
            micros = f"{self.micros + 1} microseconds -1 microseconds"
        parts = [f"{self.months} months", f"{self.days} days", micros]
        kept = [p for p, v in zip(parts, (self.months, self.days, self.micros)) if v]
        return " ".join(kept) or "0 microseconds"


def pg_interval_text(months: int, days: int, micros: int) -> str:
    """PostgreSQL's ``EncodeInterval`` (IntervalStyle ``postgres``): ``1 year 2 mons
    -3 days +04:05:06.5``. The same rules as the ``ddsql_interval_text`` macro."""
    year, mon = _tdiv(months, 12), _trem(months, 12)
    hour = _tdiv(micros, USECS_PER_HOUR)
    rest = _trem(micros, USECS_PER_HOUR)
    minute, rest = _tdiv(rest, USECS_PER_MINUTE), _trem(rest, USECS_PER_MINUTE)
    sec, fsec = _tdiv(rest, USECS_PER_SEC), _trem(rest, USECS_PER_SEC)
    out, is_zero, is_before = "", True, False
    for value, unit in ((year, "year"), (mon, "mon"), (days, "day")):
        if value == 0:
            continue
        out += ("" if is_zero else " ") + ("+" if is_before and value > 0 else "")
        out += f"{value} {unit}{'' if value == 1 else 's'}"
        is_before, is_zero = value < 0, False
    if is_zero or hour or minute or sec or fsec:
        minus = hour < 0 or minute < 0 or sec < 0 or fsec < 0
        out += ("" if is_zero else " ") + ("-" if minus else ("+" if is_before else ""))
        out += f"{abs(hour):02d}:{abs(minute):02d}:{abs(sec):02d}"
        if fsec:
            out += "." + f"{abs(fsec):06d}".rstrip("0")
    return out


def _tdiv(a: int, b: int) -> int:
    """C integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _trem(a: int, b: int) -> int:
    """C remainder (sign of the dividend)."""
    return a - b * _tdiv(a, b)


def _refuse(text: str, why: str) -> UnsupportedError:
    return UnsupportedError(f"interval {text!r}: {why}")


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class _Field:
    kind: str  # "number" | "time" | "signed" (sign + digits...) | "word"
    text: str


def split_fields(text: str) -> list[_Field]:
    """PostgreSQL's ``ParseDateTime`` for interval text, limited to the forms above."""
    fields: list[_Field] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            i += 1
        elif _isdigit(ch):
            field = _digit_field(text, i)
            fields.append(field)
            i += len(field.text)
        elif ch == ".":
            j = _digits(text, i + 1)
            fields.append(_Field("number", text[i:j]))
            i = j
        elif _isalpha(ch):
            j = i
            while j < n and _isalpha(text[j]):
                j += 1
            if j < n and (text[j] in "-/.+" or _isdigit(text[j])):
                raise _refuse(text, f"cannot read {text[i : j + 1]!r}")
            fields.append(_Field("word", text[i:j].lower()))
            i = j
        elif ch in "+-":
            j = i + 1
            while j < n and text[j] in _SPACE:
                j += 1
            if j >= n or not _isdigit(text[j]):
                raise _refuse(text, f"cannot read {text[i:]!r}")
            k = j
            while k < n and (_isdigit(text[k]) or text[k] in ":.-"):
                k += 1
            fields.append(_Field("signed", ch + text[j:k]))
            i = k
        elif "!" <= ch <= "~":  # other punctuation separates fields
            i += 1
        else:
            raise _refuse(text, f"cannot read {text[i:]!r}")
    return fields


def _digit_field(text: str, i: int) -> _Field:
    """A field that starts with a digit: a number, a time, ``y-m`` or ``n.frac``."""
    n = len(text)
    j = _digits(text, i)
    if j < n and text[j] == ":":
        k = j + 1
        while k < n and (_isdigit(text[k]) or text[k] in ":."):
            k += 1
        return _Field("time", text[i:k])
    if j < n and text[j] in "-/.":
        delim = text[j]
        k = _digits(text, j + 1)
        if k > j + 1 and delim != "/" and not (k < n and text[k] == delim):
            return _Field("number", text[i:k])
        if k == j + 1 and delim == "." and not (k < n and (text[k].isalnum() or text[k] == ".")):
            return _Field("number", text[i:k])  # "5." is 5
        raise _refuse(text, f"cannot read {text[i:]!r}")
    return _Field("number", text[i:j])


_SPACE = " \t\n\r\v\f"


def _isdigit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _isalpha(ch: str) -> bool:
    return "a" <= ch <= "z" or "A" <= ch <= "Z"


def _digits(text: str, i: int) -> int:
    while i < len(text) and _isdigit(text[i]):
        i += 1
    return i


# --------------------------------------------------------------------------- decoding


class _Acc:
    """PostgreSQL's ``pg_itm_in``: the fields being summed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.usec = 0
        self.days = 0
        self.months = 0
        self.mask = 0

    def claim(self, bits: int) -> None:
        if bits & self.mask:
            raise _refuse(self.text, "a field is given twice")
        self.mask |= bits

    def fract_usec(self, frac: float, scale: int) -> None:
        """``AdjustFractMicroseconds``."""
        if frac == 0:
            return
        frac *= scale
        usec = math.trunc(frac)
        frac -= usec
        self.usec += usec + round(frac)

    def fract_days(self, frac: float, scale: int) -> None:
        """``AdjustFractDays``."""
        if frac == 0:
            return
        frac *= scale
        extra = math.trunc(frac)
        self.fract_usec(frac - extra, USECS_PER_DAY)
        self.days += extra


def parse_interval(text: str) -> Interval:
    """The exact value of PostgreSQL interval input ``text`` (see the module docstring).

    Raises :class:`UnsupportedError` naming the text for anything outside those forms.
    """
    fields = split_fields(text)
    if not fields:
        raise _refuse(text, "no amount")
    _check_order(text, fields)
    acc = _Acc(text)
    ago = fields[-1].kind == "word" and fields[-1].text == "ago"
    if ago:
        fields = fields[:-1]
    unit: str | None = None  # the unit the next number (to the left) gets
    for f in reversed(fields):
        if f.kind == "word":
            unit = UNITS[f.text[:TOKMAXLEN]]
            continue
        if f.kind == "time" or (f.kind == "signed" and ":" in f.text):
            _time_field(acc, f.text)
            unit = "day"
            continue
        unit = _number_field(acc, f.text, unit or "second")
    if acc.mask == 0:
        raise _refuse(text, "no amount")
    if ago:
        acc.usec, acc.days, acc.months = -acc.usec, -acc.days, -acc.months
    if not (
        INT32[0] <= acc.months <= INT32[1]
        and INT32[0] <= acc.days <= INT32[1]
        and INT64[0] <= acc.usec <= INT64[1]
    ):
        raise _refuse(text, "out of range")
    return Interval(acc.months, acc.days, acc.usec)


def _check_order(text: str, fields: list[_Field]) -> None:
    """Units follow a number; ``ago`` comes last, after a unit or a time."""
    for i, f in enumerate(fields):
        if f.kind != "word":
            continue
        prev = fields[i - 1] if i else None
        if f.text == "ago":
            # after a unit, a time or years-months; a bare number would have no unit
            bare = prev is not None and prev.kind in ("number", "signed")
            if bare and prev is not None and not any(c in prev.text[1:] for c in ":-"):
                prev = None
            if i != len(fields) - 1 or prev is None:
                raise _refuse(text, "'ago' must end the interval, after a unit")
            continue
        key = f.text[:TOKMAXLEN]
        if key in _REFUSED_UNITS:
            raise _refuse(text, f"unit {f.text!r} is not allowed in an interval")
        if key not in UNITS:
            raise _refuse(text, f"unknown unit {f.text!r}")
        if prev is None or prev.kind in ("word", "time") or ":" in prev.text:
            raise _refuse(text, f"unit {f.text!r} must follow a number")
        if "-" in prev.text[1:]:
            raise _refuse(text, f"unit {f.text!r} after years-months {prev.text!r}")


def _time_field(acc: _Acc, field: str) -> None:
    """``[sign]h:mm[:ss[.frac]]`` or ``m:ss.frac`` (PostgreSQL's ``DecodeTimeCommon``)."""
    sign = -1 if field[0] == "-" else 1
    body = field[1:] if field[0] in "+-" else field
    match = _TIME.match(body)
    if not match:
        raise _refuse(acc.text, f"cannot read the time {field!r}")
    hour, minute = int(match.group(1)), int(match.group(2))
    sec = int(match.group(3)) if match.group(3) is not None else 0
    fsec = round(float(match.group(4)) * USECS_PER_SEC) if match.group(4) else 0
    if match.group(3) is None and match.group(4):  # m:ss.frac
        hour, minute, sec = 0, hour, minute
    if minute > 59 or sec > 60 or fsec > USECS_PER_SEC:
        raise _refuse(acc.text, f"time {field!r} is out of range")
    if acc.usec:  # PostgreSQL would overwrite what the fields to its right gave
        raise _refuse(acc.text, f"a time ({field!r}) before a fraction of a day is ambiguous")
    acc.claim(_TIME_BITS)
    acc.usec = sign * (hour * USECS_PER_HOUR + minute * USECS_PER_MINUTE + sec * 1_000_000 + fsec)


def _number_field(acc: _Acc, field: str, unit: str) -> str:
    """One number with its unit; returns the unit for the next number to the left."""
    match = _NUMBER.match(field)
    if not match or not (match.group(2) or (match.group(3) or "").strip(".")):
        raise _refuse(acc.text, f"cannot read the number {field!r}")
    negative = match.group(1) == "-"
    whole = int(match.group(2) or "0") * (-1 if negative else 1)
    frac = 0.0
    if match.group(3) and match.group(3) != ".":
        frac = float(match.group(3)) * (-1 if negative else 1)
    if match.group(4) is not None:  # SQL years-months
        months = int(match.group(4))
        if months > 11:
            raise _refuse(acc.text, f"{field!r}: months must be 0 to 11")
        acc.claim(_BITS["month"])
        acc.months += whole * 12 + (-months if negative else months)
        return "month"
    if unit in _USECS:
        scale = _USECS[unit]
        acc.claim(_ALL_SECONDS if unit == "second" and frac else _BITS[unit])
        acc.usec += whole * scale
        acc.fract_usec(frac, scale)
        return "day" if unit == "hour" else unit
    acc.claim(_BITS[unit])
    if unit == "day":
        acc.days += whole
        acc.fract_usec(frac, USECS_PER_DAY)
    elif unit == "week":
        acc.days += whole * 7
        acc.fract_days(frac, 7)
    elif unit == "month":
        acc.months += whole
        acc.fract_days(frac, 30)
    else:
        scale = _YEARS[unit]
        acc.months += whole * scale * 12 + round(frac * scale * 12)
    return unit
