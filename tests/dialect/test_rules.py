"""Each rule module's fixture file, tests/dialect/rules/<module>.sql: a DDSQL query on one
line, the DuckDB SQL it must become on the next; blank lines and ``--`` comments between
cases. Each case is a test of its own, named ``<module>.sql:<line>``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ddsql_lite.dialect import Translator
from ddsql_lite.dialect.rules import RULES
from ddsql_lite.registry import load_registry

FIXTURES = Path(__file__).resolve().parent / "rules"
RULE_NAMES = {rule.__name__.rsplit(".", 1)[1] for rule in RULES}


def fixture_cases() -> Iterator[pytest.ParameterSet]:
    for path in sorted(FIXTURES.glob("*.sql")):
        assert path.stem in RULE_NAMES, f"{path.name} names no module of rules.RULES"
        lines = path.read_text(encoding="utf-8").splitlines()
        number = 0
        while number < len(lines):
            ddsql = lines[number]
            number += 1
            if not ddsql.strip() or ddsql.startswith("--"):
                continue
            duckdb = lines[number] if number < len(lines) else ""
            assert duckdb.strip() and not duckdb.startswith("--"), (
                f"{path.name}:{number}: a DDSQL line without the DuckDB line after it"
            )
            yield pytest.param(ddsql, duckdb, id=f"{path.name}:{number}")
            number += 1


@pytest.fixture(scope="module")
def translate() -> Callable[[str], str]:
    translator = Translator(load_registry())
    return lambda sql: translator.translate(sql).duckdb_sql


@pytest.mark.parametrize(("ddsql", "duckdb"), list(fixture_cases()))
def test_rule(translate: Callable[[str], str], ddsql: str, duckdb: str) -> None:
    assert translate(ddsql) == duckdb
