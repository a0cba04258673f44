"""What translated SQL calls at run time: DuckDB macros and two Python functions.

The rewrites write calls to these names (all ``ddsql_``, a prefix user SQL may not use);
:func:`install` gives a DuckDB database the Python functions, and the engine writes
:func:`macro_definitions` to a database it attaches read-only as :data:`CATALOG`. Nothing
here imports sqlglot, so the engine depends on this module alone, not on the
translator.
"""

from __future__ import annotations

import json
import math
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
# ``ddsql_json_input(text)``: the text, once it is JSON as PostgreSQL reads it (RFC 8259:
# DuckDB's reader also takes trailing commas and more) and no object in it repeats a key
# (PostgreSQL's json reads the last of repeated keys and DuckDB the first); else the query
# fails with PostgreSQL's message. Text made JSON in a query passes here; loaded JSON is
# valid and never repeats a key (loaders parse it).
JSON_INPUT = "ddsql_json_input"


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


# ------------------------------------------------------------------- numbers

# Text PostgreSQL reads as a bigint or a float8 (int8in, float8in: C's blanks around, no
# underscores, no hexadecimal; strtod's hexadecimal floats and "nan(...)" are refused).
BLANK = "[ \\t\\n\\x0B\\f\\r]"
BIGINT_TEXT = f"{BLANK}*[+-]?[0-9]+{BLANK}*"
DOUBLE_TEXT = (
    f"{BLANK}*[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    f"|(?i:inf|infinity|nan)){BLANK}*"
)
# boolin's words: any prefix of true, false, yes, no; on, of, off; 1, 0 (any case).
TRUE_WORDS = ("t", "tr", "tru", "true", "y", "ye", "yes", "on", "1")
FALSE_WORDS = ("f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0")


BLANKS = " \t\n\x0b\f\r"  # C's isspace: what PostgreSQL's input functions trim
_BIGINT_RE = re.compile(BIGINT_TEXT)
_DOUBLE_RE = re.compile(DOUBLE_TEXT)


def input_problem(text: str, kind: str, type_name: str) -> str | None:
    """PostgreSQL's error for ``text`` read as a number or a boolean (``kind``: "bigint",
    "double" or "boolean"), naming the type ``type_name``; None when it reads. The rules
    the ``ddsql_text_*`` macros apply to text at run time, for text known now."""
    if kind == "bigint":
        if not _BIGINT_RE.fullmatch(text):
            return f'invalid input syntax for type {type_name}: "{text}"'
        if not -(2**63) <= int(text.strip(BLANKS)) < 2**63:
            return f'value "{text}" is out of range for type {type_name}'
    elif kind == "double":
        if not _DOUBLE_RE.fullmatch(text):
            return f'invalid input syntax for type {type_name}: "{text}"'
        value = float(text.strip(BLANKS))
        mantissa = re.split("[eE]", text)[0]
        if (math.isinf(value) and "i" not in text.lower()) or (
            value == 0 and re.search("[1-9]", mantissa)
        ):
            return f'"{text}" is out of range for type {type_name}'
    elif text.strip(BLANKS).lower() not in TRUE_WORDS + FALSE_WORDS:
        return f'invalid input syntax for type {type_name}: "{text}"'
    return None


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _invalid(type_name: str) -> str:
    return f"""ddsql_raise('invalid input syntax for type {type_name}: "' || s || '"')"""


_TEXT_BIGINT = _macro(
    "ddsql_text_bigint",
    f"(s) AS CASE WHEN s IS NULL THEN CAST(NULL AS BIGINT) "
    f"WHEN NOT regexp_full_match(s, '{BIGINT_TEXT}') THEN {_invalid('bigint')} "
    "ELSE coalesce(TRY_CAST(s AS BIGINT), "
    """ddsql_raise('value "' || s || '" is out of range for type bigint')) END""",
)
# float8in: text that reads as an infinity without spelling one, or as zero with a digit
# that is not, is out of range (subnormal numbers are not).
_DOUBLE_RANGE = _macro(
    "ddsql_text_double_range",
    "(s, v) AS CASE WHEN isinf(v) AND NOT regexp_matches(s, '[iI]') "
    "OR v = 0 AND regexp_matches(s, '^[^eE]*[1-9]') "
    """THEN ddsql_raise('"' || s || '" is out of range for type decimal') ELSE v END""",
)
_TEXT_DOUBLE = _macro(
    "ddsql_text_double",
    f"(s) AS CASE WHEN s IS NULL THEN CAST(NULL AS DOUBLE) "
    f"WHEN NOT regexp_full_match(s, '{DOUBLE_TEXT}') THEN {_invalid('decimal')} "
    "ELSE ddsql_text_double_range(s, CAST(s AS DOUBLE)) END",
)
_BOOLEAN_WORD = _macro(
    "ddsql_boolean_word",
    f"(s, w) AS CASE WHEN s IS NULL THEN CAST(NULL AS BOOLEAN) "
    f"WHEN w IN ({_words(TRUE_WORDS)}) THEN true WHEN w IN ({_words(FALSE_WORDS)}) THEN false "
    f"ELSE {_invalid('boolean')} END",
)
_TEXT_BOOLEAN = _macro(
    "ddsql_text_boolean",
    f"(s) AS ddsql_boolean_word(s, lower(regexp_replace(s, '^{BLANK}+|{BLANK}+$', '', 'g')))",
)
# Text cast to BIGINT, DOUBLE or BOOLEAN, read as PostgreSQL reads it (the one-element
# list computes the text once for the several uses the checks make).
TEXT_TO = {
    name: _macro(
        f"ddsql_text_to_{name.lower()}", f"(x) AS list_transform([x], lambda s: {text}(s))[1]"
    )
    for name, text in (
        ("BIGINT", _TEXT_BIGINT),
        ("DOUBLE", _TEXT_DOUBLE),
        ("BOOLEAN", _TEXT_BOOLEAN),
    )
}
# The same cast of a value whose type the translator does not know: text as above, any
# other type cast by DuckDB (typeof is known when DuckDB binds the query, so one branch
# runs, but it computes its argument: where the type is known, the rule picks instead).
TO_TYPE = {
    name: _macro(
        f"ddsql_to_{name.lower()}",
        f"(x) AS CASE WHEN typeof(x) = 'VARCHAR' THEN {text}(CAST(x AS VARCHAR)) "
        f"ELSE CAST(x AS {name}) END",
    )
    for name, text in TEXT_TO.items()
}
# The same for arrays: text elements read one by one as above.
TO_ARRAY_TYPE = {
    name: _macro(
        f"ddsql_to_{name.lower()}_array",
        f"(a) AS CASE WHEN typeof(a) = 'VARCHAR[]' "
        f"THEN list_transform(CAST(a AS VARCHAR[]), lambda s: {text}(s)) "
        f"ELSE CAST(a AS {name}[]) END",
    )
    for name, text in TEXT_TO.items()
}

# float8 arithmetic as PostgreSQL checks it (float.h): a result that is infinite from
# finite operands overflows; one that is zero from operands that are not underflows; and
# power's domain errors (dpow). A tree of double arithmetic runs as written and is checked
# once, at its root (``ddsql_f8``): only a row whose result is not a normal number (zero,
# subnormal, infinite, NaN: the marks every failure leaves) runs it again step by step,
# each step on its operands' values (``ddsql_f8_*``, through a one-element list so that an
# operand is computed once and the SQL grows linearly with the tree).
_OVERFLOW = "ddsql_raise('value out of range: overflow')"
_UNDERFLOW = "ddsql_raise('value out of range: underflow')"
_SUM_EDGE = f"CASE WHEN isinf(r) AND NOT isinf(a) AND NOT isinf(b) THEN {_OVERFLOW} ELSE r END"
_EDGES = {
    "add": ("{a} + {b}", _SUM_EDGE),
    "sub": ("{a} - {b}", _SUM_EDGE),
    "mul": (
        "{a} * {b}",
        f"CASE WHEN isinf(r) AND NOT isinf(a) AND NOT isinf(b) THEN {_OVERFLOW} "
        f"WHEN r = 0 AND a <> 0 AND b <> 0 THEN {_UNDERFLOW} ELSE r END",
    ),
    "div": (
        "{a} / {b}",
        f"CASE WHEN isinf(r) AND NOT isinf(a) THEN {_OVERFLOW} "
        f"WHEN r = 0 AND a <> 0 AND NOT isinf(b) THEN {_UNDERFLOW} ELSE r END",
    ),
    "power": (
        "power({a}, {b})",
        "CASE WHEN a = 0 AND b < 0 "
        "THEN ddsql_raise('zero raised to a negative power is undefined') "
        "WHEN a < 0 AND b <> floor(b) THEN ddsql_raise('a negative number raised to a "
        "non-integer power yields a complex result') "
        f"WHEN isinf(r) AND NOT isinf(a) AND NOT isinf(b) THEN {_OVERFLOW} "
        f"WHEN r = 0 AND a <> 0 AND NOT isinf(b) THEN {_UNDERFLOW} ELSE r END",
    ),
}
F8_STEP: dict[str, str] = {}
for _name, (_result, _edge) in _EDGES.items():
    _macro(f"ddsql_f8_{_name}_edge", f"(r, a, b) AS {_edge}")
    F8_STEP[_name] = _macro(
        f"ddsql_f8_{_name}",
        f"(x, y) AS list_transform([[x, y]], lambda v: ddsql_f8_{_name}_edge("
        f"{_result.format(a='v[1]', b='v[2]')}, v[1], v[2]))[1]",
    )
F8 = _macro(
    "ddsql_f8",
    "(fast, checked) AS CASE WHEN abs(fast) BETWEEN 2.2250738585072014e-308 "
    "AND 1.7976931348623157e308 THEN fast ELSE checked END",
)


# --------------------------------------------------------- strings and arrays

# PostgreSQL's functions are strict: a NULL argument gives NULL before any check fails.
SUBSTRING = _macro(
    "ddsql_substring",
    "(s, i, n) AS CASE WHEN s IS NULL OR i IS NULL OR n IS NULL THEN CAST(NULL AS VARCHAR) "
    "WHEN n < 0 THEN ddsql_raise('negative substring length not allowed') "
    "WHEN i < 1 THEN substring(s, 1, CASE WHEN i + n - 1 < 0 THEN 0 ELSE i + n - 1 END) "
    "ELSE substring(s, i, n) END",
)
SUBSTRING_FROM = _macro(
    "ddsql_substring_from", "(s, i) AS substring(s, CASE WHEN i < 1 THEN 1 ELSE i END)"
)
SPLIT_PART = _macro(
    "ddsql_split_part",
    "(s, d, n) AS CASE WHEN s IS NULL OR d IS NULL OR n IS NULL THEN CAST(NULL AS VARCHAR) "
    "WHEN n = 0 THEN ddsql_raise('field position must not be zero') "
    "WHEN d = '' THEN CASE WHEN n = 1 OR n = -1 THEN s ELSE '' END "
    "ELSE split_part(s, d, n) END",
)
SUBSCRIPT = _macro(
    "ddsql_subscript",
    "(a, i) AS CASE WHEN CAST(i AS BIGINT) >= 1 THEN a[CAST(i AS BIGINT)] END",
)
ARRAY_TO_STRING = _macro(
    "ddsql_array_to_string",
    "(a, d) AS CASE WHEN d IS NULL THEN CAST(NULL AS VARCHAR) ELSE array_to_string(a, d) END",
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
# An interval's three fields (PostgreSQL's and DuckDB's: months, days, microseconds), and
# the interval of three field totals, refused past PostgreSQL's ranges (int32 months and
# days, int64 microseconds), as interval_pl refuses them: sum(interval) adds each field
# on its own, never carrying one into another.
INTERVAL_MONTHS = _macro(
    "ddsql_interval_months", "(i) AS datepart('year', i) * 12 + datepart('month', i)"
)
INTERVAL_DAYS = _macro("ddsql_interval_days", "(i) AS datepart('day', i)")
INTERVAL_MICROS = _macro(
    "ddsql_interval_micros",
    "(i) AS datepart('hour', i) * 3600000000 + datepart('minute', i) * 60000000 "
    "+ datepart('microseconds', i)",
)
INTERVAL_OF = _macro(
    "ddsql_interval_of",
    "(mo, d, us) AS CASE WHEN mo NOT BETWEEN -2147483648 AND 2147483647 "
    "OR d NOT BETWEEN -2147483648 AND 2147483647 "
    "OR us NOT BETWEEN -9223372036854775808 AND 9223372036854775807 "
    "THEN ddsql_raise('interval out of range') ELSE to_months(CAST(mo AS INTEGER)) "
    "+ to_days(CAST(d AS INTEGER)) + to_microseconds(CAST(us AS BIGINT)) END",
)
# The field totals of a list of intervals (NULLs skipped), for sum(DISTINCT interval).
INTERVAL_LIST_MONTHS, INTERVAL_LIST_DAYS, INTERVAL_LIST_MICROS = (
    _macro(
        f"ddsql_interval_list_{field}",
        f"(l) AS list_sum(list_transform(l, lambda i: ddsql_interval_{field}(i)))",
    )
    for field in ("months", "days", "micros")
)
# ``ddsql_interval_avg(months, days, micros, n)``: PostgreSQL 15's avg(interval), the sum
# (field totals) divided by the count with its interval_div (:func:`interval_div`), as
# DuckDB interval text. A Python function: the division's steps round in doubles.
INTERVAL_AVG_TEXT = "ddsql_interval_avg_text"
INTERVAL_AVG = _macro(
    "ddsql_interval_avg",
    "(mo, d, us, n) AS CAST(ddsql_interval_avg_text(mo, d, us, n) AS INTERVAL)",
)
# An interval in a query's result: Arrow, which carries results, holds its time part in
# nanoseconds (int64), so a time part past 2562047:47:16.854775 (PostgreSQL and DuckDB
# hold up to 2562047788:00:54.775807) would wrap; it fails instead.
INTERVAL_OUT = _macro(
    "ddsql_interval_out",
    "(i) AS CASE WHEN abs(datepart('hour', i)) > 2562047 OR abs(datepart('hour', i)) = 2562047 "
    "AND abs(datepart('minute', i) * 60000000 + datepart('microseconds', i)) > 2836854775 "
    "THEN ddsql_raise('interval out of range: a result holds times of up to "
    "2562047:47:16.854775') ELSE i END",
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
# Timestamp text DDSQL reads: an ISO date, an optional time, an optional UTC offset (the
# names UTC, GMT or Z; after a time also +HH, +HHMM or +HH:MM, either sign), which makes
# the time that instant in UTC. Groups: y, mo, d, h, mi, sec, frac, sign, oh, om.
_NAMED_UTC = "[Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]"
_ZONE = _NAMED_UTC + "|\\+00(?::?00)?"  # after a date alone: a zero offset ("-00" is not one)
TIMESTAMP_TEXT = (
    f"^{_SPACE}*([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}})(?:"
    f"(?:[Tt]|{_SPACE}+)([0-9]{{1,2}}):([0-9]{{2}})(?::([0-9]{{2}})(?:\\.([0-9]{{1,6}}))?)?"
    f"{_SPACE}*(?:(?:{_NAMED_UTC}|([+-])([0-9]{{2}})(?::?([0-9]{{2}}))?){_SPACE}*)?"
    f"|{_SPACE}*(?:(?:{_ZONE}){_SPACE}*)?)$"
)
MAX_OFFSET_HOURS = 15  # PostgreSQL's largest time zone displacement is 15:59
TEXT_TIMESTAMP_PARTS = _macro(
    "ddsql_text_timestamp_parts",
    "(s, m) AS CASE WHEN s IS NULL THEN CAST(NULL AS TIMESTAMP) WHEN m.y = '' THEN "
    "ddsql_raise('cannot read ''' || s || ''' as a timestamp: DDSQL reads "
    "YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][+HH:MM], UTC unless an offset is given') "
    "WHEN ddsql_field_int(m.y) = 0 OR ddsql_field_int(m.mo) = 0 OR ddsql_field_int(m.d) = 0 "
    "THEN ddsql_raise('timestamp ''' || s || ''': date/time field value out of range') "
    f"WHEN ddsql_field_int(m.oh) > {MAX_OFFSET_HOURS} OR ddsql_field_int(m.om) > 59 "
    "THEN ddsql_raise('timestamp ''' || s || ''': time zone displacement out of range') "
    "ELSE ddsql_make_timestamp('timestamp ''' || s || '''', ddsql_field_int(m.y), "
    "ddsql_field_int(m.mo), ddsql_field_int(m.d), ddsql_field_int(m.h), false, false, "
    "ddsql_field_int(m.mi), ddsql_field_int(m.sec), ddsql_field_int(rpad(m.frac, 6, '0'))) "
    "- to_minutes((CASE WHEN m.sign = '-' THEN -1 ELSE 1 END) "
    "* (ddsql_field_int(m.oh) * 60 + ddsql_field_int(m.om))) END",
)
TEXT_TIMESTAMP = _macro(
    "ddsql_text_timestamp",
    "(s) AS ddsql_text_timestamp_parts(s, regexp_extract(CAST(s AS VARCHAR), "
    f"'{TIMESTAMP_TEXT}', ['y', 'mo', 'd', 'h', 'mi', 'sec', 'frac', 'sign', 'oh', 'om']))",
)


# --------------------------------------------------------------------------- installing


class Raised(Exception):
    """A query's own failure, raised by ``ddsql_raise`` with PostgreSQL's message."""


def _raise(message: str | None) -> None:
    raise Raised(message or "query failed")


def _json_input(text: str) -> str:
    problem = json_problem(text)
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


def _not_json(constant: str) -> None:
    raise ValueError(constant)  # NaN and Infinity, which Python's reader takes


def json_problem(text: str) -> str | None:
    """Why PostgreSQL's json would not take ``text``, or why DDSQL refuses it (an object
    that repeats a key), in PostgreSQL's words; None when it is fine."""
    try:
        json.loads(text, object_pairs_hook=_pairs, parse_constant=_not_json)
    except _Repeated as repeated:
        return json_syntax_error(text) or (
            f"JSON object repeats the key {json.dumps(repeated.args[0])}: PostgreSQL reads "
            "the last of repeated keys and DuckDB the first, so DDSQL refuses them"
        )
    except (ValueError, RecursionError):
        # Python's reader takes no more than PostgreSQL's (once NaN and Infinity are
        # out), so only a failure needs the slower port, which names the problem.
        return json_syntax_error(text)
    return None


# ---------------------------------------------------------------- JSON syntax

_JSON_SPACE = " \t\n\r"
_JSON_PUNCTUATION = "{}[],:"
_HEX = frozenset("0123456789abcdefABCDEF")


def _json_word(c: str) -> bool:
    """PostgreSQL's JSON_ALPHANUMERIC_CHAR: what a bad token runs over."""
    return (c.isascii() and (c.isalnum() or c == "_")) or not c.isascii()


class _JsonError(Exception):
    """A JSON syntax error: PostgreSQL's detail, and where the context shown ends."""

    def __init__(self, detail: str, end: int) -> None:
        super().__init__(detail)
        self.detail, self.end = detail, end


class _JsonLexer:
    """PostgreSQL's json_lex over ``text``: one token at a time, as its parser asks."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def next(self) -> tuple[str, int, int]:
        """The next token: its kind (a punctuation character, ``string``, ``number``,
        ``word`` for true/false/null, ``end``), its start and its end."""
        text, n = self.text, len(self.text)
        i = self.pos
        while i < n and text[i] in _JSON_SPACE:
            i += 1
        if i >= n:
            self.pos = n
            return ("end", n, n)
        c = text[i]
        if c in _JSON_PUNCTUATION:
            self.pos = i + 1
            return (c, i, i + 1)
        if c == '"':
            end = self._string(i)
            kind = "string"
        elif c == "-" or (c.isascii() and c.isdigit()):
            end = self._number(i)
            kind = "number"
        else:
            end = i
            while end < n and _json_word(text[end]):
                end += 1
            if end == i:
                end = i + 1
            if text[i:end] not in ("true", "false", "null"):
                raise _JsonError(f'Token "{text[i:end]}" is invalid.', end)
            kind = "word"
        self.pos = end
        return (kind, i, end)

    def _string(self, start: int) -> int:
        text, n = self.text, len(self.text)
        i = start + 1
        while True:
            if i >= n:
                raise _JsonError(f'Token "{text[start:]}" is invalid.', n)
            c = text[i]
            if c == '"':
                return i + 1
            if ord(c) < 32:
                raise _JsonError(f"Character with value 0x{ord(c):02x} must be escaped.", i)
            if c == "\\":
                i += 1
                if i >= n:
                    raise _JsonError(f'Token "{text[start:]}" is invalid.', n)
                if text[i] == "u":
                    for _ in range(4):
                        i += 1
                        if i >= n:
                            raise _JsonError(f'Token "{text[start:]}" is invalid.', n)
                        if text[i] not in _HEX:
                            raise _JsonError(
                                '"\\u" must be followed by four hexadecimal digits.', i + 1
                            )
                elif text[i] not in '"\\/bfnrt':
                    raise _JsonError(f'Escape sequence "\\{text[i]}" is invalid.', i + 1)
            i += 1

    def _number(self, start: int) -> int:
        text, n = self.text, len(self.text)
        i = start + 1 if text[start] == "-" else start

        def digits(i: int) -> int:
            while i < n and text[i].isascii() and text[i].isdigit():
                i += 1
            return i

        bad = False
        if i < n and text[i] == "0":
            i += 1
        elif i < n and text[i].isascii() and text[i].isdigit():
            i = digits(i)
        else:
            bad = True
        if i < n and text[i] == ".":
            after = digits(i + 1)
            bad = bad or after == i + 1
            i = after
        if i < n and text[i] in "eE":
            i += 1
            if i < n and text[i] in "+-":
                i += 1
            after = digits(i)
            bad = bad or after == i
            i = after
        while i < n and _json_word(text[i]):
            bad, i = True, i + 1
        if bad:
            raise _JsonError(f'Token "{text[start:i]}" is invalid.', i)
        return i


_EXPECTED = {
    "value": "Expected JSON value",
    "end": "Expected end of input",
    "string": "Expected string",
    "colon": 'Expected ":"',
    "object start": 'Expected string or "}"',
    "object next": 'Expected "," or "}"',
    "array next": 'Expected "," or "]"',
}


def _json_parse(text: str) -> None:
    """PostgreSQL's pg_parse_json without actions: raise :class:`_JsonError` at the first
    problem. Iterative (a stack of open arrays and objects), so depth costs no recursion."""
    lexer = _JsonLexer(text)

    def fail(context: str, token: tuple[str, int, int]) -> _JsonError:
        kind, start, end = token
        if kind == "end":
            return _JsonError("The input string ended unexpectedly.", end)
        return _JsonError(f'{_EXPECTED[context]}, but found "{text[start:end]}".', end)

    def field(token: tuple[str, int, int]) -> tuple[str, int, int]:
        """Past an object's ``"key":``, at the token of its value."""
        if token[0] != "string":
            raise fail("string", token)
        token = lexer.next()
        if token[0] != ":":
            raise fail("colon", token)
        return lexer.next()

    open_: list[str] = []
    token = lexer.next()
    while True:
        kind = token[0]
        if kind == "{":
            token = lexer.next()
            if token[0] == "string":
                open_.append("}")
                token = field(token)
                continue
            if token[0] != "}":
                raise fail("object start", token)
        elif kind == "[":
            token = lexer.next()
            if token[0] != "]":
                open_.append("]")
                continue
        elif kind not in ("string", "number", "word"):
            raise fail("value", token)
        token = lexer.next()  # past the value (or its closing bracket)
        while open_:
            closer = open_[-1]
            if token[0] == closer:
                open_.pop()
                token = lexer.next()
            elif token[0] == ",":
                token = lexer.next()
                if closer == "}":
                    token = field(token)
                break
            else:
                raise fail("object next" if closer == "}" else "array next", token)
        else:
            if token[0] != "end":
                raise fail("end", token)
            return


def json_syntax_error(text: str) -> str | None:
    """PostgreSQL's error for ``text`` read as json (its message, detail and context on
    one line), or None when PostgreSQL reads it."""
    try:
        _json_parse(text)
    except _JsonError as error:
        line_start = text.rfind("\n", 0, error.end) + 1
        context = text[line_start : error.end]
        prefix = suffix = ""
        if len(context) >= 50:
            context, prefix = context[-49:], "..."
        if error.end < len(text) and text[error.end] not in "\n\r":
            suffix = "..."
        line = text.count("\n", 0, error.end) + 1
        return (
            f"invalid input syntax for type json: {error.detail} "
            f"JSON data, line {line}: {prefix}{context}{suffix}"
        )
    return None


_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


def interval_div(months: int, days: int, micros: int, factor: float) -> tuple[int, int, int]:
    """PostgreSQL 15's interval_div: (months, days, micros) / ``factor``, months and days
    truncated and their remainders cascaded down into days and time, each step rounded
    to microseconds as PostgreSQL rounds it (Python's floats are C doubles, ``round`` is
    ``rint``)."""
    if factor == 0:
        raise Raised("division by zero")
    month = int(months / factor)
    day = int(days / factor)
    month_remainder_days = (months / factor - month) * 30
    month_remainder_days = round(month_remainder_days * 1000000.0) / 1000000.0
    sec_remainder = (days / factor - day + month_remainder_days - int(month_remainder_days)) * 86400
    sec_remainder = round(sec_remainder * 1000000.0) / 1000000.0
    if abs(sec_remainder) >= 86400:
        day += int(sec_remainder / 86400)
        sec_remainder -= int(sec_remainder / 86400) * 86400
    day += int(month_remainder_days)
    return month, day, round(micros / factor + sec_remainder * 1000000)


def _interval_avg_text(months: int, days: int, micros: int, count: int) -> str:
    if not (
        _INT32[0] <= months <= _INT32[1]
        and _INT32[0] <= days <= _INT32[1]
        and _INT64[0] <= micros <= _INT64[1]
    ):
        raise Raised("interval out of range")
    month, day, time = interval_div(months, days, micros, float(count))
    return f"{month} months {day} days {time} microseconds"


# The functions :func:`install` defines in Python (the rest are MACROS).
PYTHON_FUNCTIONS = (RAISE, JSON_INPUT, INTERVAL_AVG_TEXT)


def install(db: duckdb.DuckDBPyConnection) -> None:
    """Define the :data:`PYTHON_FUNCTIONS` in ``db``."""
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
        JSON_INPUT, _json_input, [sqltypes.VARCHAR], sqltypes.VARCHAR, side_effects=False
    )
    db.create_function(
        INTERVAL_AVG_TEXT,
        _interval_avg_text,
        [sqltypes.HUGEINT, sqltypes.HUGEINT, sqltypes.HUGEINT, sqltypes.BIGINT],
        sqltypes.VARCHAR,
        side_effects=False,
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
