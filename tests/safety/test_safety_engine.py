"""Engine behaviour beyond single labels: robustness, laziness, the verdict's fields, the catalog."""
from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cmdai.safety import Assessment, Risk, assess
from cmdai.safety.rules import RULES, catalog_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


# Hostile or broken input gets a verdict, never an exception; what cannot be parsed or inspected is never safe.
_UNPARSED = "could not be parsed"


def in_fresh_interpreter(code: str) -> "subprocess.CompletedProcess[str]":
    """Run ``code`` in a new Python process, which must succeed; its result."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("text, risk, reason", [
    ("", Risk.SAFE, None),
    ("\x00", Risk.MODERATE, _UNPARSED),
    ("\x00rm -rf /\x00", Risk.CRITICAL, _UNPARSED),
    ("$(" * 3000, Risk.MODERATE, _UNPARSED),
    ("(" * 5000 + ")" * 5000, Risk.HIGH, "nests commands too deeply to inspect"),
    ("'" * 999, Risk.HIGH, _UNPARSED),
    ("\\" * 1001, Risk.HIGH, _UNPARSED),
    ("a" * 300_000, Risk.HIGH, "is too long to inspect fully"),
    ("<<<<<<<<", Risk.MODERATE, _UNPARSED),
    ("${" * 500, Risk.MODERATE, _UNPARSED),
    ("eval " * 50 + "ls", Risk.HIGH, "nests commands too deeply to inspect"),
    ("`" * 77, Risk.MODERATE, _UNPARSED),
    ("$(( 1 / 0 ))", Risk.MODERATE, None),
    ("rm -rf \x7f/", Risk.MODERATE, None),
    # Harmless however odd: a command that does not exist, whitespace, repetition of a safe command.
    ("\x1b[2J\x1b[H", Risk.SAFE, None),
    ("\ud800", Risk.SAFE, None),
    ("\r\n\t\v\f", Risk.SAFE, None),
    ("]]]][[[[", Risk.SAFE, None),
    ("echo ok; " * 20_000, Risk.SAFE, None),
])
def test_hostile_input_gets_a_verdict_that_fails_closed(text: str, risk: Risk, reason) -> None:
    verdict = assess(text)
    assert verdict.command == text
    assert verdict.risk is risk
    if reason is not None:
        assert reason in verdict.reasons
    assert (verdict.reasons == ()) is (risk is Risk.SAFE)


@pytest.mark.parametrize("text, risk", [
    ("(", Risk.MODERATE), (")", Risk.MODERATE), ("echo (", Risk.MODERATE), ("set x (", Risk.MODERATE),
    ("'(' (rm -rf /)", Risk.CRITICAL),
    # fish refuses to run a stray `end`, and a function that is only defined never runs.
    ("begin; end; end", Risk.SAFE), ("function f; f | f &; end", Risk.SAFE),
])
def test_fish_input_gets_a_verdict(text: str, risk: Risk) -> None:
    assert assess(text, "fish").risk is risk


def test_nesting_too_deep_is_at_least_high() -> None:
    command = "ls"
    for _ in range(12):
        command = "sh -c " + shlex.quote(command)
    assert assess(command).risk >= Risk.HIGH


def test_nested_loops_are_judged_within_a_bounded_time() -> None:
    # Each loop's body is judged once per value: ten nested loops of 17 values must not be 17**10 runs.
    values = " ".join(str(i) for i in range(16)) + " /"
    command = " ".join(f"for a{i} in {values}; do" for i in range(10)) + " rm -rf $a0;" + " done;" * 10
    started = time.monotonic()
    verdict = assess(command)
    assert time.monotonic() - started < 10
    # The value that names more than a plain name is judged first: the deletion of / is seen.
    assert verdict.risk is Risk.CRITICAL


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
        "assert 'tree_sitter._binding' not in sys.modules, 'imported too early'\n"
        "s.assess('ls > out')\n"
        "assert 'tree_sitter._binding' in sys.modules\n"
    )
    in_fresh_interpreter(code)


def test_the_parser_loads_its_two_compiled_modules_and_nothing_else() -> None:
    code = (
        "import sys, importlib.machinery\n"
        "from cmdai.safety.walker import parser\n"
        "before = set(sys.modules)\n"
        "root = parser().parse(b'ls > out').root_node\n"
        "print(root.type, root.has_error, sorted(set(sys.modules) - before))\n"
    )
    result = in_fresh_interpreter(code)
    assert result.stdout.strip() == "program False ['tree_sitter._binding', 'tree_sitter_bash._binding']"


def test_a_package_without_its_compiled_module_is_not_loaded_directly() -> None:
    from cmdai.safety.walker import _extension

    for package in ("json", "no_such_package_here"):
        with pytest.raises(ImportError):
            _extension(package)


def test_the_parser_falls_back_to_the_public_packages() -> None:
    code = (
        "import sys\n"
        "from cmdai.safety import assess, walker\n"
        "def missing(package):\n"
        "    raise ImportError(package)\n"
        "walker._extension = missing\n"
        "verdict = assess('ls > out; rm -rf ~')\n"
        "print(verdict.risk.label, 'tree_sitter' in sys.modules, 'tree_sitter_bash' in sys.modules)\n"
    )
    result = in_fresh_interpreter(code)
    assert result.stdout.strip() == "critical True True"


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


def test_judging_plain_commands_imports_only_what_they_need() -> None:
    # The standard modules some commands need (shlex, base64) load with them; the grammar and typing do not.
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from cmdai.safety import assess\n"
        "for command in (\"find . -name '*.py'\", 'du -sh -- * | sort -h', 'git log --oneline -n 10'):\n"
        "    assess(command)\n"
        "unneeded = {'typing', 'shlex', 'base64', 'binascii', 'struct', 'ast', 'tree_sitter._binding',\n"
        "            'importlib.resources', 'pathlib', 'tempfile', 'inspect', 'dataclasses'}\n"
        "print(sorted(unneeded & (set(sys.modules) - before)))\n"
    )
    result = in_fresh_interpreter(code)
    assert result.stdout.strip() == "[]"
