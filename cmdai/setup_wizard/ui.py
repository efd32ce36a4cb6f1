"""Terminal pieces of the setup wizard: questions, status lines and the progress spinner.

Questions use questionary (arrow-key menus, hidden input for secrets). Ctrl-C inside a
question raises KeyboardInterrupt, so the wizard can stop before anything is written.
"""
from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterator, List, Optional, Sequence, TextIO, Union
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError
from ..terminal import paint

Validator = Callable[[str], Union[bool, str]]


def display_path(path: Path) -> str:
    """``path`` as a person writes it: ~/.config/cmdai/config.toml rather than /home/alex/…."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class Console:
    """Status lines for the person running the setup (stdout, where the questions are)."""

    def __init__(self, stream: Optional[TextIO] = None):
        self.stream = stream or sys.stdout

    def _paint(self, meaning: str, text: str) -> str:
        return paint(text, meaning, self.stream)

    def line(self, text: str = "") -> None:
        print(text, file=self.stream, flush=True)

    def heading(self, text: str) -> None:
        self.line(self._paint("bold", text))

    def note(self, text: str) -> None:
        self.line(self._paint("dim", f"  {text}"))

    def ok(self, text: str) -> None:
        self.line(f"{self._paint('ok', '✓')} {text}")

    def fail(self, text: str) -> None:
        self.line(f"{self._paint('error', '✗')} {text}")

    def command(self, text: str) -> None:
        self.line(f"    {self._paint('command', text)}")


@dataclass(frozen=True)
class Option:
    """One entry of a menu: what the user sees, the value it stands for, and why it is greyed out."""

    title: str
    value: Any
    disabled: Optional[str] = None


class Prompter:
    """Asks questions through questionary; every answer is returned, Ctrl-C raises."""

    def __init__(self) -> None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UsageError("the interactive setup needs a terminal",
                             "for a scripted setup pass --yes with --endpoint, --auth and --model")

    def text(self, message: str, default: str = "", validate: Optional[Validator] = None) -> str:
        import questionary

        answer = questionary.text(message, default=default or "", validate=validate).unsafe_ask()
        return answer.strip()

    def secret(self, message: str, validate: Optional[Validator] = None) -> str:
        import questionary

        # Hidden input: nothing is echoed and nothing reaches the shell's history.
        return questionary.password(message, validate=validate).unsafe_ask().strip()

    def select(self, message: str, options: Sequence[Option], default: Any = None) -> Any:
        import questionary

        choices: List[Any] = [questionary.Choice(o.title, value=o.value, disabled=o.disabled) for o in options]
        enabled = [o.value for o in options if o.disabled is None]
        chosen_default = default if default in enabled else None
        return questionary.select(message, choices=choices, default=chosen_default,
                                  instruction="(arrow keys, Enter)").unsafe_ask()

    def confirm(self, message: str, default: bool = True) -> bool:
        import questionary

        return bool(questionary.confirm(message, default=default).unsafe_ask())


FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


@contextmanager
def spinner(message: str, stream: Optional[TextIO] = None) -> Iterator[None]:
    """Show ``message`` with a spinner on stderr while the body runs.

    With TERM=dumb the message is printed once; without a terminal, not at all (scripts
    read the result line and, on failure, the one error line).
    """
    out = stream or sys.stderr
    if not out.isatty():
        yield
        return
    if os.environ.get("TERM") == "dumb":
        print(f"{message}…", file=out, flush=True)
        yield
        return
    stop = threading.Event()

    def run() -> None:
        index = 0
        while not stop.is_set():
            out.write(f"\r{FRAMES[index % len(FRAMES)]} {message}…")
            out.flush()
            index += 1
            stop.wait(0.08)

    thread = threading.Thread(target=run, name="cmdai-spinner", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        # Erase the spinner line so the result replaces it.
        out.write("\r\033[K")
        out.flush()
