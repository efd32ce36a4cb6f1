"""What the Ctrl-G widget receives: the text for the command line and the lines shown below it.

The shell scripts in ``shell/`` run ``cmdai --widget --shell SHELL``; the CLI generates and
vets a command, then hands the outcome to :func:`render_for_widget`. Its ``stdout`` is the text
that replaces the line (the scripts drop trailing newlines, as command substitution does), its
``messages`` are printed one per line on stderr and shown below the prompt.
"""
from __future__ import annotations

import os
import sys
import time

from . import shells
from .errors import EXIT_NO_COMMAND, EXIT_OK, BackendTimeoutError
from .interrupts import signal
from .records import Record
from .safety import Action, Risk
from .sanitize import one_line, strip_terminal_controls

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Union
    from .config import Config
    from .values import Alternative, Outcome

#: Set by the bash and fish scripts, whose indicator has a terminal row to itself (zsh keeps it in
#: POSTDISPLAY and counts the seconds there): cmdai redraws that row every second. Only a key
#: press, never a script, draws on the terminal.
TICKS_VARIABLE = "CMDAI_WIDGET_TICKS"
#: Left for the transport beyond the budget, so that the budget's own error (naming its setting)
#: is the one the user sees.
TRANSPORT_GRACE = 1.0


class HotkeyBudgetError(BackendTimeoutError):
    """The key's run used up ``hotkey_timeout_seconds``."""


def hotkey_budget_error(seconds: float) -> HotkeyBudgetError:
    return HotkeyBudgetError(f"no answer within the {seconds:g} s hotkey budget",
                             f"try again, or raise hotkey_timeout_seconds under [shell] (now {seconds:g})")


def indicator(elapsed: int) -> str:
    """The waiting indicator with the seconds spent, in plain ASCII where UTF-8 cannot show."""
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE") or os.environ.get("LANG") or ""
    if "utf8" in locale.lower().replace("-", ""):
        return f"⏳ cmdai {elapsed}s"
    return f"[cmdai {elapsed}s]"


class WidgetRun:
    """One press of the key, from start to exit: the time budget, the seconds shown, no type-ahead.

    The budget and the ticks share one interval timer (SIGALRM): its handler draws the seconds
    and, once the budget is spent, raises :class:`HotkeyBudgetError` wherever the run is waiting,
    so the remote backend gives way to the offline engine (when fallback is on) or to one message.
    On the way out, whatever was typed while cmdai worked is discarded from the terminal's input
    queue: an impatient Enter must never run a command nobody has seen yet.
    """

    current: Optional["WidgetRun"] = None

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.budget: Optional[float] = None
        self.expired = False
        self.ticks = os.environ.get(TICKS_VARIABLE) == "1"
        self.tty: Optional[int] = None
        self.previous_handler: Any = None
        self.previous_ttou: Any = None

    def __enter__(self) -> "WidgetRun":
        try:
            self.tty = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
        except OSError:
            self.tty = None  # no terminal: nothing to draw on and nothing typed ahead
        self.previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        # A shell may run cmdai outside the terminal's foreground process group; drawing and
        # clearing the input queue must not stop it then.
        self.previous_ttou = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        WidgetRun.current = self
        self._arm()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous_handler)
        WidgetRun.current = None
        if self.tty is not None:
            if discard_typeahead(self.tty):
                print("cmdai: keys typed while cmdai was working were discarded — check the line, then press Enter",
                      file=sys.stderr)
            os.close(self.tty)
        signal.signal(signal.SIGTTOU, self.previous_ttou)

    def keep_to(self, budget: float) -> None:
        self.budget = budget
        self._arm()

    def _arm(self) -> None:
        elapsed = time.monotonic() - self.started
        waits = []
        if self.ticks and self.tty is not None:
            waits.append(1.0 - elapsed % 1.0)
        if self.budget is not None and not self.expired:
            waits.append(self.budget - elapsed)
        if waits:
            signal.setitimer(signal.ITIMER_REAL, max(0.01, min(waits)))

    def _on_alarm(self, signum: int, frame: Any) -> None:
        elapsed = time.monotonic() - self.started
        if self.budget is not None and not self.expired and elapsed >= self.budget - 0.005:
            self.expired = True
            self._arm()
            raise hotkey_budget_error(self.budget)
        if self.ticks and self.tty is not None and elapsed >= 1:
            try:
                os.write(self.tty, f"\r\x1b[K{indicator(int(elapsed + 0.005))}".encode())
            except OSError:
                pass
        self._arm()


def keep_to_hotkey_budget(config: "Config") -> None:
    """Make the running key press end within ``[shell] hotkey_timeout_seconds``.

    The budget replaces the CLI's ``timeout_seconds``; the transport gets a little longer, so that
    when the service is slow the budget's error, not the transport's, is the one reported.
    """
    budget = float(config.shell.hotkey_timeout_seconds)
    config.backend = config.backend._replace(timeout_seconds=budget + TRANSPORT_GRACE)
    if WidgetRun.current is not None:
        WidgetRun.current.keep_to(budget)


def discard_typeahead(tty: int) -> bool:
    """Throw away keys waiting in the terminal's input queue; True if there were any."""
    import fcntl
    import termios

    try:
        waiting = int.from_bytes(fcntl.ioctl(tty, termios.FIONREAD, b"\0\0\0\0"), sys.byteorder, signed=True)
        termios.tcflush(tty, termios.TCIFLUSH)
    except OSError:
        return False
    return waiting > 0


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


def render_for_widget(outcome: Union["Outcome", "Alternative"], shell: str,
                      syntax_checked: bool = False) -> WidgetOutput:
    """Prepare an allowed or to-be-confirmed outcome for the command line of ``shell``; ``syntax_checked``
    says the shell has parsed it already (a model's answer is checked before it is offered).

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

    error = None if syntax_checked else shells.syntax_error(command, shell)
    if error:
        messages.append(f"cmdai: not valid {shell} syntax — {error}")
    return WidgetOutput(text, [one_line(message) for message in messages], EXIT_OK)


def disarm(command: str) -> str:
    """Comment out every line, so pressing Enter by mistake runs nothing."""
    return "\n".join(f"# {line}" for line in command.split("\n"))
