"""The project's contracts live in ``docs/``, and everything that cites them resolves.

- Every mention of ``docs/<file>.md`` in the repository's text files (tracked, plus new
  files under ``docs/`` and ``tests/``) names a file that exists; where it names a section,
  as ``docs/<file>.md#<anchor>`` or ``docs/<file>.md, "<Heading>"`` (either quote), the
  file has that heading. Relative links in ``README.md`` and ``docs/*.md`` resolve too.
- Nothing refers to files outside the repository (:data:`FORBIDDEN`).
- ``docs/dialect.md``, "Functions" names every function of ``DDSQL_FUNCTIONS`` as a call
  (`` `name(...)` ``), and no other.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from ddsql_lite.dialect.functions import DDSQL_FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Spelled in pieces, so that this file does not match them itself.
FORBIDDEN = ("DESIGN" + ".md", "DDSQL" + ".md", "../" + "shared", "/" + "work/")
SKIPPED_DIRS = {".git", ".venv", "build", "dist", "__pycache__", ".hypothesis"}

CITATION = re.compile(
    r"docs/(?P<file>[\w.-]+\.md)"
    r"(?:#(?P<anchor>[\w-]+)"
    r"|,\s*\\?(?P<quote>[\"'])(?P<heading>[^\"'\\\n]+)\\?(?P=quote))?"
)
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
CALL = re.compile(r"`(?P<name>[A-Za-z_]+)\(")


def repository_files() -> list[Path]:
    """The tracked files and the new ones under docs/ and tests/ (every file outside the
    usual build and cache directories, when git cannot say)."""
    try:
        tracked = _git("ls-files", "-z")
        new = _git("ls-files", "-z", "--others", "--exclude-standard", "--", "docs", "tests")
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if p.is_file() and _kept(p.relative_to(ROOT).parts)]
    return [ROOT / name for name in sorted(set(tracked + new)) if (ROOT / name).is_file()]


def _kept(parts: tuple[str, ...]) -> bool:
    return not SKIPPED_DIRS & set(parts) and not any(
        part.endswith(("_cache", ".egg-info")) for part in parts
    )


def _git(*args: str) -> list[str]:
    out = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout
    return [name for name in out.decode().split("\0") if name]


def text_files() -> dict[Path, str]:
    texts = {}
    for path in repository_files():
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary
    return texts


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as ``-``."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(markdown: str) -> list[str]:
    """The headings of a Markdown text (outside fenced code blocks)."""
    found, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            found.append(match.group("text"))
    return found


def anchors(markdown: str) -> set[str]:
    """Every anchor of a Markdown text, duplicates numbered as GitHub numbers them."""
    seen: dict[str, int] = {}
    result = set()
    for text in headings(markdown):
        base = slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


@cache
def _doc(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def citation_problems(text: str, docs: Path = DOCS) -> list[str]:
    """What is wrong with the ``docs/...`` citations in ``text``."""
    problems = []
    for match in CITATION.finditer(text):
        doc = _doc(docs / match.group("file"))
        cited = match.group(0).replace("\n", " ")
        if doc is None:
            problems.append(f"{cited}: no such file in docs/")
        elif match.group("anchor") and match.group("anchor") not in anchors(doc):
            problems.append(f"{cited}: no such anchor")
        elif match.group("heading") and match.group("heading") not in headings(doc):
            problems.append(f"{cited}: no such heading")
    return problems


def link_problems(markdown: str, where: Path) -> list[str]:
    """What is wrong with the relative links of a Markdown file at ``where``."""
    problems, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        for match in [] if fenced else LINK.finditer(line):
            target = match.group("target")
            if re.match(r"^[a-z]+:", target):
                continue  # https:, mailto:
            name, _, anchor = target.partition("#")
            path = (where.parent / name).resolve() if name else where
            if not path.exists():
                problems.append(f"{target}: no such file")
            elif anchor and path.suffix == ".md" and anchor not in anchors(_doc(path) or ""):
                problems.append(f"{target}: no such anchor")
    return problems


def outside_references(text: str) -> list[str]:
    return [bad for bad in FORBIDDEN if bad in text]


def test_docs_exist() -> None:
    for name in ("design.md", "dialect.md", "adding-a-function.md"):
        assert (DOCS / name).is_file(), f"docs/{name} is missing"


def test_citations_of_docs_resolve() -> None:
    problems = []
    for path, text in text_files().items():
        relative = path.relative_to(ROOT)
        problems += [f"{relative}: {p}" for p in citation_problems(text)]
        if path.suffix == ".md" and (path.parent == DOCS or path == ROOT / "README.md"):
            problems += [f"{relative}: {p}" for p in link_problems(text, path)]
    assert not problems, "\n".join(problems)


def test_nothing_refers_outside_the_repository() -> None:
    problems = [
        f"{path.relative_to(ROOT)}: mentions {bad}"
        for path, text in text_files().items()
        for bad in outside_references(text)
    ]
    assert not problems, "\n".join(problems)


def test_dialect_functions_section_lists_every_function() -> None:
    lines = (DOCS / "dialect.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## Functions")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), None)
    documented = {m.group("name").lower() for m in CALL.finditer("\n".join(lines[start:end]))}
    assert sorted(DDSQL_FUNCTIONS - documented) == [], "listed in code, not in the docs"
    assert sorted(documented - DDSQL_FUNCTIONS) == [], "in the docs, not listed in code"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("see docs/" + "no-such-file.md", "no such file"),
        ("docs/" + "dialect.md#no-such-anchor", "no such anchor"),
        ("docs/" + 'dialect.md, "No such heading"', "no such heading"),
        ("docs/" + "dialect.md, \\'No such heading\\'", "no such heading"),  # in JSON text
    ],
)
def test_a_bad_citation_is_found(text: str, problem: str) -> None:
    (found,) = citation_problems(text)
    assert problem in found


@pytest.mark.parametrize(
    "text",
    [
        "docs/dialect.md",
        "docs/dialect.md#which-behaviour-wins",
        'docs/dialect.md, "Which behaviour wins"',
        "docs/dialect.md,\n    'Tags'",
        "docs/design.md#single-table-assumptions",
    ],
)
def test_a_good_citation_passes(text: str) -> None:
    assert citation_problems(text) == []


def test_a_bad_link_and_an_outside_reference_are_found() -> None:
    where = DOCS / "design.md"
    assert link_problems("[x](dialect.md#nowhere) [y](missing.md)", where) == [
        "dialect.md#nowhere: no such anchor",
        "missing.md: no such file",
    ]
    assert outside_references("see " + "../" + "shared" + "/notes") == [FORBIDDEN[2]]
