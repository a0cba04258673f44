"""Memory sizes as DuckDB writes them, and this process's resident memory."""

from __future__ import annotations

import os
import re

from .errors import UnsupportedError

# DuckDB's units for memory_limit: 1000-based (also as one letter) and 1024-based.
_UNITS = {
    **{unit: 1 for unit in ("b", "byte", "bytes")},
    **{unit: 1000**n for n, prefix in enumerate("kmgt", 1) for unit in (prefix, f"{prefix}b")},
    **{f"{prefix}ib": 1024**power for power, prefix in enumerate("kmgt", 1)},
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*", re.IGNORECASE | re.ASCII)


def parse_size(text: str) -> int | None:
    """Bytes in a size such as ``4GB`` (1000-based) or ``2GiB`` (1024-based), as DuckDB
    reads ``memory_limit``; None for text that is not such a size (a number without a
    unit among them: DuckDB refuses it)."""
    match = _SIZE.fullmatch(text)
    if match is None or match.group(2).lower() not in _UNITS:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def check_size(text: str, what: str = "") -> str:
    """``text`` stripped, when it is a positive size; UnsupportedError naming ``what``
    otherwise (zero and negative sizes would mean "no limit" to DuckDB)."""
    size = parse_size(text) if isinstance(text, str) else None
    if not size:
        raise UnsupportedError(
            f"{what + ' ' if what else ''}{text!r} is not a memory size: give a positive "
            "size with a unit, e.g. 2GB, 512MB or 1GiB"
        )
    return text.strip()


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int | None:
    """This process's resident memory now (Linux's /proc); None where it is not known."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None
