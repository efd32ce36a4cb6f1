"""One deadline for the whole invocation: every connection, token request and helper program ends by it.

The clock starts when cmdai starts. A run of the CLI fixes the deadline at start +
``timeout_seconds`` the first time something asks for it, so connecting, reading, token
acquisition, ``api_key_command``, ``az`` and every retry share one budget. Inside
:func:`enforced` a real-time timer interrupts whatever still blocks when the deadline passes —
a body that trickles, headers sent a byte at a time, a TLS handshake that never ends — so no read
loop has to be trusted to look at the clock.
"""
from __future__ import annotations

import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional



def _process_start() -> float:
    """When this process started, on the monotonic clock: the interpreter's own start-up counts too.

    Linux tells the start time in /proc; elsewhere the first import of cmdai is close enough.
    """
    now = time.monotonic()
    try:
        with open("/proc/self/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        import os

        age = time.clock_gettime(time.CLOCK_BOOTTIME) - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return now
    return now - age if 0 <= age < 5 else now


#: When this process started, on the monotonic clock.
STARTED = _process_start()

_invocation: Optional[float] = None
_invocation_start: Optional[float] = None
_armed: List[float] = []
#: Whether a block already turned the passed deadline into its error (outer blocks then keep quiet).
_reported = False
#: The SIGALRM handler and next alarm of whoever used the timer before the outermost block.
_outer_handler: Any = None
_outer_due: Optional[float] = None


class DeadlinePassed(BaseException):
    """Raised by the timer inside :func:`enforced`.

    A BaseException, so that no library's ``except Exception`` mistakes it for a failure it may
    retry or swallow; :func:`enforced` turns it into the caller's CmdaiError.
    """


def start_invocation(at_process_start: bool = True) -> None:
    """A run of the CLI begins: deadlines count from the start of the process (or from now, for a run
    called as a function) and are fixed at their first use."""
    global _invocation, _invocation_start
    _invocation_start = STARTED if at_process_start else time.monotonic()
    _invocation = None


def end_invocation() -> None:
    global _invocation, _invocation_start
    _invocation = _invocation_start = None


def deadline_for(timeout_seconds: float) -> float:
    """The deadline of the next call: the invocation's, fixed at its first use, or ``timeout_seconds`` from now."""
    global _invocation
    if _invocation_start is None:
        return time.monotonic() + timeout_seconds
    if _invocation is None:
        _invocation = _invocation_start + timeout_seconds
    return _invocation


def current() -> Optional[float]:
    """The invocation's deadline once something fixed it, else None."""
    return _invocation


def remaining(deadline: float) -> float:
    """Seconds left until ``deadline`` (negative when it has passed)."""
    return deadline - time.monotonic()


def _on_alarm(signum: int, frame: Any) -> None:
    global _outer_due
    now = time.monotonic()
    if _armed and not _reported and now >= min(_armed) - 0.005:
        raise DeadlinePassed()
    if _outer_due is not None and now >= _outer_due - 0.005 and callable(_outer_handler):
        # The timer was someone else's first (the widget's ticks and budget): their turn.
        _outer_due = None
        try:
            _outer_handler(signum, frame)
        finally:
            _outer_due = _due_of_timer()
            _arm()
    else:
        _arm()


def _due_of_timer() -> Optional[float]:
    from .interrupts import signal

    left = signal.getitimer(signal.ITIMER_REAL)[0]
    return time.monotonic() + left if left > 0 else None


def _arm() -> None:
    """Set the one real-time timer to the earliest thing waiting for it."""
    from .interrupts import signal

    global _reported
    if not _armed:
        _reported = False
    dues = [due for due in (min(_armed) if _armed and not _reported else None, _outer_due) if due is not None]
    if dues:
        signal.setitimer(signal.ITIMER_REAL, max(0.001, min(dues) - time.monotonic()))
    else:
        # Disarmed, or the deadline passed and an inner block already said so: its error stands.
        signal.setitimer(signal.ITIMER_REAL, 0)


def _can_use_timer() -> bool:
    from .interrupts import signal
    import threading

    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class enforced:
    """``with enforced(deadline, on_timeout):`` runs the block; if it is still running at ``deadline``,
    it is interrupted and ``on_timeout()`` is raised.

    Blocks nest (the earliest deadline wins). Off the main thread, where signals cannot reach,
    only the socket timeouts bound the block; an infinite deadline sets no timer.
    """

    def __init__(self, deadline: float, on_timeout: Callable[[], BaseException]) -> None:
        self.deadline = deadline
        self.on_timeout = on_timeout
        self.timed = False

    def __enter__(self) -> None:
        if self.deadline == float("inf") or not _can_use_timer():
            return
        from .interrupts import signal

        global _outer_handler, _outer_due
        if not _armed:
            # Another user of the timer (the widget) keeps its handler and its next alarm.
            _outer_handler = signal.signal(signal.SIGALRM, _on_alarm)
            _outer_due = _due_of_timer()
        _armed.append(self.deadline)
        self.timed = True
        try:
            if time.monotonic() >= self.deadline:
                raise DeadlinePassed()
            _arm()
        except BaseException as error:
            self.__exit__(type(error), error, error.__traceback__)
            raise

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        global _reported
        try:
            if isinstance(error, DeadlinePassed):
                _reported = True
                raise self.on_timeout() from None
        finally:
            if self.timed:
                self.timed = False
                self._disarm()

    def _disarm(self) -> None:
        from .interrupts import signal

        global _outer_handler
        _armed.remove(self.deadline)
        _arm()
        if not _armed:
            signal.signal(signal.SIGALRM, _outer_handler if _outer_handler is not None else signal.SIG_DFL)
            _outer_handler = None
