"""``cmdai --init SHELL``: the Ctrl-G integration script, bound to this installation of cmdai.

The scripts ship inside the package as ``cmdai.shell`` (``shell/`` at the top of a source
checkout). Each names the program it runs on one line; the printed copy names it by absolute
path, so a later change of PATH (a virtualenv, a different pyenv version) cannot break the key
binding. The printed copy also carries the ``[shell] record_requests`` setting, read once here
rather than on every key press: a shell started after a change of the setting picks it up.
"""
from __future__ import annotations

import os
import shlex
import sys
from importlib import resources
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence

from .completions import completion_script
from .errors import UsageError


class ShellScript(NamedTuple):
    """One shipped script and the line in it that names the cmdai program."""

    file_name: str
    #: The line as shipped, naming plain ``cmdai`` (found on PATH when sourced directly).
    command_line: str
    #: Builds the replacement line from the words of the command.
    render: Callable[[Sequence[str]], str]
    #: The line as shipped that says whether requests go into the history (off).
    record_line: str


def _fish_quote(word: str) -> str:
    # fish single quotes know only two escapes: \\ and \'.
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


SCRIPTS: Dict[str, ShellScript] = {
    "zsh": ShellScript("cmdai.zsh", "_cmdai_command=(cmdai)",
                       lambda words: f"_cmdai_command=({shlex.join(words)})",
                       "typeset -gi _cmdai_record_requests=0"),
    "bash": ShellScript("cmdai.bash", "_cmdai_command=(cmdai)",
                        lambda words: f"_cmdai_command=({shlex.join(words)})",
                        "_cmdai_record_requests=0"),
    "fish": ShellScript("cmdai.fish", "set -g __cmdai_command cmdai",
                        lambda words: "set -g __cmdai_command " + " ".join(map(_fish_quote, words)),
                        "set -g __cmdai_record_requests 0"),
}


def cmdai_command() -> List[str]:
    """The words that run this cmdai: its console script, or this Python with ``-m cmdai``."""
    program = sys.argv[0] if sys.argv else ""
    # Run as `python -m cmdai`, argv[0] is the package's __main__.py, not something to exec.
    if program and os.path.basename(program) != "__main__.py":
        path = os.path.abspath(program)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return [path]
    return [os.path.abspath(sys.executable), "-m", "cmdai"]


def shipped_files() -> "resources.abc.Traversable":
    """The directory of the shell scripts: ``cmdai.shell`` when installed, else ``shell/`` in the checkout."""
    try:
        return resources.files("cmdai.shell")
    except ModuleNotFoundError:
        # Run from a source checkout (PYTHONPATH, or an editable install that predates the mapping).
        return Path(__file__).resolve().parent.parent / "shell"


def script_text(shell: str) -> str:
    """The script for ``shell`` exactly as shipped."""
    try:
        script = SCRIPTS[shell]
    except KeyError:
        raise UsageError(f"no shell integration for '{shell}'",
                         "choose one of: " + ", ".join(SCRIPTS)) from None
    return shipped_files().joinpath(script.file_name).read_text(encoding="utf-8")


def init_script(shell: str, record_requests: bool = False) -> str:
    """The integration script for ``shell``, calling cmdai by its absolute path."""
    text = script_text(shell)
    script = SCRIPTS[shell]
    lines = text.splitlines(keepends=True)
    found = set()
    for index, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() == script.command_line:
            lines[index] = indent + script.render(cmdai_command()) + "\n"
            found.add("command")
        elif line.strip() == script.record_line:
            lines[index] = indent + script.record_line[:-1] + ("1" if record_requests else "0") + "\n"
            found.add("record")
    # The shipped scripts always contain both lines; their absence means a broken installation.
    if found != {"command", "record"}:
        raise UsageError(f"the {shell} script of this cmdai installation is damaged",
                         "reinstall cmdai")
    # Tab completion of cmdai's own options comes with the key binding.
    return "".join(lines) + completion_script(shell)


def record_requests_setting(config_path: Optional[str] = None) -> bool:
    """``[shell] record_requests``; off when the configuration cannot be read (the key itself
    reports that problem when pressed)."""
    from .config import load_config
    from .errors import CmdaiError

    try:
        return bool(load_config(config_path).shell.record_requests)
    except CmdaiError:
        return False
