"""The ``ddsql`` command: a thin layer over the library.

    ddsql                         the interactive shell (\\? lists its commands)
    ddsql -c "SQL" [--format table|csv|json|markdown] [--fixtures PATH]
    ddsql -f query.sql            (or the query on standard input)
    ddsql translate "SQL"         print the DuckDB SQL
    ddsql -c "SQL" --source aws [--region NAME|all] [--profile NAME] [--cache DIR]
    ddsql record --source aws [--region ...] --out FILE.json   save a live load

Exit status: 0 on success; 1 when a query or load fails, or the output cannot be written
(message on stderr); 2 on bad usage (options, option values, an unreadable query file);
130 on Ctrl-C, wherever it lands; 141 when the reader of the output goes away (a closed
pipe, as in ``ddsql -c ... | head -1``: nothing is printed, as a tool killed by SIGPIPE).

Nothing heavy is imported at module level: the console script imports this module before
:func:`main` can catch Ctrl-C, so the libraries load inside it. An unexpected exception
(a bug) is one ``internal error`` line too; ``DDSQL_DEBUG=1`` shows its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import DDSQLError, QueryCancelledError

if TYPE_CHECKING:
    from .connection import Connection

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool killed by it

EXAMPLES = """\
examples:
  ddsql                                  the interactive shell on the bundled sample data
  ddsql -c "SELECT status, count(*) FROM aws.sagemaker_inference_experiment GROUP BY 1"
  ddsql -c "SELECT name, tags->'team' AS team FROM aws.sagemaker_inference_experiment" --format csv
  ddsql -f report.sql --fixtures recorded/ --format json
  echo "SELECT count(*) FROM aws_sagemaker_inference_experiment" | ddsql
  ddsql translate "SELECT schedule->>'start_time' FROM aws.sagemaker_inference_experiment"
  ddsql -c "SELECT status, count(*) FROM aws.sagemaker_inference_experiment GROUP BY 1" \\
        --source aws --profile prod --region all --cache ~/.cache/ddsql --max-age 2h
  ddsql record --source aws --profile prod --region us-east-1 --out recorded/prod.jsonl

Without --fixtures, queries run on the bundled sample data (no AWS credentials needed).
"""


def data_options() -> argparse.ArgumentParser:
    """Options shared by every command that loads data and runs queries."""
    from .engine import DEFAULT_MEMORY_LIMIT
    from .limits import DEFAULT_TIMEOUT

    shared = argparse.ArgumentParser(add_help=False)
    group = shared.add_argument_group("data and limits")
    group.add_argument(
        "--fixtures",
        metavar="PATH",
        type=Path,
        help="fixture file (.json, .jsonl) or directory to load instead of the bundled sample data",
    )
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=timeout_seconds,
        default=DEFAULT_TIMEOUT,
        help="stop a query after this many seconds (default %(default)g; 0 for no limit)",
    )
    group.add_argument(
        "--memory-limit",
        metavar="SIZE",
        type=memory_size,
        default=DEFAULT_MEMORY_LIMIT,
        help="memory a query may use, e.g. 2GB or 512MiB (default %(default)s); DuckDB's "
        "memory and, on Linux, the process's resident memory are both held to it",
    )
    group.add_argument(
        "--temp-limit",
        metavar="SIZE",
        type=memory_size,
        help="disk a query may spill to in the temporary directory (default: the memory "
        "limit)",
    )
    group.add_argument(
        "--time-frame",
        nargs=2,
        type=instant,
        metavar=("START", "END"),
        help="the session time frame CURRENT_SETTING('dd.time_frame_start'/'_end') reads, as "
        "ISO timestamps in UTC (default: the hour before each query)",
    )
    source_options(shared)
    return shared


def source_options(
    parser: argparse.ArgumentParser, *, defaults: bool = True, cache: bool = True
) -> argparse.ArgumentParser:
    """``--source`` and the live AWS options, added to ``parser`` (shared by the query
    commands and ``record``; ``cache=False`` leaves out the --cache options). With
    ``defaults=False`` unset options stay out of the namespace, so a subcommand's copy
    does not overwrite values given before it."""
    from .loaders.aws_options import CONNECT_TIMEOUT, DEFAULT_MAX_WORKERS, READ_TIMEOUT
    from .loaders.cache import DEFAULT_MAX_AGE
    from .loaders.report import format_duration
    from .loaders.sources import SOURCES

    unset: dict[str, Any] = {} if defaults else {"default": argparse.SUPPRESS}
    group = parser.add_argument_group("live AWS data (--source aws)")
    group.add_argument(
        "--source",
        choices=SOURCES,
        help="where the data comes from: the bundled sample, --fixtures, or live AWS "
        "(default: sample, or fixtures with --fixtures)",
        **unset,
    )
    group.add_argument(
        "--region",
        dest="regions",
        metavar="NAME",
        action="append",
        help="AWS region to load; repeat it (or use commas) for several, or 'all' for every "
        "region SageMaker has that the account enabled (default: the profile's region)",
        **unset,
    )
    group.add_argument(
        "--profile",
        dest="profiles",
        metavar="NAME",
        action="append",
        help="AWS profile to load with; repeat it for several accounts "
        "(default: boto3's credential chain: environment, AWS_PROFILE, SSO, instance role)",
        **unset,
    )
    group.add_argument(
        "--role-arn",
        dest="role_arns",
        metavar="ARN",
        action="append",
        help="IAM role to assume (with the profile's credentials) and load; repeat it for "
        "several accounts",
        **unset,
    )
    group.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="send SageMaker calls to this URL (a VPC endpoint, a local stand-in)",
        **unset,
    )
    group.add_argument(
        "--max-workers",
        metavar="N",
        type=int,
        help=f"concurrent API calls while loading (default {DEFAULT_MAX_WORKERS})",
        **unset,
    )
    group.add_argument(
        "--connect-timeout",
        metavar="SECONDS",
        type=float,
        help=f"give up connecting to AWS after SECONDS, per attempt (default {CONNECT_TIMEOUT:g})",
        **unset,
    )
    group.add_argument(
        "--read-timeout",
        metavar="SECONDS",
        type=float,
        help=f"give up waiting for an AWS answer after SECONDS, per attempt (default "
        f"{READ_TIMEOUT:g}); a region that times out is reported, the others load",
        **unset,
    )
    if not cache:
        return parser
    group.add_argument(
        "--cache",
        metavar="DIR",
        type=Path,
        help="keep a Parquet snapshot of the live load in DIR and reuse it while it is "
        "younger than --max-age",
        **unset,
    )
    group.add_argument(
        "--max-age",
        metavar="AGE",
        type=_duration,
        help=f"how old a --cache snapshot may be, e.g. 90s, 15m, 2h, 1d "
        f"(default {format_duration(DEFAULT_MAX_AGE)})",
        **unset,
    )
    group.add_argument(
        "--refresh",
        action="store_true",
        help="load from AWS even when the --cache snapshot is young enough",
        **unset,
    )
    return parser


def _duration(text: str) -> float:
    from .loaders.cache import parse_duration

    try:
        seconds = parse_duration(text)
    except DDSQLError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not math.isfinite(seconds):
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 15m, 2h, 1d)")
    return seconds


def timeout_seconds(text: str) -> float:
    """``--timeout``: seconds >= 0 (0: no limit); negative, ``nan``, ``inf`` and empty
    values are usage errors rather than a limit silently gone."""
    from .limits import check_timeout

    try:
        return check_timeout(text)
    except DDSQLError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def memory_size(text: str) -> str:
    """``--memory-limit``, ``--temp-limit``: a positive size with a unit (``2GB``,
    ``512MiB``), as DuckDB reads it; anything else is a usage error."""
    from .memory import check_size

    try:
        return check_size(text)
    except DDSQLError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def instant(text: str) -> str:
    """A ``--time-frame`` end: checked here (a usage error), parsed again by the
    connection."""
    from .timeframe import parse_instant

    try:
        parse_instant(text, "--time-frame")
    except DDSQLError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that ``--help`` and ``--version`` output that cannot be
    written fails as any other output does (argparse ignores the failure: status 0)."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and (file is None or file is sys.stdout):
            emit(message)
        else:
            super()._print_message(message, file)


def build_parser() -> argparse.ArgumentParser:
    from .formats import FORMATS

    shared = data_options()
    parser = _Parser(
        prog="ddsql",
        description="Run Datadog DDSQL queries on AWS SageMaker inference experiments, "
        "locally, on DuckDB.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[shared],
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("-c", "--command", metavar="SQL", help="run this query and exit")
    source.add_argument(
        "-f",
        "--file",
        metavar="FILE",
        type=Path,
        help="run the query in FILE ('-' for standard input) and exit",
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="table",
        help="output format (default %(default)s)",
    )
    parser.add_argument("--version", action="version", version=f"ddsql_lite {__version__}")
    sub = parser.add_subparsers(dest="subcommand", metavar="COMMAND")
    translate = sub.add_parser(
        "translate",
        help="print the DuckDB SQL for a DDSQL query",
        description="Print the DuckDB SQL that a DDSQL query runs as.",
    )
    translate.add_argument("sql", metavar="SQL", help="the DDSQL query ('-' for stdin)")
    aws = _Parser(add_help=False)
    source_options(aws, defaults=False, cache=False)
    record = sub.add_parser(
        "record",
        help="save a live AWS load as a fixture file",
        description="Load from AWS (--source aws, with the same options as a query) and "
        "write what the API returned as a fixture file that --fixtures FILE replays to "
        "the identical table.",
        parents=[aws],
    )
    record.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        required=True,
        help="fixture file to write: .json (an array of records) or .jsonl (a record a line)",
    )
    return parser


class OutputError(DDSQLError):
    """Standard output cannot be written (a full disk, a closed descriptor)."""


def run() -> None:
    """The ``ddsql`` console script: :func:`main`, then the process ends with its
    status, at once if a query DuckDB could not stop is still running."""
    from .limits import EXIT_WAIT, leave_if_stuck

    code = main()
    leave_if_stuck(code, EXIT_WAIT)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ddsql`` command; its exit status (see the module docstring). Usage
    errors raise SystemExit(2), as argparse does."""
    try:
        try:
            _tolerate_unencodable_output()
            code = _run(argv)
        except SystemExit:  # argparse's --help, --version (0) and usage errors (2)
            _flush_stdout()
            raise
        _flush_stdout()  # now, not at exit, so that a failure is reported as any other
        return code
    except (KeyboardInterrupt, QueryCancelledError):
        _discard_stdout()  # flushing could block on a reader that does not read
        _complain("cancelled")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        _discard_stdout()
        return EXIT_CLOSED_PIPE
    except DDSQLError as exc:
        _complain(f"error: {exc}")
        return EXIT_FAILED
    except OSError as exc:  # an input or output the command could not use
        _discard_stdout()
        where = f" ({exc.filename})" if exc.filename else ""
        _complain(f"error: {exc.strerror or exc}{where}")
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line, not a traceback (DDSQL_DEBUG=1 shows it)
        if os.environ.get("DDSQL_DEBUG"):
            raise
        _complain(f"internal error, please report it: {type(exc).__name__}: {exc}")
        return EXIT_FAILED


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    check_source_args(args, parser)
    if args.subcommand == "record":
        return record_fixtures(args)
    if args.subcommand == "translate":
        sql = read_stdin(parser) if args.sql == "-" else checked_text(args.sql, "SQL", parser)
        with open_connection(args) as con:
            emit(visible(con.translate(sql), newlines=True) + "\n")
        return 0
    if args.command is None and args.file is None and _stdin_is_terminal():
        from .repl import run_shell  # imported here: prompt_toolkit is slow to load

        return run_shell(lambda: open_connection(args))
    sql = query_text(args, parser)
    from .formats import FORMATS, json_text

    with open_connection(args, pushdown=sql) as con:
        result = con.sql(sql)
        columns, rows = result.columns, result.fetchall()
        if args.format == "json":
            text = json_text(columns, rows, ascii_only=not _encodes_unicode(sys.stdout))
        else:
            text = FORMATS[args.format](columns, rows)
        emit(text)
    return 0


def visible(text: str, *, newlines: bool = False) -> str:
    from .text import visible as escape

    return escape(text, newlines=newlines)


def emit(text: str) -> None:
    """Write ``text`` to standard output and flush it. A closed pipe raises
    BrokenPipeError (the caller exits quietly); another failure is an OutputError."""
    if sys.stdout is None:
        raise OutputError("cannot write the result: standard output is closed")
    try:
        _write_all(sys.stdout, text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        _discard_stdout()
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _write_all(stream: Any, text: str) -> None:
    """Write ``text`` to ``stream`` whole. Under ``PYTHONUNBUFFERED`` a text stream's
    write is a single system call, whose short count it ignores: a pipe that closes
    mid-write would lose the rest silently (and end with status 0) instead of raising
    BrokenPipeError. So the bytes go to the binary layer, in a loop."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None or os.name == "nt":  # (Windows: keep the text layer's newlines)
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    while data:
        written = buffer.write(data)
        data = data[len(data) if written is None else written :]
    buffer.flush()


def _flush_stdout() -> None:
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        _discard_stdout()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that what is still buffered cannot fail
    again when the interpreter flushes it at exit ("Exception ignored ... BrokenPipeError"
    and status 120)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests, a closed one)
        return
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def _complain(message: str) -> None:
    """Write ``message`` to stderr, control characters escaped; if even that fails,
    there is nowhere left to say it."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.write(visible(message, newlines=True) + "\n")
        sys.stderr.flush()


def _tolerate_unencodable_output() -> None:
    """Characters the output encoding cannot encode (``PYTHONIOENCODING=ascii``, a C
    locale) are written as backslash escapes rather than failing (JSON uses its own
    ``\\u`` escapes instead, see :func:`_run`)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")


def _encodes_unicode(stream: Any) -> bool:
    """Can ``stream`` encode any character (a UTF encoding)?"""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "\u00e9\u4e00\U0001f600".encode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def checked_text(sql: str, where: str, parser: argparse.ArgumentParser) -> str:
    """``sql`` from the command line; a usage error when it holds bytes that are not
    UTF-8 (Python keeps them as lone surrogates)."""
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError as exc:
        parser.error(f"{where} is not UTF-8 text (character {exc.start + 1})")
    return sql


def decoded(data: bytes, where: str, parser: argparse.ArgumentParser) -> str:
    """``data`` as UTF-8 text (a byte order mark dropped); a usage error saying where
    it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(exc.object)  # (after a byte order mark)
        line = data[:offset].count(b"\n") + 1
        parser.error(
            f"{where} is not UTF-8 text: byte 0x{data[offset]:02x} at offset {offset} (line {line})"
        )


def read_stdin(parser: argparse.ArgumentParser) -> str:
    """The query on standard input, as UTF-8 whatever the locale."""
    stdin = sys.stdin
    if stdin is None:
        parser.error("no query: standard input is closed")
    try:
        buffer = getattr(stdin, "buffer", None)
        if buffer is None:  # a text stream without bytes (tests' StringIO)
            return checked_text(stdin.read(), "standard input", parser)
        return decoded(buffer.read(), "standard input", parser)
    except OSError as exc:
        parser.error(f"cannot read standard input: {exc.strerror or exc}")


def query_text(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """The SQL from -c, -f or standard input; a usage error (exit 2) when there is none
    or it cannot be read as UTF-8 text."""
    if args.command is not None:
        return checked_text(str(args.command), "-c", parser)
    if args.file is not None:
        if str(args.file) == "-":
            return read_stdin(parser)
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            parser.error(f"cannot read {args.file}: {exc.strerror or exc}")
        except ValueError as exc:  # a NUL in the name
            parser.error(f"cannot read {args.file!r}: {exc}")
        return decoded(data, str(args.file), parser)
    if not _stdin_is_terminal():
        return read_stdin(parser)
    parser.error("give a query with -c SQL, -f FILE or on standard input")


def check_source_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Usage errors (exit 2) for options that do not fit the chosen source."""
    source = getattr(args, "source", None)
    if getattr(args, "fixtures", None) is not None and source not in (None, "fixtures"):
        parser.error(f"--fixtures cannot be used with --source {source}")
    frame = getattr(args, "time_frame", None)
    if frame:
        from .timeframe import parse_instant

        start, end = (parse_instant(t, "--time-frame") for t in frame)
        if start > end:
            parser.error(f"--time-frame: START {frame[0]!r} is after END {frame[1]!r}")
    if args.subcommand == "record":
        if source != "aws":
            parser.error("record needs --source aws (it saves a live load)")
        if args.out.suffix not in (".json", ".jsonl"):
            parser.error("--out must name a .json or .jsonl file")
    if source != "aws":
        for dest, option in _AWS_OPTIONS.items():
            if getattr(args, dest, None) not in (None, False):
                parser.error(f"{option} needs --source aws")
    elif getattr(args, "cache", None) is not None:  # checked again by connect()
        from .loaders.cache import cache_directory

        try:
            cache_directory(args.cache)
        except DDSQLError as exc:
            parser.error(str(exc))


_AWS_OPTIONS = {
    "regions": "--region",
    "profiles": "--profile",
    "role_arns": "--role-arn",
    "endpoint_url": "--endpoint-url",
    "max_workers": "--max-workers",
    "connect_timeout": "--connect-timeout",
    "read_timeout": "--read-timeout",
    "cache": "--cache",
    "max_age": "--max-age",
    "refresh": "--refresh",
}


def aws_args(args: argparse.Namespace) -> dict[str, Any]:
    """The ``connect()`` keyword arguments of the AWS options on the command line."""
    return {
        "regions": getattr(args, "regions", None),
        "profiles": getattr(args, "profiles", None),
        "role_arns": getattr(args, "role_arns", None),
        "endpoint_url": getattr(args, "endpoint_url", None),
        "max_workers": getattr(args, "max_workers", None),
        "connect_timeout": getattr(args, "connect_timeout", None),
        "read_timeout": getattr(args, "read_timeout", None),
    }


def record_fixtures(args: argparse.Namespace) -> int:
    """``ddsql record``: a live load written as a fixture file; the summary on stderr."""
    from .loaders.aws_options import AwsOptions
    from .loaders.record import write_fixtures
    from .loaders.sources import fetch_live
    from .registry import load_registry

    table, fetched = fetch_live(load_registry(), AwsOptions.build(**aws_args(args)))
    count = write_fixtures(fetched.records, args.out, table)
    _complain(fetched.report.summary())
    _complain(f"wrote {count:,} records to {args.out}")
    return 0


def open_connection(args: argparse.Namespace, *, pushdown: str | None = None) -> Connection:
    """The connection the options ask for. ``pushdown`` is the query about to run: for a
    live load it is checked first (a bad query costs no load), and without --cache its
    narrowing filters go into the List calls. After a live load the load summary goes
    to stderr."""
    from .connection import connect

    source = getattr(args, "source", None)
    if source != "aws":
        con = connect(
            fixtures=args.fixtures,
            source=source,
            timeout=args.timeout,
            memory_limit=args.memory_limit,
            temp_limit=args.temp_limit,
        )
    else:
        from .loaders.cache import DEFAULT_MAX_AGE
        from .loaders.pushdown import list_filters
        from .loaders.sources import live_table
        from .registry import load_registry

        max_age = getattr(args, "max_age", None)
        filters = None
        if pushdown is not None:
            registry = load_registry()
            from .dialect import Translator

            Translator(registry).translate(pushdown)  # a bad query fails before the load
            if getattr(args, "cache", None) is None:
                filters = list_filters(pushdown, live_table(registry)) or None
        con = connect(
            source="aws",
            timeout=args.timeout,
            memory_limit=args.memory_limit,
            temp_limit=args.temp_limit,
            list_filters=filters,
            cache=getattr(args, "cache", None),
            max_age=DEFAULT_MAX_AGE if max_age is None else max_age,
            refresh=bool(getattr(args, "refresh", False)),
            **aws_args(args),
        )
        _complain(con.load_report().summary(max_age=max_age or DEFAULT_MAX_AGE))
    if args.time_frame:
        try:
            con.set_time_frame(*args.time_frame)
        except BaseException:
            con.close()
            raise
    return con


if __name__ == "__main__":
    sys.exit(main())
