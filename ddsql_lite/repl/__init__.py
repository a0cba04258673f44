"""The ``ddsql`` interactive shell (see :func:`run_shell`).

Modules: ``sqltokens`` (a forgiving tokenizer), ``scope`` and ``completion`` (what fits
at the cursor, pure), ``catalog`` (what the loaded data holds, for completion),
``metacommands`` (backslash commands, one table), ``display`` (tables, expanded records,
pager) and ``shell`` (the prompt_toolkit session).
"""

from .shell import Shell, run_shell

__all__ = ["Shell", "run_shell"]
