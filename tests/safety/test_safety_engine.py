"""Engine behaviour beyond single labels: robustness, laziness, the verdict's fields, the catalog."""
from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from cmdai.safety import Assessment, Risk, assess
from cmdai.safety.rules import RULES, catalog_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


@pytest.mark.parametrize("text", [
    "", "\x00", "\x00rm -rf /\x00", "\x1b[2J\x1b[H", "\ud800", "$(" * 3000, "(" * 5000 + ")" * 5000,
    "'" * 999, "\\" * 1001, "a" * 300_000, "echo ok; " * 20_000, "<<<<<<<<", "${" * 500, "rm -rf \x7f/",
    "eval " * 50 + "ls", "sh -c " * 30 + "ls", "\r\n\t\v\f", "`" * 77, "]]]][[[[", "$(( 1 / 0 ))",
])
def test_any_input_returns_an_assessment(text: str) -> None:
    verdict = assess(text)
    assert isinstance(verdict, Assessment)
    assert verdict.command == text


def test_fish_input_never_crashes() -> None:
    for text in ["(", ")", "begin; end; end", "function f; f | f &; end", "echo (", "set x (", "'(' (rm -rf /)"]:
        assert isinstance(assess(text, "fish"), Assessment)


def test_nesting_too_deep_is_at_least_high() -> None:
    command = "ls"
    for _ in range(12):
        command = "sh -c " + shlex.quote(command)
    assert assess(command).risk >= Risk.HIGH


def test_danger_past_the_inspected_length_is_not_ignored() -> None:
    assert assess("echo ok; " * 30_000 + "rm -rf /").risk >= Risk.HIGH


def test_unparseable_says_so() -> None:
    verdict = assess("if then fi (")
    assert verdict.risk >= Risk.MODERATE
    assert "could not be parsed" in verdict.reasons


def test_verdict_lists_reasons_worst_first_with_categories_and_ids() -> None:
    verdict = assess("sudo rm -rf / && git push --force")
    assert verdict.risk is Risk.CRITICAL
    assert verdict.reasons[0] == "deletes every file under / recursively"
    assert {"file deletion", "git", "sudo"} <= set(verdict.categories)
    assert {"fs.rm-root", "git.push-force", "sudo"} <= set(verdict.rule_ids)


def test_safe_command_has_no_reasons() -> None:
    verdict = assess("ls -la")
    assert verdict == Assessment("ls -la", Risk.SAFE)


def test_parser_loads_only_when_assess_is_called() -> None:
    code = (
        "import sys, cmdai.safety as s\n"
        "assert 'tree_sitter' not in sys.modules, 'imported too early'\n"
        "s.assess('ls')\n"
        "assert 'tree_sitter' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_rule_is_well_formed() -> None:
    assert len(RULES) >= 100
    for rule in RULES.values():
        assert rule.id and rule.id == rule.id.strip().lower()
        assert rule.explanation and not rule.explanation.endswith(".")
        assert rule.category


def test_catalog_covers_every_issue_category() -> None:
    categories = {r.category for r in RULES.values()}
    for needed in ("file deletion", "disk and device writes", "fork bomb", "remote code execution",
                   "reverse shell", "secret exfiltration", "permissions and ownership", "system configuration",
                   "privilege and persistence", "disabling security", "process and power",
                   "history and log tampering", "git", "containers, clusters and cloud", "databases",
                   "package management", "sudo", "obfuscation", "parse error"):
        assert needed in categories


def test_docs_embed_the_current_catalog() -> None:
    assert catalog_markdown() in DOCS.read_text(encoding="utf-8"), (
        "docs/safety.md is out of date: paste `python -m cmdai.safety.rules` into its rule table")
