"""The hooks a target's client runs around each attempt of each call: each API
operation paced to the rate the service accepts (:class:`RateShaper`), throttled calls
retried in their slot, and the circuit of a target that stops answering
(:class:`TargetGuard`; docs/design.md, "Live loads")."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Any

from botocore.exceptions import ConnectionError as EndpointError
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

log = logging.getLogger(__name__)

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
    stops answering (docs/design.md, "Live loads"): ``suspect`` once an attempt timed out
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
