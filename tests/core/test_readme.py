"""README.md cannot drift: its ```sh and ```python blocks run (as sqlite-utils checks its
documentation), one test case per block, named after the section the block is under
(``test_readme_block[ddsql-on-this-table-2]`` is that section's second runnable block).

- ```sh blocks run with ``bash -e -o pipefail`` and must exit 0; ```python blocks run
  in a fresh process of this interpreter. Both in an empty temporary directory, with
  this venv's scripts (``ddsql``) first on PATH, this checkout first on PYTHONPATH,
  HOME a temporary directory and no ``AWS_*`` variable of the real environment.
- A block right after a ``<!-- needs AWS -->`` line runs against the fake AWS of
  ``tests/support/fake_sagemaker.py`` (real HTTP on 127.0.0.1): profiles ``prod`` and
  ``staging`` are two accounts with experiments in three regions.
- Blocks in other fences (```text, ```json, none: transcripts and formats) are not run.
- ``SKIPPED`` names the blocks that are not run here and why; each must still contain
  the command it was skipped for, so a reordered README cannot skip another block.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.aws_helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    KEY_A,
    KEY_B,
    REGIONS,
    SECRET_A,
    SECRET_B,
    pick,
    sagemaker_calls,
)
from tests.support.fake_sagemaker import FakeAws, aws_environment

README = Path(__file__).resolve().parents[2] / "README.md"
AWS_MARK = "<!-- needs AWS -->"
RUNNABLE = ("sh", "python")
TIMEOUT = 180  # seconds per block

# block id -> (text the block must contain, why it is not run here)
SKIPPED = {
    "ddsql_lite-1": (
        "python3 -m venv .venv",
        "the first command creates a venv and installs the project: "
        ".ci/newcomer runs it verbatim in a fresh clone",
    ),
    "ddsql_lite-2": (
        "python3 -m venv .venv",
        "the test command creates a venv and runs this suite: .ci/run runs it verbatim",
    ),
    "notebooks-1": (
        "jupyter nbconvert",
        "nbconvert comes with the notebook extra, not the dev one: "
        "tests/faces/test_notebooks.py runs the notebooks",
    ),
    "benchmarks-1": (
        "python -m benchmarks.run",
        "the full-size benchmark takes minutes: "
        "tests/oracle/test_benchmarks.py runs its --tiny size",
    ),
}


@dataclass(frozen=True)
class Block:
    id: str
    heading: str
    language: str
    code: str
    line: int  # of the opening fence, 1-based
    aws: bool


_FENCE = re.compile(r"^(`{3,})\s*([^`]*)$")


def slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", heading.lower()).strip("-")


def readme_blocks(text: str) -> list[Block]:
    """The ```sh and ```python blocks of a Markdown text, with the heading they are
    under and whether the line before the fence is the ``needs AWS`` mark."""
    lines = text.splitlines()
    blocks: list[Block] = []
    heading, count = "", 0
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence is None:
            if line.startswith("#"):
                heading, count = line.lstrip("#").strip(), 0
            i += 1
            continue
        ticks, info = fence.group(1), fence.group(2).split()
        start = i
        i += 1
        while i < len(lines) and lines[i].strip() != ticks:
            i += 1
        body = "\n".join(lines[start + 1 : i]) + "\n"
        i += 1
        language = info[0] if info else ""
        if language not in RUNNABLE:
            continue
        previous = next((s.strip() for s in reversed(lines[:start]) if s.strip()), "")
        count += 1
        blocks.append(
            Block(
                id=f"{slug(heading)}-{count}",
                heading=heading,
                language=language,
                code=body,
                line=start + 1,
                aws=previous == AWS_MARK,
            )
        )
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def base_environment(tmp_path: Path) -> dict[str, str]:
    """This venv's scripts first on PATH, a private HOME, no real AWS settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    scripts = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env["HOME"] = str(home)
    env["XDG_DATA_HOME"] = str(home / ".local" / "share")
    env["PAGER"] = ""
    env["PYTHONPATH"] = str(README.parent)  # this checkout's package, whatever is installed
    return env


@pytest.fixture
def fake_aws(tmp_path: Path) -> Iterator[tuple[FakeAws, dict[str, str]]]:
    """The fake AWS, and the environment variables that point AWS clients at it."""
    records = pick([ACCOUNT_A, ACCOUNT_B], REGIONS, 3)
    enabled = {ACCOUNT_A: REGIONS, ACCOUNT_B: REGIONS}  # what `--region all` finds
    config = tmp_path / "aws"
    config.mkdir()
    with FakeAws(records, keys={KEY_A: ACCOUNT_A, KEY_B: ACCOUNT_B}, enabled=enabled) as fake:
        env = aws_environment(
            fake.url,
            config,
            profiles={"prod": (KEY_A, SECRET_A), "staging": (KEY_B, SECRET_B)},
            default=None,
        )
        yield fake, env


def run_block(block: Block, tmp_path: Path, aws_env: dict[str, str] | None = None) -> None:
    """Run ``block`` in a fresh directory; fail with its output unless it exits 0."""
    env = base_environment(tmp_path)
    env.update(aws_env or {})
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    if block.language == "sh":
        argv = ["bash", "-e", "-o", "pipefail", "-c", block.code]
    else:
        script = work / "readme_block.py"
        script.write_text(block.code, encoding="utf-8")
        argv = [sys.executable, str(script)]
    try:
        done = subprocess.run(
            argv, cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"README.md line {block.line} ({block.heading}): no exit in {TIMEOUT} s")
    if done.returncode != 0:
        pytest.fail(
            f"README.md line {block.line} ({block.heading}): the ```{block.language} block "
            f"exited {done.returncode}\n--- block ---\n{block.code}"
            f"--- stdout ---\n{done.stdout}--- stderr ---\n{done.stderr}",
            pytrace=False,
        )


@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_readme_block(block: Block, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if block.id in SKIPPED:
        needle, reason = SKIPPED[block.id]
        assert needle in block.code, (
            f"SKIPPED[{block.id!r}] is meant for a block containing {needle!r}; "
            f"README.md line {block.line} is now another block: update SKIPPED"
        )
        pytest.skip(reason)
    if not block.aws:
        run_block(block, tmp_path)
        return
    fake, aws_env = request.getfixturevalue("fake_aws")
    run_block(block, tmp_path, aws_env)
    assert sagemaker_calls(fake) > 0, f"README.md line {block.line} never reached the fake AWS"


def test_the_readme_has_its_blocks() -> None:
    ids = [b.id for b in BLOCKS]
    assert len(ids) == len(set(ids))
    assert set(SKIPPED) <= set(ids), "SKIPPED names a block the README no longer has"
    assert any(b.aws and b.language == "sh" for b in BLOCKS)
    assert any(b.aws and b.language == "python" for b in BLOCKS)
    # a block that reaches AWS must be marked, or it would run against the real one
    for block in BLOCKS:
        if "--source aws" in block.code or 'source="aws"' in block.code:
            assert block.aws, f"README.md line {block.line}: mark it {AWS_MARK}"


SAMPLE = """# Title

```sh
echo skipped-by-position
```

## A section

Text.

```text
not run
```

<!-- needs AWS -->
```sh
ddsql -c "SELECT 1" --source aws
# loaded 1 row
```

```python
raise SystemExit(3)
```
"""


def test_blocks_are_found_named_and_marked() -> None:
    found = readme_blocks(SAMPLE)
    assert [(b.id, b.language, b.aws, b.line) for b in found] == [
        ("title-1", "sh", False, 3),
        ("a-section-1", "sh", True, 16),
        ("a-section-2", "python", False, 21),
    ]
    assert found[1].code == 'ddsql -c "SELECT 1" --source aws\n# loaded 1 row\n'


def test_a_failing_block_fails_the_test(tmp_path: Path) -> None:
    python = readme_blocks(SAMPLE)[2]
    with pytest.raises(pytest.fail.Exception, match=r"line 21 \(A section\).*exited 3"):
        run_block(python, tmp_path)
    # the first command of a multi-line sh block counts too, not only the last
    sh = readme_blocks("## S\n```sh\nddsql -c 'SELECT nme'\necho fine\n```\n")[0]
    with pytest.raises(pytest.fail.Exception, match=r"(?s)exited 1.*does not exist"):
        run_block(sh, tmp_path)
