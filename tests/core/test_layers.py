"""The layer rules (docs/design.md, "Layers"), checked by import-linter against the
contracts in pyproject.toml: faces -> API -> engine | dialect | loaders -> ground."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_imports_keep_to_the_layers(capsys: pytest.CaptureFixture[str]) -> None:
    from importlinter.cli import lint_imports

    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "4 kept, 0 broken" in report
