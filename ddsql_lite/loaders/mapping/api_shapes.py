"""The API output shapes the mapping checks records against, shipped with the package.

``ddsql_lite/data/<service>.<Operation>.json`` holds one operation's output shape and
every shape it reaches, as botocore's service model spells them (type, members,
member, key, value only), so a fixture load needs no botocore (about 0.1 s to import and
load the model). ``python -m ddsql_lite.loaders.mapping.api_shapes sagemaker
DescribeInferenceExperiment`` writes the file from the installed botocore; the tests
check it against botocore. Members a newer API adds and the file lacks are kept
unchecked by the mapping.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import LoaderError

_KEEP = ("type", "members", "member", "key", "value")


@dataclass(eq=False)
class Shape:
    """A shape: ``name`` and botocore's ``type_name`` (string, integer, timestamp...)."""

    name: str
    type_name: str


@dataclass(eq=False)
class StructureShape(Shape):
    members: dict[str, Shape] = field(default_factory=dict)


@dataclass(eq=False)
class ListShape(Shape):
    member: Shape


@dataclass(eq=False)
class MapShape(Shape):
    key: Shape
    value: Shape


def shape_file(service: str, operation: str) -> Path:
    return Path(str(resources.files("ddsql_lite.data").joinpath(f"{service}.{operation}.json")))


@cache
def output_shape(service: str, operation: str) -> StructureShape:
    """The output shape of ``operation``, from the shipped file."""
    path = shape_file(service, operation)
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoaderError(f"{path}: the {service} {operation} shape is unreadable: {exc}") from None
    shape = build(model["shapes"], model["output"])
    if not isinstance(shape, StructureShape):
        raise LoaderError(f"{path}: {model['output']} is not a structure")
    return shape


def build(shapes: dict[str, Any], name: str) -> Shape:
    """The shape ``name`` of a service model's ``shapes``, with what it reaches (a cycle
    must pass through a structure, as in botocore's models)."""
    built: dict[str, Shape] = {}

    def get(ref: dict[str, str]) -> Shape:
        target = ref["shape"]
        if target not in built:
            make(target)
        return built[target]

    def make(target: str) -> None:
        raw = shapes[target]
        kind = raw["type"]
        if kind == "structure":
            structure = built[target] = StructureShape(target, kind)
            structure.members = {m: get(ref) for m, ref in raw.get("members", {}).items()}
        elif kind == "list":
            built[target] = ListShape(target, kind, get(raw["member"]))
        elif kind == "map":
            built[target] = MapShape(target, kind, get(raw["key"]), get(raw["value"]))
        else:
            built[target] = Shape(target, kind)

    make(name)
    return built[name]


def extract(service: str, operation: str) -> dict[str, Any]:
    """The shipped file's content, from the installed botocore's service model."""
    import botocore
    import botocore.session

    data = botocore.session.get_session().get_service_data(service)
    output = data["operations"][operation]["output"]["shape"]
    shapes: dict[str, Any] = {}

    def walk(name: str) -> None:
        if name in shapes:
            return
        raw = data["shapes"][name]
        shapes[name] = kept = {k: v for k, v in raw.items() if k in _KEEP}
        if "members" in kept:
            kept["members"] = {m: {"shape": ref["shape"]} for m, ref in kept["members"].items()}
        for ref in [*kept.get("members", {}).values(), *(kept.get(k) for k in _KEEP[2:])]:
            if ref:
                walk(ref["shape"])

    walk(output)
    return {
        "botocore": botocore.__version__,
        "service": service,
        "operation": operation,
        "output": output,
        "shapes": dict(sorted(shapes.items())),
    }


def main(argv: list[str]) -> int:
    """Write the shape file of ``service operation`` from the installed botocore."""
    service, operation = argv
    path = shape_file(service, operation)
    path.write_text(json.dumps(extract(service, operation), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
