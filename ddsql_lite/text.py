"""Text as a terminal shows it: control characters made visible, and widths in columns.

Human output (the ``table`` and ``markdown`` formats, the shell, error messages) goes
through :func:`visible`, so data can never drive the terminal: a tag value holding
``ESC ] 0 ; ... BEL`` would retitle it, one holding ``CR`` would hide what precedes it.
Every C0 and C1 control character, DEL, the bidirectional overrides, the Unicode line and
paragraph separators and lone surrogates are shown as escapes: ``\\t``, ``\\r``, ``\\n``
(where a line break cannot be shown as one), ``\\x1b``, ``\\u202e``. Backslashes are not
escaped, so such an escape reads like the text that wrote it. Machine formats (CSV, JSON)
keep the data exact instead.

:func:`width` is the one measure of terminal columns: East Asian wide and fullwidth
characters take two, combining marks and other zero-width characters none. It uses only
:mod:`unicodedata`, so the one-shot command does not pay for a width library's import.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters never written raw to a terminal (the newline is added where it must be too).
_UNSAFE_BEYOND_C0 = (
    "\x7f-\x9f"  # DEL, C1 controls
    "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates (undecodable bytes); they cannot be encoded either
)
_UNSAFE = "\x00-\x09\x0b-\x1f" + _UNSAFE_BEYOND_C0  # and C0 controls but the newline
_UNSAFE_LINE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_ANY = re.compile(f"[{_UNSAFE}\n]")
_NAMED = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every character unsafe on a terminal shown as an escape; with
    ``newlines`` line breaks stay (the caller lays the lines out), else they show as
    ``\\n``."""
    return (_UNSAFE_LINE if newlines else _UNSAFE_ANY).sub(_escape, text)


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Terminal columns of one character: 2 for East Asian wide and fullwidth ones, 0 for
    combining marks and format characters, else 1 (controls: see :func:`visible`)."""
    if char < "\u0300":
        return 1
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 1


def width(text: str) -> int:
    """Terminal columns ``text`` takes (as :func:`visible` returns it)."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def pad(text: str, size: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``size`` terminal columns (on the left: ``right``)."""
    gap = " " * max(size - width(text), 0)
    return gap + text if right else text + gap


_UNSAFE_IN_JSON = re.compile(f"[{_UNSAFE_BEYOND_C0}]")


def json_visible(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``, which escapes C0 controls
    itself) with the other characters :func:`visible` escapes written as ``\\uXXXX``
    escapes: the same JSON value, safe on a terminal and encodable as UTF-8."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
