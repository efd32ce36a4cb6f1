"""Fixtures for remote-backend tests: configs for each endpoint kind and chat-completion answers."""
from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional

import pytest

from cmdai.config import Config, load_config

API_KEY = "k3y-0f-the-t3st-resource"

_NETWORK_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
                      "NO_PROXY", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")

#: The machine's own proxy and CA settings, which only a test against a real service uses.
MACHINE_NETWORK = {name: value for name, value in os.environ.items() if name in _NETWORK_VARIABLES}


@pytest.fixture(autouse=True)
def no_network_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proxies or CA bundles of the machine must not change where test requests go."""
    for name in _NETWORK_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def make_config(endpoint: Optional[str] = None, **overrides: Any) -> Config:
    """A validated Config with ``overrides`` given by dotted key, as flags would give them."""
    values: Dict[str, Any] = {"backend.type": "azure-foundry", "backend.api_key": API_KEY,
                              "backend.max_retries": 2}
    if endpoint:
        values["backend.endpoint"] = endpoint
    values.update({key.replace("__", "."): value for key, value in overrides.items()})
    return load_config(overrides=values, environ={})


def completion(content: Any = None, *, finish_reason: str = "stop", usage: Optional[Dict[str, int]] = None,
               model: str = "gpt-4o-2024-08-06") -> Dict[str, Any]:
    """A chat-completions response body whose message content is ``content`` (JSON-encoded if not text)."""
    if content is None:
        content = {"cmd": "ls -la", "explanation": "lists all files"}
    if not isinstance(content, str):
        content = json.dumps(content)
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "model": model,
        "choices": [{"index": 0, "finish_reason": finish_reason,
                     "message": {"role": "assistant", "content": content}}],
        "usage": usage or {"prompt_tokens": 120, "completion_tokens": 14, "total_tokens": 134},
    }


def azure_error(code: str, message: str, **extra: Any) -> Dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}
