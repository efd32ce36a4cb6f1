"""The chat backend's parts on their own: a light base class, and the protocol loop driving any service."""
from __future__ import annotations

import json
import subprocess
import sys
from typing import Dict, List, Optional

import pytest
import requests

from cmdai.errors import AuthenticationError, BackendConfigurationError
from cmdai.remote.credentials import Credentials
from cmdai.remote.exchange import post_chat, read_generation
from cmdai.remote.request_options import RequestOptions, remembered_options

from .conftest import completion


def test_backend_classes_import_no_http_library():
    # The registry imports backend classes to read what they declare; that must not cost requests/urllib3.
    code = ("import sys, cmdai.backends.azure_foundry, cmdai.backends.ollama, cmdai.backends.openai_compatible; "
            "print(sorted(n for n in sys.modules if n.split('.')[0] in ('requests', 'urllib3') "
            "or n in ('cmdai.remote.transport', 'cmdai.remote.exchange')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def response(status: int, body: object, url: str) -> requests.Response:
    made = requests.Response()
    made.status_code = status
    made._content = json.dumps(body).encode()
    made.url = url
    return made


class ScriptedTransport:
    """Answers each request with the next scripted (status, body) and records what was sent."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent: List[Dict[str, object]] = []

    def request(self, method, url, *, headers, json=None, deadline, retries=None):
        self.sent.append({"method": method, "url": url, "headers": headers, "json": json})
        status, body = self.answers.pop(0)
        return response(status, body, url)


class RenewableKey(Credentials):
    description = "the test key"

    def __init__(self):
        self.key, self.renewed = "old-key-value", 0

    def headers(self) -> Dict[str, str]:
        return {"api-key": self.key}

    def renew_after_unauthorized(self) -> bool:
        self.renewed += 1
        self.key = "new-key-value"
        return True

    def secrets(self) -> List[str]:
        return [self.key]


class FakeService:
    """Any object with these hooks can be driven by the loop; no backend class is needed."""

    name = "fake"

    def __init__(self, answers, urls=("https://a.example/v1/chat/completions", "https://a.example/chat/completions")):
        self.transport = ScriptedTransport(answers)
        self.credentials = RenewableKey()
        self.urls = list(urls)
        self.succeeded: Optional[str] = None

    def secrets(self) -> List[str]:
        return self.credentials.secrets()

    def chat_urls(self, model):
        return self.urls

    def model_in_body(self):
        return True

    def extra_headers(self, model):
        return {"x-test": "1"}

    def credentials_after_unauthorized(self, response, credentials):
        return None

    def remember_success(self, url):
        self.succeeded = url

    def not_found_hint(self, error, model):
        return f"no route for {model}"

    def bad_request_hint(self, error, model):
        return "check the request"

    def unauthorized_hint(self, credentials):
        return "check the test key"

    def forbidden_hint(self, credentials):
        return "ask for access"

    def auth_problem(self, status, error, response, credentials, model):
        return None


MESSAGES = [{"role": "user", "content": "list files"}]
MAX_TOKENS_REFUSED = {"error": {"code": "unsupported_parameter", "param": "max_tokens",
                                "message": "Unsupported parameter: 'max_tokens' is not supported with this model."}}


def test_the_loop_moves_on_after_404_adapts_after_400_and_remembers(isolated_env):
    service = FakeService([(404, {"error": {"code": "404", "message": "Resource not found"}}),
                           (400, MAX_TOKENS_REFUSED), (200, completion())])
    options = RequestOptions()
    answer, url = post_chat(service, MESSAGES, "mystery-model", 1e12, options, "fake key", effort_configured=False)
    sent = service.transport.sent
    assert [s["url"] for s in sent] == [service.urls[0], service.urls[1], service.urls[0]]
    assert "max_tokens" in sent[1]["json"] and "max_completion_tokens" in sent[2]["json"]
    assert "temperature" not in sent[2]["json"]
    assert sent[0]["headers"]["x-test"] == "1" and sent[0]["headers"]["x-ms-client-request-id"]
    assert url == service.urls[0] and service.succeeded == url
    assert remembered_options("fake key").tokens_param == "max_completion_tokens"
    generation = read_generation(answer, url, "mystery-model", "details")
    assert generation.command == "ls -la" and generation.endpoint == "a.example"


def test_the_loop_renews_credentials_once_after_401_then_names_the_fix(isolated_env):
    unauthorized = {"error": {"code": "401", "message": "invalid key new-key-value"}}
    service = FakeService([(401, unauthorized), (401, unauthorized)], urls=["https://a.example/chat"])
    with pytest.raises(AuthenticationError) as caught:
        post_chat(service, MESSAGES, "m", 1e12, RequestOptions(), "fake key", effort_configured=False)
    assert service.credentials.renewed == 1
    assert [s["headers"]["api-key"] for s in service.transport.sent] == ["old-key-value", "new-key-value"]
    assert caught.value.message.startswith("a.example refused the test key (HTTP 401)")
    assert caught.value.hint == "check the test key"
    # The key the service echoed is not repeated in the support details.
    assert "new-key-value" not in caught.value.debug and "****" in caught.value.debug


def test_a_parameter_is_changed_only_once(isolated_env):
    service = FakeService([(400, MAX_TOKENS_REFUSED), (400, MAX_TOKENS_REFUSED)], urls=["https://a.example/chat"])
    with pytest.raises(BackendConfigurationError) as caught:
        post_chat(service, MESSAGES, "m", 1e12, RequestOptions(), "fake key", effort_configured=False)
    assert len(service.transport.sent) == 2
    assert caught.value.hint == "check the request"


def test_no_two_remote_modules_import_each_other_even_for_type_checking():
    import ast
    from pathlib import Path

    import cmdai.remote

    root = Path(cmdai.remote.__file__).parent
    names = {".".join(("cmdai.remote",) + path.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): path
             for path in root.rglob("*.py")}
    graph = {}
    for name, path in names.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                targets.update(f"{module}.{a.name}" if f"{module}.{a.name}" in names else module for a in node.names)
        graph[name] = {t for t in targets if t in names and t != name}

    def reaches(start, goal, seen):
        return any(t == goal or (t not in seen and not seen.add(t) and reaches(t, goal, seen)) for t in graph[start])

    cycles = sorted(f"{a} <-> {b}" for a in graph for b in graph[a] if reaches(b, a, set()))
    assert cycles == []
