"""List-call filters from a query's simple filters: the live load's pushdown.

:func:`list_filters` turns plain ``(table, column, op, value)`` filters, which the
query's translator finds, into parameters of the table's List operation
(ListInferenceExperiments) such that the API still returns *every* resource the query
could return (docs/design.md, "Pushdown"). It knows the API, not SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from ...registry import Table

# API member of the column -> (kind, List parameter), per List operation.
PUSHABLE: dict[str, dict[tuple[str, str], str]] = {
    "ListInferenceExperiments": {
        ("Status", "equals"): "StatusEquals",
        ("Type", "equals"): "Type",
        ("Name", "contains"): "NameContains",
        ("CreationTime", "after"): "CreationTimeAfter",
        ("CreationTime", "before"): "CreationTimeBefore",
        ("LastModifiedTime", "after"): "LastModifiedTimeAfter",
        ("LastModifiedTime", "before"): "LastModifiedTimeBefore",
    }
}
_KINDS = {">": "after", ">=": "after", "<": "before", "<=": "before"}
_NAME_CHARS = re.compile(r"[a-zA-Z0-9-]+")
_NAME_MAX = 63
_MARGIN = timedelta(seconds=1)


def list_filters(filters: Iterable[tuple[str, str, str, Any]], table: Table) -> dict[str, Any]:
    """The List-call parameters of ``table`` implied by ``filters``.

    ``filters`` are ``(table, column, op, value)``: ``column = value`` (``op`` ``"="``),
    the column's text contains ``value`` (``"contains"``), or the column compared with
    a timestamp (``">"``, ``">="``, ``"<"``, ``"<="``, an aware datetime). Filters on
    another table, or on a column the List call cannot filter, add nothing. The rules:

    - ``=`` on ``status`` / ``type`` -> ``StatusEquals`` / ``Type`` when the value is one
      of the model's enum values (anything else matches nothing, and the API would
      refuse it).
    - ``=`` or ``contains`` on ``name`` -> ``NameContains`` with the longest value made
      of the characters the model allows (``[a-zA-Z0-9-]``, at most 63): every matching
      name contains it exactly, so whether the service compares case-sensitively or not
      it returns a superset.
    - ``creation_time`` / ``last_modified_time`` compared with a timestamp ->
      ``*After`` / ``*Before``, widened by a second on the open side (the service may
      compare strictly; botocore sends whole seconds). A bound that widening would push
      past either end of the timestamp range excludes nothing and is left out.
    """
    pushable = PUSHABLE.get(table.api.get("list", ""), {})
    if not pushable:
        return {}
    sources = {column.name: column.source for column in table.columns}
    enums: dict[str, tuple[str, ...]] | None = None
    found: dict[str, Any] = {}
    for name, column, op, value in filters:
        member = sources.get(column)
        if name not in table.names or member is None:
            continue
        for kind, wanted in _narrowing(op, value):
            param = pushable.get((member, kind))
            if param is None:
                continue
            if kind == "equals":
                if enums is None:
                    enums = _enums(table.api["service"], table.api["list"])
                if wanted not in enums.get(param, ()):
                    continue
            tighter = _tighter(kind, found.get(param), wanted)
            if tighter is not None:
                found[param] = tighter
    return found


def _narrowing(op: str, value: Any) -> list[tuple[str, Any]]:
    """(kind, value) pairs a filter implies: ``equals``, ``contains``, ``after``,
    ``before``."""
    if op == "=" and isinstance(value, str):
        run = _name_run(value)
        return [("equals", value)] + ([("contains", run)] if run is not None else [])
    if op == "contains" and isinstance(value, str):
        run = _name_run(value)
        return [("contains", run)] if run is not None else []
    if op in _KINDS and isinstance(value, datetime):
        return [(_KINDS[op], value)]
    return []


def _name_run(text: str) -> str | None:
    """``text`` when it is all name characters, cut to the API's maximum; else None."""
    return text[:_NAME_MAX] if _NAME_CHARS.fullmatch(text) else None


def _tighter(kind: str, old: Any, new: Any) -> Any:
    """Combine two filters on one parameter; both are implied, so the narrower holds.
    A time bound that cannot be widened inside the timestamp range adds nothing."""
    if kind in ("after", "before"):
        try:
            if kind == "after":
                new = new.replace(microsecond=0) - _MARGIN
            else:
                new = new.replace(microsecond=0) + 2 * _MARGIN
        except OverflowError:  # within a second or two of year 1 or of year 10000
            return old
        if old is None:
            return new
        return max(old, new) if kind == "after" else min(old, new)
    if kind == "contains":
        return new if old is None or len(new) > len(old) else old
    return new if old is None else old


@cache
def _enums(service: str, operation: str) -> dict[str, tuple[str, ...]]:
    """The enum values of the List operation's parameters (from the service model)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model(service)
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return {}
    return {
        name: tuple(member.metadata["enum"])
        for name, member in shape.members.items()
        if member.metadata.get("enum")
    }
