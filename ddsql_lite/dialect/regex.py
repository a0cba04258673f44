"""DDSQL regular expressions (ICU flavour) as DuckDB's RE2: patterns translated by
:mod:`.icu_pattern`, flags and newline rules as DDSQL and PostgreSQL have them, run-time
checks where RE2 agrees with ICU only on some texts, and a refusal for the rest
(docs/dialect.md, "Regular expressions").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from ..errors import UnsupportedError
from .declare import Functions, Rewrite, Syntax, rewrites
from .nodes import TEXT_TYPES, call, data_type, pg_sql
from .refusals import Refusal
from .runtime import CHECK_MACRO

if TYPE_CHECKING:
    from .icu_pattern import Pattern


def _string_literal(node: exp.Expr | None, what: str, function: str) -> str | None:
    """The text of a string literal argument; None for a NULL literal."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Null):
        return None
    if (
        isinstance(node, exp.Cast)
        and isinstance(node.this, (exp.Literal, exp.Null))
        and node.to.this in TEXT_TYPES
    ):
        return _string_literal(node.this, what, function)
    if isinstance(node, exp.Literal) and node.is_string:
        return str(node.this)
    if node is None:
        raise UnsupportedError(f"{function}(): the {what} must be a string literal, not nothing")
    raise Refusal(
        f"{function}(): the {what} must be a string literal, not {{value}}",
        node,
        parts={"value": node},
    )


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
    if node is None:
        raise UnsupportedError(f"{function}(): {what} must be an integer literal, not nothing")
    raise Refusal(
        f"{function}(): {what} must be an integer literal, not {{value}}",
        node,
        parts={"value": node},
    )


def _check_subject(subject: exp.Expr, function: str) -> None:
    if subject.type is not None and not subject.type.is_type(
        *TEXT_TYPES, exp.DType.UNKNOWN, exp.DType.NULL
    ):
        raise Refusal(
            f"{function}() needs text; {{value}} is "
            f"{pg_sql(subject.type).lower()} (cast it with ::varchar)",
            subject,
            parts={"value": subject},
        )


def _guarded(subject: exp.Expr, pattern: Pattern) -> exp.Expr:
    for bad, message in pattern.checks:
        subject = call(CHECK_MACRO, subject, exp.Literal.string(bad), exp.Literal.string(message))
    return subject


def _typed_null(kind: str) -> exp.Expr:
    return exp.cast(exp.null(), data_type(kind))


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
    from .icu_pattern import translate_pattern  # (on first use: start-up)

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
    from .icu_pattern import translate_pattern

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
    from .icu_pattern import (
        Flags,
        parse_flags,
        re2_rewrite,
        translate_pattern,
        translate_replacement,
    )

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


@rewrites(exp.RegexpLike, exp.RegexpReplace, calls=("regexp_match",))
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
FUNCTIONS: Functions = {
    "regexp_like": (exp.RegexpLike,),
    "regexp_match": ("regexp_match",),
    "regexp_replace": (exp.RegexpReplace,),
}
SYNTAX: Syntax = {}
