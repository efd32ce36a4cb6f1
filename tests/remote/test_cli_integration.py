"""The installed cmdai, run as a process, against a loopback server emulating each Azure endpoint kind."""
from __future__ import annotations

import json
import socket
import struct
import threading
import time
from typing import Dict, Optional

import pytest
from werkzeug import Request, Response

from .conftest import API_KEY, MACHINE_NETWORK, azure_error, completion

MODEL = "gpt-4o-mini"


@pytest.fixture
def azure(httpserver, user_config, write_file, run_cmdai):
    """azure(path, config_lines...) runs cmdai against httpserver with that endpoint path."""

    def run(*args: str, endpoint_path: str = "/models", backend: str = "max_retries = 2\ntimeout_seconds = 10\n",
            config: str = "", env: Optional[Dict[str, str]] = None):
        write_file(user_config, "[backend]\ntype = \"azure-foundry\"\n" + backend + config)
        full_env = {"CMDAI_AZURE_FOUNDRY_ENDPOINT": httpserver.url_for(endpoint_path),
                    "CMDAI_AZURE_FOUNDRY_API_KEY": API_KEY, "CMDAI_AZURE_FOUNDRY_MODEL": MODEL}
        full_env.update(env or {})
        return run_cmdai(*args, env=full_env)

    return run


def answer(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("endpoint_path, config, route, model_in_body", [
    ("/models", "", "/models/chat/completions", True),
    ("/", "[backend.azure]\napi_style = \"azure-openai\"\n", f"/openai/deployments/{MODEL}/chat/completions", False),
    ("/openai/deployments/prod/chat/completions?api-version=2024-10-21", "", "/openai/deployments/prod/chat/completions", False),
    ("/openai/v1/", "", "/openai/v1/chat/completions", True),
    ("/", "[backend.azure]\napi_style = \"serverless\"\n", "/v1/chat/completions", True),
    ("/api/projects/proj", "", "/openai/v1/chat/completions", True),
])
def test_each_endpoint_kind(azure, httpserver, endpoint_path, config, route, model_in_body):
    httpserver.expect_request(route, method="POST").respond_with_json(completion())
    result = azure("--json", "--no-cache", "list all files", endpoint_path=endpoint_path, config=config)
    out = answer(result)
    assert out["command"] == "ls -la"
    assert out["backend"] == "azure-foundry" and out["fallback_used"] is False
    assert out["usage"] == {"prompt_tokens": 120, "completion_tokens": 14, "total_tokens": 134}
    request, _ = httpserver.log[-1]
    assert request.headers["api-key"] == API_KEY
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert ("model" in request.json) == model_in_body


def test_managed_online_falls_back_to_the_model_inference_route(azure, httpserver):
    httpserver.expect_request("/v1/chat/completions").respond_with_json({"detail": "Not Found"}, status=404)
    httpserver.expect_request("/chat/completions", query_string={"api-version": "2024-05-01-preview"}
                              ).respond_with_json(completion())
    result = azure("--json", "--no-cache", "list all files", endpoint_path="/",
                   config="[backend.azure]\napi_style = \"managed-online\"\ndeployment_name = \"blue\"\n")
    assert answer(result)["command"] == "ls -la"
    assert httpserver.log[-1][0].headers["azureml-model-deployment"] == "blue"


def test_429_with_retry_after_ms_then_success(azure, httpserver):
    httpserver.expect_oneshot_request("/models/chat/completions").respond_with_json(
        azure_error("429", "Rate limit exceeded"), status=429, headers={"retry-after-ms": "50"})
    httpserver.expect_request("/models/chat/completions").respond_with_json(completion())
    out = answer(azure("--json", "--no-cache", "list all files"))
    assert out["command"] == "ls -la"
    assert len(httpserver.log) == 2
    assert any("rate-limited" in warning for warning in out["warnings"])


def test_429_throughout_reports_the_rate_limit(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_json(
        azure_error("429", "Rate limit exceeded"), status=429, headers={"retry-after-ms": "20"})
    result = azure("--no-cache", "list all files")
    assert result.returncode == 1
    assert "rate-limiting" in result.stderr and "try again in 1 s" in result.stderr
    assert len(httpserver.log) == 3


def test_503_then_success(azure, httpserver):
    httpserver.expect_oneshot_request("/models/chat/completions").respond_with_json(
        azure_error("503", "Service Unavailable"), status=503)
    httpserver.expect_request("/models/chat/completions").respond_with_json(completion())
    assert answer(azure("--json", "--no-cache", "list all files"))["command"] == "ls -la"


def test_timeout_is_bounded_and_reported(azure, httpserver):
    def slow(request: Request) -> Response:
        time.sleep(3)
        return Response(json.dumps(completion()), content_type="application/json")

    httpserver.expect_request("/models/chat/completions").respond_with_handler(slow)
    result = azure("--no-cache", "list all files", backend="timeout_seconds = 1\nfallback = false\n")
    assert result.returncode == 1
    assert "did not answer within 1 s" in result.stderr


def _resetting_server() -> socket.socket:
    """A listener that resets every connection it accepts."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener


def test_connection_reset_is_reported(user_config, write_file, run_cmdai):
    listener = _resetting_server()
    port = listener.getsockname()[1]
    write_file(user_config, "[backend]\nmax_retries = 1\nfallback = false\n")
    result = run_cmdai("--no-cache", "list all files", env={
        "CMDAI_AZURE_FOUNDRY_ENDPOINT": f"http://127.0.0.1:{port}/models",
        "CMDAI_AZURE_FOUNDRY_API_KEY": API_KEY, "CMDAI_MODEL": MODEL})
    listener.close()
    assert result.returncode == 1
    assert "reset" in result.stderr or "cannot reach" in result.stderr


def test_content_filter(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_json({"error": {
        "message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        "code": "content_filter", "param": "prompt", "status": 400,
        "innererror": {"code": "ResponsibleAIPolicyViolation",
                       "content_filter_result": {"violence": {"filtered": True, "severity": "high"}}}}}, status=400)
    result = azure("--no-cache", "list all files")
    assert result.returncode == 1
    assert "filtered by your organisation's content policy (violence (high))" in result.stderr


def test_invalid_json_from_the_service(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_data("<html>bad gateway page</html>",
                                                                             content_type="text/html")
    result = azure("--no-cache", "list all files")
    assert result.returncode == 1
    assert "chat completion" in result.stderr


def test_model_answer_that_is_not_a_command(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_json(
        completion("I'm sorry, I cannot help with that request."))
    result = azure("--no-cache", "list all files")
    assert result.returncode == 1
    assert "declined" in result.stderr


def test_json_wrapped_in_prose(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_json(
        completion('Here you go:\n{"cmd": "find . -name \'*.log\'", "explanation": "finds logs"}\nHope it helps!'))
    out = answer(azure("--json", "--no-cache", "find log files"))
    assert out["command"] == "find . -name '*.log'"


def test_fallback_to_offline_when_the_service_is_down(user_config, write_file, run_cmdai):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    write_file(user_config, "[backend]\nmax_retries = 0\n")
    result = run_cmdai("--json", "--no-cache", "list all files", env={
        "CMDAI_AZURE_FOUNDRY_ENDPOINT": f"http://127.0.0.1:{port}/models",
        "CMDAI_AZURE_FOUNDRY_API_KEY": API_KEY, "CMDAI_MODEL": MODEL})
    out = answer(result)
    assert out["fallback_used"] is True and out["backend"] == "embedded"
    assert any("refused" in warning for warning in out["warnings"])


def test_key_never_printed_even_with_debug(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_json(
        azure_error("401", f"key {API_KEY} is not valid for this resource"), status=401,
        headers={"apim-request-id": "apim-77", "x-ms-region": "Sweden Central"})
    result = azure("--debug", "--no-cache", "list all files")
    assert result.returncode == 1
    assert API_KEY not in result.stdout + result.stderr
    assert "apim-request-id: apim-77" in result.stderr
    assert "x-ms-region: Sweden Central" in result.stderr


def test_list_models(azure, httpserver):
    httpserver.expect_request("/openai/v1/models").respond_with_json({"object": "list", "data": [
        {"id": MODEL, "capabilities": {"chat_completion": True}},
        {"id": "text-embedding-3-small", "capabilities": {"chat_completion": False, "embeddings": True}}]})
    result = azure("--list-models", "--json", endpoint_path="/openai/v1")
    assert result.returncode == 0, result.stderr
    models = {m["id"]: m for m in json.loads(result.stdout)}
    assert models[MODEL]["default"] is True and models[MODEL]["can_chat"] is True
    assert models["text-embedding-3-small"]["can_chat"] is False
    # Cached for a day: a second run makes no request; --refresh makes one.
    azure("--list-models", endpoint_path="/openai/v1")
    assert len(httpserver.log) == 1
    assert azure("--list-models", "--refresh", endpoint_path="/openai/v1").returncode == 0
    assert len(httpserver.log) == 2


def test_doctor(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_json(completion({"cmd": "pwd"}))
    result = azure("--doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("config:", "backend:", "DNS:", "TLS:", "credentials:", "auth:", "model:", "round trip:"):
        assert f"✓ {name}" in result.stdout
    assert "model inference" in result.stdout
    assert API_KEY not in result.stdout


def test_doctor_names_the_fix_for_a_wrong_key(azure, httpserver):
    httpserver.expect_request("/models/chat/completions").respond_with_json(
        azure_error("401", "Access denied due to invalid subscription key or wrong API endpoint."), status=401)
    result = azure("--doctor")
    assert result.returncode == 1
    assert "✗ auth:" in result.stdout and "Keys and Endpoint" in result.stdout


def test_live_azure(run_cmdai, live_azure):
    env = {**MACHINE_NETWORK, "CMDAI_AZURE_FOUNDRY_ENDPOINT": live_azure["endpoint"],
           "CMDAI_AZURE_FOUNDRY_API_KEY": live_azure["api_key"]}
    if live_azure.get("model"):
        env["CMDAI_AZURE_FOUNDRY_MODEL"] = live_azure["model"]
    result = run_cmdai("--json", "--no-cache", "list all files in the current directory", env=env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["backend"] == "azure-foundry" and out["fallback_used"] is False
    assert out["command"].startswith("ls")
    assert live_azure["api_key"] not in result.stdout + result.stderr
