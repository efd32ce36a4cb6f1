"""Backends behind one interface, created by name; a backend's module loads only when used."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Dict, Tuple

from ..errors import ConfigError

if TYPE_CHECKING:
    from ..config import Config
    from .base import CommandGenerator

#: Backend name -> (module, class). Importing is deferred so the offline path never loads HTTP code.
REGISTRY: Dict[str, Tuple[str, str]] = {
    "azure-foundry": ("cmdai.backends.azure_foundry", "AzureFoundryBackend"),
    "embedded": ("cmdai.backends.embedded", "EmbeddedBackend"),
    "ollama": ("cmdai.backends.ollama", "OllamaBackend"),
    "openai-compatible": ("cmdai.backends.openai_compatible", "OpenAICompatibleBackend"),
}

BACKEND_NAMES = tuple(REGISTRY)


def create_backend(name: str, config: "Config") -> "CommandGenerator":
    """Instantiate the backend registered under ``name``."""
    try:
        module_name, class_name = REGISTRY[name]
    except KeyError:
        raise ConfigError(
            f"unknown backend {name!r}",
            f"choose one of: {', '.join(BACKEND_NAMES)}",
        ) from None
    cls = getattr(import_module(module_name), class_name)
    return cls(config)
