"""The explain catalog and the session memory load only when they are used."""
from __future__ import annotations

import os
import subprocess
import sys
from typing import List, Set


def imported(args: List[str], stdin: str) -> Set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cmdai", *args], input=stdin,
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_the_widget_never_loads_the_explain_catalog():
    modules = imported(["--widget", "--shell", "bash", "--session", "4711"], "list all python files")
    assert "cmdai.session_memory" in modules
    assert not any(name.startswith("cmdai.explain") for name in modules)


def test_a_plain_request_loads_neither_the_memory_nor_the_catalog():
    modules = imported(["-s", "bash", "list all python files"], "")
    assert "cmdai.session_memory" not in modules
    assert not any(name.startswith("cmdai.explain") for name in modules)


def test_explain_loads_the_catalog():
    assert "cmdai.explain.catalog" in imported(["--explain", "ls -la", "-s", "bash"], "")
