"""Running the notebooks of notebooks/ in a private kernel, and what of their outputs must
not change from one run to the next.

The kernel is this interpreter (``sys.executable -m ipykernel_launcher``), from a
kernelspec written into a temporary directory: whatever kernelspecs the machine has
(none on a fresh CI machine, or a ``python3`` one pointing at another Python) play no
part. ``PYTHONPATH`` reaches the kernel, so a worktree's package is the one imported.

The notebooks are committed with their outputs. :func:`comparable` is what a re-run
must reproduce: each output's type, its text (``text/plain``, streams, errors) with
times normalised, and which kinds of data it holds (an image's pixels and a table's
HTML depend on library versions and are not compared). The bundled sample is dated
relative to the day it loads, so dates, times, months and temporary paths are replaced
by placeholders. ``python -m tests.support.notebooks`` runs every notebook and writes
its outputs back (run it after changing a notebook or what it shows).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbclient
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNEL_NAME = "ddsql-lite-tests"
CELL_TIMEOUT = 120  # seconds; each notebook takes a few seconds

_TIMES = [
    (re.compile(r"datetime\.datetime\([^)]*\)"), "<datetime>"),
    (re.compile(r"Timestamp\('[^']*'\)"), "<datetime>"),
    (
        re.compile(
            r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
            r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
        ),
        "<date>",
    ),
    (re.compile(r"\b\d{4}-\d{2}\b"), "<month>"),
    (re.compile(r"(?:/tmp|/var/folders)/\S*?(?=[\s'\")]|$)"), "<tmp>"),
    (re.compile(r"\b\d+(?:\.\d+)? ?(?:ms|s)\b"), "<duration>"),
    (re.compile(r"0x[0-9a-f]{6,}"), "<address>"),
    (re.compile(r"[ \t]+"), " "),
]


def normalised(text: str) -> str:
    """``text`` with dates, times, months, durations, temporary paths and runs of blanks
    replaced, so that two runs on different days compare equal."""
    for pattern, placeholder in _TIMES:
        text = pattern.sub(placeholder, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def comparable(nb: Any) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Per code cell, its id and its outputs as a re-run must reproduce them."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs: list[tuple[Any, ...]] = []
        for output in cell.outputs:
            kind = output.output_type
            if kind == "stream":
                last = outputs[-1] if outputs else None
                if last is not None and last[:2] == (kind, output.name):
                    # one stream cut in two where the kernel happened to flush: one text
                    outputs[-1] = (kind, output.name, last[2] + output.text)
                else:
                    outputs.append((kind, output.name, output.text))
            elif kind == "error":
                text = normalised("\n".join(output.traceback))
                outputs.append((kind, output.ename, text))
            else:
                data = output.get("data", {})
                text = normalised(str(data.get("text/plain", "")))
                outputs.append((kind, tuple(sorted(data)), text))
        streams = [(k, n, normalised(t)) if k == "stream" else (k, n, t) for k, n, t in outputs]
        cells.append((cell.get("id", ""), streams))
    return cells


@contextmanager
def kernel_specs() -> Iterator[KernelSpecManager]:
    """A kernelspec manager that knows one kernel: ipykernel on this very interpreter,
    with a private IPython directory (no user profile, no history file)."""
    with tempfile.TemporaryDirectory(prefix="ddsql-jupyter-") as home:
        spec_dir = Path(home) / "kernels" / KERNEL_NAME
        spec_dir.mkdir(parents=True)
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"ddsql_lite tests ({sys.executable})",
            "language": "python",
            "env": {
                "IPYTHONDIR": str(Path(home) / "ipython"),
                "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            },
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec))
        yield KernelSpecManager(
            kernel_dirs=[str(Path(home) / "kernels")], ensure_native_kernel=False
        )


def execute(path: Path, specs: KernelSpecManager) -> Any:
    """The notebook at ``path``, executed top to bottom in our kernel (any error fails,
    except in cells tagged ``raises-exception``); its metadata stays as committed."""
    nb = nbformat.read(path, as_version=4)
    metadata = json.loads(json.dumps(nb.metadata))
    km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    nbclient.NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    spec = km.kernel_spec  # ours, not a python3 spec found elsewhere on the machine
    assert spec is not None and spec.display_name.startswith("ddsql_lite tests")
    assert spec.argv[0] == sys.executable
    nb.metadata = nbformat.from_dict(metadata)
    return nb


def main() -> int:
    """Run every notebook and write it back with its outputs."""
    with kernel_specs() as specs:
        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            nbformat.write(execute(path, specs), path)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
