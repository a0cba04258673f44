"""The exceptions ddsql_lite raises.

Every failure a user can cause (bad SQL, a bad fixture, a bad schema file, an API that
answers badly, a query that runs too long) is a :class:`DDSQLError` subclass whose
message says what went wrong and where. Callers catch ``DDSQLError`` and print
``str(err)``; nothing else should escape the public API.
"""

from __future__ import annotations

import re


class DDSQLError(Exception):
    """Base class of every error ddsql_lite reports to its users.

    ``sqlstate`` is the PostgreSQL error code of the class (what ``ddsql serve`` sends a
    client): each subclass names the code PostgreSQL gives the same failure."""

    sqlstate = "XX000"  # internal_error


class SchemaError(DDSQLError):
    """A schema file under ``schemas/`` is invalid (names the file and the column)."""

    sqlstate = "XX000"  # internal_error


class LoaderError(DDSQLError):
    """Input data could not be loaded (names the file, record index and field)."""

    sqlstate = "58000"  # system_error


class QueryError(DDSQLError):
    """A query was valid DDSQL but failed while running."""

    sqlstate = "22000"  # data_exception


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was cancelled."""

    sqlstate = "57014"  # query_canceled


class QueryMemoryError(QueryError):
    """A query needed more memory than its memory limit allows."""

    sqlstate = "53200"  # out_of_memory


class QueryCancelledError(QueryError):
    """A query was cancelled by the user (Ctrl-C)."""

    sqlstate = "57014"  # query_canceled


class CatalogError(DDSQLError):
    """A query names a table or column that does not exist."""

    sqlstate = "42P01"  # undefined_table


class UnsupportedError(DDSQLError):
    """A statement, function or construct that DDSQL does not support."""

    sqlstate = "0A000"  # feature_not_supported


class UndefinedColumnError(CatalogError):
    """A query names a column that no table of its FROM has."""

    sqlstate = "42703"  # undefined_column


class UndefinedFunctionError(UnsupportedError):
    """A query calls a function DDSQL does not have, or one (or an operator) that has no
    form for the argument types given, as PostgreSQL's resolution finds."""

    sqlstate = "42883"  # undefined_function


class MissingDependencyError(DDSQLError):
    """An optional package a feature needs is not installed (names the extra to install)."""

    sqlstate = "58000"  # system_error


class ParseError(DDSQLError):
    """The SQL text is not valid syntax.

    ``line`` and ``column`` are 1-based; ``str(err)`` ends with the offending line and a
    caret under the token.
    """

    sqlstate = "42601"  # syntax_error

    def __init__(self, message: str, sql: str, line: int, column: int) -> None:
        self.message = message
        self.sql = sql
        self.line = line
        self.column = column
        super().__init__(f"{message} (line {line}, column {column})\n{caret(sql, line, column)}")


def caret(sql: str, line: int, column: int) -> str:
    """The ``line``-th line of ``sql`` with a caret under ``column`` (both 1-based). The
    line is shown as a terminal can show it safely (controls escaped, see
    :mod:`ddsql_lite.text`) and the caret is placed by terminal columns."""
    from .text import visible, width

    lines = sql.split("\n")  # as position() counts lines
    text = lines[min(max(line, 1), len(lines)) - 1].removesuffix("\r")  # CRLF text
    head = max(column - 1, 0)
    before = width(visible(text[:head])) + max(head - len(text), 0)
    return f"  {visible(text)}\n  {' ' * before}^"


def at(message: str, sql: str, offset: int) -> str:
    """``message`` with the line and column of character ``offset`` of ``sql`` and a caret
    under it, as a :class:`ParseError` shows its position."""
    line, column = position(sql, offset)
    return f"{message} (line {line}, column {column})\n{caret(sql, line, column)}"


def fit_excerpts(message: str, limit: int) -> str:
    """``message`` with each excerpt of :func:`caret` (a line and a caret line under it)
    cut to ``limit`` terminal columns around the caret, a ``…`` where text was cut, so
    that neither line wraps and the caret stays under its character."""
    from .text import char_width, width

    lines = message.split("\n")
    for i in range(len(lines) - 1):
        text, mark = lines[i], lines[i + 1]
        if not (text.startswith("  ") and mark.startswith("  ") and mark.strip() == "^"):
            continue
        if width(text) <= limit and len(mark) <= limit:
            continue
        room = max(limit - 2, 8)  # the indent stays
        column = len(mark) - 3  # of the caret, in the line's text
        chars = list(text[2:])
        starts = []  # the column where each character starts
        used = 0
        for char in chars:
            starts.append(used)
            used += char_width(char)
        end = max(used, column + 1)  # the caret may sit just past the text
        first = max(0, min(column - room // 2, end - room + 1))
        begin = next((n for n, at in enumerate(starts) if at >= first), len(chars))
        left = "…" if begin else ""
        space = room - len(left)
        if sum(char_width(c) for c in chars[begin:]) > space:
            space -= 1  # for the "…" at the end
        shown, taken = [], 0
        for char in chars[begin:]:
            if taken + char_width(char) > space:
                break
            shown.append(char)
            taken += char_width(char)
        right = "…" if begin + len(shown) < len(chars) else ""
        origin = starts[begin] if begin < len(starts) else used
        lines[i] = "  " + left + "".join(shown) + right
        lines[i + 1] = "  " + " " * (column - origin + width(left)) + "^"
    return "\n".join(lines)


def position(sql: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of character ``offset`` in ``sql``."""
    before = sql[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


_LOCATED = re.compile(r" \(line (\d+), column (\d+)\)\n  [^\n]*\n *\^")


def located(message: str, sql: str) -> tuple[str, int | None]:
    """``message`` without the place :func:`at` (or :class:`ParseError`) wrote into it,
    and that place as a 1-based character offset in ``sql`` (None when the message has
    none): the position PostgreSQL's error reports carry."""
    found = _LOCATED.search(message)
    if found is None:
        return message, None
    line, column = int(found.group(1)), int(found.group(2))
    lines = sql.split("\n")
    if not 1 <= line <= len(lines):
        return message, None
    offset = sum(len(text) + 1 for text in lines[: line - 1]) + column
    head = message[: found.start()] + message[found.end() :]
    return head, min(max(offset, 1), len(sql) + 1)
