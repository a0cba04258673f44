"""SQL text that writes values as the pure mapping (``loaders.mapping``) does, for DuckDB.

Timestamps read as :func:`..mapping.values.api_timestamp` reads them and printed as
:func:`..mapping.values.iso_utc` prints them, JSON string leaves decoded, and the JSON
text of a column two ways: the *output* (the mapping's) and the *compact* raw text
whose comparison with the raw member proves the member is in the fast subset
(docs/design.md, "The fast path"). Nothing here touches a database; a value the SQL
cannot reproduce exactly gives NULL (timestamps) or :data:`BAD` inside the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..mapping.api_shapes import ListShape, Shape, StructureShape
from ..mapping.values import snake_case

BAD = "\x01"  # marks a value that could not be converted; never in valid JSON text
_BAD = "chr(1)"

# ISO-8601 spellings converted here (others go to the pure mapping): date and time with
# seconds, 'T' or space, up to 6 fractional digits, then 'Z', +HH:MM or nothing (UTC).
_ISO_RE = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]{1,6})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)
# The spelling nearly every timestamp has, already its own ISO-8601 UTC text.
_CANONICAL_RE = r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
_INT_RE = r"-?[0-9]+"
NUMBER_RE = r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
# Python's datetime covers years 1-9999; its strftime("%Y") has 4 digits from 1000 on.
_MIN_TS = "TIMESTAMP '1000-01-01 00:00:00'"
_MAX_TS = "TIMESTAMP '9999-12-31 23:59:59.999999'"
_MIN_EPOCH, _MAX_EPOCH = -30610224000, 253402300799

_NUMERIC = ("integer", "long", "float", "double")


class UnsupportedShape(Exception):
    """The schema or shape uses something the generator does not cover."""


def quote_ident(name: str) -> str:
    """A DuckDB identifier: ``"name"`` with embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A DuckDB string literal (standard SQL: only ``'`` is doubled)."""
    return "'" + text.replace("'", "''") + "'"


def match_sql(value: str, pattern: str) -> str:
    """SQL: ``value`` matches the RE2 ``pattern`` as a whole."""
    return f"regexp_full_match({value}, {quote_text(pattern)})"


# ----------------------------------------------------------------- timestamps


def _in_range(stamp: str) -> str:
    # list_filter binds the value once for the range check.
    return f"list_filter([{stamp}], lambda t: t BETWEEN {_MIN_TS} AND {_MAX_TS})[1]"


def iso_timestamp_sql(text: str) -> str:
    """SQL for the naive UTC TIMESTAMP of ISO-8601 ``text`` (VARCHAR), as
    :func:`..mapping.values.api_timestamp` gives it for a string; NULL outside the fast subset.

    The canonical ``2025-03-01T12:00:00Z`` is cast directly; other accepted spellings
    are parsed as TIMESTAMPTZ (the loading connection's TimeZone is UTC, so text without
    an offset is UTC) and converted to UTC.
    """
    return (
        f"CASE WHEN {match_sql(text, _CANONICAL_RE)} THEN TRY_CAST({text} AS TIMESTAMP)"
        f" WHEN {match_sql(text, _ISO_RE)}"
        f" THEN {_in_range(f'TRY_CAST({text} AS TIMESTAMPTZ)::TIMESTAMP')} END"
    )


def epoch_timestamp_sql(text: str) -> str:
    """SQL for the naive UTC TIMESTAMP of epoch seconds given as JSON number ``text``, as
    CPython's ``datetime.fromtimestamp`` computes it: the integer part, plus the fraction
    times 10**6 rounded half to even; NULL outside the fast subset."""
    number = f"TRY_CAST({text} AS DOUBLE)"
    decimal = (
        f"make_timestamp(CAST(trunc({number}) AS BIGINT) * 1000000"
        f" + CAST(round_even(({number} - trunc({number})) * 1000000.0, 0) AS BIGINT))"
    )
    return (
        f"CASE WHEN {match_sql(text, _INT_RE)} THEN"
        f" CASE WHEN TRY_CAST({text} AS BIGINT) BETWEEN {_MIN_EPOCH} AND {_MAX_EPOCH}"
        f" THEN make_timestamp(CAST({text} AS BIGINT) * 1000000) END"
        f" WHEN {match_sql(text, NUMBER_RE)} THEN"
        f" CASE WHEN {number} BETWEEN {_MIN_EPOCH}.0 AND {_MAX_EPOCH}.0"
        f" THEN {_in_range(decimal)} END END"
    )


def json_timestamp_sql(text: str) -> str:
    """SQL for the TIMESTAMP of a JSON leaf (``text``: its JSON text as VARCHAR), as
    :func:`..mapping.values.api_timestamp` computes it: a string as ISO-8601, a number as epoch
    seconds; NULL for anything else or outside the fast subset."""
    string = decoded_string_sql(text)
    canonical = match_sql(text, '"' + _CANONICAL_RE + '"')
    return (  # the canonical spelling first: one cheap test for nearly every value
        f"CASE WHEN {canonical} THEN TRY_CAST({string} AS TIMESTAMP)"
        f" WHEN {json_string_sql(text)} THEN {iso_timestamp_sql(string)}"
        f" WHEN {match_sql(text, NUMBER_RE)} THEN {epoch_timestamp_sql(text)} END"
    )


def iso_text_sql(stamp: str) -> str:
    """SQL for :func:`..mapping.values.iso_utc` of a TIMESTAMP: ``2025-03-01T12:00:00[.25]Z``."""
    return f"rtrim(rtrim(strftime({stamp}, '%Y-%m-%dT%H:%M:%S.%f'), '0'), '.') || 'Z'"


def json_string_sql(text: str) -> str:
    """SQL: the top-level JSON leaf ``text`` is a string."""
    return f"starts_with({text}, '\"')"


def decoded_string_sql(text: str) -> str:
    """SQL for the value of the JSON string leaf ``text`` (without quotes and escapes)."""
    return f"json_extract_string({text}, '$')"


# ----------------------------------------------------------------- JSON columns


@dataclass(frozen=True)
class _Flavor:
    """What JSON text is written, both compact (``,`` and ``:`` without spaces): the
    output (:func:`..mapping.values.compact_json` of the mapped value: snake_case keys,
    converted timestamps) or the raw member as DuckDB's text writes it, to compare with
    the raw text."""

    compact: bool

    def key(self, name: str) -> str:
        return json.dumps(name if self.compact else snake_case(name), ensure_ascii=False) + ":"

    separator = ","


OUTPUT, COMPACT = _Flavor(False), _Flavor(True)


@dataclass(frozen=True)
class _Text:
    """The SQL of one value's JSON text, two ways.

    ``general`` is an expression for the text (NULL when the value is absent).
    ``pieces`` concatenated give the same text when every condition in ``present``
    holds (every member at every depth present, lists excepted): one ``concat`` instead
    of an operator per member, the common case and much cheaper.
    """

    general: str
    pieces: tuple[str, ...]
    present: tuple[str, ...]


def _literal(text: str) -> str:
    return "\0" + text  # a marker: literal text, merged with its neighbours later


def _concat(pieces: tuple[str, ...]) -> str:
    """SQL concat() of ``pieces``, adjacent literals merged."""
    merged: list[str] = []
    for piece in pieces:
        if piece.startswith("\0") and merged and merged[-1].startswith("\0"):
            merged[-1] += piece[1:]
        else:
            merged.append(piece)
    args = [quote_text(p[1:]) if p.startswith("\0") else p for p in merged]
    return args[0] if len(args) == 1 else f"concat({', '.join(args)})"


def _choose(text: _Text) -> str:
    """SQL: the one-concat form when everything is present, else the general one."""
    present = " AND ".join(dict.fromkeys(text.present))
    return f"CASE WHEN {present} THEN {_concat(text.pieces)} ELSE {text.general} END"


def _present_separator(value: str, separator: str) -> str:
    """SQL: ``separator``, or NULL when ``value`` is NULL (no CASE: it is costly inside
    lambdas); as concat_ws's separator it makes an absent object's text NULL."""
    return f"{quote_text(separator)} || left(nullif({value} IS NULL, true)::VARCHAR, 0)"


def _leaf(shape: Shape, value: str, flavor: _Flavor) -> _Text:
    """The JSON text of a leaf; ``value`` is its JSON text (NULL when absent).

    A string is written as DuckDB wrote it: yyjson and Python escape the same
    characters, only the hex digits of ``\\u00XX`` differ in case, so such strings get
    :data:`BAD`. The compact text re-quotes what is between a string's quotes, so a
    value of another type loses its text and cannot match the raw text.
    """
    kind = shape.type_name
    text = f"({value}::VARCHAR)"
    present = (f"{value} IS NOT NULL",)
    if kind == "string":
        ok = f"starts_with({text}, '\"') AND NOT contains({text}, '\\u')"
        if flavor.compact:
            general = f"'\"' || {text}[2:-2] || '\"'"
        else:
            general = f"{text} || left({_BAD}, (NOT ({ok}))::INTEGER)"
        return _Text(general, (text,), (ok,))
    if kind == "boolean":
        checked = f"CASE WHEN {text} IN ('true', 'false') THEN {text} END"
    elif kind in _NUMERIC:
        # Python takes an int for all four; other numbers would print differently. A
        # value that is not an integer prints differently here, so it cannot match.
        checked = f"CAST(TRY_CAST({text} AS BIGINT) AS VARCHAR)"
    elif kind == "timestamp" and flavor.compact:
        checked = text
    elif kind == "timestamp":
        string = decoded_string_sql(text)
        canonical = match_sql(text, '"' + _CANONICAL_RE + '"')  # already as iso_utc writes it
        converted = (
            f"coalesce(CASE WHEN {canonical} AND TRY_CAST({string} AS TIMESTAMP) IS NOT NULL"
            f" THEN {string} ELSE {iso_text_sql(json_timestamp_sql(text))} END, {_BAD})"
        )
        quote = _literal('"')
        general = f"CASE WHEN {value} IS NOT NULL THEN '\"' || {converted} || '\"' END"
        return _Text(general, (quote, converted, quote), present)
    else:
        raise UnsupportedShape(f"member type {kind!r}")
    return _Text(checked, (checked,), present)


def _node(shape: Shape, value: str, depth: int, flavor: _Flavor) -> _Text:
    """The JSON text of the parsed ``value`` (NULL when it is NULL)."""
    sep = flavor.separator
    if isinstance(shape, StructureShape):
        generals: list[str] = []
        pieces: list[str] = [_literal("{")]
        present = [f"{value} IS NOT NULL"]
        for index, (name, member) in enumerate(shape.members.items()):
            text = _node(member, f"{value}.{quote_ident(name)}", depth, flavor)
            key = flavor.key(name)
            generals.append(f"{quote_text(key)} || {text.general}")
            pieces += [_literal(sep if index else ""), _literal(key), *text.pieces]
            present += text.present
        general = (
            f"'{{' || concat_ws({_present_separator(value, sep)}, {', '.join(generals)}) || '}}'"
        )
        return _Text(general, (*pieces, _literal("}")), tuple(present))
    if isinstance(shape, ListShape):
        # array_to_string skips NULL elements: the compact text then misses the raw
        # text's null, so a null element never passes.
        item = f"x{depth}"
        element = _node(shape.member, item, depth + 1, flavor)
        body = _choose(element) if isinstance(shape.member, StructureShape) else element.general
        joined = f"array_to_string(list_transform({value}, lambda {item}: {body}), '{sep}')"
        general = f"'[' || {joined} || ']'"
        return _Text(general, (_literal("["), joined, _literal("]")), (f"{value} IS NOT NULL",))
    return _leaf(shape, value, flavor)


def transform_spec(shape: Shape) -> object:
    """The ``json_transform`` structure of ``shape``: objects and arrays typed, leaves
    as their JSON text."""
    if isinstance(shape, StructureShape):
        return {name: transform_spec(member) for name, member in shape.members.items()}
    if isinstance(shape, ListShape):
        return [transform_spec(shape.member)]
    _leaf(shape, "x", OUTPUT)  # raises UnsupportedShape for kinds the generator lacks
    return "JSON"


@dataclass(frozen=True)
class JsonColumn:
    """The SQL of one JSON column over the value ``json_transform(raw, spec)``."""

    spec: str
    output: str
    compact: str


def json_column(shape: Shape, value: str) -> JsonColumn:
    """The SQL of a JSON column of ``shape``, ``value`` naming its parsed form."""
    output, compact = (_node(shape, value, 0, flavor) for flavor in (OUTPUT, COMPACT))
    return JsonColumn(json.dumps(transform_spec(shape)), _choose(output), _choose(compact))
