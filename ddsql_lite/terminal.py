"""The faces' terminal: writing results and messages so that no failure of the output
(a closed pipe, a full disk, an encoding that cannot hold a character) ends in a
traceback, and reading whether standard input is a terminal."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

from .errors import DDSQLError
from .text import visible


class OutputError(DDSQLError):
    """Standard output cannot be written (a full disk, a closed descriptor)."""


def emit(text: str) -> None:
    """Write ``text`` to standard output and flush it. A closed pipe raises
    BrokenPipeError (the caller exits quietly); another failure is an OutputError."""
    if sys.stdout is None:
        raise OutputError("cannot write the result: standard output is closed")
    try:
        write_all(sys.stdout, text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        discard_stdout()
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def write_all(stream: Any, text: str) -> None:
    """Write ``text`` to ``stream`` whole. Under ``PYTHONUNBUFFERED`` a text stream's
    write is a single system call, whose short count it ignores: a pipe that closes
    mid-write would lose the rest silently (and end with status 0) instead of raising
    BrokenPipeError. So the bytes go to the binary layer, in a loop."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None or os.name == "nt":  # (Windows: keep the text layer's newlines)
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    while data:
        written = buffer.write(data)
        data = data[len(data) if written is None else written :]
    buffer.flush()


def flush_stdout() -> None:
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        discard_stdout()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def discard_stdout() -> None:
    """Point standard output at /dev/null, so that what is still buffered cannot fail
    again when the interpreter flushes it at exit ("Exception ignored ... BrokenPipeError"
    and status 120)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests, a closed one)
        return
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def complain(message: str) -> None:
    """Write ``message`` to stderr, control characters escaped; if even that fails,
    there is nowhere left to say it."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.write(visible(message, newlines=True) + "\n")
        sys.stderr.flush()


def tolerate_unencodable_output() -> None:
    """Characters the output encoding cannot encode (``PYTHONIOENCODING=ascii``, a C
    locale) are written as backslash escapes rather than failing (JSON uses its own
    ``\\u`` escapes instead, see :func:`_run`)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")


def encodes_unicode(stream: Any) -> bool:
    """Can ``stream`` encode any character (a UTF encoding)?"""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "\u00e9\u4e00\U0001f600".encode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
