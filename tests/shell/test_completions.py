"""Tab completion of cmdai's options: the candidates, and real zsh, bash and fish pressing Tab."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Dict

import pytest

from cmdai.cli import build_parser
from cmdai.completions import cached_models, complete

from .conftest import WAIT, ShellSession

MODELS = {"azure-foundry https://contoso.example/models": {"fetched": 0, "models": [
    {"id": "gpt-4o-mini", "can_chat": True},
    {"id": "text-embedding-3-large", "can_chat": False},
    {"id": "Phi-4", "can_chat": None},
    {"id": "evil\x1b]0;pwned\x07", "can_chat": True},
    {"id": "two words", "can_chat": True},
    {"id": "$(reboot)", "can_chat": True},
]}, "ollama http://127.0.0.1:11434": {"fetched": 0, "models": [{"id": "llama3.2:3b"}]}}


@pytest.fixture
def model_cache(isolated_env: Dict[str, str]) -> Path:
    cache = Path(isolated_env["XDG_CACHE_HOME"]) / "cmdai" / "models.json"
    cache.parent.mkdir(parents=True)
    cache.write_text(json.dumps(MODELS), encoding="utf-8")
    return cache


def values(words):
    return [candidate.value for candidate in complete(build_parser(), words)]


# --------------------------------------------------------------------------------- candidates


def test_long_options_come_from_the_parser_with_their_help():
    found = dict(complete(build_parser(), ["--s"]))
    assert {"--safety", "--shell", "--setup-backend", "--skip-test"} <= set(found)
    assert "strict" in found["--safety"]
    assert values(["--js"]) == ["--json"]


def test_hidden_options_are_never_offered():
    offered = values(["-"])
    for hidden in ("--widget", "--session", "--complete"):
        assert hidden not in offered
    assert "-b" in offered and "--backend" in offered


@pytest.mark.parametrize("words, expected", [
    (["--safety", ""], ["strict", "moderate", "permissive"]),
    (["--safety", "p"], ["permissive"]),
    (["-b", ""], ["azure-foundry", "embedded", "ollama", "openai-compatible"]),
    (["--setup-backend", "o"], ["ollama", "openai-compatible"]),
    (["-s", ""], ["bash", "fish", "sh", "zsh"]),
    (["--init", "f"], ["fish"]),
    (["--auth", "a"], ["api-key", "azure-cli"]),
    (["--safety=st"], ["--safety=strict"]),
    (["list", "files", "--no-c"], ["--no-cache"]),
])
def test_option_values(words, expected):
    assert values(words) == expected


def test_free_text_and_words_after_a_double_dash_get_nothing():
    assert values(["list", "fi"]) == []
    assert values(["--endpoint", "ht"]) == []
    assert values(["--check", "--", "--sa"]) == []
    assert values(["--json=x"]) == []


def test_models_come_from_the_cache_chat_models_only_and_plain_names_only(model_cache):
    assert cached_models() == ["Phi-4", "gpt-4o-mini", "llama3.2:3b"]
    assert values(["-m", "gp"]) == ["gpt-4o-mini"]
    assert values(["--model", ""]) == ["Phi-4", "gpt-4o-mini", "llama3.2:3b"]


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"k": {"models": "x"}}', '{"k": {"models": [1, {}]}}'])
def test_a_missing_or_damaged_cache_offers_no_models(content, isolated_env):
    assert cached_models() == []
    cache = Path(isolated_env["XDG_CACHE_HOME"]) / "cmdai" / "models.json"
    cache.parent.mkdir(parents=True)
    cache.write_text(content, encoding="utf-8")
    assert cached_models() == []


def test_config_completes_paths(tmp_path, monkeypatch):
    (tmp_path / "configs").mkdir()
    (tmp_path / "config.toml").write_text("")
    (tmp_path / ".hidden.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    assert values(["--config", "con"]) == ["config.toml", "configs/"]
    assert values(["--config", f"{tmp_path}/c"]) == [f"{tmp_path}/config.toml", f"{tmp_path}/configs/"]
    assert values(["--config", "."]) == [".hidden.toml"]


def test_the_cli_prints_value_tab_description(run_cmdai):
    result = run_cmdai("--complete", "--sa")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("--safety\t")
    assert run_cmdai("--complete", "--safety", "m").stdout == "moderate\n"


# ------------------------------------------------------------------------------- real shells


def tab(session: ShellSession, typed: str, expected: str) -> None:
    """Type, press Tab, wait until the line is ``expected``; then clear the line."""
    session.send(typed + "\t")
    deadline = time.monotonic() + WAIT
    line, _ = session.line()
    while line != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        line, _ = session.line()
    assert line == expected, f"typed {typed!r} + Tab, got {line!r}"
    session.send("\x05\x15")  # end of line, then kill it


@pytest.mark.parametrize("name", ["zsh", "bash", "fish"])
def test_tab_completes_options_and_their_values_in_each_shell(name, tmp_path, run_cmdai, model_cache):
    if shutil.which(name) is None:
        pytest.skip(f"{name} is not installed")
    init = run_cmdai("--init", name)
    assert init.returncode == 0, init.stderr
    # zsh completes only after compinit, which a user's .zshrc runs before the init line.
    script = ("autoload -Uz compinit && compinit -u -D\n" if name == "zsh" else "") + init.stdout
    session = ShellSession(name, tmp_path, dict(os.environ), script)
    try:
        tab(session, "cmdai --sa", "cmdai --safety ")
        tab(session, "cmdai --safety p", "cmdai --safety permissive ")
        tab(session, "cmdai -b az", "cmdai -b azure-foundry ")
        tab(session, "cmdai --init fi", "cmdai --init fish ")
        tab(session, "cmdai -s z", "cmdai -s zsh ")
        tab(session, "cmdai -m gp", "cmdai -m gpt-4o-mini ")
        tab(session, "cmdai list files --no-c", "cmdai list files --no-cache ")
        tab(session, "cmdai --safety=st", "cmdai --safety=strict ")
        tab(session, "cmdai -m llama3.2:", "cmdai -m llama3.2:3b ")
    finally:
        session.close()
