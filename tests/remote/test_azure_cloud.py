"""The installed cmdai against real Azure host names: HTTPS with a private CA, through a CONNECT proxy."""
from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Dict, Optional

import pytest

pytest.importorskip("cryptography")

from .azure_cloud import KEY, SLOW_REASONING_SECONDS, LoopbackCloud  # noqa: E402
from .test_cli_integration import answer  # noqa: E402


@pytest.fixture
def cloud(tmp_path_factory):
    instance = LoopbackCloud(tmp_path_factory.mktemp("cloud"))
    yield instance
    instance.close()


@pytest.fixture
def cmdai(cloud, run_cmdai, user_config, write_file):
    """cmdai(args..., endpoint=URL, model=NAME, config=TOML) through the proxy and private CA."""

    def run(*args: str, endpoint: str, model: Optional[str] = "gpt-4o-mini", config: str = "",
            env: Optional[Dict[str, str]] = None):
        write_file(user_config, "[backend]\ntype = \"azure-foundry\"\nmax_retries = 1\ntimeout_seconds = 20\n"
                   + config)
        full = {**cloud.env, "CMDAI_AZURE_FOUNDRY_ENDPOINT": endpoint, "CMDAI_AZURE_FOUNDRY_API_KEY": KEY}
        if model:
            full["CMDAI_AZURE_FOUNDRY_MODEL"] = model
        full.update(env or {})
        return run_cmdai(*args, env=full)

    return run


@pytest.mark.parametrize("endpoint, host, path, model_in_body, api_version", [
    ("https://res.services.ai.azure.com", "res.services.ai.azure.com", "/openai/v1/chat/completions", True, None),
    ("https://res.services.ai.azure.com/", "res.services.ai.azure.com", "/openai/v1/chat/completions", True, None),
    ("https://res.services.ai.azure.com/models", "res.services.ai.azure.com", "/models/chat/completions", True,
     "2024-05-01-preview"),
    ("https://res.openai.azure.com", "res.openai.azure.com", "/openai/deployments/gpt-4o-mini/chat/completions",
     False, "2024-10-21"),
    ("https://res.openai.azure.com/openai/v1/", "res.openai.azure.com", "/openai/v1/chat/completions", True, None),
    ("https://res.cognitiveservices.azure.com/openai/deployments/gpt-4o-mini/chat/completions?api-version=2025-04-01-preview",
     "res.cognitiveservices.azure.com", "/openai/deployments/gpt-4o-mini/chat/completions", False, "2025-04-01-preview"),
    ("https://mistral.eastus2.models.ai.azure.com", "mistral.eastus2.models.ai.azure.com", "/v1/chat/completions",
     True, None),
    ("https://ep.westeurope.inference.ml.azure.com/score", "ep.westeurope.inference.ml.azure.com",
     "/v1/chat/completions", True, None),
    ("https://res.services.ai.azure.com/api/projects/proj", "res.services.ai.azure.com",
     "/openai/v1/chat/completions", True, None),
])
def test_each_endpoint_shape_by_host_name(cmdai, cloud, endpoint, host, path, model_in_body, api_version):
    out = answer(cmdai("--json", "--no-cache", "list all files", endpoint=endpoint))
    assert out["command"] == "ls -la"
    assert out["model"] == "gpt-4o-mini-2024-07-18" and out["deployment"] == "gpt-4o-mini"
    assert out["endpoint"] == host
    assert f"{host}:443" in cloud.proxy_hosts  # through the proxy, by name
    post = cloud.azure.posts()[-1]
    assert (post.host, post.path) == (host, path)
    assert ("model" in post.body) == model_in_body
    assert post.query.get("api-version", [None])[0] == api_version


def test_old_foundry_resource_falls_back_to_models_and_remembers(cmdai, cloud):
    endpoint = "https://old.services.ai.azure.com"
    answer(cmdai("--json", "--no-cache", "list all files", endpoint=endpoint))
    assert [p.path for p in cloud.azure.posts()] == ["/openai/v1/chat/completions", "/models/chat/completions"]
    answer(cmdai("--json", "--no-cache", "list all files", endpoint=endpoint))
    assert [p.path for p in cloud.azure.posts()][2:] == ["/models/chat/completions"]


def test_doctor_says_the_models_route_is_retired_and_shows_v1(cmdai):
    result = cmdai("--doctor", endpoint="https://res.services.ai.azure.com/models")
    assert "retired" in result.stdout
    assert 'endpoint = "https://res.services.ai.azure.com/openai/v1"' in result.stdout
    assert "TLS: certificate of res.services.ai.azure.com verified" in result.stdout


def test_doctor_recommends_v1_for_a_dated_api_version(cmdai):
    result = cmdai("--doctor", endpoint="https://res.openai.azure.com")
    assert result.returncode == 0, result.stdout
    assert "2024-10-21" in result.stdout and "https://res.openai.azure.com/openai/v1" in result.stdout


@pytest.mark.parametrize("deployment, effort, learning_calls", [
    # A name that says nothing: max_tokens refused, then 'minimal' refused with the supported values.
    ("prod-chat", "none", 3),
    # A name that says it all: right at once.
    ("o4-mini", "low", 1),
])
def test_reasoning_deployment_is_learnt_then_right_the_first_time(cmdai, cloud, deployment, effort, learning_calls):
    endpoint = "https://res.services.ai.azure.com"
    out = answer(cmdai("--json", "--no-cache", "list all files", endpoint=endpoint, model=deployment))
    assert out["command"] == "ls -la"
    first = len(cloud.azure.posts())
    assert first == learning_calls
    start = time.monotonic()
    answer(cmdai("--json", "--no-cache", "list all files", endpoint=endpoint, model=deployment))
    elapsed = time.monotonic() - start
    posts = cloud.azure.posts()[first:]
    assert len(posts) == 1
    body = posts[0].body
    assert body["reasoning_effort"] == effort
    assert "max_tokens" not in body and "temperature" not in body and body["max_completion_tokens"] > 0
    assert elapsed < SLOW_REASONING_SECONDS
    doctor = cmdai("--doctor", endpoint=endpoint, model=deployment)
    assert f"reasoning effort: {effort}" in doctor.stdout


def test_configured_effort_is_sent_and_doctor_shows_it(cmdai, cloud):
    endpoint = "https://res.services.ai.azure.com"
    answer(cmdai("--json", "--no-cache", "list files", endpoint=endpoint, model="o4-mini",
                 config='reasoning_effort = "medium"\n'))
    assert cloud.azure.posts()[-1].body["reasoning_effort"] == "medium"
    doctor = cmdai("--doctor", endpoint=endpoint, model="o4-mini", config='reasoning_effort = "medium"\n')
    assert "reasoning effort: medium ([backend] reasoning_effort)" in doctor.stdout


def test_model_router_reports_the_model_that_answered(cmdai):
    result = cmdai("--json", "--debug", "--no-cache", "list files", endpoint="https://res.services.ai.azure.com",
                   model="router")
    out = answer(result)
    assert out["model"] == "gpt-5-nano-2025-08-07" and out["deployment"] == "router"
    assert "answered by gpt-5-nano-2025-08-07 for router" in result.stderr
    assert "apim-request-id: apim-0001" in result.stderr
    assert "x-ratelimit-remaining-tokens: 9800" in result.stderr


def test_one_chat_deployment_is_used_several_are_listed(cmdai, cloud):
    result = cmdai("--no-cache", "list files", endpoint="https://res.services.ai.azure.com", model=None)
    assert result.returncode == 2
    assert "prod-chat" in result.stderr and "--setup-backend azure-foundry" in result.stderr


def test_429_names_the_wait_and_the_limit(cmdai, cloud):
    cloud.azure.failing["res.services.ai.azure.com"] = (
        429, {"error": {"code": "429", "message": "Requests to the ChatCompletions_Create Operation have exceeded "
                        "token rate limit of your current pricing tier."}},
        {"retry-after": "45", "x-ratelimit-remaining-tokens": "0"})
    result = cmdai("--no-cache", "list files", endpoint="https://res.services.ai.azure.com",
                   config="fallback = false\n")
    assert result.returncode == 1
    assert "wait 45 s" in result.stderr and "tokens-per-minute" in result.stderr


def test_failover_to_the_second_region_and_cool_down(cmdai, cloud):
    cloud.azure.failing["res.services.ai.azure.com"] = (503, {"error": {"code": "503", "message": "busy"}}, {})
    config = ("fallback = false\n[[backend.azure.failover]]\nendpoint = \"https://res-west.openai.azure.com/openai/v1\"\n"
              "api_key_env = \"WEST_KEY\"\n")
    env = {"WEST_KEY": KEY}
    out = answer(cmdai("--json", "--no-cache", "list files", endpoint="https://res.services.ai.azure.com",
                       config=config, env=env))
    assert out["endpoint"] == "res-west.openai.azure.com"
    assert [p.host for p in cloud.azure.posts()][-1] == "res-west.openai.azure.com"
    before = len(cloud.azure.posts("res.services.ai.azure.com"))
    answer(cmdai("--json", "--no-cache", "list files", endpoint="https://res.services.ai.azure.com",
                 config=config, env=env))
    assert len(cloud.azure.posts("res.services.ai.azure.com")) == before  # cooling down: skipped
    doctor = cmdai("--doctor", endpoint="https://res.services.ai.azure.com", config=config, env=env)
    assert "endpoint 2 (res-west.openai.azure.com) round trip" in doctor.stdout


def test_usage_counter(cmdai, cloud, isolated_env):
    answer(cmdai("--json", "--no-cache", "list files", endpoint="https://res.openai.azure.com/openai/v1"))
    answer(cmdai("--json", "--no-cache", "show disk usage", endpoint="https://res.openai.azure.com/openai/v1"))
    usage_file = Path(isolated_env["XDG_DATA_HOME"]) / "cmdai" / "usage.json"
    assert stat.S_IMODE(os.stat(usage_file).st_mode) == 0o600
    text = usage_file.read_text()
    assert "list files" not in text and "disk" not in text  # no request text
    priced = 'prices = { "gpt-4o-mini" = { input = 0.15, output = 0.60 } }\n'
    result = cmdai("--usage", endpoint="https://res.openai.azure.com/openai/v1", config=priced)
    assert result.returncode == 0, result.stderr
    row = [line for line in result.stdout.splitlines() if line.startswith("20") and "gpt-4o-mini" in line][0]
    assert row.split()[2:6] == ["2", "200", "24", "224"]
    assert "0.0000" in row or "0.0001" in row
    data = json.loads(cmdai("--usage", "--json", endpoint="https://res.openai.azure.com/openai/v1").stdout)
    assert data["deployments"][0]["prompt_tokens"] == 200


def test_setup_wizard_says_the_models_route_is_retired(cmdai, user_config):
    result = cmdai("--setup-backend", "azure-foundry", "--yes", "--endpoint", "https://res.services.ai.azure.com/models",
                   "-m", "gpt-4o-mini", endpoint="https://res.services.ai.azure.com/models")
    assert result.returncode == 0, result.stderr
    assert "retired" in result.stdout and "https://res.services.ai.azure.com/openai/v1" in result.stdout


def test_setup_wizard_adds_a_second_region(cloud, isolated_env, user_config):
    import io
    import re
    import sys

    import pexpect

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    env = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_")}
    env.update(isolated_env)
    env.update(cloud.env)
    env.update({"TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "PYTHONUNBUFFERED": "1",
                "CMDAI_AZURE_FOUNDRY_API_KEY": KEY, "WEST_KEY": KEY})
    child = pexpect.spawn(sys.executable, ["-m", "cmdai", "--setup-backend", "azure-foundry", "-m", "gpt-4o-mini"],
                          env=env, dimensions=(40, 120), encoding="utf-8", timeout=30)
    child.logfile_read = io.StringIO()
    try:
        def answer_with(prompt: str, keys: str) -> None:
            child.expect(re.escape(prompt))
            child.send(keys)

        answer_with("Endpoint URL (from the Azure AI Foundry portal):", "\x15https://res.services.ai.azure.com\r")
        child.expect(re.escape("OpenAI v1 API (Foundry / Azure OpenAI)"))
        answer_with("How should cmdai sign in?", "\r")
        answer_with("Where does the API key come from?", "\r")  # the environment variable
        child.expect("gpt-4o-mini answered")
        answer_with("Deployment to use:", "\r")  # the configured one, from the listed deployments
        answer_with("Add a second region", "y")
        answer_with("Endpoint URL of the second region:", "https://res-west.openai.azure.com/openai/v1\r")
        answer_with("Deployment name there:", "\r")
        answer_with("Where does its API key come from?", "\r")
        answer_with("Name of the environment variable:", "\x15WEST_KEY\r")
        child.expect(r"Connected to https://res-west\.openai\.azure\.com/openai/v1")
        answer_with("Safety level:", "\r")
        child.expect("Created")
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:
        raise AssertionError(re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", child.logfile_read.getvalue())) from None
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.logfile_read.getvalue()
    config = tomllib.loads(user_config.read_text())
    assert config["backend"]["azure"]["failover"] == [
        {"endpoint": "https://res-west.openai.azure.com/openai/v1", "api_key_env": "WEST_KEY"}]
    assert KEY not in user_config.read_text()
    assert "res-west.openai.azure.com" in [p.host for p in cloud.azure.posts()]
