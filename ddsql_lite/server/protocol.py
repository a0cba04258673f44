"""PostgreSQL's frontend/backend protocol, version 3: reading a client's messages and
writing the server's. Only framing lives here; what the messages mean is
:mod:`.handler`'s.

A message is a type byte, a 4-byte big-endian length (counting itself) and a body; the
client's first message (startup, SSL request, cancel request) has no type byte.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Sequence

PROTOCOL_3 = 196608
SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102
MAX_MESSAGE = 64 * 1024 * 1024
"""The largest client message accepted (a query's text and its parameters)."""


class ProtocolError(Exception):
    """The client broke the protocol (or went away): the connection ends."""


class Reader:
    """Messages from a client socket; :class:`ProtocolError` when it closes or breaks
    the protocol."""

    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")

    def exact(self, count: int) -> bytes:
        data = self._file.read(count)
        if data is None or len(data) < count:
            raise ProtocolError("the client closed the connection")
        return data

    def startup(self) -> tuple[int, bytes]:
        """The first message: its code and body."""
        (length,) = struct.unpack("!i", self.exact(4))
        if not 8 <= length <= 10_000:
            raise ProtocolError(f"invalid startup packet length {length}")
        body = self.exact(length - 4)
        return struct.unpack("!i", body[:4])[0], body[4:]

    def message(self) -> tuple[bytes, bytes]:
        """The next message: its type byte and body."""
        kind = self.exact(1)
        (length,) = struct.unpack("!i", self.exact(4))
        if not 4 <= length <= MAX_MESSAGE:
            raise ProtocolError(f"invalid message length {length}")
        return kind, self.exact(length - 4)


class Body:
    """A message body read field by field."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def string(self) -> str:
        end = self.data.index(b"\0", self.at)
        text = self.data[self.at : end].decode("utf-8")
        self.at = end + 1
        return text

    def int16(self) -> int:
        (value,) = struct.unpack_from("!h", self.data, self.at)
        self.at += 2
        return int(value)

    def int32(self) -> int:
        (value,) = struct.unpack_from("!i", self.data, self.at)
        self.at += 4
        return int(value)

    def uint32(self) -> int:
        (value,) = struct.unpack_from("!I", self.data, self.at)
        self.at += 4
        return int(value)

    def take(self, count: int) -> bytes:
        value = self.data[self.at : self.at + count]
        if len(value) < count:
            raise ProtocolError("message too short")
        self.at += count
        return value

    def byte(self) -> bytes:
        return self.take(1)


def startup_parameters(body: bytes) -> dict[str, str]:
    """The name/value pairs of a startup message."""
    parts = body.split(b"\0")
    pairs = {}
    for i in range(0, len(parts) - 1, 2):
        if not parts[i]:
            break
        pairs[parts[i].decode("utf-8", "replace")] = parts[i + 1].decode("utf-8", "replace")
    return pairs


def message(kind: bytes, body: bytes = b"") -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def cstring(text: str) -> bytes:
    return text.replace("\0", "").encode("utf-8") + b"\0"


def authentication(code: int, data: bytes = b"") -> bytes:
    return message(b"R", struct.pack("!i", code) + data)


def parameter_status(name: str, value: str) -> bytes:
    return message(b"S", cstring(name) + cstring(value))


def backend_key(pid: int, secret: int) -> bytes:
    return message(b"K", struct.pack("!iI", pid, secret))


def ready(status: bytes) -> bytes:
    return message(b"Z", status)


def command_complete(tag: str) -> bytes:
    return message(b"C", cstring(tag))


def row_description(fields: Sequence[tuple[str, int, int, int]]) -> bytes:
    """``fields``: (name, type OID, type size, format code) of each column."""
    body = [struct.pack("!h", len(fields))]
    for name, oid, size, fmt in fields:
        body.append(cstring(name) + struct.pack("!IhIhih", 0, 0, oid, size, -1, fmt))
    return message(b"T", b"".join(body))


def data_row(values: Sequence[bytes | None]) -> bytes:
    body = [struct.pack("!h", len(values))]
    for value in values:
        body.append(
            struct.pack("!i", -1) if value is None else struct.pack("!i", len(value)) + value
        )
    return message(b"D", b"".join(body))


def parameter_description(oids: Sequence[int]) -> bytes:
    return message(b"t", struct.pack(f"!h{len(oids)}I", len(oids), *oids))


def error(
    sqlstate: str,
    text: str,
    *,
    position: int | None = None,
    severity: str = "ERROR",
    detail: str | None = None,
    hint: str | None = None,
) -> bytes:
    """An ErrorResponse (or, with ``severity`` NOTICE/WARNING, kind ``N``)."""
    fields = [b"S" + cstring(severity), b"V" + cstring(severity), b"C" + cstring(sqlstate),
              b"M" + cstring(text)]  # fmt: skip
    if detail:
        fields.append(b"D" + cstring(detail))
    if hint:
        fields.append(b"H" + cstring(hint))
    if position is not None:
        fields.append(b"P" + cstring(str(position)))
    kind = b"E" if severity in ("ERROR", "FATAL") else b"N"
    return message(kind, b"".join(fields) + b"\0")


PARSE_COMPLETE = message(b"1")
BIND_COMPLETE = message(b"2")
CLOSE_COMPLETE = message(b"3")
NO_DATA = message(b"n")
EMPTY_QUERY = message(b"I")
PORTAL_SUSPENDED = message(b"s")
