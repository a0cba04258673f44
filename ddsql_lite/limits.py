"""Time limits: a query's deadline, and work run on another thread until it.

A query's time limit covers everything it does: translation, DuckDB's planning and its
execution. :class:`Deadline` is fixed when the query starts; :func:`until` runs work (the
translation) on another thread and gives up on it at the deadline or on Ctrl-C, leaving
it to finish on its own, since Python cannot stop a thread. Queries DuckDB did not stop
(the engine abandons them) are counted in :data:`ABANDONED`, which settles the process's
exit (:func:`leave_if_stuck`).
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, NoReturn, TypeVar

from .errors import QueryCancelledError, QueryTimeoutError, UnsupportedError
from .options import DEFAULT_TIMEOUT

T = TypeVar("T")


def check_timeout(timeout: float | str | None) -> float:
    """``timeout`` as seconds (0: no limit); UnsupportedError for a negative or non-finite
    value, which would otherwise silently remove the limit."""
    try:
        seconds = float(timeout if timeout is not None else DEFAULT_TIMEOUT)
    except (TypeError, ValueError):
        raise UnsupportedError(
            f"timeout {timeout!r} is not a number of seconds (e.g. 30, 2.5; 0 for no limit)"
        ) from None
    if not math.isfinite(seconds) or seconds < 0:
        raise UnsupportedError(
            f"timeout {timeout!r} is not a time limit: give seconds >= 0 (0 for no limit)"
        )
    return seconds


@dataclass(frozen=True)
class Deadline:
    """When a query must have finished (``at`` on the monotonic clock; None: never)."""

    limit: float
    at: float | None

    @classmethod
    def after(cls, limit: float) -> Deadline:
        return cls(limit, time.monotonic() + limit if limit else None)

    def passed(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def timeout_error(self) -> QueryTimeoutError:
        return QueryTimeoutError(
            f"query stopped: it ran past its time limit of {self.limit:g} s "
            "(raise it with timeout=... or --timeout)"
        )


class Background(Generic[T]):
    """``work()`` running on a thread of its own; :meth:`result` waits for it.

    ``daemon``: whether the process may exit while it runs. Work that calls into DuckDB
    must not be a daemon: a daemon thread that returns from C++ code while the
    interpreter shuts down is unwound by force, and DuckDB aborts the process.
    """

    def __init__(self, work: Callable[[], T], name: str, *, daemon: bool) -> None:
        self._done = threading.Event()
        self._outcome: list[T] = []
        self._error: list[BaseException] = []
        threading.Thread(target=self._run, args=(work,), name=name, daemon=daemon).start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._outcome.append(work())
        except BaseException as exc:  # handed to the thread that waits
            self._error.append(exc)
        finally:
            self._done.set()

    def result(self, deadline: Deadline | None = None) -> T:
        """What ``work()`` returned, or what it raised; QueryTimeoutError once
        ``deadline`` passes first."""
        # Wait on an Event, not Thread.join: before Python 3.13 a join interrupted by
        # Ctrl-C marks the thread finished while it still runs.
        while not self._done.wait(0.05):
            if deadline is not None and deadline.passed():
                raise deadline.timeout_error()
        if self._error:
            raise self._error[0]
        return self._outcome[0]


def until(deadline: Deadline, work: Callable[[], T]) -> T:
    """``work()`` (Python only: it runs on a daemon thread) within ``deadline``:
    QueryTimeoutError past it, QueryCancelledError on Ctrl-C."""
    try:
        return Background(work, "ddsql-translate", daemon=True).result(deadline)
    except KeyboardInterrupt:
        raise QueryCancelledError("query cancelled") from None


class _Count:
    """A count shared by threads."""

    def __init__(self) -> None:
        self.running = 0
        self._lock = threading.Lock()

    def add(self, step: int) -> None:
        with self._lock:
            self.running += step


ABANDONED = _Count()
"""Queries given up by the engine and still running in DuckDB, in this process."""
EXIT_WAIT = 5.0
"""Seconds an exiting process waits for abandoned queries to end."""


def leave_if_stuck(status: int, wait: float = 0.0) -> None:
    """End the process now with ``status`` when, after up to ``wait`` seconds, an
    abandoned query still runs in DuckDB: a DuckDB thread that returns while the
    interpreter shuts down aborts the process, and one that never returns (a binder that
    does not stop) would hold memory for ever."""
    waited = 0.0
    while ABANDONED.running and waited < wait:
        time.sleep(0.05)
        waited += 0.05
    if ABANDONED.running:
        _flush_and_exit(status)


def end_process(status: int) -> NoReturn:
    """End a command's process with ``status``: abandoned queries get :data:`EXIT_WAIT`
    seconds (:func:`leave_if_stuck`), the exit handlers run and the output is flushed,
    as at a normal exit, but the interpreter's teardown (freeing every module, tens of
    milliseconds of a one-shot query) is skipped."""
    leave_if_stuck(status, EXIT_WAIT)
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # not CPython: the usual exit
        sys.exit(status)
    run_exit_handlers()
    _flush_and_exit(status)


def _flush_and_exit(status: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    os._exit(status)


# At interpreter exit (the faces call leave_if_stuck with their own status first).
atexit.register(leave_if_stuck, 1, EXIT_WAIT)
