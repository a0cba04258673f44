"""Scripts: the statements of ``ddsql -c``, ``-f FILE`` or standard input, run in order
as ``psql -f`` runs them.

Statements are split at top-level ``;`` (:func:`ddsql_lite.repl.sqltokens.statement_spans`:
not inside strings, ``E''`` strings, quoted names, dollar quotes or comments); a ``SET``
applies to the statements after it. Each result is written as it comes, in the chosen
format; in the human formats results are separated by a blank line and a ``SET`` prints
``SET``, as in psql. The first failing statement stops the script (``keep_going``: the
others still run) and its message names where the statement starts: ``FILE:LINE:``
(``<stdin>:LINE:``), or ``line LINE:`` for a ``-c`` holding several statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import DDSQLError, QueryCancelledError
from .formats import MACHINE_FORMATS, render
from .repl.sqltokens import statement_spans
from .terminal import complain, emit

if TYPE_CHECKING:
    from .connection import Connection
    from .result import Result


@dataclass(frozen=True)
class Statement:
    """One statement of a script and the line (1-based) where its first token is."""

    text: str
    line: int


def statements(text: str) -> list[Statement]:
    """The statements of ``text``, in order. Text without any (blank, or comments only)
    is one statement as it is, which the library refuses with its own message."""
    spans = statement_spans(text)
    if not spans:
        return [Statement(text, 1)]
    return [Statement(sql, text.count("\n", 0, start) + 1) for start, sql in spans]


@dataclass
class Script:
    """How to run and show a script: the output format, the name of its source in
    messages (a file name, ``<stdin>``; None for ``-c``), whether to go on after a
    failing statement, whether JSON must be ASCII."""

    fmt: str = "table"
    source: str | None = None
    keep_going: bool = False
    ascii_only: bool = False

    def run(self, con: Connection, script: list[Statement]) -> bool:
        """Run ``script`` on ``con``, writing results to stdout and errors to stderr;
        whether every statement succeeded. Ctrl-C (QueryCancelledError) stops the script."""
        ok, shown = True, False
        for statement in script:
            try:
                text = self.output(con.sql(statement.text))
            except QueryCancelledError:
                raise
            except DDSQLError as exc:
                complain(f"error: {self.where(statement, len(script))}{exc}")
                ok = False
                if not self.keep_going:
                    return False
                continue
            if text:
                emit(("\n" if shown and self.fmt not in MACHINE_FORMATS else "") + text)
                shown = True
        return ok

    def output(self, result: Result) -> str:
        """A result as text in the format; a statement without columns (``SET``) is its
        command tag in the human formats and nothing in the machine formats."""
        columns, rows = result.columns, result.fetchall()
        if not columns:
            return "" if self.fmt in MACHINE_FORMATS else result.sql.split()[0].upper() + "\n"
        return render(self.fmt, columns, rows, result.duckdb_types, ascii_only=self.ascii_only)

    def where(self, statement: Statement, count: int) -> str:
        """The prefix of a statement's error message: where the statement starts."""
        if self.source is not None:
            return f"{self.source}:{statement.line}: "
        return f"line {statement.line}: " if count > 1 else ""
