"""IPython extension: ``%ddsql`` and ``%%ddsql`` run DDSQL and return pandas DataFrames.

Load it with ``%load_ext ddsql_lite``, then::

    %%ddsql -o by_status
    SELECT status, count(*) AS experiments
    FROM aws.sagemaker_inference_experiment
    GROUP BY status

Contract:

- A query's value is a pandas DataFrame, returned as the cell's value (so ``_`` holds
  it); ``-o NAME`` also assigns it to ``NAME`` in the user namespace. ``%ddsql QUERY``
  does the same on one line, with the options before the query.
- ``:name`` placeholders are bound to the Python variables of the same name: their
  values go to :meth:`Connection.sql` as ``params`` and DuckDB binds them; nothing is
  ever pasted into the SQL text. The query is passed on verbatim: IPython's ``$var`` /
  ``{expr}`` expansion is off for it (it stays on for option values: ``--fixtures $p``).
- The options are :mod:`ddsql_lite.options`', spelled as on the command line
  (``--fixtures``, ``--source``, ``--region``, ``--profile``... list options repeat or
  take commas). ``--timeout`` and ``--syntax`` (the DDSQL variant: ``ddsql``, the
  default, or ``preview``) apply to the cell's query and ``--time-frame`` sets the
  session's time frame (``--time-frame now-7d now SELECT ...``: the query starts at the
  first word that is no time); the others say which data to load and are passed to
  :func:`ddsql_lite.connect`. The connection is opened on first use and reused by
  later cells. A cell without data options uses the open connection (the bundled sample
  data if none is open); a cell whose data options differ from the open connection's,
  or that says ``--refresh``, reopens it with exactly those options.
  Options with no query only (re)open the connection and print what it loaded (rows,
  and the dates its timestamps span); opening live data also prints the load report
  (and every region that failed).
- A query that fails (any :class:`~ddsql_lite.errors.DDSQLError`, including a
  placeholder without a Python variable) raises :class:`DDSQLMagicError`, which IPython
  shows as the error's message alone (with the caret for syntax errors), without a
  traceback. The cell counts as failed, so "Run all" stops there; ``_`` and the ``-o``
  variable keep their previous values. Bad options and bad option values (a negative,
  ``nan`` or ``inf`` ``--timeout``, a ``--memory-limit`` without a positive size) raise
  IPython's ``UsageError``, also shown without a traceback. Messages show control
  characters from data or queries as escapes (:func:`ddsql_lite.text.visible`).
"""

from __future__ import annotations

import re
import shlex
from argparse import ArgumentTypeError
from collections.abc import Callable
from keyword import iskeyword
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.utils.text import DollarFormatter

from . import options
from .connection import Connection, connect
from .errors import DDSQLError
from .text import visible

if TYPE_CHECKING:
    from argparse import Action, ArgumentParser, Namespace

    import pandas
    from IPython.core.interactiveshell import InteractiveShell


class DDSQLMagicError(DDSQLError):
    """A ``%ddsql`` query failed. IPython displays only ``kind: message``, no traceback.

    ``kind`` is the original error's class name (``ParseError``, ``CatalogError``...);
    the original error, when there is one, is ``__cause__``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    @classmethod
    def wrap(cls, error: DDSQLError) -> DDSQLMagicError:
        return cls(type(error).__name__, str(error))

    def _render_traceback_(self) -> list[str]:
        """What IPython (terminal and kernel) shows instead of a traceback (a notebook
        would interpret escape sequences from data: they are shown escaped)."""
        return visible(f"{self.kind}: {self}", newlines=True).splitlines()


# Options that apply to one cell's query, not to the connection.
_PER_QUERY = ("timeout", "time_frame", "syntax")


def connection_options(args: Namespace) -> dict[str, Any]:
    """The ``connect()`` keywords a cell gave for its connection, checked and normalised
    (paths resolved, so that the same data means the same options wherever the cell
    runs). DDSQLError for a bad value or an option that does not fit the source."""
    given = options.keywords(args)
    for name in (*_PER_QUERY, "refresh"):
        given.pop(name, None)
    settled = options.settle(given, flags=True)
    return {
        name: str(value.expanduser().resolve()) if isinstance(value, Path) else value
        for name, value in ((name, settled[name]) for name in given)
    }


def describe(given: dict[str, Any]) -> str:
    """What connection options load, in words."""
    source = given.get("source")
    if source == "fixtures" or (source is None and "fixtures" in given):
        return f"fixtures {given['fixtures']}"
    if source in (None, "sample"):
        return "the bundled sample data"
    words = [f"source {source}"]
    for label, name in (
        ("regions", "regions"),
        ("profiles", "profiles"),
        ("role ARNs", "role_arns"),
        ("endpoint", "endpoint_url"),
    ):
        value = given.get(name)
        if value:
            words.append(f"{label} {value if isinstance(value, str) else ','.join(value)}")
    return ", ".join(words)


# One token of a magic line: quoted chunks and non-space characters, glued together.
_TOKEN = re.compile(r"""\s*((?:"[^"]*"|'[^']*'|[^\s"'])+)""")


def split_line(line: str, parser: ArgumentParser) -> tuple[list[str], str]:
    """Split a ``%ddsql`` line into its option tokens (unquoted) and the query text.

    Options come first; the query starts at the first token that is neither an option
    nor an option's value (or after a lone ``--``) and is returned verbatim, so quotes,
    ``->``, ``'{a,0}'`` and ``:name`` reach the translator untouched. Which options take
    a value is read from ``parser``.
    """
    options: list[str] = []
    pos = 0
    expect: Action | None = None  # the option whose first value comes next
    more: Action | None = None  # an option of several values (START [END]) that had one
    while True:
        match = _TOKEN.match(line, pos)
        if match is None:  # end of line, or an unbalanced quote: the rest is the query
            return options, line[pos:].strip()
        raw = match.group(1)
        if expect is None and raw == "--":
            return options, line[match.end() :].strip()
        if expect is None and not raw.startswith("-") and not _reads(more, raw):
            return options, line[match.start(1) :].strip()
        options.extend(shlex.split(raw))
        if expect is not None:  # raw was its value
            more = expect if expect.nargs == "+" else None
            expect = None
        elif more is None or raw.startswith("-"):
            expect, more = _value_action(raw, parser), None
        pos = match.end()


def _value_action(token: str, parser: ArgumentParser) -> Action | None:
    """The option ``token`` names when its value is the next token (not ``--opt=value``,
    not a flag)."""
    if token.startswith("--") and "=" in token:
        return None
    action = parser._option_string_actions.get(token)
    return action if action is not None and action.nargs != 0 else None


def _reads(action: Action | None, token: str) -> bool:
    """Whether ``action`` (an option that already has a value) reads ``token`` as one
    more: ``--time-frame now-7d now SELECT ...`` ends its values at the query."""
    if action is None or not callable(action.type):
        return False
    try:
        for word in shlex.split(token):
            action.type(word)
    except (ArgumentTypeError, ValueError, DDSQLError):
        return False
    return True


# The magic's arguments (names, keywords): -o, then every option of ddsql_lite.options
# (shown by ``%ddsql?``).
OPTIONS: list[tuple[list[str], dict[str, Any]]] = [
    (["-o", "--out"], {"metavar": "NAME", "help": "also store the DataFrame in variable NAME"}),
    *options.arguments(),
]

_F = TypeVar("_F", bound=Callable[..., Any])


def with_arguments(*arguments: tuple[list[str], dict[str, Any]]) -> Callable[[_F], _F]:
    """IPython's ``@magic_arguments()`` + one ``@argument`` per option, in order (typed)."""

    def decorate(func: _F) -> _F:
        for names, kwargs in reversed(arguments):
            func = argument(*names, **kwargs)(func)  # type: ignore[no-untyped-call]
        return cast(_F, magic_arguments()(func))  # type: ignore[no-untyped-call]

    return decorate


def parser_of(magic: object) -> ArgumentParser:
    """The argparse parser that ``@magic_arguments()`` attached to ``magic``."""
    parser: ArgumentParser = magic.parser  # type: ignore[attr-defined]
    return parser


@magics_class
class DDSQLMagics(Magics):
    """The ``%ddsql`` / ``%%ddsql`` magics and the connection they share."""

    def __init__(self, shell: InteractiveShell) -> None:
        super().__init__(shell)
        self.connection: Connection | None = None
        self.options: dict[str, Any] | None = None  # the open connection's

    @no_var_expand
    @with_arguments(*OPTIONS)
    @line_cell_magic
    def ddsql(self, line: str, cell: str | None = None) -> pandas.DataFrame | None:
        """Run a DDSQL query; return its result as a pandas DataFrame.

        ``%ddsql [options] QUERY`` on one line, or ``%%ddsql [options]`` with the query
        in the cell. ``:name`` in the query is bound to the Python variable ``name``.
        """
        parser = parser_of(DDSQLMagics.ddsql)
        tokens, query = split_line(line, parser)
        if cell is not None:
            if query:
                raise UsageError(
                    f"%%ddsql takes options on its first line and the query in the cell; "
                    f"got {query!r} on the first line"
                )
            query = cell.strip()
        args = parser.parse_args([self._expand(t) for t in tokens])
        if args.out is not None and (not args.out.isidentifier() or iskeyword(args.out)):
            raise UsageError(f"-o needs a Python variable name, got {args.out!r}")
        if args.out is not None and not query:
            raise UsageError("-o stores a query's result; there is no query")
        try:
            given = connection_options(args)
            per_query = options.settle(
                {"timeout": args.timeout, "time_frame": args.time_frame, "syntax": args.syntax},
                flags=True,
            )
        except DDSQLError as err:  # a bad value or a misfit: bad usage, as on the CLI
            raise UsageError(str(err)) from None
        timeout = per_query["timeout"] if args.timeout is not None else None
        try:
            connection, opened = self._connection(given, refresh=bool(args.refresh))
            report = connection.load_report()
            if not query or (opened and len(report)):
                counts = ", ".join(f"{t}: {n} rows" for t, n in connection.row_counts.items())
                if report.data_range is not None:
                    first, last = report.data_range
                    counts += f"; timestamps {first:%Y-%m-%d} to {last:%Y-%m-%d}"
                print(visible(f"ddsql: {describe(self.options or given)} ({counts})"))
                if len(report):  # a live load: what it read, and any region that failed
                    print(visible(report.summary(), newlines=True))
            frame = per_query["time_frame"]
            if frame is not None:
                connection.set_time_frame(frame.start, frame.end)
            if not query:
                return None
            syntax = per_query["syntax"]
            params = self._parameters(connection, query, syntax)
            frame = connection.sql(query, params, timeout=timeout, syntax=syntax).df()
        except DDSQLMagicError:
            raise
        except DDSQLError as err:
            raise DDSQLMagicError.wrap(err) from err
        if args.out is not None:
            self.user_ns[args.out] = frame
        return frame

    @property
    def user_ns(self) -> dict[str, Any]:
        """The user's namespace (the magics are always registered on a shell)."""
        assert self.shell is not None
        namespace: dict[str, Any] = self.shell.user_ns
        return namespace

    def _expand(self, token: str) -> str:
        """IPython's ``$name`` / ``{expr}`` expansion of one option token (user namespace)."""
        try:
            return DollarFormatter().vformat(token, args=[], kwargs=self.user_ns)
        except Exception:  # like IPython: what cannot be expanded stays as written
            return token

    def _connection(self, given: dict[str, Any], *, refresh: bool) -> tuple[Connection, bool]:
        """The connection for the options ``given`` and whether it was opened now: the
        open one, unless ``given`` asks for other data or ``refresh``."""
        if self.connection is not None and not refresh and (not given or given == self.options):
            return self.connection, False
        connection = connect(**({**given, "refresh": True} if refresh else given))
        if self.connection is not None:
            self.connection.close()
        self.connection, self.options = connection, given
        return connection, True

    def _parameters(self, connection: Connection, query: str, syntax: str) -> dict[str, Any]:
        """The value of each ``:name`` placeholder of ``query``: the user's variable."""
        names = connection.parameters(query, syntax=syntax)
        namespace = self.user_ns
        missing = [n for n in names if n not in namespace]
        if missing:
            listed = ", ".join(f":{n}" for n in missing)
            raise DDSQLMagicError(
                "NameError",
                f"no Python variable for {listed}; assign one first (e.g. {missing[0]} = ...)",
            )
        return {n: namespace[n] for n in names}


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register the magics (``%load_ext ddsql_lite``)."""
    ipython.register_magics(DDSQLMagics)
