"""DDSQL regular expressions: the ICU -> RE2 pattern translator, replacement strings, the
SQL rewrites (their DDSQL -> DuckDB pairs: tests/dialect/rules/regex.sql), refusals and
the run-time checks.

The answers themselves are proven against PostgreSQL in tests/oracle/corpus/regex.sql.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

import ddsql_lite
from ddsql_lite import QueryError, UnsupportedError
from ddsql_lite.dialect import Translator
from ddsql_lite.dialect.icu_pattern import re2_rewrite, translate_pattern, translate_replacement
from ddsql_lite.registry import load_registry

T = "aws.sagemaker_inference_experiment"
Q = '"sagemaker_inference_experiment"'
N = f'{Q}."name"'
W = (  # ICU's \w as RE2 class items
    r"\p{L}\p{Nl}\p{M}\p{Nd}\p{Pc}\x{200C}\x{200D}"
    r"\x{24B6}-\x{24E9}\x{1F130}-\x{1F149}\x{1F150}-\x{1F169}\x{1F170}-\x{1F189}"
)
S = r"\x09-\x0D \x85\xA0\x{1680}\x{2000}-\x{200A}\x{2028}-\x{2029}\x{202F}\x{205F}\x{3000}"


# --- the pattern translator: (pattern, flags) -> RE2 ----------------------------------------

PATTERNS = [
    # function-level flags: . and ^/$ see one string unless n/m; i ignores case
    ("a.c", "", "(?s)a.c"),
    ("^a.c$", "n", "(?m)^a.c$"),
    ("^a.c$", "m", "(?m)^a.c$"),
    ("abc", "i", "(?is)abc"),
    ("abc", "ni", "(?im)abc"),
    ("", "", "(?s)"),
    # [^...] stops at a newline with n/m, as in PostgreSQL
    ("[^a]", "", "(?s)[^a]"),
    ("[^a]", "n", "(?m)[^a\\n]"),
    # ICU's Unicode classes (RE2's own \d \s \w are ASCII; its \v is VT)
    (r"\d+\D", "", r"(?s)\p{Nd}+\P{Nd}"),
    (r"\s\S", "", f"(?s)[{S}][^{S}]"),
    (r"\w\W", "", f"(?s)[{W}][^{W}]"),
    (r"[\w-]", "", f"(?s)[{W}\\-]"),
    (r"\h\H", "", r"(?s)[\t\p{Zs}][^\t\p{Zs}]"),
    (r"\v", "", r"(?s)[\x0A-\x0D\x85\x{2028}-\x{2029}]"),
    (r"\R", "", r"(?s)(?:\r\n|[\x0A-\x0D\x85\x{2028}-\x{2029}])"),
    (r"[\V]", "", r"(?s)[\x00-\x09\x0E-\x84\x86-‧\x{202A}-\x{D7FF}\x{E000}-\x{10FFFF}]"),
    (r"[\d\s]", "", f"(?s)[\\p{{Nd}}{S}]"),
    # properties: general categories (short, long, gc=), scripts, LC, ASCII, Any
    (r"\p{L}\pN\P{Lu}", "", r"(?s)\p{L}\p{N}\P{Lu}"),
    (r"\p{Letter}\p{gc=Lu}\p{Uppercase Letter}", "", r"(?s)\p{L}\p{Lu}\p{Lu}"),
    (r"\p{Greek}\p{sc=Cyrillic}\p{script=latin}", "", r"(?s)\p{Greek}\p{Cyrillic}\p{Latin}"),
    (r"\p{LC}\P{LC}", "", r"(?s)[\p{Lu}\p{Ll}\p{Lt}][^\p{Lu}\p{Ll}\p{Lt}]"),
    (r"\p{ASCII}\P{ASCII}\p{Any}", "", r"(?s)[\x00-\x7F][^\x00-\x7F]\p{Any}"),
    (r"[\p{L}\d_]", "", r"(?s)[\p{L}\p{Nd}_]"),
    # character escapes become the characters themselves
    (r"\x41\x{1F600}\u00e9\U0001F600", "", "(?s)A😀é😀"),
    (r"\N{LATIN SMALL LETTER A}\cA\e\a\0101", "", r"(?s)a\x01\x1B\x07A"),
    (r"a\tb\n\f\r", "", r"(?s)a\x09b\x0A\x0C\x0D"),
    ("a\tb", "", r"(?s)a\x09b"),
    (r"\Qa.b*\E+", "", r"(?s)a\.b\*+"),
    (r"a\.b\-c\/\#", "", r"(?s)a\.b-c/#"),
    ("x]y}", "", r"(?s)x\]y\}"),
    ("[a-][-a][\\]\\[\\\\^]", "", r"(?s)[a\-][\-a][\]\[\\\^]"),
    ("[\\b]", "", r"(?s)[\x08]"),
    ("é", "", "(?s)é"),
    # anchors, quantifiers, groups, options
    (r"\Ax\z\bx\B", "", r"(?s)\Ax\z\bx\B"),
    ("a{2,3}?b{4}c{5,}d*?e+?f??", "", "(?s)a{2,3}?b{4}c{5,}d*?e+?f??"),
    (r"(?<year>\d{4})-(\d\d)", "", r"(?s)(?P<year>\p{Nd}{4})-(\p{Nd}\p{Nd})"),
    ("(?i)a(?-i:b)(?s:.)(?m)$", "", "(?s)(?i)a(?-i:b)(?s:.)(?m)$"),
    ("a(?#a comment)b(?:c|d)", "", "(?s)ab(?:c|d)"),
]


@pytest.mark.parametrize(("pattern", "flags", "re2"), PATTERNS)
def test_pattern(pattern: str, flags: str, re2: str) -> None:
    assert translate_pattern(pattern, flags).re2 == re2


REFUSED_PATTERNS = [
    (r"(a)\1", "", r"back reference \1"),
    (r"(?<n>a)\k<n>", "", r"back reference \k<name>"),
    ("(?=a)", "", "look-ahead (?=...)"),
    ("(?!a)", "", "look-ahead (?!...)"),
    ("(?<=a)b", "", "look-behind (?<=...)"),
    ("(?<!a)b", "", "look-behind (?<!...)"),
    ("a*+", "", "possessive quantifier *+"),
    ("a++", "", "possessive quantifier ++"),
    ("a?+", "", "possessive quantifier ?+"),
    ("a{2}+", "", "possessive quantifier {2}+"),
    ("(?>a)", "", "atomic group"),
    (r"\X", "", "grapheme cluster"),
    (r"\G", "", r"\G"),
    (r"a\Z", "", r"\Z"),
    ("(?x)a b", "", "comments mode"),
    (r"(?w)\b", "", "Unicode word boundaries"),
    ("(?P<n>x)", "", "unknown group syntax"),
    ("[[:alpha:]]", "", "POSIX class"),
    ("[a[b]]", "", "nested set"),
    ("[a-z&&[aeiou]]", "", "set operation &&"),
    ("[a--b]", "", "set operation --"),
    ("[]a]", "", "escape a ']'"),
    (r"[\W]", "", r"\W cannot be used inside a set"),
    (r"\y\Y", "", r"unknown escape \y (PostgreSQL's \y is written \b in ICU)"),
    (r"\m", "", r"unknown escape \m"),
    (r"\p{Alphabetic}", "", r"property \p{Alphabetic}"),
    (r"\p{C}", "", "unassigned code points"),
    (r"\xZZ", "", "bad hexadecimal escape"),
    (r"\x{110000}", "", "not a Unicode scalar value"),
    (r"\ud800", "", "not a Unicode scalar value"),
    (r"\N{NO SUCH NAME}", "", "unknown character name"),
    (r"\ca", "", "upper-case letter"),
    ("a{2000}", "", "above RE2's limit of 1000"),
    ("a{3,2}", "", "maximum is below the minimum"),
    ("a{", "", "literal '{' must be escaped"),
    ("a{,2}", "", "literal '{' must be escaped"),
    ("*a", "", "nothing to repeat"),
    ("a**", "", "nested quantifier"),
    ("^*", "", "zero-width assertion"),
    (r"\b+", "", "zero-width assertion"),
    ("(?i)*", "", "zero-width assertion"),
    ("(a", "", "missing ')'"),
    ("a)", "", "unbalanced ')'"),
    ("[a", "", "missing ']'"),
    ("a\\", "", "lone backslash"),
    ("(?<1a>x)", "", "group name"),
    ("(?<a>x)(?<a>y)", "", "used twice"),
    ("ß", "i", "folds to 'ss'"),
    ("(?i)ﬁ", "", "folds to 'fi'"),
    ("a", "c", "invalid regular expression option 'c'"),
    ("a", "x", "invalid regular expression option 'x'"),
    ("a", "g", 'does not support the "global" option'),
]


@pytest.mark.parametrize(("pattern", "flags", "fragment"), REFUSED_PATTERNS)
def test_refused_pattern(pattern: str, flags: str, fragment: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        translate_pattern(pattern, flags)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("pattern", "nullable", "nonempty"),
    [
        ("a", False, True),
        ("a*", True, True),
        ("a?b", False, True),
        ("^", True, False),
        (r"\b", True, False),
        ("a{0}", True, False),
        ("a|", True, True),
        ("(?:a|b)+", False, True),
        ("", True, False),
    ],
)
def test_empty_matches(pattern: str, nullable: bool, nonempty: bool) -> None:
    translated = translate_pattern(pattern)
    assert (translated.nullable, translated.nonempty) == (nullable, nonempty)


@pytest.mark.parametrize(
    ("pattern", "flags", "checks"),
    [
        ("a", "", 0),
        (r"\bword\b", "", 1),
        ("a", "i", 1),
        ("(?i)a", "", 1),
        ("(?m)^a", "", 1),
        ("(?s:.)", "", 1),
        (r"(?i)\b", "", 2),
    ],
)
def test_run_time_checks(pattern: str, flags: str, checks: int) -> None:
    assert len(translate_pattern(pattern, flags).checks) == checks


# --- replacement strings: ICU text -> RE2 rewrite ----------------------------------------

REPLACEMENTS = [
    ("(a)(b)", "$2$1", r"\2\1"),
    ("a", "[$0]", r"[\0]"),
    ("a", "a & b", "a & b"),
    ("a", r"a\\b", r"a\\b"),  # \\ is one literal backslash; RE2 needs it doubled
    ("(a)", r"\$$1", r"$\1"),
    ("(?<x>a)(?<y>b)", "${y}-${x}", r"\2-\1"),
    ("(a)", "$12", r"\12"),  # one group: ICU reads $1 then the digit 2
    ("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "$10", None),  # ICU: group 10; RE2 stops at 9
]


@pytest.mark.parametrize(("pattern", "replacement", "rewrite"), REPLACEMENTS)
def test_replacement(pattern: str, replacement: str, rewrite: str | None) -> None:
    parts = translate_replacement(replacement, translate_pattern(pattern))
    if rewrite is None:
        with pytest.raises(UnsupportedError, match="groups 0 to 9"):
            re2_rewrite(parts)
    else:
        assert re2_rewrite(parts) == rewrite


@pytest.mark.parametrize(
    ("pattern", "replacement", "fragment"),
    [
        ("(a)", r"\1", r"\1 is ambiguous"),
        ("a", r"\&", r"\& is ambiguous"),
        ("a", r"x\n", r"\n is ambiguous"),
        ("a", "x\\", "a trailing"),
        ("a", "$", "a $ must be followed"),
        ("a", "$x", "a $ must be followed"),
        ("a", "$1", "has 0"),
        ("(a)", "${nope}", "no group named 'nope'"),
    ],
)
def test_refused_replacement(pattern: str, replacement: str, fragment: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        translate_replacement(replacement, translate_pattern(pattern))
    assert fragment in str(info.value)


# --- the SQL rewrites ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def translate() -> Any:
    translator = Translator(load_registry())
    return lambda sql: translator.translate(sql).duckdb_sql


def projection(sql: str) -> str:
    """The one projection of ``SELECT <x> AS "name" FROM <the table>``."""
    head, _, tail = sql.partition(" AS ")
    assert head.startswith("SELECT ")
    assert tail.endswith(f'FROM "aws"."sagemaker_inference_experiment" AS {Q}'), sql
    return sql[len("SELECT ") : sql.rindex(' AS "', 0, sql.rindex(" FROM "))]


def test_run_time_checks_wrap_the_text(translate: Any) -> None:
    sql = projection(translate(f"SELECT regexp_like(name, '\\bx', 'i') FROM {T}"))
    assert sql.startswith(f"REGEXP_MATCHES(DDSQL_REGEX_CHECKED(DDSQL_REGEX_CHECKED({N}, ")
    assert sql.endswith(", '(?is)\\bx')")


def test_output_names(translate: Any) -> None:
    sql = translate(
        "SELECT regexp_like(name, 'a'), regexp_match(name, 'a'), regexp_replace(name, 'a', 'b') "
        f"FROM {T}"
    )
    for name in ("regexp_like", "regexp_match", "regexp_replace"):
        assert f'AS "{name}"' in sql


REFUSED_SQL = [
    ("SELECT name ~ 'a' FROM t", "operator ~ is not supported"),
    ("SELECT name ~* 'a' FROM t", "operator ~* is not supported"),
    ("SELECT name !~ 'a' FROM t", "operator !~ is not supported"),
    ("SELECT name !~* 'a' FROM t", "operator !~* is not supported"),
    ("SELECT name SIMILAR TO 'a%' FROM t", "operator SIMILAR TO is not supported"),
    ("SELECT name NOT SIMILAR TO 'a%' FROM t", "operator SIMILAR TO is not supported"),
    ("SELECT regexp_like(name, name) FROM t", "the pattern must be a string literal"),
    ("SELECT regexp_like(name, 'a', name) FROM t", "the flags must be a string literal"),
    ("SELECT regexp_replace(name, 'a', name) FROM t", "the replacement must be a string literal"),
    ("SELECT regexp_replace(name, 'a', 'b', 2) FROM t", "needs N as well"),
    ("SELECT regexp_replace(name, 'a', 'b', 1 + 1, 1) FROM t", "start must be an integer"),
    ("SELECT regexp_replace(name, 'a', 'b', 0, 1) FROM t", 'parameter "start": 0'),
    ("SELECT regexp_replace(name, 'a', 'b', 1, -1) FROM t", 'parameter "n": -1'),
    ("SELECT regexp_replace(name, 'a', 'b', 1002, 1) FROM t", "above 1001"),
    ("SELECT regexp_replace(name, 'b*', '-', 'g') FROM t", "can match the empty string"),
    ("SELECT regexp_replace(name, 'b*', '-', 1, 0) FROM t", "can match the empty string"),
    ("SELECT regexp_replace(name, '^', '-', 1, 2) FROM t", "can match the empty string"),
    ("SELECT regexp_replace(name, 'a', '$1') FROM t", "refers to a group"),
    ("SELECT regexp_replace(name, 'a', 'b', 's') FROM t", "invalid regular expression option"),
    ("SELECT regexp_match(name) FROM t", "takes (text, pattern [, flags])"),
    ("SELECT regexp_match(name, 'a', 'g') FROM t", '"global" option'),
    ("SELECT regexp_like(5, 'a') FROM t", "needs text"),
    ("SELECT regexp_like(name, '(?<=a)') FROM t", "look-behind"),
    ("SELECT regexp_substr(name, 'a') FROM t", "regexp_substr"),
    ("SELECT regexp_matches(name, 'a') FROM t", "regexp_matches"),
    ("SELECT regexp_split_to_array(name, 'a') FROM t", "regexp_split_to_array"),
    ("SELECT icu_regexp_replace(name, 'a', 'b') FROM t", "icu_regexp_replace"),
]


@pytest.mark.parametrize(("sql", "fragment"), REFUSED_SQL)
def test_refused_sql(translate: Any, sql: str, fragment: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        translate(sql.replace("FROM t", f"FROM {T}"))
    assert fragment in str(info.value)


# --- the run-time checks: exact answers on the inputs RE2 can match, errors elsewhere ------


@pytest.fixture(scope="module")
def con() -> Any:
    with ddsql_lite.connect() as connection:
        yield connection


def text(value: str) -> str:
    """A DDSQL expression for ``value`` (JSON escapes carry control characters)."""
    return f"(CAST('{json.dumps([value])}' AS json) ->> 0)"


LF, CRLF = text("a\nb"), text("a\r\nb")


@dataclass(frozen=True)
class Fails:
    """The query stops with a QueryError holding ``fragment``."""

    fragment: str


RUN_TIME = [
    (f"regexp_like({text('cafe au lait')}, '\\bau\\b')", True),
    (f"regexp_like({text('— au —')}, '\\bau\\b')", True),  # non-ASCII, but not word chars
    (f"regexp_like({text('café au lait')}, '\\bau\\b')", Fails(r"\b and \B")),
    (f"regexp_like({text('café au lait')}, '\\w+')", True),  # \w itself is exact
    (f"regexp_match({text('naïve café')}, '\\w+$')", ["café"]),
    (f"regexp_match({text('x٣y')}, '\\d')", ["٣"]),  # ICU's \d is any decimal digit
    (f"regexp_like({text('STRASSE')}, 'strasse', 'i')", True),
    (f"regexp_like({text('Straße')}, 'strasse', 'i')", Fails("folds to several characters")),
    (f"regexp_like({text('Straße')}, 'strasse')", False),
    (f"regexp_like({LF}, '(?m)^b')", True),
    (f"regexp_like({CRLF}, '(?m)^b')", Fails("line terminators")),
    (f"regexp_like({CRLF}, '^b', 'n')", True),  # n: PostgreSQL's \n-only lines
    (f"regexp_like({CRLF}, 'a.b')", False),
    (f"regexp_like({CRLF}, 'a..b')", True),
    (f"regexp_replace({LF}, '.', 'x', 'g')", "xxx"),
    (f"regexp_replace({LF}, '.', 'x', 'gn')", "x\nx"),
    (f"regexp_match({text('ab')}, 'a|ab')", ["a"]),  # leftmost-first, as ICU
    (f"regexp_replace({text('a-b-c-d')}, '-', '+', 3, 2)", "a-b-c+d"),
    (f"regexp_replace({text('a-b-c-d')}, '-', '+', 99, 0)", "a-b-c-d"),
    (f"regexp_replace({text('')}, '-', '+', 3, 0)", ""),
]


@pytest.mark.parametrize(("expr", "expected"), RUN_TIME)
def test_run_time(con: Any, expr: str, expected: Any) -> None:
    if isinstance(expected, Fails):
        with pytest.raises(QueryError) as info:
            con.sql(f"SELECT {expr}").fetchall()
        assert expected.fragment in str(info.value)
    else:
        assert con.sql(f"SELECT {expr}").fetchall() == [(expected,)]
