"""cmdai --init SHELL: the shipped script, bound to cmdai's absolute path, valid for its shell."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cmdai import shell_integration, shells
from cmdai.errors import UsageError
from cmdai.shell_integration import cmdai_command, init_script

SHELLS = ("zsh", "bash", "fish")
PARSE = {"zsh": ["zsh", "-f", "-n"], "bash": ["bash", "--norc", "-n"], "fish": ["fish", "--no-execute"]}


@pytest.mark.parametrize("shell", SHELLS)
def test_the_printed_script_calls_cmdai_by_absolute_path(shell, run_cmdai):
    result = run_cmdai("--init", shell)

    assert result.returncode == 0, result.stderr
    command_line = next(line for line in result.stdout.splitlines() if "_cmdai_command" in line
                        and ("=(" in line or line.startswith("set -g")))
    program = command_line.split("(", 1)[1].split()[0] if shell != "fish" else command_line.split()[3]
    program = program.strip("')")
    assert Path(program).is_absolute() and Path(program).exists()
    # Everything else is the shipped script, unchanged, then the Tab completion script.
    shipped = shells.get(shell).script_text().splitlines()
    printed = result.stdout.splitlines()
    assert printed[len(shipped):] == ["", *shells.get(shell).completion_text().splitlines()]
    assert [a for a, b in zip(printed, shipped) if a != b] == [command_line]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_printed_script_parses_in_its_shell(shell, tmp_path):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    script = tmp_path / f"init.{shell}"
    script.write_text(init_script(shell), encoding="utf-8")

    result = subprocess.run(PARSE[shell] + [str(script)], capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr


def test_an_unknown_shell_is_a_usage_error():
    with pytest.raises(UsageError) as caught:
        init_script("tcsh")
    assert "zsh" in (caught.value.hint or "")


def test_run_as_a_module_the_script_calls_this_python(monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(Path(shell_integration.__file__).with_name("__main__.py"))])

    assert cmdai_command() == [sys.executable, "-m", "cmdai"]
    assert f"_cmdai_command=({sys.executable} -m cmdai)" in init_script("bash")


@pytest.mark.parametrize("shell", SHELLS)
def test_paths_with_spaces_and_quotes_survive_quoting(shell, tmp_path, monkeypatch):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    program = tmp_path / "it's a dir" / "cmdai"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(program)])
    show = {"zsh": 'print -r -- "${_cmdai_command[1]}"', "bash": 'printf "%s\\n" "${_cmdai_command[0]}"',
            "fish": 'printf "%s\\n" $__cmdai_command[1]'}[shell]
    definition = next(line for line in init_script(shell).splitlines() if "_cmdai_command" in line
                      and ("=(" in line or line.startswith("set -g")))

    result = subprocess.run([shell, "-c", f"{definition}\n{show}"], capture_output=True, text=True, timeout=10)
    assert result.stdout.strip() == str(program)


@pytest.mark.parametrize("shell, plugin, probe", [
    ("zsh", "cmdai.plugin.zsh", "bindkey '^G'"),
    ("fish", "conf.d/cmdai.fish", "bind \\cg"),
])
def test_plugin_manager_entry_points_bind_the_key(shell, plugin, probe, tmp_path):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    path = os.path.join(shells.shipped_files(), plugin)
    argv = [shell, "-f", "-i", "-c"] if shell == "zsh" else [shell, "--no-config", "-i", "-c"]

    result = subprocess.run(argv + [f"source '{path}'; {probe}"], capture_output=True, text=True, timeout=30,
                            # A plugin user has cmdai on PATH: this environment's, activated or not.
                            env=dict(os.environ, HOME=str(tmp_path),
                                     PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"),
                            stdin=subprocess.DEVNULL,
                            start_new_session=True)
    assert "_cmdai_widget" in result.stdout, result.stderr
