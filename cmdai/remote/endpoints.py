"""What kind of Azure endpoint a URL names, and the routes, api-version and token scope it uses.

Users paste many shapes: a resource root, a ``/models`` or ``/openai/v1`` base, a full "target
URI" with ``/chat/completions?api-version=…``, trailing slashes, ``/openai/openai``. All of them
reduce to one ``EndpointInfo``, which also carries the one api-version every route of the
endpoint is sent with (configured, else pasted, else the kind's default).
"""
from __future__ import annotations

import re
from typing import Dict, List, NamedTuple, Optional, Tuple
from urllib.parse import parse_qs, quote, urlsplit

from ..errors import ConfigError

MODEL_INFERENCE = "model-inference"
AZURE_OPENAI = "azure-openai"
AZURE_OPENAI_V1 = "azure-openai-v1"
SERVERLESS = "serverless"
MANAGED_ONLINE = "managed-online"
PROJECT = "project"

KINDS = (MODEL_INFERENCE, AZURE_OPENAI, AZURE_OPENAI_V1, SERVERLESS, MANAGED_ONLINE, PROJECT)

COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"
MACHINE_LEARNING_SCOPE = "https://ml.azure.com/.default"
AI_FOUNDRY_SCOPE = "https://ai.azure.com/.default"

#: kind -> (label, default api-version, Entra scope)
_KIND_FACTS: Dict[str, Tuple[str, Optional[str], str]] = {
    MODEL_INFERENCE: ("Azure AI Foundry model inference", "2024-05-01-preview", COGNITIVE_SERVICES_SCOPE),
    AZURE_OPENAI: ("Azure OpenAI deployment", "2024-10-21", COGNITIVE_SERVICES_SCOPE),
    # The v1 API takes no dated api-version; sending one is rejected. Keyless docs since 2026 give
    # the Foundry audience; a 401 naming the audience switches to the Cognitive Services one.
    AZURE_OPENAI_V1: ("OpenAI v1 API (Foundry / Azure OpenAI)", None, AI_FOUNDRY_SCOPE),
    SERVERLESS: ("serverless API (models as a service)", "2024-05-01-preview", MACHINE_LEARNING_SCOPE),
    MANAGED_ONLINE: ("Azure Machine Learning managed online endpoint", "2024-05-01-preview",
                     MACHINE_LEARNING_SCOPE),
    PROJECT: ("Azure AI Foundry project", "v1", AI_FOUNDRY_SCOPE),
}

#: The other audience to try when a token's audience is refused (401).
OTHER_AUDIENCE = {AI_FOUNDRY_SCOPE: COGNITIVE_SERVICES_SCOPE, COGNITIVE_SERVICES_SCOPE: AI_FOUNDRY_SCOPE}
#: The Azure AI Inference API behind /models was retired on this date; v1 replaces it.
INFERENCE_RETIRED = "2026-08-26"

_LOOPBACK_HOSTS = ("localhost", "::1")
_TRAILING_ROUTES = ("/chat/completions", "/completions", "/info", "/models/info", "/score")


class EndpointInfo(NamedTuple):
    """One endpoint, normalised: its kind and how to reach its routes."""

    kind: str
    #: Human text for the setup wizard and ``--doctor``.
    label: str
    #: The root every route of this kind hangs from (no trailing slash, no query).
    base_url: str
    #: scheme://host[:port] of the endpoint.
    origin: str
    #: The api-version sent to every route of this endpoint (None: send none).
    api_version: Optional[str]
    #: Entra ID scope for tokens sent to this kind of endpoint.
    token_scope: str
    #: Deployment named in a pasted ``/openai/deployments/<name>/…`` URI, if any.
    url_deployment: Optional[str] = None
    #: Foundry project name, for ``…/api/projects/<name>`` endpoints.
    project: Optional[str] = None
    #: A bare Foundry resource root: v1 first, the model-inference route when v1 answers 404.
    resource_root: bool = False
    #: Whether the URL named the /models route of an Azure resource explicitly.
    explicit_models_route: bool = False

    @property
    def host(self) -> str:
        return urlsplit(self.origin).hostname or ""

    @property
    def is_loopback(self) -> bool:
        return _is_loopback(self.host)

    def route(self, path: str, **query: str) -> str:
        """The URL of ``path`` under the base URL, with ``query`` and the endpoint's api-version."""
        return with_api_version(self.base_url + path, self.api_version, **query)

    @property
    def v1_url(self) -> str:
        """The OpenAI/v1 base of the same resource, the route Microsoft recommends since 2026."""
        # A gateway's deployment routes hang from its own path; Azure resources serve v1 at the root.
        return (self.base_url if self.kind == AZURE_OPENAI else self.origin) + "/openai/v1"

    @property
    def uses_retired_api(self) -> bool:
        """An Azure resource's /models route: the Azure AI Inference API, retired in 2026."""
        return self.kind == MODEL_INFERENCE and self.explicit_models_route

    @property
    def model_in_body(self) -> bool:
        """Whether the request body's ``model`` picks the deployment (else the URL does)."""
        return self.kind != AZURE_OPENAI

    def chat_urls(self, deployment: Optional[str]) -> List[str]:
        """Chat-completions URLs to try in order (a 404 moves on to the next one)."""
        if self.kind == AZURE_OPENAI:
            if not deployment:
                raise ConfigError(
                    "no deployment configured for the Azure OpenAI endpoint",
                    "set deployment_name (or model) under [backend.azure], or pass -m DEPLOYMENT")
            path = f"/openai/deployments/{quote(deployment, safe='')}/chat/completions"
            return [self.route(path)]
        if self.kind in (SERVERLESS, MANAGED_ONLINE):
            # The OpenAI-style route first; older deployments only serve the model-inference one.
            return [self.base_url + "/v1/chat/completions",
                    self.route("/chat/completions")]
        if self.kind == PROJECT:
            # A project endpoint has no chat route; the resource's v1 API serves its deployments.
            return [self.v1_url + "/chat/completions"]
        if self.resource_root:
            # Older Foundry resources may serve only the model-inference route.
            return [self.base_url + "/chat/completions",
                    with_api_version(self.origin + "/models/chat/completions", default_api_version(MODEL_INFERENCE))]
        return [self.route("/chat/completions")]


def with_api_version(url: str, api_version: Optional[str], **query: str) -> str:
    """``url`` with the ``query`` parameters and then ``api-version`` (when there is one) added."""
    if api_version:
        query = {**query, "api-version": api_version}
    if not query:
        return url
    encoded = "&".join(f"{name}={quote(value, safe='')}" for name, value in query.items())
    return f"{url}{'&' if '?' in url else '?'}{encoded}"


def default_api_version(kind: str) -> Optional[str]:
    """The api-version an endpoint of ``kind`` is sent when none is configured or pasted."""
    return _KIND_FACTS[kind][1]


def _resolve_api_version(kind: str, configured: Optional[str], pasted: Optional[str]) -> Optional[str]:
    """The configured api-version, else the one in a pasted target URI, else the kind's default."""
    if kind == AZURE_OPENAI_V1:
        # Only "v1" and "preview" are valid here; a dated version gets a 400.
        chosen = configured or pasted
        return chosen if chosen in ("v1", "preview") else None
    if kind == PROJECT:
        # A project's own routes (deployments) take "v1"; chat goes to the resource's v1 API.
        return default_api_version(PROJECT)
    return configured or pasted or default_api_version(kind)


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine: an address parsed as loopback (so 127.evil.example.com is
    not), ``localhost`` or a ``*.localhost`` name."""
    import ipaddress

    host = host.strip("[]").lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host in _LOOPBACK_HOSTS or host.endswith(".localhost")
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def require_secure_url(url: str, allow_insecure_http: bool, what: str = "endpoint") -> None:
    """Refuse plain http:// to a non-loopback host: credentials would cross the network in clear."""
    parts = urlsplit(url)
    if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(parts.hostname or ""):
        raise ConfigError(
            f"refusing plain http:// for the {what} {parts.hostname}: credentials would travel unencrypted",
            "use https://, or set allow_insecure_http = true under [backend] if this network is trusted")


def _host_kind(host: str) -> Optional[str]:
    if host.endswith((".openai.azure.com", ".cognitiveservices.azure.com")):
        return AZURE_OPENAI
    if host.endswith(".services.ai.azure.com"):
        return MODEL_INFERENCE
    if host.endswith((".models.ai.azure.com", ".inference.ai.azure.com")):
        return SERVERLESS
    if host.endswith(".inference.ml.azure.com"):
        return MANAGED_ONLINE
    return None


def _normalise_path(path: str) -> str:
    segments = [s for s in path.split("/") if s]
    # Pasting a base onto a base doubles a segment: /openai/openai/…, /models/models.
    collapsed: List[str] = []
    for segment in segments:
        if collapsed and segment.lower() == collapsed[-1].lower() and segment.lower() in ("openai", "models", "v1"):
            continue
        collapsed.append(segment)
    path = "/" + "/".join(collapsed) if collapsed else ""
    stripped = True
    while stripped:
        stripped = False
        for route in _TRAILING_ROUTES:
            if path.lower().endswith(route):
                path = path[: -len(route)]
                stripped = True
    return path


#: What a URL's path names, tried in order: (pattern, kind or None, whether group 2 is a deployment or
#: project). Group 1 is the prefix before the kind's own routes.
_PATH_KINDS: Tuple[Tuple["re.Pattern[str]", Optional[str], bool], ...] = (
    (re.compile(r"^(.*?)/openai/deployments/([^/]+)(?:/.*)?$", re.IGNORECASE), AZURE_OPENAI, True),
    (re.compile(r"^(.*?)/openai/v1(?:/.*)?$", re.IGNORECASE), AZURE_OPENAI_V1, False),
    (re.compile(r"^(.*?)/openai(?:/.*)?$", re.IGNORECASE), AZURE_OPENAI, False),
    (re.compile(r"^(.*?)/api/projects/([^/]+)(?:/.*)?$", re.IGNORECASE), PROJECT, True),
    (re.compile(r"^(.*?)/models$", re.IGNORECASE), MODEL_INFERENCE, False),
    (re.compile(r"^(.*?)/v1$", re.IGNORECASE), None, False),
)


def _path_kind(path: str) -> Tuple[Optional[str], str, Optional[str]]:
    """(kind the path names, path prefix before the kind's own routes, deployment or project)."""
    for pattern, kind, named in _PATH_KINDS:
        match = pattern.match(path)
        if match:
            return kind, match.group(1), match.group(2) if named else None
    return None, path, None


def detect_endpoint(url: str, api_style: Optional[str] = None, *, api_version: Optional[str] = None,
                    allow_insecure_http: bool = False) -> EndpointInfo:
    """Work out the endpoint kind from ``url`` (``api_style`` overrides it) and normalise it;
    ``api_version`` is the configured one, which a pasted target URI's and the kind's default fill in.

    Raises ConfigError for a URL that is not http(s), has no host, or is plain http:// to a
    host other than this machine while ``allow_insecure_http`` is off.
    """
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        raise ConfigError(f"endpoint {text!r} is not a valid https:// URL",
                          "copy the endpoint from the Azure AI Foundry portal, e.g. "
                          "https://my-resource.services.ai.azure.com/models")
    if api_style is not None and api_style not in KINDS:
        raise ConfigError(f"api_style {api_style!r} is not known", f"choose one of: {', '.join(KINDS)}")
    require_secure_url(text, allow_insecure_http)

    host = parts.hostname.lower()
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    origin = f"{parts.scheme.lower()}://{netloc}"
    query = parse_qs(parts.query)
    pasted_api_version = (query.get("api-version") or [None])[0]

    path = _normalise_path(parts.path)
    path_kind, prefix, named = _path_kind(path)
    host_kind = _host_kind(host)
    on_azure = host_kind is not None
    # A bare Foundry resource root speaks the v1 API first (falling back to /models on a 404).
    resource_root = api_style is None and path_kind is None and not prefix and host_kind == MODEL_INFERENCE
    if resource_root:
        host_kind = AZURE_OPENAI_V1
    kind = api_style or path_kind or host_kind or MODEL_INFERENCE

    base = origin + prefix
    deployment = named if path_kind == AZURE_OPENAI else None
    project = named if path_kind == PROJECT else None
    if kind == MODEL_INFERENCE and (path_kind == MODEL_INFERENCE or on_azure):
        # A gateway's path is its own root; an Azure resource serves model inference at /models.
        base += "/models"
    elif kind == AZURE_OPENAI_V1 and (path_kind == AZURE_OPENAI_V1 or on_azure):
        base += "/openai/v1"
    elif kind == PROJECT:
        if not project:
            raise ConfigError(f"endpoint {text!r} names no Foundry project",
                              "use https://<resource>.services.ai.azure.com/api/projects/<project>")
        base += f"/api/projects/{project}"

    label, _, scope = _KIND_FACTS[kind]
    return EndpointInfo(kind=kind, label=label, base_url=base, origin=origin,
                        api_version=_resolve_api_version(kind, api_version, pasted_api_version),
                        token_scope=scope, url_deployment=deployment, project=project,
                        resource_root=resource_root,
                        explicit_models_route=on_azure and path_kind == MODEL_INFERENCE)
