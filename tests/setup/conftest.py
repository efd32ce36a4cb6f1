"""Fixtures for the setup wizard: a loopback Foundry endpoint and the wizard in a real terminal."""
from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pexpect
import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

GOOD_KEY = "key-0123456789abcdef"
WRONG_KEY = "key-wrong-000000"

DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"
CTRL_C = "\x03"


@dataclass
class FoundryEmulator:
    """A Foundry model-inference endpoint on 127.0.0.1: checks the key, answers chat and /info."""

    url: str
    key: str = GOOD_KEY
    model: str = "gpt-4o-mini"
    #: When False, model discovery answers 404 (the connection itself still works).
    discovery: bool = True
    #: Seconds each answer waits, to leave time to press Ctrl-C during the test.
    delay: float = 0.0
    requests: List[Dict[str, object]] = field(default_factory=list)

    def keys_seen(self) -> List[str]:
        return [str(r["api-key"]) for r in self.requests if r["api-key"]]

    def chat_models(self) -> List[str]:
        """The model of each chat request that was let through."""
        return [str(r["model"]) for r in self.requests
                if r["path"].endswith("/chat/completions") and r["accepted"]]

    def handle(self, request: Request) -> Response:
        if self.delay:
            time.sleep(self.delay)
        body = json.loads(request.get_data() or b"{}") if request.method == "POST" else {}
        sent = request.headers.get("api-key") or (request.headers.get("Authorization") or "").replace("Bearer ", "")
        self.requests.append({"method": request.method, "path": request.path, "model": body.get("model"),
                              "api-key": request.headers.get("api-key"),
                              "authorization": request.headers.get("Authorization"), "accepted": sent == self.key})
        if sent != self.key:
            return _json(401, {"error": {"code": "401", "message": (
                "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
                "valid key for an active subscription and use a correct regional API endpoint for your resource.")}})
        path = request.path.rstrip("/")
        if path.endswith("/chat/completions") and request.method == "POST":
            model = body.get("model") or self.model
            content = json.dumps({"command": "ls -la", "explanation": "list all files"})
            return _json(200, {
                "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": model,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": 50, "completion_tokens": 12, "total_tokens": 62},
            })
        if path.endswith("/info"):
            if not self.discovery:
                return _json(404, {"error": {"code": "404", "message": "Resource not found"}})
            return _json(200, {"model_name": self.model, "model_type": "chat-completion",
                               "model_provider_name": "OpenAI"})
        return _json(404, {"error": {"code": "404", "message": "Resource not found"}})


@dataclass
class OpenAIServer:
    """An OpenAI-compatible server (Ollama's /v1, vLLM, LM Studio) on 127.0.0.1: /v1/models and chat."""

    url: str
    #: The bearer key it wants; None accepts any request.
    key: Optional[str] = None
    requests: List[Dict[str, object]] = field(default_factory=list)

    MODELS = [
        {"id": "qwen2.5-coder:7b", "object": "model", "capabilities": {"chat_completion": True}},
        {"id": "llama3.2:3b", "object": "model", "capabilities": {"chat_completion": True}},
        {"id": "nomic-embed-text", "object": "model", "capabilities": {"chat_completion": False, "embeddings": True}},
    ]

    def handle(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"{}") if request.method == "POST" else {}
        self.requests.append({"path": request.path, "model": body.get("model"),
                              "authorization": request.headers.get("Authorization")})
        if self.key is not None and request.headers.get("Authorization") != f"Bearer {self.key}":
            return _json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
        if request.path == "/v1/models":
            return _json(200, {"object": "list", "data": self.MODELS})
        if request.path == "/v1/chat/completions":
            content = json.dumps({"command": "ls -la", "explanation": "list all files"})
            return _json(200, {"id": "1", "object": "chat.completion", "model": body.get("model"),
                               "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": content}}]})
        return _json(404, {"error": {"message": f"no route {request.path}"}})

    def chat_models(self) -> List[str]:
        return [str(r["model"]) for r in self.requests if r["path"] == "/v1/chat/completions"]


def _json(status: int, body: object) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


@pytest.fixture
def loopback_server() -> Iterator[HTTPServer]:
    """An HTTP server of this test's own on 127.0.0.1 (the shared one listens on "localhost")."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def foundry(loopback_server: HTTPServer) -> FoundryEmulator:
    """A Foundry endpoint at http://127.0.0.1:PORT/models."""
    emulator = FoundryEmulator(url=loopback_server.url_for("/models"))
    loopback_server.expect_request(re.compile(r"^/.*")).respond_with_handler(emulator.handle)
    return emulator


@pytest.fixture
def openai_server(loopback_server: HTTPServer) -> OpenAIServer:
    """An OpenAI-compatible server at http://127.0.0.1:PORT (routes under /v1)."""
    emulator = OpenAIServer(url=loopback_server.url_for("/").rstrip("/"))
    loopback_server.expect_request(re.compile(r"^/.*")).respond_with_handler(emulator.handle)
    return emulator


@pytest.fixture
def wizard_env(isolated_env: Dict[str, str]) -> Dict[str, str]:
    """The environment the wizard runs in: isolated home, a terminal prompt_toolkit can drive."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_")}
    env.update(isolated_env)
    env.update({
        "TERM": "xterm",
        "SHELL": "/bin/zsh",
        # Nobody answers cursor-position requests under pexpect; don't wait for one.
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "PYTHONUNBUFFERED": "1",
    })
    return env


class Wizard:
    """The wizard running in a pseudo-terminal, driven the way a person would."""

    def __init__(self, child: pexpect.spawn):
        self.child = child

    def expect(self, pattern: str, timeout: float = 30) -> None:
        self.child.expect(pattern, timeout=timeout)

    def type(self, prompt: str, text: str) -> None:
        """Wait for a text question, type ``text`` (after clearing the default) and press Enter."""
        self.expect(re.escape(prompt))
        # Ctrl-U clears what is left of the line: any default the question filled in.
        self.child.send("\x15" + text + ENTER)

    def accept(self, prompt: str) -> None:
        """Wait for a question and press Enter (take the default or the highlighted entry)."""
        self.expect(re.escape(prompt))
        self.child.send(ENTER)

    def choose(self, prompt: str, moves: int) -> None:
        """Wait for a menu, move ``moves`` entries down (negative: up) and press Enter."""
        self.expect(re.escape(prompt))
        self.child.send((DOWN if moves > 0 else UP) * abs(moves) + ENTER)

    def confirm(self, prompt: str, yes: bool) -> None:
        self.expect(re.escape(prompt))
        self.child.send("y" if yes else "n")

    def interrupt(self) -> None:
        self.child.send(CTRL_C)

    def finish(self, timeout: float = 30) -> int:
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        return self.child.exitstatus

    @property
    def transcript(self) -> str:
        return self.child.logfile_read.getvalue() if self.child.logfile_read else ""


@pytest.fixture
def spawn_wizard(wizard_env: Dict[str, str]):
    """spawn_wizard("azure-foundry", "--config", path, env={...}) -> Wizard in a 40x120 terminal."""
    import io

    children: List[pexpect.spawn] = []

    def spawn(backend: str, *args: str, env: Optional[Dict[str, str]] = None) -> Wizard:
        # The module of this source tree, whatever cmdai script is first on PATH.
        child = pexpect.spawn(sys.executable, ["-m", "cmdai", "--setup-backend", backend, *args],
                              env={**wizard_env, **(env or {})}, dimensions=(40, 120), encoding="utf-8",
                              timeout=30)
        child.logfile_read = io.StringIO()
        children.append(child)
        return Wizard(child)

    yield spawn
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def read_toml(path: Path) -> Dict[str, object]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(path.read_text(encoding="utf-8"))
