"""An engine's temporary directory does not outlive it (issue 12, "No litter").

It goes when the connection is closed, garbage-collected or the process exits; one
left by a killed process is removed by the next process that opens a connection.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import ddsql_lite
from ddsql_lite.scratch import SCRATCH_PREFIX, sweep_scratch


def _python(code: str, tmp: Path, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, text=True, stdout=subprocess.PIPE, **kwargs
    )


def _scratch(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith(SCRATCH_PREFIX))


def test_an_unclosed_connection_leaves_nothing_at_exit(tmp_path: Path) -> None:
    code = (
        "import ddsql_lite, os, tempfile\n"
        "con = ddsql_lite.connect()\n"
        "print(con.sql('SELECT count(*) FROM aws.sagemaker_inference_experiment').fetchall())\n"
        "print(os.listdir(tempfile.gettempdir()))\n"
    )
    process = _python(code, tmp_path)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert SCRATCH_PREFIX in out  # the directory existed while the connection was open
    assert _scratch(tmp_path) == []


def test_close_and_garbage_collection_remove_the_directory() -> None:
    con = ddsql_lite.connect()
    folder = Path(con.engine._tmp)
    assert folder.is_dir() and folder.name.startswith(f"{SCRATCH_PREFIX}{os.getpid()}_")
    con.close()
    assert not folder.exists()
    con.close()  # closing twice is harmless

    con = ddsql_lite.connect()
    folder = Path(con.engine._tmp)
    del con
    gc.collect()
    assert not folder.exists()


@pytest.mark.slow
def test_a_killed_process_directory_is_swept_by_the_next_start(tmp_path: Path) -> None:
    code = (
        "import ddsql_lite, sys\n"
        "con = ddsql_lite.connect()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    process = _python(code, tmp_path, stdin=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"
    (left,) = _scratch(tmp_path)
    assert left.startswith(f"{SCRATCH_PREFIX}{process.pid}_")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert _scratch(tmp_path) == [left]  # killed: nothing ran at exit

    process = _python("import ddsql_lite\nddsql_lite.connect().close()\n", tmp_path)
    process.communicate(timeout=60)
    assert process.returncode == 0
    assert _scratch(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "swept"),
    [
        (f"{SCRATCH_PREFIX}{os.getpid()}_abc", False),  # this process: still running
        (f"{SCRATCH_PREFIX}999999999_abc", True),  # no such process
        (f"{SCRATCH_PREFIX}99999999999999999999999_abc", True),  # not even a valid pid
        (f"{SCRATCH_PREFIX}abc", False),  # not named for an owner
        (f"{SCRATCH_PREFIX}12x_abc", False),
        ("other_999999999_abc", False),
    ],
)
def test_sweep_removes_only_directories_of_gone_processes(
    tmp_path: Path, name: str, swept: bool
) -> None:
    (tmp_path / name).mkdir()
    (tmp_path / name / "tables.duckdb").write_text("x")
    assert sweep_scratch(tmp_path) == ([tmp_path / name] if swept else [])
    assert (tmp_path / name).exists() is not swept


def test_a_file_with_an_engine_name_is_not_touched(tmp_path: Path) -> None:
    (tmp_path / f"{SCRATCH_PREFIX}999999999_file").write_text("x")
    assert sweep_scratch(tmp_path) == []
