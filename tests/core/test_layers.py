"""The layer rules (docs/design.md, "Layers"), checked by import-linter against the
contracts in pyproject.toml: faces -> API -> engine | dialect | loaders -> ground."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_imports_keep_to_the_layers(capsys: pytest.CaptureFixture[str]) -> None:
    from importlinter.cli import lint_imports

    # import-linter configures logging with dictConfig, which disables every logger that
    # exists (the server's among them) for the tests after this one: undone here
    states = [
        (logger, logger.disabled)
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    try:
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    finally:
        for logger, disabled in states:
            logger.disabled = disabled
    report = capsys.readouterr().out
    assert code == 0, report
    assert "4 kept, 0 broken" in report
