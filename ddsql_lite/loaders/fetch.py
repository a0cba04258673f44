"""Fetch: API records from many (account, region) targets, fanned out on one thread pool.

Per target the table's ``api`` block drives the calls: the List operation through
:func:`paginate` (with the filters pushed down, if any), then for every listed resource
the Describe operation and its tags (ListTags, paginated too). Each target's listing is
a task on one bounded :class:`~concurrent.futures.ThreadPoolExecutor`, and so is each
listed resource (its Describe then its ListTags), submitted as soon as its page
arrives. The target's single client is shared by its tasks (botocore clients are
thread-safe, and sharing one keeps one connection pool and one adaptive-retry rate
limiter per (account, region)).

Contract of :func:`fetch_all`:

- It returns, per target and in the targets' order, the records (docs/design.md,
  "Fixture format"; JSON-ready: timestamps are ISO-8601 UTC text, no ``ResponseMetadata``) in
  List order, and the target's :class:`LoadEntry`.
- Retrying is botocore's (the clients' retry configuration, timeouts included); nothing
  here retries.
- A failing List call ends that target's listing (its entry says the listing is not
  complete); a failing Describe or ListTags drops that one resource (its entry names
  it in ``missing``). Every other target carries on. A resource that disappeared
  between List and Describe (``ResourceNotFound``) is gone, not missing: skipped.
- A target that can answer no more (see :func:`ends_target`: its endpoint does not
  answer or cannot be reached even after botocore's retries, or its credentials expired
  or were rejected) is given up: no new call is started for it, its listing stops and
  its resources not yet read are ``missing``. Only the calls already in flight still
  take their time, so a hanging region costs one call's timeouts and retries, not one
  per resource; the other targets keep the pool.
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
from collections.abc import Callable, Iterator, Mapping
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


@dataclass
class Target:
    """One (account, region) to load, with its client (shared by the fan-out's threads)."""

    account_id: str
    region: str
    client: Any
    secrets: tuple[str, ...] = ()
    stats: CallStats = field(default_factory=CallStats)

    def __post_init__(self) -> None:
        self.stats.attach(self.client)


class _Run:
    """Mutable state of one target while the fan-out runs (guarded by ``lock``)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.lock = threading.Lock()
        self.records: dict[int, Record] = {}
        self.missing: dict[int, str] = {}  # listed, not loaded: List index -> name
        self.listed = 0
        self.listing_complete = False
        self.errors: list[str] = []
        self.ended: str | None = None  # the error that ended the target (ends_target)
        self.pending = 0
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
    """Runs every target's List, Describe and ListTags calls on one bounded pool."""

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
        self._outstanding = 0
        self._stopping = False
        self._pool: ThreadPoolExecutor | None = None

    def run(self, targets: list[Target]) -> list[tuple[list[Record], LoadEntry]]:
        runs = [_Run(t) for t in targets]
        with ThreadPoolExecutor(self.max_workers, thread_name_prefix="ddsql-aws") as pool:
            self._pool = pool
            try:
                for run in runs:
                    self._submit(run, self._list, run)
                with self._cond:
                    while self._outstanding:
                        self._cond.wait(0.25)
            except BaseException:  # Ctrl-C: let running calls end, start no more
                self._stopping = True
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return [([r.records[i] for i in sorted(r.records)], r.entry()) for r in runs]

    def _submit(self, run: _Run, fn: Callable[..., None], *args: Any) -> None:
        assert self._pool is not None
        with self._cond:
            self._outstanding += 1
        with run.lock:
            run.pending += 1
        self._pool.submit(self._task, run, fn, args)

    def _task(self, run: _Run, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        try:
            if not self._stopping:
                fn(*args)
        except Exception as exc:
            text = error_text(exc, run.target.secrets, run.target.client)
            log.debug("%s %s: %s", run.target.account_id, run.target.region, text)
            with run.lock:
                run.errors.append(text)
                if run.ended is None and ends_target(exc):
                    run.ended = text
        finally:
            with run.lock:
                run.pending -= 1
                done = run.pending == 0
                if done:
                    run.finished = time.monotonic()
            if done:
                self.progress.target_done(run.entry())
            with self._cond:
                self._outstanding -= 1
                if not self._outstanding:
                    self._cond.notify_all()

    def _list(self, run: _Run) -> None:
        run.started = time.monotonic()
        api = self.table.api
        key = api.get("describe_param", "Name")
        seen: set[str] = set()
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
            self._submit(run, self._fetch_one, run, run.listed - 1, name)
        run.listing_complete = True

    def _fetch_one(self, run: _Run, index: int, name: str) -> None:
        """Read one listed resource into ``run``: its record, or its name in
        ``missing`` when it fails or its target has ended (then it is not tried)."""
        answered = False
        try:
            if run.ended is None:
                record = self._read(run.target, name)
                answered = True
                if record is not None:
                    with run.lock:
                        run.records[index] = record
        finally:
            self.progress.fetched(1)
            if not answered:
                with run.lock:
                    run.missing[index] = name

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
