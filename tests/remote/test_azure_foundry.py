"""AzureFoundryBackend against mocked HTTP (responses): URLs, headers, bodies, errors and retries."""
from __future__ import annotations

import json
import sys
import types
from typing import List

import pytest
import requests
import responses
from responses import matchers

from cmdai.values import GenerationRequest
from cmdai.backends.azure_foundry import AzureFoundryBackend
from cmdai.errors import (AuthenticationError, BackendConfigurationError, BackendTimeoutError,
                          BackendUnavailableError, CmdaiError, ConfigError, ContentFilteredError,
                          ModelOutputError, RateLimitError)

from .conftest import API_KEY, azure_error, completion, make_config

INFERENCE = "https://res.services.ai.azure.com/models"
INFERENCE_CHAT = INFERENCE + "/chat/completions?api-version=2024-05-01-preview"
REQUEST = GenerationRequest(text="list all files", shell="bash", os_name="linux")


def backend(endpoint: str = INFERENCE, **overrides) -> AzureFoundryBackend:
    overrides.setdefault("backend__model", "gpt-4o")
    return AzureFoundryBackend(make_config(endpoint, **overrides))


def sent_body(index: int = -1) -> dict:
    return json.loads(responses.calls[index].request.body)


# -- endpoint kinds -----------------------------------------------------------------------------

@responses.activate
def test_model_inference_request():
    responses.post(INFERENCE_CHAT, json=completion())
    generation = backend().generate(REQUEST)
    assert generation.command == "ls -la"
    assert generation.explanation == "lists all files"
    assert generation.model == "gpt-4o-2024-08-06"  # what answered
    assert generation.deployment == "gpt-4o"  # what was asked
    assert generation.usage == {"prompt_tokens": 120, "completion_tokens": 14, "total_tokens": 134}
    body = sent_body()
    assert body["model"] == "gpt-4o"
    assert body["temperature"] == 0.1
    assert body["max_tokens"] > 0
    assert body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"] == "list all files"


@responses.activate
def test_azure_openai_deployment_in_path_not_body():
    url = "https://res.openai.azure.com/openai/deployments/prod-gpt/chat/completions?api-version=2024-10-21"
    responses.post(url, json=completion())
    b = backend("https://res.openai.azure.com", backend__azure__deployment_name="prod-gpt")
    assert b.generate(REQUEST).command == "ls -la"
    assert "model" not in sent_body()


@responses.activate
def test_azure_openai_uses_model_when_no_deployment_and_configured_api_version():
    url = "https://res.cognitiveservices.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2025-04-01-preview"
    responses.post(url, json=completion())
    b = backend("https://res.cognitiveservices.azure.com/", backend__azure__api_version="2025-04-01-preview")
    b.generate(REQUEST)
    assert responses.calls[0].request.url == url


@responses.activate
def test_model_flag_overrides_deployment_for_one_run():
    url = "https://res.openai.azure.com/openai/deployments/other/chat/completions?api-version=2024-10-21"
    responses.post(url, json=completion())
    b = backend("https://res.openai.azure.com", backend__azure__deployment_name="prod-gpt")
    b.generate(GenerationRequest(text="list files", model="other"))
    assert responses.calls[0].request.url == url


@responses.activate
def test_v1_sends_no_api_version_and_model_in_body():
    responses.post("https://res.openai.azure.com/openai/v1/chat/completions", json=completion(),
                   match=[matchers.query_string_matcher("")])
    backend("https://res.openai.azure.com/openai/v1/").generate(REQUEST)
    assert sent_body()["model"] == "gpt-4o"


@responses.activate
def test_serverless_tries_v1_then_plain_route_and_sends_deployment_header():
    base = "https://mistral.eastus2.models.ai.azure.com"
    responses.post(base + "/v1/chat/completions", status=404, json={"detail": "Not Found"})
    responses.post(base + "/chat/completions?api-version=2024-05-01-preview", json=completion())
    b = AzureFoundryBackend(make_config(base, backend__azure__deployment_name="mistral-large-1"))
    assert b.generate(REQUEST).command == "ls -la"
    assert len(responses.calls) == 2
    assert responses.calls[1].request.headers["azureml-model-deployment"] == "mistral-large-1"
    assert "model" not in sent_body()


@responses.activate
def test_managed_online_endpoint():
    base = "https://ep.westeurope.inference.ml.azure.com"
    responses.post(base + "/v1/chat/completions", json=completion())
    b = AzureFoundryBackend(make_config(base + "/score"))
    assert b.generate(REQUEST).command == "ls -la"
    assert "azureml-model-deployment" not in responses.calls[0].request.headers


@responses.activate
def test_project_endpoint_chats_through_v1_of_the_same_resource():
    responses.post("https://res.services.ai.azure.com/openai/v1/chat/completions", json=completion())
    backend("https://res.services.ai.azure.com/api/projects/proj").generate(REQUEST)
    assert sent_body()["model"] == "gpt-4o"


@responses.activate
def test_gateway_with_api_style():
    responses.post("https://gw.example.com/ai/openai/v1/chat/completions", json=completion())
    backend("https://gw.example.com/ai/openai/v1").generate(REQUEST)
    assert len(responses.calls) == 1


def test_missing_model_names_the_fix():
    b = AzureFoundryBackend(make_config(INFERENCE))
    with pytest.raises(BackendConfigurationError, match="no model") as caught:
        b.generate(REQUEST)
    assert "-m" in caught.value.hint


def test_missing_endpoint_names_the_fix():
    b = AzureFoundryBackend(make_config(None, backend__model="gpt-4o"))
    with pytest.raises(ConfigError, match="endpoint") as caught:
        b.generate(REQUEST)
    assert "CMDAI_AZURE_FOUNDRY_ENDPOINT" in caught.value.hint
    assert not b.is_available()


def test_plain_http_to_a_remote_host_is_refused_before_sending():
    b = backend("http://gateway.example.com/models")
    with pytest.raises(ConfigError, match="http://"):
        b.generate(REQUEST)


# -- authentication -----------------------------------------------------------------------------

@responses.activate
def test_api_key_sent_in_both_headers():
    responses.post(INFERENCE_CHAT, json=completion())
    backend().generate(REQUEST)
    headers = responses.calls[0].request.headers
    assert headers["api-key"] == API_KEY
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert headers["x-ms-client-request-id"]
    assert headers["User-Agent"].startswith("cmdai/")


@responses.activate
def test_api_key_command(tmp_path):
    responses.post(INFERENCE_CHAT, json=completion())
    b = backend(backend__api_key=None, backend__api_key_command="printf '  from-vault-123\\n'")
    b.settings = b.settings._replace(api_key=None)
    b.generate(REQUEST)
    assert responses.calls[0].request.headers["api-key"] == "from-vault-123"


@pytest.mark.parametrize("command, message", [
    ("echo 'vault says: secret-output-xyz' >&2; exit 3", "exited with status 3"),
    ("definitely-not-a-command-cmdai", "was not found"),
    ("true", "printed nothing"),
])
def test_failing_api_key_command_does_not_leak_output(command, message):
    b = backend(backend__api_key_command=command)
    b.settings = b.settings._replace(api_key=None)
    with pytest.raises(ConfigError, match=message) as caught:
        b.generate(REQUEST)
    assert "secret-output-xyz" not in f"{caught.value.message} {caught.value.hint} {caught.value.debug}"


def test_no_key_at_all_names_the_fix():
    b = backend()
    b.settings = b.settings._replace(api_key=None)
    with pytest.raises(ConfigError, match="no API key") as caught:
        b.generate(REQUEST)
    assert "CMDAI_AZURE_FOUNDRY_API_KEY" in caught.value.hint


class FakeProvider:
    """Stands in for the Entra token provider: hands out numbered tokens, cached after the first."""

    def __init__(self, scope: str):
        self.scope = scope
        self.issued = 0
        self.invalidated = 0
        self.from_cache = True
        self.current = "cached-token-0"

    def token(self) -> str:
        if self.current is None:
            self.issued += 1
            self.current = f"fresh-token-{self.issued}"
            self.from_cache = False
        else:
            self.from_cache = self.issued == 0 or self.from_cache
        return self.current

    def invalidate(self) -> None:
        self.invalidated += 1
        self.current = None


@pytest.fixture
def fake_entra(monkeypatch):
    providers: List[FakeProvider] = []

    def token_provider_for(settings, scope):
        provider = FakeProvider(scope)
        providers.append(provider)
        return provider

    module = types.ModuleType("cmdai.remote.entra")
    module.token_provider_for = token_provider_for
    monkeypatch.setitem(sys.modules, "cmdai.remote.entra", module)
    return providers


@responses.activate
def test_entra_sends_only_bearer_token_for_the_kind_scope(fake_entra):
    responses.post(INFERENCE_CHAT, json=completion())
    backend(backend__azure__auth="azure-cli").generate(REQUEST)
    headers = responses.calls[0].request.headers
    assert headers["Authorization"] == "Bearer cached-token-0"
    assert "api-key" not in headers
    assert fake_entra[0].scope == "https://cognitiveservices.azure.com/.default"


@responses.activate
def test_entra_serverless_scope(fake_entra):
    responses.post("https://m.eastus.models.ai.azure.com/v1/chat/completions", json=completion())
    AzureFoundryBackend(make_config("https://m.eastus.models.ai.azure.com", backend__azure__auth="default")).generate(REQUEST)
    assert fake_entra[0].scope == "https://ml.azure.com/.default"


@responses.activate
def test_entra_401_with_cached_token_renews_once(fake_entra):
    responses.post(INFERENCE_CHAT, status=401, json=azure_error("401", "token expired"))
    responses.post(INFERENCE_CHAT, json=completion())
    backend(backend__azure__auth="managed-identity").generate(REQUEST)
    assert fake_entra[0].invalidated == 1
    assert responses.calls[1].request.headers["Authorization"] == "Bearer fresh-token-1"


@responses.activate
def test_entra_401_with_fresh_token_names_the_roles(fake_entra):
    responses.post(INFERENCE_CHAT, status=401,
                   json=azure_error("PermissionDenied", "Principal does not have access to API/Operation."))
    with pytest.raises(AuthenticationError) as caught:
        backend(backend__azure__auth="azure-cli").generate(REQUEST)
    assert len(responses.calls) == 2  # the cached token, then one fresh token
    assert "has no role that allows inference" in caught.value.message
    assert "'Cognitive Services OpenAI User'" in caught.value.hint  # gpt-4o is an OpenAI model
    assert "Owner and Contributor do not grant inference" in caught.value.hint
    assert "fresh-token-1" not in caught.value.debug


@responses.activate
def test_entra_403_network_rule_is_not_a_role_problem(fake_entra):
    responses.post(INFERENCE_CHAT, status=403, json=azure_error("403", "Public access is disabled."))
    with pytest.raises(AuthenticationError) as caught:
        backend(backend__azure__auth="azure-cli").generate(REQUEST)
    assert "network rules" in caught.value.message
    assert "Networking" in caught.value.hint and "role" not in caught.value.hint


# -- request adaptation ---------------------------------------------------------------------------

@responses.activate
def test_reasoning_model_gets_max_completion_tokens_and_no_temperature():
    responses.post(INFERENCE_CHAT, json=completion())
    backend(backend__model="o3-mini").generate(REQUEST)
    body = sent_body()
    assert "max_completion_tokens" in body and "max_tokens" not in body
    assert "temperature" not in body


@responses.activate
def test_rejected_max_tokens_retried_once_and_remembered():
    responses.post(INFERENCE_CHAT, status=400, json={"error": {
        "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
                   "Use 'max_completion_tokens' instead.",
        "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"}})
    responses.post(INFERENCE_CHAT, json=completion())
    responses.post(INFERENCE_CHAT, json=completion())
    b = backend(backend__model="my-reasoner")
    b.generate(REQUEST)
    retried = sent_body(1)
    assert "max_completion_tokens" in retried and "max_tokens" not in retried and "temperature" not in retried
    # A new process (a new backend) sends the right body at once.
    backend(backend__model="my-reasoner").generate(REQUEST)
    assert len(responses.calls) == 3
    assert "max_completion_tokens" in sent_body(2)


@responses.activate
def test_rejected_response_format_and_temperature():
    responses.post(INFERENCE_CHAT, status=400, json=azure_error(
        "BadRequest", "Invalid parameter: 'response_format' of type 'json_object' is not supported with this model.",
        param="response_format"))
    responses.post(INFERENCE_CHAT, status=400, json=azure_error(
        "unsupported_value", "Unsupported value: 'temperature' does not support 0.1 with this model."))
    responses.post(INFERENCE_CHAT, json=completion())
    backend(backend__model="phi-4").generate(REQUEST)
    final = sent_body(2)
    assert "response_format" not in final and "temperature" not in final


@responses.activate
def test_serverless_extra_forbidden_422_drops_the_field():
    base = "https://m.eastus.models.ai.azure.com"
    responses.post(base + "/v1/chat/completions", status=422, json={"detail": [
        {"type": "extra_forbidden", "loc": ["body", "response_format"], "msg": "Extra inputs are not permitted"}]})
    responses.post(base + "/v1/chat/completions", json=completion())
    AzureFoundryBackend(make_config(base)).generate(REQUEST)
    assert "response_format" not in sent_body(1)


@responses.activate
def test_a_parameter_is_only_dropped_once():
    rejection = azure_error("BadRequest", "'temperature' is not allowed", param="temperature")
    responses.post(INFERENCE_CHAT, status=400, json=rejection)
    responses.post(INFERENCE_CHAT, status=400, json=rejection)
    with pytest.raises(BackendConfigurationError, match="HTTP 400"):
        backend(backend__model="odd-model").generate(REQUEST)
    assert len(responses.calls) == 2


# -- answers and errors ---------------------------------------------------------------------------

@responses.activate
def test_json_wrapped_in_prose_is_parsed():
    responses.post(INFERENCE_CHAT, json=completion('Sure! Here it is: {"cmd": "du -sh .", "explanation": "size"} Enjoy.'))
    assert backend().generate(REQUEST).command == "du -sh ."


@responses.activate
def test_output_content_filter():
    responses.post(INFERENCE_CHAT, json=completion("", finish_reason="content_filter"))
    with pytest.raises(ContentFilteredError, match="answer was filtered"):
        backend().generate(REQUEST)


@responses.activate
def test_input_content_filter_400():
    responses.post(INFERENCE_CHAT, status=400, json={"error": {
        "message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        "type": None, "param": "prompt", "code": "content_filter", "status": 400,
        "innererror": {"code": "ResponsibleAIPolicyViolation", "content_filter_result": {
            "hate": {"filtered": False, "severity": "safe"}, "violence": {"filtered": True, "severity": "medium"}}}}})
    with pytest.raises(ContentFilteredError, match=r"request was filtered.*violence \(medium\)") as caught:
        backend().generate(REQUEST)
    assert "content policy" in caught.value.message
    assert len(responses.calls) == 1


@responses.activate
def test_invalid_json_body():
    responses.post(INFERENCE_CHAT, body="<html>gateway</html>", status=200)
    with pytest.raises(ModelOutputError, match="not a chat completion|other than a chat completion"):
        backend().generate(REQUEST)


@responses.activate
def test_no_choices():
    responses.post(INFERENCE_CHAT, json={"choices": []})
    with pytest.raises(ModelOutputError, match="no choices"):
        backend().generate(REQUEST)


@responses.activate
def test_401_with_key_names_the_headers_and_resource():
    responses.post(INFERENCE_CHAT, status=401, json=azure_error(
        "401", "Access denied due to invalid subscription key or wrong API endpoint."))
    with pytest.raises(AuthenticationError) as caught:
        backend().generate(REQUEST)
    assert "api-key and Authorization: Bearer" in caught.value.message
    assert "res.services.ai.azure.com" in caught.value.hint
    assert len(responses.calls) == 1


@responses.activate
def test_403_key():
    responses.post(INFERENCE_CHAT, status=403, json=azure_error("403", "Traffic is not from an approved private endpoint."))
    with pytest.raises(AuthenticationError, match="HTTP 403") as caught:
        backend().generate(REQUEST)
    assert "network rules" in caught.value.message and "private endpoint" in caught.value.hint


@responses.activate
def test_404_deployment_not_found_names_url_and_deployment():
    url = "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"
    responses.post(url, status=404, json=azure_error(
        "DeploymentNotFound", "The API deployment for this resource does not exist."))
    with pytest.raises(BackendConfigurationError) as caught:
        backend("https://res.openai.azure.com").generate(REQUEST)
    assert url in caught.value.message
    assert "deployment name (not the model name)" in caught.value.hint


@responses.activate
def test_404_model_inference_mentions_api_version():
    responses.post(INFERENCE_CHAT, status=404, json=azure_error("404", "Resource not found"))
    with pytest.raises(BackendConfigurationError) as caught:
        backend().generate(REQUEST)
    assert "api_version" in caught.value.hint and "/models" in caught.value.hint


@responses.activate
def test_api_version_not_supported():
    url = "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2099-01-01"
    responses.post(url, status=400, json=azure_error("BadRequest", "API version not supported"))
    with pytest.raises(BackendConfigurationError) as caught:
        backend("https://res.openai.azure.com", backend__azure__api_version="2099-01-01").generate(REQUEST)
    assert "api_version" in caught.value.hint


@responses.activate
def test_429_retried_then_answered_with_warning():
    responses.post(INFERENCE_CHAT, status=429, headers={"retry-after-ms": "10"}, json=azure_error("429", "slow down"))
    responses.post(INFERENCE_CHAT, json=completion())
    generation = backend().generate(REQUEST)
    assert generation.command == "ls -la"
    assert len(responses.calls) == 2


@responses.activate
def test_429_after_retries_reports_when_to_retry():
    responses.post(INFERENCE_CHAT, status=429, json=azure_error(
        "429", "Requests have exceeded token rate limit. Please retry after 1 seconds."),
        headers={"retry-after-ms": "5", "apim-request-id": "apim-1", "x-ms-region": "Sweden Central",
                 "x-ratelimit-remaining-tokens": "0"})
    with pytest.raises(RateLimitError) as caught:
        backend(backend__max_retries=2).generate(REQUEST)
    assert len(responses.calls) == 3
    assert caught.value.retry_after == pytest.approx(0.005)
    assert "try again in 1 s" in caught.value.hint
    assert "apim-request-id: apim-1" in caught.value.debug
    assert "x-ms-region: Sweden Central" in caught.value.debug
    assert "x-ratelimit-remaining-tokens: 0" in caught.value.debug


@responses.activate
def test_429_asking_for_more_than_the_deadline_stops_at_once():
    responses.post(INFERENCE_CHAT, status=429, headers={"retry-after": "120"}, json=azure_error("429", "later"))
    with pytest.raises(RateLimitError, match="longer than the time left") as caught:
        backend(backend__timeout_seconds=5).generate(REQUEST)
    assert len(responses.calls) == 1
    assert caught.value.retry_after == 120


@responses.activate
def test_503_then_success():
    responses.post(INFERENCE_CHAT, status=503, json=azure_error("503", "busy"))
    responses.post(INFERENCE_CHAT, json=completion())
    assert backend().generate(REQUEST).command == "ls -la"


@pytest.mark.parametrize("status, error_type", [(500, BackendUnavailableError), (502, BackendUnavailableError),
                                                (503, BackendUnavailableError), (504, BackendTimeoutError),
                                                (408, BackendTimeoutError)])
@responses.activate
def test_5xx_after_retries_allow_fallback(status, error_type):
    responses.post(INFERENCE_CHAT, status=status, json=azure_error(str(status), "trouble"))
    with pytest.raises(error_type) as caught:
        backend(backend__max_retries=1).generate(REQUEST)
    assert caught.value.fallback_allowed
    assert len(responses.calls) == 2


@responses.activate
def test_no_retry_on_400():
    responses.post(INFERENCE_CHAT, status=400, json=azure_error("BadRequest", "messages too long"))
    with pytest.raises(BackendConfigurationError) as caught:
        backend().generate(REQUEST)
    assert len(responses.calls) == 1
    assert caught.value.message.endswith("rejected the request (HTTP 400): messages too long")
    assert not caught.value.fallback_allowed


@responses.activate
def test_redirect_is_not_followed():
    responses.post(INFERENCE_CHAT, status=307, headers={"location": "https://evil.example.com/steal"})
    with pytest.raises(BackendConfigurationError, match="redirected"):
        backend().generate(REQUEST)
    assert len(responses.calls) == 1


@responses.activate
def test_connection_error_is_unavailable():
    responses.post(INFERENCE_CHAT, body=requests.ConnectionError("connection refused"))
    with pytest.raises(BackendUnavailableError) as caught:
        backend().generate(REQUEST)
    assert caught.value.fallback_allowed
    assert "HTTPS_PROXY" in caught.value.hint


@responses.activate
def test_debug_names_request_ids():
    responses.post(INFERENCE_CHAT, status=404, json=azure_error("404", "Resource not found"),
                   headers={"apim-request-id": "a-1", "x-ms-region": "East US", "x-ms-client-request-id": "c-1"})
    with pytest.raises(CmdaiError) as caught:
        backend().generate(REQUEST)
    for expected in ("apim-request-id: a-1", "x-ms-region: East US", "x-ms-client-request-id: c-1", INFERENCE_CHAT):
        assert expected in caught.value.debug


@responses.activate
def test_client_request_id_in_debug_when_not_echoed():
    responses.post(INFERENCE_CHAT, status=500, json=azure_error("500", "boom"))
    with pytest.raises(CmdaiError) as caught:
        backend(backend__max_retries=0).generate(REQUEST)
    sent = responses.calls[0].request.headers["x-ms-client-request-id"]
    assert f"x-ms-client-request-id (sent): {sent}" in caught.value.debug


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500])
@responses.activate
def test_key_never_appears_in_errors_even_when_echoed(status):
    responses.post(INFERENCE_CHAT, status=status, json=azure_error(str(status), f"bad key {API_KEY} for you"),
                   headers={"x-echo": API_KEY})
    with pytest.raises(CmdaiError) as caught:
        backend(backend__max_retries=0).generate(REQUEST)
    error = caught.value
    text = " ".join(str(part) for part in (error, error.message, error.hint, error.debug, error.args, repr(error)))
    assert API_KEY not in text
    assert "****" in f"{error.message} {error.debug}"


def test_describe_shows_kind_but_not_key():
    text = backend().describe()
    assert "model inference" in text and INFERENCE in text and API_KEY not in text
