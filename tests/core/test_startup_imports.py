"""The hotkey's start-up budget: modules that cost milliseconds to import stay off its paths.

The whole ``cmdai`` process answering through Azure must take at most 1.3 times
``python -c "import requests"`` (bench/bench_azure.py). ``dataclasses`` alone costs several
milliseconds because it imports ``inspect`` (which brings ``ast`` and ``dis``), and requests
imports neither, so either one showing up here spends the budget on nothing the answer needs.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import List, Set

import pytest

SLOW_MODULES = ("dataclasses", "inspect")
ANSWER = {"model": "m", "choices": [{"index": 0, "finish_reason": "stop", "message": {
    "role": "assistant", "content": json.dumps({"cmd": "ls -la", "explanation": "lists files"})}}]}


def imported_modules(args: List[str], stdin: str) -> Set[str]:
    """Run the real CLI with ``-X importtime`` and return the names of the modules it imported."""
    # Coverage's subprocess measurement would import modules of its own into the process; a
    # proxy setting would send the loopback request elsewhere.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("COVERAGE_") and k.lower() not in ("http_proxy", "all_proxy")}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cmdai", *args], input=stdin,
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), result.stderr
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("widget", [False, True], ids=["cli", "widget"])
def test_offline_path_imports_no_slow_module(widget):
    args = ["--widget", "--shell", "bash"] if widget else ["-s", "bash", "list all python files"]
    imported = imported_modules(args, "list all python files" if widget else "")
    assert "cmdai.backends.embedded.engine" in imported
    for module in SLOW_MODULES:
        assert module not in imported, f"{module} imported on the offline path"
    # The registry lists the backends without importing them: only the one in use loads.
    remote = sorted(m for m in imported if m.startswith(("cmdai.remote", "cmdai.backends.azure_foundry",
                                                         "cmdai.backends.ollama", "cmdai.backends.openai_compatible")))
    assert remote == []


@pytest.mark.parametrize("widget", [False, True], ids=["cli", "widget"])
def test_azure_path_imports_no_slow_module(widget, httpserver, user_config, write_file):
    httpserver.expect_request("/models/chat/completions", method="POST").respond_with_json(ANSWER)
    write_file(user_config, f'[backend]\ntype = "azure-foundry"\nendpoint = "{httpserver.url_for("/models")}"\n'
                            'api_key = "k"\nmodel = "m"\n\n[backend.azure]\napi_style = "model-inference"\n')
    args = ["--no-cache", "--widget", "--shell", "bash"] if widget else ["--no-cache", "-s", "bash", "list files"]
    imported = imported_modules(args, "list files" if widget else "")
    # The answer came from the loopback server, not from the offline fallback.
    assert len(httpserver.log) == 1
    assert "cmdai.remote.chat" in imported
    for module in SLOW_MODULES:
        assert module not in imported, f"{module} imported on the Azure path"
    # Azure's settings in [backend] are found in the backend the file chooses, without loading the others.
    assert not {"cmdai.backends.ollama", "cmdai.backends.openai_compatible"} & imported
