"""The live load: :func:`load_aws` resolves the accounts, regions and clients
(:mod:`.accounts`), then fetches every (account, region) on one thread pool
(:mod:`.fanout`).

The result holds JSON-ready records (the fixture format) in a stable order (account,
region, List order) and the :class:`LoadReport`. When every (account, region) failed,
the load raises a LoaderError listing the failures; otherwise a partial load keeps
what was read and its report says what is missing (docs/design.md, "Live loads").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from ...errors import LoaderError
from ...registry import Table
from .accounts import (
    Account,
    check_endpoint_url,
    check_region_names,
    make_client,
    resolve_accounts,
    resolve_regions,
)
from .calls import EXPIRED, Record
from .fanout import Target, fetch_all
from .options import AwsOptions
from .progress import ProgressSink
from .report import LoadEntry, LoadReport


@dataclass
class AwsLoad:
    """What a live load fetched: JSON-ready records and the report."""

    records: list[Record]
    report: LoadReport


def load_aws(table: Table, options: AwsOptions, *, progress: ProgressSink | None = None) -> AwsLoad:
    """Fetch ``table`` from every (account, region) of ``options`` (see the module
    docstring)."""
    service = table.api["service"]
    loaded_at = datetime.now(timezone.utc)
    started = time.monotonic()
    check_endpoint_url(options.endpoint_url)
    check_region_names(options, service)
    accounts = resolve_accounts(options)
    config = options.client_config(options.max_workers)
    targets = [
        Target(
            account.account_id,
            region,
            make_client(account, service, region, options.endpoint_url, config),
            account.secrets,
        )
        for account in accounts
        for region in resolve_regions(options, account, service)
    ]
    if not targets:
        raise LoaderError("no region to load: none is enabled for these credentials")
    if progress is not None:
        progress.start(len(targets))
    try:
        results = fetch_all(
            table,
            targets,
            max_workers=options.max_workers,
            list_filters=options.list_filters,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.stop()
    records = [r for recs, _ in results for r in recs]
    by_id = {account.account_id: account for account in accounts}
    entries = tuple(_explain_expiry(entry, by_id[entry.account_id]) for _, entry in results)
    report = LoadReport("aws", entries, round(time.monotonic() - started, 3), loaded_at=loaded_at)
    if all(e.error is not None and e.rows == 0 for e in entries):
        failures = "\n".join(f"  {e.account_id} {e.region}: {e.error}" for e in entries)
        raise LoaderError(f"nothing loaded from AWS: every region failed:\n{failures}")
    return AwsLoad(records, report)


def _explain_expiry(entry: LoadEntry, account: Account) -> LoadEntry:
    """``entry``, its error followed by what to do when the credentials expired (the
    check before the fan-out passed, so they expired during the load)."""
    if entry.error is None or entry.error.split(":", 1)[0] not in EXPIRED:
        return entry
    return replace(
        entry,
        error=f"{entry.error}; the credentials of {account.label} expired during the "
        f"load: {account.renew}",
    )
