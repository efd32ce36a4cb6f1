"""bash: the default target, and the grammar the safety and explain engines parse."""
from __future__ import annotations

import os

from . import POSIX_RESERVED_WORDS, InitScript, Shell, posix_quote


def _startup_files() -> tuple:
    home = os.path.expanduser("~")
    return (os.path.join(home, ".bashrc"), os.path.join(home, ".bash_profile"))


SHELL = Shell(
    name="bash",
    aliases=(),
    prompt_notes="Use bash syntax.",
    syntax_check=("bash", "--norc", "--noprofile", "-n"),
    command_syntax=POSIX_RESERVED_WORDS,
    quote=posix_quote,
    init=InitScript(
        file_name="cmdai.bash",
        program_line="_cmdai_command=({})",
        record_line="_cmdai_record_requests=0",
        completion_file="cmdai.bash",
        rc_file="~/.bashrc",
        install_line='eval "$(cmdai --init bash)"',
        startup_files=_startup_files,
        enabling_words=("--init bash",),
    ),
)
