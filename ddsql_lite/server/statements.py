"""What a client's statement is, before it runs: the session and transaction statements
a server answers itself (``BEGIN``, ``SET application_name``, ``SHOW DateStyle``...),
catalog queries, and DDSQL queries; and the ``$n`` parameters of the extended
protocol as the library's ``:name`` placeholders, with the way back from an offset in
the rewritten text to one in the client's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..repl.sqltokens import COMMENT, NUMBER, OTHER, SPACE, WORD, statement_spans, tokenize

PARAMETER_PREFIX = "p"
"""``$3`` is bound as ``:p3``."""

TRANSACTION = {
    "begin": "BEGIN", "start": "BEGIN", "commit": "COMMIT", "end": "COMMIT",
    "rollback": "ROLLBACK", "abort": "ROLLBACK", "savepoint": "SAVEPOINT",
    "release": "RELEASE",
}  # fmt: skip
IGNORED = {"discard": "DISCARD ALL", "deallocate": "DEALLOCATE", "close": "CLOSE CURSOR",
           "listen": "LISTEN", "unlisten": "UNLISTEN"}  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """A statement's kind: ``empty``, ``transaction`` (``tag`` its command tag),
    ``ignored`` (answered with ``tag`` and nothing else), ``set``/``reset``/``show``
    (``setting`` its name, ``value`` what SET gives), or ``query``."""

    name: str
    tag: str = ""
    setting: str = ""
    value: str | None = None


_SET = re.compile(
    r"set\s+(?:(?:session|local)\s+)?(?P<name>time\s+zone|[\w.]+|\"[^\"]+\")"
    r"\s*(?:(?:=|\bto\b)\s*)?(?P<value>.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_SHOW = re.compile(
    r"show\s+(?P<name>transaction\s+isolation\s+level|time\s+zone|[\w.]+|\"[^\"]+\")\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_RESET = re.compile(r"reset\s+(?P<name>all|time\s+zone|[\w.]+)\s*;?\s*$", re.I | re.DOTALL)


def setting_name(name: str) -> str:
    """A setting's name as the server keys it (lower case, ``time zone`` -> ``timezone``,
    ``transaction isolation level`` -> ``transaction_isolation``)."""
    name = " ".join(name.strip('"').lower().split())
    return {"time zone": "timezone", "transaction isolation level": "transaction_isolation"}.get(
        name, name
    )


def classify(sql: str) -> Kind:
    """The kind of one statement's text (see :class:`Kind`)."""
    words = [t for t in tokenize(sql) if t.kind not in (SPACE, COMMENT)]
    if not words or all(t.text == ";" for t in words):
        return Kind("empty")
    first = words[0].text.lower() if words[0].kind == WORD else ""
    text = sql[words[0].start :]
    if first in TRANSACTION:
        tag = TRANSACTION[first]
        second = words[1].text.lower() if len(words) > 1 else ""
        if first == "rollback" and second == "to":
            tag = "ROLLBACK"
        if first == "release" or first == "savepoint":
            tag = TRANSACTION[first]
        if first in ("begin", "start") and second not in (
            "",
            "transaction",
            "work",
            ";",
            "isolation",
            "read",
        ):
            return Kind("query")
        return Kind("transaction", tag)
    if first in IGNORED:
        return Kind("ignored", IGNORED[first])
    if first == "set":
        found = _SET.match(text)
        if found:
            value = found.group("value")
            return Kind("set", "SET", setting_name(found.group("name")), value)
    if first == "show":
        found = _SHOW.match(text)
        if found:
            return Kind("show", "SHOW", setting_name(found.group("name")))
    if first == "reset":
        found = _RESET.match(text)
        if found:
            return Kind("reset", "RESET", setting_name(found.group("name")))
    return Kind("query")


def setting_value(text: str | None) -> str:
    """A SET's value as text: quotes removed, list items joined by ``, ``."""
    if text is None:
        return ""
    items = []
    for part in re.split(r",(?=(?:[^']*'[^']*')*[^']*$)", text):
        part = part.strip()
        if len(part) >= 2 and part[0] == part[-1] == "'":
            part = part[1:-1].replace("''", "'")
        elif len(part) >= 2 and part[0] == part[-1] == '"':
            part = part[1:-1]
        items.append(part)
    return ", ".join(items)


def count_statements(sql: str) -> int:
    """How many statements ``sql`` holds (split at top-level ``;``)."""
    return len(statement_spans(sql))


def placeholders(sql: str) -> tuple[str, int, Callable[[int], int]]:
    """``sql`` with each ``$n`` (outside strings, quoted names and comments) written as
    ``:pn``; the highest ``n``; and a function from a 1-based character position in the
    new text to the position in ``sql``."""
    tokens = tokenize(sql)
    out: list[str] = []
    moved: list[tuple[int, int]] = []  # (position in the new text, shift so far)
    shift = 0
    highest = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            tok.kind == OTHER
            and tok.text == "$"
            and nxt is not None
            and nxt.kind == NUMBER
            and nxt.text.isdigit()
            and nxt.start == tok.start + 1
        ):
            number = int(nxt.text)
            highest = max(highest, number)
            written = f":{PARAMETER_PREFIX}{number}"
            out.append(written)
            shift += len(written) - (len(nxt.text) + 1)
            moved.append((nxt.end + shift, shift))
            i += 2
            continue
        out.append(tok.text)
        i += 1

    def back(position: int) -> int:
        before = 0
        for at, total in moved:
            if position > at:
                before = total
        return max(1, position - before)

    return "".join(out), highest, back
