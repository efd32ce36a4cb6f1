"""Tab completion of cmdai's options: the candidates, and real zsh, bash and fish pressing Tab."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Dict

import pexpect
import pytest

from cmdai.completions import cached_models, complete

PROMPT = "READY> "
DUMP_KEY = "\x18\x02"  # Ctrl-X Ctrl-B: writes the line buffer to a file
WAIT = 15
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
    return [candidate.value for candidate in complete(words)]


# --------------------------------------------------------------------------------- candidates


def test_long_options_come_from_the_parser_with_their_help():
    found = dict(complete(["--s"]))
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
    (["-s", ""], ["bash", "zsh", "fish", "sh"]),
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


def rc_text(shell: str, init: Path, dump: Path) -> str:
    if shell == "zsh":
        return (f"PS1='{PROMPT}'\nunsetopt prompt_sp\nbindkey -e\nautoload -Uz compinit && compinit -u -D\n"
                f"source '{init}'\n"
                f"_test_dump() {{ print -rn -- \"$BUFFER\" >| '{dump}.part' && command mv '{dump}.part' '{dump}'; }}\n"
                "zle -N _test_dump\nbindkey '^X^B' _test_dump\n")
    if shell == "bash":
        return (f"PS1='{PROMPT}'\nset -o emacs\nsource '{init}'\n"
                f"_test_dump() {{ printf '%s' \"$READLINE_LINE\" > '{dump}.part' && command mv '{dump}.part' '{dump}'; }}\n"
                "bind -x '\"\\C-x\\C-b\": _test_dump'\n")
    return ("function fish_greeting; end\nfunction fish_prompt; printf '%s' '" + PROMPT + "'; end\n"
            "set -g fish_autosuggestion_enabled 0\n"
            f"source '{init}'\n"
            "function _test_dump\n"
            f"    commandline | string collect > '{dump}.part'; command mv '{dump}.part' '{dump}'\n"
            "end\nbind \\cx\\cb _test_dump\n")


class Shell:
    """An interactive shell in a pseudo-terminal with `cmdai --init` loaded, completions included."""

    def __init__(self, shell: str, home: Path, init_script: str):
        self.dump = home / f"dump-{shell}"
        init = home / f"init.{shell}"
        init.write_text(init_script, encoding="utf-8")
        rc = rc_text(shell, init, self.dump)
        env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", LC_ALL="C.UTF-8", HISTFILE=str(home / "history"))
        if shell == "zsh":
            (home / "zdotdir").mkdir(exist_ok=True)
            (home / "zdotdir" / ".zshrc").write_text(rc, encoding="utf-8")
            env["ZDOTDIR"] = str(home / "zdotdir")
            argv = ["--no-globalrcs", "-i"]
        elif shell == "bash":
            (home / "bashrc").write_text(rc, encoding="utf-8")
            argv = ["--noprofile", "--rcfile", str(home / "bashrc"), "-i"]
        else:
            config = Path(env["XDG_CONFIG_HOME"]) / "fish" / "config.fish"
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text(rc, encoding="utf-8")
            argv = ["-i"]
        self.child = pexpect.spawn(shutil.which(shell), argv, env=env, cwd=str(home), encoding="utf-8",
                                   dimensions=(40, 200), timeout=WAIT)
        self.child.expect_exact(PROMPT)

    def line(self) -> str:
        if self.dump.exists():
            self.dump.unlink()
        self.child.send(DUMP_KEY)
        deadline = time.monotonic() + WAIT
        while not self.dump.exists():
            assert time.monotonic() < deadline, "the shell never ran the dump key"
            time.sleep(0.02)
        return self.dump.read_text(encoding="utf-8")

    def tab(self, typed: str, expected: str) -> None:
        """Type, press Tab, and wait until the line is ``expected``; then clear the line."""
        self.child.send(typed + "\t")
        deadline = time.monotonic() + WAIT
        line = self.line()
        while line.rstrip() != expected.rstrip() and time.monotonic() < deadline:
            time.sleep(0.1)
            line = self.line()
        assert line.rstrip() == expected.rstrip(), f"typed {typed!r} + Tab, got {line!r}"
        self.child.send("\x05\x15")  # end of line, then kill it
        deadline = time.monotonic() + WAIT
        while self.line() and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture
def open_shell(tmp_path: Path, run_cmdai):
    shells = []

    def open_(name: str) -> Shell:
        if shutil.which(name) is None:
            pytest.skip(f"{name} is not installed")
        init = run_cmdai("--init", name)
        assert init.returncode == 0, init.stderr
        shells.append(Shell(name, tmp_path, init.stdout))
        return shells[-1]

    yield open_
    for shell in shells:
        shell.child.close(force=True)


@pytest.mark.parametrize("name", ["zsh", "bash", "fish"])
def test_tab_completes_options_and_their_values_in_each_shell(name, open_shell, model_cache):
    shell = open_shell(name)
    shell.tab("cmdai --sa", "cmdai --safety ")
    shell.tab("cmdai --safety p", "cmdai --safety permissive ")
    shell.tab("cmdai -b az", "cmdai -b azure-foundry ")
    shell.tab("cmdai --init fi", "cmdai --init fish ")
    shell.tab("cmdai -s z", "cmdai -s zsh ")
    shell.tab("cmdai -m gp", "cmdai -m gpt-4o-mini ")
    shell.tab("cmdai list files --no-c", "cmdai list files --no-cache ")
    shell.tab("cmdai --safety=st", "cmdai --safety=strict ")
    shell.tab("cmdai -m llama3.2:", "cmdai -m llama3.2:3b ")
