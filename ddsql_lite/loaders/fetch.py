"""Fetch: API records from many (account, region) targets, fanned out on one thread pool.

Per target the table's ``api`` block drives the calls: the List operation through
:func:`paginate` (with the filters pushed down, if any), then for every listed resource
the Describe operation and its tags (ListTags, paginated too). Each target's listing is
a job, and so is each listed resource (its Describe then its ListTags), queued as soon
as its page arrives. One bounded :class:`~concurrent.futures.ThreadPoolExecutor` runs
the jobs; the fan-out starts them round-robin over the targets, each target within its
share of the threads (see :class:`FanOut`). The target's single client is shared by its
jobs (botocore clients are thread-safe, and sharing one keeps one connection pool per
(account, region)), and carries its :class:`TargetGuard`: the client-side rate shaping
of each API operation (:class:`RateShaper`) and the circuit that keeps a hanging target
from holding threads.

Contract of :func:`fetch_all`:

- It returns, per target and in the targets' order, the records (docs/design.md,
  "Fixture format"; JSON-ready: timestamps are ISO-8601 UTC text, no ``ResponseMetadata``) in
  List order, and the target's :class:`LoadEntry`.
- Retrying is botocore's (the clients' retry configuration, timeouts included), except
  that a throttled call is retried as soon as its operation's shaped rate allows
  (:class:`RateShaper`) rather than after botocore's backoff; nothing else here retries.
- A failing List call ends that target's listing (its entry says the listing is not
  complete); a failing Describe or ListTags drops that one resource (its entry names
  it in ``missing``). Every other target carries on. A resource that disappeared
  between List and Describe (``ResourceNotFound``) is gone, not missing: skipped.
- Threads: a target never runs more jobs at once than its share of the pool (the
  workers divided among the targets that still have work). Once an attempt of one of
  its calls times out or cannot connect, the target is *suspect*: it runs one job at a
  time, that call (the probe) keeps its retries, and each of its other calls in flight
  gives its thread back when its attempt times out and is queued again. The probe
  answering makes the target healthy again; the probe spending its attempts gives it up.
- A target that can answer no more (see :func:`ends_target`: its endpoint does not
  answer or cannot be reached even after botocore's retries, or its credentials expired
  or were rejected) is given up: its queued jobs are dropped at once (their resources
  are ``missing``), its listing stops, and its calls in flight stop at their next
  attempt. So a hanging region costs one call's timeouts and retries on one thread, plus
  one timeout on each of the few threads it held when it stopped answering; the other
  targets keep the pool.
- Nothing is dropped silently: per target, ``rows + len(missing)`` plus the resources
  that vanished is ``listed``, and ``listing_complete`` says whether ``listed`` is all.
- Error texts are redacted with the target's secrets.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from botocore import xform_name
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    HTTPClientError,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectionError as EndpointError

from ..errors import LoaderError
from ..registry import Table
from .progress import NullProgress, ProgressSink
from .report import LoadEntry
from .rows import iso_utc, parse_timestamp

log = logging.getLogger(__name__)

Record = dict[str, Any]
NOT_FOUND = frozenset({"ResourceNotFound", "ResourceNotFoundException"})
EXPIRED = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
"""Error codes of credentials that expired (or a request signed too long ago)."""
REJECTED = frozenset(
    {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "AuthFailure",
        "InvalidAccessKeyId",
    }
)
"""Error codes of credentials the service does not accept."""
_ACCESS_KEY = re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without the given secret values and without anything shaped like an
    AWS access key id."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "****")
    return _ACCESS_KEY.sub("****", text)


def error_code(exc: BaseException) -> str:
    """The AWS error code of a :class:`ClientError`, else the exception's class name."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "Error")
    return type(exc).__name__


def error_text(exc: BaseException, secrets: tuple[str, ...] = (), client: Any = None) -> str:
    """``"Code: message"`` for an AWS error, ``"ClassName: message"`` for others. With
    the ``client`` that timed out, the timeout that expired is appended."""
    code = error_code(exc)
    if isinstance(exc, ClientError):
        message = str(exc.response.get("Error", {}).get("Message") or exc)
    else:
        message = str(exc)
    text = f"{code}: {message}" if message else code
    config = getattr(getattr(client, "meta", None), "config", None)
    if config is not None and isinstance(exc, (ConnectTimeoutError, ReadTimeoutError)):
        kind = "connect" if isinstance(exc, ConnectTimeoutError) else "read"
        text += f" (no answer within the {getattr(config, f'{kind}_timeout'):g} s {kind} timeout)"
    return redact(text, secrets)


def ends_target(exc: BaseException) -> bool:
    """Whether ``exc``, raised after botocore's retries, means the target can answer no
    more calls: its endpoint hangs or cannot be reached (botocore's connection errors
    and timeouts), or its credentials expired or were rejected."""
    if isinstance(exc, ClientError):
        return error_code(exc) in EXPIRED | REJECTED
    return isinstance(exc, (EndpointError, HTTPClientError))


class CallStats:
    """API calls and botocore retries made through one client (thread-safe).

    Counts through the client's own events: every API call ends with exactly one of
    ``after-call`` (an answer, error answers included) or ``after-call-error`` (no answer:
    connection failures after botocore's retries); ``response-received`` fires once per
    HTTP attempt with the attempt number in its context.
    """

    def __init__(self) -> None:
        self.calls = 0
        self.retries = 0
        self._lock = threading.Lock()

    def attach(self, client: Any) -> None:
        client.meta.events.register("after-call", self._on_call)
        client.meta.events.register("after-call-error", self._on_call)
        client.meta.events.register("response-received", self._on_response)

    def _on_call(self, **kwargs: Any) -> None:
        with self._lock:
            self.calls += 1

    def _on_response(self, context: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        attempt = ((context or {}).get("retries") or {}).get("attempt", 1)
        if attempt > 1:
            with self._lock:
                self.retries += 1


def page_size(client: Any, operation: str) -> int | None:
    """The largest ``MaxResults`` the operation's model allows, or None if unbounded."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    member = shape.members.get("MaxResults") if shape is not None else None
    if member is None:
        return None
    largest = member.metadata.get("max")
    return int(largest) if largest is not None else None


@cache
def pagination(service: str, operation: str) -> dict[str, Any]:
    """botocore's pagination model of ``operation`` (tokens, result and limit keys)."""
    import botocore.session

    config = dict(
        botocore.session.get_session().get_paginator_model(service).get_paginator(operation)
    )
    if not isinstance(config.get("input_token"), str) or not isinstance(
        config.get("output_token"), str
    ):
        raise LoaderError(f"{service} {operation}: multi-token pagination is not supported")
    return config


def paginate(client: Any, operation: str, **params: Any) -> Iterator[Any]:
    """Every item of every page of ``operation``, following the tokens of botocore's
    pagination model and asking for the largest page the model allows.

    The one pagination helper. It drives the client directly rather than through a
    botocore ``Paginator`` (which costs a JMESPath search and a deep copy per page: too
    much CPU per call when thousands of one-page ListTags calls share the GIL). A token
    that comes back twice is an error, as in botocore.
    """
    config = pagination(client.meta.service_model.service_name, operation)
    result_key = str(config["result_key"])
    size = page_size(client, operation)
    if size and config.get("limit_key"):
        params[str(config["limit_key"])] = size
    call = getattr(client, xform_name(operation))
    seen: set[str] = set()
    while True:
        page = call(**params)
        yield from page.get(result_key) or []
        token = page.get(config["output_token"])
        if not token:
            return
        if token in seen:
            raise LoaderError(f"{operation} returned the same {config['output_token']} twice")
        seen.add(token)
        params[config["input_token"]] = token


def jsonable(value: Any) -> Any:
    """An API response as plain JSON values: datetimes (botocore's, or a Stubber's)
    become ISO-8601 UTC text, and the top-level ``ResponseMetadata`` goes. A JSON round
    trip: C speed, and the result is JSON-ready by construction."""
    if isinstance(value, dict) and "ResponseMetadata" in value:
        value = {k: v for k, v in value.items() if k != "ResponseMetadata"}
    return json.loads(json.dumps(value, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return iso_utc(parse_timestamp(value, ""))
    raise TypeError(f"{type(value).__name__} is not JSON data")


def arn_account(arn: Any) -> str | None:
    """The account field of an ARN (``arn:partition:service:region:account:...``)."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) == 6 and parts[0] == "arn" and re.fullmatch(r"\d{12}", parts[4]):
        return parts[4]
    return None


THROTTLED = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "SlowDown",
    }
)
"""Error codes of a request refused for its rate (botocore's throttling codes, less those
of quotas and capacity, e.g. ``LimitExceededException``, which pacing does not help)."""
_HANGS = (ConnectTimeoutError, ReadTimeoutError, EndpointError)
"""What an attempt raises when its endpoint hangs or cannot be reached."""


class CallDeferred(Exception):
    """Raised into a call of a suspect target when its attempt timed out while another
    call probes the target: the call gives its thread back and is queued again."""


class TargetGivenUp(Exception):
    """Raised into a call of a target that was given up, at its next attempt."""


class _Pace:
    """The shaped rate of one API operation (guarded by :class:`RateShaper`'s lock)."""

    __slots__ = ("accepted", "answers", "cut_at", "first", "next_at", "rate", "step")

    def __init__(self, now: float) -> None:
        self.rate: float | None = None  # None: never throttled, no limit
        self.step = 0.0  # requests a second the rate grows by, per second
        self.next_at = now  # the next free slot
        self.cut_at = float("-inf")  # when the rate was last cut
        self.answers: deque[tuple[float, bool]] = deque()  # (when, accepted), last WINDOW s
        self.accepted = 0  # accepted answers in ``answers``
        self.first = now  # the first answer

    def current(self, now: float) -> float | None:
        if self.rate is None:
            return None
        return self.rate + self.step * (now - self.cut_at)


class RateShaper:
    """Client-side rate shaping for one target (account, region): the requests of each
    API operation are spaced to a rate learnt from the service's throttling, since AWS
    throttles each operation of an account and region on its own token bucket.

    An operation is not limited until it is first throttled. A throttled answer to a
    request sent after the last cut cuts the operation's rate to ``BACKOFF`` times the
    lower of its current rate and the rate the service accepted over the last
    ``WINDOW`` seconds (a service whose bucket is empty accepts exactly its refill
    rate); the rate then grows by ``GROWTH`` of the cut rate per second (at least
    ``MIN_STEP``), probing for more, until the next throttle. Every attempt, retries
    included, waits for its slot in :meth:`acquire`: near the service's rate a few
    requests per cycle are throttled, not a storm of them.
    """

    WINDOW = 1.0
    BACKOFF = 0.85
    GROWTH = 0.2
    MIN_STEP = 1.0
    MIN_RATE = 0.5

    def __init__(self) -> None:
        self._paces: dict[str, _Pace] = {}
        self._lock = threading.Lock()
        self._sent = threading.local()  # when this thread's latest request was sent
        self.throttled = 0  # throttled answers

    def rate(self, operation: str) -> float | None:
        """The operation's shaped rate (requests a second), or None when unlimited."""
        with self._lock:
            pace = self._paces.get(operation)
            return None if pace is None else pace.current(time.monotonic())

    def acquire(self, operation: str) -> None:
        """Wait until ``operation`` may send its next request."""
        now = time.monotonic()
        at = now
        pace = self._paces.get(operation)
        if pace is not None and pace.rate is not None:
            with self._lock:
                rate = max(pace.current(now) or 0.0, self.MIN_RATE)
                at = max(pace.next_at, now)
                pace.next_at = at + 1.0 / rate
        self._sent.at = at
        if at > now:
            time.sleep(at - now)

    def answered(self, operation: str, throttled: bool) -> None:
        """Record the answer to this thread's latest request of ``operation``."""
        now = time.monotonic()
        sent = getattr(self._sent, "at", now)
        with self._lock:
            pace = self._paces.get(operation)
            if pace is None:
                pace = self._paces[operation] = _Pace(now)
            answers = pace.answers
            while answers and answers[0][0] < now - self.WINDOW:
                pace.accepted -= answers.popleft()[1]
            answers.append((now, not throttled))
            if not throttled:
                pace.accepted += 1
                return
            self.throttled += 1
            if sent < pace.cut_at:
                return  # sent before the last cut: that cut answered it already
            span = max(min(self.WINDOW, now - pace.first), 0.1)
            known = [r for r in (pace.current(now), pace.accepted / span) if r]
            seen = min(known) if known else len(answers) / span
            rate = max(self.BACKOFF * seen, self.MIN_RATE)
            pace.rate, pace.cut_at = rate, now
            pace.step = max(self.GROWTH * rate, self.MIN_STEP)
            pace.next_at = max(pace.next_at, now + 1.0 / rate)
            log.debug("%s throttled: %.1f requests a second from now on", operation, rate)


class TargetGuard:
    """The hooks a target's client runs around each attempt of each call: rate shaping
    (:class:`RateShaper`), retries of throttled calls, and the circuit of a target that
    stops answering (see the module docstring): ``suspect`` once an attempt timed out
    or could not connect, ``given_up`` once the fan-out gave the target up.

    Threads identify calls: each fan-out thread runs one call at a time."""

    def __init__(self, max_attempts: int | None = None) -> None:
        self.shaper = RateShaper()
        self.max_attempts = max_attempts
        self.suspect = False
        self.probe: int | None = None  # the thread whose call keeps retrying while suspect
        self.given_up = False
        self._exempt: set[int] = set()  # threads whose calls are never deferred
        self._lock = threading.Lock()

    def attach(self, client: Any) -> None:
        service = client.meta.service_model.service_id.hyphenize()
        if self.max_attempts is None:
            retries = getattr(client.meta.config, "retries", None) or {}
            self.max_attempts = retries.get("total_max_attempts")
        client.meta.events.register(f"before-send.{service}", self._before_send)
        # first: it decides before botocore's retry handler (which it may overrule)
        client.meta.events.register_first(f"needs-retry.{service}", self._needs_retry)

    def give_up(self) -> None:
        self.given_up = True

    def exempt(self) -> _Exempt:
        """A context in which this thread's calls are never deferred (a listing keeps
        its place in the pages by retrying where it is)."""
        return _Exempt(self._exempt)

    def release(self) -> None:
        """This thread's job ended: if it was the probe, the next call to time out is."""
        if self.probe == threading.get_ident():
            with self._lock:
                if self.probe == threading.get_ident():
                    self.probe = None

    def _before_send(self, event_name: str = "", **kwargs: Any) -> None:
        if self.given_up:
            raise TargetGivenUp()
        self.shaper.acquire(event_name.rsplit(".", 1)[-1])
        if self.given_up:  # while it waited for its slot
            raise TargetGivenUp()

    def _needs_retry(
        self,
        response: Any = None,
        caught_exception: BaseException | None = None,
        operation: Any = None,
        attempts: int = 1,
        **kwargs: Any,
    ) -> float | None:
        if isinstance(caught_exception, (TargetGivenUp, CallDeferred)):
            raise caught_exception
        name = getattr(operation, "name", "")
        if caught_exception is not None:
            if self.given_up:
                raise TargetGivenUp() from caught_exception
            if isinstance(caught_exception, _HANGS):
                self._timed_out(caught_exception)
            return None
        if response is None:
            return None
        status = getattr(response[0], "status_code", 200)
        code = (response[1].get("Error") or {}).get("Code") if status >= 300 else None
        throttled = code in THROTTLED or status == 429
        self.shaper.answered(name, throttled)
        self.suspect = False  # it answers, if only with an error
        if status < 300:
            return None
        if self.given_up:
            raise TargetGivenUp()
        if throttled and self.max_attempts and attempts < self.max_attempts:
            return 0.0  # retried at once: its wait is its slot in the shaped rate
        return None

    def _timed_out(self, exc: BaseException) -> None:
        """An attempt of this thread's call timed out or could not connect: the target
        is suspect, and this call its probe unless another call is."""
        me = threading.get_ident()
        with self._lock:
            if not self.suspect or self.probe is None or self.probe == me:
                self.suspect, self.probe = True, me
                return
            if me in self._exempt:
                return
        raise CallDeferred() from exc


class _Exempt:
    def __init__(self, threads: set[int]) -> None:
        self._threads = threads

    def __enter__(self) -> None:
        self._threads.add(threading.get_ident())

    def __exit__(self, *exc: object) -> None:
        self._threads.discard(threading.get_ident())


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
    """Fetch every target's records concurrently; see the module docstring."""
    fan_out = FanOut(table, max_workers=max_workers, list_filters=list_filters, progress=progress)
    return fan_out.run(targets)
