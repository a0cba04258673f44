"""DDSQL time, one line per rule: interval text, format patterns, timestamp text, and the
SQL each time function becomes (timefuncs, intervals, pgformat; the DDSQL -> DuckDB pairs
are in tests/dialect/rules/timefuncs.sql).

The PostgreSQL answers for the same questions are checked by the oracle corpus
(tests/oracle/corpus/time.sql); the refusals here are of things PostgreSQL would run, which the
corpus cannot express (its ``-- error:`` needs both sides to refuse).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from ddsql_lite import UnsupportedError
from ddsql_lite.dialect import Translator, runtime
from ddsql_lite.dialect.ddsql import DIALECT, tokenize
from ddsql_lite.dialect.intervals import Interval, parse_interval, pg_interval_text
from ddsql_lite.dialect.pgformat import (
    FIELDS,
    Part,
    parse_format,
    to_char_parts,
    to_timestamp_regex,
)
from ddsql_lite.dialect.timefuncs import read_timestamp_literal
from ddsql_lite.registry import load_registry

T = "aws.sagemaker_inference_experiment"
Q = '"sagemaker_inference_experiment"'
C = f'{Q}."creation_time"'
H = 3_600_000_000  # microseconds in an hour
D = 24 * H


@pytest.fixture(scope="module")
def translate():
    translator = Translator(load_registry())
    return lambda sql: translator.translate(sql).duckdb_sql


def select(expr: str) -> str:
    return f"SELECT {expr} AS x FROM {T}"


# ----------------------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the traps: an abbreviation never becomes another amount
        ("2 hrs", (0, 0, 2 * H)),
        ("5 mins", (0, 0, 5 * 60_000_000)),
        ("1 mon", (1, 0, 0)),
        ("1 m", (0, 0, 60_000_000)),  # PostgreSQL: m is a minute, mon a month
        ("1 week", (0, 7, 0)),
        ("3 secs", (0, 0, 3_000_000)),
        ("30s", (0, 0, 30_000_000)),
        ("1 ms", (0, 0, 1000)),
        ("1 us", (0, 0, 1)),
        ("1 millisecond 2 seconds 3 minutes 4 hours 5 days", (0, 5, 4 * H + 182_001_000)),
        ("1 MILLISECOND 2 SECONDS 3 MINUTES 4 HOURS 5 DAYS", (0, 5, 4 * H + 182_001_000)),
        ("1 year 2 months", (14, 0, 0)),
        ("2 yrs 3 mons", (27, 0, 0)),
        ("1 decade 1 century 1 millennium", (1110 * 12, 0, 0)),
        ("2 centuries 3 mils", (2 * 1200 + 3 * 12000, 0, 0)),
        ("1 milliseconds", (0, 0, 1000)),
        ("1 millisecondfoo", (0, 0, 1000)),  # PostgreSQL compares the first ten letters
        ("1 day 02:03:04", (0, 1, 2 * H + 184_000_000)),
        ("-1 day +02:03:04.5", (0, -1, 2 * H + 184_500_000)),
        ("02:03", (0, 0, 2 * H + 180_000_000)),
        ("1:30.5", (0, 0, 90_500_000)),  # m:ss.frac
        ("1.5 hours", (0, 0, 5_400_000_000)),
        ("1.5 years", (18, 0, 0)),
        ("1.5 months", (1, 15, 0)),
        ("1.5 weeks", (0, 10, 12 * H)),
        ("0.5 days", (0, 0, 12 * H)),
        (".5 min", (0, 0, 30_000_000)),
        ("-1.5 seconds", (0, 0, -1_500_000)),
        ("1-2", (14, 0, 0)),
        ("-1-2", (-14, 0, 0)),
        ("1 2 hours", (0, 1, 2 * H)),  # a bare number before hours is days
        ("5", (0, 0, 5_000_000)),  # a bare number is seconds
        ("@ 1 day 2 hours ago", (0, -1, -2 * H)),
        ("1 day, 2 hours", (0, 1, 2 * H)),
        ("- 5 minutes", (0, 0, -300_000_000)),
        ("0 days", (0, 0, 0)),
    ],
)
def test_interval_text(text: str, value: tuple[int, int, int]) -> None:
    assert parse_interval(text) == Interval(*value)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "no amount"),
        ("1 day 2 days", "given twice"),
        ("1 second 1.5 seconds", "given twice"),
        ("1 fortnight", "unknown unit 'fortnight'"),
        ("1 quarter", "not allowed in an interval"),
        ("day 1", "must follow a number"),  # PostgreSQL ignores the dangling unit
        ("1 day week", "must follow a number"),  # PostgreSQL keeps the first unit
        ("1-2 days", "after years-months"),  # PostgreSQL ignores "days"
        ("02:00 hours", "must follow a number"),
        ("02:00 1.5 days", "ambiguous"),  # PostgreSQL drops the 12 hours
        ("5 ago", "'ago' must end"),
        ("1 day ago 2 hours", "'ago' must end"),
        ("1 2", "given twice"),
        ("1-12", "months must be 0 to 11"),
        ("P1DT2H", "cannot read"),  # ISO 8601
        ("infinity", "unknown unit"),
        ("1 hour2", "cannot read"),
        ("1/2 day", "cannot read"),
        ("1:60", "out of range"),
        ("3000000000 days", "out of range"),
    ],
)
def test_interval_text_refused(text: str, why: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        parse_interval(text)
    assert why in str(info.value) and repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ((14, 3, 4 * H + 5_006_000), "1 year 2 mons 3 days 04:00:05.006"),
        ((-14, 3, -(4 * H + 5_500_000)), "-1 years -2 mons +3 days -04:00:05.5"),
        ((1, 0, 0), "1 mon"),
        ((0, -1, 2 * H), "-1 days +02:00:00"),
        ((0, 0, 0), "00:00:00"),
        ((0, 0, 100 * H), "100:00:00"),
        ((0, 0, -1), "-00:00:00.000001"),
    ],
)
def test_interval_prints_like_postgresql(value: tuple[int, int, int], text: str) -> None:
    assert pg_interval_text(*value) == text


def test_interval_duckdb_text_is_exact() -> None:
    assert Interval(14, -3, 12345).duckdb_text() == "14 months -3 days 12345 microseconds"
    assert Interval(0, 0, 0).duckdb_text() == "0 microseconds"
    assert parse_interval(Interval(14, -3, 12345).duckdb_text()) == Interval(14, -3, 12345)


def test_interval_text_macro_matches_python() -> None:
    """``ddsql_interval_text`` (DuckDB) prints what :func:`pg_interval_text` prints."""
    con = duckdb.connect()
    runtime.install(con)
    con.execute(";\n".join(runtime.macro_definitions()))
    values = [
        (m, d, u) for m in (0, 1, -14, 25) for d in (0, 1, -3) for u in (0, 1, -H - 500, 5 * D)
    ]
    for m, d, u in values:
        got = con.execute(
            f"SELECT ddsql_interval_text(INTERVAL '{m} months {d} days {u} microseconds')"
        ).fetchone()
        assert got == (pg_interval_text(m, d, u),), (m, d, u)


# ------------------------------------------------------------------------ format patterns


@pytest.mark.parametrize(
    ("pattern", "items"),
    [
        ("HH24:MI", ["HH24", ":", "MI"]),
        ("HH12HH", ["HH12", "HH"]),
        ("DDD DD D", ["DDD", " ", "DD", " ", "D"]),  # longest keyword first
        ("YYYYMMDD", ["YYYY", "MM", "DD"]),
        ("Yyyy", ["Y", "yyy"]),  # case-sensitive, as PostgreSQL reads it
        ('"Day" Day', ["D", "a", "y", " ", "Day"]),  # quoted text is literal
        ('a\\"b', ["a", '"', "b"]),
        ("Mm", ["M", "m"]),  # no keyword: literal characters
        ("FMDD", ["FM", "DD"]),
        ("DDth", ["DD", "th"]),
    ],
)
def test_parse_format_reads_like_postgresql(pattern: str, items: list[str]) -> None:
    assert [n.text for n in parse_format(pattern)] == items


@pytest.mark.parametrize(
    ("pattern", "parts"),
    [
        ("YYYY-MM-DD HH24:MI:SS.MS", [Part("strftime", "%Y-%m-%d %H:%M:%S.%g")]),
        ("YY/MM/DD HH12 HH AM PM", [Part("strftime", "%y/%m/%d %I %I %p %p")]),
        ("yyyy mm dd hh24 mi ss ms", [Part("strftime", "%Y %m %d %H %M %S %g")]),
        ("HH:MI am", [Part("strftime", "%I:%M "), Part("meridiem")]),
        ("pm", [Part("meridiem")]),
        ("TZ tz OF of", [Part("strftime", "  +00 +00")]),
        ("HH24TZH:TZM tzh tzm", [Part("strftime", "%H+00:00 +00 00")]),
        ('100% "at" YYYY', [Part("strftime", "100%% at %Y")]),
        ('"%Y"', [Part("strftime", "%%Y")]),
        ("", []),
    ],
)
def test_to_char_parts(pattern: str, parts: list[Part]) -> None:
    assert to_char_parts(pattern) == parts


@pytest.mark.parametrize(
    ("pattern", "named"),
    [
        ("Day", "'Day'"),  # sqlglot's mapping would print 7ay
        ("Dy", "'Dy'"),
        ("Mon", "'Mon'"),
        ("Month", "'Month'"),
        ("MON", "'MON'"),
        ("D", "'D'"),
        ("J", "'J'"),
        ("Q", "'Q'"),
        ("WW", "'WW'"),
        ("IW", "'IW'"),
        ("US", "'US'"),
        ("SSSS", "'SSSS'"),
        ("Y,YYY", "'Y,YYY'"),
        ("YYY", "'YYY'"),
        ("CC", "'CC'"),
        ("A.M.", "'A.M.'"),
        ("FF3", "'FF3'"),
        ("RM", "'RM'"),
        ("FMDD", "'FM' modifier"),
        ("DDth", "'th' modifier"),
        ("TMMon", "'TM' modifier"),
        ("FXYYYY", "'FX'"),
        ("YYYY-MM-DDTHH24", "'TH' modifier"),  # unquoted T after DD is PostgreSQL's TH
    ],
)
def test_unlisted_patterns_are_refused_by_name(pattern: str, named: str) -> None:
    for function in (to_char_parts, to_timestamp_regex):
        with pytest.raises(UnsupportedError) as info:
            function(pattern)
        assert named in str(info.value)


@pytest.mark.parametrize(
    ("pattern", "fields"),
    [
        ("YYYYMMDD", ["(\\d{4})", "(\\d{2})", "(\\d+)"]),  # fixed width before a digit field
        ("YYYY-MM-DD", ["(\\d+)", "(\\d+)", "(\\d+)"]),  # all digits before a separator
        ("SSMS", ["(\\d{2})", "(\\d+)"]),
        ('HH24"1"', ["(\\d{2})"]),  # a literal digit is not a separator
        ("HH am", ["(\\d+)", "([aApP][mM])"]),
    ],
)
def test_to_timestamp_field_widths(pattern: str, fields: list[str]) -> None:
    regex = to_timestamp_regex(pattern).regex
    found = [f for f in ("(\\d{4})", "(\\d{2})", "(\\d+)", "([aApP][mM])") if f in regex]
    assert sorted(found) == sorted(set(fields))
    assert sum(regex.count(f) for f in set(fields)) == len(fields)


def test_to_timestamp_groups_name_every_field_once() -> None:
    plan = to_timestamp_regex("DD/MM/YYYY HH:MI am")
    assert plan.groups[:6] == ("day", "month", "year", "hour12", "minute", "meridiem")
    assert sorted(plan.groups) == sorted(FIELDS)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("YYYY YY", "gives the year twice"),
        ("HH24 HH12", "gives the hour twice"),
        ("AM pm", "gives the meridiem twice"),
        ("YYYY TZ", "pattern 'TZ' is not supported"),
        ("YYYY OF", "pattern 'OF' is not supported"),
        ("YYYY TZH:TZM", "pattern 'TZH' is not supported"),
        ("YYYY tzm", "pattern 'tzm' is not supported"),
    ],
)
def test_to_timestamp_patterns_refused(pattern: str, why: str) -> None:
    with pytest.raises(UnsupportedError, match=why):
        to_timestamp_regex(pattern)


def test_to_timestamp_regex_reads_like_postgresql() -> None:
    """The regex consumes what PostgreSQL's scan consumes (group 1) and captures the
    fields it reads; a literal character absorbs one skipped space."""
    import re

    def read(pattern: str, text: str) -> tuple[str, ...]:
        match = re.match(to_timestamp_regex(pattern).regex, text)
        assert match is not None
        return match.groups()[: 1 + sum(1 for n in parse_format(pattern) if n.kind == "action")]

    assert read("DD/MM/YYYY HH:MI am", "25/12/2025 04:23 pm") == (
        "25/12/2025 04:23 pm",
        *("25", "12", "2025", "04", "23", "pm"),
    )
    assert read("YYYYMMDD", "20250304") == ("20250304", "2025", "03", "04")
    assert read('YYYY"T"HH24', "2025T10") == ("2025T10", "2025", "10")
    assert read('YYYY"T"HH24', "2025 10") == ("2025 10", "2025", "10")  # the space stands in
    assert read("YYYY-MM", "2025") == ("2025", "2025", None)  # input may end early
    assert read("YYYY-MM", "2025-x1")[0] == "2025-"  # stops: the caller reports an error


# ------------------------------------------------------------------------ timestamp text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025-01-01", datetime(2025, 1, 1)),
        ("2025-1-5 9:05", datetime(2025, 1, 5, 9, 5)),
        ("2025-01-01T10:00:00Z", datetime(2025, 1, 1, 10)),
        ("2025-01-01 10:00:00.5+00:00", datetime(2025, 1, 1, 10, 0, 0, 500000)),
        ("2025-01-01 10:00 UTC", datetime(2025, 1, 1, 10)),
        (" 2025-01-01 10:00:00.000001 ", datetime(2025, 1, 1, 10, 0, 0, 1)),
        # an offset makes it that instant in UTC (PostgreSQL would drop it)
        ("2025-07-10 00:00:00.000-04:00", datetime(2025, 7, 10, 4)),
        ("2025-02-01T00:00:00+02:00", datetime(2025, 1, 31, 22)),
        ("2025-02-01T00:00:00+02", datetime(2025, 1, 31, 22)),
        ("2025-02-01 00:00+0200", datetime(2025, 1, 31, 22)),
        ("2025-02-01 00:00:00.25 -09:30", datetime(2025, 2, 1, 9, 30, 0, 250000)),
        ("2025-02-01 10:00-00", datetime(2025, 2, 1, 10)),
        ("2025-02-01 00:00+15:59", datetime(2025, 1, 31, 8, 1)),
    ],
)
def test_timestamp_text(text: str, value: datetime) -> None:
    assert read_timestamp_literal(text) == value


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # PostgreSQL reads these; DDSQL reads offsets as ISO 8601 writes them
        ("2025-01-01 10:00 EST", "the time zone 'EST' is not supported; write its UTC offset"),
        ("2025-01-01 10:00 Europe/Paris", "the time zone 'Europe/Paris'"),
        ("2025-01-01 10:00+2", r"the offset '\+2' is not one DDSQL reads"),
        ("2025-01-01 10:00+020", r"the offset '\+020'"),
        ("2025-01-01 10:00+02:00:30", r"the offset '\+02:00:30'"),
        ("2025-01-01+02", r"an offset \('\+02'\) needs a time of day"),
        ("2025-01-01 -04:00", "needs a time of day"),
        ("0001-01-01 00:00+01", "out of range in UTC"),
        ("9999-12-31 23:00-02", "out of range in UTC"),
        # PostgreSQL refuses these too
        ("2025-01-01 10:00+16", "time zone displacement out of range"),
        ("2025-01-01 10:00-02:60", "time zone displacement out of range"),
        ("2025-02-30", "out of range"),
        ("2025-01-01 24:00", "out of range"),
        ("2025-01-01 10:00:60", "out of range"),
        ("0000-01-01", "out of range"),
        ("now", "DDSQL reads"),
        ("1 day ago", "DDSQL reads"),
        ("2025-01-01 10:00:00.1234567", "DDSQL reads"),  # PostgreSQL rounds past 6 digits
        ("20250101", "DDSQL reads"),
    ],
)
def test_timestamp_text_refused(text: str, why: str) -> None:
    with pytest.raises(UnsupportedError, match=why):
        read_timestamp_literal(text)


# ------------------------------------------------------------------------ token pre-pass


def test_interval_literal_keeps_its_text() -> None:
    tokens = tokenize("SELECT INTERVAL '1 day 02:03:04', x::interval, now(), t.now()")
    texts = [t.text for t in tokens]
    assert texts[1:4] == ["1 day 02:03:04", "::", "INTERVAL"]
    assert "ddsql_now" in texts and texts[-3] == "now"  # a qualified name is not renamed
    assert DIALECT.tokenize("SELECT 1")  # the dialect itself is untouched


# ----------------------------------------------------------------------------- rewrites


def test_to_timestamp_reads_with_one_regex(translate) -> None:
    out = translate(select("to_timestamp(name, 'YYYY-MM')"))
    assert out.startswith(f'SELECT DDSQL_TO_TIMESTAMP_FIELDS({Q}."name", ')
    assert "REGEXP_EXTRACT(" in out and "['consumed', 'year', 'month'" in out


# (a select-list item refused, a fragment of the message); tests/dialect/test_refusals.py
# checks every one names it as written, with a caret
REFUSALS = [
    # PostgreSQL would answer these; DDSQL does not list them
    ("to_char(creation_time, 'Day')", "pattern 'Day'"),
    ("to_char(creation_time, 'FMMonth')", "'FM' modifier"),
    ("to_timestamp('2025-01-05T10', 'YYYY-MM-DDTHH24')", "'TH' modifier"),
    ("EXTRACT(epoch FROM creation_time)", "EXTRACT(epoch FROM timestamp) is not supported"),
    ("EXTRACT(isodow FROM creation_time)", "EXTRACT(isodow FROM timestamp)"),
    ("EXTRACT(hours FROM creation_time)", "EXTRACT(hours FROM timestamp)"),
    ("EXTRACT(millisecond FROM creation_time)", "EXTRACT(millisecond FROM timestamp)"),
    ("date_trunc('decade', creation_time)", "date_trunc('decade', ...) is not supported"),
    ("date_trunc('microseconds', creation_time)", "is not supported in DDSQL (units"),
    ("date_trunc('mon', creation_time)", "date_trunc('mon', ...)"),
    ("date_trunc('hour', INTERVAL '3 hours')", "needs a timestamp"),
    ("to_char(INTERVAL '1 day', 'DD')", "to_char() needs a timestamp"),
    ("to_char(creation_time, name)", "the format must be a literal"),
    ("to_timestamp(name)", "seconds since 1970"),
    ("to_timestamp(creation_time, 'YYYY')", "reads text"),
    ("date_bin(INTERVAL '1 hour' * 2, creation_time, creation_time)", "interval literal"),
    ("INTERVAL '1' DAY", "field restrictions are not supported"),
    ("INTERVAL '1 day' hour", "field restrictions are not supported"),
    ("INTERVAL 2 DAY", "in quotes"),
    ("INTERVAL(3) '1.5 seconds'", "in quotes"),
    ("INTERVAL 'P1DT2H'", "interval 'P1DT2H'"),
    ("INTERVAL '1 week 2 hours' + INTERVAL '@ 1 day 2 days'", "given twice"),
    ("CAST(name AS INTERVAL)", "literal text only"),
    ("TIMESTAMP '2025-07-10 00:00:00.000-04:00 EST'", "the time zone 'EST'"),
    ("creation_time > '2025-01-01 10:00+2'", "the offset '+2'"),
    ("CAST(length(name) AS TIMESTAMP)", "cannot cast number to timestamp"),
    ("CAST(creation_time AS JSON)", "cannot cast timestamp to json"),
    ("to_timestamp('infinity')", "not a (finite) number of seconds"),
    ("CURRENT_TIMESTAMP(3)", "precision"),
    ("now(1)", "no arguments"),
    # PostgreSQL finds these calls ambiguous
    ("date_trunc('day', NULL)", "needs a timestamp"),
    ("to_char(NULL, 'YYYY')", "needs a timestamp"),
    ("EXTRACT(year FROM '2025-01-01')", "needs a timestamp or an interval"),
    ("EXTRACT(dow FROM INTERVAL '1 day')", "EXTRACT(dow FROM interval) is not supported"),
]


@pytest.mark.parametrize(("sql", "fragment"), REFUSALS)
def test_refusals(translate, sql: str, fragment: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        translate(select(sql))
    assert fragment in str(info.value)


def test_date_trunc_unit_must_be_quoted(translate) -> None:
    from ddsql_lite import CatalogError

    with pytest.raises(CatalogError, match="column 'hour' does not exist"):
        translate(select("date_trunc(hour, creation_time)"))


# PostgreSQL 15's interval_div (avg over intervals), answers read from PostgreSQL.
INTERVAL_DIVISIONS = [
    ((2, 1, -25_199_000_000, 4.0), (0, 15, 15_300_250_000)),  # 15 days 04:15:00.25
    ((13, 1, 1, 3.0), (4, 10, 28_800_000_000)),  # 4 mons 10 days 08:00:00
    ((-1, 1, 500_000, 3.0), (0, -10, 28_800_166_667)),  # -10 days +08:00:00.166667
]


@pytest.mark.parametrize(("fields", "divided"), INTERVAL_DIVISIONS)
def test_interval_division_is_postgresqls(
    fields: tuple[int, int, int, float], divided: tuple[int, int, int]
) -> None:
    assert runtime.interval_div(*fields) == divided
    with pytest.raises(runtime.Raised, match="division by zero"):
        runtime.interval_div(*fields[:3], 0.0)
