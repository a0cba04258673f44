"""Every notebook in notebooks/ runs top to bottom in a real kernel, and is committed clean.

The kernel is this interpreter (``sys.executable -m ipykernel_launcher``), from a
kernelspec written into a temporary directory: whatever kernelspecs the machine has
(none on a fresh CI machine, or a ``python3`` one pointing at another Python) play no
part. A cell may fail only if it is tagged ``raises-exception`` (nbclient's convention).
nbclient, nbformat, ipykernel and matplotlib come with the dev extra: a missing one is
an error here, never a skip.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
KERNEL_NAME = "ddsql-lite-tests"
CELL_TIMEOUT = 120  # seconds; each notebook takes a few seconds


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> KernelSpecManager:
    """A kernelspec manager that knows one kernel: ipykernel on this very interpreter,
    with a private IPython directory (no user profile, no history file)."""
    home = tmp_path_factory.mktemp("jupyter")
    spec_dir = home / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"ddsql_lite tests ({sys.executable})",
        "language": "python",
        "env": {
            "IPYTHONDIR": str(home / "ipython"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        },
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(home / "kernels")], ensure_native_kernel=False)


@pytest.fixture(scope="module")
def run_notebook(kernel_specs: KernelSpecManager) -> Callable[[Path], Any]:
    """Execute a notebook (once per module) and return the executed copy."""
    done: dict[Path, Any] = {}

    def run(path: Path) -> Any:
        if path not in done:
            nb = nbformat.read(path, as_version=4)
            km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=kernel_specs)
            nbclient.NotebookClient(
                nb,
                km=km,
                timeout=CELL_TIMEOUT,
                allow_errors=False,  # any error fails, except in cells tagged raises-exception
                resources={"metadata": {"path": str(NOTEBOOKS)}},
            ).execute()
            spec = km.kernel_spec  # ours, not a python3 spec found elsewhere on the machine
            assert spec is not None and spec.display_name.startswith("ddsql_lite tests")
            assert spec.argv[0] == sys.executable
            done[path] = nb
        return done[path]

    return run


def test_the_notebooks_exist() -> None:
    names = {p.name for p in PATHS}
    assert {"quickstart.ipynb", "shadow_experiments_report.ipynb"} <= names, names


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        cell.get("id", i)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts; clear them before "
        "committing (Jupyter: Edit > Clear Outputs of All Cells, then save)"
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
    assert output.traceback[0].startswith("CatalogError: column 'staus' does not exist")
    assert output.traceback[-2].strip() == "SELECT name, staus"
    assert output.traceback[-1] == " " * output.traceback[-2].index("staus") + "^"
