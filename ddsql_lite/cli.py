"""The ``ddsql`` command: a thin layer over the library.

    ddsql                         the interactive shell (\\? lists its commands)
    ddsql -c "SQL" [--format table|csv|json|markdown] [--fixtures PATH]
    ddsql -f query.sql            (or the query on standard input)
    ddsql translate "SQL"         print the DuckDB SQL
    ddsql -c "SQL" --source aws [--region NAME|all] [--profile NAME] [--cache DIR]
    ddsql record --source aws [--region ...] --out FILE.json   save a live load

Exit status: 0 on success, 1 when a query or load fails (message on stderr), 2 on bad
usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .connection import Connection, connect
from .engine import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT
from .errors import DDSQLError
from .formats import FORMATS
from .loaders.aws_options import CONNECT_TIMEOUT, DEFAULT_MAX_WORKERS, READ_TIMEOUT, AwsOptions
from .loaders.cache import DEFAULT_MAX_AGE, parse_duration
from .loaders.pushdown import list_filters
from .loaders.record import write_fixtures
from .loaders.report import format_duration
from .loaders.sources import SOURCES, fetch_live, live_table
from .registry import load_registry

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
    source_options(shared)
    return shared


def source_options(
    parser: argparse.ArgumentParser, *, defaults: bool = True, cache: bool = True
) -> argparse.ArgumentParser:
    """``--source`` and the live AWS options, added to ``parser`` (shared by the query
    commands and ``record``; ``cache=False`` leaves out the --cache options). With
    ``defaults=False`` unset options stay out of the namespace, so a subcommand's copy
    does not overwrite values given before it."""
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
    try:
        return parse_duration(text)
    except DDSQLError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    record = sub.add_parser(
        "record",
        help="save a live AWS load as a fixture file",
        description="Load from AWS (--source aws, with the same options as a query) and "
        "write what the API returned as a fixture file that --fixtures FILE replays to "
        "the identical table.",
        parents=[
            source_options(argparse.ArgumentParser(add_help=False), defaults=False, cache=False)
        ],
    )
    record.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        required=True,
        help="fixture file to write: .json (an array of records) or .jsonl (a record a line)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    check_source_args(args, parser)
    try:
        if args.subcommand == "record":
            return record_fixtures(args)
        if args.subcommand == "translate":
            sql = sys.stdin.read() if args.sql == "-" else args.sql
            with open_connection(args) as con:
                print(con.translate(sql))
            return 0
        if args.command is None and args.file is None and sys.stdin.isatty():
            from .repl import run_shell  # imported here: prompt_toolkit is slow to load

            return run_shell(lambda: open_connection(args))
        sql = query_text(args, parser)
        with open_connection(args, pushdown=sql) as con:
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
    parser.error("give a query with -c SQL, -f FILE or on standard input")


def check_source_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Usage errors (exit 2) for options that do not fit the chosen source."""
    source = getattr(args, "source", None)
    if getattr(args, "fixtures", None) is not None and source not in (None, "fixtures"):
        parser.error(f"--fixtures cannot be used with --source {source}")
    if args.subcommand == "record":
        if source != "aws":
            parser.error("record needs --source aws (it saves a live load)")
        if args.out.suffix not in (".json", ".jsonl"):
            parser.error("--out must name a .json or .jsonl file")
    if source != "aws":
        for dest, option in _AWS_OPTIONS.items():
            if getattr(args, dest, None) not in (None, False):
                parser.error(f"{option} needs --source aws")


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
    table, fetched = fetch_live(load_registry(), AwsOptions.build(**aws_args(args)))
    count = write_fixtures(fetched.records, args.out, table)
    print(fetched.report.summary(), file=sys.stderr)
    print(f"wrote {count:,} records to {args.out}", file=sys.stderr)
    return 0


def open_connection(args: argparse.Namespace, *, pushdown: str | None = None) -> Connection:
    """The connection the options ask for. ``pushdown`` is the query about to run: for a
    live load it is checked first (a bad query costs no load), and without --cache its
    narrowing filters go into the List calls. After a live load the load summary goes
    to stderr."""
    source = getattr(args, "source", None)
    if source != "aws":
        con = connect(
            fixtures=args.fixtures,
            source=source,
            timeout=args.timeout,
            memory_limit=args.memory_limit,
        )
    else:
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
            list_filters=filters,
            cache=getattr(args, "cache", None),
            max_age=DEFAULT_MAX_AGE if max_age is None else max_age,
            refresh=bool(getattr(args, "refresh", False)),
            **aws_args(args),
        )
        print(con.load_report().summary(max_age=max_age or DEFAULT_MAX_AGE), file=sys.stderr)
    if args.time_frame:
        try:
            con.set_time_frame(*args.time_frame)
        except BaseException:
            con.close()
            raise
    return con


if __name__ == "__main__":
    sys.exit(main())
