"""Data for the safety tests: the labelled set (bench/data) and the dcg corpus (shared/data)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

LABELLED = Path(__file__).resolve().parents[2] / "bench" / "data" / "safety-labelled.toml"
ADVERSARIAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "safety-adversarial.toml"
DCG_CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dcg-corpus"


def load_toml(path: Path) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def labelled_cases() -> List[Tuple[str, str, str]]:
    """(group, expected level, command) for every labelled command."""
    return [(group, level, command) for group, rows in load_toml(LABELLED).items() for level, command in rows]


def dcg_cases() -> List[Tuple[str, str, str]]:
    """(file, "deny" or "allow", command) for every command case of the dcg corpus."""
    if not DCG_CORPUS.is_dir():
        return []
    cases = []
    for path in sorted(DCG_CORPUS.rglob("*.toml")):
        for case in load_toml(path).get("case", []):
            if "command" in case:
                expected = case.get("expected", case.get("expected_decision"))
                cases.append((str(path.relative_to(DCG_CORPUS)), expected, case["command"]))
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "labelled" in metafunc.fixturenames:
        cases = labelled_cases()
        metafunc.parametrize("labelled", cases, ids=[f"{g}:{c[:60]}" for g, _, c in cases])
    if "dcg_case" in metafunc.fixturenames:
        cases = dcg_cases()
        if not cases:
            pytest.skip(f"dcg corpus not found at {DCG_CORPUS.resolve()} (shared/ beside the repository)")
        metafunc.parametrize("dcg_case", cases, ids=[f"{s}:{c[:50]}" for s, _, c in cases])


@pytest.fixture
def all_labelled() -> List[Tuple[str, str, str]]:
    return labelled_cases()


@pytest.fixture
def all_dcg() -> List[Tuple[str, str, str]]:
    cases = dcg_cases()
    if not cases:
        pytest.skip(f"dcg corpus not found at {DCG_CORPUS.resolve()} (shared/ beside the repository)")
    return cases
