"""DDSQL -> DuckDB translation: the parser (``ddsql``), the rule modules in rewrite order
(``rules``), the pipeline (``translate``), and what translated SQL calls at run time
(``runtime``, which the engine installs). ``Translator`` and ``Translation`` are imported on
first use, so the engine can import ``runtime`` without loading the translator.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .translate import Translation, Translator

__all__ = ["Translation", "Translator"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import translate

        return getattr(translate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
