"""`cmdai --setup-backend azure-foundry --yes`: every answer from flags, exit 2 on anything missing."""
from __future__ import annotations

import os
import sys

import pytest

from .conftest import GOOD_KEY, WRONG_KEY, read_toml

ENDPOINT = "https://my-res.services.ai.azure.com/models"


@pytest.mark.parametrize("flags, env, expected", [
    ([], {}, "--yes needs --endpoint"),
    (["--endpoint", ENDPOINT, "-m", "gpt-4o-mini"], {}, "CMDAI_AZURE_FOUNDRY_API_KEY or --api-key-command"),
    (["--endpoint", ENDPOINT], {"CMDAI_AZURE_FOUNDRY_API_KEY": GOOD_KEY}, "--yes needs --model"),
    (["--endpoint", "my-res.services.ai.azure.com", "-m", "x"], {"CMDAI_AZURE_FOUNDRY_API_KEY": GOOD_KEY},
     "is not a valid https:// URL"),
    (["--endpoint", "http://my-res.services.ai.azure.com/models", "-m", "x"],
     {"CMDAI_AZURE_FOUNDRY_API_KEY": GOOD_KEY}, "refusing plain http://"),
])
def test_missing_or_wrong_answers_exit_2_and_write_nothing(run_cmdai, user_config, flags, env, expected):
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", *flags, env=env)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1  # one line, message and fix
    assert not user_config.exists()


def test_an_invalid_existing_config_stops_before_anything_is_asked(run_cmdai, user_config, write_file):
    write_file(user_config, "[backend\n")
    result = run_cmdai("--setup-backend", "embedded", "--yes")
    assert result.returncode == 2
    assert str(user_config) in result.stderr and "invalid TOML" in result.stderr
    assert user_config.read_text() == "[backend\n"


def test_yes_with_the_key_in_the_environment_tests_and_writes(run_cmdai, foundry, user_config):
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", "--endpoint", foundry.url,
                       "-m", "gpt-4o-mini", "--safety", "strict", env={"CMDAI_AZURE_FOUNDRY_API_KEY": GOOD_KEY})
    assert result.returncode == 0, result.stderr
    assert foundry.chat_models() == ["gpt-4o-mini"]
    config = read_toml(user_config)
    # The key stays where it came from: the environment, not the file.
    assert config == {
        "backend": {"type": "azure-foundry", "endpoint": foundry.url, "model": "gpt-4o-mini",
                    "azure": {"auth": "api-key", "api_style": "model-inference"}},
        "safety": {"level": "strict"},
    }
    assert "CMDAI_AZURE_FOUNDRY_API_KEY" in result.stdout
    assert GOOD_KEY not in result.stdout + result.stderr


def test_yes_with_a_key_command_saves_the_command(run_cmdai, foundry, user_config):
    command = f"printf %s {GOOD_KEY}"
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", "--endpoint", foundry.url,
                       "-m", "gpt-4o-mini", "--api-key-command", command)
    assert result.returncode == 0, result.stderr
    backend = read_toml(user_config)["backend"]
    assert backend["api_key_command"] == command and "api_key" not in backend
    assert foundry.keys_seen() == [GOOD_KEY]


def test_yes_with_a_failing_connection_test_exits_2_and_writes_nothing(run_cmdai, foundry, user_config):
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", "--endpoint", foundry.url,
                       "-m", "gpt-4o-mini", env={"CMDAI_AZURE_FOUNDRY_API_KEY": WRONG_KEY})
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith("cmdai: connection test failed: 127.0.0.1 refused the api-key")
    assert line.endswith("or pass --skip-test to write the config anyway")
    assert WRONG_KEY not in result.stdout + result.stderr
    assert not user_config.exists()


def test_skip_test_writes_without_contacting_the_endpoint(run_cmdai, foundry, user_config):
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", "--skip-test", "--endpoint", foundry.url,
                       "-m", "gpt-4o-mini", env={"CMDAI_AZURE_FOUNDRY_API_KEY": WRONG_KEY})
    assert result.returncode == 0, result.stderr
    assert foundry.requests == []
    assert read_toml(user_config)["backend"]["endpoint"] == foundry.url


def test_yes_with_azure_cli_sign_in_gets_a_token_and_uses_it(run_cmdai, foundry, user_config, tmp_path):
    token = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJzZXR1cCJ9.c2lnbmF0dXJl"
    foundry.key = token
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    az = fake_bin / "az"
    # Answers like `az account get-access-token --output json`, and logs its arguments.
    az.write_text(f"""#!{sys.executable}
import json, sys, time
with open({str(tmp_path / "az-calls")!r}, "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
print(json.dumps({{"accessToken": {token!r}, "expires_on": int(time.time()) + 3600,
                  "expiresOn": "2099-01-01 00:00:00.000000", "tenant": "t", "tokenType": "Bearer"}}))
""")
    az.chmod(0o755)
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", "--endpoint", foundry.url, "--auth", "azure-cli",
                       "-m", "gpt-4o-mini", env={"PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    assert "Signed in: token for https://cognitiveservices.azure.com/.default" in result.stdout
    assert token not in result.stdout + result.stderr
    assert "get-access-token" in (tmp_path / "az-calls").read_text()
    assert [r["authorization"] for r in foundry.requests] == [f"Bearer {token}"]
    assert read_toml(user_config)["backend"]["azure"] == {"auth": "azure-cli", "api_style": "model-inference"}


def test_yes_with_azure_cli_not_signed_in_exits_2_with_the_fix(run_cmdai, foundry, user_config, tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    az = fake_bin / "az"
    az.write_text("#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n")
    az.chmod(0o755)
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", "--endpoint", foundry.url, "--auth", "azure-cli",
                       "-m", "gpt-4o-mini", env={"PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 2
    assert "az login" in result.stderr
    assert foundry.requests == []
    assert not user_config.exists()
