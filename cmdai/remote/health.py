"""The ``--doctor`` checks every remote backend shares: DNS, TLS, credentials, auth, model, round trip."""
from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING, Any, Iterator, List, Optional, Protocol, Tuple
from urllib.parse import urlsplit

from ..errors import AuthenticationError, BackendUnavailableError, CmdaiError, RedirectedError
from ..values import Generation, GenerationRequest, HealthCheck

if TYPE_CHECKING:
    from .credentials import Credentials
    from .request_options import RequestOptions
    from .transport import Transport

#: A request any model can answer with a harmless command.
PROBE_REQUEST = "show the current directory"
_TLS_PROBE_SECONDS = 10.0


class RemoteBackend(Protocol):
    """What the checks ask of a remote backend: where it sends, how it signs in, one real request."""

    #: Its own settings section (the Entra check reads the Azure one).
    settings: Any

    @property
    def model(self) -> Optional[str]: ...

    @property
    def transport(self) -> "Transport": ...

    @property
    def credentials(self) -> "Credentials": ...

    def describe(self) -> str: ...

    def chat_urls(self, model: Optional[str]) -> List[str]: ...

    def endpoint_checks(self) -> Iterator[HealthCheck]: ...

    def generate(self, request: GenerationRequest) -> Generation: ...

    def request_options(self, model: Optional[str]) -> Tuple["RequestOptions", str]: ...


def remote_health_checks(backend: RemoteBackend) -> Iterator[HealthCheck]:
    """Check each layer in the order a person would fix them; stop at the first that fails."""
    import requests

    try:
        url = backend.chat_urls(backend.model)[0]
    except CmdaiError as error:
        yield HealthCheck("endpoint", False, error.message, error.hint)
        return
    yield HealthCheck("backend", True, backend.describe())
    yield from backend.endpoint_checks()

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxy = requests.utils.get_environ_proxies(url).get(parts.scheme)
    lookup, via = host, ""
    if proxy:
        # Through a proxy, the proxy resolves the service's name; we only need to find the proxy.
        lookup = urlsplit(proxy).hostname or proxy
        via = f" (through the proxy {lookup})"
    try:
        address = socket.getaddrinfo(lookup, port, type=socket.SOCK_STREAM)[0][4][0]
    except (socket.gaierror, UnicodeError):
        yield HealthCheck("DNS", False, f"cannot resolve {lookup}",
                          "check the endpoint URL, your DNS, or HTTPS_PROXY if you need a proxy")
        return
    yield HealthCheck("DNS", True, f"{lookup} is {address}{via}")

    if parts.scheme == "https":
        deadline = time.monotonic() + min(_TLS_PROBE_SECONDS, backend.transport.settings.timeout_seconds)
        try:
            backend.transport.request("GET", f"https://{parts.netloc}/", headers={}, deadline=deadline, retries=0)
        except BackendUnavailableError as error:
            yield HealthCheck("TLS", False, error.message, error.hint)
            return
        yield HealthCheck("TLS", True, f"certificate of {host} verified")
    else:
        yield HealthCheck("TLS", True, f"not used: plain http:// to {host}")

    if backend.credentials.uses_entra:
        # Prove the sign-in works now, not just that a cached token is still on disk.
        from .entra import check_credential

        check = check_credential(backend.settings, backend.credentials.scope)
        yield check
        if not check.ok:
            return
    else:
        try:
            sent = backend.credentials.headers()
        except CmdaiError as error:
            yield HealthCheck("credentials", False, error.message, error.hint)
            return
        yield HealthCheck("credentials", True,
                          f"ready, sent in {backend.credentials.description}" if sent else "none configured")

    start = time.monotonic()
    try:
        generation = backend.generate(GenerationRequest(text=PROBE_REQUEST))
    except AuthenticationError as error:
        yield HealthCheck("auth", False, error.message, error.hint)
        return
    except BackendUnavailableError as error:
        yield HealthCheck("connection", False, error.message, error.hint)
        return
    except RedirectedError as error:
        # A redirect says nothing about the credentials: they were never checked.
        yield HealthCheck("endpoint", False, error.message, error.hint)
        return
    except CmdaiError as error:
        yield HealthCheck("auth", True, "credentials accepted")
        yield HealthCheck("model", False, error.message, error.hint)
        yield _effort_check(backend, backend.model)
        return
    elapsed = time.monotonic() - start
    yield HealthCheck("auth", True, "credentials accepted")
    asked = generation.deployment
    if asked and not backend.model:
        via = f"deployment {asked} (the endpoint's only chat deployment; none is configured): "
    else:
        via = f"deployment {asked}: " if asked and asked != generation.model else ""
    yield HealthCheck("model", True, f"{via}{generation.model or 'the default model'} answered: {generation.command}")
    yield _effort_check(backend, asked)
    yield HealthCheck("round trip", True, f"{elapsed * 1000:.0f} ms")


def _effort_check(backend: RemoteBackend, model: Optional[str]) -> HealthCheck:
    """The reasoning effort the next request sends, and where it comes from."""
    options, source = backend.request_options(model)
    effort = (f"{options.reasoning_effort} ({source})" if options.reasoning_effort
              else "not sent (the model does not reason, or takes none)")
    if options.tokens_param == "max_completion_tokens":
        effort += f"; max_completion_tokens {options.max_completion_tokens}"
    return HealthCheck("reasoning effort", True, effort)
