"""Azure as it is in 2026: v1 first, reasoning effort, token audience, discovery, rate limits, failover."""
from __future__ import annotations

import json
import time

import pytest
import requests
import responses

from cmdai.values import GenerationRequest
from cmdai.backends.azure_foundry import AzureFoundryBackend, inference_role
from cmdai.remote.request_options import (RequestOptions, lowest_reasoning_effort, rejected_parameter,
                                          remembered_options, supported_efforts)
from cmdai.remote.service_errors import ServiceError
from cmdai.errors import (AuthenticationError, BackendConfigurationError, BackendUnavailableError, ConfigError,
                          ModelOutputError, RateLimitError)

from .conftest import azure_error, completion, make_config
from .test_azure_foundry import fake_entra  # noqa: F401 - fixture

ROOT = "https://res.services.ai.azure.com"
V1_CHAT = ROOT + "/openai/v1/chat/completions"
MODELS_CHAT = ROOT + "/models/chat/completions?api-version=2024-05-01-preview"
REQUEST = GenerationRequest(text="list all files", shell="bash", os_name="linux")

GPT51_EFFORT = ("Unsupported value: 'minimal' is not supported with the 'gpt-5.1' model. "
                "Supported values are: 'none', 'low', 'medium', and 'high'.")
O4_EFFORT = ("Unsupported value: 'minimal' is not supported with the 'o4-mini' model. "
             "Supported values are: 'low', 'medium', and 'high'.")
MAX_TOKENS_REFUSED = ("Unsupported parameter: 'max_tokens' is not supported with this model. "
                      "Use 'max_completion_tokens' instead.")


def bad_request(message: str, param: str, code: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def backend(endpoint: str = ROOT, model: str = "gpt-4o", **overrides) -> AzureFoundryBackend:
    if model:
        overrides["backend__model"] = model
    return AzureFoundryBackend(make_config(endpoint, **overrides))


def body(index: int = -1) -> dict:
    return json.loads(responses.calls[index].request.body)


# -- endpoints ----------------------------------------------------------------------------------

@responses.activate
@pytest.mark.parametrize("root", [ROOT, ROOT + "/"])
def test_resource_root_uses_v1_without_api_version(root):
    responses.post(V1_CHAT, json=completion())
    backend(root).generate(REQUEST)
    assert responses.calls[0].request.url == V1_CHAT
    assert body()["model"] == "gpt-4o"


@responses.activate
def test_resource_root_falls_back_to_model_inference_and_remembers():
    responses.post(V1_CHAT, status=404, json=azure_error("404", "Resource not found"))
    responses.post(MODELS_CHAT, json=completion())
    backend().generate(REQUEST)
    assert [c.request.url for c in responses.calls] == [V1_CHAT, MODELS_CHAT]
    backend().generate(REQUEST)  # a new process: the route that worked comes first
    assert responses.calls[-1].request.url == MODELS_CHAT
    assert len(responses.calls) == 3


@responses.activate
def test_explicit_models_url_keeps_model_inference_and_doctor_says_it_is_retired():
    responses.post(MODELS_CHAT, json=completion())
    b = backend(ROOT + "/models")
    b.generate(REQUEST)
    assert responses.calls[0].request.url == MODELS_CHAT
    route = [c for c in b.endpoint_checks() if c.name == "route"][0]
    assert not route.ok and "retired" in route.detail
    assert ROOT + "/openai/v1" in route.hint


def test_doctor_recommends_v1_for_a_dated_api_version():
    b = backend("https://res.openai.azure.com", backend__azure__api_version="2024-10-21")
    route = list(b.endpoint_checks())[0]
    assert "2024-10-21" in route.detail and "https://res.openai.azure.com/openai/v1" in route.detail


# -- reasoning effort ---------------------------------------------------------------------------

@pytest.mark.parametrize("model, effort", [
    ("gpt-5", "minimal"), ("gpt-5-mini", "minimal"), ("gpt-5-nano", "minimal"), ("gpt-5.1", "none"),
    ("gpt-5.2-mini", "none"), ("gpt-5.1-codex", "none"), ("o1", "low"), ("o3", "low"), ("o3-mini", "low"),
    ("o4-mini", "low"), ("gpt-4o", None), ("gpt-4.1-mini", None), ("prod-chat", None), ("gpt-5-chat", None),
    ("DeepSeek-R1", None), ("o1-mini", None), ("gpt-5-pro", "high"), ("Llama-4-Maverick", None),
])
def test_lowest_effort_by_name(model, effort):
    assert lowest_reasoning_effort(model) == effort


def test_supported_values_are_read_from_the_message():
    assert supported_efforts(GPT51_EFFORT) == ["none", "low", "medium", "high"]
    assert supported_efforts("something else 'low'") == []


@responses.activate
@pytest.mark.parametrize("model, effort, cap", [("gpt-5-mini", "minimal", 1024), ("gpt-5.1", "none", 512),
                                                ("o4-mini", "low", 2048)])
def test_reasoning_deployment_gets_lowest_effort_and_a_fitting_cap(model, effort, cap):
    responses.post(V1_CHAT, json=completion())
    backend(model=model).generate(REQUEST)
    sent = body()
    assert sent["reasoning_effort"] == effort
    assert sent["max_completion_tokens"] == cap
    assert "max_tokens" not in sent and "temperature" not in sent


@responses.activate
def test_non_reasoning_model_gets_no_effort():
    responses.post(V1_CHAT, json=completion())
    backend(model="gpt-4.1-mini").generate(REQUEST)
    assert "reasoning_effort" not in body() and body()["max_tokens"] > 0


@responses.activate
def test_unsupported_effort_retries_once_with_the_lowest_supported_and_remembers():
    responses.post(V1_CHAT, status=400, json=bad_request(GPT51_EFFORT, "reasoning_effort", "unsupported_value"))
    responses.post(V1_CHAT, json=completion())
    backend(model="gpt-5-mini").generate(REQUEST)  # named like gpt-5, but it is a gpt-5.1
    assert [body(i).get("reasoning_effort") for i in range(2)] == ["minimal", "none"]
    backend(model="gpt-5-mini").generate(REQUEST)
    assert len(responses.calls) == 3 and body()["reasoning_effort"] == "none"


@responses.activate
def test_user_named_reasoning_deployment_is_learnt_and_right_the_next_time():
    responses.post(V1_CHAT, status=400, json=bad_request(MAX_TOKENS_REFUSED, "max_tokens", "unsupported_parameter"))
    responses.post(V1_CHAT, status=400, json=bad_request(O4_EFFORT, "reasoning_effort", "unsupported_value"))
    responses.post(V1_CHAT, json=completion())
    backend(model="prod-chat").generate(REQUEST)
    assert len(responses.calls) == 3
    final = body()
    assert final["reasoning_effort"] == "low" and "max_tokens" not in final and "temperature" not in final
    backend(model="prod-chat").generate(REQUEST)
    assert len(responses.calls) == 4 and body() == final


@responses.activate
def test_unsupported_effort_parameter_is_dropped_and_remembered():
    responses.post(V1_CHAT, status=400, json=bad_request(
        "Unsupported parameter: 'reasoning_effort' is not supported with this model.", "reasoning_effort",
        "unsupported_parameter"))
    responses.post(V1_CHAT, json=completion())
    backend(model="o1-pro-ish").generate(REQUEST)
    assert "reasoning_effort" not in body()
    options = remembered_options(backend(model="o1-pro-ish").options_key("o1-pro-ish"), "o1-pro-ish")
    assert options is not None and options.reasoning_effort is None


@responses.activate
def test_configured_effort_overrides_and_is_not_second_guessed():
    responses.post(V1_CHAT, status=400, json=bad_request(GPT51_EFFORT, "reasoning_effort", "unsupported_value"))
    b = backend(model="gpt-5.1", backend__reasoning_effort="minimal")
    with pytest.raises(BackendConfigurationError) as caught:
        b.generate(REQUEST)
    assert len(responses.calls) == 1 and body()["reasoning_effort"] == "minimal"
    assert "Supported values are" in caught.value.message
    assert b.request_options("gpt-5.1")[1] == "[backend] reasoning_effort"


@responses.activate
def test_empty_answer_cut_short_is_retried_once_with_a_larger_cap():
    responses.post(V1_CHAT, json=completion("", finish_reason="length"))
    responses.post(V1_CHAT, json=completion())
    assert backend(model="gpt-5-mini").generate(REQUEST).command == "ls -la"
    caps = [body(i)["max_completion_tokens"] for i in range(2)]
    assert caps[1] > caps[0]
    backend(model="gpt-5-mini").generate(REQUEST)
    assert body()["max_completion_tokens"] == caps[1]  # remembered


@responses.activate
def test_empty_answer_cut_short_twice_is_an_error():
    responses.post(V1_CHAT, json=completion("", finish_reason="length"))
    with pytest.raises(ModelOutputError) as caught:
        backend(model="gpt-5-mini").generate(REQUEST)
    assert len(responses.calls) == 2
    assert caught.value.message == "the model used its whole token budget before answering"


def test_cap_never_grows_past_the_limit():
    options = RequestOptions(temperature=False, tokens_param="max_completion_tokens", completion_cap=16384)
    assert not options.enlarge_cap()


# -- Entra audience and roles -------------------------------------------------------------------

@responses.activate
def test_wrong_audience_switches_scope_once_and_remembers(fake_entra):  # noqa: F811
    responses.post(V1_CHAT, status=401, json=azure_error(
        "401", "Token audience https://ai.azure.com is invalid for this resource."))
    responses.post(V1_CHAT, json=completion())
    backend(backend__azure__auth="azure-cli").generate(REQUEST)
    assert [p.scope for p in fake_entra] == ["https://ai.azure.com/.default",
                                             "https://cognitiveservices.azure.com/.default"]
    backend(backend__azure__auth="azure-cli").generate(REQUEST)
    assert fake_entra[-1].scope == "https://cognitiveservices.azure.com/.default"
    assert len(responses.calls) == 3


@responses.activate
def test_configured_scope_is_never_switched_and_the_error_says_audience(fake_entra):  # noqa: F811
    responses.post(V1_CHAT, status=401, json=azure_error("401", "The audience of the token is invalid."))
    b = backend(backend__azure__auth="azure-cli", backend__azure__token_scope="https://ai.azure.com/.default")
    with pytest.raises(AuthenticationError) as caught:
        b.generate(REQUEST)
    assert "audience" in caught.value.message and "token_scope" in caught.value.hint
    assert {p.scope for p in fake_entra} == {"https://ai.azure.com/.default"}


@pytest.mark.parametrize("model, role", [
    ("gpt-4o-mini", "'Cognitive Services OpenAI User'"), ("o4-mini", "'Cognitive Services OpenAI User'"),
    ("DeepSeek-R1", "'Cognitive Services User'"), ("Llama-3.3-70B-Instruct", "'Cognitive Services User'"),
])
def test_role_by_model_family(model, role):
    assert inference_role(model) == role


def test_unknown_deployment_names_both_roles():
    assert "Cognitive Services OpenAI User" in inference_role("prod") and "'Cognitive Services User'" in inference_role("prod")


# -- no model configured ------------------------------------------------------------------------

@responses.activate
def test_the_only_chat_deployment_is_used_and_announced_once():
    responses.get(ROOT + "/openai/v1/models", json={"data": [
        {"id": "team-gpt", "capabilities": {"chat_completion": True}},
        {"id": "embedder", "capabilities": {"chat_completion": False, "embeddings": True}}]})
    responses.post(V1_CHAT, json=completion())
    first = backend(model="").generate(REQUEST)
    assert body()["model"] == "team-gpt"
    assert any("team-gpt" in w and "only chat deployment" in w for w in first.warnings)
    second = backend(model="").generate(REQUEST)
    assert not any("team-gpt" in w for w in second.warnings)


@responses.activate
def test_several_chat_deployments_are_listed_with_the_command_to_pick_one():
    responses.get(ROOT + "/openai/v1/models", json={"data": [{"id": "a-gpt"}, {"id": "b-gpt"}]})
    with pytest.raises(ConfigError) as caught:
        backend(model="").generate(REQUEST)
    assert "a-gpt" in caught.value.message and "b-gpt" in caught.value.message
    assert "--setup-backend azure-foundry" in caught.value.hint and "-m NAME" in caught.value.hint


# -- rate limits --------------------------------------------------------------------------------

@responses.activate
def test_429_says_how_long_and_which_limit():
    responses.post(V1_CHAT, status=429, json=azure_error("429", "Rate limit exceeded."),
                   headers={"retry-after": "40", "x-ratelimit-remaining-tokens": "0",
                            "x-ratelimit-remaining-requests": "12"})
    with pytest.raises(RateLimitError) as caught:
        backend(backend__timeout_seconds=3).generate(REQUEST)
    assert "tokens-per-minute" in caught.value.message and "wait 40 s" in caught.value.message
    assert "x-ratelimit-remaining-requests: 12" in caught.value.debug


@responses.activate
def test_answering_model_is_untrusted_text():
    responses.post(V1_CHAT, json=completion(model="gpt-4o\x1b]0;pwned\x07-2024" + "x" * 500))
    generation = backend().generate(REQUEST)
    assert "\x1b" not in generation.model and len(generation.model) <= 120
    assert generation.deployment == "gpt-4o"


# -- several endpoints --------------------------------------------------------------------------

WEST = "https://res-west.openai.azure.com/openai/v1"


def failover_backend(**overrides) -> AzureFoundryBackend:
    return backend(backend__azure__failover=[{"endpoint": WEST, "api_key_env": "WEST_KEY"}],
                   backend__max_retries=0, **overrides)


@responses.activate
@pytest.mark.parametrize("failure", [dict(status=503, json=azure_error("503", "busy")),
                                     dict(status=429, json=azure_error("429", "slow down"), headers={"retry-after": "90"}),
                                     dict(body=requests.exceptions.ConnectionError("reset"))])
def test_next_endpoint_answers_and_the_failed_one_cools_down(failure, monkeypatch):
    monkeypatch.setenv("WEST_KEY", "west-key-123")
    responses.post(V1_CHAT, **failure)
    responses.post(WEST + "/chat/completions", json=completion())
    generation = failover_backend().generate(REQUEST)
    assert generation.endpoint == "res-west.openai.azure.com"
    assert responses.calls[-1].request.headers["api-key"] == "west-key-123"
    assert any("answered by res-west.openai.azure.com" in w for w in generation.warnings)
    calls = len(responses.calls)
    failover_backend().generate(REQUEST)  # the primary is cooling down: not asked
    assert len(responses.calls) == calls + 1
    assert responses.calls[-1].request.url.startswith(WEST)


@responses.activate
@pytest.mark.parametrize("status, headers, seconds", [
    (503, {"retry-after": "300"}, 300), (429, {"retry-after-ms": "240000"}, 240), (500, {}, 60),
    (503, {"retry-after": "99999"}, 600),  # a cool-down never lasts more than ten minutes
])
def test_the_cool_down_lasts_as_long_as_the_service_asked(status, headers, seconds, monkeypatch, isolated_env):
    from cmdai.disk_store import KeyedFile

    monkeypatch.setenv("WEST_KEY", "west-key-123")
    responses.post(V1_CHAT, status=status, json=azure_error(str(status), "busy"), headers=headers)
    responses.post(WEST + "/chat/completions", json=completion())
    primary = failover_backend()
    before = time.time()
    primary.generate(REQUEST)
    until = KeyedFile("endpoint-cool-down.json", lambda entry: True).get(primary.endpoint_id())
    assert before + seconds - 1 <= until <= time.time() + seconds + 1


@responses.activate
def test_primary_auth_error_does_not_fail_over(monkeypatch):
    monkeypatch.setenv("WEST_KEY", "west-key-123")
    responses.post(V1_CHAT, status=401, json=azure_error("401", "Access denied due to invalid subscription key"))
    with pytest.raises(AuthenticationError):
        failover_backend().generate(REQUEST)
    assert len(responses.calls) == 1


@responses.activate
def test_all_endpoints_failing_keeps_the_fallback_class(monkeypatch):
    monkeypatch.setenv("WEST_KEY", "west-key-123")
    responses.post(V1_CHAT, status=503, json=azure_error("503", "busy"))
    responses.post(WEST + "/chat/completions", status=502, json=azure_error("502", "bad gateway"))
    start = time.monotonic()
    with pytest.raises(BackendUnavailableError) as caught:
        failover_backend(backend__timeout_seconds=5).generate(REQUEST)
    assert time.monotonic() - start < 5
    assert "res-west.openai.azure.com" in caught.value.message


def test_failover_keys_never_come_from_the_primary():
    b = backend(backend__azure__failover=[{"endpoint": WEST}])
    region = b.regions()[1]
    assert region.settings.api_key is None and region.model == "gpt-4o"
    assert b.settings.api_key  # the primary's own is untouched


@responses.activate
@pytest.mark.parametrize("value", ["inf", "nan", "-5"])
def test_absurd_retry_after_is_not_a_wait(value):
    responses.post(V1_CHAT, status=429, json=azure_error("429", "slow down"), headers={"retry-after": value})
    with pytest.raises(RateLimitError) as caught:
        backend(backend__max_retries=0).generate(REQUEST)
    assert "inf" not in caught.value.message and "nan" not in caught.value.message


@responses.activate
def test_deployment_names_from_the_network_are_plain_text():
    responses.get(ROOT + "/openai/v1/models", json={"data": [{"id": "evil\x1b[2J"}, {"id": "good"}]})
    responses.post(V1_CHAT, json=completion())
    backend(model="").generate(REQUEST)
    assert body()["model"] == "good"


# -- configuration ------------------------------------------------------------------------------

def test_failover_and_prices_read_from_the_file(tmp_path):
    from cmdai.config import load_config

    path = tmp_path / "config.toml"
    path.write_text('[backend]\ntype = "azure-foundry"\nendpoint = "https://a.openai.azure.com/openai/v1"\n'
                    'reasoning_effort = "low"\n'
                    '[backend.prices]\n"gpt-4o-mini" = { input = 0.15, output = 0.6 }\n'
                    '[[backend.azure.failover]]\nendpoint = "https://b.openai.azure.com/openai/v1"\n'
                    'api_key_command = "pass show b"\n'
                    '[[backend.azure.failover]]\nendpoint = "https://c.openai.azure.com/openai/v1"\nauth = "azure-cli"\n')
    config = load_config(str(path), environ={})
    assert [e["endpoint"] for e in config.settings_of("azure-foundry").failover] == ["https://b.openai.azure.com/openai/v1",
                                                                      "https://c.openai.azure.com/openai/v1"]
    assert config.backend.prices == {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}
    assert config.backend.reasoning_effort == "low"


@pytest.mark.parametrize("toml, expected", [
    ('[[backend.azure.failover]]\napi_key = "x"\n', "has no endpoint"),
    ('[[backend.azure.failover]]\nendpoint = "ftp://x"\n', "not a valid http(s) URL"),
    ('[[backend.azure.failover]]\nendpoint = "https://b.openai.azure.com"\nregion = "west"\n', "unknown key 'region'"),
    ('[[backend.azure.failover]]\nendpoint = "https://b.openai.azure.com"\nauth = "magic"\n', "not valid"),
    ('[backend.prices]\n"gpt" = { input = "cheap" }\n', "per million tokens"),
    ('[backend.prices]\n"gpt" = { inputs = 1 }\n', "per million tokens"),
    ('[backend]\nreasoning_effort = "turbo"\n', "reasoning_effort"),
])
def test_invalid_failover_and_prices_name_the_fix(tmp_path, toml, expected):
    from cmdai.config import load_config
    from cmdai.errors import ConfigError as Invalid

    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(Invalid) as caught:
        load_config(str(path), environ={})
    assert expected in caught.value.message + (caught.value.hint or "")


@responses.activate
def test_unknown_deployment_on_v1_is_reported_not_retried_on_the_retired_route():
    responses.post(V1_CHAT, status=404, json=azure_error(
        "DeploymentNotFound", "The API deployment for this resource does not exist."))
    with pytest.raises(BackendConfigurationError) as caught:
        backend(model="gtp-4o").generate(REQUEST)
    assert len(responses.calls) == 1
    assert "deployment name" in caught.value.hint


def test_supported_values_in_double_quotes_and_the_responses_spelling():
    assert supported_efforts('Supported values are: "low", "medium" and "high".') == ["low", "medium", "high"]
    assert rejected_parameter(ServiceError("x", param="reasoning.effort")) == "reasoning_effort"


@responses.activate
def test_a_failover_key_variable_that_is_not_set_is_named():
    responses.post(V1_CHAT, status=503, json=azure_error("503", "busy"))
    with pytest.raises(BackendUnavailableError) as caught:
        failover_backend().generate(REQUEST)
    assert "$WEST_KEY, which is not set" in caught.value.message


@responses.activate
def test_debug_says_which_endpoint_was_skipped(monkeypatch):
    monkeypatch.setenv("WEST_KEY", "west-key-123")
    responses.post(V1_CHAT, status=503, json=azure_error("503", "busy"))
    responses.post(WEST + "/chat/completions", json=completion())
    failover_backend().generate(REQUEST)
    second = failover_backend().generate(REQUEST)
    assert "skipped res.services.ai.azure.com" in second.debug
    assert "res-west.openai.azure.com" in second.debug
