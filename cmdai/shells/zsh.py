"""zsh: bash-compatible words; its Ctrl-G widget keeps the indicator in POSTDISPLAY."""
from __future__ import annotations

import os

from . import POSIX_RESERVED_WORDS, InitScript, Shell, posix_quote


def _startup_files() -> tuple:
    return (os.path.join(os.environ.get("ZDOTDIR") or os.path.expanduser("~"), ".zshrc"),)


SHELL = Shell(
    name="zsh",
    aliases=(),
    prompt_notes="Use zsh syntax (bash-compatible constructs are fine).",
    # -f: no startup file is read.
    syntax_check=("zsh", "-f", "-n"),
    # bash's reserved words, zsh's own, its declarations (parsed like keywords) and precommand modifiers.
    command_syntax=POSIX_RESERVED_WORDS | frozenset("end foreach repeat always declare export float integer local "
                                                    "readonly typeset nocorrect noglob builtin command exec -".split()),
    quote=posix_quote,
    init=InitScript(
        file_name="cmdai.zsh",
        program_line="_cmdai_command=({})",
        record_line="typeset -gi _cmdai_record_requests=0",
        completion_file="cmdai.zsh",
        rc_file="~/.zshrc",
        install_line='eval "$(cmdai --init zsh)"',
        startup_files=_startup_files,
        # A plugin manager loads the plugin file rather than the init line.
        enabling_words=("--init zsh", "cmdai.plugin.zsh"),
    ),
)
