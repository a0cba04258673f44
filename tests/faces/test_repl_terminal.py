"""The shell in a narrow real terminal (tmux): a wrapped line gets no continuation
prompt, an error's excerpt is cut around its caret, and the name column stays whole
while free text is cut (issue 19)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import ddsql_lite

T = "aws.sagemaker_inference_experiment"
WIDTH = 60


class Pane:
    """``ddsql`` in a tmux pane of its own server, ``WIDTH`` columns wide."""

    def __init__(self, tmp_path: Path) -> None:
        ddsql = Path(sys.executable).with_name("ddsql")
        self.status = tmp_path / "status"
        self.server = ["tmux", "-L", f"ddsql-narrow-{os.getpid()}", "-f", "/dev/null"]
        command = (
            f"env HOME={tmp_path} XDG_DATA_HOME={tmp_path / 'data'} PAGER= "
            f"{shlex.quote(str(ddsql))}; echo $? > {self.status}"
        )
        self.tmux("new-session", "-d", "-s", "ddsql", "-x", str(WIDTH), "-y", "40", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [*self.server, *args], check=True, capture_output=True, text=True, timeout=10
        ).stdout

    def screen(self) -> list[str]:
        return [
            line.rstrip() for line in self.tmux("capture-pane", "-p", "-t", "ddsql").split("\n")
        ]

    def type(self, text: str, *, enter: bool = True) -> None:
        # (tmux reads a ";" that ends an argument as its own command separator)
        self.tmux("send-keys", "-t", "ddsql", "-l", text + (" " if text.endswith(";") else ""))
        if enter:
            self.tmux("send-keys", "-t", "ddsql", "Enter")

    def wait_for(self, predicate: Callable[[list[str]], bool], what: str) -> list[str]:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            lines = self.screen()
            if predicate(lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen:\n" + "\n".join(lines))

    def clear(self) -> None:
        self.tmux("send-keys", "-t", "ddsql", "C-l")
        self.wait_for(lambda s: s[0].startswith("ddsql>"), "a clear screen")

    def close(self) -> None:
        subprocess.run([*self.server, "kill-server"], capture_output=True, check=False)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("tmux") is None and os.environ.get("CI", "").lower() != "true",
    reason="tmux is not installed (.ci/run installs it)",
)
def test_a_narrow_terminal(tmp_path: Path) -> None:
    pane = Pane(tmp_path)
    try:
        pane.wait_for(lambda s: any("ddsql>" in line for line in s), "the prompt")
        pane.clear()

        # A line that wraps gets no "...>"; one the user breaks with Enter does.
        long = f"SELECT name, status, creation_time, last_modified_time FROM {T}"
        assert len("ddsql> " + long) > WIDTH
        pane.type(long)
        pane.type("ORDER BY name LIMIT 2", enter=False)
        lines = pane.wait_for(lambda s: any("LIMIT 2" in line for line in s), "the input")
        typed = lines[: next(i for i, line in enumerate(lines) if "LIMIT 2" in line) + 1]
        assert typed[0].startswith("ddsql> SELECT name")
        assert not typed[1].lstrip().startswith("...>")  # the wrapped rest of the first line
        assert typed[-1].lstrip().startswith("...> ORDER BY name")
        assert sum("...>" in line for line in typed) == 1
        pane.type(";")
        pane.wait_for(lambda s: any("(2 rows" in line for line in s), "the result")
        pane.clear()

        # The excerpt of an error is cut around the caret, which stays under the name.
        columns = ", ".join(["name", "status", "creation_time", "completion_time", "role_arn"])
        pane.type(f"SELECT {columns}, nme FROM {T};")
        lines = pane.wait_for(lambda s: any(line.strip() == "^" for line in s), "the caret")
        mark = next(i for i, line in enumerate(lines) if line.strip() == "^")
        column = lines[mark].index("^")
        assert len(lines[mark - 1]) <= WIDTH, lines
        assert lines[mark - 1][column:].startswith("nme"), lines
        pane.clear()

        # Free text is cut; the names stay whole.
        with ddsql_lite.connect() as con:
            names = [
                n for (n,) in con.sql(f"SELECT name FROM {T} ORDER BY name LIMIT 3").fetchall()
            ]
        pane.type(f"SELECT name, description FROM {T} ORDER BY name LIMIT 3;")
        lines = pane.wait_for(lambda s: any("(3 rows" in line for line in s), "the table")
        rows = [line for line in lines if " | " in line][1:]
        assert [row.split(" | ")[0].strip() for row in rows] == names
        assert all(len(row) <= WIDTH for row in rows) and any(row.endswith("…") for row in rows)

        pane.tmux("send-keys", "-t", "ddsql", "C-d")
        deadline = time.monotonic() + 10
        while not pane.status.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pane.status.read_text().strip() == "0"
    finally:
        pane.close()
