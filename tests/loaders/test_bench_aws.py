"""The AWS loader benchmark runs at a tiny size (its full size is a manual run)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow  # each test runs the benchmark

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_aws_loader.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_aws_loader", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_aws_loader"] = module
    spec.loader.exec_module(module)
    return module


def test_tiny_benchmark(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench()
    assert bench.main(["--tiny"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("load of 2 regions x 15 experiments, 10 ms per call")
    figures = dict(re.findall(r"^  (\S+(?: \S+)*?)\s{2,}([\d.,]+)", out, re.MULTILINE))
    assert figures["rows loaded"] == "30"
    # 2 List calls + 2 calls per experiment (tags fit one page), nothing retried
    assert figures["API calls"] == "62" and figures["retries"] == "0"
    for label in ("wall time", "sequential", "ideal", "speed-up", "vs ideal"):
        assert label in out


def test_benchmark_figures_are_consistent() -> None:
    bench = load_bench()
    figures = bench.run(regions=1, per_region=10, latency=0.05, workers=8, subprocess=False)
    assert figures["rows"] == figures["experiments"] == 10
    assert figures["api_calls"] == 1 + 2 * 10 and figures["errors"] == []
    assert figures["sequential"] == pytest.approx(21 * 0.05)
    assert figures["ideal"] == pytest.approx(21 * 0.05 / 8)
    # the calls overlapped: the fake answered several at once (told by the fake, not by
    # the wall time, which a busy machine stretches)
    assert figures["peak_in_flight"] > 1
