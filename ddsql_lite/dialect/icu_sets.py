"""Character sets and Unicode properties for the ICU -> RE2 pattern translator.

ICU gives ``\\d``, ``\\s``, ``\\w``, ``\\h``, ``\\v`` and ``\\p{...}`` their Unicode meanings
where RE2's shorthands are ASCII-only; these tables spell them out as RE2 class items.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from ..errors import UnsupportedError

_META = set("\\.+*?()|[]{}^$")
_SET_META = set("\\]^-[")


def _hex(cp: int) -> str:
    return rf"\x{cp:02X}" if cp <= 0xFF else rf"\x{{{cp:X}}}"


def _invisible(cp: int) -> bool:
    """Controls, separators, format and unassigned characters: written as \\x escapes."""
    return cp != 0x20 and unicodedata.category(chr(cp))[0] in "CZ"


def char(cp: int) -> str:
    """One literal character outside a class, in RE2 syntax."""
    if _invisible(cp):
        return _hex(cp)
    c = chr(cp)
    return "\\" + c if c in _META else c


def class_char(cp: int) -> str:
    """One literal character inside a class, in RE2 syntax."""
    if _invisible(cp):
        return _hex(cp)
    c = chr(cp)
    return "\\" + c if c in _SET_META else c


# --- character sets, as RE2 class items ---------------------------------------------------

MAX_CODE_POINT = 0x10FFFF
# ICU \s is \p{White_Space}.
WHITE_SPACE = (
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
VERTICAL_SPACE = ((0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029))
# ICU \w is [\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]. RE2 has no Alphabetic, but it
# is L + Nl + Other_Alphabetic, whose characters outside M are the circled and squared
# Latin letters (So) listed here.
WORD = (
    r"\p{L}\p{Nl}\p{M}\p{Nd}\p{Pc}\x{200C}\x{200D}"
    r"\x{24B6}-\x{24E9}\x{1F130}-\x{1F149}\x{1F150}-\x{1F169}\x{1F170}-\x{1F189}"
)
HORIZONTAL_SPACE = r"\t\p{Zs}"

# Run-time checks for the three input-dependent cases (see the module docstring).
NON_ASCII_WORD = (
    r"[^\x00-\x7F\P{L}]|[^\x00-\x7F\P{M}]|[^\x00-\x7F\P{N}]|[^\x00-\x7F\P{Pc}]"
    r"|[\x{200C}\x{200D}\x{24B6}-\x{24E9}\x{1F130}-\x{1F189}]"
)
OTHER_LINE_TERMINATORS = r"[\r\x{0B}\x{0C}\x{85}\x{2028}\x{2029}]"


def ranges_items(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(
        class_char(lo) if lo == hi else f"{class_char(lo)}-{class_char(hi)}" for lo, hi in ranges
    )


def complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Every code point outside ``ranges`` (sorted), surrogates left out."""
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    split: list[tuple[int, int]] = []
    for lo, hi in out:  # RE2 works on UTF-8: no surrogate code points
        if lo < 0xD800 <= hi:
            split += [(lo, 0xD7FF)] if lo <= 0xD7FF else []
            split += [(0xE000, hi)] if hi >= 0xE000 else []
        else:
            split.append((lo, hi))
    return tuple(split)


@cache
def multi_fold_characters() -> str:
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
    return "[" + ranges_items(tuple(ranges)) + "]"


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


def loose_name(name: str) -> str:
    """ICU's loose property-name matching: case, spaces, '-' and '_' do not count."""
    return "".join(c for c in name.lower() if c not in " -_")


_SCRIPT_BY_LOOSE = {loose_name(s): s for s in _SCRIPTS}
_CATEGORY_BY_LOOSE = {loose_name(c): c for c in _CATEGORIES} | {
    loose_name(k): v for k, v in _CATEGORY_NAMES.items()
}


def property_items(name: str) -> str:
    """The RE2 class items for ICU's ``\\p{name}`` (not negated)."""
    key, _, value = name.partition("=")
    if value:
        kind, wanted = loose_name(key), loose_name(value)
        if kind in ("gc", "generalcategory") and wanted in _CATEGORY_BY_LOOSE:
            return _category_items(_CATEGORY_BY_LOOSE[wanted])
        if kind in ("sc", "script") and wanted in _SCRIPT_BY_LOOSE:
            return rf"\p{{{_SCRIPT_BY_LOOSE[wanted]}}}"
        raise UnsupportedError(f"regular expression property \\p{{{name}}} is not supported")
    loose = loose_name(name)
    if loose in _CATEGORY_BY_LOOSE:
        return _category_items(_CATEGORY_BY_LOOSE[loose])
    if loose in _SCRIPT_BY_LOOSE:
        return rf"\p{{{_SCRIPT_BY_LOOSE[loose]}}}"
    if loose == "any":
        return r"\p{Any}"
    if loose == "ascii":
        return r"\x00-\x7F"
    if loose in ("whitespace", "space"):
        return ranges_items(WHITE_SPACE)
    raise UnsupportedError(
        f"regular expression property \\p{{{name}}} is not supported (RE2 knows general "
        "categories such as \\p{L} and scripts such as \\p{Greek})"
    )


def _category_items(category: str) -> str:
    if category == "LC":
        return r"\p{Lu}\p{Ll}\p{Lt}"
    return rf"\p{{{category}}}"
