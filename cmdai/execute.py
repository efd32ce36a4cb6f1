"""``-x/--execute``: show a generated command and run it only after the user confirms."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from .errors import EXIT_INTERRUPTED, UsageError
from .safety import Risk

if TYPE_CHECKING:
    from .values import Outcome


class _Terminal:
    """The controlling terminal, read and written directly; a tty cannot be opened "r+" in text mode."""

    def __init__(self) -> None:
        self._in = open("/dev/tty", encoding="utf-8")
        try:
            self._out = open("/dev/tty", "w", encoding="utf-8")
        except OSError:
            self._in.close()
            raise

    def write(self, text: str) -> None:
        self._out.write(text)

    def flush(self) -> None:
        self._out.flush()

    def readline(self) -> str:
        return self._in.readline()

    def close(self) -> None:
        self._out.close()
        self._in.close()

    def __enter__(self) -> "_Terminal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_terminal() -> Optional[_Terminal]:
    try:
        return _Terminal()
    except OSError:
        return None


def _ask(prompt: str, terminal: Any) -> str:
    terminal.write(prompt)
    terminal.flush()
    answer = terminal.readline()
    if not answer:
        raise EOFError
    return answer.strip()


def confirm_and_run(outcome: "Outcome", terminal_opener: Callable[[], Optional[Any]] = _open_terminal,
                    parts: Sequence[str] = (), on_run: Optional[Callable[[], None]] = None) -> int:
    """Show the command, what each part does, its risk and explanation; run it in the target shell if confirmed.

    Confirmation is read from the terminal, not stdin, since stdin may have carried the request.
    A critical command needs the word "yes"; anything else needs "y".
    """
    terminal = terminal_opener()
    if terminal is None:
        raise UsageError("-x/--execute needs a terminal to ask for confirmation",
                         "run cmdai without -x and review the command yourself")
    risk = outcome.assessment.risk
    with terminal:
        terminal.write(f"\n  {outcome.command}\n\n")
        if parts:
            terminal.write("".join(f"  {line}\n" for line in parts) + "\n")
        reasons = "; ".join(outcome.assessment.reasons)
        terminal.write(f"  risk: {risk.label}" + (f" — {reasons}" if reasons else "") + "\n")
        if outcome.explanation:
            terminal.write(f"  what it does: {outcome.explanation}\n")
        try:
            if risk is Risk.CRITICAL:
                confirmed = _ask("  This is critical. Type 'yes' to run it: ", terminal) == "yes"
            else:
                confirmed = _ask("  Run it? [y/N] ", terminal).lower() in ("y", "yes")
        except (EOFError, KeyboardInterrupt):
            terminal.write("\n")
            print("cmdai: not run", file=sys.stderr)
            return EXIT_INTERRUPTED
    if not confirmed:
        print("cmdai: not run", file=sys.stderr)
        return 0
    shell = shutil.which(outcome.request.shell) or os.environ.get("SHELL") or "/bin/sh"
    sys.stdout.flush()
    if on_run is not None:
        on_run()
    try:
        return subprocess.call([shell, "-c", outcome.command])
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
