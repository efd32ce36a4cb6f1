"""``cmdai --init SHELL``: the Ctrl-G integration script, bound to this installation of cmdai.

The scripts ship inside the package as ``cmdai.shell`` (``shell/`` at the top of a source
checkout); each shell's module in ``cmdai/shells/`` names its files. Each script names the
program it runs on one line; the printed copy names it by absolute path, so a later change of PATH
(a virtualenv, a different pyenv version) cannot break the key binding. The printed copy also carries the ``[shell] record_requests`` setting, read once here
rather than on every key press: a shell started after a change of the setting picks it up.
"""
from __future__ import annotations

import os
import sys

from . import shells
from .errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Sequence


def cmdai_command() -> List[str]:
    """The words that run this cmdai: its console script, or this Python with ``-m cmdai``."""
    program = sys.argv[0] if sys.argv else ""
    # Run as `python -m cmdai`, argv[0] is the package's __main__.py, not something to exec.
    if program and os.path.basename(program) != "__main__.py":
        path = os.path.abspath(program)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return [path]
    return [os.path.abspath(sys.executable), "-m", "cmdai"]


def program_line(shell: str, words: Sequence[str]) -> str:
    """The script's line that makes the key run ``words``."""
    declared = shells.get(shell)
    assert declared.init is not None
    return declared.init.program_line.format(" ".join(declared.quote(word) for word in words))


def init_script(shell: str, record_requests: bool = False) -> str:
    """The integration script for ``shell``, calling cmdai by its absolute path."""
    declared = shells.get(shell)
    text = declared.script_text()  # a usage error for a shell without an integration
    assert declared.init is not None
    shipped_program_line = declared.init.program_line.format("cmdai")
    record_line = declared.init.record_line
    lines = text.splitlines(keepends=True)
    found = set()
    for index, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() == shipped_program_line:
            lines[index] = indent + program_line(shell, cmdai_command()) + "\n"
            found.add("command")
        elif line.strip() == record_line:
            lines[index] = indent + record_line[:-1] + ("1" if record_requests else "0") + "\n"
            found.add("record")
    # The shipped scripts always contain both lines; their absence means a broken installation.
    if found != {"command", "record"}:
        raise UsageError(f"the {shell} script of this cmdai installation is damaged",
                         "reinstall cmdai")
    # Tab completion of cmdai's own options comes with the key binding.
    return "".join(lines) + "\n" + declared.completion_text()


def record_requests_setting(config_path: Optional[str] = None) -> bool:
    """``[shell] record_requests``; off when the configuration cannot be read (the key itself
    reports that problem when pressed)."""
    from .config import load_config
    from .errors import CmdaiError

    try:
        return bool(load_config(config_path).shell.record_requests)
    except CmdaiError:
        return False
