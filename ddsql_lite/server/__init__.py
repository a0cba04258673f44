"""``ddsql serve``: the loaded data served over PostgreSQL's wire protocol, so that
psql, pgcli, drivers (psycopg, pg8000, JDBC) and BI tools query it unchanged.

:class:`Server` listens; each client is served by a :class:`~.handler.Handler` on a
thread of its own; :mod:`.catalog` answers the catalog queries clients send;
:mod:`.wire_types` writes values as PostgreSQL does. docs/design.md, "The server",
gives the contract and why the protocol is implemented here.
"""

from __future__ import annotations

from .server import Server

__all__ = ["Server"]
