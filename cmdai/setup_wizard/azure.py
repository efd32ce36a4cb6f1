"""Setting up Azure AI Foundry: endpoint, authentication, key, live test, model, safety."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from ..remote.endpoints import (AZURE_OPENAI, AZURE_OPENAI_V1, INFERENCE_RETIRED, MANAGED_ONLINE,
                                         MODEL_INFERENCE, SERVERLESS, EndpointInfo, detect_endpoint)
from ..values import ModelInfo
from ..errors import ConfigError, UsageError
from .common import (Plan, Session, connect_and_choose_model, require, run_test, safety_answer,
                     test_failure)
from .probe import ProbeResult
from .ui import Option

BACKEND = "azure-foundry"
KEY_VARIABLE = "CMDAI_AZURE_FOUNDRY_API_KEY"

AUTH_OPTIONS = (
    Option("API key", "api-key"),
    Option("Azure CLI credentials (az login)", "azure-cli"),
    Option("Managed identity (Azure VM, App Service, AKS)", "managed-identity"),
    Option("DefaultAzureCredential chain (service principal variables, workload identity, …)", "default"),
)

STYLE_OPTIONS = (
    Option("Foundry model inference  (…/models/chat/completions)", MODEL_INFERENCE),
    Option("Azure OpenAI deployments (…/openai/deployments/NAME/chat/completions)", AZURE_OPENAI),
    Option("Azure OpenAI v1          (…/openai/v1/chat/completions)", AZURE_OPENAI_V1),
    Option("Serverless API           (…/v1/chat/completions)", SERVERLESS),
    Option("Managed online endpoint  (…/v1/chat/completions, azureml-model-deployment)", MANAGED_ONLINE),
)


def is_azure_host(info: EndpointInfo) -> bool:
    """Whether the kind follows from the host name; any other host (gateway, proxy, loopback) needs api_style."""
    return info.host.endswith(".azure.com")


@dataclass
class AzureAnswers:
    """The answers so far; the key itself stays in memory unless the user asks to save it."""

    endpoint: str = ""
    info: Optional[EndpointInfo] = None
    #: Written only for hosts whose kind cannot be told from the name.
    api_style: Optional[str] = None
    auth: str = "api-key"
    #: "typed", "saved" (the key already in the file), "env" or "command".
    key_source: Optional[str] = None
    api_key: Optional[str] = None
    save_key: bool = False
    api_key_command: Optional[str] = None
    tenant_id: Optional[str] = None
    client_id: Optional[str] = None
    model: Optional[str] = None
    deployment_name: Optional[str] = None
    safety: Optional[str] = None
    #: Regional endpoints tried after this one; None leaves the file's list as it is.
    failover: Optional[List[Dict[str, str]]] = None

    def keys(self, *, for_test: bool) -> Dict[str, Any]:
        """Dotted config keys; None removes a key that no longer applies."""
        uses_key = self.auth == "api-key"
        stored_key = self.api_key if uses_key and self.key_source in ("typed", "saved") and self.save_key else None
        return {
            "backend.type": BACKEND,
            "backend.endpoint": self.endpoint,
            "backend.model": self.model or None,
            "backend.api_key": (self.api_key if uses_key and self.key_source != "command" else None)
            if for_test else stored_key,
            "backend.api_key_command": self.api_key_command if uses_key and self.key_source == "command" else None,
            "backend.azure.auth": self.auth,
            # auth says it all; a stale use_managed_identity would only confuse a reader.
            "backend.azure.use_managed_identity": None,
            "backend.azure.api_style": self.api_style,
            "backend.azure.deployment_name": self._deployment(),
            "backend.azure.tenant_id": self.tenant_id or None if self.auth in ("azure-cli", "default") else None,
            "backend.azure.managed_identity_client_id":
                self.client_id or None if self.auth == "managed-identity" else None,
            "safety.level": self.safety,
            **({"backend.azure.failover": self.failover} if self.failover is not None else {}),
        }


    def _deployment(self) -> Optional[str]:
        info = self.info
        if info is None:
            return None
        if info.kind == MANAGED_ONLINE:
            return self.deployment_name or None
        # A pasted target URI names a deployment, and that one wins over model; a different
        # deployment chosen afterwards has to be written where it wins in turn.
        if info.kind == AZURE_OPENAI and info.url_deployment and self.model and self.model != info.url_deployment:
            return self.model
        return None


class AzureSetup:
    """The Azure AI Foundry part of ``cmdai --setup-backend``."""

    title = "Azure AI Foundry"
    backend = BACKEND

    def __init__(self, session: Session):
        self.session = session
        self.args = session.args
        self.existing = session.existing
        self.console = session.console
        self.notes: List[str] = []
        self.answers = AzureAnswers()

    def plan(self) -> Plan:
        return self._interactive() if self.session.interactive else self._scripted()

    def _allow_http(self) -> bool:
        return bool(self.session.preserved.get("backend.allow_insecure_http", False))

    def _detect(self, url: str, api_style: Optional[str] = None) -> EndpointInfo:
        return detect_endpoint(url, api_style, allow_insecure_http=self._allow_http())

    def _plan(self) -> Plan:
        answers = self.answers
        if answers.auth == "api-key" and answers.key_source == "env":
            self.notes.append(f"cmdai reads the key from {KEY_VARIABLE}: export it in your shell's startup file.")
        if answers.auth == "api-key" and answers.key_source == "typed" and not answers.save_key:
            self.notes.append(f"The key was not saved: export {KEY_VARIABLE} before running cmdai.")
        return Plan(answers.keys(for_test=False), self.notes)

    # -- --yes ------------------------------------------------------------------------------

    def _scripted(self) -> Plan:
        args, answers = self.args, self.answers
        answers.endpoint = require(args.endpoint, "--endpoint", "the endpoint URL").strip()
        info = self._detect(answers.endpoint)
        if not is_azure_host(info):
            # A gateway or local server: keep the style chosen before for this endpoint, else the detected one.
            same_endpoint = self.existing.get("backend.endpoint") == answers.endpoint
            answers.api_style = (self.existing.get("backend.azure.api_style") if same_endpoint else None) or info.kind
            info = self._detect(answers.endpoint, answers.api_style)
        answers.info = info
        answers.auth = args.auth or "api-key"
        if answers.auth == "api-key":
            if args.api_key_command:
                answers.key_source, answers.api_key_command = "command", args.api_key_command
            elif os.environ.get(KEY_VARIABLE):
                answers.key_source, answers.api_key = "env", os.environ[KEY_VARIABLE]
            else:
                raise UsageError(f"--yes with --auth api-key needs the key in {KEY_VARIABLE} or --api-key-command",
                                 f"export {KEY_VARIABLE}, pass --api-key-command CMD, or choose another --auth")
        answers.model = require(args.model, "--model", "the model or deployment name")
        answers.safety = safety_answer(self.session)
        self.console.line(f"Endpoint: {info.label} — {info.base_url}")
        self._advise_route(info)
        if args.skip_test:
            self.console.note("Connection test skipped (--skip-test).")
        else:
            result = run_test(self.session, BACKEND, self.test_keys(), info.base_url, answers.model, discover=False)
            if result.error is not None:
                raise test_failure(result.error)
        return self._plan()

    # -- interactive ------------------------------------------------------------------------

    def _interactive(self) -> Plan:
        args, existing, answers = self.args, self.existing, self.answers
        answers.endpoint = args.endpoint or existing.get("backend.endpoint") or ""
        answers.auth = args.auth or existing.get("backend.azure.auth") or "api-key"
        answers.model = args.model or existing.get("backend.model")
        answers.tenant_id = existing.get("backend.azure.tenant_id")
        answers.client_id = existing.get("backend.azure.managed_identity_client_id")
        answers.deployment_name = existing.get("backend.azure.deployment_name")
        self._ask_endpoint()
        self._ask_auth()
        self._ask_credentials()
        connect_and_choose_model(self.session, self)
        self._ask_deployment()
        self._ask_second_region()
        answers.safety = safety_answer(self.session)
        return self._plan()

    def _ask_endpoint(self) -> None:
        """Step 1: the URL, checked as it is typed, and the kind it names."""
        answers, ask = self.answers, self.session.ask

        def valid(text: str) -> Any:
            try:
                self._detect(text.strip())
            except ConfigError as error:
                return error.one_line()
            return True

        answers.endpoint = ask.text("Endpoint URL (from the Azure AI Foundry portal):",
                                    default=answers.endpoint, validate=valid)
        info = self._detect(answers.endpoint)
        if is_azure_host(info):
            answers.api_style = None
        else:
            self.console.note("This is not an Azure host (a gateway, proxy or local server), "
                              "so cmdai cannot tell its API from the name.")
            previous = self.existing.get("backend.azure.api_style")
            same_endpoint = self.existing.get("backend.endpoint") == answers.endpoint
            answers.api_style = ask.select("Which API does it serve?", STYLE_OPTIONS,
                                           default=previous if same_endpoint and previous else info.kind)
            info = self._detect(answers.endpoint, answers.api_style)
        answers.info = info
        if info.url_deployment and not answers.model:
            answers.model = info.url_deployment
        self.console.ok(f"{info.label} — {info.base_url}")
        self._advise_route(info)

    def _advise_route(self, info: EndpointInfo) -> None:
        """The /models route belongs to a retired API; say so, and which URL replaces it."""
        if info.uses_retired_api:
            self.console.note(f"The /models route belongs to the Azure AI Inference API, retired on "
                              f"{INFERENCE_RETIRED}. Use the v1 API instead: {info.v1_url}")

    def _ask_auth(self) -> None:
        """Step 2: API key or one of the Microsoft Entra ID methods."""
        answers, ask = self.answers, self.session.ask
        answers.auth = ask.select("How should cmdai sign in?", AUTH_OPTIONS, default=answers.auth)
        if answers.auth == "managed-identity":
            answers.client_id = ask.text("Client ID of a user-assigned identity (blank: system-assigned):",
                                         default=answers.client_id or "") or None
        elif answers.auth in ("azure-cli", "default"):
            answers.tenant_id = ask.text("Tenant ID (blank: your default tenant):",
                                         default=answers.tenant_id or "") or None

    def _ask_credentials(self) -> None:
        """Step 3: where the API key comes from; a typed key is never echoed."""
        answers = self.answers
        if answers.auth != "api-key":
            return
        ask = self.session.ask
        saved_key = self.existing.get("backend.api_key")
        command = answers.api_key_command or self.args.api_key_command or self.existing.get("backend.api_key_command")
        in_env = bool(os.environ.get(KEY_VARIABLE))
        options = [Option("Type it now (hidden)", "typed")]
        if saved_key:
            options.insert(0, Option("Keep the key saved in the config file", "saved"))
        options.append(Option(f"Read it from ${KEY_VARIABLE}", "env",
                              None if in_env else "not set in this shell"))
        options.append(Option("Run a command that prints it (password manager, vault)", "command"))
        default = answers.key_source or ("command" if command else "saved" if saved_key else "env" if in_env else "typed")
        answers.key_source = ask.select("Where does the API key come from?", options, default=default)
        if answers.key_source == "saved":
            answers.api_key, answers.save_key = saved_key, True
        elif answers.key_source == "typed":
            answers.api_key = ask.secret("API key:", validate=lambda t: bool(t.strip()) or "the key is empty")
            answers.save_key = ask.confirm("Save the key in the config file (readable only by you)?", default=True)
        elif answers.key_source == "env":
            answers.api_key = os.environ.get(KEY_VARIABLE)
        else:
            answers.api_key_command = ask.text(
                "Command that prints the key:", default=command or "",
                validate=lambda t: bool(t.strip()) or "enter a command, e.g. pass show azure/foundry")

    def _ask_deployment(self) -> None:
        """Managed online endpoints can pin one deployment (the azureml-model-deployment header)."""
        answers = self.answers
        assert answers.info is not None
        if answers.info.kind == MANAGED_ONLINE:
            answers.deployment_name = self.session.ask.text(
                "Deployment to send requests to (blank: the endpoint decides):",
                default=answers.deployment_name or "") or None

    def _ask_second_region(self) -> None:
        """A second Azure region that answers when this one is throttled, failing or unreachable."""
        answers, ask = self.answers, self.session.ask
        assert answers.info is not None
        if not is_azure_host(answers.info):
            return  # Gateways and local servers do their own routing.
        existing = [e for e in self.existing.get("backend.azure.failover") or [] if isinstance(e, dict)]
        if existing:
            self.console.note(f"Failover endpoints already configured: {', '.join(e.get('endpoint', '?') for e in existing)}")
        if not ask.confirm("Add a second region that answers when this one is throttled or down?", default=False):
            return

        def valid(text: str) -> Any:
            try:
                info = self._detect(text.strip())
            except ConfigError as error:
                return error.one_line()
            return info.base_url != answers.info.base_url or "that is the first endpoint"  # type: ignore[union-attr]

        endpoint = ask.text("Endpoint URL of the second region:", validate=valid).strip()
        entry: Dict[str, str] = {"endpoint": endpoint}
        model = ask.text(f"{self.model_noun} name there:", default=answers.model or "").strip()
        if model and model != answers.model:
            entry["model"] = model
        key: Optional[str] = None
        if answers.auth == "api-key":
            # A key belongs to one resource; it is read at run time, never written here.
            source = ask.select("Where does its API key come from?", (
                Option("An environment variable", "env"),
                Option("A command that prints it (password manager, vault)", "command")), default="env")
            if source == "env":
                name = ask.text("Name of the environment variable:", default=f"{KEY_VARIABLE}_2",
                                validate=lambda t: t.strip().replace("_", "a").isalnum() or "letters, digits and _ only")
                entry["api_key_env"] = name.strip()
                key = os.environ.get(entry["api_key_env"])
            else:
                entry["api_key_command"] = ask.text("Command that prints the key:",
                                                    validate=lambda t: bool(t.strip()) or "enter a command")
        answers.failover = [e for e in existing if e.get("endpoint") != endpoint] + [entry]
        if answers.auth == "api-key" and key is None and "api_key_env" in entry:
            self.console.note(f"Export {entry['api_key_env']} before running cmdai; cmdai --doctor checks the second region.")
            return
        test_keys = {**self.test_keys(), "backend.endpoint": endpoint, "backend.model": model or answers.model,
                     "backend.api_key": key, "backend.api_key_command": entry.get("api_key_command"),
                     "backend.azure.api_style": None, "backend.azure.failover": None}
        result = run_test(self.session, BACKEND, test_keys, self._detect(endpoint).base_url,
                          model or answers.model, discover=False)
        if result.error is not None:
            self.console.note("The second region is saved anyway; cmdai --doctor checks it again.")

    # -- what the connection test needs (common.Connectable) --------------------------------

    @property
    def model(self) -> Optional[str]:
        return self.answers.model

    @model.setter
    def model(self, value: Optional[str]) -> None:
        self.answers.model = value

    @property
    def model_noun(self) -> str:
        # Foundry and Azure OpenAI route by the deployment's name; serverless and managed
        # endpoints serve one model under its own name.
        info = self.answers.info
        return "Model" if info is not None and info.kind in (SERVERLESS, MANAGED_ONLINE) else "Deployment"

    def test_keys(self) -> Dict[str, Any]:
        return self.answers.keys(for_test=True)

    def target(self) -> str:
        assert self.answers.info is not None
        return self.answers.info.base_url

    def fix_options(self) -> List[Option]:
        options = []
        if self.answers.auth == "api-key":
            options.append(Option("Enter the API key again", "credentials"))
        options += [Option("Change the endpoint", "endpoint"), Option("Change the sign-in method", "auth")]
        return options

    def apply_fix(self, action: str) -> None:
        if action == "credentials":
            self._ask_credentials()
        elif action == "endpoint":
            self._ask_endpoint()
        elif action == "auth":
            self._ask_auth()
            self._ask_credentials()

    def models_menu(self, result: ProbeResult) -> List[ModelInfo]:
        if self.answers.info is not None and self.answers.info.kind == AZURE_OPENAI:
            # /openai/models lists what the resource may deploy, not its deployments: ask by name.
            self.console.note("Azure OpenAI routes by deployment name (Deployments in the portal).")
            return []
        return result.models
