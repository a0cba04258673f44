"""Every data, limit and session option, declared once; each face renders them.

An :class:`Option` is one keyword of :func:`ddsql_lite.connect`: how its value is read
and checked (its :class:`Kind`), its help, its default and whether it applies to live
AWS loads only. The CLI and the magics render :data:`OPTIONS` as argparse arguments
(:func:`arguments`), and ``connect()`` and ``record()`` check their keywords with
:func:`settle`. Adding an option is one entry here (and the keyword in ``connect()``'s
signature, which a test holds to this list). Old spellings keep working for one release,
with a DeprecationWarning (:data:`RENAMED`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DDSQLError, UnsupportedError

if TYPE_CHECKING:
    from .session import TimeFrame

SOURCES = ("sample", "fixtures", "aws")
SYNTAXES = ("ddsql", "preview")  # the DDSQL variants (ddsql_lite.dialect.variants)
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_LIMIT = "4GB"
DEFAULT_MAX_AGE = 3600.0
# Threads of a live load's fan-out (and connections per client). Each API call costs
# botocore about 1.5-2 ms of CPU under the GIL, so with ~30 ms calls more threads than
# ~16 only queue for the GIL (benchmarks/bench_aws_loader.py); slower endpoints can use more.
DEFAULT_MAX_WORKERS = 16
CONNECT_TIMEOUT = 5.0  # seconds to connect to an endpoint, per attempt
READ_TIMEOUT = 30.0  # seconds to wait for an endpoint's next bytes, per attempt


# ------------------------------------------------------------------------- kinds


def _seconds(value: Any) -> float:
    from .limits import check_timeout

    return check_timeout(value)


def _aws_seconds(value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise UnsupportedError(f"{value!r} is not a number of seconds") from None
    if not 0 < seconds <= 3600:
        raise UnsupportedError(f"{value!r} is not between 0 and 3600 seconds")
    return seconds


def _size(value: Any) -> str:
    from .memory import check_size

    return check_size(value)


def _duration(value: Any) -> float:
    from .durations import parse_duration

    return parse_duration(value)


def _workers(value: Any) -> int:
    whole = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(value, str) and value.strip().isdigit():
        value, whole = int(value), True
    if not whole or not 1 <= value <= 512:
        raise UnsupportedError(f"{value!r} is not a whole number from 1 to 512")
    return int(value)


def _names(value: Any) -> tuple[str, ...]:
    """Names from a string or strings, each of which may hold several, comma-separated."""
    values = [value] if isinstance(value, str) else list(value)
    names = [n.strip() for v in values for n in str(v).split(",")]
    found = tuple(dict.fromkeys(n for n in names if n))
    if not found:
        raise UnsupportedError(f"{value!r} names nothing")
    return found


def _path(value: Any) -> Path:
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise UnsupportedError(f"expected a file or directory name, got {value!r}")
    return Path(value)


def writable_directory(directory: Any) -> Path:
    """``directory``, created when missing, and a file created and removed in it: the
    live cache's location, checked before anything is loaded."""
    if not isinstance(directory, (str, os.PathLike)) or not str(directory):
        raise UnsupportedError(f"expected a directory name, got {directory!r}")
    from .text import visible

    shown = visible(str(directory))
    try:
        path = Path(directory).expanduser()
        if path.exists() and not path.is_dir():
            raise UnsupportedError(f"{shown}: not a directory")
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".ddsql-probe.", dir=path)
        os.close(fd)
        os.unlink(probe)
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: ~unknown-user
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise UnsupportedError(
            f"{shown}: cannot keep snapshots there: {visible(str(why))}"
        ) from None
    return path


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise UnsupportedError(f"{value!r} is not a text")
    return value


def _flag(value: Any) -> bool:
    return bool(value)


def _time_frame(value: Any) -> TimeFrame:
    from .session import parse_time_frame

    return parse_time_frame(value)


def _anything(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Kind:
    """How an option's value is read (``read`` raises UnsupportedError on a bad value)
    and how argparse takes it from the command line."""

    read: Callable[[Any], Any]
    nargs: int | str | None = None  # argparse's nargs (None: one value)
    repeat: bool = False  # the flag may repeat, its values adding up
    flag: bool = False  # present or absent


SECONDS = Kind(_seconds)
AWS_SECONDS = Kind(_aws_seconds)
SIZE = Kind(_size)
DURATION = Kind(_duration)
WORKERS = Kind(_workers)
NAMES = Kind(_names, repeat=True)
PATH = Kind(_path)
DIRECTORY = Kind(writable_directory)
TEXT = Kind(_text)
FLAG = Kind(_flag, flag=True)
INSTANTS = Kind(_time_frame, nargs="+")  # START [END]; a relative frame moves with "now"
PYTHON = Kind(_anything)  # a Python value the API takes as it is


@dataclass(frozen=True)
class Option:
    """One option: ``name`` is the ``connect()`` keyword; the flag is ``--name`` with
    dashes, or ``flag`` (a repeatable list option is spelled in the singular)."""

    name: str
    kind: Kind
    help: str
    default: Any = None
    metavar: str | None = None
    flag: str | None = None
    live: bool = False  # applies to source="aws" only
    faces: bool = True  # rendered for the CLI and the magics (else: Python only)
    choices: tuple[str, ...] | None = None

    @property
    def option_string(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def label(self, flags: bool) -> str:
        """How a message names the option: its flag, or its keyword."""
        return self.option_string if flags else self.name

    def read(self, value: Any, flags: bool = False) -> Any:
        """``value`` checked and normalised; UnsupportedError naming the option."""
        if self.choices is not None and value not in self.choices:
            raise UnsupportedError(
                f"{self.label(flags)}: {value!r} is not one of {', '.join(self.choices)}"
            )
        try:
            return self.kind.read(value)
        except DDSQLError as exc:
            raise UnsupportedError(f"{self.label(flags)}: {exc}") from None


OPTIONS: tuple[Option, ...] = (
    Option(
        "fixtures",
        PATH,
        "fixture file (.json, .jsonl) or directory to load instead of the bundled sample data",
        metavar="PATH",
    ),
    Option(
        "source",
        TEXT,
        "where the data comes from: the bundled sample, fixtures or live AWS (default: "
        "sample, or fixtures when fixtures are given)",
        choices=SOURCES,
    ),
    Option(
        "timeout",
        SECONDS,
        "a query's time limit in seconds, from the start of its translation (0: none)",
        DEFAULT_TIMEOUT,
        "SECONDS",
    ),
    Option(
        "memory_limit",
        SIZE,
        "memory a query may use, e.g. 2GB or 512MiB; DuckDB's buffers and, on Linux, the "
        "process's resident memory are both held to it",
        DEFAULT_MEMORY_LIMIT,
        "SIZE",
    ),
    Option(
        "temp_limit",
        SIZE,
        "disk a query may spill to (default: the memory limit)",
        metavar="SIZE",
    ),
    Option(
        "time_frame",
        INSTANTS,
        "the session time frame CURRENT_SETTING('dd.time_frame_start'/'_end') reads: "
        "START END as ISO timestamps in UTC, now or now-DURATION (now-7d now), or a span "
        "ending now (1h, 7d); relative ends move with each query (default: the hour "
        "before each query)",
        metavar="START END",
    ),
    Option(
        "syntax",
        TEXT,
        "the DDSQL variant queries are read in: ddsql (the reference) or preview (DDSQL "
        "Preview: tags as columns, group values, relative time literals)",
        "ddsql",
        "NAME",
        choices=SYNTAXES,
    ),
    Option(
        "regions",
        NAMES,
        "AWS regions to load (repeat it, or use commas), or 'all': every region SageMaker "
        "has that the account enabled (default: the profile's region)",
        metavar="NAME",
        flag="--region",
        live=True,
    ),
    Option(
        "profiles",
        NAMES,
        "AWS profiles to load with, one account each (repeat it, or use commas; default: "
        "boto3's credential chain: environment, AWS_PROFILE, SSO, instance role)",
        metavar="NAME",
        flag="--profile",
        live=True,
    ),
    Option(
        "role_arns",
        NAMES,
        "IAM roles to assume with the profile's credentials and load (repeat it, or use commas)",
        metavar="ARN",
        flag="--role-arn",
        live=True,
    ),
    Option(
        "endpoint_url",
        TEXT,
        "send SageMaker calls to this URL (a VPC endpoint, a local stand-in)",
        metavar="URL",
        live=True,
    ),
    Option(
        "max_workers",
        WORKERS,
        "concurrent AWS API calls while loading",
        DEFAULT_MAX_WORKERS,
        "N",
        live=True,
    ),
    Option(
        "connect_timeout",
        AWS_SECONDS,
        "give up connecting to AWS after SECONDS, per attempt",
        CONNECT_TIMEOUT,
        "SECONDS",
        live=True,
    ),
    Option(
        "read_timeout",
        AWS_SECONDS,
        "give up waiting for an AWS answer after SECONDS, per attempt; a region that times "
        "out is reported, the others load",
        READ_TIMEOUT,
        "SECONDS",
        live=True,
    ),
    Option(
        "cache",
        DIRECTORY,
        "keep a Parquet snapshot of the live load in DIR and reuse it while it is younger "
        "than max_age",
        metavar="DIR",
        live=True,
    ),
    Option(
        "max_age",
        DURATION,
        "how old a cache snapshot may be: seconds, or e.g. 90s, 15m, 2h, 1d",
        DEFAULT_MAX_AGE,
        "AGE",
        live=True,
    ),
    Option(
        "refresh",
        FLAG,
        "load from AWS even when the cache snapshot is young enough",
        False,
        live=True,
    ),
    Option(
        "pushdown",
        TEXT,
        "a query whose simple filters the List calls of a live load apply (the answer is "
        "the same; fewer experiments are fetched); the CLI passes a one-shot query's",
        live=True,
        faces=False,
    ),
    Option(
        "progress",
        PYTHON,
        "show a progress bar on stderr while loading (default: when stderr is a terminal)",
        faces=False,
    ),
)
BY_NAME = {option.name: option for option in OPTIONS}

# Old spellings -> current ones (both for connect()'s keywords and the faces' flags).
RENAMED = {
    "profile": "profiles",
    "--profiles": "--profile",
    "--regions": "--region",
    "--role-arns": "--role-arn",
}


# ------------------------------------------------------------------------- connect()


def settle(given: Mapping[str, Any], *, flags: bool = False) -> dict[str, Any]:
    """``connect()``'s keywords checked and normalised, every option present (None or
    its default where not given). UnsupportedError names a bad value or an option that
    does not fit the source, by its keyword (or by its flag, with ``flags``)."""
    values = dict(given)
    if values.get("profile") is not None:
        warnings.warn(
            "connect(profile=...) is deprecated: use profiles=[...]",
            DeprecationWarning,
            stacklevel=3,
        )
        profile = values.pop("profile")
        values["profiles"] = [profile, *_listed(values.get("profiles"))]
    values.pop("profile", None)
    unknown = sorted(set(values) - set(BY_NAME))
    if unknown:
        raise UnsupportedError(f"unknown option(s): {', '.join(unknown)}")
    settled = {
        o.name: o.read(values[o.name], flags) if _given(values.get(o.name)) else o.default
        for o in OPTIONS
    }
    source = settled["source"] or ("fixtures" if settled["fixtures"] is not None else "sample")
    if settled["fixtures"] is not None and source != "fixtures":
        raise UnsupportedError(
            f"{_name('fixtures', flags)} cannot be used with {_source(source, flags)}"
        )
    if source == "fixtures" and settled["fixtures"] is None:
        raise UnsupportedError(f"{_source(source, flags)} needs {_name('fixtures', flags)}")
    if source != "aws":
        stray = [o.label(flags) for o in OPTIONS if o.live and _given(values.get(o.name))]
        if stray:
            verb = "needs" if len(stray) == 1 else "need"
            raise UnsupportedError(f"{', '.join(stray)} {verb} {_source('aws', flags)}")
    settled["source"] = source
    return settled


def _name(option: str, flags: bool) -> str:
    return BY_NAME[option].label(flags)


def _source(source: str, flags: bool) -> str:
    return f"--source {source}" if flags else f"source={source!r}"


def _given(value: Any) -> bool:
    return value is not None and value is not False


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# ------------------------------------------------------------------------- argparse


class _Names(argparse.Action):
    """A repeatable list option; an old plural spelling still works, with a warning."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if option_string in RENAMED:
            warnings.warn(
                f"{option_string} is deprecated: use {RENAMED[option_string]}",
                DeprecationWarning,
                stacklevel=2,
            )
        listed = list(getattr(namespace, self.dest, None) or [])
        setattr(namespace, self.dest, [*listed, values])


def arguments(
    *, live: bool = True, suppress: bool = False
) -> list[tuple[list[str], dict[str, Any]]]:
    """The options as argparse arguments ``(names, keywords)``, for
    ``parser.add_argument(*names, **keywords)`` or IPython's ``@argument``. ``live``:
    include the live AWS options; ``suppress``: leave unset options out of the
    namespace (a subcommand's copy then does not overwrite values given before it)."""
    found = []
    for option in OPTIONS:
        if not option.faces or (option.live and not live):
            continue
        flag = option.option_string
        names = [flag, *(old for old, new in RENAMED.items() if new == flag)]
        keywords: dict[str, Any] = {"dest": option.name, "help": _help(option)}
        if option.kind.flag:
            keywords["action"] = "store_true"
        else:
            keywords["type"] = _checker(option)
            if option.metavar:
                metavar = option.metavar
                keywords["metavar"] = tuple(metavar.split()) if option.kind.nargs else metavar
            if option.kind.nargs:
                keywords["nargs"] = option.kind.nargs
            if option.kind.repeat:
                keywords["action"] = _Names
            if option.choices:
                keywords["choices"] = option.choices
                keywords.pop("type")
        keywords["default"] = argparse.SUPPRESS if suppress else None
        found.append((names, keywords))
    return found


def _help(option: Option) -> str:
    text = option.help
    if option.default not in (None, False):
        shown = option.default
        if option.kind is DURATION:
            from .durations import format_duration

            shown = format_duration(option.default)
        elif isinstance(shown, float):
            shown = f"{shown:g}"
        text += f" (default {shown})"
    if option.live:
        text += "; --source aws"
    return text.replace("%", "%%")


def _checker(option: Option) -> Callable[[str], Any]:
    """argparse's ``type``: checks one command-line value (a usage error when bad); the
    value itself goes to ``connect()`` as written, which reads it again."""
    element = option.kind.read if option.kind is not INSTANTS else _frame_word

    def check(text: str) -> str:
        try:
            element(text)
        except DDSQLError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return text

    check.__name__ = option.name  # argparse names the type in some messages
    return check


def _frame_word(text: str) -> Any:
    """One command-line word of a time frame: an end, a span, or both ends in one
    (their order is checked with the other word, by :func:`settle`)."""
    from .session import parse_start, parse_time_frame

    try:
        return parse_start(text)
    except DDSQLError:
        return parse_time_frame(text)


def keywords(namespace: argparse.Namespace, names: Sequence[str] | None = None) -> dict[str, Any]:
    """``connect()``'s keywords from a parsed command line: the options given."""
    wanted = BY_NAME if names is None else {n: BY_NAME[n] for n in names}
    return {
        name: getattr(namespace, name) for name in wanted if _given(getattr(namespace, name, None))
    }
