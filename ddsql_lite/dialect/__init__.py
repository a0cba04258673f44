"""DDSQL -> DuckDB translation: parsing (``ddsql``), rewrites (``transforms``), and the
orchestration with validation and caching (``translate``)."""

from .translate import Translation, Translator

__all__ = ["Translation", "Translator"]
