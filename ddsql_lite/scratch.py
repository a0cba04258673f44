"""Engines' temporary directories: named for their process, removed when it is gone.

An engine keeps its tables' database file and DuckDB's spill files in a directory of
its own (``ddsql_lite_<pid>_<random>`` in the system's temporary directory). The engine
removes it when it is closed, garbage-collected or the process exits; a directory left
by a process that was killed is removed by the next process, when its first engine
closes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

SCRATCH_PREFIX = "ddsql_lite_"
_swept = False


def scratch_directory() -> str:
    """A new temporary directory for an engine."""
    return tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}_")


def sweep_once() -> None:
    """Remove, once per process, the engine directories of processes that are gone
    (engines call it when they close)."""
    global _swept
    if not _swept:
        _swept = True
        sweep_scratch(Path(tempfile.gettempdir()))


def sweep_scratch(parent: Path) -> list[Path]:
    """Remove the engine directories in ``parent`` whose owner process no longer runs;
    returns them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        owner = _owner(entry.name)
        if owner is not None and not _running(owner) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _owner(name: str) -> int | None:
    """The process id in an engine directory's name (``ddsql_lite_<pid>_<random>``)."""
    if not name.startswith(SCRATCH_PREFIX):
        return None
    pid, separator, _ = name[len(SCRATCH_PREFIX) :].partition("_")
    return int(pid) if separator and pid.isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except OSError:  # it exists, owned by someone else (or the check is not allowed)
        return True
    return True
