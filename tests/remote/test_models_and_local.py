"""Model discovery per endpoint kind with its daily cache, and the Ollama / OpenAI-compatible backends."""
from __future__ import annotations

import json

import pytest
import responses

from cmdai.values import GenerationRequest
from cmdai.backends.azure_foundry import AzureFoundryBackend
from cmdai.backends.ollama import OllamaBackend
from cmdai.backends.openai_compatible import OpenAICompatibleBackend
from cmdai.errors import BackendConfigurationError, ConfigError

from .conftest import API_KEY, completion, make_config

OPENAI_MODELS = {"object": "list", "data": [
    {"id": "gpt-4o", "object": "model", "lifecycle_status": "generally-available",
     "capabilities": {"chat_completion": True, "completion": False, "embeddings": False, "inference": True}},
    {"id": "text-embedding-3-small", "object": "model", "lifecycle_status": "generally-available",
     "capabilities": {"chat_completion": False, "embeddings": True, "inference": True}},
]}


@responses.activate
def test_azure_openai_models_mark_chat_and_default():
    responses.get("https://r.openai.azure.com/openai/models?api-version=2024-10-21", json=OPENAI_MODELS)
    b = AzureFoundryBackend(make_config("https://r.openai.azure.com", backend__azure__deployment_name="prod"))
    models = b.list_models()
    assert models[0].id == "prod" and models[0].is_default  # the deployment is not a model id
    by_id = {m.id: m for m in models}
    assert by_id["gpt-4o"].can_chat is True and "chat_completion" in by_id["gpt-4o"].capabilities
    assert by_id["text-embedding-3-small"].can_chat is False
    assert by_id["gpt-4o"].status == "generally-available"
    assert responses.calls[0].request.headers["api-key"] == API_KEY


@responses.activate
def test_models_are_cached_for_a_day_and_refresh_renews():
    responses.get("https://r.openai.azure.com/openai/v1/models", json=OPENAI_MODELS)
    config = make_config("https://r.openai.azure.com/openai/v1", backend__model="gpt-4o")
    assert [m.id for m in AzureFoundryBackend(config).list_models()] == ["gpt-4o", "text-embedding-3-small"]
    assert AzureFoundryBackend(config).list_models()[0].is_default
    assert len(responses.calls) == 1
    AzureFoundryBackend(config).list_models(refresh=True)
    assert len(responses.calls) == 2


@responses.activate
def test_serverless_info():
    responses.get("https://m.eastus.models.ai.azure.com/info?api-version=2024-05-01-preview",
                  json={"model_name": "Mistral-large", "model_type": "chat-completions", "model_provider_name": "Mistral"})
    models = AzureFoundryBackend(make_config("https://m.eastus.models.ai.azure.com")).list_models()
    assert [(m.id, m.can_chat) for m in models] == [("Mistral-large", True)]
    assert "Mistral" in models[0].description


PROJECT_DEPLOYMENTS = {"value": [
    {"type": "ModelDeployment", "name": "gpt-4o-mini", "modelName": "gpt-4o-mini", "modelVersion": "2024-07-18",
     "modelPublisher": "OpenAI", "capabilities": {"chat_completion": "true"}, "sku": {"name": "GlobalStandard"}},
    {"type": "ModelDeployment", "name": "embed", "modelName": "text-embedding-3-large", "modelPublisher": "OpenAI",
     "capabilities": {"embeddings": "true"}},
]}


@responses.activate
def test_project_deployments():
    responses.get("https://r.services.ai.azure.com/api/projects/p/deployments?api-version=v1", json=PROJECT_DEPLOYMENTS)
    b = AzureFoundryBackend(make_config("https://r.services.ai.azure.com/api/projects/p", backend__model="gpt-4o-mini"))
    models = b.list_models()
    assert [(m.id, m.is_default, m.can_chat) for m in models] == [("gpt-4o-mini", True, True), ("embed", False, None)]
    assert models[0].description == "OpenAI gpt-4o-mini 2024-07-18"


@responses.activate
def test_model_inference_with_project_endpoint():
    responses.get("https://r.services.ai.azure.com/api/projects/p/deployments?api-version=v1", json=PROJECT_DEPLOYMENTS)
    b = AzureFoundryBackend(make_config("https://r.services.ai.azure.com/models", backend__model="gpt-4o-mini",
                                        backend__azure__project_endpoint="https://r.services.ai.azure.com/api/projects/p"))
    assert [m.id for m in b.list_models()] == ["gpt-4o-mini", "embed"]


@responses.activate
def test_model_inference_info_for_the_configured_deployment():
    responses.get("https://r.services.ai.azure.com/models/info?model=phi&api-version=2024-05-01-preview",
                  json={"model_name": "Phi-4", "model_type": "chat_completion", "model_provider_name": "Microsoft"})
    models = AzureFoundryBackend(make_config("https://r.services.ai.azure.com/models", backend__model="phi")).list_models()
    assert [(m.id, m.is_default, m.can_chat) for m in models] == [("phi", True, True)]


def test_model_inference_without_model_or_project_names_the_fix():
    with pytest.raises(BackendConfigurationError) as caught:
        AzureFoundryBackend(make_config("https://r.services.ai.azure.com/models")).list_models()
    assert "project_endpoint" in caught.value.hint


@responses.activate
def test_ollama_uses_v1_routes():
    responses.post("http://127.0.0.1:11434/v1/chat/completions", json=completion())
    responses.get("http://127.0.0.1:11434/v1/models", json={"object": "list", "data": [{"id": "qwen2.5-coder:7b"}]})
    config = make_config(None, backend__type="ollama", backend__ollama__model="qwen2.5-coder:7b",
                         backend__ollama__base_url="http://127.0.0.1:11434/api")
    b = OllamaBackend(config)
    assert b.generate(GenerationRequest(text="list files")).command == "ls -la"
    body = json.loads(responses.calls[0].request.body)
    assert body["model"] == "qwen2.5-coder:7b"
    assert "Authorization" not in responses.calls[0].request.headers
    assert [m.id for m in b.list_models()] == ["qwen2.5-coder:7b"]


@responses.activate
def test_ollama_missing_model_hint():
    responses.post("http://127.0.0.1:11434/v1/chat/completions", status=404,
                   json={"error": {"message": 'model "llama9" not found, try pulling it first'}})
    b = OllamaBackend(make_config(None, backend__type="ollama", backend__ollama__model="llama9"))
    with pytest.raises(BackendConfigurationError) as caught:
        b.generate(GenerationRequest(text="x"))
    assert caught.value.hint == "pull the model first: ollama pull llama9"


@responses.activate
def test_openai_compatible_with_key_and_no_model():
    responses.post("http://127.0.0.1:8000/v1/chat/completions", json=completion())
    b = OpenAICompatibleBackend(make_config(None, backend__type="openai-compatible",
                                            backend__openai_compatible__base_url="http://127.0.0.1:8000",
                                            backend__openai_compatible__api_key="local-key-123"))
    b.generate(GenerationRequest(text="x"))
    assert responses.calls[0].request.headers["Authorization"] == "Bearer local-key-123"
    assert "api-key" not in responses.calls[0].request.headers
    assert "model" not in json.loads(responses.calls[0].request.body)


def test_openai_compatible_key_over_plain_http_to_remote_host_is_refused():
    b = OpenAICompatibleBackend(make_config(None, backend__type="openai-compatible",
                                            backend__openai_compatible__base_url="http://gpu-box.lan:8000/v1",
                                            backend__openai_compatible__api_key="local-key-123"))
    with pytest.raises(ConfigError, match="http://"):
        b.generate(GenerationRequest(text="x"))


def test_openai_compatible_needs_base_url():
    b = OpenAICompatibleBackend(make_config(None, backend__type="openai-compatible"))
    with pytest.raises(ConfigError, match="base_url"):
        b.generate(GenerationRequest(text="x"))
