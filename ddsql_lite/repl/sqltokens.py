"""A forgiving SQL tokenizer for the shell: it never fails, whatever the text.

sqlglot's tokenizer rejects half-typed SQL (an unterminated string, say), but the shell
needs tokens for exactly that text: to decide what fits at the cursor, to tell whether a
statement is finished, and to split an input into statements. Every character of the
input belongs to exactly one token, so ``"".join(t.text for t in tokenize(s)) == s``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Token kinds.
SPACE = "space"
COMMENT = "comment"
STRING = "string"  # '...'
QUOTED = "quoted"  # "..." (a quoted identifier)
DOLLAR = "dollar"  # $$...$$ or $tag$...$tag$ (a dollar-quoted string)
ESCAPED = "escaped"  # E'...' (a string with backslash escapes)
NUMBER = "number"
WORD = "word"  # identifiers and keywords
OP = "op"  # operators: -> ->> #> #>> :: || <= >= <> != and single characters
PUNCT = "punct"  # ( ) [ ] , ; .
OTHER = "other"

_PATTERN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>--[^\n]*|/\*(?:.|\n)*?(?:\*/|\Z))
  | (?P<escaped>[eE]'(?:[^'\\]|\\(?:.|\n)|'')*(?:'|\Z))
  | (?P<string>'(?:[^']|'')*(?:'|\Z))
  | (?P<dollar>\$(?P<tag>(?:[^\W\d]\w*)?)\$(?:.|\n)*?(?:\$(?P=tag)\$|\Z))
  | (?P<quoted>"(?:[^"]|"")*(?:"|\Z))
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<op>->>|->|\#>>|\#>|::|\|\||<=|>=|<>|!=|[-+*/%<>=~!@\#^&|:?])
  | (?P<punct>[()\[\],;.])
  | (?P<other>.)
    """,
    re.VERBOSE,
)


_CLOSED_ESCAPED = re.compile(r"[eE]'(?:[^'\\]|\\(?:.|\n)|'')*'")


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text as written, and where it starts in the input."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def closed(self) -> bool:
        """False for a string, quoted identifier or block comment the text leaves open."""
        if self.kind == STRING:
            return _closes(self.text)
        if self.kind == QUOTED:
            return _closes(self.text)
        if self.kind == ESCAPED:
            return _CLOSED_ESCAPED.fullmatch(self.text) is not None
        if self.kind == DOLLAR:
            delimiter = self.text[: self.text.index("$", 1) + 1]
            return len(self.text) >= 2 * len(delimiter) and self.text.endswith(delimiter)
        if self.kind == COMMENT and self.text.startswith("/*"):
            return len(self.text) >= 4 and self.text.endswith("*/")
        return True

    @property
    def value(self) -> str:
        """What the token means: a word in lower case, a string's or quoted identifier's
        content without quotes (doubled quotes undone), any other token's text."""
        if self.kind == WORD:
            return self.text.lower()
        if self.kind in (STRING, QUOTED):
            quote = self.text[0]
            body = self.text[1:-1] if self.closed else self.text[1:]
            return body.replace(quote * 2, quote)
        return self.text

    def is_word(self, *words: str) -> bool:
        """True for a word token equal (case-insensitively) to one of ``words``."""
        return self.kind == WORD and self.value in words

    def is_name(self) -> bool:
        """True for a token that can name something: a word or a quoted identifier."""
        return self.kind in (WORD, QUOTED)


def _closes(text: str) -> bool:
    """For a token that opens with a quote: does a closing quote end it (rather than the
    text ending inside it)? A doubled quote inside is an escaped quote."""
    quote, i = text[0], 1
    while i < len(text):
        if text[i] == quote:
            if i + 1 < len(text) and text[i + 1] == quote:
                i += 2
                continue
            return i == len(text) - 1
        i += 1
    return False


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``, whitespace and comments included, in order."""
    return [Token(str(m.lastgroup), m.group(), m.start()) for m in _PATTERN.finditer(text)]


def significant(tokens: list[Token]) -> list[Token]:
    """``tokens`` without whitespace and comments."""
    return [t for t in tokens if t.kind not in (SPACE, COMMENT)]


def statement_spans(text: str) -> list[tuple[int, str]]:
    """The statements of ``text``, split at top-level ``;`` (not in strings, quoted
    names, ``E''`` strings, dollar quotes or comments), each without its ``;``, the
    comments and blanks before it and the blanks after it, with the offset of its first
    token in ``text``; blank statements are dropped."""
    spans: list[tuple[int, int]] = []
    start = 0
    for tok in tokenize(text):
        if tok.kind == PUNCT and tok.text == ";":
            spans.append((start, tok.start))
            start = tok.end
    spans.append((start, len(text)))
    out = []
    for begin, end in spans:
        tokens = significant(tokenize(text[begin:end]))
        if tokens:
            first = begin + tokens[0].start
            out.append((first, text[first:end].rstrip()))
    return out


def split_statements(text: str) -> list[str]:
    """The statements of ``text`` (see :func:`statement_spans`), without their offsets."""
    return [statement for _, statement in statement_spans(text)]


def is_complete(text: str) -> bool:
    """True when ``text`` ends with a ``;`` that ends a statement (trailing whitespace
    and comments allowed), so Enter should run it rather than start a new line."""
    tokens = significant(tokenize(text))
    return bool(tokens) and tokens[-1].kind == PUNCT and tokens[-1].text == ";"


def script_inputs(text: str) -> list[tuple[int, str]]:
    """The inputs of a script (``\\i``), in order, each with the 1-based line it starts
    on: its statements (as :func:`statement_spans` splits them; the last one may end
    without ``;``) and its meta-commands (a line starting with a backslash outside a
    statement)."""
    found: list[tuple[int, str]] = []
    lines: list[str] = []  # the lines since the last meta-command
    first = 1  # the number of the first of them

    def add_statements() -> None:
        body = "\n".join(lines)
        for offset, statement in statement_spans(body):
            found.append((first + body.count("\n", 0, offset), statement))

    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("\\"):
            body = "\n".join(lines)
            if is_complete(body) or not significant(tokenize(body)):
                add_statements()
                found.append((number, line.strip()))
                lines, first = [], number + 1
                continue
        lines.append(line)
    add_statements()
    return found
