"""What a live AWS load reads (:class:`AwsOptions`) and the defaults of its limits.

Kept apart from :mod:`.accounts` and :mod:`.load` so that options can be built and checked without
importing botocore (only :meth:`AwsOptions.client_config` needs it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...errors import UnsupportedError
from ...options import BY_NAME, CONNECT_TIMEOUT, DEFAULT_MAX_WORKERS, READ_TIMEOUT

if TYPE_CHECKING:
    from botocore.config import Config

MAX_ATTEMPTS = 10
"""Attempts per API call, the first included, in botocore's standard retry mode (5xx,
connection errors and timeouts, with exponential backoff; throttled calls wait for
their slot in the rate the loader shapes per region and API instead, see
``rate_shaping.RateShaper``)."""
_USER_AGENT = "ddsql-lite"

_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/.+")
_REGION = re.compile(r"[a-z]{2}(-[a-z0-9]+)+-\d+")


@dataclass(frozen=True)
class AwsOptions:
    """What a live load reads: which credentials, accounts and regions, and how.

    ``regions`` is a tuple of names, ``"all"``, or ``None`` for each profile's
    configured region. ``profiles`` are profile names (``None``: boto3's default chain).
    ``list_filters`` are extra parameters of the List call (see :mod:`.filters`).
    ``connect_timeout`` and ``read_timeout`` (seconds, per attempt) apply to every client.
    """

    regions: tuple[str, ...] | str | None = None
    profiles: tuple[str | None, ...] = (None,)
    role_arns: tuple[str, ...] = ()
    endpoint_url: str | None = None
    max_workers: int = DEFAULT_MAX_WORKERS
    list_filters: Mapping[str, Any] = field(default_factory=dict)
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT

    @classmethod
    def build(
        cls,
        *,
        regions: str | Sequence[str] | None = None,
        profile: str | None = None,
        profiles: Sequence[str] | None = None,
        role_arns: Sequence[str] | None = None,
        endpoint_url: str | None = None,
        max_workers: int | None = None,
        list_filters: Mapping[str, Any] | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
    ) -> AwsOptions:
        """Validate and normalise the options of ``connect(source="aws", ...)``."""
        region_spec: tuple[str, ...] | str | None
        if regions is None:
            region_spec = None
        elif isinstance(regions, str):
            region_spec = "all" if regions == "all" else _split_regions([regions])
        else:
            names = _split_regions(regions)
            region_spec = "all" if "all" in names else names
        if region_spec == ():
            raise UnsupportedError("regions=[] names no region; pass names or 'all'")
        if isinstance(region_spec, tuple):
            bad = [r for r in region_spec if not _REGION.fullmatch(r)]
            if bad and endpoint_url is None:
                raise UnsupportedError(f"not an AWS region name: {', '.join(bad)}")
        names_given: list[str | None] = []
        if profile is not None:
            names_given.append(profile)
        names_given.extend(profiles or ())
        unique = tuple(dict.fromkeys(names_given)) or (None,)
        roles = tuple(dict.fromkeys(role_arns or ()))
        bad_roles = [r for r in roles if not _ROLE_ARN.fullmatch(r)]
        if bad_roles:
            raise UnsupportedError(
                f"not an IAM role ARN: {', '.join(bad_roles)} "
                "(expected arn:aws:iam::123456789012:role/NAME)"
            )
        if roles and len(unique) > 1:
            raise UnsupportedError(
                "role ARNs are assumed with one set of credentials: give at most one profile"
            )
        # checked by the options' own kinds: connect() has settled them already, direct
        # callers get the same checks and messages
        limits = {
            name: BY_NAME[name].read(value) if value is not None else BY_NAME[name].default
            for name, value in (
                ("max_workers", max_workers),
                ("connect_timeout", connect_timeout),
                ("read_timeout", read_timeout),
            )
        }
        return cls(
            regions=region_spec,
            profiles=unique,
            role_arns=roles,
            endpoint_url=endpoint_url or None,
            max_workers=limits["max_workers"],
            list_filters=dict(list_filters or {}),
            connect_timeout=limits["connect_timeout"],
            read_timeout=limits["read_timeout"],
        )

    def client_config(self, max_workers: int = 1, *, max_attempts: int = MAX_ATTEMPTS) -> Config:
        """:func:`client_config` with these options' timeouts."""
        return client_config(
            max_workers,
            max_attempts=max_attempts,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )

    def identity(self) -> dict[str, Any]:
        """What the data depends on, without secrets (a cache snapshot's key).

        A profile of ``None`` stands for the default chain: ``AWS_PROFILE`` if set, and
        the access key id of environment credentials as a hash, so a snapshot taken with
        other credentials is not reused; no regions stands for the environment's region.
        """
        import hashlib

        env_key = os.environ.get("AWS_ACCESS_KEY_ID")
        default = os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE")
        if self.regions is None:  # each profile's region: the environment may set it
            regions: Any = {
                "default": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
            }
        else:
            regions = self.regions if isinstance(self.regions, str) else sorted(self.regions)
        return {
            "regions": regions,
            "profiles": [
                p if p is not None else f"<default:{default or ''}>" for p in self.profiles
            ],
            "env_key": hashlib.sha256(env_key.encode()).hexdigest()[:16] if env_key else None,
            "role_arns": sorted(self.role_arns),
            "endpoint_url": self.endpoint_url,
            "list_filters": {k: _plain(v) for k, v in sorted(self.list_filters.items())},
        }


def _split_regions(values: Sequence[str]) -> tuple[str, ...]:
    names = [n.strip() for v in values for n in str(v).split(",")]
    return tuple(dict.fromkeys(n for n in names if n))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def client_config(
    max_workers: int,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
) -> Config:
    """The one retry policy and the timeouts of every client a live load creates.

    botocore's standard mode, not its adaptive one: the adaptive mode's client-wide
    rate limiter answers one throttled API by slowing every API of the client, and
    recovers slowly; the fan-out shapes each API's rate itself (``rate_shaping.RateShaper``)."""
    from botocore.config import Config

    return Config(
        # total_max_attempts counts the first attempt; botocore's "max_attempts" would not
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        max_pool_connections=max(10, max_workers),
        user_agent_extra=_USER_AGENT,
    )
