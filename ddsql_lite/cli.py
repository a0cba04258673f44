"""The ``ddsql`` command: a thin layer over the library.

    ddsql -c "SQL" [--format table|csv|json|markdown] [--fixtures PATH]
    ddsql -f query.sql            (or the query on standard input)
    ddsql translate "SQL"         print the DuckDB SQL

Exit status: 0 on success, 1 when a query or load fails (message on stderr), 2 on bad
usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .connection import Connection, connect
from .engine import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT
from .errors import DDSQLError
from .formats import FORMATS

EXAMPLES = """\
examples:
  ddsql -c "SELECT status, count(*) FROM aws.sagemaker_inference_experiment GROUP BY 1"
  ddsql -c "SELECT name, tags->'team' AS team FROM aws.sagemaker_inference_experiment" --format csv
  ddsql -f report.sql --fixtures recorded/ --format json
  echo "SELECT count(*) FROM aws_sagemaker_inference_experiment" | ddsql
  ddsql translate "SELECT schedule->>'start_time' FROM aws.sagemaker_inference_experiment"

Without --fixtures, queries run on the bundled sample data (no AWS credentials needed).
"""


def data_options() -> argparse.ArgumentParser:
    """Options shared by every command that loads data and runs queries."""
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
        type=float,
        default=DEFAULT_TIMEOUT,
        help="stop a query after this many seconds (default %(default)g; 0 for no limit)",
    )
    group.add_argument(
        "--memory-limit",
        metavar="SIZE",
        default=DEFAULT_MEMORY_LIMIT,
        help="memory a query may use, e.g. 2GB (default %(default)s)",
    )
    group.add_argument(
        "--time-frame",
        nargs=2,
        metavar=("START", "END"),
        help="the session time frame CURRENT_SETTING('dd.time_frame_start'/'_end') reads, as "
        "ISO timestamps in UTC (default: the hour before each query)",
    )
    return shared


def build_parser() -> argparse.ArgumentParser:
    shared = data_options()
    parser = argparse.ArgumentParser(
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.subcommand == "translate":
            sql = sys.stdin.read() if args.sql == "-" else args.sql
            with open_connection(args) as con:
                print(con.translate(sql))
            return 0
        sql = query_text(args, parser)
        with open_connection(args) as con:
            result = con.sql(sql)
            sys.stdout.write(FORMATS[args.format](result.columns, result.fetchall()))
        return 0
    except DDSQLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130


def query_text(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """The SQL from -c, -f or standard input; a usage error (exit 2) when there is none."""
    if args.command is not None:
        return str(args.command)
    if args.file is not None:
        if str(args.file) == "-":
            return sys.stdin.read()
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            parser.error(f"cannot read {args.file}: {exc.strerror}")
    if not sys.stdin.isatty():
        return sys.stdin.read()
    parser.error(
        "give a query with -c SQL, -f FILE or on standard input "
        "(the interactive shell is not available yet)"
    )


def open_connection(args: argparse.Namespace) -> Connection:
    con = connect(fixtures=args.fixtures, timeout=args.timeout, memory_limit=args.memory_limit)
    if args.time_frame:
        try:
            con.set_time_frame(*args.time_frame)
        except BaseException:
            con.close()
            raise
    return con


if __name__ == "__main__":
    sys.exit(main())
