"""One AWS call: pagination, call and retry counts, responses as JSON, and error codes
and texts (redacted of secrets)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping
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

from ...errors import LoaderError
from ..mapping.values import api_timestamp, iso_utc

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
        return iso_utc(api_timestamp(value, ""))
    raise TypeError(f"{type(value).__name__} is not JSON data")


def arn_account(arn: Any) -> str | None:
    """The account field of an ARN (``arn:partition:service:region:account:...``)."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) == 6 and parts[0] == "arn" and re.fullmatch(r"\d{12}", parts[4]):
        return parts[4]
    return None
