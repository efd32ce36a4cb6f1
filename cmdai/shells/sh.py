"""POSIX sh, and the shells cmdai does not target that accept its syntax (dash, ksh, busybox)."""
from __future__ import annotations

from . import Shell, posix_quote

SHELL = Shell(
    name="sh",
    aliases=("dash", "ash", "ksh", "mksh", "busybox"),
    prompt_notes="Use portable POSIX sh syntax: no bashisms such as [[ ]], arrays or <(...).",
    # Which sh runs the command is unknown (dash, busybox, bash in POSIX mode): no check of one of them.
    syntax_check=(),
    quote=posix_quote,
)
