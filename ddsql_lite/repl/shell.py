"""The interactive shell: a prompt_toolkit session over a :class:`Connection`.

:class:`Shell` runs inputs (queries and meta-commands) and writes what they produce;
it knows nothing of the terminal's keys. :func:`make_session` builds the prompt:
DDSQL highlighting (pygments' PostgresLexer), statements over several lines ended by
``;``, completion from :mod:`.completion`, persistent history in the user's data
directory, Ctrl-R search (Enter runs the query found, as in readline). :func:`run_shell`
ties them together: Ctrl-C at the prompt
clears the line, Ctrl-C during a query cancels it (the engine turns it into
QueryCancelledError) and the shell carries on; Ctrl-D or ``\\q`` leaves with status 0.

Nothing a user types or a query returns ends the shell: errors are reported and the
prompt comes back. Text from data and from the user reaches the terminal with its control
characters escaped (:func:`ddsql_lite.text.visible`). When the ``\\o`` file cannot be
written (a full disk), the error is reported and results go to the screen again; when
standard output is a closed pipe, the shell ends (the command exits with 141).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import platformdirs
from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import (
    CompleteEvent,
    Completer,
    Completion,
    PathCompleter,
    get_common_complete_suffix,
)
from prompt_toolkit.document import Document
from prompt_toolkit.filters import (
    Condition,
    completion_is_selected,
    has_completions,
    is_searching,
)
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.lexers import PygmentsLexer
from prompt_toolkit.output import Output
from prompt_toolkit.search import accept_search
from pygments.lexers.sql import PostgresLexer

from .. import __version__
from ..connection import Connection
from ..errors import DDSQLError, QueryCancelledError, fit_excerpts
from ..formats import render
from ..result import Result
from ..text import visible
from . import display, metacommands
from .catalog import ConnectionCatalog
from .completion import complete
from .sqltokens import is_complete, script_inputs, split_statements

PROMPT = "ddsql> "
PREVIEW_PROMPT = "ddsql (preview)> "  # the prompt while queries are read as DDSQL Preview
CONTINUATION = "...> "
ERROR_STYLE = "\x1b[31m"
WARNING_STYLE = "\x1b[33m"
CUT_NOTE = "- long values are cut to fit; \\x shows them whole"
BARE_COMMANDS = ("help", "quit", "exit")  # meta-commands also accepted without backslash
MAX_DEPTH = 16  # \i inside \i files, at most


class ScreenError(DDSQLError):
    """Standard output cannot be written (a full disk; a closed pipe ends the shell)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"cannot write to standard output: {error.strerror or error}")


@dataclass
class Settings:
    """What the meta-commands change."""

    expanded: str = "auto"  # "on", "off" or "auto"
    timing: bool = True
    format: str = "table"


class Shell:
    """Runs shell inputs against a connection and writes their output.

    ``open_connection`` opens the connection (again on ``\\reload``); results and
    messages go to ``stdout`` (or the ``\\o`` file), errors to ``stderr``. Styling, the
    pager and fitting tables to the width apply only when ``stdout`` is a terminal.
    """

    def __init__(
        self,
        open_connection: Callable[[], Connection],
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.open_connection = open_connection
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.settings = Settings()
        self.last_sql: str | None = None  # the last query that ran
        self.last_typed: str | None = None  # the last query given, whether it ran or not
        self.pending = ""  # text for the next prompt to start with (an unfinished \e)
        self.history: History | None = None  # the prompt's, once the loop runs
        self.output: TextIO | None = None
        self.output_path: str | None = None
        self._frame: tuple[str | None, str | None] | None = None
        self._limits: dict[str, Any] = {}  # \timeout and \memory, kept across \reload
        self._depth = 0  # how many \i files are running
        self.con = open_connection()
        self.catalog = self._catalog()

    # --- running inputs --------------------------------------------------------------

    def handle(self, text: str) -> None:
        """Run one input: a meta-command, or one or more ``;``-separated queries.

        Errors are written and swallowed; :class:`metacommands.Quit` propagates (the
        caller leaves the shell), and so does a KeyboardInterrupt outside a query.
        """
        stripped = text.strip()
        if not stripped:
            return
        edit = trailing_edit(text)
        if edit is not None:  # SELECT ...\n\e: edit the query being typed
            typed, path = edit
            self.run_meta(lambda: self.edit(path or None, typed))
            return
        name, *rest = stripped.split(maxsplit=1)
        name, arg = name.rstrip(";"), rest[0] if rest else ""
        bare = stripped.rstrip(";").strip().lower()
        if stripped.startswith("\\") or bare in BARE_COMMANDS:
            spec = metacommands.find(name if stripped.startswith("\\") else bare)
            if spec is None:
                self.error(f"unknown meta-command {name}; \\? lists them")
                return
            self.run_meta(lambda: spec.run(self, arg if stripped.startswith("\\") else ""))
            return
        for statement in split_statements(text):
            self.run_query(statement)

    def run_meta(self, run: Callable[[], None], where: str = "") -> bool:
        """Run a meta-command; report its error (after ``where``). Did it succeed?"""
        try:
            run()
        except DDSQLError as exc:
            self.error(where + str(exc))
            return False
        return True

    def run_query(self, sql: str, where: str = "") -> bool:
        """Run one DDSQL statement and show its result or its error (after ``where``,
        e.g. ``file.sql:3: ``). Did it succeed?"""
        self.last_typed = sql
        try:
            result = self.con.sql(sql)
        except QueryCancelledError as exc:
            self.error(str(exc), style=WARNING_STYLE, prefix="")
            return False
        except DDSQLError as exc:
            self.error(where + str(exc))
            return False
        self.last_sql = sql
        try:
            self.show(result)
        except DDSQLError as exc:  # a value Python cannot hold, the \o file unwritable...
            self.error(where + str(exc))
            return False
        return True

    def run_file(self, path: str) -> bool:
        """``\\i``: run the statements and meta-commands of the file at ``path`` in
        order, showing each result; stop at the first error, which names the file and
        line. Did every input succeed?"""
        try:
            text = Path(path).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError, RuntimeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise metacommands.UsageError(f"cannot read {path}: {why}") from None
        if self._depth >= MAX_DEPTH:
            raise metacommands.UsageError(f"{path}: \\i files nest more than {MAX_DEPTH} deep")
        self._depth += 1
        try:
            for line, item in script_inputs(text):
                where = f"{path}:{line}: "
                if not item.startswith("\\"):
                    if not self.run_query(item, where):
                        return False
                    continue
                name, _, arg = item.partition(" ")
                spec = metacommands.find(name.rstrip(";"))
                if spec is None:
                    self.error(f"{where}unknown meta-command {name}")
                    return False
                if not self.run_meta(functools.partial(spec.run, self, arg), where):
                    return False
            return True
        finally:
            self._depth -= 1

    def edit(self, path: str | None, typed: str = "") -> None:
        """``\\e``: edit ``typed`` (the query being typed), else the last query, or the
        file at ``path``, in ``$VISUAL`` or ``$EDITOR`` (else vi); then run what it
        holds when that is complete (else it waits at the prompt, to be finished)."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        if path is None:
            fd, name = tempfile.mkstemp(prefix="ddsql-", suffix=".sql")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                start = typed.strip() or self.last_typed or ""
                handle.write(start + ";\n" if start and not is_complete(start) else start)
        else:
            name = str(Path(path).expanduser())
        try:
            status = subprocess.call(f"{editor} {shlex.quote(name)}", shell=True)
            if status != 0:
                raise metacommands.UsageError(
                    f"the editor exited with status {status}; nothing ran"
                )
            text = Path(name).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise metacommands.UsageError(f"cannot edit {path or 'the query'}: {why}") from None
        finally:
            if path is None:
                with contextlib.suppress(OSError):
                    os.unlink(name)
        if not text:
            return
        if self.history is not None:
            self.history.append_string(text)
        if input_complete(text) and trailing_edit(text) is None:
            self.handle(text)
        else:
            self.pending = text

    def show_history(self, path: str | None) -> None:
        """``\\s``: the history, oldest first, on the screen or into the file at
        ``path``."""
        strings = [] if self.history is None else list(self.history.load_history_strings())
        text = "".join(s + "\n" for s in reversed(strings))
        if path is None:
            self.say(text or "(no history)")
            return
        try:
            Path(path).expanduser().write_text(text, encoding="utf-8")
        except (OSError, ValueError, RuntimeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise metacommands.UsageError(f"cannot write {path}: {why}") from None
        self.say(f"Wrote the history to {path}.")

    # --- output ----------------------------------------------------------------------

    def show(self, result: Result) -> None:
        """Write a result in the current format (to the ``\\o`` file when one is open)
        with a footer: the row count and, with ``\\timing`` on, the time."""
        columns, rows = result.columns, result.fetchall()
        types = result.duckdb_types
        seconds = result.seconds if self.settings.timing else None
        if not columns:  # SET: no result, like psql's command tag
            self.say(result.sql.split(maxsplit=1)[0].upper() if result.sql.strip() else "OK")
            return
        if self.output is not None:
            self.write_output(self.render(columns, rows, None, types=types)[0])
            path = visible(self.output_path or "")
            note = display.footer(len(rows), seconds, f"written to {path}")
            self.write(display.to_text([note], styled=self.styled))
            return
        limit = self.width() if self.is_terminal() else None
        body, cut = self.render(columns, rows, limit, styled=self.styled, types=types)
        note = display.footer(len(rows), seconds, CUT_NOTE if cut else "")
        text = body + display.to_text([note], styled=self.styled)
        try:
            display.show(text, self.stdout, pager=True)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise ScreenError(exc) from None

    def write_output(self, text: str) -> None:
        """Write to the ``\\o`` file; if that fails, close it and send results to the
        screen again (the error says so)."""
        assert self.output is not None
        try:
            self.output.write(text)
            self.output.flush()
        except OSError as exc:
            path = self.output_path
            self.set_output(None)
            raise metacommands.UsageError(
                f"cannot write to {path}: {exc.strerror or exc}; results go to the screen again"
            ) from None

    def write(self, text: str) -> None:
        """Write ``text`` (already safe for the terminal) to the screen. A closed pipe
        ends the shell (BrokenPipeError propagates); another failure is a ScreenError."""
        try:
            self.stdout.write(text)
            self.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise ScreenError(exc) from None

    def render(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        limit: int | None,
        *,
        styled: bool = False,
        types: Sequence[str | None] | None = None,
    ) -> tuple[str, bool]:
        """A result as text in the current format, fitted to ``limit`` columns (None:
        no limit), without a footer; and whether any value was cut to fit. ``types``:
        the columns' DuckDB types (the JSON formats nest JSON values by them)."""
        if self.settings.format != "table":
            return render(self.settings.format, columns, rows, types), False
        if self.expanded_for(columns, rows, limit):
            return display.to_text(display.expanded(columns, rows, limit), styled=styled), False
        lines, cut = display.aligned(columns, rows, limit)
        return display.to_text(lines, styled=styled), cut

    def expanded_for(
        self, columns: Sequence[str], rows: Sequence[Sequence[Any]], limit: int | None
    ) -> bool:
        """Expanded display: with ``\\x on``, or with ``auto`` when even a table with its
        long values cut cannot fit the terminal's ``limit`` columns."""
        mode = self.settings.expanded
        if mode == "auto":
            return limit is not None and not display.fits(columns, rows, limit)
        return mode == "on"

    def table(
        self, columns: Sequence[str], rows: Iterable[Sequence[Any]], wrap_last: bool = False
    ) -> None:
        """Write a small aligned table (meta-command output) to the screen; with
        ``wrap_last`` the last column is word-wrapped to the terminal's width."""
        cells = [list(r) for r in rows]
        if wrap_last and cells and self.is_terminal():
            first = display.Grid(columns[:-1], [r[:-1] for r in cells])
            room = max(self.width() - first.total_width(first.natural) - 3, 30)
            for row in cells:
                row[-1] = "\n".join(textwrap.wrap(str(row[-1] or ""), room) or [""])
        lines, _ = display.aligned(columns, cells, markers=False)
        self.write(display.to_text(lines, styled=self.styled))

    def say(self, text: str) -> None:
        """Write a message to the screen (control characters escaped)."""
        text = visible(text, newlines=True)
        self.write(text if text.endswith("\n") else text + "\n")

    def error(self, text: str, *, style: str = ERROR_STYLE, prefix: str = "error: ") -> None:
        """Write an error to stderr (control characters escaped; on a terminal, a query's
        line above a caret trimmed around the caret to fit the width); if even that
        fails, there is nowhere left to report it."""
        text = visible(prefix + text, newlines=True)
        if self.is_terminal():
            text = fit_excerpts(text, self.width())
        head, *rest = text.split("\n")
        if self.styled:
            head = f"{style}{head}{display.RESET}"
        with contextlib.suppress(OSError, ValueError):
            self.stderr.write("\n".join([head, *rest]) + "\n")
            self.stderr.flush()

    def is_terminal(self) -> bool:
        try:
            return self.stdout.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def styled(self) -> bool:
        return self.is_terminal() and "NO_COLOR" not in os.environ

    def width(self) -> int:
        """The terminal's columns: its real size, as prompt_toolkit reads it (a stale
        ``$COLUMNS`` would lay results and error excerpts out for another width)."""
        try:
            return os.get_terminal_size(self.stdout.fileno()).columns
        except (AttributeError, OSError, ValueError):  # not a terminal
            return shutil.get_terminal_size().columns

    # --- state the meta-commands change ----------------------------------------------

    def set_output(self, path: str | None) -> None:
        """Send results to the file at ``path`` (created or truncated), or back to the
        screen when None."""
        if path is not None:
            try:
                handle = open(Path(path).expanduser(), "w", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise metacommands.UsageError(
                    f"cannot write {path}: {exc.strerror or exc}"
                ) from None
            except (ValueError, RuntimeError) as exc:  # a NUL in the path, ~unknown-user
                raise metacommands.UsageError(f"cannot write {path}: {exc}") from None
        self.close_output()
        self.output, self.output_path = (handle, path) if path is not None else (None, None)

    def close_output(self) -> None:
        """Close the ``\\o`` file, if any. Every write was flushed, so a failure here
        (a full disk) was reported by the write already."""
        if self.output is not None:
            with contextlib.suppress(OSError):
                self.output.close()
            self.output, self.output_path = None, None

    def set_limits(self, **limits: Any) -> None:
        """Change the time or memory limit of later queries (kept across ``\\reload``)."""
        self.con.set_limits(**limits)
        self._limits.update(limits)

    def set_time_frame(self, start: str | None, end: str | None) -> None:
        """Set the session's time frame (kept across ``\\reload``)."""
        self.con.set_time_frame(start, end)
        self._frame = (start, end) if start or end else None

    def prompt(self) -> str:
        """The prompt: it says which DDSQL variant queries are read in (``\\syntax``)."""
        return PREVIEW_PROMPT if self.con.syntax == "preview" else PROMPT

    def reload(self) -> None:
        """Open the connection again with the same options (and the same variant); the
        old one stays in use if that fails."""
        fresh = self.open_connection()
        fresh.set_syntax(self.con.syntax)
        self.con.close()
        self.con = fresh
        self.catalog = self._catalog()
        if self._frame is not None:
            self.con.set_time_frame(*self._frame)
        if self._limits:
            self.con.set_limits(**self._limits)

    def _catalog(self) -> ConnectionCatalog:
        names = [n for t in self.con.tables() for n in t.names]
        return ConnectionCatalog(self.con, metacommands.completion_arguments(names))

    def banner(self) -> str:
        counts = ", ".join(f"{n}: {c} rows" for n, c in self.con.row_counts.items())
        lines = [f"ddsql_lite {__version__} ({counts})"]
        if self.con.load_report().source == "sample":
            lines.append(self.data_note())
        lines.append("\\? lists the meta-commands, \\h the statements, Ctrl-D quits.")
        return "\n".join(lines)

    def data_note(self) -> str:
        """Where the data comes from, and the span of its timestamps."""
        report = self.con.load_report()
        source = {
            "sample": "the bundled sample data (made-up experiments)",
            "fixtures": "fixture files",
            "aws": "a cached live AWS load" if report.from_cache else "a live AWS load",
        }.get(report.source, report.source)
        if report.data_range is None:
            return f"Data: {source}."
        first, last = report.data_range
        return f"Data: {source}, dated {first:%Y-%m-%d} to {last:%Y-%m-%d}."

    def load_note(self) -> str:
        """``\\dt+``: the data's source and span, and when it was loaded."""
        loaded = self.con.load_report().loaded_at
        return f"{self.data_note()}\nLoaded at {loaded:%Y-%m-%d %H:%M:%S} UTC."

    def close(self) -> None:
        self.close_output()
        self.con.close()

    # --- the loop ----------------------------------------------------------------------

    def loop(self, session: PromptSession[str]) -> int:
        """Prompt and run inputs until Ctrl-D or ``\\q``; the exit status (0)."""
        self.history = session.history
        while True:
            try:
                text, self.pending = session.prompt(default=self.pending), ""
            except KeyboardInterrupt:
                continue  # Ctrl-C at the prompt drops the line
            except EOFError:
                return 0
            try:
                self.handle(text)
            except metacommands.Quit:
                return 0
            except KeyboardInterrupt:
                self.error("cancelled", style=WARNING_STYLE, prefix="")
            except BrokenPipeError:
                raise  # the screen's reader is gone: nothing more can be shown
            except Exception as exc:  # a bug: report it and keep the session
                self.error(f"internal error, please report it: {type(exc).__name__}: {exc}")


class ShellCompleter(Completer):
    """prompt_toolkit's view of :func:`.completion.complete` (and file names for the
    meta-commands that take one: ``\\o``, ``\\i``, ``\\e``, ``\\s``)."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, event: CompleteEvent) -> Iterable[Completion]:
        before = document.text_before_cursor
        name, space, rest = before.lstrip().partition(" ")
        spec = metacommands.find(name) if space else None
        if spec is not None and spec.argument == "file":
            path = rest.lstrip()
            yield from self.paths.get_completions(Document(path, len(path)), event)
            return
        if (
            not event.completion_requested
            and not before[-1:].isalnum()
            and (before[-1:] not in ("_", ".", "'", '"', "#"))
        ):
            return  # while typing, offer names only once a name has started (Tab: always)
        syntax = self.shell.con.syntax
        for cand in complete(before, self.shell.catalog, document.text_after_cursor, syntax):
            yield Completion(
                cand.text,
                cand.start,
                display=cand.display or cand.text,
                display_meta=cand.detail,
            )


def input_complete(text: str) -> bool:
    """Should Enter run ``text`` (rather than start a new line)? Yes for an empty
    input, a meta-command, SQL that ends with ``;``, or SQL and then a ``\\e`` line."""
    stripped = text.strip()
    return (
        not stripped
        or stripped.startswith("\\")
        or stripped.rstrip(";").lower() in BARE_COMMANDS
        or is_complete(text)
        or trailing_edit(text) is not None
    )


def trailing_edit(text: str) -> tuple[str, str] | None:
    """For an input whose last line is ``\\e [FILE]`` after lines of SQL (as psql
    allows): the SQL and the file argument; None for any other input."""
    head, _, last = text.rstrip().rpartition("\n")
    name, _, arg = last.strip().partition(" ")
    if not head.strip() or name != "\\e":
        return None
    return head, arg.strip()


def default_history() -> History:
    """Persistent history in the user's data directory (in memory if it cannot be
    written)."""
    folder = Path(platformdirs.user_data_dir("ddsql_lite", appauthor=False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "history"
        path.touch(exist_ok=True)
    except OSError:
        return InMemoryHistory()
    return FileHistory(str(path))


def key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter", filter=is_searching)
    def _run_found(event: KeyPressEvent) -> None:
        """Enter in a Ctrl-R search takes the query found and runs it, as readline
        does (an unfinished statement is left to finish)."""
        accept_search()
        buffer = event.app.current_buffer
        if input_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.cursor_position = len(buffer.text)

    @bindings.add("enter", filter=completion_is_selected)
    def _take_completion(event: KeyPressEvent) -> None:
        """Enter on a highlighted completion takes it (and does not run the input)."""
        event.current_buffer.complete_state = None

    @bindings.add("tab", filter=~has_completions)
    def _complete_now(event: KeyPressEvent) -> None:
        """Tab completes at once: a single candidate is taken, else the common part is
        inserted, else the menu opens. (prompt_toolkit's own Tab starts an asynchronous
        completion, which it drops while the one started by typing still runs: a quick
        Tab would then only show the menu.)"""
        buf = event.current_buffer
        if buf.completer is None:
            return
        found = list(
            buf.completer.get_completions(buf.document, CompleteEvent(completion_requested=True))
        )
        if len(found) == 1:
            buf.apply_completion(found[0])
        elif common := get_common_complete_suffix(buf.document, found):
            buf.insert_text(common)
        elif found:
            buf.start_completion(select_first=False)

    return bindings


def make_session(
    shell: Shell,
    *,
    history: History | None = None,
    input: Input | None = None,
    output: Output | None = None,
    complete_while_typing: bool = True,
) -> PromptSession[str]:
    """The prompt: highlighting, multi-line statements ended by ``;``, completion,
    history (``default_history()`` unless given) with Ctrl-R search."""

    def continuation(width: int, line_number: int, wrap_count: int) -> str:
        """The prompt of a line the user started with Enter; none where a long line
        merely wraps."""
        return "" if wrap_count else CONTINUATION.rjust(width)

    # Whether Enter starts a new line depends on the input typed so far: the default
    # buffer's, not the current buffer's (that is the search field during Ctrl-R).
    session: PromptSession[str] = PromptSession(
        shell.prompt,
        multiline=Condition(lambda: not input_complete(session.default_buffer.text)),
        prompt_continuation=continuation,
        lexer=PygmentsLexer(PostgresLexer),
        # Not a ThreadedCompleter: completion is fast (keys are cached per load), and a
        # completion still running in a thread makes prompt_toolkit drop a quick Tab.
        completer=ShellCompleter(shell),
        complete_while_typing=complete_while_typing,
        auto_suggest=AutoSuggestFromHistory(),
        history=history if history is not None else default_history(),
        search_ignore_case=True,
        key_bindings=key_bindings(),
        input=input,
        output=output,
    )
    return session


def run_shell(
    open_connection: Callable[[], Connection],
    *,
    input: Input | None = None,
    output: Output | None = None,
    history: History | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Open the connection and run the shell; the exit status (1 if the data cannot be
    loaded, else 0)."""
    err = stderr or sys.stderr
    try:
        shell = Shell(open_connection, stdout=stdout, stderr=stderr)
    except DDSQLError as exc:
        err.write(f"error: {exc}\n")
        return 1
    try:
        shell.say(shell.banner())
        session = make_session(shell, history=history, input=input, output=output)
        return shell.loop(session)
    finally:
        shell.close()
