"""Live AWS loads: credentials, accounts, regions, clients; then the fan-out of ``fetch``.

Contract of :func:`load_aws`:

- Credentials come from boto3's standard chain (environment, shared config and
  credentials files, SSO, container and instance roles), per profile. Each account's
  credentials are checked with STS GetCallerIdentity *before* any fan-out; missing,
  expired or rejected credentials raise :class:`LoaderError` saying what to do (e.g.
  ``aws sso login --profile NAME``). ``role_arns`` are assumed (STS AssumeRole) with the
  profile's credentials, and then only the roles' accounts are loaded.
- Regions: explicit names (checked against botocore's region list for the service,
  unless ``endpoint_url`` is set), the profile's configured region when none are given,
  or ``"all"``: every region where the service exists in the credentials' partition
  (``Session.get_available_regions``), minus those EC2 DescribeRegions says the account
  has not enabled. That check is tolerant: when DescribeRegions cannot answer (no
  permission, no network) every region is tried and the ones that refuse land in the
  report as errors.
- One client per (account, region), created up front and shared by the fan-out's
  threads: adaptive retry mode with :data:`MAX_ATTEMPTS` attempts, connect and read
  timeouts (``AwsOptions.connect_timeout``/``read_timeout``, for every client, STS and
  EC2 too), a connection pool as large as the thread pool. A region that does not
  answer fails once its attempts time out (``MAX_ATTEMPTS`` x the timeout plus backoff,
  at most) and is given up (see ``fetch``); the others keep loading. ``endpoint_url``
  points the service's clients elsewhere (VPC endpoints, local stand-ins); STS and EC2
  follow boto3's own endpoint configuration (``AWS_ENDPOINT_URL_STS`` and friends).
- The result holds JSON-ready records (docs/design.md, "Fixture format") in a stable
  order (account, then region, then List order) and the :class:`LoadReport`. When every
  (account, region) failed the load raises :class:`LoaderError` listing the failures.
  Otherwise a partial load keeps what was read and its report says what is missing
  (see ``report``): credentials that expire during the load end their account's
  regions, whose entries say so and how to renew them.
- Secrets (secret keys, session tokens, access key ids) never appear in records, the
  report or error messages.
"""

from __future__ import annotations

import difflib
import logging
import os
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import cache
from typing import Any

from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    ProfileNotFound,
    SSOError,
    SSOTokenLoadError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)

from ..errors import LoaderError
from ..registry import Table
from .aws_options import AwsOptions
from .fetch import EXPIRED, REJECTED, Record, Target, arn_account, error_text, fetch_all
from .progress import ProgressSink
from .report import LoadEntry, LoadReport
from .rows import iso_utc, parse_timestamp

log = logging.getLogger(__name__)

ROLE_SESSION_NAME = "ddsql-lite"

_SSO_ERRORS = (SSOError, SSOTokenLoadError, TokenRetrievalError, UnauthorizedSSOTokenError)


@dataclass(frozen=True)
class Account:
    """Checked credentials for one account. ``session`` is a ``boto3.Session``."""

    account_id: str
    partition: str
    session: Any
    label: str
    profile: str | None
    secrets: tuple[str, ...] = ()
    renew: str = "renew the credentials and load again"
    """What to do when the credentials expire (e.g. ``aws sso login --profile NAME``)."""


def _profile_label(profile: str | None) -> str:
    if profile is not None:
        return f"profile {profile!r}"
    env = os.environ.get("AWS_PROFILE")
    return f"profile {env!r} (AWS_PROFILE)" if env else "the default credentials"


def _login_hint(profile: str | None) -> str:
    name = profile or os.environ.get("AWS_PROFILE")
    if name:
        return (
            f"run `aws sso login --profile {name}` (SSO), or renew the keys of "
            f"profile {name!r} (`aws configure --profile {name}`)"
        )
    return (
        "run `aws configure`, or `aws sso login --profile NAME` and pass --profile NAME "
        "(or set AWS_PROFILE)"
    )


def iso_timestamp(value: Any) -> str:
    """botocore timestamp parser: a wire timestamp (epoch seconds or ISO-8601 text) as
    ISO-8601 UTC text, the form records hold. Skips botocore's datetime + dateutil round
    trip, which costs real CPU per call when thousands of calls share the GIL."""
    return iso_utc(parse_timestamp(value, "timestamp"))


@cache
def _data_loader() -> Any:
    """One botocore data loader per process: the service models (SageMaker's is a few
    MB of JSON) are parsed once, not once per session."""
    from botocore.loaders import create_loader

    return create_loader()


def botocore_session() -> Any:
    """A fresh botocore session whose clients parse timestamps with :func:`iso_timestamp`
    (the parser hook the AWS CLI uses for its timestamp formats), sharing the process's
    data loader."""
    import botocore.session

    session = botocore.session.Session()
    session.register_component("data_loader", _data_loader())
    factory = session.get_component("response_parser_factory")
    factory.set_parser_defaults(timestamp_parser=iso_timestamp)
    return session


def open_session(profile: str | None) -> Any:
    """A boto3 session for ``profile`` (None: the default chain)."""
    import boto3

    try:
        return boto3.Session(profile_name=profile, botocore_session=botocore_session())
    except ProfileNotFound:
        raise _unknown_profile(profile) from None


def _unknown_profile(profile: str | None) -> LoaderError:
    return LoaderError(
        f"AWS profile {profile!r} is not configured: add it with "
        f"`aws configure --profile {profile}` or `aws configure sso --profile {profile}`"
    )


def _secrets(session: Any) -> tuple[str, ...]:
    creds = session.get_credentials()
    if creds is None:
        return ()
    frozen = creds.get_frozen_credentials()
    return tuple(s for s in (frozen.secret_key, frozen.token, frozen.access_key) if s)


def check_credentials(session: Any, profile: str | None, region: str, config: Config) -> Account:
    """Fail fast unless ``session`` has working credentials; which account they are.
    ``config`` is the STS client's (timeouts, retries)."""
    label = _profile_label(profile)
    hint = _login_hint(profile)
    try:
        if session.get_credentials() is None:
            raise LoaderError(f"no AWS credentials found for {label}: {hint}")
        secrets = _secrets(session)
        sts = session.client("sts", region_name=region, config=config)
        identity = sts.get_caller_identity()
    except LoaderError:
        raise
    except ProfileNotFound:
        raise _unknown_profile(profile) from None
    except _SSO_ERRORS:
        raise LoaderError(f"the AWS SSO login for {label} is missing or expired: {hint}") from None
    except NoCredentialsError:
        raise LoaderError(f"no AWS credentials found for {label}: {hint}") from None
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in EXPIRED:
            raise LoaderError(f"the AWS credentials for {label} have expired: {hint}") from None
        if code in REJECTED:
            raise LoaderError(
                f"the AWS credentials for {label} were rejected ({code}): {hint}"
            ) from None
        raise LoaderError(
            f"cannot check the AWS credentials for {label}: {error_text(exc)}"
        ) from None
    except BotoCoreError as exc:
        raise LoaderError(
            f"cannot check the AWS credentials for {label} with STS: {error_text(exc)}"
        ) from None
    arn = str(identity.get("Arn", ""))
    account_id = str(identity.get("Account") or arn_account(arn) or "")
    partition = arn.split(":")[1] if arn.count(":") >= 5 else "aws"
    return Account(account_id, partition, session, label, profile, secrets, hint)


def assume_role(base: Account, role_arn: str, region: str, config: Config) -> Account:
    """The account behind ``role_arn``, assumed with ``base``'s credentials through an
    STS client configured by ``config``."""
    import boto3

    sts = base.session.client("sts", region_name=region, config=config)
    try:
        answer = sts.assume_role(RoleArn=role_arn, RoleSessionName=ROLE_SESSION_NAME)
    except (ClientError, BotoCoreError) as exc:
        raise LoaderError(
            f"cannot assume role {role_arn} with {base.label}: {error_text(exc, base.secrets)}"
        ) from None
    creds = answer["Credentials"]
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=base.session.region_name,
        botocore_session=botocore_session(),
    )
    user_arn = str(answer.get("AssumedRoleUser", {}).get("Arn", role_arn))
    account_id = arn_account(user_arn) or role_arn.split(":")[4]
    secrets = (creds["SecretAccessKey"], creds["SessionToken"], creds["AccessKeyId"])
    renew = "load again: the role is assumed anew"
    return Account(account_id, base.partition, session, f"role {role_arn}", None, secrets, renew)


def home_region(session: Any, options: AwsOptions) -> str:
    """The region for STS and EC2 calls: the profile's, else the first one asked for."""
    if session.region_name:
        return str(session.region_name)
    if isinstance(options.regions, tuple):
        return options.regions[0]
    return "us-east-1"


def resolve_accounts(options: AwsOptions) -> list[Account]:
    """Every account to load, credentials checked (no fan-out happens before this)."""
    accounts: dict[str, Account] = {}
    sts_config = options.client_config(max_attempts=3)
    for profile in options.profiles:
        session = open_session(profile)
        account = check_credentials(session, profile, home_region(session, options), sts_config)
        if options.role_arns:
            for role in options.role_arns:
                assumed = assume_role(account, role, home_region(session, options), sts_config)
                accounts.setdefault(assumed.account_id, assumed)
        elif account.account_id in accounts:
            log.info("%s is account %s again; loaded once", account.label, account.account_id)
        else:
            accounts[account.account_id] = account
    return list(accounts.values())


def known_regions(session: Any, service: str) -> list[str]:
    """Every region botocore knows for ``service``, in every partition."""
    names: list[str] = []
    for partition in session.get_available_partitions():
        names.extend(session.get_available_regions(service, partition_name=partition))
    return names


def enabled_regions(account: Account, region: str, config: Config) -> set[str] | None:
    """Regions the account has enabled (EC2 DescribeRegions through a client configured
    by ``config``), or None when unknown."""
    try:
        ec2 = account.session.client("ec2", region_name=region, config=config)
        answer = ec2.describe_regions()
    except (ClientError, BotoCoreError) as exc:
        log.info(
            "cannot list the enabled regions of %s (%s); trying every region",
            account.account_id,
            error_text(exc, account.secrets),
        )
        return None
    return {str(r["RegionName"]) for r in answer.get("Regions", [])}


def resolve_regions(options: AwsOptions, account: Account, service: str) -> list[str]:
    """The regions to load for ``account`` (see the module docstring)."""
    if options.regions == "all":
        regions = account.session.get_available_regions(service, partition_name=account.partition)
        enabled = enabled_regions(
            account, home_region(account.session, options), options.client_config(max_attempts=2)
        )
        return [r for r in regions if enabled is None or r in enabled]
    if options.regions is None:
        region = account.session.region_name
        if not region:
            raise LoaderError(
                f"no region configured for {account.label}: pass regions=[...] "
                "(--region NAME, or --region all), or set AWS_REGION"
            )
        return [str(region)]
    assert isinstance(options.regions, tuple)
    return list(options.regions)


def check_region_names(options: AwsOptions, service: str) -> None:
    """Refuse region names botocore does not know (typos would wait on DNS and retries)."""
    if not isinstance(options.regions, tuple) or options.endpoint_url is not None:
        return
    import boto3

    known = known_regions(boto3.Session(), service)
    for name in options.regions:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(set(known)), n=3, cutoff=0.7)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise LoaderError(f"unknown region {name!r} for {service}{hint}")


def make_client(
    account: Account, service: str, region: str, endpoint_url: str | None, config: Config
) -> Any:
    """The client of one (account, region), shared by the fan-out's threads."""
    try:
        return account.session.client(
            service, region_name=region, endpoint_url=endpoint_url, config=config
        )
    except (BotoCoreError, ValueError) as exc:
        raise LoaderError(
            f"cannot create a {service} client for region {region!r}: "
            f"{error_text(exc, account.secrets)}"
        ) from None


@dataclass
class AwsLoad:
    """What a live load fetched: JSON-ready records and the report."""

    records: list[Record]
    report: LoadReport


def load_aws(table: Table, options: AwsOptions, *, progress: ProgressSink | None = None) -> AwsLoad:
    """Fetch ``table`` from every (account, region) of ``options``; see the module doc."""
    service = table.api["service"]
    loaded_at = datetime.now(timezone.utc)
    started = time.monotonic()
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
