"""A connection's session: the time frame ``CURRENT_SETTING('dd.time_frame_*')`` reads,
and the ``SET`` and ``SHOW`` statements on it.

By default the time frame is the last hour ending when a query starts. ``SET
dd.time_frame_start = '...'`` (and ``_end``), :meth:`Session.set_time_frame` and the
``time_frame`` option fix either end; an end left unset stays "now" and a start left
unset stays one hour before the end. Timestamps run from 0001-01-01 to 9999-12-31
23:59:59.999999 (Python's range; PostgreSQL refuses values out of its own range too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

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


def parse_instant(value: str | datetime, setting: str = "time frame") -> datetime:
    """A timestamp given as ISO-8601 text (``Z`` or an offset converts to UTC; none
    means UTC) or a datetime, as naive UTC; a DDSQLError naming ``setting`` otherwise."""
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
        raise DDSQLError(
            f"{setting}: {value!r} is not a timestamp (use e.g. '2025-03-01 12:00:00')"
        )
    if stamp.tzinfo is not None:
        try:
            stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # an offset that moves it past either end of the range
            raise DDSQLError(
                f"{setting}: {value!r} is out of range: timestamps run from {RANGE} (UTC)"
            ) from None
    return stamp


def format_instant(stamp: datetime) -> str:
    """``2025-03-01 12:00:00.000+00:00``: what CURRENT_SETTING returns."""
    return (
        f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d} {stamp.hour:02d}:"
        f"{stamp.minute:02d}:{stamp.second:02d}.{stamp.microsecond // 1000:03d}+00:00"
    )


@dataclass
class TimeFrame:
    """The explicitly set ends of the time frame (None: the default)."""

    start: datetime | None = None
    end: datetime | None = None

    def resolve(self, now: datetime) -> tuple[datetime, datetime]:
        """The (start, end) in force for a query starting at ``now``."""
        end = self.end or now
        if self.start is not None:
            start = self.start
        elif end - datetime.min >= DEFAULT_LENGTH:
            start = end - DEFAULT_LENGTH
        else:
            raise DDSQLError(
                f"the time frame's default start, an hour before its end "
                f"{format_instant(end)}, would be before 0001-01-01 00:00:00, the earliest "
                "timestamp: set dd.time_frame_start too"
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
        self, start: str | datetime | None = None, end: str | datetime | None = None
    ) -> None:
        """Fix the time frame's ends (None restores that end's default)."""
        frame = TimeFrame(
            None if start is None else parse_instant(start, "dd.time_frame_start"),
            None if end is None else parse_instant(end, "dd.time_frame_end"),
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
            if setting == "dd.time_frame_start":
                self.set_time_frame(value, self.frame.end)
            else:
                self.set_time_frame(self.frame.start, value)
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
