"""What translated SQL calls at run time: DuckDB macros and two Python functions.

The rewrites write calls to these names (all ``ddsql_``, a prefix user SQL may not use);
:func:`install` gives a DuckDB database the Python functions, and the engine writes
:func:`macro_definitions` to a database it attaches read-only as :data:`CATALOG`. Nothing
here imports sqlglot, so the engine depends on this module alone, not on the
translator.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import duckdb
from duckdb import func, sqltypes

# DuckDB macros by name: "(parameters) AS body".
MACROS: dict[str, str] = {}

# ``ddsql_raise(text)`` fails the query with ``text`` (PostgreSQL's message). A Python
# function, because DuckDB's own error() is volatile and DuckDB refuses volatile
# expressions in a window's PARTITION BY and ORDER BY (``rank() OVER (ORDER BY
# length(name) / 2)`` would fail).
RAISE = "ddsql_raise"
# ``ddsql_unique_keys(text)``: the text, once no JSON object in it repeats a key (else the
# query fails). PostgreSQL's json reads the last of repeated keys and DuckDB the first, so
# text made JSON in a query passes here; loaded JSON never repeats a key (loaders parse it).
UNIQUE_KEYS = "ddsql_unique_keys"


def _macro(name: str, definition: str) -> str:
    assert name.startswith("ddsql_") and name not in MACROS, name
    MACROS[name] = definition
    return name


# ------------------------------------------------------------------- DDSQL (Preview)

# round(x, s) on the decimal a double prints as, half away from zero (PostgreSQL's
# round(numeric, int) of that value); above 1e19 a double is an integer already.
ROUND_PLACES_MACRO = _macro(
    "ddsql_round_places",
    "(x, s) AS CASE WHEN abs(x) >= 1e19 THEN CAST(x AS DOUBLE) "
    "ELSE CAST(round(CAST(CAST(x AS VARCHAR) AS DECIMAL(38, 18)), s) AS DOUBLE) END",
)

# row_to_json(t): tags as hstore's JSON (each key's values joined by commas), timestamps
# as PostgreSQL's to_json writes them (ISO 8601 with a T, a fraction only when there is one).
JSON_TAGS_MACRO = _macro(
    "ddsql_json_tags",
    "(m) AS to_json(map_from_entries(list_transform(map_entries(m), "
    "lambda e: {'k': e.key, 'v': array_to_string(e.value, ',')})))",
)
JSON_TIMESTAMP_MACRO = _macro(
    "ddsql_json_timestamp",
    "(x) AS rtrim(rtrim(strftime(x, '%Y-%m-%dT%H:%M:%S.%f'), '0'), '.')",
)

# ------------------------------------------------------------------- division

NONZERO_MACRO = _macro(
    "ddsql_nonzero", "(x) AS CASE WHEN x = 0 THEN ddsql_raise('division by zero') ELSE x END"
)


# --------------------------------------------------------- strings and arrays

SUBSTRING = _macro(
    "ddsql_substring",
    "(s, i, n) AS CASE WHEN n < 0 THEN ddsql_raise('negative substring length not allowed') "
    "WHEN i < 1 THEN substring(s, 1, CASE WHEN i + n - 1 < 0 THEN 0 ELSE i + n - 1 END) "
    "ELSE substring(s, i, n) END",
)
SUBSTRING_FROM = _macro(
    "ddsql_substring_from", "(s, i) AS substring(s, CASE WHEN i < 1 THEN 1 ELSE i END)"
)
SPLIT_PART = _macro(
    "ddsql_split_part",
    "(s, d, n) AS CASE WHEN n = 0 THEN ddsql_raise('field position must not be zero') "
    "WHEN d = '' THEN CASE WHEN n = 1 OR n = -1 THEN s ELSE '' END "
    "ELSE split_part(s, d, n) END",
)
SUBSCRIPT = _macro(
    "ddsql_subscript",
    "(a, i) AS CASE WHEN CAST(i AS BIGINT) >= 1 THEN a[CAST(i AS BIGINT)] END",
)
STRING_TO_ARRAY = _macro(
    "ddsql_string_to_array",
    "(s, d) AS CASE WHEN s = '' THEN [] WHEN d IS NULL THEN string_split(s, '') "
    "WHEN d = '' THEN [s] ELSE string_split(s, d) END",
)


# -------------------------------------------------------- regular expressions

CHECK_MACRO = _macro(
    "ddsql_regex_checked",
    "(s, bad, message) AS CASE WHEN regexp_matches(s, bad) THEN ddsql_raise(message) ELSE s END",
)


# ---------------------------------------------------------------- json arrays

JSON_ARRAY = _macro(
    "ddsql_json_array",
    # A JSON value is valid JSON text, so one that starts with "[" is an array: testing
    # that costs nothing, where json_type parses the document a second time (it answers
    # for the rest, such as text with blanks before its "[").
    "(j) AS CASE WHEN j IS NULL OR prefix(CAST(j AS VARCHAR), '[') OR json_type(j) = 'ARRAY' "
    "THEN j ELSE ddsql_raise('cannot extract elements from ' || "
    "CASE json_type(j) WHEN 'OBJECT' THEN 'an object' ELSE 'a scalar' END) END",
)
JSON_ELEMENTS = _macro("ddsql_json_elements", "(j) AS json_extract(ddsql_json_array(j), '$[*]')")
JSON_ELEMENTS_TEXT = _macro(
    "ddsql_json_elements_text",
    "(j) AS list_transform(ddsql_json_elements(j), lambda e: json_extract_string(e, '$'))",
)


# ------------------------------------------------- numbers and arrays as text

# |x| >= 1e15 prints as d.ddde+NN in PostgreSQL; DuckDB writes 1e15 <= |x| < 1e16 in
# full, with the same shortest digits.
_DIGITS = _macro(
    "ddsql_f8_digits", r"(c) AS rtrim(replace(regexp_replace(c, '\.0$|e.*$', ''), '.', ''), '0')"
)
_E15 = _macro(
    "ddsql_f8_e15",
    "(d) AS d[1] || CASE WHEN length(d) > 1 THEN '.' || d[2:] ELSE '' END || 'e+15'",
)
_SHORTEST = _macro(
    "ddsql_f8_shortest",
    "(a) AS CASE WHEN a < 1e16 THEN ddsql_f8_e15(ddsql_f8_digits(CAST(a AS VARCHAR))) "
    "ELSE CAST(a AS VARCHAR) END",
)
# Above 2**53 doubles are integers 2**k apart. PostgreSQL's shortest digits lie strictly
# inside x's rounding interval; DuckDB's (like Python's) may sit on one of its bounds,
# x +- 2**(k-1). A candidate m * 10**q (m without trailing zeros) is on a bound exactly
# when its power of two, trailing_zeros(m) + q, is k - 1; PostgreSQL then prints the
# fewest digits, correctly rounded, that are not.
_CTZ = _macro("ddsql_f8_ctz", "(m) AS bit_count((m & -m) - 1)")
_ULP_EXPONENT = _macro(
    "ddsql_f8_k",
    "(a) AS CAST(log2(CASE WHEN isinf(nextafter(a, CAST('inf' AS DOUBLE))) "
    "THEN a - nextafter(a, 0) ELSE nextafter(a, CAST('inf' AS DOUBLE)) - a END) AS INTEGER)",
)
_TEN_EXPONENT = _macro(
    "ddsql_f8_q",
    "(c) AS CAST(split_part(c, 'e', 2) AS INTEGER) - length(ddsql_f8_digits(c)) + 1",
)
_ON_BOUND = _macro(
    "ddsql_f8_on_bound",
    "(c, k) AS k >= 1 AND ddsql_f8_q(c) >= 0 "
    "AND ddsql_f8_ctz(CAST(ddsql_f8_digits(c) AS BIGINT)) + ddsql_f8_q(c) = k - 1",
)
_E_FORM = _macro("ddsql_f8_e", "(a, p) AS printf('%.' || (p - 1) || 'e', a)")
_INSIDE = _macro(
    "ddsql_f8_inside",
    "(a, k, n) AS ddsql_f8_e(a, coalesce(list_filter(range(n + 1, 18), "
    "lambda p: NOT ddsql_f8_on_bound(ddsql_f8_e(a, p), k))[1], 17))",
)
_LARGE = _macro(
    "ddsql_f8_large",
    "(a) AS CASE WHEN ddsql_f8_on_bound(ddsql_f8_shortest(a), ddsql_f8_k(a)) "
    r"THEN regexp_replace(ddsql_f8_inside(a, ddsql_f8_k(a), "
    r"length(ddsql_f8_digits(ddsql_f8_shortest(a)))), '\.?0*e', 'e') "
    "ELSE ddsql_f8_shortest(a) END",
)
FLOAT_TEXT = _macro(
    "ddsql_float_text",
    "(x) AS CASE WHEN isnan(x) THEN 'NaN' "
    "WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'Infinity' ELSE '-Infinity' END "
    "WHEN abs(x) >= 1e15 THEN CASE WHEN x < 0 THEN '-' ELSE '' END || ddsql_f8_large(abs(x)) "
    r"ELSE regexp_replace(CAST(x AS VARCHAR), '\.0$', '') END",
)
# Any value as text: doubles as float8out, everything else as DuckDB writes it. (Both
# branches must bind for any type; the double one reads back DuckDB's shortest digits.)
VALUE_TEXT = _macro(
    "ddsql_value_text",
    "(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') "
    "THEN ddsql_float_text(CAST(CAST(x AS VARCHAR) AS DOUBLE)) "
    "WHEN typeof(x) LIKE '%[]' OR typeof(x) LIKE 'MAP(%' OR typeof(x) LIKE 'STRUCT(%' "
    "THEN ddsql_raise('this array cannot be made text: the type of its elements is not known') "
    "ELSE CAST(x AS VARCHAR) END",
)
# PostgreSQL's array_out over the elements' texts (a VARCHAR[]); NULL elements print NULL.
_ITEM = _macro(
    "ddsql_array_item",
    "(e) AS CASE WHEN e IS NULL THEN 'NULL' "
    r"""WHEN e = '' OR lower(e) = 'null' OR regexp_matches(e, '[{}",\\\s\v]') """
    r"""THEN '"' || replace(replace(e, '\', '\\'), '"', '\"') || '"' ELSE e END""",
)
ARRAY_TEXT = _macro(
    "ddsql_array_text",
    "(a) AS '{' || array_to_string(list_transform(a, lambda e: ddsql_array_item(e)), ',') || '}'",
)


# ----------------------------------------------------------------------- time

INTERVAL_PART = _macro(
    "ddsql_interval_part",
    "(v, unit, first, before) AS CASE WHEN v = 0 THEN '' ELSE "
    "(CASE WHEN first THEN '' ELSE ' ' END) || (CASE WHEN before AND v > 0 THEN '+' ELSE '' END)"
    " || CAST(v AS VARCHAR) || ' ' || unit || (CASE WHEN v = 1 THEN '' ELSE 's' END) END",
)
INTERVAL_TEXT_PARTS = _macro(
    "ddsql_interval_text_parts",
    "(y, mo, d, h, mi, s, us) AS "
    "ddsql_interval_part(y, 'year', true, false) "
    "|| ddsql_interval_part(mo, 'mon', y = 0, y < 0) "
    "|| ddsql_interval_part(d, 'day', y = 0 AND mo = 0, "
    "CASE WHEN mo <> 0 THEN mo < 0 ELSE y < 0 END) "
    "|| CASE WHEN (y = 0 AND mo = 0 AND d = 0) OR h <> 0 OR mi <> 0 OR s <> 0 OR us <> 0 THEN "
    "(CASE WHEN y = 0 AND mo = 0 AND d = 0 THEN '' ELSE ' ' END) "
    "|| (CASE WHEN h < 0 OR mi < 0 OR s < 0 OR us < 0 THEN '-' "
    "WHEN (CASE WHEN d <> 0 THEN d < 0 WHEN mo <> 0 THEN mo < 0 ELSE y < 0 END) THEN '+' "
    "ELSE '' END) "
    "|| printf('%02d:%02d:%02d', abs(h), abs(mi), abs(s)) "
    "|| CASE WHEN us = 0 THEN '' ELSE '.' || rtrim(printf('%06d', abs(us)), '0') END "
    "ELSE '' END",
)
INTERVAL_TEXT = _macro(
    "ddsql_interval_text",
    "(i) AS CASE WHEN i IS NULL THEN NULL ELSE ddsql_interval_text_parts("
    "datepart('year', i), datepart('month', i), datepart('day', i), datepart('hour', i), "
    "datepart('minute', i), datepart('second', i), datepart('microseconds', i) % 1000000) END",
)
# PostgreSQL's timestamp_bin: origin + the stride multiple that floors (ts - origin).
DATE_BIN = _macro(
    "ddsql_date_bin",
    "(stride, ts, origin) AS make_timestamp(epoch_us(ts) - "
    "(((epoch_us(ts) - epoch_us(origin)) % stride) + stride) % stride)",
)
# PostgreSQL's float8 to_timestamp: shift to its 2000 epoch, then rint to microseconds.
EPOCH_TIMESTAMP = _macro(
    "ddsql_epoch_timestamp",
    "(x) AS CASE WHEN isnan(x) THEN ddsql_raise('timestamp cannot be NaN') "
    "WHEN x < -62135596800 OR x >= 253402300800 THEN ddsql_raise('to_timestamp(' || x || "
    "'): out of the range of years 1 to 9999') "
    "ELSE make_timestamp(CAST(roundbankers((x - 946684800.0) * 1000000.0, 0) AS BIGINT) "
    "+ 946684800000000) END",
)
# PostgreSQL's adjust_partial_year_to_2020 (YY read with fewer than four digits).
PARTIAL_YEAR = _macro(
    "ddsql_partial_year",
    "(y) AS CASE WHEN y < 70 THEN y + 2000 WHEN y < 100 THEN y + 1900 "
    "WHEN y < 520 THEN y + 2000 WHEN y < 1000 THEN y + 1000 ELSE y END",
)
MAKE_TIMESTAMP = _macro(
    "ddsql_make_timestamp",
    "(what, y, mo, d, h, clock12, pm, mi, sec, us) AS CASE "
    "WHEN y = 0 THEN ddsql_raise(what || ': no year (PostgreSQL would answer a year BC)') "
    "WHEN y > 9999 THEN ddsql_raise(what || ': year ' || y || ' is out of range') "
    "WHEN mo > 12 OR d > 31 OR d > day(last_day(make_date(y, greatest(mo, 1), 1))) "
    "THEN ddsql_raise(what || ': date/time field value out of range') "
    "WHEN clock12 AND (h < 1 OR h > 12) "
    "THEN ddsql_raise(what || ': hour \"' || h || '\" is invalid for the 12-hour clock') "
    "WHEN h > 23 OR mi > 59 OR sec > 59 OR us > 999999 "
    "THEN ddsql_raise(what || ': date/time field value out of range') "
    "ELSE make_timestamp(y, greatest(mo, 1), greatest(d, 1), "
    "CASE WHEN clock12 AND pm AND h < 12 THEN h + 12 WHEN clock12 AND NOT pm AND h = 12 THEN 0 "
    "ELSE h END, mi, 0) + to_microseconds(sec * 1000000 + us) END",
)
FIELD_INT = _macro("ddsql_field_int", "(t) AS CASE WHEN t = '' THEN 0 ELSE CAST(t AS BIGINT) END")
TO_TIMESTAMP_FIELDS = _macro(
    "ddsql_to_timestamp_fields",
    "(s, what, m) AS CASE WHEN s IS NULL THEN CAST(NULL AS TIMESTAMP) "
    "WHEN length(m.consumed) < length(s) "
    "THEN ddsql_raise(what || ': the text does not match the format at \"' "
    "|| substr(s, length(m.consumed) + 1, 20) || '\"') "
    "ELSE ddsql_make_timestamp(what, "
    "CASE WHEN m.year <> '' THEN ddsql_field_int(m.year) WHEN m.year2 = '' THEN 0 "
    "WHEN length(m.year2) < 4 THEN ddsql_partial_year(ddsql_field_int(m.year2)) "
    "ELSE ddsql_field_int(m.year2) END, "
    "ddsql_field_int(m.month), ddsql_field_int(m.day), "
    "ddsql_field_int(m.hour24) + ddsql_field_int(m.hour12), "
    "m.hour12 <> '' OR m.meridiem <> '', lower(m.meridiem) = 'pm', "
    "ddsql_field_int(m.minute), ddsql_field_int(m.second), "
    "ddsql_field_int(m.millisecond) * 1000 * CASE length(m.millisecond) "
    "WHEN 1 THEN 100 WHEN 2 THEN 10 ELSE 1 END) END",
)

_SPACE = "[ \\t\\n\\x0B\\f\\r]"
# Timestamp text DDSQL reads: ISO date, optional time, optional zero UTC offset.
_ZONE = "[Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|\\+00(?::?00)?"  # a zero offset; "-00" needs a time
TIMESTAMP_TEXT = (
    f"^{_SPACE}*([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}})(?:"
    f"(?:[Tt]|{_SPACE}+)([0-9]{{1,2}}):([0-9]{{2}})(?::([0-9]{{2}})(?:\\.([0-9]{{1,6}}))?)?"
    f"{_SPACE}*(?:(?:{_ZONE}|-00(?::?00)?){_SPACE}*)?"
    f"|{_SPACE}*(?:(?:{_ZONE}){_SPACE}*)?)$"
)
TEXT_TIMESTAMP_PARTS = _macro(
    "ddsql_text_timestamp_parts",
    "(s, m) AS CASE WHEN s IS NULL THEN CAST(NULL AS TIMESTAMP) WHEN m.y = '' THEN "
    "ddsql_raise('cannot read ''' || s || ''' as a timestamp: DDSQL reads "
    "YYYY-MM-DD[ HH:MM[:SS[.ffffff]]] in UTC') "
    "WHEN ddsql_field_int(m.y) = 0 OR ddsql_field_int(m.mo) = 0 OR ddsql_field_int(m.d) = 0 "
    "THEN ddsql_raise('timestamp ''' || s || ''': date/time field value out of range') "
    "ELSE ddsql_make_timestamp('timestamp ''' || s || '''', ddsql_field_int(m.y), "
    "ddsql_field_int(m.mo), ddsql_field_int(m.d), ddsql_field_int(m.h), false, false, "
    "ddsql_field_int(m.mi), ddsql_field_int(m.sec), ddsql_field_int(rpad(m.frac, 6, '0'))) END",
)
TEXT_TIMESTAMP = _macro(
    "ddsql_text_timestamp",
    "(s) AS ddsql_text_timestamp_parts(s, regexp_extract(CAST(s AS VARCHAR), "
    f"'{TIMESTAMP_TEXT}', ['y', 'mo', 'd', 'h', 'mi', 'sec', 'frac']))",
)


# --------------------------------------------------------------------------- installing


class Raised(Exception):
    """A query's own failure, raised by ``ddsql_raise`` with PostgreSQL's message."""


def _raise(message: str | None) -> None:
    raise Raised(message or "query failed")


def _unique_keys(text: str) -> str:
    problem = repeated_key(text)
    if problem:
        raise Raised(problem)
    return text


class _Repeated(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> None:
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise _Repeated(key)
        seen.add(key)


def repeated_key(text: str) -> str | None:
    """What is wrong when the JSON ``text`` has an object that repeats a key, else None
    (also for text that is not JSON, which the cast to JSON reports)."""
    try:
        json.loads(text, object_pairs_hook=_pairs)
    except _Repeated as repeated:
        return (
            f"JSON object repeats the key {json.dumps(repeated.args[0])}: PostgreSQL reads "
            "the last of repeated keys and DuckDB the first, so DDSQL refuses them"
        )
    except (ValueError, RecursionError):
        pass
    return None


def install(db: duckdb.DuckDBPyConnection) -> None:
    """Define ``ddsql_raise`` and ``ddsql_unique_keys`` in ``db``."""
    # Not volatile (side_effects=False), so it may sit in a window's ORDER BY; DuckDB
    # calls it only for the rows whose CASE branch reaches it.
    db.create_function(
        RAISE,
        _raise,
        [sqltypes.VARCHAR],
        sqltypes.SQLNULL,
        null_handling=func.SPECIAL,
        side_effects=False,
    )
    db.create_function(
        UNIQUE_KEYS, _unique_keys, [sqltypes.VARCHAR], sqltypes.VARCHAR, side_effects=False
    )


CATALOG = "ddsql_runtime"
"""The name of the database, attached read-only, that holds the macros when queries run."""


def digest() -> str:
    """What the macros' database depends on: their definitions and DuckDB's version."""
    import hashlib

    text = "\n".join([duckdb.__version__, *macro_definitions()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def macro_definitions() -> list[str]:
    """``CREATE MACRO`` for every macro, each after the macros its body calls."""
    order: list[str] = []
    for name in MACROS:
        order.extend(m for m in _with_dependencies(name) if m not in order)
    return [f"CREATE MACRO {name}{MACROS[name]}" for name in order]


_CALL = re.compile(r"\b(ddsql_\w+)\s*\(", re.IGNORECASE)


def _called(sql: str) -> set[str]:
    """The macros ``sql`` calls by name (not those they call in turn)."""
    return {m.lower() for m in _CALL.findall(sql) if m.lower() in MACROS}


@cache
def _with_dependencies(name: str) -> tuple[str, ...]:
    """``name`` (when it is a macro) after every macro its body calls, deepest first."""
    if name not in MACROS:
        return ()
    order: list[str] = []
    for called in sorted(_called(MACROS[name])):
        order.extend(m for m in _with_dependencies(called) if m not in order)
    return (*order, name)
