"""The embedded backend as the rest of cmdai sees it."""
from __future__ import annotations

import pytest

from cmdai.backends import create_backend
from cmdai.backends.base import GenerationRequest
from cmdai.backends.embedded import MODEL_NAME, EmbeddedBackend
from cmdai.errors import EXIT_NO_COMMAND, NoAnswerError


def test_registry_creates_the_offline_backend() -> None:
    backend = create_backend("embedded", None)
    assert isinstance(backend, EmbeddedBackend)
    assert backend.name == "embedded" and backend.is_remote is False
    assert backend.is_available()
    assert backend.model == MODEL_NAME


def test_generate_returns_command_explanation_and_model() -> None:
    result = EmbeddedBackend(None).generate(GenerationRequest("list all python files"))
    assert result.command == "find . -name '*.py'"
    assert result.model == MODEL_NAME
    assert result.explanation and "*.py" in result.explanation


def test_generate_uses_the_request_shell_and_os() -> None:
    backend = EmbeddedBackend(None)
    assert backend.generate(GenerationRequest("install htop", shell="zsh", os_name="macos")).command == "brew install htop"
    fish = backend.generate(GenerationRequest("stop all containers", shell="fish")).command
    assert fish == "docker stop (docker ps -q)"


@pytest.mark.parametrize("text", ["asdf qwer", "   "])
def test_no_answer_is_an_error_with_a_hint(text: str) -> None:
    with pytest.raises(NoAnswerError) as info:
        EmbeddedBackend(None).generate(GenerationRequest(text))
    assert info.value.exit_code == EXIT_NO_COMMAND
    assert info.value.hint


def test_unknown_request_points_at_azure_setup() -> None:
    with pytest.raises(NoAnswerError) as info:
        EmbeddedBackend(None).generate(GenerationRequest("asdf qwer"))
    assert "cmdai --setup-backend azure-foundry" in info.value.one_line()


def test_ambiguous_request_says_so_and_names_candidates_for_debug() -> None:
    with pytest.raises(NoAnswerError) as info:
        EmbeddedBackend(None).generate(GenerationRequest("show file size"))
    assert "ambiguous" in info.value.message
    assert info.value.debug and "candidates" in info.value.debug


def test_list_models_describes_the_catalog() -> None:
    (model,) = EmbeddedBackend(None).list_models()
    assert model.id == MODEL_NAME and model.is_default
    assert "intents" in (model.description or "")
