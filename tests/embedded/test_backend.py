"""The embedded backend as the rest of cmdai sees it."""
from __future__ import annotations

import pytest

from cmdai.backends import create_backend
from cmdai.values import GenerationRequest
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


def _config(environ, backend="embedded"):
    from cmdai.config import load_config

    return load_config(None, {"backend.type": backend}, environ=environ)


@pytest.mark.parametrize("environ, named", [
    ({"CMDAI_AZURE_FOUNDRY_ENDPOINT": "https://res.services.ai.azure.com/models"}, "azure-foundry"),
])
def test_declining_with_a_model_configured_points_to_that_model(environ, named) -> None:
    with pytest.raises(NoAnswerError) as info:
        EmbeddedBackend(_config(environ)).generate(GenerationRequest("compose a haiku about my cat"))
    assert "Azure" not in info.value.hint and "setup" not in info.value.hint
    assert f"cmdai -b {named}" in info.value.hint


def test_declining_with_a_local_model_configured_in_the_file(user_config, write_file) -> None:
    write_file(user_config, '[backend]\ntype = "embedded"\n\n[backend.ollama]\nmodel = "qwen2.5-coder:7b"\n')
    with pytest.raises(NoAnswerError) as info:
        EmbeddedBackend(_config({})).generate(GenerationRequest("asdf qwer"))
    assert "Azure" not in info.value.hint and "cmdai -b ollama" in info.value.hint


def test_declining_with_nothing_configured_suggests_setting_up_a_model() -> None:
    for config in (None, _config({})):
        with pytest.raises(NoAnswerError) as info:
            EmbeddedBackend(config).generate(GenerationRequest("compose a haiku about my cat"))
        assert "--setup-backend azure-foundry" in info.value.hint


def test_cli_decline_message_fits_a_configured_model(run_cmdai) -> None:
    env = {"CMDAI_AZURE_FOUNDRY_ENDPOINT": "https://res.services.ai.azure.com/models"}
    result = run_cmdai("-b", "embedded", "compose a haiku about my cat", env=env)
    assert result.returncode == EXIT_NO_COMMAND
    assert "configure Azure" not in result.stderr and "cmdai -b azure-foundry" in result.stderr
    bare = run_cmdai("compose a haiku about my cat")
    assert "configure Azure AI Foundry" in bare.stderr
