"""One client connection: the protocol's message flow (startup, authentication, simple
and extended queries, errors, cancellation) over a session of its own.

Each client gets a :class:`~ddsql_lite.session.Session` (its time frame) and its own
settings; queries run on the server's shared data through
:meth:`Connection.new_session`, through the same translator and sandbox as every face,
and rows are streamed as DuckDB computes them. Catalog queries go to the catalog
database (:mod:`.catalog`), never to the data.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import DDSQLError, located
from ..session import Session
from . import protocol as pq
from .catalog import OWNER, SERVER_VERSION, is_catalog_query
from .scram import MECHANISM, ScramError, ScramServer
from .statements import (
    PARAMETER_PREFIX,
    Kind,
    classify,
    count_statements,
    placeholders,
    setting_value,
)
from .wire_types import Column, column_for, parse_array, read_parameter

if TYPE_CHECKING:
    from .server import Server

log = logging.getLogger("ddsql_lite.server")

FLUSH_BYTES = 64 * 1024
BATCH_ROWS = 2048


class ClientError(DDSQLError):
    """An error the server reports with its own SQLSTATE."""

    def __init__(self, sqlstate: str, message: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


# Settings a client may read and set; the value in force is the session's.
SETTINGS: dict[str, str] = {
    "application_name": "",
    "client_encoding": "UTF8",
    "datestyle": "ISO, MDY",
    "extra_float_digits": "1",
    "timezone": "UTC",
    "intervalstyle": "postgres",
    "standard_conforming_strings": "on",
    "search_path": "public, aws",
    "statement_timeout": "0",
    "lock_timeout": "0",
    "idle_in_transaction_session_timeout": "0",
    "client_min_messages": "notice",
    "bytea_output": "hex",
    "jit": "off",
    "default_transaction_read_only": "on",
    "transaction_read_only": "on",
    "transaction_isolation": "read committed",
    "default_transaction_isolation": "read committed",
    "server_version": SERVER_VERSION,
    "server_version_num": "150000",
    "server_encoding": "UTF8",
    "integer_datetimes": "on",
    "is_superuser": "off",
    "session_authorization": OWNER,
    "max_identifier_length": "63",
    "lc_collate": "C",
    "lc_ctype": "C",
    "lc_messages": "C",
    "lc_monetary": "C",
    "lc_numeric": "C",
    "lc_time": "C",
}
DISPLAY_NAMES = {"datestyle": "DateStyle", "timezone": "TimeZone", "intervalstyle": "IntervalStyle"}
READ_ONLY = {
    "server_version", "server_version_num", "server_encoding", "integer_datetimes",
    "is_superuser", "session_authorization", "max_identifier_length", "lc_collate",
    "lc_ctype", "transaction_read_only",
}  # fmt: skip
# Settings that would change what a value means: only these values are taken.
FIXED = {
    "client_encoding": ("utf8", "utf-8", "unicode"),
    "timezone": ("utc", "gmt", "etc/utc", "z", "+00", "+00:00", "0", "zulu", "universal"),
    "intervalstyle": ("postgres",),
    "standard_conforming_strings": ("on", "true", "1"),
    "default_transaction_read_only": ("on", "true", "1"),
}
STARTUP_STATUS = ("application_name", "client_encoding", "datestyle", "integer_datetimes",
                  "intervalstyle", "is_superuser", "server_encoding", "server_version",
                  "session_authorization", "standard_conforming_strings", "timezone")  # fmt: skip


@dataclass
class Prepared:
    """A parsed statement: the client's text, the text the library runs (``$n`` as
    ``:pn``), the map back to the client's positions, and the parameter types."""

    text: str
    ddsql: str
    back: Any
    count: int
    oids: list[int]
    kind: Kind


@dataclass
class Outcome:
    """A statement's answer: its columns (None: no rows), its rows and its tag."""

    columns: list[tuple[str, Column]] | None
    rows: Iterator[Sequence[Any]] = field(default_factory=lambda: iter(()))
    tag: str = ""
    close: Any = None
    counted: bool = True  # the tag gets the row count ("SELECT n")


@dataclass
class Portal:
    prepared: Prepared
    params: list[Any]
    formats: list[int]
    outcome: Outcome | None = None
    sent: int = 0


class Handler:
    """Serves one client socket until it leaves (:meth:`run`)."""

    def __init__(self, server: Server, sock: socket.socket, address: Any) -> None:
        self.server = server
        self.sock = sock
        self.address = address
        self.reader = pq.Reader(sock)
        self.out = bytearray()
        self.session = Session()
        self.settings = dict(SETTINGS)
        self.status = b"I"
        self.pid = 0
        self.secret = secrets.randbits(32)
        self.cancel = threading.Event()  # the running query's: a CancelRequest sets it
        self.prepared: dict[str, Prepared] = {}
        self.portals: dict[str, Portal] = {}
        self.database = "ddsql"

    # ------------------------------------------------------------------ output

    def send(self, data: bytes) -> None:
        self.out += data
        if len(self.out) >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.out:
            data, self.out = bytes(self.out), bytearray()
            self.sock.sendall(data)

    # ------------------------------------------------------------------ lifecycle

    def run_with(self, started: Any) -> None:
        """Startup, then (after ``started()``) messages until Terminate or the
        connection ends."""
        try:
            if not self.startup():
                return
            started()
            self.loop()
        except (pq.ProtocolError, OSError, ConnectionError):
            pass
        finally:
            self.close_portals()
            with contextlib.suppress(OSError):
                self.sock.close()

    def startup(self) -> bool:
        """The startup exchange; False when the connection ends with it (an SSL request
        refused and not followed, a cancel request, a refused login)."""
        while True:
            code, body = self.reader.startup()
            if code in (pq.SSL_REQUEST, pq.GSSENC_REQUEST):
                self.sock.sendall(b"N")  # no TLS: the client continues in clear text
                continue
            if code == pq.CANCEL_REQUEST:
                reader = pq.Body(body)
                self.server.cancel(reader.int32(), reader.uint32())
                return False
            if code != pq.PROTOCOL_3:
                self.fatal("08P01", f"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}")
                return False
            break
        params = pq.startup_parameters(body)
        self.database = params.get("database") or params.get("user") or "ddsql"
        for name, value in params.items():
            key = name.lower()
            if key in SETTINGS and key not in READ_ONLY:
                with contextlib.suppress(DDSQLError):
                    self.set_setting(key, value)
        if not self.authenticate(params.get("user", "")):
            return False
        slot = self.server.admit(self)
        if slot is None:
            self.fatal("53300", "sorry, too many clients already")
            return False
        self.pid = slot
        self.send(pq.authentication(0))
        for name in STARTUP_STATUS:
            self.send(pq.parameter_status(DISPLAY_NAMES.get(name, name), self.settings[name]))
        self.send(pq.backend_key(self.pid, self.secret))
        self.send(pq.ready(self.status))
        self.flush()
        return True

    def authenticate(self, user: str) -> bool:
        """SCRAM-SHA-256 when the server has a password; True once the client proved it."""
        password = self.server.password
        if password is None:
            return True
        self.send(pq.authentication(10, pq.cstring(MECHANISM) + b"\0"))
        self.flush()
        try:
            kind, body = self.reader.message()
            if kind != b"p":
                raise ScramError("expected a SASL response")
            reader = pq.Body(body)
            mechanism = reader.string()
            if mechanism != MECHANISM:
                raise ScramError(f"unsupported SASL mechanism {mechanism}")
            length = reader.int32()
            exchange = ScramServer(password)
            first = exchange.first(reader.take(length).decode())
            self.send(pq.authentication(11, first.encode()))
            self.flush()
            kind, body = self.reader.message()
            if kind != b"p":
                raise ScramError("expected a SASL response")
            final = exchange.final(body.decode())
        except (ScramError, UnicodeDecodeError, ValueError):
            log.warning("password authentication failed for %r from %s", user, self.address)
            self.fatal("28P01", f'password authentication failed for user "{user}"')
            return False
        self.send(pq.authentication(12, final.encode()))
        return True

    def fatal(self, sqlstate: str, message: str) -> None:
        with contextlib.suppress(OSError):
            self.send(pq.error(sqlstate, message, severity="FATAL"))
            self.flush()

    def loop(self) -> None:
        skipping = False  # after an error in an extended-protocol exchange, until Sync
        while True:
            kind, body = self.reader.message()
            if kind == b"X":
                return
            if kind == b"Q":
                self.simple(pq.Body(body).string())
                continue
            if kind == b"S":
                skipping = False
                if self.status == b"I":
                    self.close_unnamed()
                self.send(pq.ready(self.status))
                self.flush()
                continue
            if kind == b"H":
                self.flush()
                continue
            if skipping:
                continue
            try:
                self.extended(kind, pq.Body(body))
            except DDSQLError as exc:
                if not isinstance(exc, DDSQLAlreadyReported):
                    self.report(exc)
                skipping = True
            except (pq.ProtocolError, ConnectionError, OSError):
                raise
            except Exception as exc:  # a bug: the client gets an error, the server lives
                log.exception("internal error")
                self.report(ClientError("XX000", f"internal error: {type(exc).__name__}: {exc}"))
                skipping = True

    # ------------------------------------------------------------------ errors

    def report(self, exc: DDSQLError, text: str | None = None, back: Any = None) -> None:
        """An ErrorResponse for ``exc``: its SQLSTATE, its message without the excerpt
        psql draws itself, and the position of the caret in ``text``."""
        message, position = located(str(exc), text) if text is not None else (str(exc), None)
        if position is not None and back is not None:
            position = back(position)
        if self.status == b"T":
            self.status = b"E"
        self.send(pq.error(exc.sqlstate, message, position=position))

    # ------------------------------------------------------------------ simple protocol

    def simple(self, sql: str) -> None:
        try:
            if count_statements(sql) > 1:
                raise ClientError(
                    "0A000",
                    "one statement per query: send the statements one at a time",
                )
            prepared = Prepared(sql, sql, None, 0, [], classify(sql))
            outcome = self.execute(prepared, [])
            if outcome is None:
                self.send(pq.EMPTY_QUERY)
            else:
                if outcome.columns is not None:
                    self.send(self.description(outcome.columns, []))
                self.stream(outcome, [], 0)
        except DDSQLError as exc:
            self.report(exc, sql)
        except (pq.ProtocolError, ConnectionError, OSError):
            raise
        except Exception as exc:
            log.exception("internal error")
            self.report(ClientError("XX000", f"internal error: {type(exc).__name__}: {exc}"))
        self.send(pq.ready(self.status))
        self.flush()

    # ------------------------------------------------------------------ extended protocol

    def extended(self, kind: bytes, body: pq.Body) -> None:
        if kind == b"P":
            name, sql = body.string(), body.string()
            oids = [body.uint32() for _ in range(body.int16())]
            if count_statements(sql) > 1:
                raise ClientError(
                    "42601", "cannot insert multiple commands into a prepared statement"
                )
            ddsql, count, back = placeholders(sql)
            oids += [0] * (count - len(oids))
            self.prepared[name] = Prepared(sql, ddsql, back, count, oids, classify(sql))
            self.send(pq.PARSE_COMPLETE)
        elif kind == b"B":
            self.bind(body)
        elif kind == b"D":
            what, name = body.byte(), body.string()
            if what == b"S":
                self.describe_statement(self.statement(name))
            else:
                self.describe_portal(self.portal(name))
        elif kind == b"E":
            name, limit = body.string(), body.int32()
            self.execute_portal(self.portal(name), limit)
        elif kind == b"C":
            what, name = body.byte(), body.string()
            if what == b"S":
                self.prepared.pop(name, None)
            else:
                portal = self.portals.pop(name, None)
                if portal is not None and portal.outcome is not None:
                    self.finish(portal.outcome)
            self.send(pq.CLOSE_COMPLETE)
        elif kind == b"F":
            raise ClientError("0A000", "function calls are not supported")
        elif kind in (b"d", b"c", b"f"):
            raise ClientError("0A000", "COPY is not supported")
        else:
            raise pq.ProtocolError(f"invalid frontend message type {kind!r}")

    def statement(self, name: str) -> Prepared:
        if name not in self.prepared:
            raise ClientError("26000", f'prepared statement "{name}" does not exist')
        return self.prepared[name]

    def portal(self, name: str) -> Portal:
        if name not in self.portals:
            raise ClientError("34000", f'portal "{name}" does not exist')
        return self.portals[name]

    def bind(self, body: pq.Body) -> None:
        portal_name, statement_name = body.string(), body.string()
        prepared = self.statement(statement_name)
        formats = [body.int16() for _ in range(body.int16())]
        values = []
        count = body.int16()
        if count != prepared.count:
            raise ClientError(
                "08P01",
                f"bind message supplies {count} parameters, but prepared statement "
                f'"{statement_name}" requires {prepared.count}',
            )
        for index in range(count):
            length = body.int32()
            data = None if length < 0 else body.take(length)
            fmt = formats[index] if len(formats) > 1 else (formats[0] if formats else 0)
            oid = prepared.oids[index] if index < len(prepared.oids) else 0
            values.append(None if data is None else read_parameter(data, oid, fmt == 1))
        results = [body.int16() for _ in range(body.int16())]
        old = self.portals.pop(portal_name, None)
        if old is not None and old.outcome is not None:
            self.finish(old.outcome)
        self.portals[portal_name] = Portal(prepared, values, results)
        self.send(pq.BIND_COMPLETE)

    def describe_statement(self, prepared: Prepared) -> None:
        oids = [oid or 25 for oid in prepared.oids]
        self.send(pq.parameter_description(oids))
        if prepared.kind.name != "query" and prepared.kind.name != "show":
            self.send(pq.NO_DATA)
            return
        try:
            outcome = self.execute(prepared, [None] * prepared.count, describe=True)
        except DDSQLError:
            outcome = None
        if outcome is None or outcome.columns is None:
            self.send(pq.NO_DATA)
            return
        self.finish(outcome)
        self.send(self.description(outcome.columns, []))

    def describe_portal(self, portal: Portal) -> None:
        if portal.outcome is None:
            portal.outcome = self.run_portal(portal)
        columns = portal.outcome.columns if portal.outcome else None
        if columns is None:
            self.send(pq.NO_DATA)
        else:
            self.send(self.description(columns, portal.formats))

    def run_portal(self, portal: Portal) -> Outcome | None:
        prepared = portal.prepared
        try:
            return self.execute(prepared, portal.params)
        except DDSQLError as exc:
            self.report(exc, prepared.ddsql, prepared.back)
            raise DDSQLAlreadyReported() from None

    def execute_portal(self, portal: Portal, limit: int) -> None:
        if portal.outcome is None:
            portal.outcome = self.run_portal(portal)
        if portal.outcome is None:
            self.send(pq.EMPTY_QUERY)
            return
        try:
            done = self.stream(portal.outcome, portal.formats, limit, portal)
        except DDSQLError as exc:
            portal.outcome = Outcome(None, tag="")
            self.report(exc, portal.prepared.ddsql, portal.prepared.back)
            raise DDSQLAlreadyReported() from None
        if not done:
            self.send(pq.PORTAL_SUSPENDED)

    def close_unnamed(self) -> None:
        portal = self.portals.pop("", None)
        if portal is not None and portal.outcome is not None:
            self.finish(portal.outcome)

    def close_portals(self) -> None:
        for portal in self.portals.values():
            if portal.outcome is not None:
                self.finish(portal.outcome)
        self.portals.clear()

    # ------------------------------------------------------------------ results

    def description(self, columns: list[tuple[str, Column]], formats: list[int]) -> bytes:
        fields = []
        for index, (name, column) in enumerate(columns):
            fmt = formats[index] if len(formats) > 1 else (formats[0] if formats else 0)
            fields.append((name, column.oid, column.size, fmt))
        return pq.row_description(fields)

    def stream(
        self, outcome: Outcome, formats: list[int], limit: int, portal: Portal | None = None
    ) -> bool:
        """Send the outcome's rows (at most ``limit`` when > 0) and, once they are all
        sent, its CommandComplete; False when rows remain (the portal is suspended)."""
        columns = outcome.columns or []
        writers = []
        for index, (_name, column) in enumerate(columns):
            fmt = formats[index] if len(formats) > 1 else (formats[0] if formats else 0)
            writers.append(column.binary if fmt == 1 else column.text)
        sent = 0
        try:
            for row in outcome.rows:
                self.send(pq.data_row([None if v is None else w(v) for w, v in zip(writers, row)]))
                sent += 1
                if limit > 0 and sent >= limit:
                    if portal is not None:
                        portal.sent += sent
                    return False
        except BaseException:
            self.finish(outcome)
            raise
        total = sent + (portal.sent if portal is not None else 0)
        self.finish(outcome)
        tag = outcome.tag
        if outcome.columns is not None and outcome.counted:
            tag = f"{tag} {total}"
        self.send(pq.command_complete(tag))
        return True

    @staticmethod
    def finish(outcome: Outcome) -> None:
        if outcome.close is not None:
            with contextlib.suppress(Exception):
                outcome.close()
            outcome.close = None

    # ------------------------------------------------------------------ statements

    def execute(
        self, prepared: Prepared, params: list[Any], *, describe: bool = False
    ) -> Outcome | None:
        """Run one statement; None for an empty one."""
        kind = prepared.kind
        if kind.name == "empty":
            return None
        if self.status == b"E" and not (
            kind.name == "transaction" and kind.tag in ("ROLLBACK", "COMMIT")
        ):
            raise ClientError(
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block",
            )
        if kind.name == "transaction":
            return self.transaction(kind, prepared.text)
        if kind.name == "ignored":
            if kind.tag == "DISCARD ALL":
                self.settings = dict(SETTINGS)
                self.session = Session()
            return Outcome(None, tag=kind.tag)
        if kind.name in ("set", "reset", "show") and not kind.setting.startswith("dd."):
            if kind.setting == "all":
                if kind.name == "reset":
                    self.settings = dict(SETTINGS)
                    return Outcome(None, tag="RESET")
            else:
                return self.setting_statement(kind)
        if is_catalog_query(prepared.text):
            return self.catalog_query(prepared, params)
        return self.ddsql_query(prepared, params, describe)

    def transaction(self, kind: Kind, text: str) -> Outcome:
        tag = kind.tag
        if tag == "BEGIN":
            self.status = b"T"
        elif tag == "COMMIT":
            tag = "ROLLBACK" if self.status == b"E" else "COMMIT"
            self.status = b"I"
        elif tag == "ROLLBACK":
            to = " to " in f" {text.lower()} "
            self.status = b"T" if to and self.status != b"I" else b"I"
        return Outcome(None, tag=tag)

    def setting_statement(self, kind: Kind) -> Outcome:
        name = kind.setting
        if kind.name == "show":
            if name not in self.settings:
                raise ClientError("42704", f'unrecognized configuration parameter "{name}"')
            column = DISPLAY_NAMES.get(name, name)
            value = self.settings[name]
            return Outcome(
                [(column, column_for("VARCHAR"))], iter([(value,)]), "SHOW", counted=False
            )
        if kind.name == "reset":
            if name not in SETTINGS:
                raise ClientError("42704", f'unrecognized configuration parameter "{name}"')
            self.settings[name] = SETTINGS[name]
            return Outcome(None, tag="RESET")
        self.set_setting(name, setting_value(kind.value))
        return Outcome(None, tag="SET")

    def set_setting(self, name: str, value: str) -> None:
        if name not in SETTINGS:
            raise ClientError("42704", f'unrecognized configuration parameter "{name}"')
        if name in READ_ONLY:
            raise ClientError("55P02", f'parameter "{name}" cannot be changed')
        if value.lower() == "default" or value == "":
            value = SETTINGS[name]
        allowed = FIXED.get(name)
        if allowed is not None and value.lower() not in allowed:
            raise ClientError(
                "0A000",
                f"{name} = {value!r} is not supported: DDSQL values are "
                f"{SETTINGS[name]} (set it to {SETTINGS[name]!r})",
            )
        if name == "datestyle" and not value.upper().startswith("ISO"):
            raise ClientError(
                "0A000", f"DateStyle {value!r} is not supported: DDSQL writes ISO dates"
            )
        if name == "statement_timeout":
            self.timeout_of(value)
        self.settings[name] = value

    @staticmethod
    def timeout_of(value: str) -> float:
        """statement_timeout as seconds: a number is milliseconds, or a number with a
        unit (ms, s, min, h)."""
        import re

        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*", value)
        if found is None:
            raise ClientError(
                "22023", f'invalid value for parameter "statement_timeout": "{value}"'
            )
        number = float(found.group(1))
        scale = {"ms": 0.001, None: 0.001, "s": 1.0, "min": 60.0, "h": 3600.0}[found.group(2)]
        return number * scale

    def limit(self) -> float | None:
        """The time limit of the next query: statement_timeout when set, else the
        server's."""
        seconds = self.timeout_of(self.settings["statement_timeout"])
        return seconds if seconds > 0 else None

    def session_values(self) -> dict[str, str]:
        values = {
            "database": self.database,
            "search_path": self.settings["search_path"],
            "current_schema": self.settings["search_path"].split(",")[0].strip().strip('"'),
        }
        values.update({"setting:" + k: v for k, v in self.settings.items()})
        return values

    def catalog_query(self, prepared: Prepared, params: list[Any]) -> Outcome:
        self.cancel = threading.Event()
        timeout = self.limit() or self.server.default_timeout
        # psycopg sends a list as an array of unknown type: its text, '{r,p}'
        values = [_as_array(v) for v in params]
        names, types, rows = self.server.catalog.query(
            prepared.text, values, self.session_values(), timeout=timeout, cancel=self.cancel
        )
        columns = [(n, column_for(t)) for n, t in zip(names, types)]
        return Outcome(columns, iter(rows), "SELECT")

    def ddsql_query(self, prepared: Prepared, params: list[Any], describe: bool) -> Outcome:
        values = {f"{PARAMETER_PREFIX}{i + 1}": v for i, v in enumerate(params)}
        self.cancel = cancel = threading.Event()
        connection, release = self.server.acquire(self.session)
        if describe:  # the columns only: nothing runs
            try:
                names, described = connection.describe(prepared.ddsql, values)
            finally:
                release()
            if prepared.kind.name == "set":
                return Outcome(None, tag="SET")
            return Outcome([(n, column_for(t)) for n, t in zip(names, described)])
        try:
            stream = connection.stream(
                prepared.ddsql, values, timeout=self.limit(), cancel=cancel, batch_rows=BATCH_ROWS
            )
        except BaseException:
            release()
            raise
        kind = prepared.kind
        if kind.name == "set":
            release()
            stream.close()
            return Outcome(None, tag="SET")
        types: list[str | None] = list(stream.duckdb_types or [None] * len(stream.columns))
        columns = [(n, column_for(t)) for n, t in zip(stream.columns, types)]

        def rows() -> Iterator[Sequence[Any]]:
            for batch in stream:
                data = [c.to_pylist() for c in batch.columns]
                yield from zip(*data)

        def close() -> None:
            try:
                stream.close()
            finally:
                release()

        tag = "SHOW" if kind.name == "show" else "SELECT"
        return Outcome(columns, rows(), tag, close, counted=kind.name != "show")


def _as_array(value: Any) -> Any:
    """A catalog query's parameter: text in PostgreSQL's array form as a list."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        with contextlib.suppress(ValueError):
            return parse_array(value)
    return value


class DDSQLAlreadyReported(DDSQLError):
    """An error already sent: the exchange skips to Sync without another report."""
