"""Azure AI Foundry: model inference, Azure OpenAI deployments and v1, serverless, managed and project endpoints."""
from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple

from ..errors import (BackendConfigurationError, BackendUnavailableError, CmdaiError, ConfigError,
                       RateLimitError)
from ..sanitize import one_line
from ..settings import Key
from ..values import Generation, GenerationRequest, HealthCheck, ModelInfo
from ..remote.chat import ChatCompletionsBackend
from ..remote.request_options import remember, remembered
from ..remote.service_errors import ServiceError, read_service_error
from ..remote.credentials import AzureKey, Credentials, EntraToken
from ..remote.endpoints import (AI_FOUNDRY_SCOPE, AZURE_OPENAI, AZURE_OPENAI_V1, INFERENCE_RETIRED, MANAGED_ONLINE,
                        MODEL_INFERENCE, OTHER_AUDIENCE, PROJECT, SERVERLESS, EndpointInfo, default_api_version,
                        detect_endpoint)

if TYPE_CHECKING:
    import requests

    from ..config import Config
    from ..disk_store import KeyedFile

_OPENAI_MODEL = re.compile(r"gpt|(?:^|[/_.-])o[1-9]|model-router|davinci|codex|dall-e|whisper|text-embedding",
                           re.IGNORECASE)
_NETWORK_WORDS = ("virtual network", "firewall", "private endpoint", "private link", "public network access",
                  "public access is disabled", "ip address", "network rule", "traffic is not from")
_ROLE_WORDS = ("permissiondenied", "does not have access", "lacks the required data action",
               "not authorized to perform", "authorizationfailed", "does not have permission")
#: Names listed in a "which deployment?" message.
_MAX_LISTED = 12
#: Seconds an endpoint that failed is skipped (every Ctrl-G is a new process, so it is kept on disk).
COOL_DOWN_SECONDS = 60.0
_MAX_COOL_DOWN_SECONDS = 600.0
#: Less time than this left is not worth starting another endpoint.
_MIN_REGION_SECONDS = 0.5
_COOL_DOWN_STORE = "endpoint-cool-down.json"
#: Settings of the primary a failover endpoint shares unless it names its own (never the key,
#: nor what depends on the endpoint's kind).
_SHARED_SETTINGS = ("deployment_name", "auth", "tenant_id", "managed_identity_client_id")

#: model_type values meaning "chat", as the service spells them in its various versions.
_CHAT_TYPES = {"chat_completion", "chat-completion", "chat-completions", "chat"}

AUTH_METHODS = ("api-key", "azure-cli", "managed-identity", "default")
API_STYLES = (MODEL_INFERENCE, AZURE_OPENAI, AZURE_OPENAI_V1, SERVERLESS, MANAGED_ONLINE)
_FAILOVER_EXAMPLE = '[[backend.azure.failover]] with endpoint = "https://my-res-westus.openai.azure.com/openai/v1"'
#: What one failover endpoint may set; anything it leaves out (except the key) is the primary's.
FAILOVER_FIELDS = {
    "endpoint": Key("url", required=True), "model": Key("str"), "deployment_name": Key("str"),
    "api_version": Key("str"), "api_style": Key("choice", choices=API_STYLES),
    "auth": Key("choice", choices=AUTH_METHODS), "api_key": Key("str", secret=True), "api_key_command": Key("str"),
    "api_key_env": Key("str"), "token_scope": Key("str"), "tenant_id": Key("str"),
    "managed_identity_client_id": Key("str"),
}


class AzureFoundryBackend(ChatCompletionsBackend):
    """Commands from a model deployed in Azure AI Foundry or Azure OpenAI."""

    name = "azure-foundry"
    title = service = "Azure AI Foundry"
    summary = "Azure AI Foundry / Azure OpenAI; set up with: cmdai --setup-backend azure-foundry"
    help = """\
  cmdai --setup-backend azure-foundry  guided setup: endpoint, auth, key, live test, model, safety
  The endpoint kind is detected from the URL (a pasted "target URI" is fine):
    https://RES.services.ai.azure.com            Foundry resource: the v1 API (model = deployment name)
    https://RES.openai.azure.com/openai/v1       the v1 API of an Azure OpenAI resource
    https://RES.openai.azure.com                 Azure OpenAI deployments (also *.cognitiveservices.azure.com)
    https://RES.services.ai.azure.com/models     model inference (retired 2026-08-26; use the v1 API)
    https://NAME.REGION.models.ai.azure.com      serverless API;  *.inference.ml.azure.com managed online
  Auth ([backend.azure] auth): api-key (from CMDAI_AZURE_FOUNDRY_API_KEY or api_key_command, never
  an argument), azure-cli (az login), managed-identity, default (needs: pip install 'cmdai-shell[azure]').
  cmdai --list-models [--refresh]   cmdai --doctor   cmdai -m DEPLOYMENT "..." for one run
  cmdai --usage                     tokens per day and per deployment (prices: [backend.prices])
"""
    section = "azure"
    setup_flow = "cmdai.setup_wizard.azure:AzureSetup"
    selected_by = "endpoint"
    cache_identity = ("endpoint", "api_style", "deployment_name")
    keys = {
        # Written under [backend], as they were before backends had tables of their own.
        "endpoint": Key("url", example='endpoint = "https://my-res.services.ai.azure.com/models"', table="backend",
                        env=("CMDAI_AZURE_FOUNDRY_ENDPOINT",), flag="--endpoint", prompt="Endpoint URL",
                        doc="endpoint URL (choosing azure-foundry when no backend is set)"),
        "api_key": Key("str", secret=True, example='api_key = "…" (or use api_key_command)', table="backend",
                       env=("CMDAI_AZURE_FOUNDRY_API_KEY",), prompt="API key",
                       doc="API key (better from the variable or api_key_command than in a file)"),
        "api_key_command": Key("str", example='api_key_command = "pass show azure/foundry"', table="backend",
                               flag="--api-key-command", prompt="Command that prints the key",
                               doc="command whose output is the key (password managers, vaults)"),
        "auth": Key("choice", "api-key", AUTH_METHODS, example='auth = "azure-cli"', flag="--auth",
                    prompt="How should cmdai sign in?", doc="api-key, azure-cli, managed-identity or default"),
        "use_managed_identity": Key("bool", False, example="use_managed_identity = true",
                                    doc='shorthand for auth = "managed-identity"'),
        "deployment_name": Key("str", example='deployment_name = "gpt-4o-mini"',
                               env=("CMDAI_AZURE_FOUNDRY_DEPLOYMENT",), prompt="Deployment",
                               doc="Azure OpenAI deployment name (else model)"),
        "api_version": Key("str", example='api_version = "2024-10-21"', env=("CMDAI_AZURE_FOUNDRY_API_VERSION",),
                           doc="api-version query parameter (default: the endpoint kind's)"),
        "api_style": Key("choice", None, API_STYLES, example='api_style = "model-inference"',
                         prompt="Which API does it serve?",
                         doc="the endpoint's API, for hosts that do not say (default: detected)"),
        "project_endpoint": Key("url", example='project_endpoint = '
                                '"https://my-res.services.ai.azure.com/api/projects/my-project"',
                                doc="Foundry project endpoint, for listing its deployments"),
        "managed_identity_client_id": Key("str", prompt="Client ID of a user-assigned identity",
                                          doc="client ID of a user-assigned managed identity"),
        "tenant_id": Key("str", prompt="Tenant ID", doc="Entra ID tenant (azure-cli, default)"),
        "token_scope": Key("str", example='token_scope = "https://cognitiveservices.azure.com/.default"',
                           doc="Entra ID token audience (default: the endpoint kind's)"),
        "failover": Key("tables", example=_FAILOVER_EXAMPLE, fields=FAILOVER_FIELDS,
                        doc="further endpoints tried in order, [[backend.azure.failover]] tables (docs/azure.md)"),
        # Where the resource is in Azure: --doctor names it, and role hints give its full id.
        "subscription_id": Key("str", example='subscription_id = "00000000-0000-0000-0000-000000000000"',
                               doc="the resource's subscription: --doctor and role hints name the resource"),
        "resource_group": Key("str", example='resource_group = "my-group"',
                              doc="the resource's group, with subscription_id"),
    }

    @classmethod
    def settle(cls, values: Dict[str, Any], sources: Dict[str, str]) -> None:
        if values.get("backend.azure.use_managed_identity") and "backend.azure.auth" not in values:
            values["backend.azure.auth"] = "managed-identity"
            sources["backend.azure.auth"] = sources["backend.azure.use_managed_identity"]

    def __init__(self, config: "Config", settings: Any = None, key_variable: Optional[str] = None):
        super().__init__(config)
        if settings is not None:
            self.settings = settings
        #: For a failover endpoint: the variable its key is read from.
        self.key_variable = key_variable
        self._endpoint: Optional[EndpointInfo] = None
        self._audience_switched = False
        #: The deployment found at the endpoint when none is configured.
        self._discovered: Optional[str] = None
        self._regions: Optional[List["AzureFoundryBackend"]] = None

    @property
    def endpoint(self) -> EndpointInfo:
        if self._endpoint is None:
            url = self.settings.endpoint
            if not url:
                raise ConfigError("no Azure AI Foundry endpoint configured",
                                  "run: cmdai --setup-backend azure-foundry, or set CMDAI_AZURE_FOUNDRY_ENDPOINT")
            self._endpoint = detect_endpoint(url, self.settings.api_style, api_version=self.settings.api_version,
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
        model = self.model or "none set: the endpoint's only chat deployment, if it has one"
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
        urls = endpoint.chat_urls(model)
        if endpoint.resource_root and remembered(self._route_key()) == MODEL_INFERENCE:
            # This resource answered only on the model-inference route last time.
            urls.reverse()
        return urls

    def _route_key(self) -> str:
        return f"route {self.endpoint_id()}"

    def _scope_key(self) -> str:
        return f"token scope {self.endpoint_id()}"

    def remember_success(self, url: str) -> None:
        endpoint = self.endpoint
        if endpoint.resource_root:
            remember(self._route_key(), MODEL_INFERENCE if "/models/" in url else AZURE_OPENAI_V1)
        if self._credentials is not None and self._credentials.uses_entra and not self.settings.token_scope:
            remember(self._scope_key(), self._credentials.scope)  # type: ignore[attr-defined]

    def token_scope(self) -> str:
        """The audience to ask Entra ID for: configured, else the one that worked, else the kind's."""
        learnt = remembered(self._scope_key())
        return self.settings.token_scope or (learnt if learnt in OTHER_AUDIENCE else self.endpoint.token_scope)

    def credentials_after_unauthorized(self, response: "requests.Response",
                                       credentials: Credentials) -> Optional[Credentials]:
        # Only once, only for the backend's own token, and never against a configured scope.
        scope = getattr(credentials, "scope", None)
        if (credentials is not self._credentials or self.settings.token_scope or self._audience_switched
                or scope not in OTHER_AUDIENCE or not audience_refused(response)):
            return None
        self._audience_switched = True
        self._credentials = EntraToken(self.settings, OTHER_AUDIENCE[scope])
        return self._credentials

    def extra_headers(self, model: Optional[str]) -> Dict[str, str]:
        if self.settings.deployment_name and self.endpoint.kind in (SERVERLESS, MANAGED_ONLINE):
            return {"azureml-model-deployment": self.settings.deployment_name}
        return {}

    def make_credentials(self) -> Credentials:
        if self.settings.auth == "api-key":
            variable = self.key_variable
            if variable and not self.settings.api_key and not self.settings.api_key_command:
                raise ConfigError(f"the endpoint {self.endpoint.host} reads its API key from ${variable}, which is not set",
                                  f"export {variable} in your shell's startup file, or set api_key_command for it "
                                  "under [[backend.azure.failover]]")
            return AzureKey(self.settings.api_key, self.settings.api_key_command)
        return EntraToken(self.settings, self.token_scope())

    # -- hints ---------------------------------------------------------------------------------

    def _role_hint(self, model: Optional[str] = None) -> str:
        role = inference_role(model)
        hint = (f"give the signed-in identity the {role} role on the resource "
                "(Owner and Contributor do not grant inference); role changes take a few minutes")
        resource = self.resource_id()
        if resource and " or " not in role:
            hint += f": az role assignment create --role {role} --assignee <your id> --scope {resource}"
        return hint

    def resource_id(self) -> Optional[str]:
        """The Azure resource id from subscription_id and resource_group (the account named by the host)."""
        subscription, group = self.settings.subscription_id, self.settings.resource_group
        if not (subscription and group):
            return None
        scope = f"/subscriptions/{subscription}/resourceGroups/{group}"
        host = self.endpoint.host if self._kind() else ""
        if host.endswith((".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")):
            return f"{scope}/providers/Microsoft.CognitiveServices/accounts/{host.split('.')[0]}"
        return scope

    def unauthorized_hint(self, credentials: Credentials) -> str:
        if credentials.uses_entra:
            return f"{self._role_hint(self.model)}; also check the tenant you signed in to"
        return (f"use a key of this resource ({self.endpoint.host}), from Keys and Endpoint in the Azure portal; "
                "keys of other resources and OpenAI.com keys are refused")

    def forbidden_hint(self, credentials: Credentials) -> str:
        network = "the resource's network rules (selected networks, private endpoint) or an exhausted quota"
        if credentials.uses_entra:
            return f"{self._role_hint(self.model)}; otherwise check {network}"
        return f"check {network}"

    def auth_problem(self, status: int, error: ServiceError, response: "requests.Response",
                     credentials: Credentials, model: Optional[str]) -> Optional[Tuple[str, str]]:
        """Tell a wrong token audience, a missing role and a network rule apart (401/403)."""
        text = f"{error.code or ''} {error.message}".lower()
        if status == 401 and credentials.uses_entra and audience_refused(response):
            scope = getattr(credentials, "scope", "")
            other = OTHER_AUDIENCE.get(scope, AI_FOUNDRY_SCOPE)
            fix = (f'set token_scope = "{other}" under [backend.azure]' if not self.settings.token_scope
                   else f'token_scope is set to {scope}: change it to "{other}" or remove it')
            return f"refused the Entra ID token's audience ({scope})", fix
        if status == 403 and any(word in text for word in _NETWORK_WORDS):
            return ("refused the connection by the resource's network rules",
                    "connect from an allowed network (VPN, private endpoint), or ask the resource's "
                    "administrators to allow it under Networking in the Azure portal")
        if credentials.uses_entra and any(word in text for word in _ROLE_WORDS):
            return "refused: the signed-in identity has no role that allows inference", self._role_hint(model)
        return None

    def not_found_hint(self, error: ServiceError, model: Optional[str]) -> str:
        kind = self.endpoint.kind
        version = self.endpoint.api_version
        if error.code == "DeploymentNotFound" or kind == AZURE_OPENAI:
            version_check = f" and api_version ({version}; {default_api_version(AZURE_OPENAI)} is GA)" if version else ""
            return (f"'{model}' must be the deployment name (not the model name) shown under Deployments; "
                    f"a new deployment takes a few minutes; also check the endpoint{version_check}")
        if kind == MODEL_INFERENCE:
            return (f"the endpoint should end in /models and model ('{model}') name a deployment; "
                    f"check api_version ({version}; {default_api_version(MODEL_INFERENCE)} works everywhere)")
        if kind in (AZURE_OPENAI_V1, PROJECT):
            return f"the endpoint should end in /openai/v1 and model ('{model}') name a deployment"
        return "check the endpoint URL against the one shown on the endpoint's page in Azure AI Foundry"

    def bad_request_hint(self, error: ServiceError, model: Optional[str]) -> str:
        if "api version" in error.message.lower() or error.code == "BadRequest" and "version" in error.message:
            return ("set api_version under [backend.azure] to one this endpoint supports "
                    f"({default_api_version(AZURE_OPENAI)} for deployments, {default_api_version(MODEL_INFERENCE)} "
                    "for /models), or leave it unset for /openai/v1")
        if error.code == "no_model_name":
            return "set model under [backend] to the deployment name, or pass -m DEPLOYMENT"
        return "check the deployment, the api_version and the model's supported parameters (--debug shows the answer)"

    # -- no model configured ---------------------------------------------------------------------

    def only_model(self) -> Optional[str]:
        """The endpoint's one chat deployment when none is configured; several are listed in an error."""
        if self._discovered is not None or self.endpoint.kind in (AZURE_OPENAI, SERVERLESS, MANAGED_ONLINE):
            # /openai/models lists what a resource may deploy, not its deployments.
            return self._discovered
        try:
            models = self.list_models()
        except CmdaiError:
            return None  # The usual "no model configured" error says what to set.
        # Names come from the network: shown and sent only once made plain text.
        names = [one_line(m.id, 120) for m in models if m.can_chat is not False and one_line(m.id, 120) == m.id]
        if len(names) > 1:
            listed = ", ".join(names[:_MAX_LISTED]) + (f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")
            raise ConfigError(
                f"no deployment configured, and {self.endpoint.host} has {len(names)} that can chat: {listed}",
                "pick one with: cmdai --setup-backend azure-foundry, or -m NAME for one run "
                "(model = \"NAME\" under [backend] keeps it)")
        if names:
            self._discovered = names[0]
        return self._discovered

    def _announce_discovery(self, generation: Generation) -> None:
        """Say once per endpoint which deployment was picked for the user."""
        if self._discovered is None or self.config.backend.model:
            return
        key = f"announced {self.endpoint_id()}"
        if remembered(key) != self._discovered:
            generation.warnings.append(
                f"no model configured: using '{self._discovered}', the only chat deployment at "
                f"{self.endpoint.host} (set model under [backend] or run cmdai --setup-backend azure-foundry to keep it)")
            remember(key, self._discovered)

    # -- several endpoints (regional failover) -----------------------------------------------------

    def regions(self) -> List["AzureFoundryBackend"]:
        """This endpoint, then each [[backend.azure.failover]] endpoint, in order."""
        if self._regions is None:
            self._regions = [self] + [_region(self, entry) for entry in self.settings.failover or ()]
        return self._regions

    def generate(self, request: GenerationRequest, deadline: Optional[float] = None) -> Generation:
        regions = self.regions()
        if len(regions) == 1:
            return self._answer(request, deadline)
        deadline = deadline or self._invocation_deadline()
        cooling = _cooling()
        # An endpoint that failed moments ago is tried last, only if the others fail too.
        order = [r for r in regions if r.endpoint_id() not in cooling] + [r for r in regions if r.endpoint_id() in cooling]
        failures: List[Tuple["AzureFoundryBackend", CmdaiError]] = []
        for index, region in enumerate(order):
            now = time.monotonic()
            if failures and deadline - now < _MIN_REGION_SECONDS:
                break
            # Each endpoint but the last leaves a third of the time for the next.
            share = deadline if index == len(order) - 1 else now + (deadline - now) * 2 / 3
            try:
                generation = region._answer(request, share)
            except (BackendUnavailableError, RateLimitError) as error:
                _cool_down(region.endpoint_id(), error.retry_after)
                failures.append((region, error))
                continue
            except CmdaiError as error:
                if region is self and not failures:
                    raise  # The primary's configuration, auth or request problem is the user's to fix.
                failures.append((region, error))
                continue
            if failures:
                failed = "; ".join(f"{r.endpoint.host}: {e.message}" for r, e in failures)
                generation.warnings.append(f"answered by {region.endpoint.host} after {failed}")
            skipped = [r.endpoint.host for r in order[index + 1:] if r.endpoint_id() in cooling]
            if skipped:
                generation.debug = (f"skipped {', '.join(skipped)}: failed within the last minutes, asked again after "
                                    f"the cool-down\n{generation.debug or ''}")
            return generation
        region, first = next(((r, e) for r, e in failures if getattr(e, "fallback_allowed", False)), failures[0])
        others = "; ".join(f"{r.endpoint.host}: {e.message}" for r, e in failures if e is not first)
        first.message = f"{first.message} (also failed: {others})" if others else first.message
        first.args = (first.message,)
        raise first

    def _answer(self, request: GenerationRequest, deadline: Optional[float]) -> Generation:
        generation = super().generate(request, deadline)
        self._announce_discovery(generation)
        return generation

    def health_checks(self) -> Iterator[HealthCheck]:
        regions = self.regions()
        if len(regions) == 1:
            yield from super().health_checks()
            return
        for number, region in enumerate(regions, 1):
            where = f"endpoint {number} ({region._kind() and region.endpoint.host})"
            for check in ChatCompletionsBackend.health_checks(region):
                yield check._replace(name=f"{where} {check.name}")

    def endpoint_checks(self) -> Iterator[HealthCheck]:
        """The resource in Azure, and advice on the route: the retired /models API, a dated api-version
        where v1 needs none."""
        endpoint = self.endpoint
        if self.settings.subscription_id or self.settings.resource_group:
            resource = self.resource_id()
            yield (HealthCheck("resource", True, resource) if resource else
                   HealthCheck("resource", False, "only one of subscription_id and resource_group is set",
                               "set both under [backend.azure] to name the resource, or neither"))
        if endpoint.uses_retired_api:
            yield HealthCheck("route", False,
                              f"{endpoint.base_url} is the Azure AI Inference API (the /models route), "
                              f"retired on {INFERENCE_RETIRED}",
                              f"use the v1 API instead: endpoint = \"{endpoint.v1_url}\"")
        elif endpoint.kind == AZURE_OPENAI:
            version = endpoint.api_version
            yield HealthCheck("route", True, f"deployment route with the dated api-version {version}; "
                                             f"recommended: the v1 API, endpoint = \"{endpoint.v1_url}\" "
                                             "(no api-version to keep current)")
        elif endpoint.resource_root:
            route = remembered(self._route_key())
            yield HealthCheck("route", True, "the Foundry resource's model-inference route (/models), "
                                             "since the v1 route answered 404" if route == MODEL_INFERENCE
                              else f"the v1 API ({endpoint.v1_url})")

    # -- model discovery -----------------------------------------------------------------------

    def fetch_models(self, deadline: float) -> List[ModelInfo]:
        endpoint = self.endpoint
        if endpoint.kind == AZURE_OPENAI:
            return self.openai_models(endpoint.route("/openai/models"), deadline)
        if endpoint.kind == AZURE_OPENAI_V1:
            return self.openai_models(endpoint.route("/models"), deadline)
        if endpoint.kind in (SERVERLESS, MANAGED_ONLINE):
            data = self.get_json(endpoint.route("/info"), deadline)
            info = _info_model(data, None)
            return [info] if info else []
        if endpoint.kind == PROJECT:
            return self._project_deployments(endpoint, deadline)
        return self._model_inference_models(endpoint, deadline)

    def _model_inference_models(self, endpoint: EndpointInfo, deadline: float) -> List[ModelInfo]:
        models: List[ModelInfo] = []
        if self.settings.project_endpoint:
            project = detect_endpoint(self.settings.project_endpoint, PROJECT,
                                      allow_insecure_http=self.config.backend.allow_insecure_http)
            models = self._project_deployments(project, deadline)
        model = self.model
        if model and not any(m.id == model for m in models):
            # /models/info describes one deployment; without a project it is all we can learn.
            data = self.get_json(endpoint.route("/info", model=model), deadline)
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
        data = self.get_json(project.route("/deployments"), deadline, credentials)
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


def audience_refused(response: "requests.Response") -> bool:
    """Whether a 401 says the token was issued for another audience."""
    said = f"{read_service_error(response).message} {response.headers.get('www-authenticate', '')}"
    return "audience" in said.lower()


def inference_role(model: Optional[str]) -> str:
    """The data-plane role that allows chat completions with ``model``."""
    if model and _OPENAI_MODEL.search(model):
        return "'Cognitive Services OpenAI User'"
    if model and re.search(r"llama|mistral|deepseek|grok|phi|cohere|jais|mai-|qwen|kimi", model, re.IGNORECASE):
        return "'Cognitive Services User'"
    return "'Cognitive Services OpenAI User' (OpenAI models) or 'Cognitive Services User' (other Foundry models)"


def _region(primary: AzureFoundryBackend, entry: Dict[str, str]) -> AzureFoundryBackend:
    """The primary with one failover endpoint's settings in place."""
    import copy
    import os

    settings = primary.settings._replace(
        endpoint=entry["endpoint"], failover=None,
        # A key belongs to one resource: each endpoint names its own (or uses Entra ID).
        api_key=entry.get("api_key") or (os.environ.get(entry["api_key_env"]) if entry.get("api_key_env") else None),
        api_key_command=entry.get("api_key_command"),
        # What depends on the endpoint's kind is never the primary's.
        **{name: entry.get(name) for name in ("api_version", "api_style", "token_scope")},
        **{name: entry[name] for name in _SHARED_SETTINGS if name in entry})
    config = copy.copy(primary.config)
    config.backend = config.backend._replace(model=entry.get("model", config.backend.model))
    return AzureFoundryBackend(config, settings, key_variable=entry.get("api_key_env"))


def _cool_down_store() -> "KeyedFile":
    from ..disk_store import KeyedFile, finite_number

    return KeyedFile(_COOL_DOWN_STORE, finite_number)


def _cooling() -> Dict[str, float]:
    """Endpoints still in their cool-down, by id."""
    now = time.time()
    return {key: until for key, until in _cool_down_store().entries().items() if until > now}


def _cool_down(endpoint_id: str, retry_after: Optional[float]) -> None:
    seconds = min(_MAX_COOL_DOWN_SECONDS, max(COOL_DOWN_SECONDS, retry_after or 0.0))
    now = time.time()

    def change(entries: Dict[str, float]) -> Dict[str, float]:
        # Expired entries go, so the file stays as small as the list of endpoints.
        return {**{key: until for key, until in entries.items() if until > now}, endpoint_id: now + seconds}

    _cool_down_store().update(change)
