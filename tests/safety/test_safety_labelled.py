"""The labelled set: every command gets exactly the level the rubric gives it."""
from __future__ import annotations

from typing import List, Tuple

from cmdai.safety import Risk, assess


def test_the_set_is_large_and_balanced(all_labelled: List[Tuple[str, str, str]]) -> None:
    assert len(all_labelled) >= 300
    benign = [c for c in all_labelled if c[1] in ("safe", "moderate")]
    assert len(benign) >= 100
    assert len([c for c in all_labelled if c[0] == "benign look-alikes"]) >= 80
    groups = {c[0] for c in all_labelled}
    for required in ("file deletion", "find and xargs", "disk and devices", "fork bombs", "remote code execution",
                     "reverse shells", "secret exfiltration", "permissions", "system config",
                     "privilege and persistence", "disabling security", "process and power", "history and logs",
                     "git", "containers and cloud", "databases", "packages", "sudo and wrappers", "obfuscation",
                     "data not code"):
        assert required in groups


def test_level(labelled: Tuple[str, str, str]) -> None:
    group, level, command = labelled
    verdict = assess(command, "fish" if group == "fish" else "bash")
    assert verdict.risk == Risk.parse(level), (command, verdict.reasons)
    if verdict.risk > Risk.SAFE:
        assert verdict.reasons and verdict.categories and verdict.rule_ids
