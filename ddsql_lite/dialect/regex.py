"""DDSQL regular expressions (ICU flavour) translated to DuckDB's RE2.

Module contract (shared by every rewrite module): ``REWRITES`` are pure node -> node
rewrites applied in order over the whole tree; ``FUNCTIONS`` (sqlglot class -> DDSQL
name) and ``ANONYMOUS`` (lower-case names sqlglot parses as Anonymous) list what this
module makes safe to call.

What the translation guarantees (DDSQL.md, "Regular expressions"):

* Pattern *syntax* is ICU's, read by a small parser (:func:`translate_pattern`) that
  writes the RE2 equivalent and refuses, with an :class:`UnsupportedError` naming the
  construct, everything RE2 cannot express: look-around, back references, possessive
  quantifiers, atomic groups, ``\\G``, ``\\X``, ``\\Z``, the ``x``/``w`` options, set
  operations, POSIX ``[:name:]`` classes and properties RE2 lacks.
* ``\\d``, ``\\s``, ``\\w``, ``\\h``, ``\\v``, ``\\R`` and ``\\p{...}`` keep ICU's Unicode
  meaning (RE2's own ``\\d``/``\\s``/``\\w`` are ASCII-only, and its ``\\v`` is VT).
* Function-level flags and the newline rules follow DDSQL.md and PostgreSQL: without
  ``n``/``m`` the pattern sees one string (``.`` and ``[^...]`` match a newline, ``^``/``$``
  only at its ends); with ``n``/``m`` they stop at ``\\n`` and ``^``/``$`` work per line.
  ``i`` ignores case; ``g`` (replace only) replaces every match. Other flags are refused.
* Matching is leftmost-first, as in ICU and RE2 (PostgreSQL prefers the longest
  alternative; DDSQL documents ICU, so ICU wins there).
* Three ICU behaviours RE2 reproduces only on some inputs are checked at run time, and
  a value outside them stops the query with an error instead of a different answer:
  ``\\b``/``\\B`` (exact unless the text holds non-ASCII word characters or marks),
  case-insensitive matching (exact unless the text holds a character whose full case
  folding is several characters, such as ``ß``), and inline ``(?s)``/``(?m)`` options
  (exact unless the text holds a line terminator other than ``\\n``).
* Replacement strings are ICU's: ``$0``..``$9`` and ``${name}`` insert groups, ``\\$`` and
  ``\\\\`` are a literal dollar and backslash (:func:`translate_replacement`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

from sqlglot import exp

from ..errors import UnsupportedError
from .nodes import Rewrite, call, macro

_META = set("\\.+*?()|[]{}^$")
_SET_META = set("\\]^-[")


def _hex(cp: int) -> str:
    return rf"\x{cp:02X}" if cp <= 0xFF else rf"\x{{{cp:X}}}"


def _invisible(cp: int) -> bool:
    """Controls, separators, format and unassigned characters: written as \\x escapes."""
    return cp != 0x20 and unicodedata.category(chr(cp))[0] in "CZ"


def _char(cp: int) -> str:
    """One literal character outside a class, in RE2 syntax."""
    if _invisible(cp):
        return _hex(cp)
    c = chr(cp)
    return "\\" + c if c in _META else c


def _class_char(cp: int) -> str:
    """One literal character inside a class, in RE2 syntax."""
    if _invisible(cp):
        return _hex(cp)
    c = chr(cp)
    return "\\" + c if c in _SET_META else c


# --- character sets, as RE2 class items ---------------------------------------------------

_MAX_CODE_POINT = 0x10FFFF
# ICU \s is \p{White_Space}.
_WHITE_SPACE = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
# ICU \v (and the characters \R matches one at a time).
_VERTICAL_SPACE = ((0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029))
# ICU \w is [\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]. RE2 has no Alphabetic, but it
# is L + Nl + Other_Alphabetic, whose characters outside M are the circled and squared
# Latin letters (So) listed here.
_WORD = (
    r"\p{L}\p{Nl}\p{M}\p{Nd}\p{Pc}\x{200C}\x{200D}"
    r"\x{24B6}-\x{24E9}\x{1F130}-\x{1F149}\x{1F150}-\x{1F169}\x{1F170}-\x{1F189}"
)
_HORIZONTAL_SPACE = r"\t\p{Zs}"

# Run-time checks for the three input-dependent cases (see the module docstring).
_NON_ASCII_WORD = (
    r"[^\x00-\x7F\P{L}]|[^\x00-\x7F\P{M}]|[^\x00-\x7F\P{N}]|[^\x00-\x7F\P{Pc}]"
    r"|[\x{200C}\x{200D}\x{24B6}-\x{24E9}\x{1F130}-\x{1F189}]"
)
_OTHER_LINE_TERMINATORS = r"[\r\x{0B}\x{0C}\x{85}\x{2028}\x{2029}]"


def _ranges_items(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(
        _class_char(lo) if lo == hi else f"{_class_char(lo)}-{_class_char(hi)}" for lo, hi in ranges
    )


def _complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Every code point outside ``ranges`` (sorted), surrogates left out."""
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= _MAX_CODE_POINT:
        out.append((start, _MAX_CODE_POINT))
    split: list[tuple[int, int]] = []
    for lo, hi in out:  # RE2 works on UTF-8: no surrogate code points
        if lo < 0xD800 <= hi:
            split += [(lo, 0xD7FF)] if lo <= 0xD7FF else []
            split += [(0xE000, hi)] if hi >= 0xE000 else []
        else:
            split.append((lo, hi))
    return tuple(split)


@cache
def _multi_fold_characters() -> str:
    """Characters whose full case folding is several characters (ICU matches ``ß``
    against ``ss``; RE2 folds one character at a time), as an RE2 class."""
    points = [
        cp
        for cp in range(0x80, 0x20000)
        if not 0xD800 <= cp <= 0xDFFF and len(chr(cp).casefold()) > 1
    ]
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "[" + _ranges_items(tuple(ranges)) + "]"


# --- Unicode properties -------------------------------------------------------------------

_CATEGORY_NAMES = {
    "letter": "L",
    "casedletter": "LC",
    "lc": "LC",
    "l&": "LC",
    "uppercaseletter": "Lu",
    "lowercaseletter": "Ll",
    "titlecaseletter": "Lt",
    "modifierletter": "Lm",
    "otherletter": "Lo",
    "mark": "M",
    "combiningmark": "M",
    "nonspacingmark": "Mn",
    "spacingmark": "Mc",
    "enclosingmark": "Me",
    "number": "N",
    "decimalnumber": "Nd",
    "digit": "Nd",
    "letternumber": "Nl",
    "othernumber": "No",
    "punctuation": "P",
    "connectorpunctuation": "Pc",
    "dashpunctuation": "Pd",
    "openpunctuation": "Ps",
    "closepunctuation": "Pe",
    "initialpunctuation": "Pi",
    "finalpunctuation": "Pf",
    "otherpunctuation": "Po",
    "symbol": "S",
    "mathsymbol": "Sm",
    "currencysymbol": "Sc",
    "modifiersymbol": "Sk",
    "othersymbol": "So",
    "separator": "Z",
    "spaceseparator": "Zs",
    "lineseparator": "Zl",
    "paragraphseparator": "Zp",
    "control": "Cc",
    "cntrl": "Cc",
    "format": "Cf",
    "privateuse": "Co",
    "surrogate": "Cs",
}
_CATEGORIES = {
    *("L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No"),
    *("P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So"),
    *("Z", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"),
}
# Scripts RE2 knows (each checked against DuckDB's RE2), by their Unicode long names.
_SCRIPT_NAMES = """Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum
Bassa_Vah Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid
Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common
Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra
Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha
Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew
Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese
Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki
Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar
Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui
Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean
Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki
Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian
Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene
Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada
Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri
Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana
Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi
Zanabazar_Square"""
_SCRIPTS = _SCRIPT_NAMES.split()


def _loose(name: str) -> str:
    """ICU's loose property-name matching: case, spaces, '-' and '_' do not count."""
    return "".join(c for c in name.lower() if c not in " -_")


_SCRIPT_BY_LOOSE = {_loose(s): s for s in _SCRIPTS}
_CATEGORY_BY_LOOSE = {_loose(c): c for c in _CATEGORIES} | {
    _loose(k): v for k, v in _CATEGORY_NAMES.items()
}


def _property_items(name: str) -> str:
    """The RE2 class items for ICU's ``\\p{name}`` (not negated)."""
    key, _, value = name.partition("=")
    if value:
        kind, wanted = _loose(key), _loose(value)
        if kind in ("gc", "generalcategory") and wanted in _CATEGORY_BY_LOOSE:
            return _category_items(_CATEGORY_BY_LOOSE[wanted])
        if kind in ("sc", "script") and wanted in _SCRIPT_BY_LOOSE:
            return rf"\p{{{_SCRIPT_BY_LOOSE[wanted]}}}"
        raise UnsupportedError(f"regular expression property \\p{{{name}}} is not supported")
    loose = _loose(name)
    if loose in _CATEGORY_BY_LOOSE:
        return _category_items(_CATEGORY_BY_LOOSE[loose])
    if loose in _SCRIPT_BY_LOOSE:
        return rf"\p{{{_SCRIPT_BY_LOOSE[loose]}}}"
    if loose == "any":
        return r"\p{Any}"
    if loose == "ascii":
        return r"\x00-\x7F"
    if loose in ("whitespace", "space"):
        return _ranges_items(_WHITE_SPACE)
    raise UnsupportedError(
        f"regular expression property \\p{{{name}}} is not supported (RE2 knows general "
        "categories such as \\p{L} and scripts such as \\p{Greek})"
    )


def _category_items(category: str) -> str:
    if category == "LC":
        return r"\p{Lu}\p{Ll}\p{Lt}"
    return rf"\p{{{category}}}"


# --- the pattern translator ---------------------------------------------------------------


@dataclass(frozen=True)
class Flags:
    """Function-level flags: ``i`` ignore case, ``n``/``m`` newline-sensitive, ``g`` all."""

    ignore_case: bool = False
    newline: bool = False
    glob: bool = False


def parse_flags(text: str, function: str) -> Flags:
    """The flags string of ``function``; unknown flags (and ``g`` outside
    ``regexp_replace``) are refused."""
    ignore_case = newline = glob = False
    for flag in text:
        if flag == "i":
            ignore_case = True
        elif flag in "nm":
            newline = True
        elif flag == "g" and function == "regexp_replace":
            glob = True
        elif flag == "g":
            raise UnsupportedError(f'{function}() does not support the "global" option (g)')
        else:
            raise UnsupportedError(
                f"invalid regular expression option {flag!r} in {function}(); DDSQL "
                "supports i (ignore case), n or m (newline-sensitive) and g (replace all)"
            )
    return Flags(ignore_case, newline, glob)


@dataclass(frozen=True)
class Pattern:
    """An ICU pattern translated for RE2.

    ``body`` is the pattern without the leading function-level options, ``options`` those
    options (``(?s)``, ``(?m)``, with ``i`` when asked); :attr:`re2` is the two together.
    ``groups`` counts capturing groups and ``names`` maps group names to their numbers.
    ``nullable``: some match can be empty; ``nonempty``: some match can hold text.
    ``checks``: the run-time input checks the pattern needs, as (RE2 class, message).
    """

    body: str
    options: str
    groups: int
    names: dict[str, int] = field(default_factory=dict)
    nullable: bool = False
    nonempty: bool = True
    checks: tuple[tuple[str, str], ...] = ()

    @property
    def re2(self) -> str:
        return self.options + self.body


@dataclass
class _Piece:
    re2: str
    nullable: bool
    nonempty: bool
    assertion: bool = False  # a bare zero-width test: ICU refuses quantifiers on it


@dataclass
class _Scope:
    ignore_case: bool


class _PatternParser:
    """Recursive descent over one ICU pattern, writing RE2 as it goes."""

    def __init__(self, pattern: str, flags: Flags) -> None:
        self.text = pattern
        self.pos = 0
        self.flags = flags
        self.scopes = [_Scope(flags.ignore_case)]
        self.groups = 0
        self.names: dict[str, int] = {}
        self.word_boundaries = False
        self.ignores_case = flags.ignore_case
        self.inline_lines = False

    # -- helpers -----------------------------------------------------------------------

    def error(self, what: str) -> UnsupportedError:
        return UnsupportedError(f"regular expression {self.text!r}: {what}")

    def peek(self, offset: int = 0) -> str:
        at = self.pos + offset
        return self.text[at] if at < len(self.text) else ""

    def take(self) -> str:
        c = self.peek()
        self.pos += 1
        return c

    def literal(self, cp: int) -> _Piece:
        if self.scopes[-1].ignore_case and len(chr(cp).casefold()) > 1:
            raise self.error(
                f"{chr(cp)!r} folds to {chr(cp).casefold()!r} when case is ignored; ICU "
                "compares such characters by their full case folding, which RE2 cannot"
            )
        return _Piece(_char(cp), False, True)

    # -- grammar -----------------------------------------------------------------------

    def parse(self) -> Pattern:
        piece = self.alternation()
        if self.pos < len(self.text):  # only an unbalanced ')' stops the top level
            raise self.error(f"unbalanced ')' at position {self.pos + 1}")
        options = "(?m)" if self.flags.newline else "(?s)"
        if self.flags.ignore_case:
            options = options.replace("(?", "(?i")
        checks: list[tuple[str, str]] = []
        if self.word_boundaries:
            checks.append(
                (
                    _NON_ASCII_WORD,
                    r"\b and \B follow ICU's Unicode word rules, which RE2 matches only on "
                    "text without non-ASCII letters, digits or marks",
                )
            )
        if self.ignores_case:
            checks.append(
                (
                    _multi_fold_characters(),
                    "case-insensitive matching of text holding a character that folds to "
                    "several characters (such as ß) differs between ICU and RE2",
                )
            )
        if self.inline_lines:
            checks.append(
                (
                    _OTHER_LINE_TERMINATORS,
                    "the (?s) and (?m) options follow ICU's line terminators; RE2 knows "
                    "only \\n, so text holding \\r, \\v, \\f, U+0085, U+2028 or U+2029 "
                    "is not supported with them",
                )
            )
        return Pattern(
            piece.re2,
            options,
            self.groups,
            dict(self.names),
            piece.nullable,
            piece.nonempty,
            tuple(checks),
        )

    def alternation(self) -> _Piece:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        return _Piece(
            "|".join(b.re2 for b in branches),
            any(b.nullable for b in branches),
            any(b.nonempty for b in branches),
        )

    def sequence(self) -> _Piece:
        parts: list[_Piece] = []
        while self.pos < len(self.text) and self.peek() not in "|)":
            parts.extend(self.quantified())
        if len(parts) == 1:
            return parts[0]
        return _Piece(
            "".join(p.re2 for p in parts),
            all(p.nullable for p in parts),
            any(p.nonempty for p in parts),
        )

    def quantified(self) -> list[_Piece]:
        """One atom with its quantifier (an atom may expand to several pieces, as
        ``\\Q..\\E`` does; a quantifier applies to the last one)."""
        pieces = self.atom()
        if not self.peek() or self.peek() not in "*+?{":
            return pieces
        if self.peek() == "{" and not self.interval_ahead():
            raise self.error("a literal '{' must be escaped as \\{")
        if not pieces:
            raise self.error(f"quantifier {self.peek()!r} has nothing to repeat")
        last = pieces[-1]
        if last.assertion:
            raise self.error("a quantifier cannot follow a zero-width assertion")
        low, quantifier = self.quantifier()
        if self.peek() == "+":
            raise self.error(f"possessive quantifier {quantifier}+ is not supported by RE2")
        if self.peek() == "?":
            self.pos += 1
            quantifier += "?"
        if self.peek() and (self.peek() in "*+?" or self.interval_ahead()):
            raise self.error(f"nested quantifier after {quantifier!r}")
        high_is_zero = quantifier.startswith(("{0}", "{0,0}"))
        pieces[-1] = _Piece(
            last.re2 + quantifier,
            last.nullable or low == 0,
            last.nonempty and not high_is_zero,
        )
        return pieces

    def interval_ahead(self) -> bool:
        """True when ``{`` starts ``{n}``, ``{n,}`` or ``{n,m}``."""
        if self.peek() != "{":
            return False
        end = self.text.find("}", self.pos)
        if end < 0:
            return False
        body = self.text[self.pos + 1 : end]
        low, _, high = body.partition(",")
        return low.isdigit() and low.isascii() and (not high or (high.isdigit() and high.isascii()))

    def quantifier(self) -> tuple[int, str]:
        c = self.take()
        if c in "*?":
            return 0, c
        if c == "+":
            return 1, c
        end = self.text.index("}", self.pos)
        body = self.text[self.pos : end]
        self.pos = end + 1
        low_text, _, high_text = body.partition(",")
        low = int(low_text)
        high = int(high_text) if high_text else None
        if high is not None and high < low:
            raise self.error(f"bad interval {{{body}}}: the maximum is below the minimum")
        if low > 1000 or (high or 0) > 1000:
            raise self.error(f"repetition {{{body}}} is above RE2's limit of 1000")
        return low, f"{{{body}}}"

    def atom(self) -> list[_Piece]:
        c = self.take()
        if c == "(":
            return self.group()
        if c == "[":
            return [_Piece(self.char_class(), False, True)]
        if c == ".":
            return [_Piece(".", False, True)]
        if c in "^$":
            return [_Piece(c, True, False, assertion=True)]
        if c == "\\":
            return self.escape()
        if c in "*+?":
            raise self.error(f"quantifier {c!r} has nothing to repeat")
        if c == "{":
            raise self.error("a literal '{' must be escaped as \\{")
        return [self.literal(ord(c))]

    def group(self) -> list[_Piece]:
        if self.peek() != "?":
            self.groups += 1
            return [self.group_body("(")]
        self.pos += 1
        c = self.take()
        if c == ":":
            return [self.group_body("(?:")]
        if c == "#":
            end = self.text.find(")", self.pos)
            if end < 0:
                raise self.error("unterminated (?# comment")
            self.pos = end + 1
            return []
        if c in "=!":
            raise self.error(f"look-ahead (?{c}...) is not supported by RE2")
        if c == ">":
            raise self.error("atomic group (?>...) is not supported by RE2")
        if c == "<" and self.peek() in "=!":
            raise self.error(f"look-behind (?<{self.peek()}...) is not supported by RE2")
        if c == "<":
            end = self.text.find(">", self.pos)
            name = self.text[self.pos : end] if end >= 0 else ""
            if not (
                name[:1].isascii() and name[:1].isalpha() and name.isascii() and name.isalnum()
            ):
                raise self.error("a group name is ASCII letters and digits, as in (?<name>...)")
            if name in self.names:
                raise self.error(f"group name {name!r} is used twice")
            self.pos = end + 1
            self.groups += 1
            self.names[name] = self.groups
            return [self.group_body(f"(?P<{name}>")]
        self.pos -= 1
        return self.option_group()

    def option_group(self) -> list[_Piece]:
        """``(?ism-ism)`` or ``(?ism-ism:...)``: i, s, m as in RE2; x and w refused."""
        start = self.pos
        while self.peek() and self.peek() in "ismwx-":
            self.pos += 1
        spec, end = self.text[start : self.pos], self.take()
        if end not in ":)" or not spec or spec.count("-") > 1:
            raise self.error(f"unknown group syntax (?{spec}{end}")
        on, _, off = spec.partition("-")
        for letter in "xw":
            if letter in spec:
                what = "comments mode" if letter == "x" else "Unicode word boundaries"
                raise self.error(f"option {letter} ({what}) is not supported")
        if "s" in spec or "m" in spec:
            self.inline_lines = True
        ignore_case = self.scopes[-1].ignore_case
        if "i" in on:
            ignore_case = self.ignores_case = True
        if "i" in off:
            ignore_case = False
        re2_spec = on + (f"-{off}" if off else "")
        if end == ")":
            self.scopes[-1].ignore_case = ignore_case
            return [_Piece(f"(?{re2_spec})", True, False, assertion=True)]
        self.scopes.append(_Scope(ignore_case))
        try:
            return [self.group_body(f"(?{re2_spec}:", scoped=False)]
        finally:
            self.scopes.pop()

    def group_body(self, opening: str, scoped: bool = True) -> _Piece:
        if scoped:
            self.scopes.append(_Scope(self.scopes[-1].ignore_case))
        try:
            inner = self.alternation()
        finally:
            if scoped:
                self.scopes.pop()
        if self.take() != ")":
            raise self.error("missing ')'")
        return _Piece(f"{opening}{inner.re2})", inner.nullable, inner.nonempty)

    # -- escapes -----------------------------------------------------------------------

    def escape(self) -> list[_Piece]:
        c = self.take()
        if not c:
            raise self.error("it ends with a lone backslash")
        if c == "Q":
            end = self.text.find("\\E", self.pos)
            end = len(self.text) if end < 0 else end
            quoted = self.text[self.pos : end]
            self.pos = min(end + 2, len(self.text))
            return [self.literal(ord(q)) for q in quoted]
        if c in "bB":
            self.word_boundaries = True
            return [_Piece("\\" + c, True, False, assertion=True)]
        if c in "Az":
            return [_Piece("\\" + c, True, False, assertion=True)]
        if c == "R":
            newline = _ranges_items(_VERTICAL_SPACE)
            return [_Piece(rf"(?:\r\n|[{newline}])", False, True)]
        if c == "X":
            raise self.error("\\X (grapheme cluster) is not supported by RE2")
        if c == "G":
            raise self.error("\\G (end of the previous match) is not supported by RE2")
        if c == "Z":
            raise self.error("\\Z (before a final line terminator) is not supported; use $ or \\z")
        if c == "k":
            raise self.error("back reference \\k<name> is not supported by RE2")
        if c in "123456789":
            raise self.error(f"back reference \\{c} is not supported by RE2")
        shorthand = self.shorthand(c, in_class=False)
        if shorthand is not None:
            return [_Piece(shorthand, False, True)]
        return [self.literal(self.escaped_char(c))]

    def shorthand(self, c: str, in_class: bool) -> str | None:
        """A class escape (\\d \\s \\w \\h \\v \\p{} and their negations): a whole RE2
        class outside sets, class items inside one; None for any other escape."""
        if c in "dD":
            return r"\p{Nd}" if c == "d" else r"\P{Nd}"
        if c in "pP":
            items = _property_items(self.property_name())
            single = items.startswith(r"\p{") and items.count("\\") == 1
            if c == "p":
                return items if in_class or single else f"[{items}]"
            if single:
                return items.replace(r"\p{", r"\P{")
            if in_class:
                raise self.error(f"\\P{{...}} of {items!r} cannot be used inside a set")
            return f"[^{items}]"
        table: dict[str, tuple[str, tuple[tuple[int, int], ...] | None]] = {
            "s": (_ranges_items(_WHITE_SPACE), _WHITE_SPACE),
            "v": (_ranges_items(_VERTICAL_SPACE), _VERTICAL_SPACE),
            "w": (_WORD, None),
            "h": (_HORIZONTAL_SPACE, None),
        }
        if c in table:
            items = table[c][0]
            return items if in_class else f"[{items}]"
        if c.lower() not in table:
            return None
        items, ranges = table[c.lower()]
        if not in_class:
            return f"[^{items}]"
        if ranges is None:  # a complement RE2 cannot write as class items
            raise self.error(f"\\{c} cannot be used inside a set")
        return _ranges_items(_complement(ranges))

    def property_name(self) -> str:
        if self.peek() == "{":
            end = self.text.find("}", self.pos)
            if end < 0:
                raise self.error("unterminated \\p{...}")
            name = self.text[self.pos + 1 : end]
            self.pos = end + 1
        else:
            name = self.take()
        if not name or name.startswith("^"):
            raise self.error("\\p needs a property name, as in \\p{L}")
        loose = _loose(name)
        if loose in ("c", "other", "cn", "unassigned", "gc=c", "gc=cn"):
            raise self.error(f"\\p{{{name}}} (unassigned code points) is not supported by RE2")
        return name

    def escaped_char(self, c: str) -> int:
        """The code point of a character escape (``\\n``, ``\\x{..}``, ``\\.``...)."""
        simple = {"a": 0x07, "e": 0x1B, "f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09}
        if c in simple:
            return simple[c]
        if c == "x":
            if self.peek() == "{":
                end = self.text.find("}", self.pos)
                digits = self.text[self.pos + 1 : end] if end >= 0 else ""
                self.pos = end + 1
                return self.code_point(digits, 1, 6, "\\x{...}")
            digits = self.text[self.pos : self.pos + 2]
            self.pos += 2
            return self.code_point(digits, 2, 2, "\\xhh")
        if c in "uU":
            count = 4 if c == "u" else 8
            digits = self.text[self.pos : self.pos + count]
            self.pos += count
            return self.code_point(digits, count, count, f"\\{c}")
        if c == "N":
            end = self.text.find("}", self.pos)
            if self.peek() != "{" or end < 0:
                raise self.error("\\N needs a character name, as in \\N{LATIN SMALL LETTER A}")
            name = self.text[self.pos + 1 : end]
            self.pos = end + 1
            try:
                return ord(unicodedata.lookup(name))
            except KeyError:
                raise self.error(f"unknown character name \\N{{{name}}}") from None
        if c == "c":
            letter = self.take()
            if not ("A" <= letter <= "Z"):
                raise self.error("\\c takes an upper-case letter A-Z")
            return ord(letter) - 0x40
        if c == "0":
            digits = ""
            while len(digits) < 3 and self.peek() and self.peek() in "01234567":
                digits += self.take()
            if not digits or int(digits, 8) > 0o377:
                raise self.error("\\0 takes one to three octal digits up to \\0377")
            return int(digits, 8)
        if c.isascii() and c.isalnum():
            hint = {"y": "\\b", "Y": "\\B", "m": "\\b", "M": "\\b"}.get(c)
            extra = f" (PostgreSQL's \\{c} is written {hint} in ICU)" if hint else ""
            raise self.error(f"unknown escape \\{c}{extra}")
        return ord(c)  # an escaped punctuation or non-ASCII character is itself

    def code_point(self, digits: str, fewest: int, most: int, what: str) -> int:
        if not (fewest <= len(digits) <= most) or any(
            d not in "0123456789abcdefABCDEF" for d in digits
        ):
            raise self.error(f"bad hexadecimal escape {what}")
        value = int(digits, 16)
        if value > _MAX_CODE_POINT or 0xD800 <= value <= 0xDFFF:
            raise self.error(f"{what} value {digits} is not a Unicode scalar value")
        return value

    # -- sets --------------------------------------------------------------------------

    def char_class(self) -> str:
        """``[...]`` after its ``[``: plain ICU sets (characters, ranges, escapes);
        nested sets, ``&&``, ``--`` and ``[:name:]`` are refused."""
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        items: list[str] = []
        first = True
        while True:
            c = self.take()
            if not c:
                raise self.error("missing ']'")
            if c == "]" and not first:
                break
            if c == "]":
                raise self.error("escape a ']' at the start of a set as \\]")
            first = False
            if c == "[":
                what = "POSIX class [:name:]" if self.peek() == ":" else "nested set"
                raise self.error(f"{what} inside a set is not supported; use \\p{{...}}")
            if c in "&-" and self.peek() == c:
                if c == "-" and self.peek(1) == "]":
                    pass
                else:
                    raise self.error(f"set operation {c}{c} is not supported by RE2")
            if c == "\\":
                e = self.take()
                if not e:
                    raise self.error("missing ']'")
                shorthand = self.shorthand(e, in_class=True) if e != "b" else None
                if shorthand is not None:
                    items.append(shorthand)
                    continue
                if e == "Q" or e in "123456789" or e in "kRXGZABz":
                    raise self.error(f"\\{e} is not supported inside a set")
                low = 0x08 if e == "b" else self.escaped_char(e)
            else:
                low = ord(c)
            if self.peek() == "-" and self.peek(1) == "-":
                raise self.error("set operation -- is not supported by RE2")
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                high = self.range_end()
                if high < low:
                    raise self.error(f"bad range {chr(low)}-{chr(high)} in a set")
                items.append(f"{_class_char(low)}-{_class_char(high)}")
            else:
                items.append(_class_char(low))
        if negated and self.flags.newline:
            items.append(r"\n")  # PostgreSQL: [^...] never matches a newline with n/m
        return f"[{'^' if negated else ''}{''.join(items)}]"

    def range_end(self) -> int:
        c = self.take()
        if c == "\\":
            e = self.take()
            if e in "dDsSwWhHvVpP" or not e:
                raise self.error("a range cannot end with a class escape")
            return 0x08 if e == "b" else self.escaped_char(e)
        if c == "[":
            raise self.error("nested set inside a set is not supported; use \\p{...}")
        return ord(c)


def translate_pattern(
    pattern: str, flags: str | Flags = "", function: str = "regexp_like"
) -> Pattern:
    """Translate the ICU ``pattern`` with function-level ``flags`` into RE2.

    Raises :class:`UnsupportedError` naming the first construct RE2 cannot express.
    """
    parsed_flags = parse_flags(flags, function) if isinstance(flags, str) else flags
    return _PatternParser(pattern, parsed_flags).parse()


# --- replacement strings ------------------------------------------------------------------


def translate_replacement(text: str, pattern: Pattern) -> tuple[str | int, ...]:
    """ICU replacement text as literal strings and group numbers (0: the whole match).

    ``$n`` takes as many digits as the group count has (ICU's rule), ``${name}`` names a
    group, ``\\$`` and ``\\\\`` are literal. Anything ICU and PostgreSQL would read
    differently (``\\1``, ``\\&``, ``\\n``...) or ICU refuses (a lone ``$``, a group the
    pattern does not have) is refused.
    """
    parts: list[str | int] = []
    literal = ""
    digits_allowed = len(str(pattern.groups)) if pattern.groups else 1
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt in ("\\", "$"):
                literal += nxt
                i += 2
                continue
            shown = "\\" + nxt if nxt else "a trailing \\"
            raise UnsupportedError(
                f"replacement {text!r}: {shown} is ambiguous (PostgreSQL and ICU read it "
                "differently); refer to groups as $1, and write \\\\ for a backslash and "
                "\\$ for a dollar sign"
            )
        if c != "$":
            literal += c
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "{":
            end = text.find("}", i)
            name = text[i + 2 : end] if end >= 0 else ""
            if name not in pattern.names:
                raise UnsupportedError(
                    f"replacement {text!r}: the pattern has no group named {name!r}"
                )
            number, i = pattern.names[name], end + 1
        elif nxt.isascii() and nxt.isdigit():
            j = i + 1
            while (
                j < len(text)
                and j - i - 1 < digits_allowed
                and text[j].isascii()
                and text[j].isdigit()
            ):
                j += 1
            number, i = int(text[i + 1 : j]), j
            if number > pattern.groups:
                raise UnsupportedError(
                    f"replacement {text!r}: ${number} refers to a group the pattern does not "
                    f"have (it has {pattern.groups})"
                )
        else:
            raise UnsupportedError(
                f"replacement {text!r}: a $ must be followed by a group number or {{name}}; "
                "write \\$ for a dollar sign"
            )
        if literal:
            parts.append(literal)
            literal = ""
        parts.append(number)
    if literal:
        parts.append(literal)
    return tuple(parts)


def re2_rewrite(parts: tuple[str | int, ...], shift: int = 0) -> str:
    """The replacement as an RE2 rewrite string (``\\1``; a backslash doubled)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            number = part + shift if part else 0
            if number > 9:
                raise UnsupportedError(
                    f"a replacement can refer to groups 0 to 9 only (got ${part})"
                )
            out += f"\\{number}"
        else:
            out += part.replace("\\", "\\\\")
    return out


# --- the SQL rewrites ---------------------------------------------------------------------

CHECK_MACRO = macro(
    "ddsql_regex_checked",
    "(s, bad, message) AS CASE WHEN regexp_matches(s, bad) THEN error(message) ELSE s END",
)
_TEXT_TYPES = (
    exp.DType.VARCHAR,
    exp.DType.TEXT,
    exp.DType.CHAR,
    exp.DType.NCHAR,
    exp.DType.NVARCHAR,
)


def _string_literal(node: exp.Expr | None, what: str, function: str) -> str | None:
    """The text of a string literal argument; None for a NULL literal."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Null):
        return None
    if (
        isinstance(node, exp.Cast)
        and isinstance(node.this, (exp.Literal, exp.Null))
        and node.to.this in _TEXT_TYPES
    ):
        return _string_literal(node.this, what, function)
    if isinstance(node, exp.Literal) and node.is_string:
        return str(node.this)
    shown = node.sql("postgres") if node is not None else "nothing"
    raise UnsupportedError(f"{function}(): the {what} must be a string literal, not {shown}")


def _int_literal(node: exp.Expr | None, what: str, function: str) -> int | None:
    """The value of an integer literal argument (``-1`` included); None for NULL."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Null):
        return None
    negative = isinstance(node, exp.Neg)
    inner = node.this if isinstance(node, exp.Neg) else node
    if isinstance(inner, exp.Literal) and not inner.is_string and str(inner.this).isdigit():
        return -int(inner.this) if negative else int(inner.this)
    shown = node.sql("postgres") if node is not None else "nothing"
    raise UnsupportedError(f"{function}(): {what} must be an integer literal, not {shown}")


def _check_subject(subject: exp.Expr, function: str) -> None:
    if subject.type is not None and not subject.type.is_type(
        *_TEXT_TYPES, exp.DType.UNKNOWN, exp.DType.NULL
    ):
        raise UnsupportedError(
            f"{function}() needs text; {subject.sql('postgres')} is "
            f"{subject.type.sql('postgres')} (cast it with ::varchar)"
        )


def _guarded(subject: exp.Expr, pattern: Pattern) -> exp.Expr:
    for bad, message in pattern.checks:
        subject = call(CHECK_MACRO, subject, exp.Literal.string(bad), exp.Literal.string(message))
    return subject


def _typed_null(kind: str) -> exp.Expr:
    return exp.cast(exp.null(), kind)


def _regexp_like(node: exp.RegexpLike) -> exp.Expr:
    function = "regexp_like"
    subject = node.this.transform(rewrite_regex)
    pattern_text = _string_literal(node.expression, "pattern", function)
    flags = (
        _string_literal(node.args.get("flag"), "flags", function) if node.args.get("flag") else ""
    )
    if pattern_text is None or flags is None:
        return _typed_null("BOOLEAN")
    _check_subject(subject, function)
    pattern = translate_pattern(pattern_text, flags, function)
    return call("regexp_matches", _guarded(subject, pattern), exp.Literal.string(pattern.re2))


def _regexp_match(node: exp.Anonymous) -> exp.Expr:
    function = "regexp_match"
    args = node.expressions
    if len(args) not in (2, 3):
        raise UnsupportedError(
            f"{function}() takes (text, pattern [, flags]), got {len(args)} arguments"
        )
    subject = args[0].transform(rewrite_regex)
    pattern_text = _string_literal(args[1], "pattern", function)
    flags = _string_literal(args[2], "flags", function) if len(args) == 3 else ""
    if pattern_text is None or flags is None:
        return _typed_null("VARCHAR[]")
    _check_subject(subject, function)
    pattern = translate_pattern(pattern_text, flags, function)
    guarded = _guarded(subject, pattern)
    found = call("regexp_matches", guarded, exp.Literal.string(pattern.re2))
    if pattern.groups == 0:
        values: list[exp.Expr] = [
            call("regexp_extract", guarded.copy(), exp.Literal.string(pattern.re2))
        ]
    else:
        # The first match only: anchored at the start, with the shortest lead-in. A group
        # that took no part in the match is NULL in regexp_extract_all (not '').
        first = pattern.options + r"\A(?s:.*?)(?:" + pattern.body + ")"
        values = [
            exp.Bracket(
                this=call(
                    "regexp_extract_all",
                    guarded.copy(),
                    exp.Literal.string(first),
                    exp.Literal.number(group),
                ),
                expressions=[exp.Literal.number(1)],
                offset=1,  # the index is written 1-based already
            )
            for group in range(1, pattern.groups + 1)
        ]
    return exp.Case(ifs=[exp.If(this=found, true=exp.Array(expressions=values))])


def _regexp_replace(node: exp.RegexpReplace) -> exp.Expr:
    function = "regexp_replace"
    subject = node.this.transform(rewrite_regex)
    position, occurrence = node.args.get("position"), node.args.get("occurrence")
    if position is not None and occurrence is None:
        if isinstance(position, exp.Null):  # regexp_replace(s, p, r, NULL): NULL flags
            return _typed_null("VARCHAR")
        raise UnsupportedError(
            f"{function}(text, pattern, replacement, start) needs N as well: "
            "regexp_replace(text, pattern, replacement, start, N [, flags])"
        )
    pattern_text = _string_literal(node.expression, "pattern", function)
    replacement = _string_literal(node.args.get("replacement"), "replacement", function)
    modifiers = node.args.get("modifiers")
    flag_text = _string_literal(modifiers, "flags", function) if modifiers is not None else ""
    start = _int_literal(position, "start", function) if position is not None else 1
    nth = _int_literal(occurrence, "N", function) if occurrence is not None else None
    if start is not None and start < 1:
        raise UnsupportedError(f'{function}(): invalid value for parameter "start": {start}')
    if nth is not None and nth < 0:
        raise UnsupportedError(f'{function}(): invalid value for parameter "n": {nth}')
    flags = parse_flags(flag_text or "", function) if flag_text is not None else Flags()
    if None in (pattern_text, replacement, flag_text, start) or (
        occurrence is not None and nth is None
    ):
        return _typed_null("VARCHAR")
    assert pattern_text is not None and replacement is not None and start is not None
    _check_subject(subject, function)
    pattern = translate_pattern(pattern_text, flags, function)
    parts = translate_replacement(replacement, pattern)
    if nth is None:
        nth = 0 if flags.glob else 1
    guarded = _guarded(subject, pattern)
    if start == 1 and nth == 1:
        return call(
            "regexp_replace",
            guarded,
            exp.Literal.string(pattern.re2),
            exp.Literal.string(re2_rewrite(parts)),
        )
    # RE2 and ICU/PostgreSQL step differently past an empty match right after a
    # non-empty one: a pattern that can match both cannot be replaced repeatedly.
    if start == 1 and nth == 0 and not (pattern.nullable and pattern.nonempty):
        return call(
            "regexp_replace",
            guarded,
            exp.Literal.string(pattern.re2),
            exp.Literal.string(re2_rewrite(parts)),
            exp.Literal.string("g"),
        )
    if pattern.nullable:
        raise UnsupportedError(
            f"{function}() with the g flag, a start position or N: the pattern "
            f"{pattern_text!r} can match the empty string, and RE2 steps over empty matches "
            "differently from ICU and PostgreSQL; make the pattern match at least one character"
        )
    return _splice(guarded, pattern, parts, start, nth)


def _splice(
    subject: exp.Expr, pattern: Pattern, parts: tuple[str | int, ...], start: int, nth: int
) -> exp.Expr:
    """Replace the ``nth`` match (every match when 0) found from character ``start``.

    One RE2 pattern walks the whole text in pieces: the first ``start - 1`` characters,
    then each match with the text before it, then the rest. regexp_extract_all lists
    every group of every piece; the pieces are joined back with the chosen match
    replaced. The pattern cannot match the empty string, so every piece has text and
    the walk is exactly ICU's and PostgreSQL's.
    """
    skip = start - 1
    if skip > 1000:
        raise UnsupportedError("regexp_replace(): a start position above 1001 is not supported")
    lead = rf"\A(?s:(.{{0,{skip}}}))|" if skip else ""
    offset = 1 if skip else 0  # group 1 holds the skipped characters
    gap_group, match_group = offset + 1, offset + 2
    tail_group = match_group + pattern.groups + 1
    walker = f"{pattern.options}{lead}(?s:(.*?))({pattern.body})|(?s:(.+))"
    columns = [
        call(
            "regexp_extract_all", subject.copy(), exp.Literal.string(walker), exp.Literal.number(g)
        )
        for g in range(1, tail_group + 1)
    ]
    piece = exp.to_identifier("piece")
    index = exp.to_identifier("i")

    def field_of(group: int) -> exp.Expr:
        return exp.Bracket(
            this=exp.column(piece), expressions=[exp.Literal.number(group)], offset=1
        )

    def text(group: int) -> exp.Expr:
        return exp.Coalesce(this=field_of(group), expressions=[exp.Literal.string("")])

    values = [
        text(match_group + part if part else match_group)
        if isinstance(part, int)
        else exp.Literal.string(part)
        for part in parts
    ] or [exp.Literal.string("")]
    replacement = values[0]
    for value in values[1:]:
        replacement = exp.DPipe(this=replacement, expression=value)
    ifs = [
        exp.If(
            this=exp.Is(this=field_of(match_group), expression=exp.Null()),
            true=exp.Literal.string(""),
        )
    ]
    if nth:  # only the nth match (counting the skipped lead-in as a piece)
        chosen = exp.EQ(this=exp.column(index), expression=exp.Literal.number(nth + offset))
        ifs.append(exp.If(this=chosen, true=replacement))
        middle = exp.Case(ifs=ifs, default=field_of(match_group))
    else:
        middle = exp.Case(ifs=ifs, default=replacement)
    rendered = exp.DPipe(
        this=exp.DPipe(
            this=exp.DPipe(
                this=text(1) if skip else exp.Literal.string(""),
                expression=text(gap_group),
            ),
            expression=middle,
        ),
        expression=text(tail_group),
    )
    lam = exp.Lambda(this=rendered, expressions=[piece, index])
    joined = call(
        "array_to_string",
        call("list_transform", call("list_zip", *columns), lam),
        exp.Literal.string(""),
    )
    return exp.Case(
        ifs=[exp.If(this=exp.Is(this=subject.copy(), expression=exp.Null()), true=exp.null())],
        default=joined,
    )


def rewrite_regex(node: exp.Expr) -> exp.Expr:
    """REGEXP_LIKE, REGEXP_MATCH and REGEXP_REPLACE as DuckDB calls on RE2 patterns."""
    if isinstance(node, exp.RegexpLike):
        return _regexp_like(node)
    if isinstance(node, exp.RegexpReplace):
        return _regexp_replace(node)
    if isinstance(node, exp.Anonymous) and str(node.name).lower() == "regexp_match":
        return _regexp_match(node)
    return node


REWRITES: tuple[Rewrite, ...] = (rewrite_regex,)
FUNCTIONS: dict[type[exp.Expr], str] = {
    exp.RegexpLike: "regexp_like",
    exp.RegexpReplace: "regexp_replace",
}
ANONYMOUS: set[str] = {"regexp_match"}
