"""Ollama, through its OpenAI-compatible ``/v1`` routes."""
from __future__ import annotations

from typing import Optional

from ..errors import ConfigError
from ..settings import Key
from ..remote.service_errors import ServiceError
from ..remote.credentials import Credentials
from .openai_compatible import OpenAICompatibleBackend


class OllamaBackend(OpenAICompatibleBackend):
    """Commands from a model served by Ollama (``ollama serve``)."""

    name = "ollama"
    title = service = "Ollama"
    summary = "a local Ollama server"
    keys = {
        "base_url": Key("url", "http://127.0.0.1:11434", example='base_url = "http://127.0.0.1:11434"',
                        flag="--endpoint", prompt="Ollama server URL", doc="the Ollama server"),
        "model": Key("str", example='model = "qwen2.5-coder:7b"', flag="--model", prompt="Model", required=True,
                     doc="model name (ollama list shows yours)"),
        "api_key": Key("str", secret=True, example='api_key = "…"', doc="key a proxy in front of Ollama expects"),
    }

    def base_url(self) -> str:
        url = (self.settings.base_url or "").strip().rstrip("/")
        if not url:
            raise ConfigError("no base_url configured for ollama",
                              'set base_url under [backend.ollama], e.g. "http://127.0.0.1:11434"')
        # People paste the native API root, the /v1 root or a full route; all lead to /v1.
        for suffix in ("/chat/completions", "/api/chat", "/api", "/v1"):
            if url.endswith(suffix):
                url = url[: -len(suffix)]
        return url + "/v1"

    def require_model(self) -> bool:
        return True

    def _missing_model_error(self) -> ConfigError:
        return ConfigError("no model configured for ollama",
                           'set model under [backend.ollama], e.g. "qwen2.5-coder:7b" (ollama list shows yours)')

    def not_found_hint(self, error: ServiceError, model: Optional[str]) -> str:
        return f"pull the model first: ollama pull {model}" if model else "check base_url under [backend.ollama]"

    def unauthorized_hint(self, credentials: Credentials) -> str:
        return "set api_key under [backend.ollama] to the key your proxy in front of Ollama expects"
