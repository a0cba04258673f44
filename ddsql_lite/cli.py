"""The ``ddsql`` command: a thin layer over the library.

    ddsql                         the interactive shell (\\? lists its commands)
    ddsql -c "SQL" [--format table|csv|json|jsonl|markdown] [--fixtures PATH]
    ddsql -f script.sql [--continue]   (or the script on standard input)
    ddsql translate ["SQL"] [--one-line]   print the DuckDB SQL (no SQL: standard input)
    ddsql -c "SQL" --source aws [--region NAME|all] [--profile NAME] [--cache DIR]
    ddsql record --source aws [--region ...] --out FILE.json   save a live load
    ddsql serve [--host 127.0.0.1] [--port 5433] [data options]   serve the data to
                                  PostgreSQL clients (psql, drivers, BI tools)

``-c``, ``-f`` and standard input may hold several statements, run in order
(:mod:`.scripts`). Exit status: 0 on success; 1 when a query (the first failing statement
of a script stops it; with ``--continue`` the rest still run) or the load fails, or the
output cannot be written (message on stderr); 2 on bad usage (options, option values, an
unreadable query file); 130 on Ctrl-C, wherever it lands; 141 when the reader of the
output goes away (a closed pipe, as in ``ddsql -c ... | head -1``: nothing is printed, as
a tool killed by SIGPIPE).

Nothing heavy is imported at module level: the console script imports this module before
:func:`main` can catch Ctrl-C, so the libraries load inside it. An unexpected exception
(a bug) is one ``internal error`` line too; ``DDSQL_DEBUG=1`` shows its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import DDSQLError, QueryCancelledError
from .terminal import (
    complain,
    discard_stdout,
    emit,
    encodes_unicode,
    flush_stdout,
    stdin_is_terminal,
    tolerate_unencodable_output,
)
from .text import visible

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
  ddsql -c "SELECT shadow_mode_config FROM aws.sagemaker_inference_experiment" --format jsonl \\
        | jq 'select(.shadow_mode_config.shadow_model_variants[0].sampling_percentage > 50)'
  echo "SELECT count(*) FROM aws_sagemaker_inference_experiment" | ddsql
  ddsql translate "SELECT schedule->>'start_time' FROM aws.sagemaker_inference_experiment"
  ddsql -c "SELECT status, count(*) FROM aws.sagemaker_inference_experiment GROUP BY 1" \\
        --source aws --profile prod --region all --cache ~/.cache/ddsql --max-age 2h
  ddsql record --source aws --profile prod --region us-east-1 --out recorded/prod.jsonl

Without --fixtures, queries run on the bundled sample data (no AWS credentials needed).
"""


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that ``--help`` and ``--version`` output that cannot be
    written fails as any other output does (argparse ignores the failure: status 0)."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and (file is None or file is sys.stdout):
            emit(message)
        else:
            super()._print_message(message, file)


def build_parser() -> argparse.ArgumentParser:
    """The command line: the query options, every option of :mod:`.options`, and the
    ``translate`` and ``record`` commands."""
    from .formats import FORMATS

    parser = _Parser(
        prog="ddsql",
        description="Run Datadog DDSQL queries on AWS SageMaker inference experiments, "
        "locally, on DuckDB.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    query = parser.add_mutually_exclusive_group()
    query.add_argument(
        "-c", "--command", metavar="SQL", help="run this query (or ';'-separated queries) and exit"
    )
    query.add_argument(
        "-f",
        "--file",
        metavar="FILE",
        type=Path,
        help="run the statements in FILE ('-' for standard input) in order and exit",
    )
    parser.add_argument(
        "--continue",
        dest="keep_going",
        action="store_true",
        help="run a script's statements after one fails (the exit status is still 1)",
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="table",
        help="output format (default %(default)s)",
    )
    parser.add_argument("--version", action="version", version=f"ddsql_lite {__version__}")
    _add_options(parser, live=True, suppress=False)
    sub = parser.add_subparsers(dest="subcommand", metavar="COMMAND")
    translate = sub.add_parser(
        "translate",
        help="print the DuckDB SQL for a DDSQL query",
        description="Print the DuckDB SQL that a DDSQL query runs as (no data is loaded).",
    )
    translate.add_argument(
        "sql",
        metavar="SQL",
        nargs="?",
        help="the DDSQL query (none or '-': standard input)",
    )
    translate.add_argument(
        "--one-line", action="store_true", help="the SQL on one line, not pretty-printed"
    )
    record = sub.add_parser(
        "record",
        help="save a live AWS load as a fixture file",
        description="Load from AWS (with the same options as a query) and write what the "
        "API returned as a fixture file that --fixtures FILE replays to the identical table.",
    )
    record.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        required=True,
        help="fixture file to write: .json (an array of records) or .jsonl (a record a line)",
    )
    _add_options(record, live=True, suppress=True, only_live=True)
    serve = sub.add_parser(
        "serve",
        help="serve the data to PostgreSQL clients (psql, pgcli, drivers, BI tools)",
        description="Load the data once (with the same options as a query) and serve it "
        "over PostgreSQL's wire protocol until interrupted: every query runs through the "
        "same translator and sandbox. Binds 127.0.0.1 unless --host says otherwise, "
        "which needs --password-env.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default %(default)s)"
    )
    serve.add_argument(
        "--port",
        type=int,
        default=5433,
        help="port to listen on (default %(default)s; 0: any free port)",
    )
    serve.add_argument(
        "--password-env",
        metavar="NAME",
        help="the environment variable holding the password clients must give "
        "(SCRAM-SHA-256); required to listen on anything but 127.0.0.1",
    )
    serve.add_argument(
        "--max-connections",
        type=int,
        default=20,
        metavar="N",
        help="clients served at once (default %(default)s); more are refused",
    )
    serve.add_argument(
        "--refresh-every",
        metavar="DURATION",
        help="reload live data this often (15m, 1h) in the background; a failed reload "
        "keeps the data served",
    )
    _add_options(serve, live=True, suppress=True)
    return parser


def _add_options(
    parser: argparse.ArgumentParser, *, live: bool, suppress: bool, only_live: bool = False
) -> None:
    """The options of :mod:`.options`, in two groups (``only_live``: the live ones)."""
    from . import options

    groups = {
        False: parser.add_argument_group("data, limits and session"),
        True: parser.add_argument_group("live AWS data (--source aws)"),
    }
    for names, keywords in options.arguments(live=live, suppress=suppress):
        is_live = options.BY_NAME[keywords["dest"]].live
        if only_live and not is_live and keywords["dest"] != "source":
            continue
        groups[is_live].add_argument(*names, **keywords)


def run() -> None:
    """The ``ddsql`` console script: :func:`main`, then the process ends with its
    status (:func:`~ddsql_lite.limits.end_process`)."""
    from .limits import end_process

    end_process(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ddsql`` command; its exit status (see the module docstring). Usage
    errors raise SystemExit(2), as argparse does."""
    try:
        try:
            tolerate_unencodable_output()
            code = _run(argv)
        except SystemExit:  # argparse's --help, --version (0) and usage errors (2)
            flush_stdout()
            raise
        flush_stdout()  # now, not at exit, so that a failure is reported as any other
        return code
    except (KeyboardInterrupt, QueryCancelledError):
        discard_stdout()  # flushing could block on a reader that does not read
        complain("cancelled")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        discard_stdout()
        return EXIT_CLOSED_PIPE
    except DDSQLError as exc:
        complain(f"error: {exc}")
        return EXIT_FAILED
    except OSError as exc:  # an input or output the command could not use
        discard_stdout()
        where = f" ({exc.filename})" if exc.filename else ""
        complain(f"error: {exc.strerror or exc}{where}")
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line, not a traceback (DDSQL_DEBUG=1 shows it)
        if os.environ.get("DDSQL_DEBUG"):
            raise
        complain(f"internal error, please report it: {type(exc).__name__}: {exc}")
        return EXIT_FAILED


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    given = _settled(args, parser)
    if args.subcommand == "record":
        return record_load(args, given)
    if args.subcommand == "serve":
        return serve(args, given, parser)
    if args.subcommand == "translate":
        from .connection import translate

        if args.sql is None and stdin_is_terminal():
            parser.error("give a query as an argument or on standard input")
        if args.sql in (None, "-"):
            sql = read_stdin(parser)
        else:
            sql = checked_text(args.sql, "SQL", parser)
        syntax = given.get("syntax", "ddsql")
        emit(visible(translate(sql, pretty=not args.one_line, syntax=syntax), newlines=True) + "\n")
        return 0
    if args.command is None and args.file is None and stdin_is_terminal():
        from .repl import run_shell  # imported here: prompt_toolkit is slow to load

        return run_shell(lambda: open_connection(given))
    sql = query_text(args, parser)
    from .scripts import Script, statements

    script = statements(sql)
    runner = Script(
        fmt=args.format,
        source=script_source(args),
        keep_going=args.keep_going,
        ascii_only=not encodes_unicode(sys.stdout),
    )
    pushdown = script[0].text if len(script) == 1 else None  # one query's filters only
    with open_connection(given, pushdown=pushdown) as con:
        return 0 if runner.run(con, script) else EXIT_FAILED


def script_source(args: argparse.Namespace) -> str | None:
    """The name of the script's source in error messages: the file, ``<stdin>``, or
    None for ``-c``."""
    if args.command is not None:
        return None
    if args.file is not None and str(args.file) != "-":
        return str(args.file)
    return "<stdin>"


def _settled(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict[str, Any]:
    """The options given on the command line, checked as ``connect()`` checks them: a
    misfit (an AWS option without --source aws, say) is bad usage (exit 2)."""
    from . import options

    given = options.keywords(args)
    try:
        options.settle(given, flags=True)
    except DDSQLError as exc:
        parser.error(str(exc))
    if args.subcommand == "record":
        if given.pop("source", None) != "aws":
            parser.error("record needs --source aws")
        if args.out.suffix not in (".json", ".jsonl"):
            parser.error("--out must name a .json or .jsonl file")
    return given


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
    if not stdin_is_terminal():
        return read_stdin(parser)
    parser.error("give a query with -c SQL, -f FILE or on standard input")


def record_load(args: argparse.Namespace, given: dict[str, Any]) -> int:
    """``ddsql record``: a live load written as a fixture file; the summary on stderr."""
    from .connection import record

    report = record(args.out, **given)
    complain(report.summary())
    complain(f"wrote {report.rows:,} records to {args.out}")
    return 0


def serve(args: argparse.Namespace, given: dict[str, Any], parser: argparse.ArgumentParser) -> int:
    """``ddsql serve``: load the data, say what is served where, and serve it until
    interrupted (exit status 0)."""
    from .durations import parse_duration

    password = None
    if args.password_env is not None:
        password = os.environ.get(args.password_env)
        if not password:
            parser.error(f"--password-env {args.password_env}: that variable is not set or empty")
    every = None
    if args.refresh_every is not None:
        try:
            every = parse_duration(args.refresh_every)
        except DDSQLError as exc:
            parser.error(f"--refresh-every: {exc}")
        if given.get("source") != "aws":
            parser.error("--refresh-every reloads live data: it needs --source aws")
    if args.host not in ("127.0.0.1", "localhost", "::1") and password is None:
        parser.error(
            f"--host {args.host} needs --password-env NAME: "
            "only 127.0.0.1 is served without a password"
        )
    if args.max_connections < 1:
        parser.error("--max-connections must be at least 1")
    import logging

    from .server import Server

    logging.basicConfig(level=logging.INFO, format="ddsql serve: %(message)s", stream=sys.stderr)
    # A refresh loads live again even when --cache holds a snapshot young enough.
    reload = {**given, "refresh": True} if given.get("cache") is not None else given
    loads: list[dict[str, Any]] = []

    def load() -> Connection:
        options = reload if loads else given
        loads.append(options)
        return open_connection(options)

    server = Server(
        load,
        host=args.host,
        port=args.port,
        password=password,
        max_connections=args.max_connections,
        refresh_every=every,
    )
    host, port = server.bind()
    con = server.connection
    tables = ", ".join(f"{name} ({rows:,} rows)" for name, rows in con.row_counts.items())
    source = con.load_report().source
    emit(
        f"ddsql serve: {tables} from {source} data on {host}:{port}"
        f"{' (password required)' if password else ''}; try: psql -h {host} -p {port} -d ddsql\n"
    )
    flush_stdout()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        complain("ddsql serve: stopped")
    return 0


def open_connection(given: dict[str, Any], *, pushdown: str | None = None) -> Connection:
    """The connection the options ask for; ``pushdown`` is the query about to run (for
    a live load: checked first, and its simple filters passed to the List calls). After
    a live load the load summary goes to stderr."""
    from . import options
    from .connection import connect

    live = given.get("source") == "aws"
    con = connect(**given, pushdown=pushdown if live else None)
    if live:
        complain(con.load_report().summary(max_age=options.settle(given)["max_age"]))
    return con


if __name__ == "__main__":
    sys.exit(main())
