"""The two variants of DDSQL a translator speaks: the reference (``ddsql``, the default)
and DDSQL (Preview) (``preview``). A variant is a set of rule modules and a few switches
over the one parser and the one pipeline, not a second translator (docs/design.md,
"Variants"): the preview adds :mod:`.preview` and :mod:`.preview_functions` in front of
:data:`.rules.RULES`, its
token pass (:mod:`.preview_tokens`) and the casts it allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from .declare import Rewrite, Rule
from .functions import CAST_TYPES, CONSTRUCTS, declared
from .preview_tokens import PREVIEW

SYNTAXES = ("ddsql", "preview")
DEFAULT = "ddsql"


@dataclass(frozen=True, eq=False)
class Variant:
    """One variant: its rule modules (in rewrite order) and what is derived from them,
    as :mod:`.functions` derives the reference's lists."""

    name: str
    rules: tuple[Rule, ...]
    cast_types: frozenset[exp.DType]
    preview: bool
    rewrites: tuple[Rewrite, ...] = field(init=False)
    functions: frozenset[str] = field(init=False)
    node_names: dict[type[exp.Expr], str] = field(init=False)
    anonymous: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        kinds, calls = declared(self.rules)
        setattr_ = object.__setattr__
        setattr_(self, "rewrites", tuple(r for rule in self.rules for r in rule.REWRITES))
        setattr_(self, "functions", frozenset(n for rule in self.rules for n in rule.FUNCTIONS))
        setattr_(self, "node_names", kinds)
        setattr_(self, "anonymous", calls)

    def is_allowed(self, node: exp.Expr) -> bool:
        """Whether ``node`` is a construct or function of this variant (classes match
        exactly, as in :func:`.functions.is_allowed`)."""
        if isinstance(node, exp.Anonymous):
            return str(node.name).lower() in self.anonymous
        return type(node) in self.node_names or type(node) in _CONSTRUCT_SET

    def allowed_kind(self, kind: type[exp.Expr]) -> bool | None:
        """:meth:`is_allowed` for every node of class ``kind``; None for calls."""
        if issubclass(kind, exp.Anonymous):
            return None
        return kind in self.node_names or kind in _CONSTRUCT_SET


_CONSTRUCT_SET = frozenset(CONSTRUCTS)
_VARIANTS: dict[str, Variant] = {}


def variant(name: str = DEFAULT) -> Variant:
    """The variant called ``name`` (``ddsql`` or ``preview``), built once."""
    found = _VARIANTS.get(name)
    if found is None:
        if name not in SYNTAXES:
            from ..errors import UnsupportedError

            raise UnsupportedError(f"syntax {name!r} is not one of {', '.join(SYNTAXES)}")
        from . import rules

        if name == "preview":
            from . import preview, preview_functions

            found = Variant(
                name,
                (preview, preview_functions, *rules.RULES),
                frozenset(CAST_TYPES | preview.CAST_TYPES),
                preview=True,
            )
        else:
            found = Variant(name, rules.RULES, frozenset(CAST_TYPES), preview=False)
        _VARIANTS[name] = found
    return found


def preview_function_hint(name: str) -> str:
    """For a function the reference refuses and the preview lists: the words that say so
    (appended to the refusal), else nothing."""
    if name in variant("preview").functions:
        return f"; it is {PREVIEW}"
    return ""


def preview_cast_hint(cast: exp.Expr) -> str:
    """For a cast the reference refuses and the preview allows (``date``, ``group``,
    ``tag_column``): the words that say so, else nothing."""
    to = cast.args.get("to")
    named = to.args.get("kind") if isinstance(to, exp.DataType) else None
    group = isinstance(named, exp.Identifier) and named.name.lower() in ("group", "tag_column")
    if group or (isinstance(to, exp.DataType) and to.this in variant("preview").cast_types):
        return f" in DDSQL; the type is {PREVIEW}"
    return ""
