"""Load progress: what the fan-out reports while it runs, and a rich bar on stderr.

The fan-out calls a :class:`ProgressSink` from its worker threads; implementations must
be thread-safe. :func:`progress_sink` picks the rich bar when asked to, or, by default,
when stderr is a terminal (never in notebooks, pipes or CI logs).
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from .report import LoadEntry


class ProgressSink(Protocol):
    """Receives load events; every method may be called from any thread."""

    def start(self, targets: int) -> None:
        """The load is about to query ``targets`` (account, region) pairs."""

    def found(self, items: int) -> None:
        """Listing found ``items`` more resources to fetch."""

    def fetched(self, items: int) -> None:
        """``items`` more resources were fetched (or given up on)."""

    def target_done(self, entry: LoadEntry) -> None:
        """One (account, region) finished."""

    def stop(self) -> None:
        """The load finished (or failed); release the terminal."""


class NullProgress:
    """Shows nothing."""

    def start(self, targets: int) -> None:
        pass

    def found(self, items: int) -> None:
        pass

    def fetched(self, items: int) -> None:
        pass

    def target_done(self, entry: LoadEntry) -> None:
        pass

    def stop(self) -> None:
        pass


class RichProgress:
    """A transient two-line progress display on stderr: regions, then experiments."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress: Progress = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._regions: TaskID | None = None
        self._items: TaskID | None = None
        self._total = 0
        self._lock = threading.Lock()

    def start(self, targets: int) -> None:
        self._progress.start()
        self._regions = self._progress.add_task("regions", total=targets)
        self._items = self._progress.add_task("experiments", total=None)

    def found(self, items: int) -> None:
        if self._items is not None:
            with self._lock:
                self._total += items
                self._progress.update(self._items, total=self._total)

    def fetched(self, items: int) -> None:
        if self._items is not None:
            self._progress.advance(self._items, items)

    def target_done(self, entry: LoadEntry) -> None:
        if self._regions is not None:
            self._progress.advance(self._regions, 1)

    def stop(self) -> None:
        self._progress.stop()


def progress_sink(show: bool | None = None) -> ProgressSink:
    """A rich bar when ``show`` is true (or None and stderr is a terminal), else nothing."""
    if show is None:
        isatty = getattr(sys.stderr, "isatty", None)
        show = bool(isatty and isatty())
    return RichProgress() if show else NullProgress()
