"""Start-up: what a one-shot query and the shell cost before any data work.

Three commands, each in a fresh process, measured side by side in one run (runs
alternate, so a busy moment slows all of them alike):

- the floor, ``python -c "import duckdb, pyarrow, sqlglot"``: the libraries any DuckDB
  SQL translator needs, imported and nothing else;
- ``ddsql -c`` with README.md's first query on the bundled sample data;
- ``ddsql`` in a pseudo-terminal, until its first prompt is drawn.

One untimed run of each comes first. ``PYTHONDONTWRITEBYTECODE`` is removed from the
commands' environment, so they run from bytecode caches as an installed package does.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

from .figures import Startup
from .timing import median

QUERY = (
    "SELECT status, count(*) AS experiments FROM aws.sagemaker_inference_experiment "
    "GROUP BY status ORDER BY status"
)
FLOOR = "import duckdb, pyarrow, sqlglot"
PROMPT = b"ddsql>"
PROMPT_TIMEOUT = 60.0


def measure_startup(runs: int) -> Startup:
    """Median wall seconds of each command over ``runs`` alternating runs."""
    bindir = Path(sys.executable).parent
    ddsql = str(bindir / "ddsql")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PAGER"] = ""
    with tempfile.TemporaryDirectory(prefix="ddsql-startup-") as home:
        env["HOME"] = home  # the shell's history lives there, not in the user's
        commands: dict[str, Callable[[], float]] = {
            "floor": lambda: _wall([sys.executable, "-c", FLOOR], env, home),
            "one-shot": lambda: _wall([ddsql, "-c", QUERY], env, home),
            "shell": lambda: first_prompt([ddsql], env, home),
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():
            command()  # writes the bytecode caches
        for _ in range(runs):
            for name, command in commands.items():
                samples[name].append(command())
    return Startup(
        floor_seconds=median(samples["floor"]),
        oneshot_seconds=median(samples["one-shot"]),
        shell_prompt_seconds=median(samples["shell"]),
        runs=runs,
        query=QUERY,
        floor=FLOOR,
    )


def _wall(command: list[str], env: dict[str, str], cwd: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def first_prompt(command: list[str], env: dict[str, str], cwd: str) -> float:
    """Seconds from starting ``command`` in a 40x120 pseudo-terminal until it draws the
    shell's prompt; then Ctrl-D ends it."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the shell, on the terminal
        os.chdir(cwd)
        os.execve(command[0], command, {**env, "TERM": "xterm-256color"})
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        seen = b""
        while PROMPT not in seen:
            if time.perf_counter() - started > PROMPT_TIMEOUT:
                raise RuntimeError(f"no prompt within {PROMPT_TIMEOUT:g} s: {seen[-500:]!r}")
            if not select.select([fd], [], [], 0.5)[0]:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError(f"the shell ended before its prompt: {seen[-500:]!r}")
            seen += chunk
            if b"\x1b[6n" in chunk:  # prompt_toolkit asks where the cursor is
                os.write(fd, b"\x1b[1;1R")
        elapsed = time.perf_counter() - started
        os.write(fd, b"\x04")
        _drain(fd, pid)
        return elapsed
    finally:
        os.close(fd)


def _drain(fd: int, pid: int) -> None:
    """Read the terminal until the shell exits (killed after 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        if select.select([fd], [], [], 0.1)[0]:
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
