"""The listening server: accepts clients, caps them, gives each a thread and a session,
routes cancel requests, and swaps freshly loaded data in between queries.

Threads, not asyncio: a query spends its time in DuckDB, which releases the GIL, and
the library's API is blocking; a thread per client keeps a slow or idle client from
holding up the others (docs/design.md, "The server").
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..connection import Connection
from ..errors import DDSQLError, UnsupportedError
from ..session import Session
from .catalog import Catalog

if TYPE_CHECKING:
    from .handler import Handler

log = logging.getLogger("ddsql_lite.server")

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
STARTUP_SECONDS = 60.0
"""How long a client may take to finish its startup and authentication."""


class _Data:
    """One loaded data set and the queries using it: closed once it is replaced and
    its last query ends."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.users = 0
        self.replaced = False


class Server:
    """``load()`` gives the data's connection (called again to refresh it)."""

    def __init__(
        self,
        load: Callable[[], Connection],
        *,
        host: str = "127.0.0.1",
        port: int = 5433,
        password: str | None = None,
        max_connections: int = 20,
        refresh_every: float | None = None,
    ) -> None:
        if host not in LOCAL_HOSTS and not password:
            raise UnsupportedError(
                f"serving on {host} needs a password: --password-env NAME (the name of an "
                "environment variable holding it); without one the server binds 127.0.0.1"
            )
        if max_connections < 1:
            raise UnsupportedError("--max-connections must be at least 1")
        self.host, self.port = host, port
        self.password = password
        self.max_connections = max_connections
        self.refresh_every = refresh_every
        self._load = load
        self._lock = threading.Lock()
        self._data = _Data(load())
        connection = self._data.connection
        self.default_timeout = connection.limits[0]
        from ..metadata import function_help

        names = [form.name for form in function_help()]
        self.catalog = Catalog(connection.registry, names, "public, aws")
        self._clients: dict[int, Handler] = {}
        self._next_pid = 1000
        self._stop = threading.Event()
        self._listener: socket.socket | None = None

    # ------------------------------------------------------------------ data

    @property
    def connection(self) -> Connection:
        """The data queries run on now."""
        return self._data.connection

    def acquire(self, session: Session) -> tuple[Connection, Callable[[], None]]:
        """A connection over the current data with ``session``, and the function that
        says the query using it ended."""
        with self._lock:
            data = self._data
            data.users += 1
        released = threading.Event()

        def release() -> None:
            if released.is_set():
                return
            released.set()
            with self._lock:
                data.users -= 1
                close = data.replaced and data.users == 0
            if close:
                data.connection.close()

        return data.connection.new_session(session), release

    def refresh(self) -> bool:
        """Load the data again and swap it in (queries running on the old data finish
        on it); a failed load keeps the old data and is logged. True when swapped."""
        try:
            fresh = self._load()
        except DDSQLError as exc:
            log.error("refresh failed, still serving the previous data: %s", exc)
            return False
        except Exception as exc:  # a bug in a load must not end the server
            log.exception("refresh failed, still serving the previous data: %s", exc)
            return False
        with self._lock:
            old, self._data = self._data, _Data(fresh)
            old.replaced = True
            close = old.users == 0
        if close:
            old.connection.close()
        rows = sum(fresh.row_counts.values())
        log.info("refreshed: %s rows", f"{rows:,}")
        return True

    def _refresher(self) -> None:
        assert self.refresh_every
        while not self._stop.wait(self.refresh_every):
            self.refresh()

    # ------------------------------------------------------------------ clients

    def admit(self, handler: Handler) -> int | None:
        """A process id for an authenticated client; None past --max-connections."""
        with self._lock:
            if len(self._clients) >= self.max_connections:
                return None
            self._next_pid += 1
            self._clients[self._next_pid] = handler
            return self._next_pid

    def cancel(self, pid: int, secret: int) -> None:
        """A CancelRequest: cancel the query of client ``pid`` if ``secret`` is its key."""
        with self._lock:
            handler = self._clients.get(pid)
        if handler is not None and handler.secret == secret:
            handler.cancel.set()

    def _serve_client(self, sock: socket.socket, address: Any) -> None:
        from .handler import Handler

        handler = Handler(self, sock, address)
        try:
            sock.settimeout(STARTUP_SECONDS)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            handler.run_with(lambda: sock.settimeout(None))
        finally:
            with self._lock:
                if self._clients.get(handler.pid) is handler:
                    del self._clients[handler.pid]

    # ------------------------------------------------------------------ listening

    def bind(self) -> tuple[str, int]:
        """Open the listening socket; the address it listens on (a port of 0 picks a
        free one)."""
        infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        family, _, _, _, address = infos[0]
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
        self._listener = listener
        bound = listener.getsockname()
        self.port = bound[1]
        return bound[0], bound[1]

    def serve_forever(self) -> None:
        """Accept clients until :meth:`shutdown` (or Ctrl-C in the caller)."""
        if self._listener is None:
            self.bind()
        assert self._listener is not None
        if self.refresh_every:
            threading.Thread(target=self._refresher, name="ddsql-refresh", daemon=True).start()
        self._listener.settimeout(0.5)
        try:
            while not self._stop.is_set():
                try:
                    sock, address = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    if self._stop.is_set():
                        break
                    raise
                threading.Thread(
                    target=self._serve_client, args=(sock, address), name="ddsql-client",
                    daemon=True,
                ).start()  # fmt: skip
        finally:
            self.close()

    def shutdown(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self._stop.set()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
        with self._lock:
            data = self._data
        data.connection.close()
