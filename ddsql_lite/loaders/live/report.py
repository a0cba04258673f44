"""What a load did: one :class:`LoadEntry` per (account, region), gathered in a
:class:`LoadReport`.

A live load has one entry per (account, region) it tried, in order, failed or not;
nothing is dropped silently (``rows``, ``listed``, ``listing_complete``, ``missing``);
error texts never hold credentials. Sample and fixture loads have no entries
(docs/design.md, "The load report").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from ...durations import format_duration

_DETAILS = ("listed", "listing_complete", "missing")


@dataclass(frozen=True)
class LoadEntry:
    """The outcome of loading one (account, region)."""

    account_id: str
    region: str
    rows: int = 0
    api_calls: int = 0
    retries: int = 0
    seconds: float = 0.0
    error: str | None = None
    listed: int = 0
    listing_complete: bool = True
    missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """The scalar fields: one row of ``report.to_dicts()`` (``listed``,
        ``listing_complete`` and ``missing`` are left to :meth:`to_json`)."""
        data = self.to_json()
        for name in _DETAILS:
            del data[name]
        return data

    def to_json(self) -> dict[str, Any]:
        """Every field, JSON-ready (what a cache snapshot keeps)."""
        data = asdict(self)
        data["missing"] = list(self.missing)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LoadEntry:
        return cls(
            account_id=str(data["account_id"]),
            region=str(data["region"]),
            rows=int(data.get("rows", 0)),
            api_calls=int(data.get("api_calls", 0)),
            retries=int(data.get("retries", 0)),
            seconds=float(data.get("seconds", 0.0)),
            error=None if data.get("error") is None else str(data["error"]),
            listed=int(data.get("listed", 0)),
            listing_complete=bool(data.get("listing_complete", True)),
            missing=tuple(str(name) for name in data.get("missing", ())),
        )


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class LoadReport(Sequence[LoadEntry]):
    """The entries of one load, with where the data came from and when it was loaded.

    Behaves as a sequence of :class:`LoadEntry` (``len(report)``, ``report[0]``,
    iteration). ``source`` is ``"sample"``, ``"fixtures"`` or ``"aws"``; ``seconds`` the
    wall time of the whole load; ``from_cache`` is true when the table came from a
    ``cache`` snapshot taken at ``loaded_at`` (UTC); ``cache_note`` says why a snapshot
    was ignored or not written (None: nothing to say). ``data_range`` is the earliest
    and the latest value of the tables' timestamp columns (naive UTC; None without
    any); ``shifted_days`` the days the bundled sample's timestamps were moved forward
    to be recent (docs/design.md, "The load report").
    """

    source: str
    entries: tuple[LoadEntry, ...] = ()
    seconds: float = 0.0
    loaded_at: datetime = field(default_factory=_now)
    from_cache: bool = False
    cache_path: str | None = None
    cache_note: str | None = None
    data_range: tuple[datetime, datetime] | None = None
    shifted_days: int = 0

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LoadEntry]:
        return iter(self.entries)

    def __getitem__(self, index: Any) -> Any:
        return self.entries[index]

    @property
    def rows(self) -> int:
        return sum(e.rows for e in self.entries)

    @property
    def api_calls(self) -> int:
        return sum(e.api_calls for e in self.entries)

    @property
    def retries(self) -> int:
        return sum(e.retries for e in self.entries)

    @property
    def errors(self) -> tuple[LoadEntry, ...]:
        return tuple(e for e in self.entries if e.error is not None)

    @property
    def missing(self) -> int:
        """Listed resources that could not be read (their names are in the entries)."""
        return sum(len(e.missing) for e in self.entries)

    @property
    def complete(self) -> bool:
        """True when every listing reached its end and every listed resource was read."""
        return not self.missing and all(e.listing_complete for e in self.entries)

    def gaps(self) -> str:
        """What the table lacks, e.g. ``"1 region not listed, 3 experiments not loaded"``,
        or ``""`` when the load is complete."""
        unlisted = sum(1 for e in self.entries if not e.listing_complete and not e.listed)
        cut = sum(1 for e in self.entries if not e.listing_complete and e.listed)
        parts = [
            _plural(unlisted, "region") + " not listed" if unlisted else "",
            _plural(cut, "listing") + " cut off" if cut else "",
            _plural(self.missing, "experiment") + " not loaded" if self.missing else "",
        ]
        return ", ".join(p for p in parts if p)

    def age(self, now: datetime | None = None) -> float:
        """Seconds since the data was loaded from its source."""
        return max(0.0, ((now or _now()) - self.loaded_at).total_seconds())

    def to_dicts(self) -> list[dict[str, Any]]:
        """The entries as plain dicts (e.g. for ``pandas.DataFrame(report.to_dicts())``)."""
        return [e.to_dict() for e in self.entries]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "seconds": self.seconds,
            "loaded_at": self.loaded_at.isoformat(),
            "entries": [e.to_json() for e in self.entries],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], **changes: Any) -> LoadReport:
        loaded_at = datetime.fromisoformat(str(data["loaded_at"]))
        if loaded_at.tzinfo is None:
            loaded_at = loaded_at.replace(tzinfo=timezone.utc)
        values: dict[str, Any] = {
            "source": str(data["source"]),
            "entries": tuple(LoadEntry.from_dict(e) for e in data.get("entries", [])),
            "seconds": float(data.get("seconds", 0.0)),
            "loaded_at": loaded_at,
        }
        values.update(changes)
        return cls(**values)

    def summary(self, max_age: float | None = None) -> str:
        """A few lines for people: totals on the first line, then one line per failure."""
        accounts = len({e.account_id for e in self.entries})
        if self.from_cache:
            where = f" {self.cache_path}" if self.cache_path else ""
            limit = f"; max age {format_duration(max_age)}" if max_age else ""
            head = (
                f"using the cached snapshot{where}, {format_duration(self.age())} old"
                f"{limit} (--refresh reloads): {self.rows:,} rows from "
                f"{_plural(len(self.entries), 'region')} in {_plural(accounts, 'account')}"
            )
        else:
            head = (
                f"loaded {self.rows:,} rows from {_plural(len(self.entries), 'region')} in "
                f"{_plural(accounts, 'account')} in {self.seconds:.1f} s "
                f"({self.api_calls:,} API calls, {self.retries:,} retries)"
            )
        gaps = self.gaps()
        lines = [head + (f"; incomplete: {gaps}" if gaps else "")]
        if self.cache_note:
            lines.append(f"  {self.cache_note}")
        for entry in self.errors:
            lines.append(f"  failed: {entry.account_id} {entry.region}: {entry.error}")
            if entry.missing:
                lines.append(f"    not loaded: {_some(entry.missing)}")
        return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _some(names: Sequence[str], shown: int = 5) -> str:
    """The first ``shown`` names, and how many more there are."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more:,} more" if more > 0 else "")
