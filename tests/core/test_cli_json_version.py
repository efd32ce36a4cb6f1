"""`cmdai --version` names what runs and what it reads; `--json` answers every outcome with one object."""
from __future__ import annotations

import json
import platform
import socket
import sys

import pytest

CHAT = "/models/chat/completions"


def answer(command: str) -> dict:
    content = json.dumps({"cmd": command, "explanation": "as asked"})
    return {"model": "m", "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant", "content": content}}]}


def one_object(stdout: str) -> dict:
    """The whole of stdout must be exactly one JSON object (what `| jq` needs)."""
    data = json.loads(stdout)
    assert isinstance(data, dict)
    return data


def azure_config(write_file, user_config, endpoint: str, extra: str = "") -> None:
    write_file(user_config, f'[backend]\ntype = "azure-foundry"\nendpoint = "{endpoint}"\napi_key = "k"\n'
                            f'model = "m"\n{extra}\n[backend.azure]\napi_style = "model-inference"\n')


def test_version_names_the_version_the_python_and_the_config_files(run_cmdai, user_config, write_file):
    from cmdai import __version__

    result = run_cmdai("--version")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"cmdai {__version__}"
    assert lines[1].startswith(f"Python {platform.python_version()} (")
    assert f"config: {user_config} (not found" in result.stdout
    assert "site config: " in result.stdout

    write_file(user_config, '[safety]\nlevel = "strict"\n')
    assert f"config: {user_config}\n" in run_cmdai("--version").stdout


def test_version_follows_config_and_cmdai_config(run_cmdai, tmp_path):
    chosen = tmp_path / "other.toml"
    chosen.write_text("")
    assert f"config: {chosen}\n" in run_cmdai("--version", "--config", str(chosen)).stdout
    from_env = run_cmdai("--version", env={"CMDAI_CONFIG": str(tmp_path / "gone.toml")})
    assert f"config: {tmp_path / 'gone.toml'} (not found" in from_env.stdout


def test_version_as_json(run_cmdai, user_config):
    data = one_object(run_cmdai("--version", "--json").stdout)
    assert data["config"] == str(user_config) and data["config_exists"] is False
    assert data["python"] == platform.python_version() and data["exit_code"] == 0


def test_version_takes_no_request(run_cmdai):
    result = run_cmdai("--version", "list files")
    assert result.returncode == 2 and "--version takes no request" in result.stderr


def test_success_carries_exit_code_zero(run_cmdai):
    result = run_cmdai("--json", "-s", "bash", "list all python files")
    data = one_object(result.stdout)
    assert result.returncode == 0 and data["exit_code"] == 0 and data["command"] and "error" not in data


@pytest.mark.parametrize("args, code, words", [
    (["--json", "--bogus", "list files"], 2, "unrecognized arguments: --bogus"),
    (["--js", "--safety", "reckless", "list files"], 2, "reckless"),
    (["--json", "-x", "list files"], 2, "-x/--execute cannot be combined with --json"),
    (["--json", "-b", "nope", "list files"], 2, "nope"),
    (["--json", "-b", "embedded", "zzqx frobnicate the blorp"], 1, "no offline answer"),
    (["--json", "--check", " "], 2, "--check was given an empty command"),
    (["--json", "--doctor"], 2, "--json does not go with --doctor"),
    (["--init", "zsh", "--json"], 2, "--json does not go with --init"),
])
def test_every_failure_is_one_json_object_with_message_hint_and_exit_code(args, code, words, run_cmdai):
    result = run_cmdai(*args)
    data = one_object(result.stdout)

    assert result.returncode == code == data["exit_code"], result.stderr
    assert words in data["error"]["message"]
    assert data["error"]["hint"]
    # The one-line message for people still goes to stderr.
    assert result.stderr.startswith("cmdai: ")


def test_a_usage_error_without_json_prints_nothing_on_stdout(run_cmdai):
    result = run_cmdai("--bogus")
    assert result.returncode == 2 and result.stdout == ""


def test_json_after_the_double_dash_is_part_of_the_command(run_cmdai):
    result = run_cmdai("--check", "--", "echo", "--json")
    assert result.returncode == 0 and not result.stdout.startswith("{")


def test_a_blocked_command_is_one_object_with_the_reason(run_cmdai, httpserver, user_config, write_file):
    httpserver.expect_request(CHAT, method="POST").respond_with_json(answer("rm -rf /"))
    azure_config(write_file, user_config, httpserver.url_for("/models"))

    result = run_cmdai("--json", "--no-cache", "-s", "bash", "clean up")
    data = one_object(result.stdout)
    assert result.returncode == 3 == data["exit_code"]
    assert data["blocked"] is True and data["command"] is None
    assert data["error"]["message"].startswith("blocked: critical risk") and "safety level" in data["error"]["hint"]


def test_an_unreachable_service_is_one_object(run_cmdai, user_config, write_file):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port now; no offline fallback, so the failure is reported.
    azure_config(write_file, user_config, f"http://127.0.0.1:{port}/models", "fallback = false\nmax_retries = 0\n")

    result = run_cmdai("--json", "--no-cache", "list files")
    data = one_object(result.stdout)
    assert result.returncode == data["exit_code"] != 0
    assert str(port) in data["error"]["message"] and data["error"]["hint"]


def test_check_as_json_carries_its_exit_code(run_cmdai):
    result = run_cmdai("--json", "--safety", "moderate", "--check", "rm -rf /")
    data = one_object(result.stdout)
    assert result.returncode == 3 == data["exit_code"] and data["blocked"] is True
