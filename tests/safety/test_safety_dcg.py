"""The dcg regression corpus (MIT): its deny/allow labels checked against our levels.

dcg denies or allows; here "deny" means at least high (blocked in strict, confirmed by default)
and "allow" means at most moderate. Where the rubric in docs/safety.md labels a command
differently, the case is listed in DISAGREEMENTS with the level we give and why.
"""
from __future__ import annotations

from typing import Dict, List, Tuple

from cmdai.safety import Risk, assess

DISAGREEMENTS: Dict[str, Tuple[Risk, str]] = {
    "rm -rf ./build": (Risk.MODERATE, "a project-local directory is moderate (rubric 7)"),
    "git branch -D feature-branch": (Risk.MODERATE, "local branch deletion is a local rewrite (moderate)"),
    "git stash drop": (Risk.MODERATE, "drops one stash; only stash clear is high"),
    "python -c \"import shutil; shutil.rmtree('/tmp/demo')\"": (Risk.MODERATE, "a temp dir is moderate (rubric 7)"),
    "python -c 'import shutil; shutil.rmtree(\"/tmp/demo\")'": (Risk.MODERATE, "a temp dir is moderate (rubric 7)"),
    "echo yes | rm -rf && echo done": (Risk.SAFE, "rm without an operand deletes nothing"),
    "docker system prune": (Risk.HIGH, "bulk container deletes are high (rubric 1)"),
    "docker system prune -a": (Risk.HIGH, "bulk container deletes are high (rubric 1)"),
    "kubectl delete namespace prod": (Risk.HIGH, "bulk k8s deletes are high (rubric 1)"),
    "kubectl delete all --all": (Risk.HIGH, "bulk k8s deletes are high (rubric 1)"),
    "$(echo hello)": (Risk.HIGH, "a command name produced by a substitution is obfuscation (rubric 4)"),
    "`echo hello`": (Risk.HIGH, "a command name produced by a substitution is obfuscation (rubric 4)"),
    "$(echo ls)": (Risk.HIGH, "a command name produced by a substitution is obfuscation (rubric 4)"),
    "`echo pwd`": (Risk.HIGH, "a command name produced by a substitution is obfuscation (rubric 4)"),
}


def test_corpus_case(dcg_case: Tuple[str, str, str]) -> None:
    _, expected, command = dcg_case
    verdict = assess(command)
    if command in DISAGREEMENTS:
        assert verdict.risk == DISAGREEMENTS[command][0], verdict.reasons
    elif expected == "deny":
        assert verdict.risk >= Risk.HIGH, verdict.reasons
    else:
        assert verdict.risk <= Risk.MODERATE, verdict.reasons


def test_every_disagreement_is_in_the_corpus(all_dcg: List[Tuple[str, str, str]]) -> None:
    assert set(DISAGREEMENTS) <= {c for _, _, c in all_dcg}
    assert len(all_dcg) >= 300
