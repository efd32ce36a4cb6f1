"""What the Ctrl-G widget receives: the text for the command line and the lines shown below it.

The shell scripts in ``shell/`` run ``cmdai --widget --shell SHELL``; the CLI generates and
vets a command, then hands the outcome to :func:`render_for_widget`. Its ``stdout`` is the text
that replaces the line (the scripts drop trailing newlines, as command substitution does), its
``messages`` are printed one per line on stderr and shown below the prompt.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any, List, Optional

from .errors import EXIT_NO_COMMAND, EXIT_OK
from .records import Record
from .safety import Action, Risk
from .sanitize import one_line, strip_terminal_controls

#: How each shell parses a script without running it, reading the script on stdin. Startup
#: files must not run: bash and zsh are told to skip them, fish runs nothing under --no-execute.
SYNTAX_CHECKERS = {
    "bash": ("bash", "--norc", "--noprofile", "-n"),
    "zsh": ("zsh", "-f", "-n"),
    "fish": ("fish", "--no-execute"),
}
#: A parse is quick; a shell that takes longer than this is stuck, not busy.
SYNTAX_CHECK_TIMEOUT = 2.0


class WidgetOutput(Record):
    """The text for the command line, the messages for stderr and the exit code."""

    __slots__ = ("stdout", "messages", "exit_code")

    def __init__(self, stdout: str, messages: Optional[List[str]] = None, exit_code: int = EXIT_OK):
        self.stdout = stdout
        self.messages: List[str] = [] if messages is None else messages
        self.exit_code = exit_code

    def __eq__(self, other: object) -> bool:
        if type(other) is not WidgetOutput:
            return NotImplemented
        return (self.stdout, self.messages, self.exit_code) == (other.stdout, other.messages, other.exit_code)


def render_for_widget(outcome: Any, shell: str) -> WidgetOutput:
    """Prepare an allowed or to-be-confirmed outcome for the command line of ``shell``.

    A command that needs confirmation arrives disarmed (every line commented out) with a
    warning; a command the shell cannot parse arrives as it is, with a warning naming the error.
    """
    # The core already sanitised the command; the command line is too close to the terminal to
    # rely on that alone.
    command = strip_terminal_controls(outcome.command).strip("\n")
    if not command.strip():
        return WidgetOutput("", ["cmdai: no command was generated — rephrase the request"],
                            EXIT_NO_COMMAND)

    messages: List[str] = []
    assessment = outcome.assessment
    reason = "; ".join(assessment.reasons) or f"{assessment.risk.label} risk"
    text = command
    if outcome.action is Action.CONFIRM:
        text = disarm(command)
        messages.append(f"cmdai: {assessment.risk.label} risk — {reason}; "
                        f"review, then remove '# ' to run")
    elif assessment.risk > Risk.SAFE:
        messages.append(f"cmdai: {assessment.risk.label} risk — {reason}")

    error = syntax_error(command, shell)
    if error:
        messages.append(f"cmdai: not valid {shell} syntax — {error}")
    return WidgetOutput(text, [one_line(message) for message in messages], EXIT_OK)


def disarm(command: str) -> str:
    """Comment out every line, so pressing Enter by mistake runs nothing."""
    return "\n".join(f"# {line}" for line in command.split("\n"))


def syntax_error(command: str, shell: str) -> Optional[str]:
    """The first error ``shell`` reports when parsing ``command``, or None.

    None also when the shell is not installed or does not answer in time: the check is a
    courtesy, and a missing checker must not stop a command from being inserted.
    """
    checker = SYNTAX_CHECKERS.get(shell)
    if checker is None or shutil.which(checker[0]) is None:
        return None
    # BASH_ENV and ENV would make the checking shell read files; the user's rc files are
    # no business of a parse.
    env = {key: value for key, value in os.environ.items() if key not in ("BASH_ENV", "ENV")}
    try:
        result = subprocess.run(checker, input=command + "\n", capture_output=True, text=True,
                                timeout=SYNTAX_CHECK_TIMEOUT, env=env, errors="replace")
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode == 0:
        return None
    for line in result.stderr.splitlines():
        line = line.strip()
        if line:
            # "bash: line 2: syntax error …" reads better without the shell's own name.
            return one_line(line.split(": ", 1)[1] if line.startswith(f"{shell}: ") else line)
    return f"{shell} exited with status {result.returncode}"
