"""Azure AI Foundry: model inference, Azure OpenAI deployments and v1, serverless, managed and project endpoints."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from ...errors import BackendConfigurationError, CmdaiError, ConfigError
from ..base import ModelInfo
from .chat import ChatCompletionsBackend, ServiceError
from .credentials import AzureKey, Credentials, EntraToken
from .endpoints import (AI_FOUNDRY_SCOPE, AZURE_OPENAI, AZURE_OPENAI_V1, MANAGED_ONLINE, MODEL_INFERENCE, PROJECT,
                        SERVERLESS, EndpointInfo, detect_endpoint)

#: model_type values meaning "chat", as the service spells them in its various versions.
_CHAT_TYPES = {"chat_completion", "chat-completion", "chat-completions", "chat"}


class AzureFoundryBackend(ChatCompletionsBackend):
    """Commands from a model deployed in Azure AI Foundry or Azure OpenAI."""

    name = "azure-foundry"
    service = "Azure AI Foundry"

    def __init__(self, config: Any):
        super().__init__(config)
        self.settings = config.backend.azure
        self._endpoint: Optional[EndpointInfo] = None

    @property
    def endpoint(self) -> EndpointInfo:
        if self._endpoint is None:
            url = self.config.backend.endpoint
            if not url:
                raise ConfigError("no Azure AI Foundry endpoint configured",
                                  "run: cmdai --setup-backend azure-foundry, or set CMDAI_AZURE_FOUNDRY_ENDPOINT")
            self._endpoint = detect_endpoint(url, self.settings.api_style,
                                             allow_insecure_http=self.config.backend.allow_insecure_http)
        return self._endpoint

    def _kind(self) -> Optional[str]:
        try:
            return self.endpoint.kind
        except CmdaiError:
            return None

    @property
    def model(self) -> Optional[str]:
        configured = self.config.backend.model
        deployment = self.settings.deployment_name
        pasted = self._endpoint.url_deployment if self._kind() else None
        if self._kind() == AZURE_OPENAI:
            # The URL names a deployment; a model name there is a common cause of 404s.
            return deployment or pasted or configured
        if self._kind() in (SERVERLESS, MANAGED_ONLINE):
            # deployment_name travels in a header here, not as the model.
            return configured
        return configured or deployment or pasted

    def describe(self) -> str:
        try:
            endpoint = self.endpoint
        except CmdaiError as error:
            return f"{self.service}: {error.message}"
        model = self.model or "no model set"
        return (f"{self.name}: {endpoint.label} at {endpoint.base_url} "
                f"(model {model}, auth {self.settings.auth})")

    def endpoint_id(self) -> str:
        return f"{self.endpoint.kind} {self.endpoint.base_url}"

    def require_model(self) -> bool:
        # Serverless and managed endpoints serve one model (or pick it by header).
        return self.endpoint.kind not in (SERVERLESS, MANAGED_ONLINE)

    def _missing_model_error(self) -> CmdaiError:
        noun = "deployment" if self.endpoint.kind == AZURE_OPENAI else "model (deployment name)"
        return BackendConfigurationError(
            f"no {noun} configured for {self.endpoint.label}",
            "set deployment_name under [backend.azure] or model under [backend] (CMDAI_AZURE_FOUNDRY_MODEL), "
            "or pass -m NAME; cmdai --list-models shows what the endpoint offers")

    def model_in_body(self) -> bool:
        return self.endpoint.model_in_body

    def chat_urls(self, model: Optional[str]) -> List[str]:
        endpoint = self.endpoint
        return endpoint.chat_urls(model, endpoint.api_version(self.settings.api_version))

    def extra_headers(self, model: Optional[str]) -> Dict[str, str]:
        if self.settings.deployment_name and self.endpoint.kind in (SERVERLESS, MANAGED_ONLINE):
            return {"azureml-model-deployment": self.settings.deployment_name}
        return {}

    def make_credentials(self) -> Credentials:
        if self.settings.auth == "api-key":
            return AzureKey(self.config.backend.api_key, self.config.backend.api_key_command)
        return EntraToken(self.settings, self.settings.token_scope or self.endpoint.token_scope)

    # -- hints ---------------------------------------------------------------------------------

    def _role_hint(self, credentials: Credentials) -> str:
        return ("give the signed-in identity the 'Cognitive Services OpenAI User' role (or 'Azure AI User' "
                "on a Foundry resource or project) on the resource; role changes take a few minutes")

    def unauthorized_hint(self, credentials: Credentials) -> str:
        if credentials.uses_entra:
            return f"{self._role_hint(credentials)}; also check the tenant you signed in to"
        return (f"use a key of this resource ({self.endpoint.host}), from Keys and Endpoint in the Azure portal; "
                "keys of other resources and OpenAI.com keys are refused")

    def forbidden_hint(self, credentials: Credentials) -> str:
        network = "the resource's network rules (selected networks, private endpoint) or an exhausted quota"
        if credentials.uses_entra:
            return f"{self._role_hint(credentials)}; otherwise check {network}"
        return f"check {network}"

    def not_found_hint(self, error: ServiceError, model: Optional[str]) -> str:
        kind = self.endpoint.kind
        version = self.endpoint.api_version(self.settings.api_version)
        if error.code == "DeploymentNotFound" or kind == AZURE_OPENAI:
            return (f"'{model}' must be the deployment name (not the model name) shown under Deployments; "
                    "a new deployment takes a few minutes; also check the endpoint and "
                    f"api_version ({version}; 2024-10-21 is GA)")
        if kind == MODEL_INFERENCE:
            return (f"the endpoint should end in /models and model ('{model}') name a deployment; "
                    f"check api_version ({version}; 2024-05-01-preview works everywhere)")
        if kind in (AZURE_OPENAI_V1, PROJECT):
            return f"the endpoint should end in /openai/v1 and model ('{model}') name a deployment"
        return "check the endpoint URL against the one shown on the endpoint's page in Azure AI Foundry"

    def bad_request_hint(self, error: ServiceError, model: Optional[str]) -> str:
        if "api version" in error.message.lower() or error.code == "BadRequest" and "version" in error.message:
            return ("set api_version under [backend.azure] to one this endpoint supports "
                    "(2024-10-21 for deployments, 2024-05-01-preview for /models), or leave it unset for /openai/v1")
        if error.code == "no_model_name":
            return "set model under [backend] to the deployment name, or pass -m DEPLOYMENT"
        return "check the deployment, the api_version and the model's supported parameters (--debug shows the answer)"

    # -- model discovery -----------------------------------------------------------------------

    def fetch_models(self, deadline: float) -> List[ModelInfo]:
        endpoint = self.endpoint
        version = endpoint.api_version(self.settings.api_version)
        if endpoint.kind == AZURE_OPENAI:
            return self.openai_models(_query(endpoint.base_url + "/openai/models", version), deadline)
        if endpoint.kind == AZURE_OPENAI_V1:
            return self.openai_models(_query(endpoint.base_url + "/models", version), deadline)
        if endpoint.kind in (SERVERLESS, MANAGED_ONLINE):
            data = self.get_json(_query(endpoint.base_url + "/info", version), deadline)
            info = _info_model(data, None)
            return [info] if info else []
        if endpoint.kind == PROJECT:
            return self._project_deployments(endpoint, deadline)
        return self._model_inference_models(endpoint, version, deadline)

    def _model_inference_models(self, endpoint: EndpointInfo, version: Optional[str], deadline: float) -> List[ModelInfo]:
        models: List[ModelInfo] = []
        if self.settings.project_endpoint:
            project = detect_endpoint(self.settings.project_endpoint, PROJECT,
                                      allow_insecure_http=self.config.backend.allow_insecure_http)
            models = self._project_deployments(project, deadline)
        model = self.model
        if model and not any(m.id == model for m in models):
            # /models/info describes one deployment; without a project it is all we can learn.
            data = self.get_json(_query(endpoint.base_url + f"/info?model={_quote(model)}", version), deadline)
            info = _info_model(data, model)
            if info:
                models.insert(0, info)
        if not models:
            raise BackendConfigurationError(
                "this model-inference endpoint cannot list its deployments by itself",
                "set project_endpoint under [backend.azure] to your Foundry project's endpoint "
                "(https://<resource>.services.ai.azure.com/api/projects/<project>)")
        return models

    def _project_deployments(self, project: EndpointInfo, deadline: float) -> List[ModelInfo]:
        credentials = None
        if self.settings.auth != "api-key":
            # Project routes take tokens for the Foundry audience, not Cognitive Services.
            credentials = EntraToken(self.settings, self.settings.token_scope or AI_FOUNDRY_SCOPE)
        data = self.get_json(_query(project.base_url + "/deployments", project.default_api_version),
                             deadline, credentials)
        items = data.get("value") if isinstance(data, dict) else None
        models = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not item.get("name"):
                continue
            capabilities = item.get("capabilities") if isinstance(item.get("capabilities"), dict) else {}
            flags = tuple(sorted(k for k, v in capabilities.items() if str(v).lower() == "true"))
            chat = capabilities.get("chat_completion")
            described = " ".join(str(item[k]) for k in ("modelPublisher", "modelName", "modelVersion") if item.get(k))
            models.append(ModelInfo(id=str(item["name"]), capabilities=flags,
                                    can_chat=None if chat is None else str(chat).lower() == "true",
                                    description=described or None))
        return models


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _query(url: str, api_version: Optional[str]) -> str:
    if not api_version:
        return url
    return f"{url}{'&' if '?' in url else '?'}api-version={_quote(api_version)}"


def _info_model(data: Any, deployment: Optional[str]) -> Optional[ModelInfo]:
    """A ModelInfo from an ``/info`` answer: {model_name, model_type, model_provider_name}."""
    if not isinstance(data, dict) or not data.get("model_name"):
        return None
    model_type = str(data.get("model_type") or "")
    provider = data.get("model_provider_name")
    described = " ".join(str(part) for part in (provider, data["model_name"]) if part)
    return ModelInfo(id=deployment or str(data["model_name"]), capabilities=(model_type,) if model_type else (),
                     can_chat=model_type.lower() in _CHAT_TYPES if model_type else None,
                     description=f"{described} ({model_type})" if model_type else described)
