"""The command-line contract, exercised through the real ``cmdai`` process."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

JSON_KEYS = {"command", "explanation", "risk", "reasons", "blocked", "backend", "model",
             "fallback_used", "warnings", "usage"}


def test_offline_request_prints_only_the_command(run_cmdai):
    result = run_cmdai("list all python files", env={"SHELL": "/bin/bash"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "find . -name '*.py'\n"


def test_request_from_stdin(run_cmdai):
    result = run_cmdai("-s", "bash", input="list all python files\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "find . -name '*.py'\n"


def test_json_output_has_the_documented_fields(run_cmdai):
    result = run_cmdai("--json", "-s", "bash", "find files larger than 100MB")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert JSON_KEYS <= set(data)
    assert data == {
        "command": "find . -type f -size +100M", "explanation": "find files under . larger than 100MB",
        "risk": "safe", "reasons": [], "categories": [], "action": "allow", "blocked": False,
        "backend": "embedded", "model": "offline catalog", "fallback_used": False, "cached": False,
        "warnings": [], "usage": None, "alternatives": [], "deployment": None, "endpoint": None, "exit_code": 0,
    }


def test_unknown_backend_exits_2_with_one_line(run_cmdai):
    result = run_cmdai("x", env={"CMDAI_BACKEND": "nonsense"})
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("cmdai: ") and "nonsense" in lines[0] and "azure-foundry" in lines[0]


def test_malformed_config_exits_2_naming_the_line(run_cmdai, user_config, write_file):
    write_file(user_config, '[backend]\ntype = "embedded"\nmodel = = 3\n')
    result = run_cmdai("list files")
    assert result.returncode == 2
    assert "line 3" in result.stderr and str(user_config) in result.stderr
    assert "Traceback" not in result.stderr


def test_no_answer_exits_1_with_a_hint(run_cmdai):
    result = run_cmdai("-s", "bash", "compose a sonnet about my cat's dreams")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "azure" in result.stderr.lower()


def test_no_request_is_a_usage_error(run_cmdai):
    result = subprocess.run([sys.executable, "-m", "cmdai"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == 'cmdai: the request is empty — type what you want, e.g. cmdai "show disk usage"\n'


@pytest.mark.parametrize("args, words", [
    (["--frobnicate"], "unrecognized arguments"),
    (["--doctor", "--init", "zsh"], "cannot be combined"),
    (["--refresh"], "--refresh goes with --list-models"),
    (["--yes", "x"], "--yes goes with --setup-backend"),
    (["-s", "tcsh", "x"], "invalid choice"),
])
def test_usage_mistakes_are_one_line_and_exit_2(run_cmdai, args, words):
    result = run_cmdai(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_version_and_help(run_cmdai):
    from cmdai import __version__

    assert run_cmdai("--version").stdout.splitlines()[0] == f"cmdai {__version__}"
    help_text = run_cmdai("--help").stdout
    for flag in ("--json", "--check", "--init", "--list-models", "--doctor", "--setup-backend",
                 "--execute", "CMDAI_AZURE_FOUNDRY_ENDPOINT", "exit codes", "NO_COLOR"):
        assert flag in help_text
    assert "--widget" not in help_text


def test_check_classifies_without_generating(run_cmdai):
    result = run_cmdai("--check", "ls -la", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["risk"] == "safe" and data["action"] == "allow" and data["blocked"] is False
    assert set(data) == {"command", "risk", "reasons", "categories", "blocked", "action", "exit_code"}


def test_check_blocked_exits_3(run_cmdai):
    result = run_cmdai("--check", "rm -rf /")
    assert result.returncode == 3
    assert result.stdout.startswith("critical")


def test_check_reads_stdin_and_honours_the_level(run_cmdai):
    result = run_cmdai("--check", "--json", "--safety", "strict", input="git reset --hard\n")
    data = json.loads(result.stdout)
    assert data["risk"] == "high" and data["action"] == "block"
    assert result.returncode == 3
    relaxed = run_cmdai("--check", "--json", "--safety", "permissive", input="git reset --hard\n")
    assert json.loads(relaxed.stdout)["action"] == "allow" and relaxed.returncode == 0


def test_check_takes_the_rest_of_the_words(run_cmdai):
    result = run_cmdai("--json", "--check", "--", "rm", "-rf", "build")
    assert json.loads(result.stdout)["command"] == "rm -rf build"


def test_execute_without_a_terminal_is_refused(run_cmdai):
    result = subprocess.run([sys.executable, "-m", "cmdai", "-x", "-s", "bash", "list all python files"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            start_new_session=True)  # no controlling terminal
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr


def test_embedded_path_imports_no_http_library():
    # Without coverage measurement, which would import modules of its own into the process.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cmdai", "-s", "bash",
                             "list all python files"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    for module in ("requests", "urllib3", "http.client", "ssl", "socket"):
        assert module not in imported, f"{module} imported on the offline path"
