"""The session time frame DDSQL queries read with ``CURRENT_SETTING('dd.time_frame_*')``.

By default it is the last hour ending when the query starts. ``SET dd.time_frame_start =
'...'`` (and ``_end``), ``Connection.set_time_frame`` and the CLI's ``--time-frame`` fix
either end; an end left unset stays "now" and a start left unset stays one hour before
the end.

Timestamps run from 0001-01-01 to 9999-12-31 23:59:59.999999 (Python's range; PostgreSQL
refuses values out of its own range too): a value outside it, or an end less than an
hour after 0001-01-01 with no start set, is refused with a DDSQLError saying which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .errors import DDSQLError, LoaderError
from .loaders.rows import parse_timestamp

DEFAULT_LENGTH = timedelta(hours=1)
RANGE = "0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999"


def utcnow() -> datetime:
    """The current time as a naive UTC timestamp (DDSQL's timestamps are UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_instant(value: str | datetime, setting: str) -> datetime:
    """A timestamp given as ISO-8601 text (an offset converts to UTC; none means UTC) or
    a datetime, as naive UTC (the loader's timestamp rules)."""
    try:
        return parse_timestamp(value, setting)
    except LoaderError:
        raise DDSQLError(
            f"{setting}: {value!r} is not a timestamp (use e.g. '2025-03-01 12:00:00')"
        ) from None
    except OverflowError:  # an offset that moves it past either end of the range in UTC
        raise DDSQLError(
            f"{setting}: {value!r} is out of range: timestamps run from {RANGE} (UTC)"
        ) from None


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
