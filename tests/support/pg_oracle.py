"""PostgreSQL 15 oracle for the ddsql_lite test suite.

PostgreSQL 15 decides every behaviour the DDSQL reference does not document
(docs/dialect.md, "Which behaviour wins"). This module runs a private, throw-away
PostgreSQL 15 server, loads fixture records into ``aws.sagemaker_inference_experiment``
with PostgreSQL's own types, runs queries there and compares the answers with
ddsql_lite's.

It is deliberately independent of ``ddsql_lite``: the record -> row mapping below is a
second implementation of docs/design.md, "From API record to row", so a bug in the
package cannot hide itself by being copied into the oracle.

Public names:

* :class:`PostgresServer` / :class:`PostgresUnavailable` - the server.
* :func:`load_records`, :func:`record_to_row`, :func:`read_fixture_records` - the data.
* :func:`run` - run one query, get ``(columns, rows)``.
* :func:`compare_results`, :func:`query_is_ordered` - compare answers.
* :func:`snake_case`, :func:`parse_timestamp`, :func:`format_json_timestamp`,
  :func:`parse_hstore`, :func:`hstore_from_map`, :class:`JsonText` - the small rules
  the above are built from.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import math
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

import pg8000.dbapi
from pg8000.dbapi import Connection

__all__ = [
    "COLUMNS",
    "DEFAULT_TABLE",
    "JsonText",
    "PostgresServer",
    "PostgresUnavailable",
    "compare_results",
    "format_json_timestamp",
    "hstore_from_map",
    "load_records",
    "parse_hstore",
    "parse_timestamp",
    "query_is_ordered",
    "read_fixture_records",
    "record_to_row",
    "register_adapters",
    "run",
    "snake_case",
]

Row = tuple[Any, ...]

DEFAULT_TABLE = "aws.sagemaker_inference_experiment"
PG_MAJOR = 15
_DEFAULT_BINDIR = Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin")
_SUPERUSER = "postgres"
_RUN_AS = "postgres"


# --------------------------------------------------------------------------- server


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be found or started.

    ``log_tail`` holds the last lines of the server log (or of initdb's output), so the
    reason is visible in the test report; it is also part of ``str(exc)``.
    """

    def __init__(self, message: str, log_tail: str = "") -> None:
        self.reason = message
        self.log_tail = log_tail
        text = message
        if log_tail.strip():
            text += "\n--- PostgreSQL log (tail) ---\n" + log_tail.rstrip()
        super().__init__(text)


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _find_bindir(explicit: str | Path | None) -> Path:
    """Locate the directory holding initdb, pg_ctl and postgres.

    Order: the explicit argument, ``$DDSQL_PG_BINDIR``, /usr/lib/postgresql/15/bin,
    ``pg_config --bindir``, then the directory of ``initdb`` on PATH.
    """
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(Path(explicit))
    elif os.environ.get("DDSQL_PG_BINDIR"):
        candidates.append(Path(os.environ["DDSQL_PG_BINDIR"]))
    else:
        candidates.append(_DEFAULT_BINDIR)
        pg_config = shutil.which("pg_config")
        if pg_config:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                out = subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True, timeout=10
                )
                if out.returncode == 0 and out.stdout.strip():
                    candidates.append(Path(out.stdout.strip()))
        initdb = shutil.which("initdb")
        if initdb:
            candidates.append(Path(initdb).parent)
    for cand in candidates:
        if all((cand / exe).is_file() for exe in ("initdb", "pg_ctl", "postgres")):
            return cand
    looked = ", ".join(str(c) for c in candidates) or "(nowhere)"
    raise PostgresUnavailable(
        f"PostgreSQL {PG_MAJOR} binaries (initdb, pg_ctl, postgres) not found; looked in "
        f"{looked}. Install the Debian package 'postgresql' (PostgreSQL {PG_MAJOR})."
    )


def _server_major(bindir: Path) -> int:
    out = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, timeout=30
    )
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    if out.returncode != 0 or not match:
        raise PostgresUnavailable(
            f"cannot run {bindir / 'postgres'} --version", out.stderr or out.stdout
        )
    return int(match.group(1))


def _ensure_system_user(name: str) -> tuple[int, int]:
    """uid and gid of ``name``; creates it as a system user when it does not exist."""
    import pwd

    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        proc = subprocess.run(
            [
                useradd,
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                name,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if proc.returncode != 0:
            raise PostgresUnavailable(
                f"running as root and the system user {name!r} is missing; creating it failed",
                proc.stderr,
            ) from None
        entry = pwd.getpwnam(name)
    return entry.pw_uid, entry.pw_gid


def _tempdir_parent_for(uid: int) -> str | None:
    """A parent for the temporary directory that user ``uid`` can traverse.

    ``tempfile.gettempdir()`` when every ancestor is world-searchable (or owned by
    ``uid``), else ``/tmp``. Only matters as root, where the server runs as another user.
    """
    base = Path(tempfile.gettempdir()).resolve()
    for part in (base, *base.parents):
        try:
            st = part.stat()
        except OSError:
            return "/tmp"
        if not (st.st_mode & stat.S_IXOTH) and st.st_uid != uid:
            return "/tmp"
    return str(base)


class PostgresServer:
    """A private PostgreSQL 15 server in a fresh temporary directory.

    Contract:

    * :meth:`start` runs ``initdb`` (trust authentication, UTF8, locale ``C`` so text
      sorts by code point like DuckDB, superuser ``postgres``) into a new temporary
      directory, then ``pg_ctl start`` with the server listening on 127.0.0.1 only, on
      a free port, with its unix socket inside the temporary directory, ``fsync=off``,
      ``TimeZone=UTC``, ``DateStyle=ISO``, JIT off, ``statement_timeout=60s``.
    * When the effective uid is 0 (tests and CI run as root; initdb and postgres refuse
      root), the directory is owned by the ``postgres`` system user (created when
      missing) and initdb/pg_ctl run through ``runuser -u postgres --``.
    * After the start, :attr:`conn` is an open pg8000 DB-API connection with
      autocommit on and the :func:`register_adapters` conversions, and the ``hstore``
      extension exists in the ``postgres`` database.
    * Any failure raises :class:`PostgresUnavailable` with the log tail, after cleaning
      up. :meth:`stop` shuts the server down and deletes the directory; it never raises,
      may be called repeatedly, and also runs at interpreter exit if forgotten.
    """

    host = "127.0.0.1"
    user = _SUPERUSER
    database = "postgres"

    def __init__(
        self,
        bindir: str | Path | None = None,
        *,
        startup_timeout: float = 30.0,
        require_major: int | None = PG_MAJOR,
    ) -> None:
        self._bindir_arg = bindir
        self.startup_timeout = startup_timeout
        self.require_major = require_major
        self.bindir: Path | None = None
        self.tmpdir: Path | None = None
        self.port: int | None = None
        self._conn: Connection | None = None
        self._extra_conns: list[Connection] = []
        self._as_root = os.geteuid() == 0
        self._initdb_output = ""

    # -- paths -------------------------------------------------------------------

    @property
    def datadir(self) -> Path:
        """The cluster's data directory (inside :attr:`tmpdir`)."""
        if self.tmpdir is None:
            raise RuntimeError("server not started")
        return self.tmpdir / "data"

    @property
    def logfile(self) -> Path:
        """The server log written by ``pg_ctl -l``."""
        if self.tmpdir is None:
            raise RuntimeError("server not started")
        return self.tmpdir / "postgres.log"

    @property
    def conn(self) -> Connection:
        """The server's main connection (autocommit, adapters registered)."""
        if self._conn is None:
            raise RuntimeError("server not started")
        return self._conn

    # -- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> PostgresServer:
        """Create, start and connect; returns ``self``. See the class contract."""
        if self._conn is not None:
            return self
        atexit.register(self.stop)
        try:
            self._start()
        except PostgresUnavailable:
            self.stop()
            raise
        except BaseException as exc:
            tail = self.log_tail()
            self.stop()
            if isinstance(exc, Exception):
                raise PostgresUnavailable(
                    f"PostgreSQL failed to start: {type(exc).__name__}: {exc}", tail
                ) from exc
            raise
        return self

    def _start(self) -> None:
        self.bindir = _find_bindir(self._bindir_arg)
        if self.require_major is not None:
            major = _server_major(self.bindir)
            if major != self.require_major:
                raise PostgresUnavailable(
                    f"{self.bindir} holds PostgreSQL {major}, "
                    f"the oracle needs PostgreSQL {self.require_major}"
                )
        uid = gid = -1
        parent: str | None = None
        if self._as_root:
            uid, gid = _ensure_system_user(_RUN_AS)
            parent = _tempdir_parent_for(uid)
        self.tmpdir = Path(tempfile.mkdtemp(prefix="ddsql-pg-", dir=parent))
        if self._as_root:
            os.chown(self.tmpdir, uid, gid)
        self._initdb()
        for attempt in range(3):
            self.port = _free_port()
            self._write_config()
            if self._pg_ctl_start():
                break
            if attempt == 2 or "already in use" not in self.log_tail():
                raise PostgresUnavailable(
                    f"pg_ctl start failed (port {self.port})", self.log_tail()
                )
        self._conn = self.connect()
        cur = self._conn.cursor()
        cur.execute("CREATE EXTENSION IF NOT EXISTS hstore")
        cur.close()
        register_adapters(self._conn)

    def _command(self, args: Sequence[str]) -> list[str]:
        if self._as_root:
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            return [runuser, "-u", _RUN_AS, "--", *args]
        return list(args)

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C", TZ="UTC")
        return env

    def _run_tool(
        self, args: Sequence[str], timeout: float, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        # cwd: as root our cwd (e.g. /root) may be unreadable for the postgres user.
        return subprocess.run(
            self._command(args),
            cwd=cwd or self.tmpdir,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def _initdb(self) -> None:
        assert self.bindir is not None
        proc = self._run_tool(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.datadir),
                "-U",
                _SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
                "--no-instructions",
            ],
            timeout=max(self.startup_timeout, 60.0),
        )
        self._initdb_output = proc.stdout + proc.stderr
        if proc.returncode != 0:
            raise PostgresUnavailable(
                f"initdb failed with exit status {proc.returncode}",
                _tail(self._initdb_output),
            )

    def _write_config(self) -> None:
        assert self.tmpdir is not None
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.tmpdir),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "TimeZone": "UTC",
            "log_timezone": "UTC",
            "DateStyle": "ISO, MDY",
            "lc_messages": "C",
            "jit": "off",
            "max_connections": "20",
            "statement_timeout": "60s",
        }
        lines = ["# written by tests/support/pg_oracle.py"]
        lines += [f"{k} = '{v}'" for k, v in settings.items()]
        # postgresql.auto.conf is read last, so it wins over postgresql.conf.
        (self.datadir / "postgresql.auto.conf").write_text("\n".join(lines) + "\n")

    def _pg_ctl_start(self) -> bool:
        assert self.bindir is not None
        try:
            proc = self._run_tool(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(self.logfile),
                    "-w",
                    "-t",
                    str(int(self.startup_timeout)),
                    "-s",
                    "start",
                ],
                timeout=self.startup_timeout + 15,
            )
        except subprocess.TimeoutExpired:
            return False
        if proc.returncode != 0 and (proc.stdout or proc.stderr).strip():
            with contextlib.suppress(OSError), self.logfile.open("a") as fh:
                fh.write(proc.stdout + proc.stderr)
        return proc.returncode == 0

    def connect(self) -> Connection:
        """A new pg8000 DB-API connection: autocommit on, :func:`register_adapters`
        applied once hstore exists. Closed by :meth:`stop`."""
        if self.port is None:
            raise RuntimeError("server not started")
        deadline = time.monotonic() + 5.0
        while True:
            try:
                conn = pg8000.dbapi.connect(
                    user=self.user,
                    host=self.host,
                    port=self.port,
                    database=self.database,
                    timeout=120,
                )
                break
            except pg8000.dbapi.InterfaceError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        conn.autocommit = True
        if self._conn is not None:
            register_adapters(conn)
        self._extra_conns.append(conn)
        return conn

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the server log, or of initdb's output."""
        text = ""
        if self.tmpdir is not None:
            with contextlib.suppress(OSError):
                text = self.logfile.read_text(errors="replace")
        return _tail(text or self._initdb_output, lines)

    def stop(self) -> None:
        """Close connections, stop the server, delete the directory. Never raises."""
        for conn in self._extra_conns:
            with contextlib.suppress(Exception):
                conn.close()
        self._extra_conns.clear()
        self._conn = None
        tmpdir, self.tmpdir = self.tmpdir, None
        if tmpdir is not None:
            with contextlib.suppress(Exception):
                self._shutdown(tmpdir)
            shutil.rmtree(tmpdir, ignore_errors=True)
        self.port = None
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)

    def _shutdown(self, tmpdir: Path) -> None:
        datadir = tmpdir / "data"
        pidfile = datadir / "postmaster.pid"
        if not pidfile.exists() or self.bindir is None:
            return
        pid = 0
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pidfile.read_text().splitlines()[0])
        try:
            proc = self._run_tool(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(datadir),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "10",
                    "-s",
                    "stop",
                ],
                timeout=20,
                cwd=tmpdir,
            )
            ok = proc.returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        if not ok and pid > 0:
            # Only the postmaster this object started; SIGQUIT = immediate shutdown.
            for sig in (signal.SIGQUIT, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, sig)
                    time.sleep(0.5)


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


# ------------------------------------------------------------------- type adapters


class JsonText(str):
    """Text of a PostgreSQL ``json``/``jsonb`` value, exactly as the server sent it.

    A ``str`` subclass, so it prints and compares like text; :func:`compare_results`
    recognises it and compares the parsed JSON instead (so ``1.50`` equals ``1.5``,
    whitespace and key order do not matter, and a JSON ``null`` is not SQL NULL).
    """

    __slots__ = ()

    def parsed(self) -> Any:
        """The value decoded by :func:`json.loads`."""
        return json.loads(self)


_HSTORE_PAIR = re.compile(
    r'\s*"((?:[^"\\]|\\.)*)"\s*=>\s*(?:(NULL)|"((?:[^"\\]|\\.)*)")\s*(?:,|$)', re.S
)
_HSTORE_UNESCAPE = re.compile(r"\\(.)", re.S)


def parse_hstore(text: str) -> dict[str, str | None]:
    """Parse hstore output text (``"k"=>"v", "n"=>NULL``) into a dict.

    Keys and values are unescaped (``\\"`` and ``\\\\``); an SQL NULL value is None.
    Raises ValueError on text that is not hstore output.
    """
    result: dict[str, str | None] = {}
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _HSTORE_PAIR.match(text, pos)
        if not match:
            raise ValueError(f"not hstore text at offset {pos}: {text!r}")
        key = _HSTORE_UNESCAPE.sub(r"\1", match.group(1))
        value = None if match.group(2) else _HSTORE_UNESCAPE.sub(r"\1", match.group(3))
        result[key] = value
        pos = match.end()
    return result


def hstore_from_map(value: Any) -> dict[str, str | None] | None:
    """A tag MAP as ddsql_lite/DuckDB returns it -> the hstore dict PostgreSQL returns.

    Accepts ``{key: [values]}``, a list of ``(key, [values])`` pairs (Arrow's map form)
    or DuckDB's older ``{"key": [...], "value": [...]}``; a key's values are sorted,
    de-duplicated and joined by ``,`` (docs/dialect.md, "Tags"). A value that is already text
    is kept; None stays None (SQL NULL). compare_results does not do this by itself:
    apply it to the tags column of the DuckDB side before comparing.
    """
    if value is None:
        return None
    if isinstance(value, Mapping) and set(value) == {"key", "value"}:
        value = list(zip(value["key"], value["value"], strict=True))
    items = value.items() if isinstance(value, Mapping) else value
    out: dict[str, str | None] = {}
    for key, vals in items:
        if vals is None or isinstance(vals, str):
            out[str(key)] = vals
        else:
            out[str(key)] = ",".join(sorted({str(v) for v in vals}))
    return out


def register_adapters(conn: Connection) -> None:
    """Make result values of ``conn`` easy to compare.

    * ``json`` and ``jsonb`` come back as :class:`JsonText` (the server's text), not
      pg8000's default ``json.loads`` result, which turns a JSON ``null`` into None
      and a JSON string ``"1"`` into the same ``'1'`` as the text ``1``.
    * ``hstore`` (its oid is looked up; the extension must exist) comes back as
      ``dict[str, str | None]`` via :func:`parse_hstore` instead of raw text.

    Everything else keeps pg8000's mapping: timestamp -> naive datetime, timestamptz ->
    aware datetime (UTC), numeric -> Decimal, float8 -> float, int -> int, arrays ->
    lists, interval -> timedelta (or pg8000 PGInterval when it has months).
    """
    conn.register_in_adapter(114, JsonText)  # json
    conn.register_in_adapter(3802, JsonText)  # jsonb
    cur = conn.cursor()
    try:
        cur.execute("SELECT to_regtype('hstore')::oid")
        row = cur.fetchone()
    finally:
        cur.close()
    if row and row[0]:
        conn.register_in_adapter(int(row[0]), parse_hstore)


# ------------------------------------------------------------- record -> row mapping

# (column, PostgreSQL type) in the seed's order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("_key", "text"),
    ("account_id", "text"),
    ("arn", "text"),
    ("completion_time", "timestamp"),
    ("creation_time", "timestamp"),
    ("data_storage_config", "json"),
    ("description", "text"),
    ("endpoint_metadata", "json"),
    ("last_modified_time", "timestamp"),
    ("model_variants", "json"),
    ("name", "text"),
    ("role_arn", "text"),
    ("schedule", "json"),
    ("shadow_mode_config", "json"),
    ("status", "text"),
    ("status_reason", "text"),
    ("tags", "hstore"),
    ("type", "text"),
)

_TEXT_FIELDS = {
    "arn": "Arn",
    "name": "Name",
    "type": "Type",
    "status": "Status",
    "status_reason": "StatusReason",
    "description": "Description",
    "role_arn": "RoleArn",
}
_TIME_FIELDS = {
    "creation_time": "CreationTime",
    "completion_time": "CompletionTime",
    "last_modified_time": "LastModifiedTime",
}
_JSON_FIELDS = {
    "schedule": "Schedule",
    "endpoint_metadata": "EndpointMetadata",
    "model_variants": "ModelVariants",
    "data_storage_config": "DataStorageConfig",
    "shadow_mode_config": "ShadowModeConfig",
}
_REQUIRED = ("Arn", "Name", "Type", "Status", "CreationTime")

_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    """CamelCase -> snake_case.

    Insert ``_`` before an uppercase letter that follows a lowercase letter or a digit,
    and before an uppercase letter that is followed by a lowercase one and preceded by
    an uppercase one; then lowercase. ``S3Uri`` -> ``s3_uri``, ``KMSKeyId`` ->
    ``kms_key_id``, ``InstanceType`` -> ``instance_type``.
    """
    return _SNAKE.sub("_", name).lower()


def parse_timestamp(value: Any) -> datetime:
    """An API timestamp as an aware UTC datetime.

    Accepts ISO-8601 text ``YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|+HH[:MM]|+HHMM]``
    (more than six fractional digits are truncated; no offset means UTC),
    epoch seconds as int, float or Decimal, and datetime objects (naive = UTC).
    Raises ValueError otherwise (booleans included).
    """
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    elif isinstance(value, int | float | Decimal):
        if not math.isfinite(float(value)):
            raise ValueError(f"not a timestamp: {value!r}")
        if isinstance(value, Decimal):
            seconds = int(value // 1)
            micros = int(((value - seconds) * 1_000_000).to_integral_value())
            dt = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(
                seconds=seconds, microseconds=micros
            )
        else:
            dt = datetime.fromtimestamp(value, tz=timezone.utc)
    elif isinstance(value, str):
        dt = _parse_iso(value)
    else:
        raise ValueError(f"not a timestamp: {value!r}")
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?"
)


def _parse_iso(value: str) -> datetime:
    """ISO-8601 text -> datetime (aware when it has ``Z`` or an offset).

    Own parser rather than ``datetime.fromisoformat``, whose accepted forms differ
    between Python 3.10 and 3.11 (``Z``, ``+0200``, 1-9 fractional digits).
    """
    match = _ISO.fullmatch(value.strip())
    if not match:
        raise ValueError(f"not an ISO-8601 timestamp: {value!r}")
    year, month, day, hour, minute, second, frac, zulu, sign, off_h, off_m = match.groups()
    tz: timezone | None = None
    if zulu:
        tz = timezone.utc
    elif sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m or 0))
        tz = timezone(-offset if sign == "-" else offset)
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((frac or "0")[:6].ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError as exc:
        raise ValueError(f"not an ISO-8601 timestamp: {value!r} ({exc})") from None


def format_json_timestamp(value: Any) -> str:
    """A timestamp as it appears inside JSON columns: ISO-8601 UTC text.

    ``YYYY-MM-DDTHH:MM:SSZ``; when the microseconds are not zero they are added as
    ``.ffffff`` with trailing zeros removed (``.5``, ``.123``, ``.000001``).
    """
    dt = parse_timestamp(value)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        text += f".{dt.microsecond:06d}".rstrip("0")
    return text + "Z"


def _to_json_value(value: Any, key: str | None) -> Any:
    """API value -> JSON column value: snake_case keys at every depth; datetimes, and
    numbers or text under a key ending in ``Time`` (``StartTime``, ``EndTime``),
    become :func:`format_json_timestamp` text; Decimals become int/float."""
    if isinstance(value, Mapping):
        return {snake_case(str(k)): _to_json_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json_value(v, key) for v in value]
    if isinstance(value, datetime):
        return format_json_timestamp(value)
    if (
        key is not None
        and key.endswith("Time")
        and isinstance(value, str | int | float | Decimal)
        and not isinstance(value, bool)
    ):
        return format_json_timestamp(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def record_to_row(record: Mapping[str, Any], index: int = 0) -> dict[str, Any]:
    """One fixture record -> ``{column: value}`` for :data:`COLUMNS`.

    Values: text columns str or None; timestamp columns naive UTC datetime or None;
    JSON columns the Python value to store (see ``_to_json_value``) or None; ``tags``
    a ``dict[str, str]``: the record's tags plus ``region:<region>`` and
    ``aws_account:<account_id>``, each key's values sorted, de-duplicated and joined
    by ``,`` (a tag without ``Value`` counts as the empty string).

    A field that is absent or null is None (SQL NULL). Raises ValueError naming the
    record ``index`` and the field for a missing required field (``account_id``,
    ``region``, ``experiment`` and its ``Arn``, ``Name``, ``Type``, ``Status``,
    ``CreationTime``), a non-text text field, a bad timestamp or a bad tag.
    """

    def fail(field: str, problem: str) -> ValueError:
        return ValueError(f"record {index}: field {field!r}: {problem}")

    exp = record.get("experiment")
    if not isinstance(exp, Mapping):
        raise fail("experiment", "missing or not an object")
    account = record.get("account_id")
    region = record.get("region")
    for field, val in (("account_id", account), ("region", region)):
        if not isinstance(val, str) or not val:
            raise fail(field, "missing or not text")
    for field in _REQUIRED:
        if exp.get(field) is None:
            raise fail(f"experiment.{field}", "missing")

    row: dict[str, Any] = {"_key": exp["Arn"], "account_id": account}
    for column, field in _TEXT_FIELDS.items():
        val = exp.get(field)
        if val is not None and not isinstance(val, str):
            raise fail(f"experiment.{field}", f"not text: {val!r}")
        row[column] = val
    for column, field in _TIME_FIELDS.items():
        val = exp.get(field)
        try:
            row[column] = None if val is None else parse_timestamp(val).replace(tzinfo=None)
        except ValueError as exc:
            raise fail(f"experiment.{field}", str(exc)) from None
    for column, field in _JSON_FIELDS.items():
        val = exp.get(field)
        try:
            row[column] = None if val is None else _to_json_value(val, field)
        except ValueError as exc:
            raise fail(f"experiment.{field}", str(exc)) from None

    values: dict[str, set[str]] = {}
    raw_tags = record.get("tags") or []
    if not isinstance(raw_tags, list):
        raise fail("tags", "not a list")
    for i, tag in enumerate(raw_tags):
        if not isinstance(tag, Mapping) or not isinstance(tag.get("Key"), str):
            raise fail(f"tags[{i}]", "needs a text Key")
        value = tag.get("Value")
        if value is not None and not isinstance(value, str):
            raise fail(f"tags[{i}].Value", "not text")
        values.setdefault(tag["Key"], set()).add(value or "")
    values.setdefault("region", set()).add(region)  # type: ignore[arg-type]
    values.setdefault("aws_account", set()).add(account)  # type: ignore[arg-type]
    row["tags"] = {k: ",".join(sorted(v)) for k, v in sorted(values.items())}
    return row


def read_fixture_records(path: str | Path) -> list[dict[str, Any]]:
    """Records of a fixture file or directory (docs/design.md, "Fixture format").

    ``.json``: an array of records or ``{"records": [...]}``; ``.jsonl``: one record a
    line (blank lines skipped); a directory: every such file in it, in name order.
    """
    path = Path(path)
    if path.is_dir():
        out: list[dict[str, Any]] = []
        for child in sorted(path.iterdir(), key=lambda p: p.name):
            if child.is_file() and child.suffix in (".json", ".jsonl"):
                out.extend(read_fixture_records(child))
        return out
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    if isinstance(data, dict):
        data = data.get("records")
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected an array of records or {{'records': [...]}}")
    return data


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _split_table(table: str) -> tuple[str, str]:
    schema, _, name = table.rpartition(".")
    return (schema or "public"), name


def load_records(
    conn: Connection,
    records: Iterable[Mapping[str, Any]],
    table: str = DEFAULT_TABLE,
) -> int:
    """(Re)create ``table`` holding exactly ``records``; returns the row count.

    Creates the schema if needed, drops and recreates the table with :data:`COLUMNS`
    (text, ``timestamp`` without time zone holding UTC, ``json``, ``hstore``) and
    the view ``public.<schema>_<name>`` (``public.aws_sagemaker_inference_experiment``)
    over it, then inserts one row per record with :func:`record_to_row`. All values
    travel as query parameters. Every record is mapped before the database is
    touched, and the DDL plus inserts run in one transaction, so a bad record
    leaves the database as it was. Needs the ``hstore`` extension.
    """
    rows = [record_to_row(rec, i) for i, rec in enumerate(records)]
    schema, name = _split_table(table)
    qualified = f"{_ident(schema)}.{_ident(name)}"
    view = f"public.{_ident(f'{schema}_{name}')}"
    col_defs = ", ".join(f"{_ident(c)} {t}" for c, t in COLUMNS)
    placeholders = []
    for _column, pg_type in COLUMNS:
        if pg_type == "json":
            placeholders.append("CAST(%s AS json)")
        elif pg_type == "hstore":
            placeholders.append(
                "(SELECT coalesce(hstore(array_agg(key), array_agg(value)), ''::hstore)"
                " FROM json_each_text(CAST(%s AS json)))"
            )
        elif pg_type == "timestamp":
            placeholders.append("CAST(%s AS timestamp)")
        else:
            placeholders.append("CAST(%s AS text)")
    insert = (
        f"INSERT INTO {qualified} ({', '.join(_ident(c) for c, _ in COLUMNS)}) "
        f"VALUES ({', '.join(placeholders)})"
    )
    params: list[tuple[Any, ...]] = []
    for row in rows:
        vals: list[Any] = []
        for column, pg_type in COLUMNS:
            val = row[column]
            if val is not None and pg_type == "json":
                # Compact text, as ddsql_lite's loader writes it: PostgreSQL's json
                # keeps the text it is given, so ::text agrees exactly.
                val = json.dumps(val, ensure_ascii=False, separators=(",", ":"))
            elif val is not None and pg_type == "hstore":
                val = json.dumps(val, ensure_ascii=False)
            elif isinstance(val, datetime):
                val = val.isoformat(sep=" ")
            vals.append(val)
        params.append(tuple(vals))

    cur = conn.cursor()
    try:
        cur.execute("BEGIN")
        try:
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)}")
            cur.execute(f"DROP VIEW IF EXISTS {view}")
            cur.execute(f"DROP TABLE IF EXISTS {qualified} CASCADE")
            cur.execute(f"CREATE TABLE {qualified} ({col_defs})")
            cur.execute(f"CREATE VIEW {view} AS SELECT * FROM {qualified}")
            for param_row in params:
                cur.execute(insert, param_row)
        except BaseException:
            with contextlib.suppress(Exception):
                cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
    finally:
        cur.close()
    return len(rows)


def run(conn: Connection, sql: str) -> tuple[list[str], list[Row]]:
    """Run one statement; return (column names, rows as tuples).

    The SQL is sent as is (simple query protocol, no parameter substitution, so ``%``
    needs no escaping). A statement without a result set gives ``([], [])``. Errors
    propagate as pg8000 ``DatabaseError``; with autocommit the connection stays usable.
    """
    cur = conn.cursor()
    try:
        cur.execute(sql)
        if cur.description is None:
            return [], []
        columns = [str(d[0]) for d in cur.description]
        return columns, [tuple(r) for r in cur.fetchall()]
    finally:
        cur.close()


# ------------------------------------------------------------------- comparison

REL_TOL = 1e-9
ABS_TOL = 1e-12


class _Json:
    """A decoded JSON value inside a normalised cell."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"json:{json.dumps(self.value, sort_keys=True, default=str)}"


def _normalise(value: Any) -> Any:
    """One cell -> the canonical form :func:`_equal` compares (see compare_results)."""
    if isinstance(value, JsonText):
        try:
            return _Json(_normalise(json.loads(value)))
        except ValueError:
            return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _equal(a: Any, b: Any) -> bool:
    """Equality of two normalised cells (rules in compare_results)."""
    if isinstance(a, _Json) or isinstance(b, _Json):
        if isinstance(a, _Json) and isinstance(b, _Json):
            return _equal(a.value, b.value)
        j, other = (a, b) if isinstance(a, _Json) else (b, a)
        if other is None:
            return False  # SQL NULL is not JSON null
        if isinstance(other, str):
            try:
                return _equal(j.value, _normalise(json.loads(other)))
            except ValueError:
                return False
        return _equal(j.value, other)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        fa, fb = float(a), float(b)
        if math.isnan(fa) or math.isnan(fb):
            return math.isnan(fa) and math.isnan(fb)
        return math.isclose(fa, fb, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str):
        return str(a) == str(b)
    if isinstance(a, datetime) != isinstance(b, datetime):
        return False  # a date is not a datetime
    try:
        return bool(a == b)
    except Exception:
        return False


def _rows_equal(a: Sequence[Any], b: Sequence[Any]) -> bool:
    return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))


def _sort_key(value: Any) -> tuple[Any, ...]:
    """A total order over normalised cells; approximate (floats rounded) on purpose."""
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, value)
    if _is_number(value):
        f = float(value)
        return (2, 0.0 if math.isnan(f) else float(f"{f:.8g}"), math.isnan(f))
    if isinstance(value, datetime):
        return (3, value.isoformat())
    if isinstance(value, date):
        return (4, value.isoformat())
    if isinstance(value, str):
        return (5, value)
    if isinstance(value, _Json):
        return (6, json.dumps(_canonical_json(value.value), sort_keys=True, default=str))
    if isinstance(value, list):
        return (7, tuple(_sort_key(v) for v in value))
    if isinstance(value, dict):
        return (8, tuple((k, _sort_key(v)) for k, v in sorted(value.items())))
    return (9, type(value).__name__, repr(value))


def _canonical_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_json(v) for v in value]
    if isinstance(value, _Json):
        return _canonical_json(value.value)
    if _is_number(value):
        return float(f"{float(value):.8g}")
    return value


def _fmt_row(row: Sequence[Any]) -> str:
    return "(" + ", ".join(repr(v) for v in row) + ")"


_MAX_SHOWN = 10


def compare_results(
    expected_rows: Sequence[Sequence[Any]],
    actual_rows: Sequence[Sequence[Any]],
    *,
    ordered: bool,
) -> str | None:
    """None when the two results are equal, else a readable description of the diff.

    Each cell is normalised, then compared:

    * Numbers (int, float, Decimal; not bool) are equal when numerically equal: two
      ints exactly, otherwise as floats with ``math.isclose(rel_tol=1e-9,
      abs_tol=1e-12)``; NaN equals NaN. ``True`` is not ``1``.
    * JSON: a :class:`JsonText` (what :func:`register_adapters` makes json columns
      return) is decoded and compared structurally with these same rules, so key
      order, whitespace and ``1.50`` vs ``1.5`` do not matter. A decoded JSON value
      equals a dict/list/number/bool with the same content (pg8000's default parsed
      form), or a text that parses to the same JSON (DuckDB returns JSON as text, e.g.
      ``'"v1"'``). JSON ``null`` is not SQL NULL (None). Text that is not a JSON value
      (``col::text``, ``j ->> 'k'``) is text: compared exactly, spaces included.
    * Datetimes: aware ones are converted to naive UTC, then compared exactly. A date
      is not a datetime.
    * Lists/tuples element-wise; dicts (hstore via :func:`parse_hstore`, parsed JSON)
      by equal key sets and values. Anything else with ``==`` (same type required,
      except str subclasses).
    * Rows must have the same length. ``ordered=True``: row i against row i.
      ``ordered=False``: the rows are compared as multisets (sorted by a stable key,
      then, if that pairing fails, matched greedily so the diff names the rows that
      have no partner).

    Ties in an ORDER BY are the caller's business: order by a unique key.
    """
    exp = [[_normalise(v) for v in row] for row in expected_rows]
    act = [[_normalise(v) for v in row] for row in actual_rows]
    lines: list[str] = []
    if len(exp) != len(act):
        lines.append(f"row count differs: expected {len(exp)}, actual {len(act)}")
    if ordered:
        shown = 0
        for i in range(max(len(exp), len(act))):
            e = exp[i] if i < len(exp) else None
            a = act[i] if i < len(act) else None
            if e is not None and a is not None and _rows_equal(e, a):
                continue
            if shown < _MAX_SHOWN:
                lines.append(_describe_ordered(i, expected_rows, actual_rows, e, a))
            shown += 1
        if shown > _MAX_SHOWN:
            lines.append(f"... and {shown - _MAX_SHOWN} more differing rows")
        return "\n".join(lines) or None

    def key(row: list[Any]) -> tuple[Any, ...]:
        return (len(row), tuple(_sort_key(v) for v in row))

    exp_idx = sorted(range(len(exp)), key=lambda i: key(exp[i]))
    act_idx = sorted(range(len(act)), key=lambda i: key(act[i]))
    if len(exp) == len(act) and all(
        _rows_equal(exp[i], act[j]) for i, j in zip(exp_idx, act_idx, strict=True)
    ):
        return None
    unmatched_act = list(act_idx)
    missing: list[int] = []
    for i in exp_idx:
        for pos, j in enumerate(unmatched_act):
            if _rows_equal(exp[i], act[j]):
                del unmatched_act[pos]
                break
        else:
            missing.append(i)
    if not missing and not unmatched_act:
        return None
    for label, idxs, src in (
        ("expected but missing", missing, expected_rows),
        ("unexpected in actual", unmatched_act, actual_rows),
    ):
        if idxs:
            lines.append(f"{len(idxs)} row(s) {label}:")
            lines.extend(f"  {_fmt_row(src[i])}" for i in idxs[:_MAX_SHOWN])
            if len(idxs) > _MAX_SHOWN:
                lines.append(f"  ... and {len(idxs) - _MAX_SHOWN} more")
    return "\n".join(lines)


def _describe_ordered(
    i: int,
    expected_rows: Sequence[Sequence[Any]],
    actual_rows: Sequence[Sequence[Any]],
    e: list[Any] | None,
    a: list[Any] | None,
) -> str:
    if a is None:
        return f"row {i}: missing in actual; expected {_fmt_row(expected_rows[i])}"
    if e is None:
        return f"row {i}: unexpected in actual: {_fmt_row(actual_rows[i])}"
    head = (
        f"row {i}: expected {_fmt_row(expected_rows[i])}\n"
        f"       actual   {_fmt_row(actual_rows[i])}"
    )
    if len(e) != len(a):
        return head + f"\n       ({len(e)} vs {len(a)} columns)"
    cols = [str(c) for c in range(len(e)) if not _equal(e[c], a[c])]
    return head + f"\n       differing column(s): {', '.join(cols)}"


# ---------------------------------------------------------------- ORDER BY detection


def query_is_ordered(sql: str) -> bool:
    """True when the outermost query has an ORDER BY, so row order is part of the answer.

    Parses with sqlglot (``read="postgres"``) and looks at the ``order`` argument of the
    outermost expression (SELECT, UNION/INTERSECT/EXCEPT, or a parenthesised query,
    unwrapped). ORDER BY inside subqueries, CTEs, window definitions and aggregates
    does not count. If sqlglot cannot parse the text, falls back to a scan for
    ``ORDER BY`` at parenthesis depth 0 outside quotes and comments.
    """
    try:
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(sql, read="postgres")
    except Exception:
        return _scan_top_level_order_by(sql)
    node: Any = tree
    while True:
        if node is None:
            return False
        if node.args.get("order"):
            return True
        if isinstance(node, exp.Subquery | exp.Paren):
            node = node.this
            continue
        return False


def _scan_top_level_order_by(sql: str) -> bool:
    """Fallback of query_is_ordered: ``ORDER BY`` at depth 0, outside quotes/comments."""
    depth = 0
    i = 0
    n = len(sql)
    masked: list[str] = []
    while i < n:
        ch = sql[i]
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
            continue
        if sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if ch in ("'", '"'):
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            masked.append(" ")
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        masked.append(ch if depth == 0 and ch != ")" else " ")
        i += 1
    return re.search(r"\border\s+by\b", "".join(masked), re.I) is not None
