"""Ctrl-C at any moment ends cmdai with "cmdai: interrupted" and exit code 130, never a traceback.

Until the CLI is ready to clean up (while modules load, and after the answer is written) a
SIGINT ends the process at once. While the CLI works, it raises KeyboardInterrupt so that helper
processes are killed and temporary files removed on the way out; a second Ctrl-C ends it at once.
"""
from __future__ import annotations

import os

try:
    # The C core of the standard `signal` module: the same calls and numbers without the enum
    # classes `signal` builds when it is imported, which every key press would pay for.
    import _signal as signal
except ImportError:  # an interpreter without CPython's core module
    import signal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EXIT_INTERRUPTED = 130
MESSAGE = b"cmdai: interrupted\n"


def _exit_now(signum: int, frame: Any) -> None:
    try:
        os.write(2, MESSAGE)
    except OSError:
        pass
    os._exit(EXIT_INTERRUPTED)


def _raise_once(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGINT, _exit_now)
    raise KeyboardInterrupt


def exit_on_interrupt() -> None:
    """SIGINT ends the process at once with the one-line message (nothing to clean up yet)."""
    signal.signal(signal.SIGINT, _exit_now)


def raise_on_interrupt() -> Any:
    """SIGINT raises KeyboardInterrupt once; returns the handler to restore afterwards."""
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, _raise_once)
    return previous


def restore(previous: Any) -> None:
    signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
