"""SCRAM-SHA-256 (RFC 5802, RFC 7677), the server's side, as PostgreSQL runs it:
the client proves it knows the password without sending it, and the server proves it
knows it too. The user name inside the exchange is ignored (PostgreSQL sends it in the
startup message); channel binding is not offered (no TLS).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

MECHANISM = "SCRAM-SHA-256"
ITERATIONS = 4096


class ScramError(Exception):
    """The exchange failed: a malformed message, or a wrong password."""


def _hmac(key: bytes, text: bytes) -> bytes:
    return hmac.new(key, text, hashlib.sha256).digest()


def _attributes(text: str) -> dict[str, str]:
    pairs = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or len(key) != 1:
            raise ScramError(f"malformed SCRAM attribute {part!r}")
        pairs[key] = value
    return pairs


class ScramServer:
    """One exchange for ``password``: :meth:`first` answers the client's first message,
    :meth:`final` checks its proof and returns the server's signature message."""

    def __init__(self, password: str) -> None:
        self._salt = secrets.token_bytes(16)
        salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), self._salt, ITERATIONS)
        self._stored_key = hashlib.sha256(_hmac(salted, b"Client Key")).digest()
        self._server_key = _hmac(salted, b"Server Key")
        self._nonce = ""
        self._first_bare = ""
        self._server_first = ""

    def first(self, client_first: str) -> str:
        """The server-first message for the client-first message."""
        header, sep, bare = client_first.partition(",")
        authzid, sep2, bare = bare.partition(",")
        if not (sep and sep2) or header not in ("n", "y") or authzid:
            raise ScramError("unsupported SCRAM client-first message (channel binding?)")
        client_nonce = _attributes(bare).get("r")
        if not client_nonce:
            raise ScramError("SCRAM client-first message without a nonce")
        self._nonce = client_nonce + base64.b64encode(secrets.token_bytes(18)).decode()
        self._first_bare = bare
        salt = base64.b64encode(self._salt).decode()
        self._server_first = f"r={self._nonce},s={salt},i={ITERATIONS}"
        return self._server_first

    def final(self, client_final: str) -> str:
        """The server-final message (``v=...``); ScramError for a wrong proof."""
        without_proof, sep, proof_part = client_final.rpartition(",p=")
        if not sep:
            raise ScramError("SCRAM client-final message without a proof")
        attributes = _attributes(without_proof)
        if attributes.get("r") != self._nonce:
            raise ScramError("SCRAM nonce mismatch")
        try:
            proof = base64.b64decode(proof_part, validate=True)
        except ValueError:
            raise ScramError("malformed SCRAM proof") from None
        message = f"{self._first_bare},{self._server_first},{without_proof}".encode()
        signature = _hmac(self._stored_key, message)
        if len(proof) != len(signature):
            raise ScramError("password authentication failed")
        client_key = bytes(a ^ b for a, b in zip(proof, signature))
        if not hmac.compare_digest(hashlib.sha256(client_key).digest(), self._stored_key):
            raise ScramError("password authentication failed")
        verifier = base64.b64encode(_hmac(self._server_key, message)).decode()
        return f"v={verifier}"
