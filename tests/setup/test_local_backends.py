"""The setup of the offline engine, Ollama and OpenAI-compatible servers, in a real terminal and with --yes."""
from __future__ import annotations

import os
import stat

from .conftest import read_toml


def test_embedded_asks_only_the_safety_level(spawn_wizard, user_config):
    wizard = spawn_wizard("embedded")
    wizard.expect("no endpoint, key or model to choose")
    wizard.choose("Safety level:", 1)  # moderate is highlighted; one down is permissive
    wizard.expect("Created")
    assert wizard.finish() == 0
    assert read_toml(user_config) == {"backend": {"type": "embedded"}, "safety": {"level": "permissive"}}
    assert stat.S_IMODE(os.stat(user_config).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(user_config.parent).st_mode) == 0o700
    transcript = wizard.transcript
    assert "Endpoint" not in transcript and "API key" not in transcript
    assert 'cmdai "list all files"' in transcript
    assert 'eval "$(cmdai --init zsh)"' in transcript


def test_embedded_with_yes_takes_the_safety_flag(run_cmdai, user_config):
    result = run_cmdai("--setup-backend", "embedded", "--safety", "strict", "--yes")
    assert result.returncode == 0, result.stderr
    assert read_toml(user_config) == {"backend": {"type": "embedded"}, "safety": {"level": "strict"}}


def test_unknown_backend_and_bad_safety_level_exit_2(run_cmdai, user_config):
    result = run_cmdai("--setup-backend", "gpt-cloud", "--yes")
    assert result.returncode == 2
    assert "cannot set up 'gpt-cloud'" in result.stderr and "azure-foundry" in result.stderr
    result = run_cmdai("--setup-backend", "embedded", "--safety", "lax", "--yes")
    assert result.returncode == 2 and "strict, moderate, permissive" in result.stderr
    assert not user_config.exists()


def test_interactive_setup_without_a_terminal_points_at_yes(run_cmdai, user_config):
    result = run_cmdai("--setup-backend", "embedded")
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "--yes" in result.stderr
    assert not user_config.exists()
