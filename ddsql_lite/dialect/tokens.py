"""The parser's token pre-pass for time syntax, which sqlglot reads lossily.

``INTERVAL 'text'`` becomes ``'text'::INTERVAL`` (its text kept whole), calls of
:data:`RAW_CALLS` are renamed ``ddsql_*`` so they parse as plain calls with their
arguments as written, and ``EXTRACT(unit FROM`` quotes its unit. :mod:`.timefuncs` gives
the renamed calls their meaning.
"""

from __future__ import annotations

from sqlglot.tokenizer_core import Token, TokenType

from .refusals import Refusal

# Calls whose arguments sqlglot would rewrite: renamed before parsing (see prepare_tokens).
RAW_CALLS: dict[str, str] = {
    name: "ddsql_" + name for name in ("now", "date_trunc", "date_bin", "to_timestamp", "to_char")
}
# prepare_tokens changes nothing in a text without INTERVAL or a name (VAR token) of these.
TIME_WORDS = frozenset({*RAW_CALLS, "extract"})
_INTERVAL, _VAR = TokenType.INTERVAL, TokenType.VAR
_CALL_OR_FROM = (TokenType.L_PAREN, TokenType.FROM)
# PostgreSQL's interval type modifiers (``INTERVAL '1' DAY``), refused.
_TYPMOD_FIELDS = {"year", "month", "day", "hour", "minute", "second"}


def prepare_tokens(tokens: list[Token]) -> list[Token]:
    """The token pre-pass for time syntax (see the module docstring):

    ``INTERVAL 'text'`` -> ``'text' :: INTERVAL``; ``INTERVAL 'text' HOUR`` (a type
    modifier), ``INTERVAL 2 DAY`` and ``INTERVAL(3) 'text'`` are refused; ``now(``,
    ``date_trunc(``, ``date_bin(``, ``to_timestamp(``, ``to_char(`` -> ``ddsql_*(``;
    ``EXTRACT(unit FROM`` -> ``EXTRACT('unit' FROM`` (PostgreSQL's quoted form).
    """
    out: list[Token] = []
    last = len(tokens) - 1
    after_interval = False
    for i, tok in enumerate(tokens):
        kind = tok.token_type
        nxt = tokens[i + 1] if i < last else None
        if not (
            kind == _INTERVAL
            or after_interval
            or (kind == _VAR and nxt is not None and nxt.token_type in _CALL_OR_FROM)
        ):
            out.append(tok)  # no rule below applies to this token
            continue
        prev = tokens[i - 1] if i else None
        if kind != _VAR or after_interval:  # (a name not after INTERVAL skips these)
            after_interval = kind == _INTERVAL
            if _interval_literal_at(tokens, i):
                continue  # the string comes next and is emitted as 'text' :: INTERVAL
            if _interval_literal_at(tokens, i - 1):
                out += [
                    tok,
                    Token(TokenType.DCOLON, "::", tok.line, tok.col, tok.end, tok.end),
                    Token(TokenType.INTERVAL, "INTERVAL", tok.line, tok.col, tok.end, tok.end),
                ]
                continue
        if _extract_unit_at(tokens, i):
            tok = Token(TokenType.STRING, tok.text.lower(), tok.line, tok.col, tok.start, tok.end)
        elif _raw_call_at(tok, nxt, prev):
            name = RAW_CALLS[tok.text.lower()]
            tok = Token(_VAR, name, tok.line, tok.col, tok.start, tok.end, tok.comments)
        out.append(tok)
    return out


def _raw_call_at(tok: Token, nxt: Token | None, prev: Token | None) -> bool:
    """True when ``tok`` calls one of :data:`RAW_CALLS` (not as ``x.name(``)."""
    return (
        tok.token_type == _VAR
        and tok.text.lower() in RAW_CALLS
        and nxt is not None
        and nxt.token_type == TokenType.L_PAREN
        and (prev is None or prev.token_type != TokenType.DOT)
    )


def _interval_literal_at(tokens: list[Token], i: int) -> bool:
    """True when ``tokens[i]`` is the ``INTERVAL`` of ``INTERVAL 'text'`` (not of a cast
    such as ``x::interval``); refuses the forms PostgreSQL reads with field modifiers."""
    if i < 0 or tokens[i].token_type != TokenType.INTERVAL:
        return False
    if i > 0 and tokens[i - 1].token_type in (TokenType.DCOLON, TokenType.ALIAS):
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.token_type in (TokenType.NUMBER, TokenType.L_PAREN):
        raise Refusal(
            "INTERVAL needs its amount and unit in quotes, such as INTERVAL '2 days'",
            offset=tokens[i].start,
        )
    if nxt is None or nxt.token_type != TokenType.STRING:
        return False
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    typmod = after is not None and after.token_type == TokenType.VAR
    if typmod and after is not None and after.text.lower() in _TYPMOD_FIELDS:
        raise Refusal(
            f"INTERVAL '{nxt.text}' {after.text}: interval field restrictions are not "
            f"supported; write the unit inside the quotes "
            f"(INTERVAL '{nxt.text} {after.text.lower()}s')",
            offset=after.start,
        )
    return True


def _extract_unit_at(tokens: list[Token], i: int) -> bool:
    """True when ``tokens[i]`` is the bare unit of ``EXTRACT(unit FROM ...)``."""
    return (
        2 <= i < len(tokens) - 1
        and tokens[i].token_type == TokenType.VAR
        and tokens[i + 1].token_type == TokenType.FROM
        and tokens[i - 1].token_type == TokenType.L_PAREN
        and tokens[i - 2].token_type == TokenType.VAR
        and tokens[i - 2].text.lower() == "extract"
    )
