"""Hostile fixture values (issue 13, class 4), shared by the fixture tests.

Each case puts one value into record 3 of a fixture; both load paths (the pure mapping
and the DuckDB fast path) must load the file, or both refuse it with the same
LoaderError naming the file, the record and the field. Values JSON cannot spell from a
Python object are written as sentinels that :func:`to_text` replaces in the file's text:
``1e400`` (:data:`BIG`) and nesting too deep for ``json.dumps`` (:func:`deep`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]

BIG = "\x00big:1e400\x00"  # written as the number 1e400 (Python reads it as infinity)
_DEEP = re.compile(r'"\\u0000deep:(dict|list):(\d+)\\u0000"')


def deep(depth: int, kind: str = "dict") -> str:
    """A sentinel for ``depth`` levels of ``{"Level": ...}`` (or ``[...]``) around "x"."""
    return f"\x00deep:{kind}:{depth}\x00"


def _deep_text(match: re.Match[str]) -> str:
    kind, depth = match.group(1), int(match.group(2))
    if kind == "dict":
        return '{"Level": ' * depth + '"x"' + "}" * depth
    return "[" * depth + '"x"' + "]" * depth


def to_text(value: Any, **options: Any) -> str:
    """``json.dumps(value, **options)`` with the sentinels replaced; lone surrogates
    (which UTF-8 cannot encode) are written as ``\\udXXX`` escapes."""
    text = json.dumps(value, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, **{**options, "ensure_ascii": True})
    text = text.replace(json.dumps(BIG), "1e400")
    return _DEEP.sub(_deep_text, text)


@dataclass(frozen=True)
class Case:
    """``value`` set at ``path`` of a record; ``field`` and ``problem`` are what the
    error names (None: the file loads)."""

    path: tuple[str, ...]
    value: Any
    field: str | None = None
    problem: str = ""

    def apply(self, record: Record) -> Record:
        record = copy.deepcopy(record)
        target = record
        for key in self.path[:-1]:
            target = target[key]
        target[self.path[-1]] = self.value
        return record

    def message_end(self, index: int) -> str | None:
        """How the error message for the record at ``index`` ends (None: loads)."""
        if self.field is None:
            return None
        return f"record {index}: field {self.field}: {self.problem}"


E = "experiment"
_UTC = "is out of range in UTC (years 1 to 9999)"
_VARIANT = {
    "ModelName": "m",
    "VariantName": "v",
    "InfrastructureConfig": {
        "InfrastructureType": "RealTimeInference",
        "RealTimeInferenceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1},
    },
}


def _variant(**extra: Any) -> list[dict[str, Any]]:
    return [{**_VARIANT, **extra}]


def _surrogate(value: str, bad: str = "\ud800") -> str:
    inside = f" in {value!r}" if value != bad else ""
    return f"lone surrogate {bad!r}{inside}: not Unicode text"


CASES: dict[str, Case] = {
    # timestamps at the ends of the range, with offsets
    "creation 0001 +01:00": Case(
        (E, "CreationTime"),
        "0001-01-01T00:00:00+01:00",
        "experiment.CreationTime",
        f"'0001-01-01T00:00:00+01:00' {_UTC}",
    ),
    "creation 9999 -01:00": Case(
        (E, "CreationTime"),
        "9999-12-31T23:59:59-01:00",
        "experiment.CreationTime",
        f"'9999-12-31T23:59:59-01:00' {_UTC}",
    ),
    "last modified 9999 -00:01": Case(
        (E, "LastModifiedTime"),
        "9999-12-31T23:59:59.5-00:01",
        "experiment.LastModifiedTime",
        f"'9999-12-31T23:59:59.5-00:01' {_UTC}",
    ),
    "creation 0001 Z": Case((E, "CreationTime"), "0001-01-01T00:00:00Z"),
    "creation 9999 +01:00": Case((E, "CreationTime"), "9999-12-31T23:59:59+01:00"),
    "creation 0001 -01:00": Case((E, "CreationTime"), "0001-01-01T00:00:00-01:00"),
    "completion epoch at the end": Case((E, "CompletionTime"), 253402300799),
    "completion epoch past the end": Case(
        (E, "CompletionTime"),
        253402300800,
        "experiment.CompletionTime",
        "epoch seconds 253402300800 out of range",
    ),
    "creation epoch at the start": Case((E, "CreationTime"), -62135596800),
    "creation epoch before the start": Case(
        (E, "CreationTime"),
        -62135596801,
        "experiment.CreationTime",
        "epoch seconds -62135596801 out of range",
    ),
    "creation epoch 1e400": Case(
        (E, "CreationTime"), BIG, "experiment.CreationTime", "epoch seconds inf out of range"
    ),
    "schedule start 0001 +01:00": Case(
        (E, "Schedule"),
        {"StartTime": "0001-01-01T00:00:00+01:00"},
        "experiment.Schedule.StartTime",
        f"'0001-01-01T00:00:00+01:00' {_UTC}",
    ),
    "schedule end 9999 -01:00": Case(
        (E, "Schedule"),
        {"StartTime": "2025-01-01T00:00:00Z", "EndTime": "9999-12-31T23:59:59-01:00"},
        "experiment.Schedule.EndTime",
        f"'9999-12-31T23:59:59-01:00' {_UTC}",
    ),
    "schedule start 0001 Z": Case((E, "Schedule"), {"StartTime": "0001-01-01T00:00:00Z"}),
    "schedule end epoch past the end": Case(
        (E, "Schedule"),
        {"EndTime": 253402300800.5},
        "experiment.Schedule.EndTime",
        "epoch seconds 253402300800.5 out of range",
    ),
    "schedule start epoch NaN": Case(
        (E, "Schedule"),
        {"StartTime": float("nan")},
        "experiment.Schedule.StartTime",
        "epoch seconds nan out of range",
    ),
    # lone surrogates, in every kind of string
    "name": Case((E, "Name"), "a\ud800b", "experiment.Name", _surrogate("a\ud800b")),
    "arn": Case((E, "Arn"), "arn:\udfff", "experiment.Arn", _surrogate("arn:\udfff", "\udfff")),
    "description": Case(
        (E, "Description"), "\ud800", "experiment.Description", _surrogate("\ud800")
    ),
    "status": Case((E, "Status"), "\udc00", "experiment.Status", _surrogate("\udc00", "\udc00")),
    "account_id": Case(("account_id",), "1\ud800", "account_id", _surrogate("1\ud800")),
    "region": Case(("region",), "us-\ud800", "region", _surrogate("us-\ud800")),
    "tag key": Case(
        ("tags",), [{"Key": "\ud800", "Value": "v"}], "tags[0].Key", _surrogate("\ud800")
    ),
    "tag value": Case(
        ("tags",),
        [{"Key": "k", "Value": "v"}, {"Key": "k2", "Value": "x\udbff"}],
        "tags[1].Value",
        _surrogate("x\udbff", "\udbff"),
    ),
    "JSON member string": Case(
        (E, "EndpointMetadata"),
        {"EndpointName": "e\ud800"},
        "experiment.EndpointMetadata.EndpointName",
        _surrogate("e\ud800"),
    ),
    "JSON unknown member key": Case(
        (E, "ModelVariants"),
        _variant(**{"New\ud800": 1}),
        "experiment.ModelVariants[0].New\\ud800",
        "the key: " + _surrogate("New\ud800"),
    ),
    "JSON unknown member string": Case(
        (E, "ShadowModeConfig"),
        {"SourceModelVariantName": "v", "Extra": ["ok", {"Deeper": "\udfff"}]},
        "experiment.ShadowModeConfig.Extra[1].Deeper",
        _surrogate("\udfff", "\udfff"),
    ),
    "ignored member": Case((E, "NotAColumn"), "\ud800"),
    "ignored top-level member": Case(("note",), {"\ud800": "\udc00"}),
    # numbers JSON text cannot hold, inside JSON members
    "NaN in an unknown member": Case(
        (E, "Schedule"),
        {"StartTime": "2025-01-01T00:00:00Z", "Ratio": float("nan")},
        "experiment.Schedule.Ratio",
        "expected a finite number, got NaN",
    ),
    "Infinity in a list": Case(
        (E, "ModelVariants"),
        _variant(Weights=[1.5, float("inf")]),
        "experiment.ModelVariants[0].Weights[1]",
        "expected a finite number, got Infinity",
    ),
    "-Infinity": Case(
        (E, "DataStorageConfig"),
        {"Destination": "s3://b/k", "Floor": float("-inf")},
        "experiment.DataStorageConfig.Floor",
        "expected a finite number, got -Infinity",
    ),
    "1e400": Case(
        (E, "EndpointMetadata"),
        {"EndpointName": "e", "Big": BIG},
        "experiment.EndpointMetadata.Big",
        "expected a finite number, got Infinity",
    ),
    "-Infinity as an integer": Case(
        (E, "ShadowModeConfig"),
        {"ShadowModelVariants": [{"SamplingPercentage": float("-inf")}]},
        "experiment.ShadowModeConfig.ShadowModelVariants[0].SamplingPercentage",
        "expected integer, got float",
    ),
    "NaN in an ignored member": Case((E, "NotAColumn"), [float("nan"), BIG]),
    # nesting
    "JSON member 100 levels": Case((E, "Schedule"), {"New": deep(99)}),
    "JSON member 101 levels": Case(
        (E, "Schedule"),
        {"New": deep(100)},
        "experiment.Schedule",
        "nested more than 100 levels deep",
    ),
    "JSON member 1,000 levels": Case(
        (E, "ModelVariants"),
        _variant(New=deep(1000, "list")),
        "experiment.ModelVariants",
        "nested more than 100 levels deep",
    ),
    "JSON member 5,000 levels": Case(
        (E, "Schedule"), deep(5000), "experiment.Schedule", "nested more than 100 levels deep"
    ),
    "string column 1,000 levels": Case(
        (E, "Description"),
        deep(1000, "list"),
        "experiment.Description",
        "expected a string, got list",
    ),
    "tags 1,000 levels": Case(
        ("tags",), deep(1000, "list"), "tags[0]", "expected an object with a string Key"
    ),
    "ignored member 1,000 levels": Case((E, "NotAColumn"), deep(1000)),
    "ignored top-level member 5,000 levels": Case(("note",), deep(5000, "list")),
}

# Each kind of hostile value, for generated records (tests/loaders/test_fast_path.py).
HOSTILE_STRINGS = ["\ud800", "a\udfffb", "\udc00\ud800"]
HOSTILE_NUMBERS: list[Any] = [float("nan"), float("inf"), float("-inf"), BIG]
HOSTILE_TIMESTAMPS: list[Any] = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:59:59+01:00",
    "9999-12-31T23:59:59.999999-00:01",
    253402300800,
    -62135596801,
    BIG,
    float("nan"),
]
HOSTILE_NESTING = [deep(101), deep(1000, "list"), deep(3000)]


def cases(keep: Callable[[Case], bool] = lambda case: True) -> list[str]:
    """The names of the cases ``keep`` selects, in order."""
    return [name for name, case in CASES.items() if keep(case)]
