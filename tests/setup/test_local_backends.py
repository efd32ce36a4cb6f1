"""The setup of the offline engine, Ollama and OpenAI-compatible servers, in a real terminal and with --yes."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from .conftest import DOWN, ENTER, read_toml


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


def test_ollama_lists_models_then_checks_the_chosen_one(spawn_wizard, openai_server, user_config):
    wizard = spawn_wizard("ollama")
    wizard.type("Ollama server URL:", openai_server.url)
    wizard.expect("✓ Connected to .*: 3 models available")
    wizard.expect("Model to use:")
    wizard.expect(r"nomic-embed-text\s+\(cannot chat\)")  # shown, but cannot be picked
    wizard.child.send(DOWN + ENTER)  # from qwen2.5-coder:7b to llama3.2:3b
    wizard.expect("✓ Connected to .*llama3.2:3b answered")
    wizard.accept("Safety level:")
    assert wizard.finish() == 0
    assert openai_server.chat_models() == ["llama3.2:3b"]
    assert read_toml(user_config) == {
        "backend": {"type": "ollama", "ollama": {"base_url": openai_server.url, "model": "llama3.2:3b"}},
        "safety": {"level": "moderate"},
    }
    assert "Endpoint URL" not in wizard.transcript and "API key" not in wizard.transcript


def test_openai_compatible_asks_for_an_optional_key(spawn_wizard, openai_server, user_config):
    openai_server.key = "sk-local-1234"
    wizard = spawn_wizard("openai-compatible")
    wizard.type("OpenAI-compatible server URL:", openai_server.url + "/v1")
    wizard.type("API key (leave empty if the server needs none):", "sk-local-1234")
    wizard.accept("Model to use:")
    wizard.expect("✓ Connected to .*qwen2.5-coder:7b answered")
    wizard.accept("Safety level:")
    assert wizard.finish() == 0
    assert "sk-local-1234" not in wizard.transcript
    table = read_toml(user_config)["backend"]["openai_compatible"]
    assert table == {"base_url": openai_server.url + "/v1", "model": "qwen2.5-coder:7b", "api_key": "sk-local-1234"}
    assert stat.S_IMODE(os.stat(user_config).st_mode) == 0o600


def test_ollama_with_yes(run_cmdai, openai_server, user_config):
    result = run_cmdai("--setup-backend", "ollama", "--yes", "--endpoint", openai_server.url, "-m", "qwen2.5-coder:7b")
    assert result.returncode == 0, result.stderr
    assert openai_server.chat_models() == ["qwen2.5-coder:7b"]
    assert read_toml(user_config)["backend"] == {
        "type": "ollama", "ollama": {"base_url": openai_server.url, "model": "qwen2.5-coder:7b"}}
    result = run_cmdai("--setup-backend", "ollama", "--yes", "--endpoint", openai_server.url)
    assert result.returncode == 2 and "--yes needs --model" in result.stderr


def test_cmdai_config_names_the_file_to_write(run_cmdai, user_config, tmp_path):
    target = tmp_path / "team" / "cmdai.toml"
    result = run_cmdai("--setup-backend", "embedded", "--yes", env={"CMDAI_CONFIG": str(target)})
    assert result.returncode == 0, result.stderr
    assert read_toml(target)["backend"] == {"type": "embedded"}
    assert not user_config.exists()
    assert "--config" not in result.stdout  # cmdai reads CMDAI_CONFIG by itself


def test_an_explicit_config_path_appears_in_the_next_steps(run_cmdai, user_config, tmp_path):
    target = tmp_path / "other.toml"
    result = run_cmdai("--setup-backend", "embedded", "--yes", "--config", str(target))
    assert result.returncode == 0, result.stderr
    assert f'cmdai --config {target} "list all files"' in result.stdout
    assert not user_config.exists()


def test_status_marks_are_coloured_unless_no_color_is_set(spawn_wizard, wizard_env, user_config):
    del wizard_env["NO_COLOR"]
    wizard = spawn_wizard("embedded")
    wizard.accept("Safety level:")
    assert wizard.finish() == 0
    assert "\x1b[32m✓\x1b[0m Created" in wizard.transcript


INSTALL_SH_LINE = ("if [ -x '/home/u/.local/bin/cmdai' ]; then eval \"$('/home/u/.local/bin/cmdai' --init {shell})\"; fi"
                   "  # cmdai shell integration (added by install.sh)\n")


@pytest.mark.parametrize("shell, rc, line", [
    ("zsh", ".zshrc", INSTALL_SH_LINE.format(shell="zsh")),
    ("bash", ".bashrc", INSTALL_SH_LINE.format(shell="bash")),
    ("zsh", ".zshrc", 'eval "$(cmdai --init zsh)"\n'),
    ("fish", ".config/fish/config.fish", "cmdai --init fish | source\n"),
    ("fish", ".config/fish/conf.d/cmdai.fish", "command -q cmdai; and cmdai --init fish | source\n"),
    ("zsh", ".zshrc", "source ~/src/cmdai/shell/cmdai.plugin.zsh\n"),
])
def test_next_steps_do_not_ask_again_for_an_integration_already_there(shell, rc, line, run_cmdai, isolated_env):
    path = Path(isolated_env["HOME"]) / rc
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("alias ll='ls -l'\n" + line, encoding="utf-8")

    result = run_cmdai("--setup-backend", "embedded", "--yes", env={"SHELL": f"/usr/bin/{shell}"})
    assert result.returncode == 0, result.stderr
    assert "already turned on" in result.stdout
    assert "add this line" not in result.stdout and "--init" not in result.stdout


@pytest.mark.parametrize("content", ["", "# eval \"$(cmdai --init zsh)\"\n", 'eval "$(cmdai --init bash)"\n'])
def test_next_steps_still_show_the_line_when_it_is_missing_or_commented_out(content, run_cmdai, isolated_env):
    (Path(isolated_env["HOME"]) / ".zshrc").write_text(content, encoding="utf-8")

    result = run_cmdai("--setup-backend", "embedded", "--yes", env={"SHELL": "/bin/zsh"})
    assert "add this line to ~/.zshrc" in result.stdout and 'eval "$(cmdai --init zsh)"' in result.stdout
