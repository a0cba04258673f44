"""The shipped output shape is botocore's (issue 12: fixture loads need no botocore)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import botocore.session
from botocore import model as botocore_model

from ddsql_lite.loaders.mapping.api_shapes import (
    ListShape,
    MapShape,
    Shape,
    StructureShape,
    build,
    extract,
    output_shape,
    shape_file,
)
from ddsql_lite.registry import load_registry


def _api_operations() -> list[tuple[str, str]]:
    return [(t.api["service"], t.api["describe"]) for t in load_registry() if t.api.get("list")]


def _same(ours: Shape, theirs: botocore_model.Shape, path: str) -> None:
    """``ours`` is ``theirs`` on every member ``ours`` declares (a newer botocore may
    add members; they keep their order)."""
    assert ours.type_name == theirs.type_name, path
    if isinstance(ours, StructureShape):
        assert isinstance(theirs, botocore_model.StructureShape), path
        names = list(theirs.members)
        assert [n for n in names if n in ours.members] == list(ours.members), path
        for name, member in ours.members.items():
            _same(member, theirs.members[name], f"{path}.{name}")
    elif isinstance(ours, ListShape):
        assert isinstance(theirs, botocore_model.ListShape), path
        _same(ours.member, theirs.member, f"{path}[]")
    elif isinstance(ours, MapShape):
        assert isinstance(theirs, botocore_model.MapShape), path
        _same(ours.key, theirs.key, f"{path}{{key}}")
        _same(ours.value, theirs.value, f"{path}{{value}}")


def test_every_live_table_ships_its_shape_and_it_is_botocores() -> None:
    operations = _api_operations()
    assert operations
    for service, operation in operations:
        model = botocore.session.get_session().get_service_model(service)
        theirs = model.operation_model(operation).output_shape
        _same(output_shape(service, operation), theirs, operation)


def test_the_shipped_file_is_what_extract_writes_for_its_botocore_members() -> None:
    for service, operation in _api_operations():
        shipped = json.loads(shape_file(service, operation).read_text(encoding="utf-8"))
        fresh = extract(service, operation)
        assert shipped["output"] == fresh["output"]
        for name, raw in shipped["shapes"].items():
            assert raw["type"] == fresh["shapes"][name]["type"], name


def test_build_shares_shapes_and_allows_cycles_through_structures() -> None:
    shapes: dict[str, Any] = {
        "Node": {"type": "structure", "members": {"Children": {"shape": "Nodes"}}},
        "Nodes": {"type": "list", "member": {"shape": "Node"}},
        "Tags": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
        "Top": {
            "type": "structure",
            "members": {"Root": {"shape": "Node"}, "Tags": {"shape": "Tags"}},
        },
        "S": {"type": "string"},
    }
    top = build(shapes, "Top")
    assert isinstance(top, StructureShape) and list(top.members) == ["Root", "Tags"]
    root = top.members["Root"]
    assert isinstance(root, StructureShape)
    children = root.members["Children"]
    assert isinstance(children, ListShape) and children.member is root
    tags = top.members["Tags"]
    assert isinstance(tags, MapShape) and tags.key is tags.value


def test_a_fixture_load_imports_neither_botocore_nor_pandas() -> None:
    """Nor pyarrow.compute (30 ms), which the import floor does not pay either."""
    code = (
        "import sys, ddsql_lite\n"
        "con = ddsql_lite.connect()\n"
        "con.sql('SELECT count(*) FROM aws.sagemaker_inference_experiment').fetchall()\n"
        "print(sorted(m for m in ('botocore', 'boto3', 'pandas', 'rich', 'prompt_toolkit',"
        " 'pyarrow.compute') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
