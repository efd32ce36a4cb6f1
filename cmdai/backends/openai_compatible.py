"""Any server that speaks the OpenAI chat-completions API: vLLM, llama.cpp server, LM Studio."""
from __future__ import annotations

from typing import List, Optional
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..settings import Key
from ..values import ModelInfo
from ..remote.chat import ChatCompletionsBackend
from ..remote.credentials import BearerKey, Credentials
from ..remote.endpoints import require_secure_url
from ..remote.service_errors import ServiceError


class OpenAICompatibleBackend(ChatCompletionsBackend):
    """Commands from a self-hosted or local OpenAI-compatible server (``/v1/chat/completions``)."""

    name = "openai-compatible"
    title = "OpenAI-compatible"
    summary = "vLLM, llama.cpp server, LM Studio or any OpenAI-compatible server"
    service = "the OpenAI-compatible server"
    cache_identity = ("base_url",)
    keys = {
        "base_url": Key("url", example='base_url = "http://127.0.0.1:8000/v1"', flag="--endpoint",
                        prompt="OpenAI-compatible server URL", doc="the server, usually ending in /v1"),
        "api_key": Key("str", secret=True, example='api_key = "…"', prompt="API key", doc="key the server expects"),
        "model": Key("str", example='model = "qwen2.5-coder-7b-instruct"', flag="--model", prompt="Model",
                     doc="model name (default: the server's)"),
    }

    def base_url(self) -> str:
        """The URL ``/chat/completions`` and ``/models`` hang from (usually ending in /v1)."""
        url = self.settings.base_url
        if not url:
            raise ConfigError(f"no base_url configured for {self.name}",
                              f'set base_url under [backend.{self.section}], e.g. "http://127.0.0.1:8000/v1"')
        url = url.strip().rstrip("/")
        for route in ("/chat/completions", "/models"):
            if url.endswith(route):
                url = url[: -len(route)]
        # A bare host gets the /v1 every such server uses; any other path is a gateway's own.
        return url + "/v1" if not urlsplit(url).path else url

    def _checked_base_url(self) -> str:
        url = self.base_url()
        if self.settings.api_key:
            require_secure_url(url, self.config.backend.allow_insecure_http, f"{self.name} server")
        return url

    @property
    def model(self) -> Optional[str]:
        return self.settings.model or self.config.backend.model

    def describe(self) -> str:
        try:
            where = self.base_url()
        except ConfigError as error:
            return f"{self.name}: {error.message}"
        return f"{self.name} at {where} (model {self.model or 'server default'})"

    def endpoint_id(self) -> str:
        return self.base_url()

    def require_model(self) -> bool:
        # llama.cpp and LM Studio serve whatever model is loaded.
        return False

    def chat_urls(self, model: Optional[str]) -> List[str]:
        return [self._checked_base_url() + "/chat/completions"]

    def make_credentials(self) -> Credentials:
        key = self.settings.api_key
        return BearerKey(key) if key else Credentials()

    def fetch_models(self, deadline: float) -> List[ModelInfo]:
        return self.openai_models(self._checked_base_url() + "/models", deadline)

    def not_found_hint(self, error: ServiceError, model: Optional[str]) -> str:
        return (f"check base_url under [backend.{self.section}] (it usually ends in /v1) "
                f"and the model name{f' ({model})' if model else ''}; cmdai --list-models shows the server's models")

    def unauthorized_hint(self, credentials: Credentials) -> str:
        return f"set api_key under [backend.{self.section}] to the key the server expects"
