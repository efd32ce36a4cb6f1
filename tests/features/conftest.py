"""A loopback chat-completions server whose answers a test scripts, and cmdai run against it."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest
from werkzeug import Request, Response

API_KEY = "k3y-0f-the-features-t3st"
MODEL = "gpt-4o-mini"


def completion(content: Any) -> Dict[str, Any]:
    if not isinstance(content, str):
        content = json.dumps(content)
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": MODEL,
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}}


class ScriptedModel:
    """Answers chat requests with the replies given, in order (the last one repeats), and keeps the requests."""

    def __init__(self) -> None:
        self.replies: List[Any] = []
        self.requests: List[Dict[str, Any]] = []

    def handle(self, request: Request) -> Response:
        self.requests.append(json.loads(request.get_data(as_text=True)))
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        return Response(json.dumps(completion(reply)), content_type="application/json")

    def user_message(self, index: int = -1) -> str:
        return self.requests[index]["messages"][-1]["content"]


@pytest.fixture
def model(httpserver) -> ScriptedModel:
    scripted = ScriptedModel()
    httpserver.expect_request("/models/chat/completions", method="POST").respond_with_handler(scripted.handle)
    return scripted


@pytest.fixture
def cmdai_model(httpserver, user_config, write_file, run_cmdai, model):
    """cmdai_model(args..., input=..., env=...) runs cmdai against the scripted model."""
    write_file(user_config, '[backend]\ntype = "azure-foundry"\nmax_retries = 0\ntimeout_seconds = 10\n')

    def run(*args: str, input: Optional[str] = None, env: Optional[Dict[str, str]] = None):
        full_env = {"CMDAI_AZURE_FOUNDRY_ENDPOINT": httpserver.url_for("/models"),
                    "CMDAI_AZURE_FOUNDRY_API_KEY": API_KEY, "CMDAI_AZURE_FOUNDRY_MODEL": MODEL}
        full_env.update(env or {})
        return run_cmdai(*args, input=input, env=full_env)

    return run
