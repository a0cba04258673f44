"""The ``ddsql`` interactive shell (see :func:`run_shell`).

Modules: ``sqltokens`` (a forgiving tokenizer), ``scope`` and ``completion`` (what fits
at the cursor, pure), ``catalog`` (what the loaded data holds, for completion),
``metacommands`` (backslash commands, one table), ``display`` (tables, expanded records,
pager) and ``shell`` (the prompt_toolkit session). ``Shell`` and ``run_shell`` are
imported on first use, so that the command can split scripts with ``sqltokens`` without
loading prompt_toolkit.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .shell import Shell, run_shell

__all__ = ["Shell", "run_shell"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import shell

        return getattr(shell, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
