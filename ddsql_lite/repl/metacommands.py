"""The shell's backslash commands, registered in one table.

Each command is a function decorated with :func:`command`, which records its name, its
usage, a one-line help (what ``\\?`` lists) and what its argument completes to. A
command gets the shell and the text after its name; it reports problems by raising
:class:`UsageError` (or any DDSQLError), and ends the shell by raising :class:`Quit`.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import metadata
from ..errors import DDSQLError
from ..formats import FORMATS
from ..options import BY_NAME, SYNTAXES

if TYPE_CHECKING:
    from .shell import Shell

Handler = Callable[["Shell", str], None]


class UsageError(DDSQLError):
    """A meta-command was called with arguments it does not take."""


class Quit(Exception):
    """Raised by ``\\q``: leave the shell (exit status 0)."""


@dataclass(frozen=True)
class MetaCommand:
    """One backslash command. ``argument`` says what its argument completes to:
    ``"table"`` (table names), ``"sql"`` (a DDSQL query), ``"file"`` or ``""``
    (``choices``, possibly none)."""

    name: str
    usage: str
    help: str
    run: Handler
    argument: str = ""
    choices: tuple[str, ...] = ()


COMMANDS: dict[str, MetaCommand] = {}


def command(
    name: str,
    usage: str = "",
    *,
    help: str,
    argument: str = "",
    choices: Sequence[str] = (),
    aliases: Sequence[str] = (),
) -> Callable[[Handler], Handler]:
    """Register the decorated function as meta-command ``name`` (and ``aliases``)."""

    def register(run: Handler) -> Handler:
        spec = MetaCommand(name, usage, help, run, argument, tuple(choices))
        for key in (name, *aliases):
            if key in COMMANDS:
                raise ValueError(f"meta-command {key} registered twice")
            COMMANDS[key] = spec
        return run

    return register


def find(name: str) -> MetaCommand | None:
    return COMMANDS.get(name)


def completion_arguments(table_names: Sequence[str]) -> dict[str, Sequence[str] | None]:
    """For the completion catalog: each command name with the values its argument may
    take (None when the argument is a DDSQL query)."""
    out: dict[str, Sequence[str] | None] = {}
    for name, spec in COMMANDS.items():
        if spec.argument == "sql":
            out[name] = None
        elif spec.argument == "table":
            out[name] = list(table_names)
        else:
            out[name] = list(spec.choices)
    return out


def _switch(arg: str, current: bool, what: str) -> bool:
    """The new value of an on/off setting: ``on``, ``off``, or a toggle when empty."""
    word = arg.strip().lower()
    if not word:
        return not current
    if word in ("on", "off"):
        return word == "on"
    raise UsageError(f"{what} takes on or off, not {arg.strip()!r}")


# --- the commands ---------------------------------------------------------------------


def pattern(text: str) -> re.Pattern[str]:
    """A psql name pattern as a regular expression over whole names: ``*`` is any text,
    ``?`` any one character; unquoted letters are folded to lower case."""
    out, quoted = [], False
    for char in text.strip():
        if char == '"':
            quoted = not quoted
        elif char == "*" and not quoted:
            out.append(".*")
        elif char == "?" and not quoted:
            out.append(".")
        else:
            out.append(re.escape(char if quoted else char.lower()))
    return re.compile("".join(out), re.DOTALL)


@command("\\?", help="list the meta-commands", aliases=("help",))
def _help(shell: Shell, arg: str) -> None:
    specs = list(dict.fromkeys(COMMANDS.values()))
    heads = [f"{s.name} {s.usage}".rstrip() for s in specs]
    size = max(len(h) for h in heads) + 2
    lines = ["Meta-commands (a query runs when it ends with ;  Ctrl-D quits):"]
    lines += [f"  {h.ljust(size)}{s.help}" for h, s in zip(heads, specs)]
    shell.say("\n".join(lines))


@command(
    "\\h",
    "[STATEMENT]",
    help="the syntax of a statement DDSQL accepts (alone: list them)",
    choices=tuple(s.name for s in metadata.statement_help()[0]),
)
def _statement_help(shell: Shell, arg: str) -> None:
    accepted, refused, others = metadata.statement_help()
    word = arg.strip().rstrip(";").split(maxsplit=1)[0].upper() if arg.strip(" ;") else ""
    found = next((s for s in accepted if s.name == word), None)
    if found is not None:
        lines = [f"Command:     {found.name}", f"Description: {found.description}", "Syntax:"]
        shell.say("\n".join([*lines, *found.syntax]))
    elif word in refused:
        shell.say(f"{word} is refused: {refused[word]}.")
    else:
        size = max(len(s.name) for s in accepted) + 2
        head = f"No help for {word}: it is not a DDSQL statement.\n" if word else ""
        lines = [f"{head}Statements DDSQL accepts (\\h NAME shows the syntax):"]
        lines += [f"  {s.name.ljust(size)}{s.description}" for s in accepted]
        lines += ["Refused:", *(f"  {n.ljust(size)}{why}" for n, why in refused.items())]
        shell.say("\n".join(lines) + "\n" + textwrap.fill(others, min(shell.width(), 100)))


@command(
    "\\df",
    "[PATTERN]",
    help="list DDSQL's functions with their signatures (json*: a pattern)",
    choices=tuple(dict.fromkeys(f.name for f in metadata.function_help())),
)
def _functions(shell: Shell, arg: str) -> None:
    wanted = pattern(arg.strip().rstrip(";") or "*")
    rows = [
        (f.name, f.signature, f.description)
        for f in metadata.function_help(shell.con.syntax)
        if wanted.fullmatch(f.name)
    ]
    if not rows:
        raise UsageError(f"no DDSQL function matches {arg.strip()!r}; \\df lists them all")
    shell.table(["function", "signature", "description"], rows, wrap_last=True)


@command("\\dt", help="list the tables")
def _tables(shell: Shell, arg: str) -> None:
    _list_tables(shell, more=False)


@command("\\dt+", help="list the tables with their sizes, and where and when the data was loaded")
def _tables_more(shell: Shell, arg: str) -> None:
    _list_tables(shell, more=True)


def _list_tables(shell: Shell, *, more: bool) -> None:
    """The tables with their row counts (``more``: sizes too, then the data's source,
    dates and load time)."""
    rows = [
        [
            "\n".join([t.name, *(f"  or {a}" for a in t.aliases)]),
            shell.con.row_counts.get(t.name),
            *([_size(shell.con.table_bytes.get(t.name, 0))] if more else []),
            t.description,
        ]
        for t in shell.con.tables()
    ]
    size = ["size"] if more else []
    shell.table(["table", "rows", *size, "description"], rows, wrap_last=True)
    if more:
        shell.say(shell.load_note())


def _size(size: int) -> str:
    """Bytes as psql writes sizes: ``8192 bytes``, ``16 kB``, ``3 MB``."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 10 * 1024 or unit == "GB":
            return f"{size} {unit}"
        size = (size + 512) // 1024
    return f"{size} GB"  # (never reached)


@command(
    "\\d",
    "[TABLE]",
    help="describe a table: its columns, types and descriptions",
    argument="table",
)
def _describe(shell: Shell, arg: str) -> None:
    name = arg.strip().rstrip(";").strip()
    if not name:
        _tables(shell, "")
        return
    table = shell.con.registry.get(name)
    also = f" (also {', '.join(table.aliases)})" if table.aliases else ""
    rows = shell.con.row_counts.get(table.name)
    shell.say(f"Table {table.name}{also}, {rows} rows loaded")
    shell.say(textwrap.fill(table.description, min(shell.width(), 100)))
    shell.table(
        ["column", "type", "description"],
        [(c.name, c.type.ddsql, c.description) for c in table.columns],
        wrap_last=True,
    )


@command(
    "\\x",
    "[on|off|auto]",
    help="expanded display, a line per column (auto, the default: when too wide)",
    choices=("on", "off", "auto"),
)
def _expanded(shell: Shell, arg: str) -> None:
    word = arg.strip().lower()
    if not word:
        word = "off" if shell.settings.expanded == "on" else "on"
    if word not in ("on", "off", "auto"):
        raise UsageError(f"\\x takes on, off or auto, not {arg.strip()!r}")
    shell.settings.expanded = word
    if word == "auto":
        shell.say("Expanded display is used when a table would not fit.")
    else:
        shell.say(f"Expanded display is {word}.")


@command("\\timing", "[on|off]", help="show how long each query took", choices=("on", "off"))
def _timing(shell: Shell, arg: str) -> None:
    shell.settings.timing = _switch(arg, shell.settings.timing, "\\timing")
    shell.say(f"Timing is {'on' if shell.settings.timing else 'off'}.")


@command(
    "\\format",
    "[" + "|".join(FORMATS) + "]",
    help="how results are written (default: table)",
    choices=tuple(FORMATS),
)
def _format(shell: Shell, arg: str) -> None:
    word = arg.strip().lower()
    if word:
        if word not in FORMATS:
            raise UsageError(f"\\format takes one of {', '.join(FORMATS)}, not {word!r}")
        shell.settings.format = word
    shell.say(f"Output format is {shell.settings.format}.")


@command(
    "\\o",
    "[FILE]",
    help="send results to FILE; alone: back to the screen",
    argument="file",
)
def _output(shell: Shell, arg: str) -> None:
    path = arg.strip()
    shell.set_output(path or None)
    shell.say(f"Results go to {path}." if path else "Results go to the screen.")


@command(
    "\\translate",
    "[SQL]",
    help="the DuckDB SQL a query runs as (alone: the last query's)",
    argument="sql",
)
def _translate(shell: Shell, arg: str) -> None:
    sql = arg.strip().rstrip(";")
    if not sql:
        if shell.last_sql is None:
            raise UsageError("\\translate needs a query (no query has run yet)")
        sql = shell.last_sql
    shell.say(shell.con.translate(sql))


@command(
    "\\timeframe",
    "[START [END] | default]",
    help="set the time frame dd.time_frame_* (alone: show it); START may be a span such as 7d",
    choices=("default",),
)
def _timeframe(shell: Shell, arg: str) -> None:
    try:
        words = shlex.split(arg)
    except ValueError as exc:
        raise UsageError(f"\\timeframe: {exc}") from None
    if len(words) == 4:  # \timeframe 2025-03-01 12:00 2025-03-01 13:00
        words = [f"{words[0]} {words[1]}", f"{words[2]} {words[3]}"]
    if words == ["default"]:
        shell.set_time_frame(None, None)
    elif len(words) in (1, 2):
        shell.set_time_frame(words[0], words[1] if len(words) == 2 else None)
    elif words:
        raise UsageError(
            "\\timeframe takes START END (ISO-8601, e.g. '2025-03-01 12:00' "
            "'2025-03-01 13:00', or now-7d now), a span such as 7d, or default"
        )
    shell.say(f"Time frame: {shell.con.session.frame.describe()}")


@command(
    "\\syntax",
    "[ddsql | preview]",
    help="the DDSQL variant queries are read in, as --syntax (alone: show it)",
    choices=SYNTAXES,
)
def _syntax(shell: Shell, arg: str) -> None:
    word = arg.strip().rstrip(";").strip().lower()
    if word:
        if word not in SYNTAXES:
            raise UsageError(f"\\syntax takes {' or '.join(SYNTAXES)}, not {arg.strip()!r}")
        shell.con.set_syntax(word)
    name = "DDSQL (Preview)" if shell.con.syntax == "preview" else "DDSQL (the reference)"
    shell.say(f"Syntax: {shell.con.syntax}, {name}.")


@command(
    "\\timeout", "[SECONDS]", help="a query's time limit, as --timeout (0: none; alone: show it)"
)
def _timeout(shell: Shell, arg: str) -> None:
    value = arg.strip().rstrip(";").strip()
    if value:
        shell.set_limits(timeout=BY_NAME["timeout"].kind.read(value))
    seconds = shell.con.limits[0]
    shell.say(f"Time limit: {seconds:g} s per query." if seconds else "No time limit.")


@command("\\memory", "[SIZE]", help="a query's memory limit, as --memory-limit (alone: show it)")
def _memory(shell: Shell, arg: str) -> None:
    value = arg.strip().rstrip(";").strip()
    if value:
        shell.set_limits(memory_limit=BY_NAME["memory_limit"].kind.read(value))
    shell.say(f"Memory limit: {shell.con.limits[1]} per query.")


@command(
    "\\e",
    "[FILE]",
    help="edit the query being typed, or the last one (or FILE), in $VISUAL or $EDITOR; "
    "then run it",
    argument="file",
)
def _edit(shell: Shell, arg: str) -> None:
    shell.edit(arg.strip() or None)


@command(
    "\\i", "FILE", help="run the statements and meta-commands in FILE, in order", argument="file"
)
def _include(shell: Shell, arg: str) -> None:
    path = arg.strip()
    if not path:
        raise UsageError("\\i needs a file name")
    shell.run_file(path)


@command("\\s", "[FILE]", help="show the history (or write it to FILE)", argument="file")
def _history(shell: Shell, arg: str) -> None:
    shell.show_history(arg.strip() or None)


@command("\\reload", help="load the data again, with the same options")
def _reload(shell: Shell, arg: str) -> None:
    shell.reload()
    counts = ", ".join(f"{n}: {c} rows" for n, c in shell.con.row_counts.items())
    shell.say(f"Reloaded ({counts}).")


@command("\\q", help="quit (Ctrl-D does too)", aliases=("quit", "exit"))
def _quit(shell: Shell, arg: str) -> None:
    raise Quit
