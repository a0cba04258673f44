"""Files ddsql_lite keeps between runs to start faster, in the user's cache directory.

What is kept is derived from what ships with the package and is named for a digest of
its source, so a stale file is never read. Like Python's bytecode cache, nothing is
written when ``PYTHONDONTWRITEBYTECODE`` is set or where it cannot be: a missing cache
only costs the next start the work again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_directory() -> Path:
    """The user's cache directory for ddsql_lite (not created): where platformdirs puts
    it (``$XDG_CACHE_HOME`` or ``~/.cache``; ``~/Library/Caches`` on macOS;
    ``%LOCALAPPDATA%\\ddsql_lite\\Cache`` on Windows), without importing it on every start."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ddsql_lite"
    if os.name == "nt":
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / "ddsql_lite" / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "ddsql_lite"


def writable() -> bool:
    """Whether caches may be written (not under ``PYTHONDONTWRITEBYTECODE``)."""
    return not sys.dont_write_bytecode


def store_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; failures are ignored."""
    _store(path, lambda spare: spare.write_text(text, encoding="utf-8"))


def store_copy(path: Path, source: str | Path) -> None:
    """Copy the file ``source`` to ``path`` atomically; failures are ignored."""
    _store(path, lambda spare: shutil.copyfile(source, spare))


def _store(path: Path, write: Callable[[Path], Any]) -> None:
    if not writable():
        return
    spare = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(spare)
        os.replace(spare, path)
    except OSError:
        with contextlib.suppress(OSError):
            spare.unlink()
