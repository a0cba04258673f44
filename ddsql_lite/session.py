"""A connection's session: the time frame ``CURRENT_SETTING('dd.time_frame_*')`` reads,
and the ``SET`` and ``SHOW`` statements on it.

By default the time frame is the last hour ending when a query starts. ``SET
dd.time_frame_start = '...'`` (and ``_end``) fixes either end to an ISO timestamp;
:meth:`Session.set_time_frame`, the ``time_frame`` option and the shell's ``\\timeframe``
(:func:`parse_time_frame`) also take relative ends, ``now`` and ``now-7d``, and a start
given as a span before the end (``7d``, ``1h30m``; :mod:`.durations`): relative ends
are read again at each query. An end left unset stays "now" and a start left unset
stays one hour before the end. Timestamps run from 0001-01-01 to 9999-12-31
23:59:59.999999 (Python's range; PostgreSQL refuses values out of its own range too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from .durations import format_duration
from .errors import DDSQLError, UnsupportedError

if TYPE_CHECKING:
    import pyarrow as pa

DEFAULT_LENGTH = timedelta(hours=1)
RANGE = "0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999"
SETTINGS = {
    "dd.time_frame_start": "Start of the query time frame",
    "dd.time_frame_end": "End of the query time frame",
}


def utcnow() -> datetime:
    """The current time as a naive UTC timestamp (DDSQL's timestamps are UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_instant(
    value: str | datetime, setting: str = "time frame", forms: str = "e.g. '2025-03-01 12:00:00'"
) -> datetime:
    """A timestamp given as ISO-8601 text (``Z`` or an offset converts to UTC; none
    means UTC) or a datetime, as naive UTC; a DDSQLError naming ``setting`` (and the
    ``forms`` it takes) otherwise."""
    stamp: object = value
    if isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("z", "Z"):
            text = text[:-1] + "+00:00"
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            stamp = None
    if not isinstance(stamp, datetime):
        raise DDSQLError(f"{setting}: {value!r} is not a timestamp (use {forms})")
    if stamp.tzinfo is not None:
        try:
            stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # an offset that moves it past either end of the range
            raise DDSQLError(
                f"{setting}: {value!r} is out of range: timestamps run from {RANGE} (UTC)"
            ) from None
    return stamp


_RELATIVE = re.compile(r"now\s*(?:([-+])\s*(\S+))?", re.IGNORECASE)
_FORMS = "an ISO timestamp such as '2025-03-01 12:00:00', now, now-7d"


@dataclass(frozen=True)
class Moment:
    """One end of a time frame: the instant ``fixed`` (naive UTC), or, when it is None,
    the time a query starts plus ``offset``; ``text`` is how it was written."""

    fixed: datetime | None = None
    offset: timedelta = timedelta(0)
    text: str = "now"

    def at(self, now: datetime) -> datetime:
        """The instant this end stands for in a query starting at ``now``."""
        if self.fixed is not None:
            return self.fixed
        try:
            return now + self.offset
        except OverflowError:
            raise DDSQLError(
                f"time frame: {self.text} is out of range: timestamps run from {RANGE} (UTC)"
            ) from None


NOW = Moment()


def parse_end(value: str | datetime | Moment, setting: str = "time frame") -> Moment:
    """One end of a time frame: a :class:`Moment`, a datetime, or text: an ISO timestamp
    (:func:`parse_instant`), ``now`` or ``now-DURATION`` / ``now+DURATION``."""
    if isinstance(value, Moment):
        return value
    if isinstance(value, str):
        relative = _RELATIVE.fullmatch(value.strip())
        if relative is not None:
            sign, amount = relative.groups()
            if sign is None:
                return NOW
            span = _span(amount, setting, value)
            return Moment(None, -span if sign == "-" else span, value.strip())
    forms = f"{_FORMS}, or a span before the end such as 7d"
    return Moment(parse_instant(value, setting, forms), text=str(value).strip())


def parse_start(
    value: str | datetime | timedelta | Moment, setting: str = "time frame"
) -> Moment | timedelta:
    """The start of a time frame: what :func:`parse_end` reads, or a span before the
    end: a timedelta or a duration with units (``7d``, ``1h30m``)."""
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise DDSQLError(f"{setting}: a span cannot be negative: {value}")
        return value
    if isinstance(value, str) and is_span(value):
        return _span(value, setting, value)
    return parse_end(value, setting)


def is_span(text: str) -> bool:
    """Is ``text`` a duration with units (``7d``, ``90s``, ``1h30m``)?"""
    from .durations import is_duration_text

    return is_duration_text(text)


def _span(text: str, setting: str, value: str) -> timedelta:
    from .durations import parse_duration

    if not is_span(text):
        raise DDSQLError(f"{setting}: {value!r}: {text!r} is not a duration such as 7d or 1h30m")
    try:
        return timedelta(seconds=parse_duration(text))
    except (DDSQLError, OverflowError):
        raise DDSQLError(f"{setting}: {value!r} is out of range: {RANGE}") from None


def parse_time_frame(value: str | timedelta | Sequence[Any] | TimeFrame) -> TimeFrame:
    """A time frame as users give it: ``START END`` (two values, or one text holding
    both: ``"now-7d now"``, ``"2025-03-01 12:00 2025-03-01 13:00"``), or ``START`` alone
    (a span such as ``7d``: that long before now; or an instant: from then to now).
    Ends are read by :func:`parse_start` and :func:`parse_end`. A start after the end
    (now) is an error."""
    if isinstance(value, TimeFrame):
        return value
    if isinstance(value, (str, timedelta)):
        values: list[Any] = [value]
    else:
        values = list(value)
    if len(values) == 1 and isinstance(values[0], str):
        values = _split(values[0])
    if not 1 <= len(values) <= 2:
        raise DDSQLError(
            f"time frame: {value!r}: give START END, or a span such as 7d (the span ending now)"
        )
    start, end = values if len(values) == 2 else (values[0], None)
    frame = TimeFrame(
        DEFAULT_LENGTH if start is None else parse_start(start, "START"),
        NOW if end is None else parse_end(end, "END"),
    )
    now = utcnow()
    if isinstance(frame.start, Moment) and frame.start.at(now) > frame.end.at(now):
        raise DDSQLError(f"START {start!r} is after END {end or 'now'!r}")
    frame.resolve(now)
    return frame


def _split(text: str) -> list[str]:
    """``text`` as one end, or split in two at the first space where both halves read
    as ends (an ISO timestamp may hold a space)."""
    words = text.split()
    try:
        parse_start(text)
        return [text]
    except DDSQLError:
        if len(words) < 2:
            raise
    for cut in range(1, len(words)):
        start, end = " ".join(words[:cut]), " ".join(words[cut:])
        try:
            parse_start(start, "START")
            parse_end(end, "END")
        except DDSQLError:
            continue
        return [start, end]
    raise DDSQLError(
        f"time frame: {text!r} is not START END (each {_FORMS}; START may be a span such as 7d)"
    )


def _end_words(moment: Moment) -> str:
    if moment.fixed is not None:
        return format_instant(moment.fixed)
    if moment.offset == timedelta(0):
        return "the start of each query"
    return f"{moment.text} (at each query)"


def format_instant(stamp: datetime) -> str:
    """``2025-03-01 12:00:00.000+00:00``: what CURRENT_SETTING returns."""
    return (
        f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d} {stamp.hour:02d}:"
        f"{stamp.minute:02d}:{stamp.second:02d}.{stamp.microsecond // 1000:03d}+00:00"
    )


@dataclass(frozen=True)
class TimeFrame:
    """The time frame's ends: ``start`` a :class:`Moment` or a span before the end
    (default: an hour), ``end`` a :class:`Moment` (default: now)."""

    start: Moment | timedelta = DEFAULT_LENGTH
    end: Moment = NOW

    def describe(self) -> str:
        """The time frame in words (``the hour before each query (the default)``)."""
        if self == TimeFrame():
            return "the hour before each query (the default)"
        if isinstance(self.start, timedelta):
            before = "each query" if self.end == NOW else _end_words(self.end)
            return f"the {format_duration(self.start.total_seconds())} before {before}"
        if self.start.fixed is None:  # now-7d
            end = self.end.text if self.end.fixed is None else format_instant(self.end.fixed)
            return f"{self.start.text} to {end}, read at each query"
        return f"{format_instant(self.start.fixed)} to {_end_words(self.end)}"

    def resolve(self, now: datetime) -> tuple[datetime, datetime]:
        """The (start, end) in force for a query starting at ``now``."""
        end = self.end.at(now)
        if isinstance(self.start, Moment):
            start = self.start.at(now)
        elif end - datetime.min >= self.start:
            start = end - self.start
        elif self.start == DEFAULT_LENGTH:
            raise DDSQLError(
                f"the time frame's default start, an hour before its end "
                f"{format_instant(end)}, would be before 0001-01-01 00:00:00, the earliest "
                "timestamp: set dd.time_frame_start too"
            )
        else:
            raise DDSQLError(
                f"the time frame's start, {self.start} before its end {format_instant(end)}, "
                "would be before 0001-01-01 00:00:00, the earliest timestamp"
            )
        if start > end:
            raise DDSQLError(
                f"the time frame starts after it ends ({format_instant(start)} > "
                f"{format_instant(end)})"
            )
        return start, end


@dataclass
class Session:
    """The session settings of one connection."""

    frame: TimeFrame = field(default_factory=TimeFrame)

    def time_frame(self) -> tuple[datetime, datetime]:
        """The time frame (start, end) as naive UTC timestamps, resolved now."""
        return self.frame.resolve(utcnow())

    def set_time_frame(
        self,
        start: str | datetime | timedelta | Moment | None = None,
        end: str | datetime | Moment | None = None,
    ) -> None:
        """Fix the time frame's ends (:func:`parse_start`, :func:`parse_end`; None
        restores that end's default)."""
        frame = TimeFrame(
            DEFAULT_LENGTH if start is None else parse_start(start, "dd.time_frame_start"),
            NOW if end is None else parse_end(end, "dd.time_frame_end"),
        )
        frame.resolve(utcnow())  # refuse a start after the end now, not at the next query
        self.frame = frame

    def settings(self) -> dict[str, str]:
        """Each setting's value as ``CURRENT_SETTING`` and ``SHOW`` give it."""
        start, end = self.time_frame()
        return {
            "dd.time_frame_start": format_instant(start),
            "dd.time_frame_end": format_instant(end),
        }

    def bind(
        self, names: tuple[str, ...], given: dict[str, Any], setting_names: dict[str, str]
    ) -> dict[str, Any]:
        """The values of a query's parameters ``names``: the user's ``given`` ones, and
        the settings' (``setting_names`` maps a setting to its parameter's name)."""
        parameters = {name: setting for setting, name in setting_names.items()}
        wanted = [n for n in names if n not in parameters]
        missing = [n for n in wanted if n not in given]
        if missing:
            raise UnsupportedError(
                f"no value for parameter(s) {', '.join(':' + n for n in missing)}"
            )
        unused = sorted(set(given) - set(wanted))
        if unused:
            raise UnsupportedError(f"parameter(s) not used by the query: {', '.join(unused)}")
        bound = {n: given[n] for n in wanted}
        if len(wanted) < len(names):
            values = self.settings()
            bound.update({n: values[parameters[n]] for n in names if n in parameters})
        return bound

    def run(self, statement: tuple[str, ...]) -> pa.Table:
        """Run ``SET``/``SHOW`` (as the translator returns them); PostgreSQL's result."""
        import pyarrow as pa

        if statement[0] == "set":
            _, setting, value = statement
            instant = parse_instant(value, setting)  # SET takes ISO text, as in Datadog
            if setting == "dd.time_frame_start":
                self.set_time_frame(instant, self.frame.end)
            else:
                self.set_time_frame(self.frame.start, instant)
            return pa.table({})
        values = self.settings()
        if statement[1] == "all":
            return pa.table(
                {
                    "name": list(values),
                    "setting": list(values.values()),
                    "description": [SETTINGS[name] for name in values],
                }
            )
        return pa.table({statement[1]: [values[statement[1]]]})
