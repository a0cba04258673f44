"""``ddsql serve`` servers on 127.0.0.1 for the server's tests.

The shared server runs as the real command in a process of its own (``ddsql serve
--port 0``): a client library that holds the GIL while it waits (libpq's cancel does)
would otherwise stall a server in the test's own process. Servers with special options
run on a thread (:func:`start`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import ddsql_lite
from ddsql_lite.server import Server

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Running:
    """A server: the port it listens on, and a connection over the same data."""

    port: int
    data: ddsql_lite.Connection
    server: Server | None = None
    pid: int | None = None  # the server's process, when it has its own

    def dsn(self, **extra: object) -> str:
        words = {"host": "127.0.0.1", "port": self.port, "user": "tester", "dbname": "ddsql"}
        words.update(extra)
        return " ".join(f"{k}={v}" for k, v in words.items())


def start(
    load: Callable[[], ddsql_lite.Connection] = ddsql_lite.connect, **options: object
) -> Running:
    """A server on a thread of this process (``shutdown()`` it)."""
    server = Server(load, port=0, **options)  # type: ignore[arg-type]
    _, port = server.bind()
    threading.Thread(target=server.serve_forever, name="test-server", daemon=True).start()
    return Running(port, server.connection, server)


def serve_command(*args: str) -> tuple[subprocess.Popen[str], int]:
    """``ddsql serve --port 0 ARGS`` in a process of its own, and its port (read from
    its startup line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ddsql_lite", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("ddsql serve: ") or "127.0.0.1:" not in line:
        process.kill()
        raise AssertionError(f"no startup line: {line!r} {process.communicate()[1]}")
    return process, int(line.split("127.0.0.1:")[1].split(";")[0])


def stop(process: subprocess.Popen[str]) -> str:
    """Ctrl-C the server; its standard error."""
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return err


@pytest.fixture(scope="module")
def served() -> Iterator[Running]:
    """``ddsql serve`` over the bundled sample, shared by a module's tests."""
    process, port = serve_command()
    with ddsql_lite.connect() as data:
        yield Running(port, data, pid=process.pid)
    stop(process)
