"""Which shell's syntax to write, and for which OS."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cmdai import environment


@pytest.mark.parametrize("parent, login, expected", [
    ("zsh\n", "/bin/bash", "zsh"),
    ("-bash\n", None, "bash"),
    ("fish\n", "/bin/zsh", "fish"),
    ("dash\n", None, "sh"),
    ("python3\n", "/usr/bin/fish", "fish"),   # started from a program: the login shell decides
    ("make\n", "/bin/ksh", "sh"),
    (None, "/opt/homebrew/bin/zsh", "zsh"),
    ("make\n", "/usr/bin/tcsh", "bash"),      # nothing cmdai writes for: bash
    (None, None, "bash"),
])
def test_detect_shell(monkeypatch, parent, login, expected):
    monkeypatch.setattr(environment, "_parent_program", lambda: parent)
    if login is None:
        monkeypatch.delenv("SHELL", raising=False)
    else:
        monkeypatch.setenv("SHELL", login)
    assert environment.detect_shell() == expected


@pytest.mark.parametrize("platform, expected", [("linux", "linux"), ("darwin", "macos"), ("freebsd14", "freebsd14")])
def test_detect_os(monkeypatch, platform, expected):
    monkeypatch.setattr(environment.sys, "platform", platform)
    assert environment.detect_os() == expected


def test_the_parent_shell_is_found_for_real():
    # "; true" keeps bash from replacing itself with python, so bash stays the parent.
    script = f"{sys.executable} -c 'from cmdai import environment; print(environment.detect_shell())'; true"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            env={**os.environ, "SHELL": "/usr/bin/fish"})
    assert result.stdout.strip() == "bash"
