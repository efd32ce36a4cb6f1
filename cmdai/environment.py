"""Where the command will run: the target shell and the operating system."""
from __future__ import annotations

import os
import sys
from typing import Optional

SHELLS = ("bash", "zsh", "fish", "sh")
# Shells cmdai does not target, mapped to the syntax they accept.
_SHELL_ALIASES = {"dash": "sh", "ash": "sh", "ksh": "sh", "mksh": "sh", "busybox": "sh"}


def _shell_name(program: str) -> Optional[str]:
    name = os.path.basename(program.strip()).lstrip("-")
    name = _SHELL_ALIASES.get(name, name)
    return name if name in SHELLS else None


def _parent_program() -> Optional[str]:
    try:
        with open(f"/proc/{os.getppid()}/comm", encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return None


def detect_shell() -> str:
    """The shell cmdai was started from, else the login shell ($SHELL), else bash."""
    for candidate in (_parent_program(), os.environ.get("SHELL")):
        if candidate:
            name = _shell_name(candidate)
            if name:
                return name
    return "bash"


def detect_os() -> str:
    """"linux", "macos", or the platform name for anything else."""
    if sys.platform.startswith("linux"):
        return "linux"
    if sys.platform == "darwin":
        return "macos"
    return sys.platform
