"""Reading ``tests/oracle/corpus/*.sql`` (format: see the docstring of
tests/oracle/test_corpus.py), for the tests that run the corpus: the oracle, the fuzzer's
mutations and the translator's fast-path check. The reference variant's corpus is
``corpus/*.sql``; DDSQL (Preview)'s is ``corpus/preview/*.sql``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parents[1] / "oracle" / "corpus"
TABLE = "aws.sagemaker_inference_experiment"
# What starts a query's annotation: `` -- ddsql:``, `` -- pg:`` or `` -- error:``.
ANNOTATION = re.compile(r" -- (?=ddsql:|pg:|error:)")


# Each DDSQL variant's corpus directory.
VARIANT_DIRS = {"ddsql": CORPUS_DIR, "preview": CORPUS_DIR / "preview"}


def corpus_lines(syntax: str = "ddsql") -> Iterator[tuple[str, int, str]]:
    """``(file stem, line number, line)`` of every query line of the variant ``syntax``'s
    corpus, file by file (a preview stem is ``preview/<stem>``)."""
    prefix = "" if syntax == "ddsql" else f"{syntax}/"
    for path in sorted(VARIANT_DIRS[syntax].glob("*.sql")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("--"):
                yield prefix + path.stem, number, line


def with_table(sql: str) -> str:
    """``FROM t`` in the corpus stands for the table (aliased ``t`` unless it says)."""
    sql = re.sub(r"\b(FROM|JOIN) t AS (\w+)", rf"\1 {TABLE} AS \2", sql)
    return re.sub(r"\b(FROM|JOIN) t\b", rf"\1 {TABLE} AS t", sql)


def corpus_queries(syntax: str = "ddsql") -> list[str]:
    """Every corpus query of a variant without its annotations, ``FROM t`` spelled out."""
    return [with_table(ANNOTATION.split(line.strip())[0]) for _, _, line in corpus_lines(syntax)]
