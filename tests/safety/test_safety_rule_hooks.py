"""Rules are found by being in rules/: a module dropped there registers its hooks with no list to edit."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import cmdai

TOY_RULE = textwrap.dedent('''
    """A toy rule module: one rule per kind of hook."""
    from cmdai.safety.levels import Risk
    from cmdai.safety.rules.base import Hit, checks, on_assignment, on_pipeline, on_redirect, rule

    TOY = rule("toy.command", Risk.HIGH, "toy", "runs the toy command {target}")
    TOY_FILE = rule("toy.redirect", Risk.MODERATE, "toy", "writes the toy file {target}")
    TOY_PIPE = rule("toy.pipeline", Risk.MODERATE, "toy", "pipes into the toy command")
    TOY_VAR = rule("toy.assignment", Risk.MODERATE, "toy", "sets the toy variable {target}")


    @checks("toycmd")
    def check_toy(cmd):
        return [Hit(TOY, " ".join(cmd.args))]


    @on_redirect
    def check_toy_file(out):
        return [Hit(TOY_FILE, out.path)] if out.path.endswith(".toy") else []


    @on_pipeline
    def check_toy_pipe(cmds):
        return [Hit(TOY_PIPE)] if any(c.name == "toycmd" for c in cmds[1:]) else []


    @on_assignment
    def check_toy_var(name, value):
        return [Hit(TOY_VAR, name)] if name == "TOY" else []
''')

PROBE = textwrap.dedent('''
    import json, sys
    import cmdai
    from cmdai.safety import assess
    from cmdai.safety.rules import catalog_markdown
    out = {"package": cmdai.__file__, "catalog": "toy.command" in catalog_markdown()}
    for command in sys.argv[1:]:
        verdict = assess(command)
        out[command] = [verdict.risk.label, list(verdict.rule_ids)]
    print(json.dumps(out))
''')


def test_a_rule_module_in_rules_is_loaded_and_every_hook_fires(tmp_path: Path) -> None:
    copy = tmp_path / "cmdai"
    shutil.copytree(Path(cmdai.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "safety" / "rules" / "toy.py").write_text(TOY_RULE, encoding="utf-8")
    commands = ["sudo toycmd now", "echo hi > notes.toy", "ls | toycmd", "TOY=1 ls", "ls -la"]
    result = subprocess.run([sys.executable, "-c", PROBE, *commands], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["package"].startswith(str(copy)), "the probe must run the copy holding the toy module"
    assert seen["catalog"]
    assert seen["sudo toycmd now"][0] == "high" and "toy.command" in seen["sudo toycmd now"][1]
    assert "toy.redirect" in seen["echo hi > notes.toy"][1]
    assert "toy.pipeline" in seen["ls | toycmd"][1]
    assert "toy.assignment" in seen["TOY=1 ls"][1]
    assert seen["ls -la"] == ["safe", []]


def test_without_the_module_nothing_of_it_is_known() -> None:
    from cmdai.safety import assess

    assert assess("toycmd now").risk.label == "safe"
