"""Where the command will run: the target shell and the operating system."""
from __future__ import annotations

import os
import sys

from . import shells

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional


def _parent_program() -> Optional[str]:
    try:
        with open(f"/proc/{os.getppid()}/comm", encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return None


def detect_shell() -> str:
    """The shell cmdai was started from, else the login shell ($SHELL), else bash."""
    for candidate in (_parent_program(), os.environ.get("SHELL")):
        shell = shells.named_by(candidate) if candidate else None
        if shell is not None:
            return shell.name
    return "bash"


def detect_os() -> str:
    """"linux", "macos", or the platform name for anything else."""
    if sys.platform.startswith("linux"):
        return "linux"
    if sys.platform == "darwin":
        return "macos"
    return sys.platform
