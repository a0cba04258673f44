"""pgcli in a real terminal (tmux) against ``ddsql serve``: it connects, reads the
catalog for its completion (tables after ``FROM aws.``, columns in a WHERE) and runs a
query."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.server.conftest import Running

T = "aws.sagemaker_inference_experiment"
PGCLI = Path(sys.executable).with_name("pgcli")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not PGCLI.exists(), reason="pgcli is not installed (dev extra)"),
]


class Pane:
    """A command in a tmux pane of a tmux server of its own."""

    def __init__(self, command: str) -> None:
        self.server = ["tmux", "-L", f"ddsql-pgcli-{os.getpid()}", "-f", "/dev/null"]
        self.tmux("new-session", "-d", "-s", "p", "-x", "140", "-y", "40", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [*self.server, *args], check=True, capture_output=True, text=True, timeout=30
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "p")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "p", *(["-l"] if literal else []), *keys)

    def wait_for(self, found: Callable[[str], bool], what: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if found(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen}")

    def offered(self, text: str, expected: str) -> None:
        """Type ``text`` until the completion menu offers ``expected`` (pgcli reads the
        catalog in the background after its prompt shows: early keys find nothing)."""
        deadline = time.monotonic() + 60
        while True:
            self.keys("C-u")
            self.keys(text, literal=True)
            try:
                self.wait_for(lambda s: expected in s, expected, seconds=3)
                return
            except AssertionError:
                if time.monotonic() > deadline:
                    raise

    def close(self) -> None:
        subprocess.run([*self.server, "kill-server"], capture_output=True, check=False)


def test_pgcli_completes_from_the_catalog_and_runs_queries(served: Running, tmp_path: Path) -> None:
    pane = Pane(
        f"env HOME={tmp_path} {PGCLI} -h 127.0.0.1 -p {served.port} -U tester -d ddsql; sleep 60"
    )
    try:
        pane.wait_for(lambda s: "tester@127.0.0.1:ddsql>" in s, "pgcli's prompt")
        pane.offered("SELECT * FROM aws.sag", "sagemaker_inference_experiment  table")
        pane.offered(f"SELECT * FROM {T} WHERE creation_t", "creation_time  column")
        pane.keys("C-u")
        pane.keys(f"SELECT count(*) AS n FROM {T}", literal=True)
        pane.keys("Enter")
        count = served.data.sql(f"SELECT count(*) FROM {T}").fetchall()[0][0]
        screen = pane.wait_for(lambda s: "SELECT 1" in s, "the query's answer")
        assert f"| {count} " in screen
        assert "Traceback" not in screen
    finally:
        pane.close()
