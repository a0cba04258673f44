"""Deterministic synthetic ``aws.sagemaker_inference_experiment`` records.

``synthetic(n, seed)`` returns ``n`` valid records in the fixture format, depending only
on ``(n, seed)``; ``synthetic(m, s)`` is a prefix of ``synthetic(n, s)`` for ``m <= n``.
Records share sub-objects: treat them as read-only. Standard library only
(docs/design.md, "Synthetic records").
"""

from __future__ import annotations

import gc
import random
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any, NamedTuple

__all__ = ["synthetic"]

_EPOCH_2025 = 1735689600  # 2025-01-01T00:00:00Z
_DAY = 86400
_FIRST_DAY = datetime(2024, 12, 31, tzinfo=timezone.utc)  # day index 0 of the tables
_N_DAYS = 500  # 2024-12-31 .. 2026-05-14: covers every timestamp generated

_ACCOUNTS = (
    ("482910374615", "prod"),
    ("739102846501", "staging"),
    ("205847193630", "sandbox"),
    ("918273645501", "prod"),
)
_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-east-2")

# (model family, endpoint stem, team) -- model names follow the API pattern
_FAMILIES = (
    ("fraud-xgb", "fraud-scoring", "fraud"),
    ("churn-lgbm", "churn-propensity", "growth"),
    ("recsys-two-tower", "recsys-retrieval", "recsys"),
    ("search-rerank-bert", "search-rerank", "search"),
    ("ltv-regression", "ltv", "growth"),
    ("demand-forecast-deepar", "demand-forecast", "forecasting"),
    ("kyc-doc-classifier", "kyc-docs", "compliance"),
    ("pricing-elasticity", "pricing-elasticity", "pricing"),
    ("anomaly-iforest", "metrics-anomaly", "sre"),
    ("ocr-trocr", "invoice-ocr", "document-ai"),
    ("support-intent-distilbert", "support-intent", "support-ml"),
    ("credit-risk-catboost", "credit-risk", "risk"),
    ("image-moderation-vit", "image-moderation", "trust-safety"),
    ("eta-gbm", "eta-prediction", "logistics"),
    ("llm-summarizer", "ticket-summarizer", "genai"),
    ("spam-filter-fasttext", "spam-filter", "trust-safety"),
    ("route-optimizer-gnn", "route-optimizer", "logistics"),
    ("sentiment-roberta", "review-sentiment", "cx-analytics"),
    ("ad-ctr-dcn", "ad-ctr", "ads"),
    ("query-autocomplete-t5", "query-autocomplete", "search"),
    ("payment-routing-mlp", "payment-routing", "payments"),
    ("dynamic-eta-lstm", "dynamic-eta", "logistics"),
    ("voice-intent-wav2vec", "voice-intent", "support-ml"),
    ("product-embed-clip", "product-embeddings", "recsys"),
)
_MAX_VERSION = 40

_INSTANCE_TYPES = (
    "ml.t2.medium", "ml.t2.large", "ml.m5.large", "ml.m5.xlarge", "ml.m5.2xlarge",
    "ml.m5.4xlarge", "ml.m6i.large", "ml.m6i.xlarge", "ml.m6i.2xlarge", "ml.m7i.xlarge",
    "ml.c5.large", "ml.c5.xlarge", "ml.c5.2xlarge", "ml.c5.4xlarge", "ml.c6i.large",
    "ml.c6i.xlarge", "ml.c6i.2xlarge", "ml.c7g.xlarge", "ml.c7g.2xlarge", "ml.m6g.xlarge",
    "ml.r5.large", "ml.r5.xlarge", "ml.r6i.xlarge", "ml.r6i.2xlarge", "ml.g4dn.xlarge",
    "ml.g4dn.2xlarge", "ml.g5.xlarge", "ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g5.12xlarge",
    "ml.g6.xlarge", "ml.g6.2xlarge", "ml.g6.12xlarge", "ml.g6e.xlarge", "ml.inf1.xlarge",
    "ml.inf2.xlarge", "ml.inf2.8xlarge", "ml.p3.2xlarge", "ml.p4d.24xlarge", "ml.trn1.2xlarge",
)  # fmt: skip
_INSTANCE_COUNTS = (1, 1, 1, 2, 2, 2, 3, 4, 6, 8)

# status -> weight out of 100
_STATUS_WEIGHTS = (
    ("Running", 25), ("Completed", 35), ("Cancelled", 15), ("Creating", 5),
    ("Created", 5), ("Updating", 5), ("Starting", 5), ("Stopping", 5),
)  # fmt: skip

# status -> (endpoint status, endpoint failure reason, production variant status,
#            shadow variant status) combinations, repeated to weight them
_FAIL_QUOTA = (
    "The account-level service limit 'ml.g5.2xlarge for endpoint usage' is 2 Instances, "
    "with current utilization of 2 Instances and a request delta of 1 Instances."
)
_FAIL_PING = "The primary container for production variant did not pass the ping health check."
_FAIL_ROLLBACK = (
    "Rollback of endpoint update failed: the previous endpoint configuration could not be restored."
)
_VariantState = tuple[str, "str | None", str, str]
_VARIANT_STATES: dict[str, tuple[_VariantState, ...]] = {
    "Creating": (("Updating", None, "InService", "Creating"),),
    "Created": (
        ("InService", None, "InService", "Creating"),
        ("InService", None, "InService", "InService"),
    ),
    "Updating": (
        ("Updating", None, "InService", "Updating"),
        ("Updating", None, "Updating", "Updating"),
    ),
    "Starting": (("Updating", None, "InService", "Creating"),),
    "Running": (("InService", None, "InService", "InService"),) * 5
    + (("SystemUpdating", None, "InService", "InService"),),
    "Stopping": (
        ("Updating", None, "InService", "Deleting"),
        ("RollingBack", None, "InService", "Deleting"),
    ),
    "Completed": (("InService", None, "InService", "Deleted"),) * 3
    + (("InService", None, "Deleted", "InService"),) * 2
    + (
        ("InService", None, "InService", "InService"),
        ("Deleting", None, "Deleted", "Deleted"),
    ),
    "Cancelled": (("InService", None, "InService", "Deleted"),) * 4
    + (
        ("InService", _FAIL_QUOTA, "InService", "Deleted"),
        ("Failed", _FAIL_PING, "InService", "Deleted"),
        ("UpdateRollbackFailed", _FAIL_ROLLBACK, "Updating", "Deleted"),
    ),
}

# status -> StatusReason pool (None = absent)
_REASONS: dict[str, tuple[str | None, ...]] = {
    "Completed": (
        None, None, None,
        "Experiment completed at the scheduled end time",
        "Promoted shadow variant after review: p99 latency within budget, accuracy +0.6%",
        "Stopped by user: completed early, shadow variant promoted",
        "Retained shadow variant for a follow-up A/B test",
    ),
    "Cancelled": (
        "Stopped by user: shadow variant p99 latency exceeded the 250 ms budget",
        "Stopped by user: shadow variant returned HTTP 5xx for 3.1% of sampled requests",
        "Stopped by user: GPU cost 2.4x the production variant",
        "Failed to download model data for container \"container_1\": AccessDenied",
    ),
    "Stopping": (
        None, None, "Stopping on user request: accuracy regression on the holdout segment",
    ),
    "Updating": (None, None, None, "Sampling percentage changed by user"),
}  # fmt: skip
# a Cancelled experiment whose endpoint reports a failure says so
_FAILURE_REASONS = {
    _FAIL_QUOTA: "Failed to deploy shadow variant: ResourceLimitExceeded: " + _FAIL_QUOTA,
    _FAIL_PING: "Failed to update endpoint: " + _FAIL_PING,
    _FAIL_ROLLBACK: "Failed to update endpoint: " + _FAIL_ROLLBACK,
}

_DESCRIPTIONS: tuple[str | None, ...] = (
    None, None, None, None, "",
    "Shadow test of the candidate model against production traffic.",
    "Candidate retrained on the last 90 days of data; compare latency and accuracy.",
    "New feature set; mirror a sample of live requests before promotion.",
    "Instance-type change only: same model artifact, cheaper hardware.",
    "Graviton (arm64) image vs x86 image; throughput per dollar.",
    "Quantized (int8) build of the production model.",
    "Shadow test of the \"v-next\" model.\nGoal: p99 < 100 ms at equal accuracy.",
    "Évaluation du modèle candidat — trafic FR/DE.",
    "Scheduled after the model-risk committee sign-off.",
    "Canary of the retrained model with the December holiday features.",
    "Load test at production traffic volume before the peak season.",
)  # fmt: skip

_CSV_JSON = {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]}
# DataStorageConfig variants: None = absent, else (with KmsKey?, ContentType or None)
_STORAGE: tuple[tuple[bool, dict[str, list[str]] | None] | None, ...] = (
    None, None, None, None, None,
    (False, None),
    (True, None),
    (False, _CSV_JSON),
    (True, _CSV_JSON),
    (True, _CSV_JSON),
    (False, {"JsonContentTypes": ["application/json"]}),
    (True, {"JsonContentTypes": ["application/json", "application/jsonlines"]}),
    (False, {"CsvContentTypes": ["text/csv"]}),
    (True, {"CsvContentTypes": ["text/csv", "text/plain"]}),
    (False, _CSV_JSON),
    (True, {"CsvContentTypes": ["text/csv"]}),
)  # fmt: skip

_SAMPLING = (0, 1, 5, 5, 10, 10, 10, 20, 20, 25, 30, 50, 50, 75, 100, 100)
_DURATIONS_DAYS = (7, 14, 30, 60, 90)
_DURATION_WEIGHTS = (1, 3, 2, 1, 1)

# (suffix, shift in seconds): ISO-8601 text in UTC ("Z"), with milliseconds ("ms") or with
# an offset (the wall clock shifted to match); "epoch" = epoch seconds, "epochf" = a float
_TIME_STYLES: tuple[tuple[str, int], ...] = (("Z", 0),) * 58 + (
    ("+00:00", 0), ("+02:00", 7200), ("-05:00", -18000), ("epoch", 0), ("epochf", 0), ("ms", 0),
)  # fmt: skip


def _tag(key: str, value: str) -> dict[str, str]:
    return {"Key": key, "Value": value}


_EXTRA_TAGS = (
    _tag("owner", "ml-oncall@acme.example"),
    _tag("owner", "Zoë Müller"),
    _tag("cost-center", ""),
    _tag("Cost Center", "4410"),
    _tag("data-classification", "pii"),
    _tag("data-classification", "confidential"),
    _tag("regulated", "true"),
    _tag("ttl", "2026-01-31"),
    _tag("repo", "github.com/acme/ml-models"),
    _tag("aws:cloudformation:stack-name", "ml-shadow-tests"),
    _tag("managed-by", "terraform"),
)
_TAG_VARIANTS = 8  # tag lists per (model family, environment)


def _tag_lists(fixed: random.Random) -> list[list[list[list[dict[str, str]]]]]:
    """``[family][account][k]`` -> a shared ``Tags`` list: the env tag, the family's team
    (sometimes a second team), 0-3 extra tags, now and then one tag twice; 1-6 tags."""
    teams = sorted({family[2] for family in _FAMILIES} | {"ml-platform"})
    result = []
    for _family, _endpoint, team in _FAMILIES:
        per_account = []
        for _account, env in _ACCOUNTS:
            lists = []
            for _ in range(_TAG_VARIANTS):
                if fixed.random() < 0.1:
                    lists.append([_tag("env", env)])
                    continue
                tags = [_tag("env", env), _tag("team", team)]
                if fixed.random() < 0.25:  # a multi-valued key
                    tags.append(_tag("team", fixed.choice([t for t in teams if t != team])))
                tags.extend(fixed.sample(_EXTRA_TAGS, fixed.randrange(0, 4)))
                if fixed.random() < 0.1:  # the same tag twice
                    tags.append(tags[1])
                lists.append(tags[:6])
            per_account.append(lists)
        result.append(per_account)
    return result


_INFRA_OPTIONS = 4  # (production, shadow) instance configurations per model


def _storage_configs(destination: str, kms: str) -> tuple[dict[str, Any] | None, ...]:
    """A place's DataStorageConfig for each ``_STORAGE`` variant (None: absent).

    SageMaker writes the captured data under ``Destination/<endpoint>/<variant>/...``, so
    one prefix per account and region is the common set-up.
    """
    configs: list[dict[str, Any] | None] = []
    for variant in _STORAGE:
        if variant is None:
            configs.append(None)
            continue
        with_kms, content_type = variant
        config: dict[str, Any] = {"Destination": destination}
        if with_kms:
            config["KmsKey"] = kms
        if content_type is not None:
            config["ContentType"] = content_type
        configs.append(config)
    return tuple(configs)


@cache
def _tables() -> dict[str, Any]:
    """Seed-independent pools and formatting tables, built once."""
    fixed = random.Random(0x5EED)
    days = [(_FIRST_DAY + timedelta(days=d)).strftime("%Y-%m-%dT") for d in range(_N_DAYS)]
    clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z" for s in range(_DAY)]
    places: list[tuple[Any, ...]] = []
    for a, (account, env) in enumerate(_ACCOUNTS):
        for region in _REGIONS:
            kms = (
                f"arn:aws:kms:{region}:{account}:key/{int(account) % 0xFFFFFFFF:08x}"
                f"-{len(region):04x}-4c8e-a3f1-{region.encode().hex()[:12]}"
            )
            places.append(
                (
                    len(places),
                    a,
                    account,
                    region,
                    f"arn:aws:sagemaker:{region}:{account}:inference-experiment/",
                    f"arn:aws:iam::{account}:role/service-role/AmazonSageMaker-ExecutionRole-{env}",
                    kms,
                    _storage_configs(f"s3://acme-ml-{env}-{region}-capture/shadow-tests", kms),
                )
            )
    counts = sorted(set(_INSTANCE_COUNTS))
    infra = {
        (itype, count): {
            "InfrastructureType": "RealTimeInference",
            "RealTimeInferenceConfig": {"InstanceType": itype, "InstanceCount": count},
        }
        for itype in _INSTANCE_TYPES
        for count in counts
    }
    tag_lists = _tag_lists(fixed)
    models: list[tuple[Any, ...]] = []
    for f, (family, endpoint, _team) in enumerate(_FAMILIES):
        for version in range(2, _MAX_VERSION + 1):
            options = []
            for _ in range(_INFRA_OPTIONS):
                prod_key = (fixed.choice(_INSTANCE_TYPES), fixed.choice(_INSTANCE_COUNTS))
                shadow_key = (
                    prod_key
                    if fixed.random() < 0.6
                    else (fixed.choice(_INSTANCE_TYPES), fixed.choice(_INSTANCE_COUNTS))
                )
                options.append((infra[prod_key], infra[shadow_key]))
            models.append(
                (
                    len(models),
                    f"{family}-v{version - 1}",
                    f"{family}-v{version}",
                    f"{endpoint}-config-v{version}-shadow",
                    endpoint,
                    tuple(options),
                    tag_lists[f],
                )
            )
    return {
        "days": days,
        "clock": clock,
        # pools padded to a power of two so that getrandbits picks from them directly
        "places": _pad(places, 32),
        "models": _pad(models, 1024),
    }


def _pad(pool: list[Any], size: int) -> list[Any]:
    """``pool`` repeated and cut to ``size`` entries (the first ones weigh a bit more)."""
    return (pool * (size // len(pool) + 1))[:size]


_PROFILE_BITS = 12  # 4096 profiles per call
_DEPLOYMENT_BITS = 3  # 8 deployments per status per call
_STATUSES = tuple(status for status, _weight in _STATUS_WEIGHTS)


class _Deployment(NamedTuple):
    """How the endpoint and the variants look, consistent with one experiment status."""

    config_name: bool  # EndpointConfigName present
    endpoint_status: str
    failure: str | None  # EndpointMetadata.FailureReason
    infra_option: int  # index into the model's (production, shadow) infrastructure options
    all_traffic: bool  # the production variant is named AllTraffic
    prod_status: str
    shadow_status: str
    sampling: int


def _deployments(rng: random.Random) -> list[_Deployment]:
    """``1 << _DEPLOYMENT_BITS`` deployments for each status, in ``_STATUSES`` order."""
    result = []
    for status in _STATUSES:
        for _ in range(1 << _DEPLOYMENT_BITS):
            endpoint_status, failure, prod_status, shadow_status = rng.choice(
                _VARIANT_STATES[status]
            )
            result.append(
                _Deployment(
                    config_name=rng.random() < 0.9,
                    endpoint_status=endpoint_status,
                    failure=failure,
                    infra_option=rng.randrange(_INFRA_OPTIONS),
                    all_traffic=rng.random() < 0.25,
                    prod_status=prod_status,
                    shadow_status=shadow_status,
                    sampling=rng.choice(_SAMPLING),
                )
            )
    return result


class _Profile(NamedTuple):
    """The choices a record shares with others; fields in :func:`synthetic`'s unpacking order."""

    template: dict[str, Any]  # experiment members in API order, per-record ones None
    style: tuple[str, int]  # one of _TIME_STYLES
    zulu: bool  # style is ("Z", 0), the common case
    start_hours: int  # hours from the creation hour to Schedule.StartTime
    schedule: int  # 0: no Schedule; else (1: StartTime, 2: both) << 3 | duration index
    length: int  # seconds from StartTime to EndTime
    completed: int | None  # seconds from StartTime to CompletionTime
    modified: int  # seconds from StartTime (or CreationTime) to LastModifiedTime
    from_start: bool  # whether ``modified`` counts from StartTime
    deployment: int  # index into _deployments()
    storage: int  # _STORAGE index
    top_kms: bool  # top-level KmsKey present
    tags: int  # tag list index; _TAG_VARIANTS: empty list; _TAG_VARIANTS + 1: no tags


def _profiles(rng: random.Random, deployments: list[_Deployment]) -> list[tuple[Any, ...]]:
    """Every discrete choice of a record, drawn once per call from the seeded ``rng``.

    A record is then a profile, a place, a model and a creation time.
    """
    statuses = [status for status, weight in _STATUS_WEIGHTS for _ in range(weight)]
    profiles: list[_Profile] = []
    for _ in range(1 << _PROFILE_BITS):
        status = rng.choice(statuses)
        deployment = _STATUSES.index(status) << _DEPLOYMENT_BITS
        deployment |= rng.getrandbits(_DEPLOYMENT_BITS)
        failure = deployments[deployment].failure
        if failure is not None:
            reason: str | None = _FAILURE_REASONS[failure]
        else:
            reason = rng.choice(_REASONS.get(status, (None,)))
        description = rng.choice(_DESCRIPTIONS)
        # The schedule starts on the hour: the next one, or 1-14 days ahead when Created.
        # CompletionTime and a LastModifiedTime after the start count from the start.
        (duration,) = rng.choices(range(len(_DURATIONS_DAYS)), _DURATION_WEIGHTS)
        length = _DURATIONS_DAYS[duration] * _DAY
        start_hours = 24 + rng.randrange(13 * 24) if status == "Created" else 1
        completed = None
        from_start = True
        if status == "Completed":
            completed = length + rng.randrange(600)
            modified = completed + rng.randrange(60)
        elif status == "Cancelled":
            completed = 600 + rng.randrange(length - 600)
            modified = completed + rng.randrange(60)
        elif status == "Creating":
            modified, from_start = 0, False
        elif status == "Created":
            modified, from_start = rng.randrange(600), False
        elif status == "Starting":
            modified = rng.randrange(120)
        else:
            modified = rng.randrange(length)
        roll = rng.random()
        schedule = 2 if roll < 0.95 else 1 if roll < 0.97 else 0  # members in Schedule
        storage = rng.randrange(len(_STORAGE))
        top_kms = rng.random() < 0.4
        style = rng.choice(_TIME_STYLES)

        template: dict[str, Any] = {"Arn": None, "Name": None, "Type": "ShadowMode"}
        if schedule:
            template["Schedule"] = None
        template["Status"] = status
        if reason is not None:
            template["StatusReason"] = reason
        if description is not None:
            template["Description"] = description
        template["CreationTime"] = None
        if completed is not None:
            template["CompletionTime"] = None
        template["LastModifiedTime"] = None
        for key in ("RoleArn", "EndpointMetadata", "ModelVariants"):
            template[key] = None
        if _STORAGE[storage] is not None:
            template["DataStorageConfig"] = None
        template["ShadowModeConfig"] = None
        if top_kms:
            template["KmsKey"] = None

        profiles.append(
            _Profile(
                template=template,
                style=style,
                zulu=style == ("Z", 0),
                start_hours=start_hours,
                schedule=schedule << 3 | duration if schedule else 0,
                length=length,
                completed=completed,
                modified=modified,
                from_start=from_start,
                deployment=deployment,
                storage=storage,
                top_kms=top_kms,
                tags=rng.randrange(_TAG_VARIANTS + 2),
            )
        )
    return [tuple(p) for p in profiles]  # plain tuples unpack faster


def synthetic(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` synthetic fixture records, deterministic for ``(n, seed)`` (see module doc)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    t = _tables()
    rng = random.Random(seed)
    deployments = _deployments(rng)
    profiles = _profiles(rng, deployments)
    bits = rng.getrandbits
    days: list[str] = t["days"]
    clock: list[str] = t["clock"]  # "HH:MM:SSZ"
    places = t["places"]
    models = t["models"]
    year = 365 * _DAY
    day = _DAY
    tag_variants = _TAG_VARIANTS
    # Sub-objects that depend on few choices are built once and shared (see module doc),
    # cached under int keys made of the record's and the profile's parts.
    taken = bytearray(1 << 15)  # (place, model) pairs whose plain name is taken
    schedule_cache: dict[int, dict[str, Any]] = {}  # start hour, profile.schedule
    deployment_cache: dict[int, tuple[Any, ...]] = {}  # model, profile.deployment

    def stamp(seconds: int, style: tuple[str, int]) -> str | int | float:
        """Seconds since 2025-01-01T00:00:00Z in a timestamp style."""
        suffix, shift = style
        if suffix == "epoch":
            return _EPOCH_2025 + seconds
        if suffix == "epochf":
            return _EPOCH_2025 + seconds + 0.25
        local = seconds + shift + day
        text = days[local // day] + clock[local % day]
        if suffix == "Z":
            return text
        if suffix == "ms":
            return text[:-1] + ".250Z"
        return text[:-1] + suffix

    records: list[dict[str, Any]] = []
    append = records.append
    was_enabled = gc.isenabled()
    gc.disable()  # millions of new containers: collections would only cost time here
    try:
        for i in range(n):
            (
                template,
                style,
                zulu,
                start_hours,
                schedule,
                length,
                completed,
                modified,
                from_start,
                deployment,
                storage,
                top_kms,
                tags,
            ) = profiles[bits(_PROFILE_BITS)]
            pid, a, account, region, arn_prefix, role, kms, storages = places[bits(5)]
            mid, prev_model, model, endpoint_config, endpoint, infra, tag_lists = models[bits(10)]
            created = bits(25)  # seconds into 2025, uniform: redraw the 6 % past the year
            while created >= year:
                created = bits(25)
            hour = created // 3600 + start_hours
            start = hour * 3600

            pair = pid << 10 | mid
            if taken[pair]:
                name = f"{model}-shadow-{i}"
            else:
                taken[pair] = 1
                name = model + "-shadow"

            experiment = template.copy()
            experiment["Arn"] = arn_prefix + name
            experiment["Name"] = name
            if zulu:  # the common case, inlined
                if schedule:
                    key = hour << 5 | schedule
                    schedule_dict = schedule_cache.get(key)
                    if schedule_dict is None:
                        x = start + day
                        schedule_dict = {"StartTime": days[x // day] + clock[x % day]}
                        if schedule >> 3 == 2:
                            x += length
                            schedule_dict["EndTime"] = days[x // day] + clock[x % day]
                        schedule_cache[key] = schedule_dict
                    experiment["Schedule"] = schedule_dict
                x = created + day
                experiment["CreationTime"] = days[x // day] + clock[x % day]
                if completed is not None:
                    x = start + day + completed
                    experiment["CompletionTime"] = days[x // day] + clock[x % day]
                x = (start if from_start else created) + day + modified
                experiment["LastModifiedTime"] = days[x // day] + clock[x % day]
            else:
                if schedule:
                    schedule_dict = {"StartTime": stamp(start, style)}
                    if schedule >> 3 == 2:
                        schedule_dict["EndTime"] = stamp(start + length, style)
                    experiment["Schedule"] = schedule_dict
                experiment["CreationTime"] = stamp(created, style)
                if completed is not None:
                    experiment["CompletionTime"] = stamp(start + completed, style)
                experiment["LastModifiedTime"] = stamp(
                    (start if from_start else created) + modified, style
                )
            experiment["RoleArn"] = role

            key = mid << 6 | deployment
            shared = deployment_cache.get(key)
            if shared is None:
                d = deployments[deployment]
                metadata: dict[str, Any] = {"EndpointName": endpoint}
                if d.config_name:
                    metadata["EndpointConfigName"] = endpoint_config
                metadata["EndpointStatus"] = d.endpoint_status
                if d.failure is not None:
                    metadata["FailureReason"] = d.failure
                prod_infra, shadow_infra = infra[d.infra_option]
                prod_variant = "AllTraffic" if d.all_traffic else prev_model
                variants = [
                    {
                        "ModelName": prev_model,
                        "VariantName": prod_variant,
                        "InfrastructureConfig": prod_infra,
                        "Status": d.prod_status,
                    },
                    {
                        "ModelName": model,
                        "VariantName": model,
                        "InfrastructureConfig": shadow_infra,
                        "Status": d.shadow_status,
                    },
                ]
                shadow_mode = {
                    "SourceModelVariantName": prod_variant,
                    "ShadowModelVariants": [
                        {"ShadowModelVariantName": model, "SamplingPercentage": d.sampling}
                    ],
                }
                shared = deployment_cache[key] = (metadata, variants, shadow_mode)
            experiment["EndpointMetadata"], experiment["ModelVariants"], shadow_mode = shared

            data_storage = storages[storage]
            if data_storage is not None:
                experiment["DataStorageConfig"] = data_storage
            experiment["ShadowModeConfig"] = shadow_mode
            if top_kms:
                experiment["KmsKey"] = kms

            if tags < tag_variants:
                append(
                    {
                        "account_id": account,
                        "region": region,
                        "experiment": experiment,
                        "tags": tag_lists[a][tags],
                    }
                )
            elif tags == tag_variants:
                append(
                    {"account_id": account, "region": region, "experiment": experiment, "tags": []}
                )
            else:
                append({"account_id": account, "region": region, "experiment": experiment})
    finally:
        if was_enabled:
            gc.enable()
    return records
