"""The base class of every chat-completions backend: what a subclass says about its service.

A subclass says where to send requests, how to authenticate and what a refusal means for its
service; the work is done by the rest of ``cmdai/remote``: ``exchange`` (send, adapt, retry, read
the reply), ``request_options`` (what a deployment accepts), ``service_errors`` (what an error
answer says) and ``model_list``. This module stays light at import, with no HTTP library: the
registry reads backend classes without sending anything.
"""
from __future__ import annotations

from abc import abstractmethod
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple

from ..backends.base import CommandGenerator
from ..errors import BackendConfigurationError, CmdaiError
from ..values import Generation, GenerationRequest, HealthCheck, ModelInfo
from .credentials import Credentials
from .request_options import RequestOptions, options_for
from .service_errors import ServiceError, redact

if TYPE_CHECKING:
    import requests

    from .transport import Transport


class ChatCompletionsBackend(CommandGenerator):
    """A backend that speaks the chat-completions protocol over HTTP."""

    is_remote = True
    can_refine = True
    #: The service as messages name it.
    service = "the server"

    def __init__(self, config: Any):
        super().__init__(config)
        self._transport: Optional["Transport"] = None
        self._credentials: Optional[Credentials] = None
        self._deadline: Optional[float] = None

    # -- what a subclass says about its service ----------------------------------------------

    @abstractmethod
    def chat_urls(self, model: Optional[str]) -> List[str]:
        """Chat-completions URLs to try in order; a 404 moves on to the next."""

    @abstractmethod
    def endpoint_id(self) -> str:
        """The endpoint, for cache keys and messages (never a secret)."""

    def make_credentials(self) -> Credentials:
        return Credentials()

    def model_in_body(self) -> bool:
        return True

    def extra_headers(self, model: Optional[str]) -> Dict[str, str]:
        return {}

    @abstractmethod
    def fetch_models(self, deadline: float) -> List[ModelInfo]:
        """Ask the service which models it offers (uncached)."""

    def not_found_hint(self, error: ServiceError, model: Optional[str]) -> str:
        return f"check the URL and the model name{f' ({model})' if model else ''}"

    def bad_request_hint(self, error: ServiceError, model: Optional[str]) -> str:
        return "check the model name and the endpoint's API style"

    def unauthorized_hint(self, credentials: Credentials) -> str:
        return "check the API key"

    def forbidden_hint(self, credentials: Credentials) -> str:
        return "check that the key may use this model"

    def auth_problem(self, status: int, error: ServiceError, response: "requests.Response",
                     credentials: Credentials, model: Optional[str]) -> Optional[Tuple[str, str]]:
        """A service-specific (what went wrong, fix) for a 401/403, or None for the general one."""
        return None

    def require_model(self) -> bool:
        """Whether a request needs a model name to be routed."""
        return True

    def only_model(self) -> Optional[str]:
        """The model to use when none is configured (one the service alone offers), or None."""
        return None

    def endpoint_checks(self) -> Iterator[HealthCheck]:
        """--doctor advice about the endpoint's route, before anything is sent."""
        return iter(())

    def remember_success(self, url: str) -> None:
        """A request to ``url`` succeeded: a subclass may remember what made it work."""

    def credentials_after_unauthorized(self, response: "requests.Response",
                                       credentials: Credentials) -> Optional[Credentials]:
        """Other credentials to try once after a 401 (e.g. a token for another audience), or None."""
        return None

    def _missing_model_error(self) -> CmdaiError:
        return BackendConfigurationError(f"no model configured for {self.name}",
                                         "set model under [backend], or pass -m MODEL (see: cmdai --list-models)")

    # -- shared machinery --------------------------------------------------------------------

    @property
    def transport(self) -> "Transport":
        if self._transport is None:
            from .transport import Transport, TransportSettings

            self._transport = Transport(TransportSettings.from_config(self.config.backend))
        return self._transport

    @property
    def credentials(self) -> Credentials:
        if self._credentials is None:
            self._credentials = self.make_credentials()
        return self._credentials

    def secrets(self) -> List[str]:
        """The credentials' values in use, which no message may show."""
        return self._credentials.secrets() if self._credentials is not None else []

    @contextmanager
    def _redacting(self) -> Iterator[None]:
        """Whatever goes wrong, no secret leaves in an error's message, hint or debug text."""
        try:
            yield
        except CmdaiError as error:
            secrets = self.secrets()
            error.message = redact(error.message, secrets) or ""
            error.hint = redact(error.hint, secrets)
            error.debug = redact(error.debug, secrets)
            error.args = (error.message,)
            raise

    def _invocation_deadline(self) -> float:
        """One deadline for every request of this run: a repair shares the time of the answer it repairs."""
        if self._deadline is None:
            self._deadline = self.transport.deadline()
        return self._deadline

    def options_key(self, model: Optional[str]) -> str:
        """Where what one deployment accepts is remembered (never a secret)."""
        return f"{self.name} {self.endpoint_id()} {model or ''}"

    def request_options(self, model: Optional[str]) -> Tuple[RequestOptions, str]:
        """The options for ``model``, and where its reasoning effort comes from (for --doctor)."""
        return options_for(self.options_key(model), model, self.config.backend.reasoning_effort)

    def _model_for(self, model: Optional[str]) -> Optional[str]:
        return model or self.model or (self.only_model() if self.require_model() else None)

    # -- what every backend offers ---------------------------------------------------------------

    def generate(self, request: GenerationRequest, deadline: Optional[float] = None) -> Generation:
        from .exchange import read_generation
        from .prompting import build_messages
        from .service_errors import support_details

        with self._redacting():
            model = self._model_for(request.model)
            response, url = self._chat(build_messages(request), model, deadline)
            return read_generation(response, url, model, support_details(response, "POST", url, self.secrets()))

    def reply_text(self, messages: List[Dict[str, str]], model: Optional[str] = None) -> Optional[str]:
        """The model's reply to ``messages`` as text (untrusted), for a task other than a command."""
        from .exchange import read_reply
        from .service_errors import support_details

        with self._redacting():
            model = self._model_for(model)
            response, url = self._chat(messages, model)
            return read_reply(response, url, support_details(response, "POST", url, self.secrets()))[1]

    def _chat(self, messages: List[Dict[str, str]], model: Optional[str],
              deadline: Optional[float] = None) -> Tuple["requests.Response", str]:
        from .exchange import post_chat

        if not model and self.require_model():
            raise self._missing_model_error()
        options, _ = self.request_options(model)
        return post_chat(self, messages, model, deadline or self._invocation_deadline(), options,
                         self.options_key(model), bool(self.config.backend.reasoning_effort))

    def get_json(self, url: str, deadline: float, credentials: Optional[Credentials] = None) -> Any:
        """GET ``url`` and return its JSON, or raise an error that names the fix."""
        from .exchange import get_json

        return get_json(self, url, deadline, credentials)

    def list_models(self, refresh: bool = False) -> List[ModelInfo]:
        """The service's models, from a cache renewed daily (or now with ``refresh``)."""
        from .model_list import cached_models, mark_default

        with self._redacting():
            models = cached_models(f"{self.name} {self.endpoint_id()}",
                                   lambda: self.fetch_models(self.transport.deadline()), refresh)
            return mark_default(models, self.model)

    def openai_models(self, url: str, deadline: float) -> List[ModelInfo]:
        """Models from an OpenAI-style ``GET …/models`` list."""
        from .exchange import host_of
        from .model_list import openai_model_list

        models = openai_model_list(self.get_json(url, deadline))
        if models is None:
            raise BackendConfigurationError(f"{host_of(url)} returned no model list at {url}",
                                            "check that the endpoint serves an OpenAI-style /models route")
        return models

    def is_available(self) -> bool:
        try:
            self.chat_urls(self.model)
        except CmdaiError:
            return False
        return bool(self.model) or not self.require_model()

    def check_connection(self) -> None:
        self.generate(GenerationRequest(text="show the current directory"))

    def health_checks(self) -> Iterator[HealthCheck]:
        from .health import remote_health_checks

        with self._redacting():
            yield from remote_health_checks(self)
