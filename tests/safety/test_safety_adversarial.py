"""The adversarial set: constructs that run code in ways a reader can miss, and their look-alikes.

Each attack must reach at least its level under every safety level (the verdict does not depend
on the policy), and high or critical ones are blocked in strict mode; each look-alike must stay at
or below its level. The set is bench/data/safety-adversarial.toml.
"""
from __future__ import annotations

import json
from typing import Dict, List, Tuple

import pytest

from cmdai.safety import SAFETY_LEVELS, Action, Risk, assess, decide

from .conftest import ADVERSARIAL, load_toml

DATA = load_toml(ADVERSARIAL)
ATTACKS: List[Tuple[str, str, str]] = [(c, lv, cmd) for c, rows in DATA["attack"].items() for lv, cmd in rows]
BENIGN: List[Tuple[str, str, str]] = [(c, lv, cmd) for c, rows in DATA["benign"].items() for lv, cmd in rows]
UNCHECKABLE = "runs code that cmdai cannot check"


def test_the_set_is_large_and_covers_every_class() -> None:
    assert len(ATTACKS) >= 150 and len(BENIGN) >= 100
    assert {"executing words", "wrappers", "other shells", "obfuscation", "deferred code", "tool command options",
            "python", "other languages", "interpreter input", "credentials and persistence", "more tools and tricks", "runners, watchers and lookups", "zsh and history",
            "unparseable and unknown"} <= set(DATA["attack"])


@pytest.mark.parametrize("cls,level,command", ATTACKS, ids=[f"{c}:{cmd[:60]}" for c, _, cmd in ATTACKS])
def test_attack_is_caught(cls: str, level: str, command: str) -> None:
    verdict = assess(command)
    assert verdict.risk >= Risk.parse(level), (command, verdict.reasons)
    assert verdict.reasons, command
    if verdict.risk >= Risk.HIGH:
        assert decide(verdict.risk, "strict") is Action.BLOCK
        assert decide(verdict.risk, "moderate") is not Action.ALLOW


@pytest.mark.parametrize("cls,level,command", BENIGN, ids=[f"{c}:{cmd[:60]}" for c, _, cmd in BENIGN])
def test_look_alike_stays_clean(cls: str, level: str, command: str) -> None:
    verdict = assess(command)
    assert verdict.risk <= Risk.parse(level), (command, verdict.reasons)


@pytest.mark.parametrize("command", [
    "$x -rf ~", "eval \"$x\"", "bash -c \"$x\"", "python -c 'exec(input())'", "cat f | bash",
    "python3 -c 'def f(:'", "node -e 'eval(process.argv[1])' x", "BASH_ENV=x.sh bash -c ls", "pwsh -c 'Get-Process'",
    "vim -S session.vim", "sed e f",
])
def test_what_cannot_be_read_says_so(command: str) -> None:
    verdict = assess(command)
    assert verdict.risk >= Risk.MODERATE
    assert any(UNCHECKABLE in r for r in verdict.reasons), verdict.reasons


def test_every_node_type_the_walk_does_not_model_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    from cmdai.safety import walker

    # Pretend the grammar grew a statement the walk has never seen: it must not come out safe.
    monkeypatch.setattr(walker, "_KNOWN_NODES", walker._KNOWN_NODES - {"while_statement", "do_group"})
    verdict = assess("while true; do echo hi; done")
    assert verdict.risk >= Risk.MODERATE
    assert any("while statement" in r for r in verdict.reasons)


def _one_per_class() -> List[Tuple[str, str]]:
    seen: Dict[str, Tuple[str, str]] = {}
    for cls, level, command in ATTACKS:
        if Risk.parse(level) >= Risk.HIGH and cls not in seen:
            seen[cls] = (level, command)
    return list(seen.values())


@pytest.mark.parametrize("level,command", _one_per_class())
def test_check_reports_and_strict_blocks_through_the_cli(run_cmdai, level: str, command: str) -> None:
    for safety in SAFETY_LEVELS:
        result = run_cmdai("--check", "--json", "--safety", safety, command)
        verdict = json.loads(result.stdout)
        assert Risk.parse(verdict["risk"]) >= Risk.parse(level), verdict
        assert (result.returncode == 3) == verdict["blocked"]
        if safety == "strict":
            assert verdict["blocked"] and verdict["action"] == "block"
