"""The fan-out: every target's List, Describe and ListTags calls on one bounded
thread pool (:func:`fetch_all`).

Per target (account, region), the List operation is one job and each listed resource
another (its Describe, then its ListTags), queued as its page arrives; targets take
turns, each within its share of the threads. A failing call costs its own resource (or
the rest of its listing); a target that can answer no more is given up; nothing is
dropped silently (docs/design.md, "Live loads").
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from ...registry import Table
from .calls import (
    NOT_FOUND,
    CallStats,
    Record,
    arn_account,
    ends_target,
    error_code,
    error_text,
    jsonable,
    paginate,
)
from .progress import NullProgress, ProgressSink
from .rate_shaping import CallDeferred, TargetGivenUp, TargetGuard
from .report import LoadEntry

log = logging.getLogger(__name__)


@dataclass
class Target:
    """One (account, region) to load, with its client (shared by the fan-out's threads)."""

    account_id: str
    region: str
    client: Any
    secrets: tuple[str, ...] = ()
    stats: CallStats = field(default_factory=CallStats)
    guard: TargetGuard = field(default_factory=TargetGuard)

    def __post_init__(self) -> None:
        self.stats.attach(self.client)
        self.guard.attach(self.client)


_LISTING = -1
"""The index of a target's listing job (other jobs are resources: their List index)."""
Job = tuple[int, str]
"""A job of the fan-out: (List index, resource name), or (``_LISTING``, "")."""


class _Run:
    """Mutable state of one target while the fan-out runs. ``records``, ``missing``,
    ``errors`` and ``ended`` are guarded by ``lock``; ``queue``, ``running``,
    ``pending`` and ``active`` by the fan-out's lock."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.lock = threading.Lock()
        self.records: dict[int, Record] = {}
        self.missing: dict[int, str] = {}  # listed, not loaded: List index -> name
        self.listed = 0
        self.listing_complete = False
        self.errors: list[str] = []
        self.ended: str | None = None  # the error that ended the target (ends_target)
        self.queue: deque[Job] = deque()
        self.running = 0  # jobs on the pool
        self.pending = 0  # jobs queued or running
        self.active = False  # in the fan-out's round-robin
        self.started = time.monotonic()
        self.finished: float | None = None

    def entry(self) -> LoadEntry:
        """The target's report entry. The error is the one that ended the target, else
        the first, followed by what is missing and how many more errors there were."""
        error = None
        if self.errors:
            extra = []
            if not self.listing_complete and self.listed:
                extra.append(f"listing cut off after {self.listed}")
            if self.missing:
                extra.append(f"{len(self.missing)} not loaded")
            if len(self.errors) > 1:
                extra.append(f"{len(self.errors) - 1} more errors")
            head = self.ended or self.errors[0]
            error = head + (f" ({'; '.join(extra)})" if extra else "")
        end = self.finished if self.finished is not None else time.monotonic()
        return LoadEntry(
            account_id=self.target.account_id,
            region=self.target.region,
            rows=len(self.records),
            api_calls=self.target.stats.calls,
            retries=self.target.stats.retries,
            seconds=round(end - self.started, 3),
            error=error,
            listed=self.listed,
            listing_complete=self.listing_complete,
            missing=tuple(self.missing[i] for i in sorted(self.missing)),
        )


class FanOut:
    """Runs every target's List, Describe and ListTags calls on one bounded pool.

    Jobs wait in their target's queue, not in the pool's: a job starts when a thread is
    free, taking the targets round-robin, and only if its target runs fewer jobs than
    its share: the threads divided among the targets with work (suspect targets, which
    run one job at a time, leave theirs to the others). So no target can hold every
    thread, and a throttled or hanging target waits on its own share."""

    def __init__(
        self,
        table: Table,
        *,
        max_workers: int,
        list_filters: Mapping[str, Any] | None = None,
        progress: ProgressSink | None = None,
    ) -> None:
        self.table = table
        self.max_workers = max_workers
        self.list_filters = dict(list_filters or {})
        self.progress = progress or NullProgress()
        self._cond = threading.Condition()
        self._outstanding = 0  # jobs queued or running, over all targets
        self._busy = 0  # jobs running
        self._active: deque[_Run] = deque()  # targets with jobs, in round-robin order
        self._stopping = False
        self._pool: ThreadPoolExecutor | None = None

    def run(self, targets: list[Target]) -> list[tuple[list[Record], LoadEntry]]:
        runs = [_Run(t) for t in targets]
        with ThreadPoolExecutor(self.max_workers, thread_name_prefix="ddsql-aws") as pool:
            self._pool = pool
            try:
                with self._cond:
                    for run in runs:
                        self._enqueue(run, (_LISTING, ""))
                    self._pump()
                    while self._outstanding:
                        self._cond.wait(0.25)
            except BaseException:  # Ctrl-C: let running calls end, start no more
                self._stopping = True
                for run in runs:
                    run.target.guard.give_up()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return [([r.records[i] for i in sorted(r.records)], r.entry()) for r in runs]

    def share(self) -> int:
        """How many jobs a healthy target may run at once (with the fan-out's lock)."""
        suspects = sum(1 for run in self._active if run.target.guard.suspect)
        healthy = len(self._active) - suspects
        return max(1, -(-(self.max_workers - suspects) // max(1, healthy)))

    def _enqueue(self, run: _Run, job: Job) -> None:
        """Queue ``job`` (with the fan-out's lock)."""
        run.queue.append(job)
        run.pending += 1
        self._outstanding += 1
        if not run.active:
            run.active = True
            self._active.append(run)

    def _pump(self) -> None:
        """Start queued jobs while threads are free (with the fan-out's lock)."""
        assert self._pool is not None
        if self._stopping or self._busy >= self.max_workers or not self._active:
            return
        share = self.share()
        while self._busy < self.max_workers:
            run = self._next(share)
            if run is None:
                return
            job = run.queue.popleft()
            run.running += 1
            self._busy += 1
            self._pool.submit(self._task, run, job)

    def _next(self, share: int) -> _Run | None:
        """The next target, round-robin, with a queued job and room in its share."""
        for _ in range(len(self._active)):
            run = self._active[0]
            self._active.rotate(-1)
            limit = 1 if run.target.guard.suspect else share
            if run.queue and run.running < limit:
                return run
        return None

    def _submit(self, run: _Run, index: int, name: str) -> None:
        """Queue the resource ``name`` of ``run``, or, when its target was given up,
        record it as missing at once."""
        with self._cond:
            if not run.target.guard.given_up:
                self._enqueue(run, (index, name))
                self._pump()
                return
        self._missing(run, [(index, name)])

    def _missing(self, run: _Run, jobs: list[Job]) -> None:
        names = [(i, n) for i, n in jobs if i != _LISTING]
        if names:
            with run.lock:
                run.missing.update(names)
            self.progress.fetched(len(names))

    def _task(self, run: _Run, job: Job) -> None:
        deferred = False
        try:
            if self._stopping:
                pass
            elif job[0] == _LISTING:
                self._list(run)
            else:
                deferred = self._fetch_one(run, *job)
        except Exception as exc:
            self._failed(run, exc)
        finally:
            run.target.guard.release()
            self._finish(run, job, deferred)

    def _failed(self, run: _Run, exc: Exception) -> None:
        if isinstance(exc, TargetGivenUp):
            return  # the error that gave the target up is recorded already
        text = error_text(exc, run.target.secrets, run.target.client)
        log.debug("%s %s: %s", run.target.account_id, run.target.region, text)
        with run.lock:
            run.errors.append(text)
            if run.ended is not None or not ends_target(exc):
                return
            run.ended = text
        self._give_up(run)

    def _give_up(self, run: _Run) -> None:
        """Stop ``run``'s target: no call is started for it, its queued jobs are
        dropped (their resources are missing) and its calls in flight stop at their
        next attempt."""
        run.target.guard.give_up()
        with self._cond:
            dropped = list(run.queue)
            run.queue.clear()
            run.pending -= len(dropped)
            self._outstanding -= len(dropped)
        self._missing(run, dropped)

    def _finish(self, run: _Run, job: Job, deferred: bool) -> None:
        """Account for a job that left its thread; start the next ones."""
        given_up = False
        with self._cond:
            run.running -= 1
            self._busy -= 1
            if deferred and run.target.guard.given_up:
                given_up, deferred = True, False
            if deferred:
                run.queue.appendleft(job)  # first in line once the target answers
            else:
                run.pending -= 1
                self._outstanding -= 1
            done = run.pending == 0
            if done:
                run.finished = time.monotonic()
                run.active = False
                self._active.remove(run)
            self._pump()
            if not self._outstanding:
                self._cond.notify_all()
        if given_up:
            self._missing(run, [job])
        if done:
            self.progress.target_done(run.entry())

    def _list(self, run: _Run) -> None:
        run.started = time.monotonic()
        api = self.table.api
        key = api.get("describe_param", "Name")
        seen: set[str] = set()
        with run.target.guard.exempt():
            items = paginate(run.target.client, api["list"], **self.list_filters)
            for summary in items:
                if self._stopping or run.ended is not None:
                    return
                name = summary.get(key)
                if not isinstance(name, str) or name in seen:
                    continue
                seen.add(name)
                run.listed = len(seen)
                self.progress.found(1)
                self._submit(run, run.listed - 1, name)
        run.listing_complete = True

    def _fetch_one(self, run: _Run, index: int, name: str) -> bool:
        """Read one listed resource into ``run``: its record, or its name in
        ``missing`` when it fails or its target has ended (then it is not tried).
        True when the call gave its thread back (:class:`CallDeferred`): the job is
        to run again."""
        try:
            if run.ended is not None or run.target.guard.given_up:
                raise TargetGivenUp()
            record = self._read(run.target, name)
        except CallDeferred:
            return True
        except BaseException:
            self._missing(run, [(index, name)])
            raise
        if record is not None:
            with run.lock:
                run.records[index] = record
        self.progress.fetched(1)
        return False

    def _read(self, target: Target, name: str) -> Record | None:
        """The record of resource ``name`` (Describe, then its tags); None when it
        vanished after it was listed."""
        api = self.table.api
        client = target.client
        try:
            described = getattr(client, xform_name(api["describe"]))(
                **{api.get("describe_param", "Name"): name}
            )
            tags = (
                list(paginate(client, api["tags"], ResourceArn=described["Arn"]))
                if api.get("tags")
                else []
            )
        except ClientError as exc:
            if error_code(exc) not in NOT_FOUND:
                raise
            log.debug("%s vanished while loading; skipped", name)
            return None
        return {
            "account_id": arn_account(described.get("Arn")) or target.account_id,
            "region": target.region,
            "experiment": jsonable(described),
            "tags": jsonable(tags) if tags else [],
        }


def fetch_all(
    table: Table,
    targets: list[Target],
    *,
    max_workers: int,
    list_filters: Mapping[str, Any] | None = None,
    progress: ProgressSink | None = None,
) -> list[tuple[list[Record], LoadEntry]]:
    """Fetch every target's records concurrently (docs/design.md, "Live loads")."""
    fan_out = FanOut(table, max_workers=max_workers, list_filters=list_filters, progress=progress)
    return fan_out.run(targets)
