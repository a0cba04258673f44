"""Timing helpers and the description of the machine and software a run used.

All times are wall-clock seconds from ``time.perf_counter``. ``median`` and ``p99`` use
the nearest-rank definition (p99 of fewer than 100 samples is the largest one);
``geomean`` is the geometric mean of positive ratios.
"""

from __future__ import annotations

import math
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def median(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def p99(samples: Sequence[float]) -> float:
    """Nearest-rank 99th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def geomean(ratios: Sequence[float]) -> float:
    return math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else math.nan


def timed(call: Callable[[], Any], *, runs: int, warmup: int = 1) -> list[float]:
    """Seconds taken by each of ``runs`` calls of ``call`` after ``warmup`` untimed ones."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def machine() -> dict[str, str]:
    """CPU model, cores, memory and load, as far as the platform tells."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        if found:
            cpu = found.group(1).strip()
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        if found:
            memory = f"{int(found.group(1)) / 1024**2:.1f} GiB"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return {
        "cpu": cpu,
        "cores": f"{cores} logical ({usable} usable by this process)",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "load average at start (1, 5, 15 min)": load,
    }


def load_average() -> float:
    """The 1-minute load average (other work on the machine skews timings)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan


def versions(postgres_bindir: Path | None = None) -> dict[str, str]:
    """Versions of Python and of the libraries and servers the figures depend on."""
    found = {"Python": platform.python_version()}
    for package in ("ddsql_lite", "duckdb", "pyarrow", "sqlglot", "pg8000", "botocore"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["PostgreSQL"] = _postgres_version(postgres_bindir)
    commit = _git_commit()
    if commit:
        found["ddsql_lite commit"] = commit
    return found


def _postgres_version(bindir: Path | None) -> str:
    exe = bindir / "postgres" if bindir else shutil.which("postgres")
    if exe is None:
        return "not found"
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "not found"
    return out.stdout.strip() or "unknown"


def _git_commit() -> str:
    """The checked-out commit, with ``+changes`` when the tree differs from it."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # read only: no index refresh
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
        diff = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + (" + uncommitted changes" if diff.returncode == 1 else "")
