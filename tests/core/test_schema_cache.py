"""Parsed schema files are cached as JSON, keyed by their text (issue 12: start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from ddsql_lite import SchemaError
from ddsql_lite import registry as registry_module
from ddsql_lite.registry import load_registry, schema_documents

TEXTS = {"a.yaml": "table: a\ncolumns: [{name: x}]\n", "b.yaml": "table: b # comment\n"}
PARSED = {"a.yaml": {"table": "a", "columns": [{"name": "x"}]}, "b.yaml": {"table": "b"}}


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches are written, as outside PYTHONDONTWRITEBYTECODE."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The origins read_yaml is called for from now on."""
    calls: list[str] = []
    real = registry_module.read_yaml

    def counted(text: str, origin: str) -> object:
        calls.append(origin)
        return real(text, origin)

    monkeypatch.setattr(registry_module, "read_yaml", counted)
    return calls


def test_unchanged_texts_are_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: None
) -> None:
    calls = _parses(monkeypatch)
    assert schema_documents(TEXTS, tmp_path) == PARSED
    assert calls == ["a.yaml", "b.yaml"]
    assert schema_documents(TEXTS, tmp_path) == PARSED
    assert calls == ["a.yaml", "b.yaml"]  # no parse the second time
    changed = {**TEXTS, "b.yaml": "table: c\n"}
    assert schema_documents(changed, tmp_path)["b.yaml"] == {"table": "c"}
    assert calls[2:] == ["a.yaml", "b.yaml"]


@pytest.mark.parametrize(
    "damage",
    ["", "{", "[]", '{"key": 1}', '{"key": "x", "documents": []}', "\x00\xff"],
)
def test_a_damaged_cache_is_parsed_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: None, damage: str
) -> None:
    (tmp_path / "schemas.json").write_text(damage, encoding="latin-1")
    calls = _parses(monkeypatch)
    assert schema_documents(TEXTS, tmp_path) == PARSED
    assert schema_documents(TEXTS, tmp_path) == PARSED
    assert calls == ["a.yaml", "b.yaml"]


def test_what_json_cannot_hold_exactly_is_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: None
) -> None:
    texts = {"d.yaml": "when: 2025-01-01\n1: one\n"}
    first = schema_documents(texts, tmp_path)
    assert not (tmp_path / "schemas.json").exists()
    assert schema_documents(texts, tmp_path) == first


def test_no_cache_is_written_where_it_cannot_be_or_must_not_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert schema_documents(TEXTS, tmp_path) == PARSED
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert schema_documents(TEXTS, blocked / "cache") == PARSED


def test_bad_yaml_is_a_schema_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match=r"^x\.yaml: not valid YAML"):
        schema_documents({"x.yaml": "table: [unclosed"}, tmp_path)


def test_a_warm_start_does_not_import_yaml(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = (
        "import sys\n"
        "from ddsql_lite.registry import load_registry\n"
        "print([t.name for t in load_registry()], 'yaml' in sys.modules)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    tables = [t.name for t in load_registry()]
    assert runs == [f"{tables} True", f"{tables} False"]
    cached = json.loads((tmp_path / "ddsql_lite" / "schemas.json").read_text(encoding="utf-8"))
    shipped = [f.name for f in resources.files("ddsql_lite.schemas").iterdir()]
    assert sorted(cached["documents"]) == sorted(n for n in shipped if n.endswith(".yaml"))


@pytest.mark.parametrize("xdg", [None, "/tmp/ddsql-xdg", "relative/ignored", ""])
def test_the_cache_directory_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    import platformdirs

    from ddsql_lite.usercache import cache_directory

    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_directory() == Path(platformdirs.user_cache_dir("ddsql_lite", appauthor=False))
