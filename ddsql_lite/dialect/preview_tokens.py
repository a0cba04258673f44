"""The token pass of DDSQL (Preview): its syntax spelled as tokens DDSQL's parser reads.

* ``#key`` and ``#"quoted key"``, explicit tag references, become one quoted name,
  ``TAG_PREFIX + key`` (a name users cannot write: quoted names with that prefix are
  refused), which :func:`.preview.resolve_tags` makes a lookup of the key;
* ``{'a', 'b'}``, a group literal, becomes ``(ARRAY['a', 'b']::text[]::hstore)``;
* ``0x4B1D``, a hexadecimal integer, becomes the decimal number;
* ``array<type>[...]`` becomes ``(ARRAY[...]::type[])``;
* the type names ``group`` and ``tag_column`` after ``::`` (or after ``AS`` right before
  the ``)`` of a CAST) become ``hstore``, the group type's third name.

In the reference variant :func:`refuse_preview_tokens` refuses the same syntax, saying it
is the preview's (docs/dialect.md, "The Preview variant").
"""

from __future__ import annotations

from sqlglot.tokenizer_core import Token, TokenType

from .refusals import Refusal

# The internal name of an explicit tag reference #key (the key follows it).
TAG_PREFIX = "ddsql_tag#"
PREVIEW = "DDSQL Preview syntax (connect(syntax='preview'), --syntax preview)"
_HASH, _L_BRACE, _R_BRACE = TokenType.HASH, TokenType.L_BRACE, TokenType.R_BRACE
_HEX, _ARRAY, _IDENTIFIER = TokenType.HEX_STRING, TokenType.ARRAY, TokenType.IDENTIFIER
_VAR, _STRING, _COMMA = TokenType.VAR, TokenType.STRING, TokenType.COMMA
_LT, _GT = TokenType.LT, TokenType.GT
_L_BRACKET, _R_BRACKET = TokenType.L_BRACKET, TokenType.R_BRACKET
_L_PAREN, _R_PAREN, _DCOLON = TokenType.L_PAREN, TokenType.R_PAREN, TokenType.DCOLON
# Tokens that may start preview syntax (a text without any is left as it is).
_STARTS = frozenset({_HASH, _L_BRACE, _HEX, _ARRAY, _IDENTIFIER, _VAR})
_GROUP_TYPES = frozenset({"group", "tag_column"})
# Tokens that end an operand: a # after one is an operator, not a tag reference.
_OPERAND_ENDS = frozenset({_VAR, _IDENTIFIER, _STRING, _R_PAREN, TokenType.NUMBER, _R_BRACKET})
MAX_BIGINT = 2**63 - 1


def _token(kind: TokenType, text: str, at: Token, end: Token | None = None) -> Token:
    """A token of the pass, placed at ``at`` (to ``end``) for carets."""
    return Token(kind, text, at.line, at.col, at.start, (end or at).end)


def _tag_name(sql: str, tokens: list[Token], i: int, out: list[Token]) -> Token | None:
    """The name after the ``#`` at ``i`` when it is a tag reference (the name right after
    it, the ``#`` not after an operand); None otherwise."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.start != tokens[i].end + 1:
        return None
    if out and out[-1].token_type in _OPERAND_ENDS:
        return None
    if nxt.token_type == _IDENTIFIER:
        return nxt
    word = sql[nxt.start : nxt.end + 1]
    return nxt if word.replace("_", "a").isalnum() and not word[0].isdigit() else None


def _group_end(tokens: list[Token], i: int) -> int | None:
    """The index of the ``}`` closing the group literal ``{'a', ...}`` opened at ``i``, or
    None when the braces hold anything but strings separated by commas."""
    j = i + 1
    if j < len(tokens) and tokens[j].token_type == _R_BRACE:
        return j
    while j + 1 < len(tokens) and tokens[j].token_type == _STRING:
        if tokens[j + 1].token_type == _R_BRACE:
            return j + 1
        if tokens[j + 1].token_type != _COMMA:
            return None
        j += 2
    return None


def _array_type_end(tokens: list[Token], i: int) -> int | None:
    """For ``array<type>[`` at ``i``: the index of the ``>`` (the type's tokens lie
    between), or None."""
    if i + 1 >= len(tokens) or tokens[i + 1].token_type != _LT:
        return None
    for j in range(i + 2, min(i + 6, len(tokens) - 1)):
        if tokens[j].token_type == _GT:
            return j if j > i + 2 and tokens[j + 1].token_type == _L_BRACKET else None
    return None


def _closing_bracket(tokens: list[Token], i: int) -> int | None:
    depth = 0
    for j in range(i, len(tokens)):
        kind = tokens[j].token_type
        if kind == _L_BRACKET:
            depth += 1
        elif kind == _R_BRACKET:
            depth -= 1
            if depth == 0:
                return j
    return None


def _hex_value(sql: str, tok: Token) -> int | None:
    """The value of a hexadecimal integer ``0x...`` (None for other hex strings)."""
    if sql[tok.start : tok.start + 2].lower() != "0x":
        return None
    return int(tok.text, 16)


def preview_tokens(sql: str, tokens: list[Token]) -> list[Token]:
    """The tokens of a DDSQL (Preview) text, its syntax spelled as DDSQL's (see the
    module docstring)."""
    if not any(t.token_type in _STARTS for t in tokens):
        return tokens
    out: list[Token] = []
    after: dict[int, list[Token]] = {}  # tokens to emit after the token at an index
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.token_type
        name = _tag_name(sql, tokens, i, out) if kind == _HASH else None
        group = _group_end(tokens, i) if kind == _L_BRACE else None
        typed = _array_type_end(tokens, i) if kind == _ARRAY else None
        if kind == _IDENTIFIER and tok.text.lower().startswith(TAG_PREFIX):
            raise Refusal(f"names starting with {TAG_PREFIX} are reserved", offset=tok.start)
        if name is not None:
            key = name.text if name.token_type == _IDENTIFIER else name.text.lower()
            out.append(_token(_IDENTIFIER, TAG_PREFIX + key, tok, name))
            i += 2
            continue
        if group is not None:
            out += [_token(_L_PAREN, "(", tok), _token(_ARRAY, "ARRAY", tok)]
            out.append(_token(_L_BRACKET, "[", tok))
            out += tokens[i + 1 : group]
            end = tokens[group]
            out += [_token(_R_BRACKET, "]", end), *_cast("text", TokenType.TEXT, end, array=True)]
            out += [*_cast("hstore", TokenType.HSTORE, end), _token(_R_PAREN, ")", end)]
            i = group + 1
            continue
        if typed is not None:
            closing = _closing_bracket(tokens, typed + 1)
            if closing is not None:
                end = tokens[closing]
                tail = [_token(_DCOLON, "::", end), *map(_type_name, tokens[i + 2 : typed])]
                tail += [_token(_L_BRACKET, "[", end), _token(_R_BRACKET, "]", end)]
                after.setdefault(closing, []).extend([*tail, _token(_R_PAREN, ")", end)])
                out += [_token(_L_PAREN, "(", tok), tok]
                i = typed + 1
                continue
        if kind == _HEX:
            value = _hex_value(sql, tok)
            if value is not None:
                if value > MAX_BIGINT:
                    raise Refusal(
                        f"value {sql[tok.start : tok.end + 1]} is out of range for type bigint",
                        offset=tok.start,
                    )
                tok = _token(TokenType.NUMBER, str(value), tok)
        elif kind == _VAR and tok.text.lower() in _GROUP_TYPES and out:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if out[-1].token_type == _DCOLON or (
                out[-1].token_type == TokenType.ALIAS
                and nxt is not None
                and nxt.token_type == _R_PAREN
            ):
                tok = _token(TokenType.HSTORE, "hstore", tok)
        out.append(tok)
        if i in after:
            out += after.pop(i)
        i += 1
    return out


def _type_name(tok: Token) -> Token:
    """A type's token, ``group`` and ``tag_column`` as ``hstore``."""
    if tok.token_type == _VAR and tok.text.lower() in _GROUP_TYPES:
        return _token(TokenType.HSTORE, "hstore", tok)
    return tok


def _cast(name: str, kind: TokenType, at: Token, array: bool = False) -> list[Token]:
    """``:: name`` (``:: name[]`` with ``array``) as tokens placed at ``at``."""
    made = [_token(_DCOLON, "::", at), _token(kind, name, at)]
    if array:
        made += [_token(_L_BRACKET, "[", at), _token(_R_BRACKET, "]", at)]
    return made


def relative_text(text: str) -> bool:
    """Whether a timestamp or date literal's text is relative in DDSQL (Preview):
    ``now``, or an interval followed by ``ago`` (``'1 day ago'``, ``'1 hr ago'``)."""
    words = text.strip().lower().split()
    return words == ["now"] or (len(words) > 1 and words[-1] == "ago")


def refuse_preview_tokens(sql: str, tokens: list[Token]) -> list[Token]:
    """The reference variant's tokens, unchanged; preview-only syntax is refused by name,
    saying it is DDSQL Preview syntax and how DDSQL writes it."""
    for i, tok in enumerate(tokens):
        kind = tok.token_type
        if kind == _HASH:
            name = _tag_name(sql, tokens, i, tokens[:i][-1:])
            if name is not None:
                written = sql[tok.start : name.end + 1]
                key = name.text if name.token_type == _IDENTIFIER else name.text.lower()
                raise Refusal(
                    f"explicit tag references such as {written} are {PREVIEW}; "
                    f"in DDSQL write tags -> '{key}'",
                    offset=tok.start,
                )
        elif kind == _L_BRACE and (end := _group_end(tokens, i)) is not None:
            written = sql[tok.start : tokens[end].end + 1]
            raise Refusal(f"group literals such as {written} are {PREVIEW}", offset=tok.start)
        elif kind == _HEX and _hex_value(sql, tok) is not None:
            raise Refusal(
                f"hexadecimal integers such as {sql[tok.start : tok.end + 1]} are {PREVIEW}",
                offset=tok.start,
            )
        elif kind == _ARRAY and _array_type_end(tokens, i) is not None:
            raise Refusal(
                f"array<type>[...] literals are {PREVIEW}; in DDSQL write ARRAY[...]::type[]",
                offset=tok.start,
            )
    return tokens
