"""Endpoint kinds from every URL shape users paste."""
from __future__ import annotations

import pytest

from cmdai.remote.endpoints import (AI_FOUNDRY_SCOPE, COGNITIVE_SERVICES_SCOPE, MACHINE_LEARNING_SCOPE,
                                    detect_endpoint, with_api_version)
from cmdai.errors import ConfigError


LABELS = {"model-inference": "Azure AI Foundry model inference", "azure-openai": "Azure OpenAI deployment",
          "azure-openai-v1": "OpenAI v1 API (Foundry / Azure OpenAI)", "serverless": "serverless API (models as a service)",
          "managed-online": "Azure Machine Learning managed online endpoint", "project": "Azure AI Foundry project"}


@pytest.mark.parametrize("url, kind, base", [
    ("https://res.services.ai.azure.com/models", "model-inference", "https://res.services.ai.azure.com/models"),
    ("https://res.services.ai.azure.com/models/", "model-inference", "https://res.services.ai.azure.com/models"),
    ("https://res.services.ai.azure.com", "azure-openai-v1", "https://res.services.ai.azure.com/openai/v1"),
    ("https://res.services.ai.azure.com/", "azure-openai-v1", "https://res.services.ai.azure.com/openai/v1"),
    ("https://res.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview",
     "model-inference", "https://res.services.ai.azure.com/models"),
    ("https://res.services.ai.azure.com/models/models", "model-inference", "https://res.services.ai.azure.com/models"),
    ("https://res.openai.azure.com", "azure-openai", "https://res.openai.azure.com"),
    ("https://res.openai.azure.com/openai/", "azure-openai", "https://res.openai.azure.com"),
    ("https://res.cognitiveservices.azure.com/openai/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21",
     "azure-openai", "https://res.cognitiveservices.azure.com"),
    ("https://res.openai.azure.com/openai/v1", "azure-openai-v1", "https://res.openai.azure.com/openai/v1"),
    ("https://res.openai.azure.com/openai/v1/chat/completions", "azure-openai-v1",
     "https://res.openai.azure.com/openai/v1"),
    ("https://mistral-large.eastus2.models.ai.azure.com", "serverless", "https://mistral-large.eastus2.models.ai.azure.com"),
    ("https://llama.eastus2.inference.ai.azure.com/v1/chat/completions", "serverless",
     "https://llama.eastus2.inference.ai.azure.com"),
    ("https://ep.westeurope.inference.ml.azure.com/score", "managed-online", "https://ep.westeurope.inference.ml.azure.com"),
    ("https://res.services.ai.azure.com/api/projects/proj1", "project",
     "https://res.services.ai.azure.com/api/projects/proj1"),
    ("http://127.0.0.1:8080/models", "model-inference", "http://127.0.0.1:8080/models"),
    ("https://gateway.example.com/ai/", "model-inference", "https://gateway.example.com/ai"),
])
def test_kind_and_base_from_url(url, kind, base):
    info = detect_endpoint(url)
    assert (info.kind, info.base_url) == (kind, base)
    assert info.label == LABELS[kind]


@pytest.mark.parametrize("kind, scope", [
    ("model-inference", COGNITIVE_SERVICES_SCOPE), ("azure-openai", COGNITIVE_SERVICES_SCOPE),
    ("azure-openai-v1", AI_FOUNDRY_SCOPE), ("serverless", MACHINE_LEARNING_SCOPE),
    ("managed-online", MACHINE_LEARNING_SCOPE),
])
def test_scope_follows_kind(kind, scope):
    assert detect_endpoint("https://gateway.example.com", kind).token_scope == scope


def test_project_scope_is_foundry():
    assert detect_endpoint("https://r.services.ai.azure.com/api/projects/p").token_scope == AI_FOUNDRY_SCOPE


def test_api_style_overrides_host():
    info = detect_endpoint("https://gateway.example.com/aoai", "azure-openai")
    assert info.kind == "azure-openai"
    assert info.chat_urls("dep") == [
        "https://gateway.example.com/aoai/openai/deployments/dep/chat/completions?api-version=2024-10-21"]


def test_pasted_target_uri_gives_deployment_and_version():
    info = detect_endpoint("https://r.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2025-01-01-preview")
    assert info.url_deployment == "my-gpt"
    assert info.api_version == "2025-01-01-preview"
    configured = detect_endpoint("https://r.openai.azure.com/openai/deployments/my-gpt/chat/completions"
                                 "?api-version=2025-01-01-preview", api_version="2024-10-21")
    assert configured.api_version == "2024-10-21"
    assert configured.chat_urls("my-gpt") == [
        "https://r.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21"]


@pytest.mark.parametrize("url, expected", [
    ("https://r.services.ai.azure.com/models", ["https://r.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview"]),
    ("https://r.openai.azure.com", ["https://r.openai.azure.com/openai/deployments/m%2Fx/chat/completions?api-version=2024-10-21"]),
    ("https://r.openai.azure.com/openai/v1", ["https://r.openai.azure.com/openai/v1/chat/completions"]),
    ("https://s.eastus.models.ai.azure.com", ["https://s.eastus.models.ai.azure.com/v1/chat/completions",
                                              "https://s.eastus.models.ai.azure.com/chat/completions?api-version=2024-05-01-preview"]),
    ("https://r.services.ai.azure.com/api/projects/p", ["https://r.services.ai.azure.com/openai/v1/chat/completions"]),
])
def test_chat_urls(url, expected):
    info = detect_endpoint(url)
    assert info.chat_urls("m/x") == expected


def test_v1_never_sends_a_dated_version():
    info = detect_endpoint("https://r.openai.azure.com/openai/v1?api-version=2025-04-01-preview")
    assert info.api_version is None
    assert info.chat_urls("m") == ["https://r.openai.azure.com/openai/v1/chat/completions"]
    assert detect_endpoint(info.base_url, api_version="2024-10-21").api_version is None
    preview = detect_endpoint(info.base_url, api_version="preview")
    assert preview.chat_urls("m") == ["https://r.openai.azure.com/openai/v1/chat/completions?api-version=preview"]
    assert preview.route("/models") == "https://r.openai.azure.com/openai/v1/models?api-version=preview"


@pytest.mark.parametrize("url, configured, expected", [
    ("https://r.services.ai.azure.com/models", None, "2024-05-01-preview"),
    ("https://r.services.ai.azure.com/models", "2025-04-01", "2025-04-01"),
    ("https://r.openai.azure.com", None, "2024-10-21"),
    ("https://s.eastus.models.ai.azure.com", None, "2024-05-01-preview"),
    # A project's own routes take v1 whatever the chat endpoint uses.
    ("https://r.services.ai.azure.com/api/projects/p", "2024-10-21", "v1"),
])
def test_one_api_version_for_every_route(url, configured, expected):
    info = detect_endpoint(url, api_version=configured)
    assert info.api_version == expected
    assert info.route("/info", model="a b/c") == f"{info.base_url}/info?model=a%20b%2Fc&api-version={expected}"


def test_with_api_version_adds_to_an_existing_query():
    assert with_api_version("https://h/x?model=m", "2024-10-21") == "https://h/x?model=m&api-version=2024-10-21"
    assert with_api_version("https://h/x", None) == "https://h/x"
    assert with_api_version("https://h/x", "a&b=c") == "https://h/x?api-version=a%26b%3Dc"


def test_deployment_kind_needs_a_deployment():
    with pytest.raises(ConfigError, match="deployment"):
        detect_endpoint("https://r.openai.azure.com").chat_urls(None)


@pytest.mark.parametrize("url", ["", "r.services.ai.azure.com/models", "ftp://r.services.ai.azure.com",
                                 "https://", "https://r.services.ai.azure.com:99999/models", "https://a b.com"])
def test_malformed_urls_are_refused(url):
    with pytest.raises(ConfigError) as caught:
        detect_endpoint(url)
    assert caught.value.message == f"endpoint {url!r} is not a valid https:// URL"
    assert "Azure AI Foundry portal" in caught.value.hint


def test_unknown_api_style_is_refused():
    with pytest.raises(ConfigError, match="api_style"):
        detect_endpoint("https://r.services.ai.azure.com/models", "chat")


def test_plain_http_only_for_loopback_unless_allowed():
    with pytest.raises(ConfigError, match="http://"):
        detect_endpoint("http://gateway.example.com/models")
    assert detect_endpoint("http://gateway.example.com/models", allow_insecure_http=True).kind == "model-inference"
    for loopback in ("http://127.0.0.1:1234", "http://localhost:1234/models", "http://[::1]:1234"):
        assert detect_endpoint(loopback).is_loopback


@pytest.mark.parametrize("url, api_style, v1", [
    ("https://r.services.ai.azure.com/models", None, "https://r.services.ai.azure.com/openai/v1"),
    ("https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21", None,
     "https://r.openai.azure.com/openai/v1"),
    ("https://gw.example.com/aoai", "azure-openai", "https://gw.example.com/aoai/openai/v1"),
])
def test_v1_url_of_the_same_resource(url, api_style, v1):
    assert detect_endpoint(url, api_style).v1_url == v1


@pytest.mark.parametrize("url, retired", [
    ("https://r.services.ai.azure.com/models", True),
    ("https://r.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview", True),
    ("https://r.services.ai.azure.com", False),
    ("http://127.0.0.1:8080/models", False),  # a local emulator or gateway: its own business
])
def test_the_retired_inference_route_is_recognised(url, retired):
    assert detect_endpoint(url).uses_retired_api is retired
