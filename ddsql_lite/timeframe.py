"""The session time frame DDSQL queries read with ``CURRENT_SETTING('dd.time_frame_*')``.

By default it is the last hour ending when the query starts. ``SET dd.time_frame_start =
'...'`` (and ``_end``), ``Connection.set_time_frame`` and the CLI's ``--time-frame`` fix
either end; an end left unset stays "now" and a start left unset stays one hour before
the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .errors import DDSQLError, LoaderError
from .loaders.rows import parse_timestamp

DEFAULT_LENGTH = timedelta(hours=1)


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


def format_instant(stamp: datetime) -> str:
    """``2025-03-01 12:00:00.000+00:00``: what CURRENT_SETTING returns."""
    return stamp.strftime("%Y-%m-%d %H:%M:%S.") + f"{stamp.microsecond // 1000:03d}+00:00"


@dataclass
class TimeFrame:
    """The explicitly set ends of the time frame (None: the default)."""

    start: datetime | None = None
    end: datetime | None = None

    def resolve(self, now: datetime) -> tuple[datetime, datetime]:
        """The (start, end) in force for a query starting at ``now``."""
        end = self.end or now
        start = self.start or end - DEFAULT_LENGTH
        if start > end:
            raise DDSQLError(
                f"the time frame starts after it ends ({format_instant(start)} > "
                f"{format_instant(end)})"
            )
        return start, end
