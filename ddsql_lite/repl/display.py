"""How the shell shows results: psql-like aligned tables, expanded records, a footer,
and a pager for results taller than the terminal.

Values become text through :func:`ddsql_lite.formats.cell`, so the shell agrees with
``ddsql -c``. Rendering is pure: it returns a list of :data:`Fragments` lines
(``(style, text)`` pairs) that :func:`to_text` turns into plain text or ANSI-styled text.

- Aligned tables fit ``max_width`` (the terminal's) by cutting the widest columns first;
  the identifying columns (``name``, ``arn``, ``_key``, ``*_name``, ``*_arn``) are cut
  only when cutting every other column is not enough; a cut value ends with ``…`` and
  the footer says so. Numbers are right-aligned; a
  value with line breaks takes several lines, with ``+`` where it continues (psql's
  convention). NULL is ``NULL``, dimmed on a terminal so it stands out from text.
- Expanded records (``\\x``) show one ``column | value`` line per column, JSON values
  pretty-printed over several lines, and never cut anything.
- Control characters in values and column names show as escapes (``\\x1b``, ``\\r``,
  ``\\t``: :func:`ddsql_lite.text.visible`); widths are terminal columns
  (:func:`ddsql_lite.text.width`, wide characters count two).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any, TextIO

from ..formats import cell, numeric_columns, plain
from ..text import char_width, pad, visible, width

Fragments = list[tuple[str, str]]  # one output line: (style, text) pairs
NULL = "NULL"
ELLIPSIS = "…"
MIN_CUT_WIDTH = 8  # a column is never cut narrower than this (or its header)
SHORT_VALUE = 32  # columns no wider than this are cut only when cutting others is not enough
IDENTIFYING = ("name", "arn", "_key")  # and names ending _name or _arn: cut last
# ANSI codes for the styles the renderers use.
STYLES = {"null": "\x1b[2;3m", "header": "\x1b[1m", "note": "\x1b[2m"}
RESET = "\x1b[0m"


def to_text(lines: Sequence[Fragments], *, styled: bool) -> str:
    """The rendered lines as text, with ANSI styles when ``styled``."""
    out = []
    for line in lines:
        parts = []
        for style, text in line:
            parts.append(f"{STYLES[style]}{text}{RESET}" if styled and style else text)
        out.append("".join(parts).rstrip())
    return "\n".join(out) + "\n" if out else ""


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` terminal columns, ending with an ellipsis if cut."""
    if width(text) <= limit:
        return text
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > limit - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + ELLIPSIS


class Grid:
    """An aligned table of ``columns`` and ``rows`` (Python values)."""

    def __init__(
        self, columns: Sequence[str], rows: Sequence[Sequence[Any]], markers: bool = True
    ) -> None:
        self.columns = [visible(c) for c in columns]
        self.markers = markers
        self.rows = rows
        self.cells = [[None if v is None else cell(v) for v in row] for row in rows]
        self.numeric = numeric_columns(len(self.columns), rows)
        self.natural = [
            max([width(c), *(width(x) for row in self.cells for x in _lines(row[i], NULL))])
            for i, c in enumerate(self.columns)
        ]
        self.was_cut = False

    def total_width(self, widths: Sequence[int]) -> int:
        return sum(widths) + 3 * max(len(widths) - 1, 0)

    def fitted(self, max_width: int | None) -> list[int]:
        """Column widths that fit ``max_width``: the long columns (values wider than
        :data:`SHORT_VALUE` columns) are cut to one common width, as wide as the room
        allows; short ones (timestamps, statuses) only if that is not enough, and the
        identifying ones (:func:`identifying`) only if even that is not enough. No
        column is cut below its header or :data:`MIN_CUT_WIDTH`."""
        widths = list(self.natural)
        if max_width is None or self.total_width(widths) <= max_width:
            return widths
        floors = [min(n, max(width(c), MIN_CUT_WIDTH)) for n, c in zip(widths, self.columns)]
        every = set(range(len(widths)))
        others = {i for i in every if not identifying(self.columns[i])}
        long = {i for i in others if widths[i] > SHORT_VALUE}
        for eligible in (long, others, every):
            if not eligible:
                continue

            def capped(cap: int, eligible: set[int] = eligible) -> list[int]:
                return [
                    max(min(n, cap), floors[i]) if i in eligible else n
                    for i, n in enumerate(self.natural)
                ]

            low, high = 0, max(self.natural)
            if self.total_width(capped(low)) > max_width:
                continue  # even at the floors this set cannot make room
            while low < high:  # the widest cap that fits
                mid = (low + high + 1) // 2
                low, high = (
                    (mid, high) if self.total_width(capped(mid)) <= max_width else (low, mid - 1)
                )
            return capped(low)
        return floors

    def render(self, max_width: int | None = None) -> list[Fragments]:
        widths = self.fitted(max_width)
        lines: list[Fragments] = [
            [("header", " | ".join(pad(c, w) for c, w in zip(self.columns, widths)))],
            [("", "-+-".join("-" * w for w in widths))],
        ]
        for row in self.cells:
            lines += self._row(row, widths)
        return lines

    def _row(self, row: Sequence[str | None], widths: Sequence[int]) -> list[Fragments]:
        split = [_lines(v) for v in row]
        height = max((len(s) for s in split), default=1)
        out: list[Fragments] = []
        for n in range(height):
            line: Fragments = []
            for i, (value, parts, w) in enumerate(zip(row, split, widths)):
                if i:
                    more = self.markers and n + 1 < len(split[i - 1])
                    line.append(("", ("+" if more else " ") + "| "))
                if value is None:
                    line.append(
                        ("null", pad(NULL, w, self.numeric[i])) if n == 0 else ("", " " * w)
                    )
                    continue
                text = parts[n] if n < len(parts) else ""
                if width(text) > w:
                    text, self.was_cut = cut(text, w), True
                line.append(("", pad(text, w, self.numeric[i])))
            if self.markers and len(split[-1]) > n + 1:
                line.append(("", "+"))
            out.append(line)
        return out


def aligned(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    max_width: int | None = None,
    *,
    markers: bool = True,
) -> tuple[list[Fragments], bool]:
    """A psql-like table fitted to ``max_width`` (None: no limit), and whether any value
    had to be cut. ``markers``: a ``+`` where a value continues on the next line."""
    table = Grid(columns, rows, markers)
    lines = table.render(max_width)
    return lines, table.was_cut


def fits(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int) -> bool:
    """Can the aligned table fit ``max_width`` columns, cutting long values if need be?"""
    table = Grid(columns, rows)
    return table.total_width(table.fitted(max_width)) <= max_width


def expanded(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int | None = None
) -> list[Fragments]:
    """One record per row, ``column | value`` per line, JSON pretty-printed. Nothing is
    cut: a line longer than ``max_width`` continues on the next line, in the value
    column (no limit when None)."""
    columns = [visible(c) for c in columns]
    name_width = max((width(c) for c in columns), default=0)
    room = None if max_width is None else max(max_width - name_width - 3, 20)
    lines: list[Fragments] = []
    for number, row in enumerate(rows, 1):
        values = [None if v is None else pretty(v, min(room or 80, 80)) for v in row]
        parts = {
            i: [piece for line in _lines(v) for piece in wrap(line, room)]
            for i, v in enumerate(values)
            if v is not None
        }
        value_width = max((width(x) for ps in parts.values() for x in ps), default=4)
        head = f"-[ RECORD {number} ]"
        rule = "-" * max(name_width + 1 - len(head), 0)
        lines.append([("note", head + rule + "+" + "-" * (value_width + 1))])
        for i, name in enumerate(columns):
            if i not in parts:
                lines.append([("", pad(name, name_width) + " | "), ("null", NULL)])
                continue
            for n, part in enumerate(parts[i]):
                label = name if n == 0 else ""
                lines.append([("", pad(label, name_width) + " | " + part)])
    return lines


def wrap(line: str, limit: int | None) -> list[str]:
    """``line`` in pieces of at most ``limit`` terminal columns that join back into it,
    broken after a space when there is one in the second half of a piece."""
    pieces: list[str] = []
    while limit is not None and width(line) > limit:
        used, cut_at = 0, 0
        for i, char in enumerate(line):
            used += char_width(char)
            if used > limit:
                break
            cut_at = i + 1
        space = line.rfind(" ", 0, cut_at)
        if space + 1 > cut_at // 2:
            cut_at = space + 1
        pieces.append(line[:cut_at])
        line = line[cut_at:]
    pieces.append(line)
    return pieces


def pretty(value: Any, line_width: int = 80) -> str:
    """A value for expanded display: JSON objects and arrays (JSON text too long for a
    line, tags, lists) indented over several lines (see :func:`pretty_json`), anything
    else as :func:`cell` renders it."""
    if isinstance(value, str):
        stripped = value.strip()
        if width(value) <= line_width:
            return value  # fits as it is: shown exactly as the query returned it
        if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
            try:
                return pretty_json(json.loads(stripped), line_width=line_width)
            except ValueError:
                return value
        return value
    if isinstance(value, (list, tuple, dict)):
        return pretty_json(plain(value), line_width=line_width)
    return cell(value)


def pretty_json(value: Any, indent: int = 0, line_width: int = 80, lead: int = 0) -> str:
    """JSON text over several lines, indented by two spaces a level; an object or array
    that fits on its line (``line_width`` characters, counting the ``indent`` and the
    ``lead`` of a key before it) stays on one line."""
    flat = json.dumps(value, ensure_ascii=False, default=str)
    if not isinstance(value, (dict, list)) or not value or indent + lead + len(flat) <= line_width:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        items = []
        for key, child in value.items():
            head = json.dumps(key, ensure_ascii=False) + ": "
            items.append(inner + head + pretty_json(child, indent + 2, line_width, len(head)))
        opening, closing = "{", "}"
    else:
        items = [inner + pretty_json(v, indent + 2, line_width) for v in value]
        opening, closing = "[", "]"
    return opening + "\n" + ",\n".join(items) + "\n" + " " * indent + closing


def footer(rows: int, seconds: float | None, note: str = "") -> Fragments:
    """``(N rows, T)``, with the time when ``seconds`` is given, then ``note``."""
    text = f"{rows} row{'' if rows == 1 else 's'}"
    if seconds is not None:
        text += f", {seconds * 1000:.1f} ms" if seconds < 1 else f", {seconds:.2f} s"
    return [("note", f"({text})" + (f" {note}" if note else ""))]


def show(text: str, stream: TextIO, *, pager: bool) -> None:
    """Write ``text`` to ``stream``, through the pager when ``pager`` is set, the stream
    is a terminal and the text is taller than it. The pager is ``$PAGER`` (``less`` by
    default, with ``LESS=-RXF`` unless ``$LESS`` is set); ``PAGER=""`` turns it off."""
    if pager and _is_terminal(stream):
        size = shutil.get_terminal_size()
        if text.count("\n") > size.lines - 2 and _page(text):
            return
    stream.write(text)
    stream.flush()


def _page(text: str) -> bool:
    command = os.environ.get("PAGER", "less")
    if not command.strip():
        return False
    argv = shlex.split(command)
    if shutil.which(argv[0]) is None:
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "-RXF")
    try:
        subprocess.run(argv, input=text, text=True, env=env, check=False)
    except KeyboardInterrupt:
        pass  # the pager handles Ctrl-C itself; return to the prompt
    except OSError:
        return False
    return True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _lines(value: str | None, null: str = "") -> list[str]:
    """The lines of a cell's text as the terminal shows them (other controls, tabs and
    carriage returns included, as escapes); ``[null]`` for a NULL."""
    if value is None:
        return [null]
    return visible(value, newlines=True).split("\n")


def identifying(column: str) -> bool:
    """Does ``column`` name the rows (``name``, ``arn``, ``_key``, ``*_name``, ``*_arn``),
    so that it is kept whole while other columns can be cut?"""
    lower = column.lower()
    return lower in IDENTIFYING or lower.endswith(("_name", "_arn"))
