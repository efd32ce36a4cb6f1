"""cmdai with auth = "azure-cli" against a loopback Foundry endpoint that checks bearer tokens."""
from __future__ import annotations

import json
import re
from typing import List, Set

import pytest
from werkzeug.wrappers import Request, Response

COMMAND = "ls -la"


class BearerEndpoint:
    """A model-inference endpoint that accepts only the tokens in ``accepted``."""

    def __init__(self) -> None:
        self.accepted: Set[str] = set()
        self.seen: List[str] = []

    def handle(self, request: Request) -> Response:
        token = (request.headers.get("Authorization") or "").replace("Bearer ", "", 1)
        self.seen.append(token)
        if request.headers.get("api-key"):
            return _json(400, {"error": {"code": "BadRequest", "message": "api-key sent with an Entra token"}})
        if token not in self.accepted:
            return _json(401, {"error": {"code": "PermissionDenied",
                                         "message": "Principal does not have access to API/Operation."}})
        if request.path.endswith("/chat/completions"):
            content = json.dumps({"command": COMMAND, "explanation": "list all files"})
            return _json(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o-mini",
                               "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": content}}]})
        return _json(404, {"error": {"code": "404", "message": "Resource not found"}})


def _json(status: int, body: object) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


@pytest.fixture
def endpoint(httpserver, user_config, write_file) -> BearerEndpoint:
    served = BearerEndpoint()
    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(served.handle)
    write_file(user_config, f"""
[backend]
type = "azure-foundry"
endpoint = "{httpserver.url_for('/models')}"
model = "gpt-4o-mini"
fallback = false

[backend.azure]
auth = "azure-cli"
""")
    return served


def test_backend_retries_once_with_a_new_token_after_a_401(fake_az, endpoint, httpserver):
    from cmdai.backends import create_backend
    from cmdai.values import GenerationRequest
    from cmdai.config import load_config

    config = load_config(overrides={"backend.type": "azure-foundry", "backend.endpoint": httpserver.url_for("/models"),
                                    "backend.model": "gpt-4o-mini", "backend.azure.auth": "azure-cli"}, environ={})
    endpoint.accepted = {fake_az.token_of_call(1)}
    assert create_backend("azure-foundry", config).generate(GenerationRequest("list all files")).command == COMMAND

    endpoint.accepted = {fake_az.token_of_call(2)}
    generation = create_backend("azure-foundry", config).generate(GenerationRequest("list all files"))

    assert generation.command == COMMAND
    assert endpoint.seen == [fake_az.token_of_call(1), fake_az.token_of_call(1), fake_az.token_of_call(2)]
    assert len(fake_az.calls()) == 2


def test_revoked_cached_token_is_replaced_after_one_401(fake_az, endpoint, run_cmdai):
    endpoint.accepted = {fake_az.token_of_call(1)}
    first = run_cmdai("--no-cache", "list all files")
    assert (first.returncode, first.stdout) == (0, COMMAND + "\n"), first.stderr

    # The cached token stops working (revoked); az now hands out a new one.
    endpoint.accepted = {fake_az.token_of_call(2)}
    second = run_cmdai("--no-cache", "list all files")

    assert (second.returncode, second.stdout) == (0, COMMAND + "\n"), second.stderr
    assert endpoint.seen == [fake_az.token_of_call(1), fake_az.token_of_call(1), fake_az.token_of_call(2)]
    assert len(fake_az.calls()) == 2

    third = run_cmdai("--no-cache", "list all files")
    assert third.returncode == 0
    assert len(fake_az.calls()) == 2, "the new token should have been cached"


def test_fresh_token_refused_is_not_retried_and_names_the_role(fake_az, endpoint, run_cmdai):
    result = run_cmdai("--no-cache", "list all files")

    assert result.returncode == 1
    assert result.stdout == ""
    assert endpoint.seen == [fake_az.token_of_call(1)]
    assert "Cognitive Services OpenAI User" in result.stderr
    assert "eyJ" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_not_signed_in_to_az_is_one_line_with_the_fix(fake_az, endpoint, run_cmdai):
    fake_az.behave(stderr="ERROR: Please run 'az login' to setup account.\n")

    result = run_cmdai("--no-cache", "list all files")

    assert result.returncode == 1
    assert result.stderr.strip() == "cmdai: not signed in to the Azure CLI — run az login"
    assert endpoint.seen == []


def test_default_method_without_the_extra_exits_2(endpoint, run_cmdai, user_config, write_file, tmp_path):
    write_file(user_config, user_config.read_text().replace('auth = "azure-cli"', 'auth = "default"'))
    # sitecustomize runs first in the child: azure-identity then looks uninstalled.
    blocker = tmp_path / "no-azure-identity"
    write_file(blocker / "sitecustomize.py", "import sys\nsys.modules['azure.identity'] = None\n")

    result = run_cmdai("--no-cache", "list all files", env={"PYTHONPATH": str(blocker)})

    assert result.returncode == 2
    assert result.stderr.strip() == ("cmdai: [backend.azure] auth = \"default\" needs the azure-identity package "
                                     "— install it with: pip install 'cmdai-shell[azure]'")
    assert endpoint.seen == []
