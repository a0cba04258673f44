"""Every notebook in notebooks/ runs top to bottom in a real kernel, and is committed with
the outputs a re-run gives (times aside: tests/support/notebooks.py says what is
compared; ``python -m tests.support.notebooks`` writes them).

A cell may fail only if it is tagged ``raises-exception`` (nbclient's convention).
nbclient, nbformat, ipykernel and matplotlib come with the dev extra: a missing one is
an error here, never a skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.support.notebooks import NOTEBOOKS, comparable, execute, kernel_specs, normalised

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def run_notebook() -> Iterator[Callable[[Path], Any]]:
    """Execute a notebook (once per module) and return the executed copy."""
    done: dict[Path, Any] = {}
    with kernel_specs() as specs:

        def run(path: Path) -> Any:
            if path not in done:
                done[path] = execute(path, specs)
            return done[path]

        yield run


def test_the_notebooks_exist() -> None:
    names = {p.name for p in PATHS}
    assert {"quickstart.ipynb", "shadow_experiments_report.ipynb"} <= names, names


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_committed_with_its_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    missing = [c.get("id") for c in code if c.execution_count is None]
    assert not missing, (
        f"{path.name}: cells {missing} did not run; run python -m tests.support.notebooks"
    )
    assert nb.metadata.kernelspec.name == "python3"  # not the tests' private kernel
    assert not any("execution" in c.metadata for c in code)  # no timings to churn


def test_the_report_opens_with_a_summary_and_shows_no_nan() -> None:
    nb = nbformat.read(NOTEBOOKS / "shadow_experiments_report.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = next(c for c in code if c.outputs and c.id != "config")
    assert first.id == "summary"
    text = "".join(o.text for o in first.outputs if o.output_type == "stream")
    assert text.startswith("Data as of ") and "32 experiments: 9 completed, 7 running" in text
    plain = [o.data["text/plain"] for c in code for o in c.outputs if "data" in o]
    assert not any("NaN" in p for p in plain)
    assert any("(untagged)" in p for p in plain)


def test_the_quickstart_tests_one_tag_value_exactly() -> None:
    nb = nbformat.read(NOTEBOOKS / "quickstart.ipynb", as_version=4)
    params = next(c for c in nb.cells if c.get("id") == "params")
    assert "array_position(string_to_array(tags->'team', ','), :team) IS NOT NULL" in params.source
    assert "LIKE" not in params.source
    (output,) = params.outputs
    assert "fraud,ml-platform" in output.data["text/plain"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-05 09:59:58", "<date>"),
        ("'2026-12-05T02:00:00Z' and 2026-12-05T02:00:00.123+00:00", "'<date>' and <date>"),
        ("datetime.datetime(2026, 11, 3, 15, 42, 10)", "<datetime>"),
        ("month 2026-11  |  7", "month <month> | 7"),
        (
            "ddsql: fixtures /tmp/tmpab_c/experiments.json (t: 500 rows)",
            "ddsql: fixtures <tmp> (t: 500 rows)",
        ),
        ("(3 rows, 15.2 ms)", "(3 rows, <duration>)"),
        ("32 rows", "32 rows"),
    ],
)
def test_what_changes_from_day_to_day_is_normalised(text: str, expected: str) -> None:
    assert normalised(text) == expected


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_a_rerun_gives_the_committed_outputs(
    path: Path, run_notebook: Callable[[Path], Any]
) -> None:
    committed = comparable(nbformat.read(path, as_version=4))
    again = comparable(run_notebook(path))
    assert [c for c, _ in again] == [c for c, _ in committed]
    for (cell, expected), (_, got) in zip(committed, again):
        assert got == expected, (
            f"{path.name}, cell {cell}: the outputs changed; if that is intended, run "
            "python -m tests.support.notebooks and commit the notebook"
        )


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_clean(path: Path, run_notebook: Callable[[Path], Any]) -> None:
    nb = run_notebook(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "some cells did not run"
    for cell in code:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        allowed = "raises-exception" in cell.metadata.get("tags", [])
        assert bool(errors) == allowed, (cell.id, errors)
        for output in errors:  # the magics' errors are one short block, not a traceback
            text = "\n".join(output.traceback)
            assert "Traceback" not in text and len(output.traceback) <= 4, text
        stderr = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, (cell.id, stderr)  # no warnings either


@pytest.mark.slow
def test_report_draws_its_charts_inline(run_notebook: Callable[[Path], Any]) -> None:
    nb = run_notebook(NOTEBOOKS / "shadow_experiments_report.ipynb")
    images = [
        cell.id
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert images == ["monthly-chart", "sampling-chart"], images
    config = next(c for c in nb.cells if c.id == "config")
    printed = "".join(o.text for o in config.outputs if o.output_type == "stream")
    assert "the bundled sample data" in printed and "32 rows" in printed, printed


@pytest.mark.slow
def test_quickstart_shows_the_magics_error_with_its_caret(
    run_notebook: Callable[[Path], Any],
) -> None:
    nb = run_notebook(NOTEBOOKS / "quickstart.ipynb")
    error = next(c for c in nb.cells if c.id == "error")
    (output,) = error.outputs
    assert output.output_type == "error" and output.ename == "DDSQLMagicError"
    assert output.traceback[0].startswith("UndefinedColumnError: column 'staus' does not exist")
    assert output.traceback[-2].strip() == "SELECT name, staus"
    assert output.traceback[-1] == " " * output.traceback[-2].index("staus") + "^"
