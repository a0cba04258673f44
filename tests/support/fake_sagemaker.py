"""A fake AWS for the live loader's tests: real HTTP on 127.0.0.1, real wire protocols.

:class:`FakeAws` answers real boto3 clients (pointed at it with ``endpoint_url`` or
``AWS_ENDPOINT_URL``) in the protocols AWS uses:

- SageMaker, JSON 1.1 (``X-Amz-Target: SageMaker.<Operation>``):
  ListInferenceExperiments (filters, ``MaxResults``, ``NextToken``),
  DescribeInferenceExperiment, ListTags (paginated). Responses are built from fixture
  records (``ddsql_lite.loaders.mapping.synthetic_records``) through the botocore output shapes, so
  timestamps travel as epoch seconds like the real service's.
- STS (query protocol, XML): GetCallerIdentity, AssumeRole.
- EC2 (query protocol, XML): DescribeRegions.

The caller is identified like AWS does it, from the SigV4 ``Authorization`` header:
the access key id picks the account (``keys``), the credential scope the region.

Faults: ``latency`` per request; ``throttle`` (a set of SageMaker request numbers, 0-based,
answered ThrottlingException); ``error_500`` (request numbers answered HTTP 500);
``page_size``/``tag_page_size`` (force pages that small, e.g. one item with NextToken);
``denied_regions`` (AccessDeniedException for every SageMaker call there);
``rate_limit`` and ``burst`` (the service's throttling, as AWS does it: a token bucket
per account, region and API operation, refilled at ``rate_limit`` requests a second and
holding at most ``burst`` tokens, a second's worth by default; a request that finds its
bucket empty is answered ThrottlingException. Either may be a mapping from operation
name to value, for per-API limits); ``vanished`` (names
listed but gone on Describe); ``failing`` (names whose Describe
always fails with a non-retryable error); ``expired_keys``; ``expire_after`` (access
key -> SageMaker requests it is good for; later requests, STS included, are answered
ExpiredToken(Exception), as when credentials expire during a load); ``hang`` (region ->
SageMaker requests answered there before it stops answering: later requests are read
and never answered, until the fake stops); ``enabled`` (the
regions EC2 DescribeRegions reports per account) and ``ec2_denied``. ``message_leak``
puts the caller's credentials into AccessDenied messages (to test redaction).
Filter semantics the API model leaves open are switchable: ``case_sensitive_names``
(NameContains) and ``inclusive_times`` (``*After``/``*Before`` bounds).

Counters (``served``, ``faults``, ``hung``; ``admitted`` and ``throttled`` per
(account, region, operation) bucket; ``peak_in_flight``, the most requests answered at
once) let tests check the loader's report and its concurrency.

:func:`unanswered_endpoint` is an address whose connections are never accepted (for
connect timeouts, without leaving 127.0.0.1).
"""

from __future__ import annotations

import base64
import calendar
import itertools
import json
import os
import re
import secrets
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape

from ddsql_lite.loaders.mapping.values import api_timestamp

SERVICE_MODEL = botocore.session.get_session().get_service_model("sagemaker")
_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_SUMMARY = SERVICE_MODEL.shape_for("InferenceExperimentSummary")
_DESCRIBE = SERVICE_MODEL.operation_model("DescribeInferenceExperiment").output_shape


def epoch(value: Any) -> float | int:
    """Epoch seconds of an ISO-8601 text, epoch number or datetime (as the API sends)."""
    stamp = api_timestamp(value, "timestamp")
    seconds = calendar.timegm(stamp.timetuple())
    return seconds + stamp.microsecond / 1e6 if stamp.microsecond else seconds


def to_wire(value: Any, shape: Shape | None) -> Any:
    """A value as the JSON protocol carries it for ``shape`` (timestamps as epochs)."""
    if shape is None:
        return value
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {k: to_wire(v, shape.members.get(k)) for k, v in value.items()}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [to_wire(v, shape.member) for v in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {k: to_wire(v, shape.value) for k, v in value.items()}
    if shape.type_name == "timestamp":
        return epoch(value)
    return value


class AwsFault(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class FakeAws:
    """See the module docstring. Use as a context manager, or ``start()``/``stop()``."""

    def __init__(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        keys: Mapping[str, str],
        latency: float = 0.0,
        throttle: Iterable[int] = (),
        error_500: Iterable[int] = (),
        page_size: int | None = None,
        tag_page_size: int | None = None,
        denied_regions: Iterable[str] = (),
        vanished: Iterable[str] = (),
        expired_keys: Iterable[str] = (),
        enabled: Mapping[str, Iterable[str]] | None = None,
        ec2_denied: bool = False,
        message_leak: bool = False,
        roles: Iterable[str] = (),
        failing: Iterable[str] = (),
        case_sensitive_names: bool = False,
        inclusive_times: bool = False,
        rate_limit: float | Mapping[str, float] | None = None,
        burst: float | Mapping[str, float] | None = None,
        expire_after: Mapping[str, int] | None = None,
        hang: Mapping[str, int] | None = None,
    ) -> None:
        self.data: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self._by_name: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._by_arn: dict[tuple[str, str, str], dict[str, Any]] = {}
        for record in records:
            account, region = record["account_id"], record["region"]
            self.data[(account, region)].append(dict(record))
            self._by_name[(account, region, record["experiment"]["Name"])] = record
            self._by_arn[(account, region, record["experiment"]["Arn"])] = record
        self._wire: dict[tuple[str, str, str], bytes] = {}  # describe answers, built once
        self.keys = dict(keys)  # access key id -> account id
        self.secret_keys: dict[str, str] = {}
        self.latency = latency
        self.throttle = set(throttle)
        self.error_500 = set(error_500)
        self.page_size = page_size
        self.tag_page_size = tag_page_size
        self.denied_regions = set(denied_regions)
        self.vanished = set(vanished)
        self.expired_keys = set(expired_keys)
        self.enabled = None if enabled is None else {a: set(r) for a, r in enabled.items()}
        self.ec2_denied = ec2_denied
        self.message_leak = message_leak
        self.roles = set(roles)
        self.failing = set(failing)
        self.case_sensitive_names = case_sensitive_names
        self.inclusive_times = inclusive_times
        self.rate_limit = rate_limit
        self.burst = burst
        self.expire_after = dict(expire_after or {})
        self.hang = dict(hang or {})
        self.hung = 0  # requests left unanswered
        self._released = threading.Event()  # set on stop: hung requests end, unanswered
        self._key_calls: Counter[str] = Counter()  # SageMaker requests per access key
        self._region_calls: Counter[str] = Counter()  # SageMaker requests per region
        self._buckets: dict[tuple[str, str, str], list[float]] = {}  # tokens, last refill
        self.admitted: Counter[tuple[str, str, str]] = Counter()  # (account, region, op)
        self.throttled: Counter[tuple[str, str, str]] = Counter()  # by the rate limit
        self.issued_secrets: list[str] = []  # secrets and tokens handed out by AssumeRole
        self.served: Counter[str] = Counter()  # operation -> requests answered (any status)
        self.faults = 0  # retryable faults served (throttles and 500s)
        self.in_flight = 0  # requests being answered now
        self.peak_in_flight = 0  # the most answered at once (did the client overlap calls?)
        self.list_params: list[dict[str, Any]] = []
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- life cycle -------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeAws:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as AWS endpoints
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between writes

            def parse_request(self) -> bool:
                """The request line and headers, without http.server's email-module
                header parser (most of the fake's CPU per request); keys lower-cased."""
                self.requestline = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
                words = self.requestline.split()
                if len(words) != 3 or not words[2].startswith("HTTP/1."):
                    self.send_error(400, "bad request line")
                    return False
                self.command, self.path, self.request_version = words
                fields: dict[str, str] = {}
                while True:
                    line = self.rfile.readline(65537)
                    if line in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = line.decode("iso-8859-1").partition(":")
                    fields[name.strip().lower()] = value.strip()
                self.headers = fields  # type: ignore[assignment]
                self.close_connection = fields.get("connection", "").lower() == "close"
                return True

            def do_POST(self) -> None:
                fields: dict[str, str] = self.headers  # type: ignore[assignment]
                body = self.rfile.read(int(fields.get("content-length") or 0))
                answer = fake.handle(fields, body)
                if answer is None:  # a hanging region: close without a word
                    self.close_connection = True
                    return
                status, headers, payload = answer
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                # end_headers() with the body in the same buffer: one write per answer
                self._headers_buffer.extend([b"\r\n", payload])
                self.flush_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeAws:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what the fake holds ----------------------------------------------------------

    def expected_records(
        self, accounts: Iterable[str] | None = None, regions: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """The records a complete load of these accounts and regions must return."""
        wanted_a = None if accounts is None else set(accounts)
        wanted_r = None if regions is None else set(regions)
        return [
            r
            for (account, region), records in self.data.items()
            if (wanted_a is None or account in wanted_a)
            and (wanted_r is None or region in wanted_r)
            and region not in self.denied_regions
            for r in records
            if r["experiment"]["Name"] not in self.vanished
        ]

    # --- dispatch ---------------------------------------------------------------------

    def handle(
        self, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes] | None:
        """Answer one request, taking ``latency`` seconds in all (work included); None
        (after the fake stops) for a request it never answers."""
        started = time.monotonic()
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if self._hangs(headers):
                self._released.wait()
                return None
            return self._handle(headers, body)
        finally:
            left = self.latency - (time.monotonic() - started)
            if left > 0:
                time.sleep(left)
            with self._lock:
                self.in_flight -= 1

    def counts(self) -> dict[str, Any]:
        """The counters as JSON-ready values: ``served`` per operation, ``admitted`` and
        ``throttled`` as ``[account, region, operation, count]`` lists, and
        ``peak_in_flight``."""
        return {
            "served": dict(self.served),
            "admitted": [[*key, n] for key, n in self.admitted.items()],
            "throttled": [[*key, n] for key, n in self.throttled.items()],
            "peak_in_flight": self.peak_in_flight,
        }

    def _handle(self, headers: Mapping[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        lower = {k.lower(): v for k, v in headers.items()}
        match = _CREDENTIAL.search(lower.get("authorization", ""))
        if match is None:
            return self._json_error(
                AwsFault(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
            )
        key, region, service = match.groups()
        target = lower.get("x-amz-target")
        if target:
            operation = target.split(".", 1)[1]
            with self._lock:
                self.served[operation] += 1
            try:
                answer = self._sagemaker(operation, key, region, json.loads(body or b"{}"))
            except AwsFault as fault:
                return self._json_error(fault)
            payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            return (
                200,
                {
                    "Content-Type": "application/x-amz-json-1.1",
                    "x-amzn-RequestId": str(uuid.uuid4()),
                },
                payload,
            )
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        action = form.get("Action", "")
        with self._lock:
            self.served[action] += 1
        try:
            if service == "sts":
                xml = self._sts(action, key, form)
            elif service == "ec2":
                xml = self._ec2(action, key)
            else:
                raise AwsFault(400, "InvalidAction", f"no {service} here")
        except AwsFault as fault:
            return self._xml_error(fault, ec2=service == "ec2")
        return 200, {"Content-Type": "text/xml"}, xml.encode()

    def _hangs(self, headers: Mapping[str, str]) -> bool:
        """Whether this SageMaker request goes to a region that stopped answering."""
        if not self.hang:
            return False
        lower = {k.lower(): v for k, v in headers.items()}
        match = _CREDENTIAL.search(lower.get("authorization", ""))
        if match is None or match.group(2) not in self.hang or "x-amz-target" not in lower:
            return False
        region = match.group(2)
        with self._lock:
            self._region_calls[region] += 1
            if self._region_calls[region] <= self.hang[region]:
                return False
            self.hung += 1
            return True

    def _expire(self, key: str) -> None:
        """Count a SageMaker request of ``key``; past its budget the key has expired."""
        if key not in self.expire_after:
            return
        with self._lock:
            self._key_calls[key] += 1
            if self._key_calls[key] > self.expire_after[key]:
                self.expired_keys.add(key)

    def _account(self, key: str, *, sts: bool = False) -> str:
        if key in self.expired_keys:
            code = "ExpiredToken" if sts else "ExpiredTokenException"
            raise AwsFault(
                400 if not sts else 403,
                code,
                "The security token included in the request is expired",
            )
        account = self.keys.get(key)
        if account is None:
            code = "InvalidClientTokenId" if sts else "UnrecognizedClientException"
            raise AwsFault(
                403 if sts else 400, code, "The security token included in the request is invalid."
            )
        return account

    @staticmethod
    def _json_error(fault: AwsFault) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps({"__type": fault.code, "message": fault.message}).encode()
        return (
            fault.status,
            {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": str(uuid.uuid4())},
            body,
        )

    @staticmethod
    def _xml_error(fault: AwsFault, *, ec2: bool) -> tuple[int, dict[str, str], bytes]:
        code, message = escape(fault.code), escape(fault.message)
        if ec2:
            xml = (
                f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>"
                f"</Error></Errors><RequestID>{uuid.uuid4()}</RequestID></Response>"
            )
        else:
            xml = (
                f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                f"<Message>{message}</Message></Error>"
                f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
            )
        return fault.status, {"Content-Type": "text/xml"}, xml.encode()

    # --- SageMaker --------------------------------------------------------------------

    def _sagemaker(self, operation: str, key: str, region: str, params: dict[str, Any]) -> Any:
        self._expire(key)
        account = self._account(key)
        seq = next(self._seq)
        if seq in self.throttle or not self._admit(account, region, operation):
            with self._lock:
                self.faults += 1
            raise AwsFault(400, "ThrottlingException", "Rate exceeded")
        if seq in self.error_500:
            with self._lock:
                self.faults += 1
            raise AwsFault(500, "InternalFailure", "We encountered an internal error.")
        if region in self.denied_regions:
            leak = ""
            if self.message_leak:
                leak = f" (key {key}, secret {self.secret_keys.get(key, '')})"
            raise AwsFault(
                400,
                "AccessDeniedException",
                f"User: arn:aws:iam::{account}:user/tester is not authorized to perform: "
                f"sagemaker:{operation} in {region}{leak}",
            )
        records = self.data.get((account, region), [])
        if operation == "ListInferenceExperiments":
            return self._list(records, params)
        if operation == "DescribeInferenceExperiment":
            if params["Name"] in self.failing:
                raise AwsFault(400, "ValidationException", f"{params['Name']} cannot be read")
            key3 = (account, region, params["Name"])
            record = self._by_name.get(key3)
            if record is None or params["Name"] in self.vanished:
                raise AwsFault(
                    400, "ResourceNotFound", f"Could not find experiment {params['Name']}"
                )
            wire = self._wire.get(key3)
            if wire is None:
                wire = json.dumps(to_wire(record["experiment"], _DESCRIBE)).encode()
                self._wire[key3] = wire
            return wire
        if operation == "ListTags":
            record = self._by_arn.get((account, region, params["ResourceArn"]))
            if record is None:
                raise AwsFault(400, "ValidationException", "no such resource")
            return self._page(record.get("tags") or [], params, "Tags", 50, self.tag_page_size)
        raise AwsFault(400, "UnknownOperationException", operation)

    def bucket(self, operation: str) -> tuple[float, float] | None:
        """The (rate, burst) of ``operation``'s token buckets, or None when unlimited."""
        rate = self._per_operation(self.rate_limit, operation)
        if not rate:
            return None
        burst = self._per_operation(self.burst, operation)
        return float(rate), float(burst or rate)

    @staticmethod
    def _per_operation(value: float | Mapping[str, float] | None, operation: str) -> float | None:
        if isinstance(value, Mapping):
            return value.get(operation)
        return value

    def _admit(self, account: str, region: str, operation: str) -> bool:
        """The service-side rate limit: a token bucket per (account, region, operation)
        refilled at its rate, holding at most its burst (see :meth:`bucket`)."""
        limit = self.bucket(operation)
        key = (account, region, operation)
        now = time.monotonic()
        with self._lock:
            if limit is not None:
                rate, burst = limit
                bucket = self._buckets.setdefault(key, [burst, now])
                bucket[0] = min(burst, bucket[0] + (now - bucket[1]) * rate)
                bucket[1] = now
                if bucket[0] < 1:
                    self.throttled[key] += 1
                    return False
                bucket[0] -= 1
            self.admitted[key] += 1
            return True

    def _list(self, records: list[dict[str, Any]], params: dict[str, Any]) -> Any:
        with self._lock:
            self.list_params.append(dict(params))
        items = [r["experiment"] for r in records]
        if "StatusEquals" in params:
            items = [e for e in items if e["Status"] == params["StatusEquals"]]
        if "Type" in params:
            items = [e for e in items if e["Type"] == params["Type"]]
        if "NameContains" in params:
            needle = params["NameContains"]
            if self.case_sensitive_names:
                items = [e for e in items if needle in e["Name"]]
            else:
                items = [e for e in items if needle.lower() in e["Name"].lower()]
        for param, field, after in (
            ("CreationTimeAfter", "CreationTime", True),
            ("CreationTimeBefore", "CreationTime", False),
            ("LastModifiedTimeAfter", "LastModifiedTime", True),
            ("LastModifiedTimeBefore", "LastModifiedTime", False),
        ):
            if param in params:
                bound = float(params[param])
                items = [e for e in items if field in e and self._beyond(e[field], bound, after)]
        summaries = [{k: v for k, v in e.items() if k in _SUMMARY.members} for e in items]
        page = self._page(summaries, params, "InferenceExperiments", 10, self.page_size)
        page["InferenceExperiments"] = [to_wire(s, _SUMMARY) for s in page["InferenceExperiments"]]
        return page

    def _beyond(self, value: Any, bound: float, after: bool) -> bool:
        stamp = epoch(value)
        if self.inclusive_times:
            return stamp >= bound if after else stamp <= bound
        return stamp > bound if after else stamp < bound

    @staticmethod
    def _page(
        items: list[Any], params: Mapping[str, Any], key: str, default: int, forced: int | None
    ) -> dict[str, Any]:
        start = int(base64.b64decode(params["NextToken"])) if params.get("NextToken") else 0
        size = forced or int(params.get("MaxResults") or default)
        page: dict[str, Any] = {key: items[start : start + size]}
        if start + size < len(items):
            page["NextToken"] = base64.b64encode(str(start + size).encode()).decode()
        return page

    # --- STS and EC2 ------------------------------------------------------------------

    def _sts(self, action: str, key: str, form: Mapping[str, str]) -> str:
        account = self._account(key, sts=True)
        ns = "https://sts.amazonaws.com/doc/2011-06-15/"
        meta = f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
        if action == "GetCallerIdentity":
            return (
                f'<GetCallerIdentityResponse xmlns="{ns}"><GetCallerIdentityResult>'
                f"<Arn>arn:aws:iam::{account}:user/tester</Arn><UserId>AIDATESTER</UserId>"
                f"<Account>{account}</Account></GetCallerIdentityResult>{meta}"
                "</GetCallerIdentityResponse>"
            )
        if action == "AssumeRole":
            role = form["RoleArn"]
            if role not in self.roles:
                raise AwsFault(
                    403,
                    "AccessDenied",
                    f"User: arn:aws:iam::{account}:user/tester is not authorized "
                    f"to perform: sts:AssumeRole on resource: {role}",
                )
            role_account = role.split(":")[4]
            new_key = "ASIA" + secrets.token_hex(8).upper()
            secret, token = secrets.token_urlsafe(30), secrets.token_urlsafe(60)
            with self._lock:
                self.keys[new_key] = role_account
                self.secret_keys[new_key] = secret
                self.issued_secrets += [secret, token]
            name = role.rsplit("/", 1)[1]
            return (
                f'<AssumeRoleResponse xmlns="{ns}"><AssumeRoleResult><Credentials>'
                f"<AccessKeyId>{new_key}</AccessKeyId><SecretAccessKey>{secret}"
                f"</SecretAccessKey><SessionToken>{token}</SessionToken>"
                "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                f"<AssumedRoleUser><AssumedRoleId>AROATEST:{form['RoleSessionName']}"
                f"</AssumedRoleId><Arn>arn:aws:sts::{role_account}:assumed-role/{name}/"
                f"{form['RoleSessionName']}</Arn></AssumedRoleUser></AssumeRoleResult>"
                f"{meta}</AssumeRoleResponse>"
            )
        raise AwsFault(400, "InvalidAction", action)

    def _ec2(self, action: str, key: str) -> str:
        account = self._account(key, sts=True)
        if action != "DescribeRegions":
            raise AwsFault(400, "InvalidAction", action)
        if self.ec2_denied:
            raise AwsFault(
                403, "UnauthorizedOperation", "You are not authorized to perform this operation."
            )
        if self.enabled is not None:
            regions = sorted(self.enabled.get(account, set()))
        else:
            regions = botocore.session.get_session().get_available_regions("ec2")
        items = "".join(
            f"<item><regionName>{r}</regionName><regionEndpoint>ec2.{r}.amazonaws.com"
            "</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>"
            for r in regions
        )
        return (
            '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            f"<requestId>{uuid.uuid4()}</requestId><regionInfo>{items}</regionInfo>"
            "</DescribeRegionsResponse>"
        )


@contextmanager
def unanswered_endpoint() -> Iterator[str]:
    """A URL on 127.0.0.1 where connecting times out: a listening socket whose one-slot
    accept queue is kept full and never accepted, so the kernel drops further SYNs."""
    import socket

    with socket.socket() as server, socket.socket() as filler:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        filler.connect(server.getsockname())  # fills the accept queue
        host, port = server.getsockname()[:2]
        yield f"http://{host}:{port}"


# --- an isolated AWS environment ----------------------------------------------------------


def aws_environment(
    url: str,
    home: Path,
    *,
    profiles: Mapping[str, tuple[str, str]] = (),  # type: ignore[assignment]
    default: tuple[str, str] | None = None,
    region: str | None = "us-east-1",
) -> dict[str, str]:
    """Environment variables that point every AWS client at ``url`` and read only the
    config files written under ``home`` (never the user's own). ``profiles`` maps a
    profile name to (access key id, secret key); ``default`` sets env credentials."""
    config, credentials = home / "aws_config", home / "aws_credentials"
    config.write_text(
        "".join(f"[profile {name}]\nregion = {region or 'us-east-1'}\n" for name in dict(profiles))
    )
    credentials.write_text(
        "".join(
            f"[{name}]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"
            for name, (key, secret) in dict(profiles).items()
        )
    )
    env = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": url,
    }
    if region:
        env["AWS_DEFAULT_REGION"] = region
    if default is not None:
        env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = default
    return env


def apply_environment(env: Mapping[str, str], setenv: Any, delenv: Any) -> None:
    """Drop every ``AWS_*`` variable, then set ``env`` (through monkeypatch's functions)."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            delenv(name, raising=False)
    for name, value in env.items():
        setenv(name, value)


@contextmanager
def fast_backoff(factor: float = 0.01) -> Iterator[None]:
    """botocore's retry policy with shorter waits, for fast tests: its backoff delays
    (5xx answers, connection errors, timeouts) are multiplied by ``factor``. Same
    policy, faster. Throttled calls do not wait on this backoff: the loader retries
    them at the rate it shapes per region and API (``fetch.RateShaper``)."""
    from botocore.retries import standard

    original_delay = standard.ExponentialBackoff.delay_amount

    def scaled(self: Any, context: Any) -> float:
        return float(original_delay(self, context)) * factor

    standard.ExponentialBackoff.delay_amount = scaled  # type: ignore[method-assign]
    try:
        yield
    finally:
        standard.ExponentialBackoff.delay_amount = original_delay  # type: ignore[method-assign]


@contextmanager
def fake_in_subprocess(records: list[dict[str, Any]], **kwargs: Any) -> Iterator[dict[str, Any]]:
    """A :class:`FakeAws` in its own Python process, so its CPU does not compete with
    the client for the GIL. Yields ``{"url": ...}``; after the block ``"served"`` holds
    :meth:`FakeAws.counts`. (``kwargs`` must be JSON-serialisable.)"""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.json"
        spec.write_text(json.dumps({"records": records, "kwargs": kwargs}))
        proc = subprocess.Popen(
            [sys.executable, __file__, str(spec)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        info: dict[str, Any] = {}
        try:
            line = proc.stdout.readline().strip()
            if not line.startswith("http://"):
                raise RuntimeError(f"the fake AWS process did not start: {line!r}")
            info["url"] = line
            yield info
            proc.stdin.write("stop\n")
            proc.stdin.flush()
            info.update(json.loads(proc.stdout.readline() or "{}"))
        finally:
            proc.kill()
            proc.wait(10)


def _serve(spec_path: str) -> None:
    """Entry point of :func:`fake_in_subprocess`: serve until a line arrives on stdin."""
    import sys

    spec = json.loads(Path(spec_path).read_text())
    with FakeAws(spec["records"], **spec["kwargs"]) as fake:
        print(fake.url, flush=True)
        sys.stdin.readline()
        print(json.dumps(fake.counts()), flush=True)


if __name__ == "__main__":
    import sys

    _serve(sys.argv[1])
