"""The ICU (DDSQL) regular-expression pattern and replacement translator, to RE2.

:func:`translate_pattern` reads an ICU pattern with a small parser and writes the RE2
equivalent, refusing with :class:`UnsupportedError` what RE2 cannot express exactly;
:func:`translate_replacement` reads ICU replacement strings (``$1``, ``${name}``).
See :mod:`ddsql_lite.dialect.regex` for what the translation guarantees.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..errors import UnsupportedError
from .icu_sets import (
    HORIZONTAL_SPACE,
    MAX_CODE_POINT,
    NON_ASCII_WORD,
    OTHER_LINE_TERMINATORS,
    VERTICAL_SPACE,
    WHITE_SPACE,
    WORD,
    char,
    class_char,
    complement,
    loose_name,
    multi_fold_characters,
    property_items,
    ranges_items,
)

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
    size: int = 1  # the atoms RE2 compiles it to, counted repetitions expanded


# The atoms counted repetitions ({n,m}) may add to a pattern, together: RE2 expands each
# into copies, and compiling them takes time quadratic in their number (900 characters of
# a{2,1000} took 30 s, in DuckDB's binder when the pattern is a literal, which a time limit
# cannot interrupt).
MAX_REPETITION_ATOMS = 5_000


def _copies(quantifier: str) -> int:
    """How many copies of its atom RE2 makes for a quantifier: ``{n,m}`` m, ``{n,}`` n + 1,
    ``{n}`` n (at least one); ``*``, ``+``, ``?`` one."""
    if not quantifier.startswith("{"):
        return 1
    low, comma, high = quantifier.strip("{}?").partition(",")
    return max(int(high) if high else int(low) + (1 if comma else 0), 1)


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
        self.repeated = 0  # the atoms counted repetitions added so far

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
        return _Piece(char(cp), False, True)

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
                    NON_ASCII_WORD,
                    r"\b and \B follow ICU's Unicode word rules, which RE2 matches only on "
                    "text without non-ASCII letters, digits or marks",
                )
            )
        if self.ignores_case:
            checks.append(
                (
                    multi_fold_characters(),
                    "case-insensitive matching of text holding a character that folds to "
                    "several characters (such as ß) differs between ICU and RE2",
                )
            )
        if self.inline_lines:
            checks.append(
                (
                    OTHER_LINE_TERMINATORS,
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
            size=sum(b.size for b in branches),
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
            size=sum(p.size for p in parts),
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
        size = last.size * _copies(quantifier)
        self.repeated += size - last.size
        if self.repeated > MAX_REPETITION_ATOMS:
            raise self.error(
                f"its counted repetitions expand to more than {MAX_REPETITION_ATOMS:,} items "
                "(the limit)"
            )
        pieces[-1] = _Piece(
            last.re2 + quantifier,
            last.nullable or low == 0,
            last.nonempty and not high_is_zero,
            size=size,
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
        return _Piece(f"{opening}{inner.re2})", inner.nullable, inner.nonempty, size=inner.size)

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
            newline = ranges_items(VERTICAL_SPACE)
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
            items = property_items(self.property_name())
            single = items.startswith(r"\p{") and items.count("\\") == 1
            if c == "p":
                return items if in_class or single else f"[{items}]"
            if single:
                return items.replace(r"\p{", r"\P{")
            if in_class:
                raise self.error(f"\\P{{...}} of {items!r} cannot be used inside a set")
            return f"[^{items}]"
        table: dict[str, tuple[str, tuple[tuple[int, int], ...] | None]] = {
            "s": (ranges_items(WHITE_SPACE), WHITE_SPACE),
            "v": (ranges_items(VERTICAL_SPACE), VERTICAL_SPACE),
            "w": (WORD, None),
            "h": (HORIZONTAL_SPACE, None),
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
        return ranges_items(complement(ranges))

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
        loose = loose_name(name)
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
        if value > MAX_CODE_POINT or 0xD800 <= value <= 0xDFFF:
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
                items.append(f"{class_char(low)}-{class_char(high)}")
            else:
                items.append(class_char(low))
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
