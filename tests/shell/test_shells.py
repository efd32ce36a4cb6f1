"""cmdai/shells/: one file per shell, found without a list; a new shell is one more file.

A toy shell, written as one module in a directory added to the package's path, must reach every
place where shells differ: the --shell choices and Tab completion, detection, the model's prompt,
the syntax check under the line, quoting in the offline engine, and the safety engine's reading
of its syntax with reasons quoted back as the toy writes them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cmdai import environment, shells
from cmdai.backends.embedded.render import quote
from cmdai.remote.prompting import system_prompt
from cmdai.errors import UsageError
from cmdai.widget import render_for_widget

from .test_widget_output import outcome_of

# The toy writes command substitution as @(cmd); its checker rejects an unclosed one.
TOY = textwrap.dedent('''\
    """toy: @(cmd) substitutes a command's output; words are quoted with %…%."""
    import sys

    from cmdai.shells import Shell

    CHECK = ("import sys; text = sys.stdin.read(); "
             "sys.exit('toy: line 1: unclosed @(' if text.count('@(') > text.count(')') else 0)")


    def quote(word, force=False):
        return word if word.isalnum() and not force else "%" + word + "%"


    SHELL = Shell(
        name="toy",
        aliases=("toysh",),
        prompt_notes="Use toy syntax: @(cmd) substitutes a command's output.",
        syntax_check=(sys.executable, "-c", CHECK),
        quote=quote,
        to_bash=lambda text: text.replace("@(", "$("),
        as_written=lambda text, command: text.replace("$(", "@("),
        from_posix=lambda command: command.replace("$(", "@("),
    )
''')

#: Runs cmdai with the toy's directory added to cmdai.shells, as if the file were in the package.
WITH_TOY = ("import sys, cmdai.shells; cmdai.shells.__path__.append(sys.argv.pop(1)); "
            "from cmdai.cli import main; sys.exit(main(sys.argv[1:]))")


@pytest.fixture
def toy(tmp_path, monkeypatch):
    directory = tmp_path / "shells"
    directory.mkdir()
    (directory / "toy.py").write_text(TOY, encoding="utf-8")
    monkeypatch.setattr(shells, "__path__", [*shells.__path__, str(directory)])
    monkeypatch.setattr(shells, "_NAMES", [])
    monkeypatch.setattr(shells, "_LOADED", {})
    yield directory
    sys.modules.pop("cmdai.shells.toy", None)


def run_with_toy(directory: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITH_TOY, str(directory), *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_the_shipped_shells_are_found_without_a_list():
    assert shells.names() == ["bash", "fish", "sh", "zsh"]
    assert [shell.name for shell in shells.integrated()] == ["bash", "fish", "zsh"]
    assert shells.named_by("/usr/bin/dash").name == "sh"
    assert shells.named_by("-zsh").name == "zsh"
    assert shells.named_by("/bin/tcsh") is None
    assert shells.find("tcsh") is None


def test_a_toy_shell_is_one_file(toy, monkeypatch):
    assert "toy" in shells.names()
    assert shells.get("toy").name == "toy"
    # Detection by one of its process names, as the login shell.
    monkeypatch.setattr(environment, "_parent_program", lambda: None)
    monkeypatch.setenv("SHELL", "/usr/local/bin/toysh")
    assert environment.detect_shell() == "toy"
    assert "Target shell: toy. Use toy syntax: @(cmd)" in system_prompt("toy", "linux")
    assert quote("my file", "toy") == "%my file%"


def test_the_toy_checks_its_own_syntax_under_the_line(toy):
    rendered = render_for_widget(outcome_of("echo @(date"), "toy")

    assert rendered.stdout == "echo @(date"
    assert rendered.messages == ["cmdai: not valid toy syntax — line 1: unclosed @("]
    assert render_for_widget(outcome_of("echo @(date)"), "toy").messages == []


def test_the_cli_offers_the_toy_and_judges_it_as_written(toy):
    help_text = run_with_toy(toy, "--help").stdout
    assert "{bash,fish,sh,toy,zsh}" in help_text
    # No Ctrl-G script: --init says so, and does not offer it.
    assert run_with_toy(toy, "--init", "toy").stderr == (
        "cmdai: no shell integration for 'toy' — choose one of: bash, fish, zsh\n")
    assert run_with_toy(toy, "--complete", "--init", "").stdout.split() == ["bash", "fish", "zsh"]
    assert run_with_toy(toy, "--complete", "-s", "t").stdout.split() == ["toy"]

    checked = run_with_toy(toy, "-s", "toy", "--json", "--check", "rm -rf @(find . -name x)")
    verdict = json.loads(checked.stdout)
    # The safety engine read @(…) as a substitution, and says so in the toy's words.
    assert "deletes recursively whatever @(find . -name x) stands for when it runs, which cmdai cannot see" in (
        verdict["reasons"])


def test_a_module_without_its_shell_is_an_error_not_skipped(toy):
    (toy / "broken.py").write_text("NAME = 'broken'\n", encoding="utf-8")
    shells._NAMES.clear()

    with pytest.raises(TypeError, match="must declare SHELL"):
        shells.every()
    sys.modules.pop("cmdai.shells.broken", None)


def test_an_unknown_shell_names_the_choices():
    with pytest.raises(UsageError) as caught:
        shells.get("tcsh")
    assert caught.value.hint == "choose one of: bash, fish, sh, zsh"



def test_a_stuck_checker_is_given_up_and_killed(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    stuck = (sys.executable, "-c", "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); "
                                   "time.sleep(60)", str(pid_file))
    monkeypatch.setitem(shells._LOADED, "stuck", shells.Shell("stuck", (), "", stuck, shells.posix_quote))
    monkeypatch.setattr(shells, "SYNTAX_CHECK_TIMEOUT", 1.0)

    assert shells.syntax_error("ls $HOME", "stuck") is None  # not a plain line: the checker is asked
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # killed and reaped, not left running
