"""Requests the offline engine's tests share."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import List, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bench_requests() -> List[Tuple[str, str, str]]:
    """The labelled requests (with their shell and OS) and the fresh set's, from bench/bench_offline.py."""
    spec = importlib.util.spec_from_file_location("bench_offline", REPO / "bench" / "bench_offline.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cases = [(c.text, c.shell, c.os_name) for c in bench.load_labelled()]
    return cases + [(c.text, "bash", "linux") for c in bench.load_judged(bench.FRESH)]
