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
import time
from typing import List, Sequence, Set

import pytest

from cmdai import config_cache

SLOW_MODULES = ("dataclasses", "inspect")
ANSWER = {"model": "m", "choices": [{"index": 0, "finish_reason": "stop", "message": {
    "role": "assistant", "content": json.dumps({"cmd": "ls -la", "explanation": "lists files"})}}]}


def imported_modules(args: List[str], stdin: str, program: Sequence[str] = ("-m", "cmdai")) -> Set[str]:
    """Run the real CLI with ``-X importtime`` and return the names of the modules it imported."""
    # Coverage's subprocess measurement would import modules of its own into the process; a
    # proxy setting would send the loopback request elsewhere.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("COVERAGE_") and k.lower() not in ("http_proxy", "all_proxy")}
    result = subprocess.run([sys.executable, "-X", "importtime", *program, *args], input=stdin,
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() or program[0] == "-c", result.stderr
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


#: What a key press answered offline must not import: each costs milliseconds of a budget of tens
#: (typing, pathlib, argparse and tomllib alone were a quarter of the whole process).
KEY_PRESS_NEVER_IMPORTS = (
    "typing", "pathlib", "argparse", "gettext", "locale", "tomllib", "datetime", "tree_sitter", "tree_sitter_bash",
    "importlib.resources", "importlib.util", "warnings", "shutil", "tempfile", "random", "subprocess", "shlex",
    "base64", "struct", "urllib", "ipaddress", "platformdirs", "dataclasses", "inspect", "json", "contextlib",
    "signal",
)


KEY_PRESSES = {
    "widget-zsh": (["--widget", "--shell", "zsh", "--session", "4711"], "list all python files"),
    "widget-bash": (["--widget", "--shell", "bash", "--session", "4712"], "find files larger than 100MB"),
    "cli": (["-s", "bash", "list all python files"], ""),
}


def test_an_offline_key_press_imports_nothing_it_does_not_need(user_config, write_file):
    write_file(user_config, '[backend]\ntype = "embedded"\n')
    for args, stdin in KEY_PRESSES.values():
        imported_modules(args, stdin)  # bytecode, the catalog cache, the session memory
    # The config cache keeps a file only once it has been left alone for its racy window.
    time.sleep(max(0.0, config_cache.RACY_SECONDS + 0.2 - (time.time() - user_config.stat().st_ctime)))
    imported_modules(*KEY_PRESSES["cli"])
    interpreter = imported_modules([], "", program=["-c", "pass"])
    for name, (args, stdin) in KEY_PRESSES.items():
        imported = imported_modules(args, stdin) - interpreter
        assert "cmdai.backends.embedded.engine" in imported
        assert (name, sorted(set(KEY_PRESS_NEVER_IMPORTS) & imported)) == (name, [])


def test_importing_the_key_press_modules_compiles_no_pattern():
    # A pattern compiled at import is paid on every key press, used or not: patterns compile on first
    # use (cmdai/lazy_regex.py).
    code = (
        "import re, sys\n"
        "compiled = []\n"
        "original = re._compile\n"
        "re._compile = lambda pattern, flags: compiled.append(pattern) or original(pattern, flags)\n"
        "sys.argv = ['cmdai']\n"
        "import cmdai.cli, cmdai.orchestrator, cmdai.widget, cmdai.config, cmdai.redaction, cmdai.sanitize\n"
        "import cmdai.safety.analyzer, cmdai.backends.embedded.engine, cmdai.backends.embedded.catalog_cache\n"
        "import cmdai.shells.bash, cmdai.shells.zsh, cmdai.shells.fish\n"
        "print(compiled)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
