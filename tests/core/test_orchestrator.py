"""The orchestrator's fallback rules, response cache and safety verdicts."""
from __future__ import annotations

from typing import Dict, List

import pytest

from cmdai import orchestrator
from cmdai.backends.base import CommandGenerator
from cmdai.values import Generation, GenerationRequest
from cmdai.config import load_config
from cmdai.errors import (AuthenticationError, BackendConfigurationError, BackendTimeoutError,
                          BackendUnavailableError, NoAnswerError, RateLimitError)
from cmdai.safety import Action, Risk


class FakeRemote(CommandGenerator, register=False):
    name = "azure-foundry"
    is_remote = True
    cache_identity = ()

    def __init__(self, config, outcomes: List[object], calls: Dict[str, int]):
        super().__init__(config)
        self.outcomes = outcomes
        self.calls = calls

    def generate(self, request):
        self.calls["remote"] = self.calls.get("remote", 0) + 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class FakeOffline(CommandGenerator, register=False):
    name = "embedded"

    def __init__(self, config, answer, calls):
        super().__init__(config)
        self.answer = answer
        self.calls = calls

    def generate(self, request):
        self.calls["offline"] = self.calls.get("offline", 0) + 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def wire(monkeypatch):
    """wire(remote_outcomes, offline_answer) -> calls counter; replaces backend creation."""

    def install(remote: List[object], offline=Generation("ls", "offline answer", model="offline catalog")):
        calls: Dict[str, int] = {}

        def create(name, config):
            if name == "embedded":
                return FakeOffline(config, offline, calls)
            return FakeRemote(config, remote, calls)

        monkeypatch.setattr(orchestrator, "create_backend", create)
        return calls

    return install


def azure_config(**overrides):
    base = {"backend.type": "azure-foundry"}
    base.update(overrides)
    return load_config(overrides=base)


REQUEST = GenerationRequest("list files", shell="bash", os_name="linux")


def test_remote_answer_is_assessed(wire):
    calls = wire([Generation("ls -la", "lists", model="gpt-4o", usage={"total_tokens": 12})])
    outcome = orchestrator.generate(REQUEST, azure_config())
    assert outcome.command == "ls -la"
    assert outcome.backend == "azure-foundry"
    assert outcome.model == "gpt-4o"
    assert outcome.usage == {"total_tokens": 12}
    assert outcome.assessment.risk is Risk.SAFE
    assert outcome.action is Action.ALLOW
    assert not outcome.fallback_used
    assert outcome.syntax_checked  # parsed (and repaired if need be) before it was offered
    assert calls == {"remote": 1}


@pytest.mark.parametrize("error", [
    BackendUnavailableError("connection refused by res.openai.azure.com"),
    BackendTimeoutError("no answer within 30 s"),
])
def test_connection_class_failures_fall_back_to_offline(wire, error):
    calls = wire([error])
    outcome = orchestrator.generate(REQUEST, azure_config())
    assert outcome.fallback_used
    assert outcome.backend == "embedded"
    assert outcome.command == "ls"
    assert not outcome.syntax_checked  # the offline answer leaves the check to the widget
    assert any(error.message in w and "offline" in w for w in outcome.warnings)
    assert calls == {"remote": 1, "offline": 1}
    assert outcome.to_json()["fallback_used"] is True


@pytest.mark.parametrize("error", [
    AuthenticationError("401: key rejected"),
    BackendConfigurationError("404: deployment not found"),
    RateLimitError("429: rate limited", retry_after=20),
])
def test_auth_and_configuration_errors_are_never_papered_over(wire, error):
    calls = wire([error])
    with pytest.raises(type(error)):
        orchestrator.generate(REQUEST, azure_config())
    assert "offline" not in calls


def test_fallback_can_be_turned_off(wire):
    calls = wire([BackendUnavailableError("refused")])
    with pytest.raises(BackendUnavailableError):
        orchestrator.generate(REQUEST, azure_config(**{"backend.fallback": False}))
    assert "offline" not in calls


def test_original_error_is_reported_when_offline_has_no_answer_either(wire):
    wire([BackendUnavailableError("refused", "check the endpoint")], offline=NoAnswerError("no offline answer"))
    with pytest.raises(BackendUnavailableError) as info:
        orchestrator.generate(REQUEST, azure_config())
    assert info.value.message == "refused"
    assert "offline engine had no answer either" in info.value.hint


def test_embedded_errors_are_raised_as_they_are(wire):
    wire([], offline=NoAnswerError("no offline answer"))
    with pytest.raises(NoAnswerError):
        orchestrator.generate(REQUEST, load_config())


def test_identical_requests_are_answered_from_the_cache(wire):
    calls = wire([Generation("ls -la", "lists", model="m"), Generation("ls -l", "other", model="m")])
    first = orchestrator.generate(REQUEST, azure_config())
    second = orchestrator.generate(REQUEST, azure_config())
    assert calls == {"remote": 1}
    assert not first.cached and second.cached
    assert second.syntax_checked  # kept only after the same shell parsed it
    assert second.command == "ls -la"
    # Another shell, another model or --no-cache asks again.
    orchestrator.generate(GenerationRequest("list files", shell="fish"), azure_config())
    assert calls == {"remote": 2}


def test_no_cache_and_disabled_cache_ask_the_backend(wire):
    calls = wire([Generation("ls", model="m"), Generation("ls", model="m"), Generation("ls", model="m")])
    orchestrator.generate(REQUEST, azure_config())
    orchestrator.generate(REQUEST, azure_config(), use_cache=False)
    assert calls == {"remote": 2}


def test_model_override_is_part_of_the_cache_key(wire):
    calls = wire([Generation("ls", model="a"), Generation("ls", model="b")])
    orchestrator.generate(REQUEST, azure_config())
    orchestrator.generate(GenerationRequest("list files", model="b"), azure_config())
    assert calls == {"remote": 2}


def test_fallback_answers_are_not_cached(wire):
    calls = wire([BackendUnavailableError("refused"), Generation("ls -la", model="m")])
    assert orchestrator.generate(REQUEST, azure_config()).fallback_used
    assert orchestrator.generate(REQUEST, azure_config()).command == "ls -la"
    assert calls["remote"] == 2


def test_dangerous_answer_is_blocked_by_policy(wire):
    wire([Generation("rm -rf /", model="m")])
    outcome = orchestrator.generate(REQUEST, azure_config())
    assert outcome.assessment.risk is Risk.CRITICAL
    assert outcome.blocked
    assert outcome.to_json()["command"] is None
    assert outcome.to_json()["blocked"] is True


def test_safety_level_decides_the_action(wire):
    wire([Generation("git reset --hard", model="m")] * 3)
    strict = orchestrator.generate(REQUEST, azure_config(**{"safety.level": "strict"}), use_cache=False)
    default = orchestrator.generate(REQUEST, azure_config(), use_cache=False)
    permissive = orchestrator.generate(REQUEST, azure_config(**{"safety.level": "permissive"}), use_cache=False)
    assert (strict.action, default.action, permissive.action) == (Action.BLOCK, Action.CONFIRM, Action.ALLOW)
