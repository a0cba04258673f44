"""The accounts, regions and clients of a live load, checked before any fan-out.

Credentials come from boto3's standard chain, per profile, and are checked with STS
GetCallerIdentity (``role_arns`` are assumed with them); regions are the ones named,
the profile's configured one, or ``"all"`` that the account has enabled; one client per
(account, region). A configuration problem, or missing, expired or rejected
credentials, raise a LoaderError saying what to do, before any call to the service;
secrets never appear in messages (docs/design.md, "Live loads").
"""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass
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

from ...errors import LoaderError
from ..mapping.values import api_timestamp, iso_utc
from .calls import EXPIRED, REJECTED, arn_account, error_text
from .options import AwsOptions

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
    return iso_utc(api_timestamp(value, "timestamp"))


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
    """The regions to load for ``account`` (docs/design.md, "Live loads")."""
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
