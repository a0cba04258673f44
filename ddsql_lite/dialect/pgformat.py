"""PostgreSQL date/time format patterns (``TO_CHAR``, ``TO_TIMESTAMP``) for DuckDB:
:func:`parse_format` ports PostgreSQL's; :func:`to_char_parts` gives ``strftime`` formats,
:func:`to_timestamp_regex` one RE2 expression that reads as PostgreSQL reads; every keyword
or modifier DDSQL does not list is refused by name (docs/design.md, "Intervals and format
patterns").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnsupportedError

# PostgreSQL's DCH_keywords, in table order (the first match wins).
KEYWORDS: tuple[str, ...] = (
    *("A.D.", "A.M.", "AD", "AM", "B.C.", "BC", "CC"),
    *("DAY", "DDD", "DD", "DY", "Day", "Dy", "D"),
    *("FF1", "FF2", "FF3", "FF4", "FF5", "FF6", "FX"),
    *("HH24", "HH12", "HH", "IDDD", "ID", "IW", "IYYY", "IYY", "IY", "I", "J"),
    *("MI", "MM", "MONTH", "MON", "MS", "Month", "Mon", "OF", "P.M.", "PM", "Q", "RM"),
    *("SSSSS", "SSSS", "SS", "TZH", "TZM", "TZ", "US", "WW", "W"),
    *("Y,YYY", "YYYY", "YYY", "YY", "Y"),
    *("a.d.", "a.m.", "ad", "am", "b.c.", "bc", "cc", "day", "ddd", "dd", "dy", "d"),
    *("ff1", "ff2", "ff3", "ff4", "ff5", "ff6", "fx"),
    *("hh24", "hh12", "hh", "iddd", "id", "iw", "iyyy", "iyy", "iy", "i", "j"),
    *("mi", "mm", "month", "mon", "ms", "of", "p.m.", "pm", "q", "rm"),
    *("sssss", "ssss", "ss", "tzh", "tzm", "tz", "us", "ww", "w"),
    *("y,yyy", "yyyy", "yyy", "yy", "y"),
)
PREFIX_MODIFIERS = ("FM", "fm", "TM", "tm")
SUFFIX_MODIFIERS = ("TH", "th", "SP")

# The DDSQL keywords: name -> (field, strftime directive or None, width).
SUPPORTED: dict[str, tuple[str, str | None, int]] = {
    "YYYY": ("year", "%Y", 4),
    "YY": ("year2", "%y", 2),
    "MM": ("month", "%m", 2),
    "DD": ("day", "%d", 2),
    "HH24": ("hour24", "%H", 2),
    "HH12": ("hour12", "%I", 2),
    "HH": ("hour12", "%I", 2),
    "MI": ("minute", "%M", 2),
    "SS": ("second", "%S", 2),
    "MS": ("millisecond", "%g", 3),
    "AM": ("meridiem", "%p", 0),
    "PM": ("meridiem", "%p", 0),
    "am": ("meridiem", None, 0),
    "pm": ("meridiem", None, 0),
    # A timestamp without time zone, as PostgreSQL 15 prints it: no zone name, offset 0.
    "TZ": ("zone", "", 0),
    "tz": ("zone", "", 0),
    "OF": ("offset", "+00", 0),
    "TZH": ("offset_hours", "+00", 0),
    "TZM": ("offset_minutes", "00", 0),
}
_CASELESS = ("YYYY", "YY", "MM", "DD", "HH24", "HH12", "HH", "MI", "SS", "MS", "OF", "TZH", "TZM")
for _name in _CASELESS:
    SUPPORTED[_name.lower()] = SUPPORTED[_name]
SUPPORTED_TEXT = "YYYY YY MM DD HH24 HH12 HH MI SS MS TZ TZH TZM OF AM am PM pm"
_TIME_ZONE_FIELDS = ("zone", "offset", "offset_hours", "offset_minutes")

SPACES = " \t\n\v\f\r"


@dataclass(frozen=True)
class Node:
    """One pattern item: ``kind`` is "action" (``text`` is the keyword), "separator",
    "space" or "char" (``text`` is the character)."""

    kind: str
    text: str


def is_separator_char(ch: str) -> bool:
    """PostgreSQL's ``is_separator_char``: printable ASCII that is not a letter or digit."""
    return "!" <= ch <= "~" and not ch.isalnum()


def parse_format(pattern: str) -> list[Node]:
    """PostgreSQL's reading of a date/time pattern (every keyword, supported or not)."""
    nodes: list[Node] = []
    i, n = 0, len(pattern)
    while i < n:
        prefix = next((m for m in PREFIX_MODIFIERS if pattern.startswith(m, i)), None)
        if prefix is not None:
            nodes.append(Node("modifier", prefix))
            i += len(prefix)
            continue
        keyword = next((k for k in KEYWORDS if pattern.startswith(k, i)), None)
        if keyword is not None:
            nodes.append(Node("action", keyword))
            i += len(keyword)
            suffix = next((m for m in SUFFIX_MODIFIERS if pattern.startswith(m, i)), None)
            if suffix is not None:
                nodes.append(Node("modifier", suffix))
                i += len(suffix)
            continue
        ch = pattern[i]
        if ch == '"':
            i += 1
            while i < n and pattern[i] != '"':
                if pattern[i] == "\\" and i + 1 < n:
                    i += 1
                nodes.append(Node("char", pattern[i]))
                i += 1
            i += 1
            continue
        if ch == "\\" and pattern.startswith('"', i + 1):
            i += 1
            ch = '"'
        if is_separator_char(ch):
            nodes.append(Node("separator", ch))
        elif ch in SPACES:
            nodes.append(Node("space", ch))
        else:
            nodes.append(Node("char", ch))
        i += 1
    return nodes


def supported_nodes(pattern: str, function: str) -> list[Node]:
    """:func:`parse_format`, refusing every keyword and modifier DDSQL does not list."""
    nodes = parse_format(pattern)
    for node in nodes:
        if node.kind == "modifier":
            raise UnsupportedError(
                f"{function}: the {node.text!r} modifier in format {pattern!r} is not "
                f"supported in DDSQL (patterns: {SUPPORTED_TEXT})"
            )
        if node.kind == "action" and node.text not in SUPPORTED:
            raise UnsupportedError(
                f"{function}: pattern {node.text!r} in format {pattern!r} is not supported "
                f'in DDSQL (patterns: {SUPPORTED_TEXT}; quote literal text with "...")'
            )
    return nodes


# --------------------------------------------------------------------------- TO_CHAR


@dataclass(frozen=True)
class Part:
    """A piece of TO_CHAR output: a ``strftime`` format, or ``meridiem`` (lower-case
    am/pm, which ``strftime`` cannot print)."""

    kind: str  # "strftime" | "meridiem"
    text: str = ""


def to_char_parts(pattern: str) -> list[Part]:
    """The DuckDB pieces that print ``pattern`` like PostgreSQL's ``to_char`` prints a
    timestamp without time zone: ``TZ`` and ``tz`` print nothing, ``OF`` and ``TZH``
    ``+00``, ``TZM`` ``00``."""
    parts: list[Part] = []
    run = ""
    for node in supported_nodes(pattern, "to_char"):
        if node.kind != "action":
            run += node.text.replace("%", "%%")
            continue
        directive = SUPPORTED[node.text][1]
        if directive is None:  # am / pm
            if run:
                parts.append(Part("strftime", run))
            parts.append(Part("meridiem"))
            run = ""
        else:
            run += directive
    if run:
        parts.append(Part("strftime", run))
    return parts


# ------------------------------------------------------------------- TO_TIMESTAMP

WS = r"[ \t\n\x0B\f\r]"
SEPARATOR_OR_SPACE = r"[ \t\n\x0B\f\r!-/:-@\[-`{-~]"
ANY = r"(?s:.)"
# Fields TO_TIMESTAMP reads, in the order of the capture groups after the first
# (which is everything PostgreSQL's scan consumed).
FIELDS: tuple[str, ...] = (
    *("year", "year2", "month", "day", "hour24", "hour12", "minute", "second"),
    *("millisecond", "meridiem"),
)
_MAX_BRANCHES = 64


@dataclass(frozen=True)
class TimestampPattern:
    """``regex`` matches from the start of the input; group 1 is what PostgreSQL's scan
    consumes, then one group per name in ``groups`` (every name of :data:`FIELDS`
    once; a group that PostgreSQL would not reach captures ``''``)."""

    regex: str
    groups: tuple[str, ...]


def to_timestamp_regex(pattern: str) -> TimestampPattern:
    """The regular expression that reads input like ``to_timestamp(input, pattern)``."""
    nodes = supported_nodes(pattern, "to_timestamp")
    seen: dict[str, str] = {}
    for node in nodes:
        if node.kind != "action":
            continue
        field = SUPPORTED[node.text][0]
        if field in ("zone", "offset"):
            raise UnsupportedError(
                f"to_timestamp: pattern {node.text!r} is not supported (PostgreSQL 15 "
                "reads it in to_char only; DDSQL timestamps are UTC)"
            )
        if field in _TIME_ZONE_FIELDS:
            raise UnsupportedError(
                f"to_timestamp: pattern {node.text!r} is not supported (DDSQL timestamps "
                "are UTC: write the UTC time without an offset)"
            )
        group = next((g for g in ("hour", "year") if field.startswith(g)), field)
        if group in seen:
            raise UnsupportedError(
                f"to_timestamp: format {pattern!r} gives the {group} twice "
                f"({seen[group]!r} and {node.text!r})"
            )
        seen[group] = node.text
    groups: list[str] = []
    # steps: the run of non-field items before each field, the field, ... the last run
    runs: list[list[Node]] = [[]]
    fields: list[tuple[Node, Node | None]] = []
    for index, node in enumerate(nodes):
        if node.kind == "action":
            following = nodes[index + 1] if index + 1 < len(nodes) else None
            fields.append((node, following))
            runs.append([])
        else:
            runs[-1].append(node)
    tail = ANY + "*"
    for k in range(len(fields), 0, -1):
        node, following = fields[k - 1]
        tail = f"{_field_regex(node, following)}{_run_regex(runs[k], pattern)}(?:{tail})?"
    head = _run_regex(runs[0], pattern) if runs[0] else ""
    regex = f"^({head}(?:{tail})?)"
    for node, _ in fields:
        groups.append(SUPPORTED[node.text][0])
    missing = [f for f in FIELDS if f not in groups]
    regex += "()" * len(missing)
    return TimestampPattern(regex, tuple(groups + missing))


def _field_regex(node: Node, following: Node | None) -> str:
    """Spaces, then one field: ``(\\d{n})`` when PostgreSQL reads a fixed width (the next
    item is a digit field or a literal digit), ``(\\d+)`` otherwise; ``([aApP][mM])``."""
    field, _, width = SUPPORTED[node.text]
    if field == "meridiem":
        return f"{WS}*([aApP][mM])"
    fixed = following is not None and (
        (following.kind == "action" and SUPPORTED[following.text][2] > 0)
        or (following.kind == "char" and following.text.isdigit() and following.text.isascii())
    )
    return f"{WS}*(\\d{{{width}}})" if fixed else f"{WS}*(\\d+)"


def _run_regex(run: list[Node], pattern: str) -> str:
    """The items between two fields (or before the first): PostgreSQL first skips
    spaces (counting them), then each separator consumes one separator or space if
    there is one (else it uses up one counted space), and each literal character
    consumes one character unless a counted space is left to stand in for it."""
    chars = sum(1 for n in run if n.kind == "char")
    if chars == 0:
        return f"{WS}*" + f"{SEPARATOR_OR_SPACE}?" * len(run)
    branches = []
    for skipped in range(chars, -1, -1):
        spaces = f"{WS}{{{skipped},}}" if skipped == chars else f"{WS}{{{skipped}}}"
        branches.append((spaces if skipped else "") + _items(run, skipped))
    regex = "(?:" + "|".join(branches) + ")"
    if regex.count("|") > _MAX_BRANCHES:
        raise UnsupportedError(f"to_timestamp: format {pattern!r} is too complex")
    return regex


def _items(run: list[Node], extra: int) -> str:
    """Regex for ``run`` when ``extra`` skipped spaces may stand in for characters."""
    if not run:
        return ""
    node, rest = run[0], run[1:]
    remaining = sum(1 for n in rest if n.kind == "char")
    if node.kind == "char":
        if extra > 0:
            return _items(rest, extra - 1)
        return f"(?:{ANY}|$)" + _items(rest, 0)
    consumed = _items(rest, min(extra, remaining))
    skipped = _items(rest, max(min(extra - 1, remaining), 0))
    if consumed == skipped:
        return f"{SEPARATOR_OR_SPACE}?" + consumed
    return f"(?:{SEPARATOR_OR_SPACE}{consumed}|{skipped})"
