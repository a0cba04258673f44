"""Live AWS loads: credentials, accounts, regions, clients; then the fan-out of ``fetch``.

Contract of :func:`load_aws`:

- Credentials come from boto3's standard chain (environment, shared config and
  credentials files, SSO, container and instance roles), per profile. Each account's
  credentials are checked with STS GetCallerIdentity *before* any fan-out; missing,
  expired or rejected credentials raise :class:`LoaderError` saying what to do (e.g.
  ``aws sso login --profile NAME``). ``role_arns`` are assumed (STS AssumeRole) with the
  profile's credentials, and then only the roles' accounts are loaded.
- Configuration problems raise :class:`LoaderError` saying what to do, before any call
  is made: an unknown profile (``--profile``, ``AWS_PROFILE``), a config or credentials
  file that cannot be parsed (the message names the file and line, never the line's
  text, which may hold a secret), no region configured when none is asked for, a
  configured region that is not a region name, an endpoint URL (``endpoint_url``,
  ``AWS_ENDPOINT_URL*``, the config file's ``endpoint_url``) that is not a URL.
- Regions: explicit names (checked against botocore's region list for the service,
  unless ``endpoint_url`` is set), the profile's configured region when none are given,
  or ``"all"``: every region where the service exists in the credentials' partition
  (``Session.get_available_regions``), minus those EC2 DescribeRegions says the account
  has not enabled. That check is tolerant: when DescribeRegions cannot answer (no
  permission, no network) every region is tried and the ones that refuse land in the
  report as errors.
- One client per (account, region), created up front and shared by the fan-out's
  threads: standard retry mode with :data:`MAX_ATTEMPTS` attempts, connect and read
  timeouts (``AwsOptions.connect_timeout``/``read_timeout``, for every client, STS and
  EC2 too), a connection pool as large as the thread pool. Each service client paces
  each API's calls to the rate its region accepts (``fetch.RateShaper``). A region
  that does not answer holds at most its share of the threads for one timeout, then
  one thread until its probing call's attempts time out (``MAX_ATTEMPTS`` x the timeout
  plus backoff, at most); it is then given up (see ``fetch``); the others keep loading
  meanwhile. ``endpoint_url``
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
    ConfigParseError,
    InvalidRegionError,
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
    """A boto3 session for ``profile`` (None: the default chain), its configuration
    read and checked: an unknown profile, a config or credentials file that cannot be
    parsed, a configured region that is not a region name raise :class:`LoaderError`."""
    import boto3

    core = botocore_session()
    try:
        session = boto3.Session(profile_name=profile, botocore_session=core)
        core.get_scoped_config()  # parses both files, finds the profile
        region = session.region_name
    except ProfileNotFound:
        raise _unknown_profile(profile, core) from None
    except ConfigParseError as exc:
        raise _unreadable_config(exc) from None
    if region:
        from botocore.utils import validate_region_name

        try:
            validate_region_name(region)
        except InvalidRegionError:
            raise LoaderError(
                f"the region configured for {_profile_label(profile)}, {region!r}, is not a "
                "region name: fix the profile's `region` in the AWS config file "
                f"(`aws configure set region us-east-1{_profile_flag(profile)}`) or "
                "AWS_REGION / AWS_DEFAULT_REGION"
            ) from None
    return session


def _profile_flag(profile: str | None) -> str:
    return f" --profile {profile}" if profile else ""


def _unknown_profile(profile: str | None, core: Any = None) -> LoaderError:
    from_env = ""
    name = profile
    if name is None:
        for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            if os.environ.get(var):
                name, from_env = os.environ[var], var
                break
    hint = ""
    try:
        known = sorted(core.available_profiles) if core is not None else []
    except BotoCoreError:
        known = []
    close = difflib.get_close_matches(str(name), known, n=3, cutoff=0.6)
    if close:
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)"
    elif known:
        hint = f" (configured: {', '.join(known)})"
    source = f" ({from_env})" if from_env else ""
    unset = f", or unset {from_env}" if from_env else ""
    return LoaderError(
        f"AWS profile {name!r}{source} is not configured{hint}: add it with "
        f"`aws configure --profile {name}` or `aws configure sso --profile {name}`{unset}"
    )


def _unreadable_config(exc: ConfigParseError) -> LoaderError:
    """What to do about a config or credentials file botocore cannot parse. The parse
    error's text is left out: it quotes the offending line, which may be a secret."""
    path = exc.kwargs.get("path", "the AWS config file")
    error = exc.kwargs.get("error")
    line = getattr(error, "lineno", None)
    if line is None and getattr(error, "errors", None):
        line = error.errors[0][0]
    where = f" (line {line})" if line else ""
    return LoaderError(
        f"cannot parse the AWS config or credentials file {path}{where}: fix it (sections "
        "look like [default] or [profile NAME] in the config file, [NAME] in the credentials file; "
        "`aws configure` rewrites them), or point AWS_CONFIG_FILE and "
        "AWS_SHARED_CREDENTIALS_FILE at good files"
    )


def check_endpoint_url(url: str | None) -> None:
    """Refuse an ``endpoint_url`` that is not an http(s) URL with a host (it would fail
    in every region, after each one's retries)."""
    if url is None:
        return
    from urllib.parse import urlsplit

    from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url

    valid = is_valid_endpoint_url(url) or is_valid_ipv6_endpoint_url(url)
    if not valid or urlsplit(url).scheme not in ("http", "https"):
        raise LoaderError(
            f"not an endpoint URL: {url!r}: give the scheme and the host, e.g. "
            "https://api.sagemaker.eu-west-1.amazonaws.com or http://127.0.0.1:5000"
        )


def new_client(
    session: Any,
    service: str,
    region: str,
    config: Config,
    *,
    endpoint_url: str | None = None,
    secrets: tuple[str, ...] = (),
) -> Any:
    """``session.client(...)``; a configuration it cannot use (an endpoint URL from
    ``AWS_ENDPOINT_URL*`` or the config file that is not a URL, a region name botocore
    refuses) raises :class:`LoaderError`."""
    try:
        return session.client(service, region_name=region, endpoint_url=endpoint_url, config=config)
    except ConfigParseError as exc:
        raise _unreadable_config(exc) from None
    except ValueError as exc:  # botocore: "Invalid endpoint: ..."
        where = "--endpoint-url" if endpoint_url else f"AWS_ENDPOINT_URL_{service.upper()}"
        raise LoaderError(
            f"cannot create the {service} client for region {region!r}: "
            f"{error_text(exc, secrets)}: fix or unset {where}, AWS_ENDPOINT_URL or "
            "`endpoint_url` in the AWS config file"
        ) from None
    except BotoCoreError as exc:
        raise LoaderError(
            f"cannot create the {service} client for region {region!r}: {error_text(exc, secrets)}"
        ) from None


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
        sts = new_client(session, "sts", region, config)
        identity = sts.get_caller_identity()
    except LoaderError:
        raise
    except ProfileNotFound:
        raise _unknown_profile(profile) from None
    except ConfigParseError as exc:
        raise _unreadable_config(exc) from None
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

    sts = new_client(base.session, "sts", region, config, secrets=base.secrets)
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


def configured_region(session: Any, label: str, profile: str | None = None) -> str:
    """The region configured for a session, for loads that name none."""
    region = session.region_name
    if not region:
        raise LoaderError(
            f"no region configured for {label}: pass regions=[...] (--region NAME, or "
            "--region all), set AWS_REGION, or configure one "
            f"(`aws configure set region NAME{_profile_flag(profile)}`)"
        )
    return str(region)


def resolve_accounts(options: AwsOptions) -> list[Account]:
    """Every account to load, credentials checked (no fan-out happens before this).
    Every profile's configuration is checked before any credentials are."""
    accounts: dict[str, Account] = {}
    sts_config = options.client_config(max_attempts=3)
    sessions = [(profile, open_session(profile)) for profile in options.profiles]
    if options.regions is None:
        for profile, session in sessions:
            configured_region(session, _profile_label(profile), profile)
    for profile, session in sessions:
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
    ec2 = new_client(account.session, "ec2", region, config, secrets=account.secrets)
    try:
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
        return [configured_region(account.session, account.label)]
    assert isinstance(options.regions, tuple)
    return list(options.regions)


def check_region_names(options: AwsOptions, service: str) -> None:
    """Refuse region names botocore does not know (typos would wait on DNS and retries)."""
    if not isinstance(options.regions, tuple) or options.endpoint_url is not None:
        return
    known = known_regions(botocore_session(), service)
    for name in options.regions:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(set(known)), n=3, cutoff=0.7)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise LoaderError(f"unknown region {name!r} for {service}{hint}")


def make_client(
    account: Account, service: str, region: str, endpoint_url: str | None, config: Config
) -> Any:
    """The client of one (account, region), shared by the fan-out's threads."""
    return new_client(
        account.session,
        service,
        region,
        config,
        endpoint_url=endpoint_url,
        secrets=account.secrets,
    )


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
