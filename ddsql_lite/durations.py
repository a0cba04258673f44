"""Durations as users write them (``90``, ``15m``, ``2h``, ``1h30m``, ``1d``) and as the
load summary prints them (the two largest units)."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from .errors import UnsupportedError

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[dhms])+")
_PART = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def parse_duration(value: str | float | timedelta) -> float:
    """Seconds in ``value``: a number of seconds, a timedelta, or text such as ``90``,
    ``15m``, ``2h``, ``1d``, ``1h30m``; UnsupportedError for anything else, NaN or a
    negative duration (infinity means "never stale")."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if _NUMBER.fullmatch(text):
            seconds = float(text)
        elif _DURATION.fullmatch(text):
            seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _PART.findall(text))
        else:
            raise UnsupportedError(
                f"not a duration: {value!r} (use e.g. 90, 30s, 15m, 2h, 1d, 1h30m)"
            )
    else:
        raise UnsupportedError(f"not a duration: {value!r}")
    if math.isnan(seconds):
        raise UnsupportedError(f"not a duration: {value!r}")
    if seconds < 0:
        raise UnsupportedError(f"a duration cannot be negative: {value!r}")
    return seconds


def is_duration_text(text: str) -> bool:
    """Is ``text`` a duration written with units (``7d``, ``90s``, ``1h30m``)?"""
    return _DURATION.fullmatch(text.strip().lower()) is not None


def format_duration(seconds: float | None) -> str:
    """``42s``, ``12m``, ``3h5m``, ``2d3h``: the two largest units, rounded down."""
    if seconds is None:
        return "never"
    left = int(max(seconds, 0))
    parts: list[str] = []
    for unit, size in _UNITS:
        if left >= size or (unit == "s" and not parts):
            parts.append(f"{left // size}{unit}")
            left %= size
        if len(parts) == 2:
            break
    return "".join(parts)
