"""Standard streams that cannot crash cmdai: closed descriptors, a full disk, an encoding that does not fit.

A closed descriptor is replaced by /dev/null before anything else opens a file, so no cache or
helper process can land on descriptor 1 or 2 by accident. Writing the answer to a stdout that is
closed or full becomes an OutputError (one line, exit 1); a failing stderr is silenced, never
mixed into stdout.
"""
from __future__ import annotations

import os
import sys

from .errors import OutputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, TextIO, Tuple

_HINT = "check where standard output goes (a closed descriptor, a full disk or a file system error)"


def reopen_on_devnull(fd: int) -> None:
    """Point ``fd`` at /dev/null (the rest of a failed write's buffer then drains there quietly)."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    if null != fd:
        try:
            os.dup2(null, fd)
        except OSError:
            pass
        os.close(null)


class GuardedOutput:
    """stdout: write failures become OutputError; everything else is the wrapped stream's."""

    def __init__(self, inner: Optional[TextIO], closed: bool):
        self._inner = inner
        self._closed = closed or inner is None

    def _fail(self, reason: str) -> OutputError:
        if not self._closed:
            reopen_on_devnull(1)
        self._closed = True
        return OutputError(f"cannot write to standard output: {reason}", _HINT)

    def write(self, text: str) -> int:
        if self._closed or self._inner is None:
            raise self._fail("it is closed")
        try:
            return self._inner.write(text)
        except BrokenPipeError:
            raise
        except UnicodeEncodeError:
            raise OutputError(f"cannot write the answer in this terminal's encoding "
                              f"({getattr(self._inner, 'encoding', '?')})",
                              "use a UTF-8 locale, e.g. export LANG=C.UTF-8") from None
        except OSError as exc:
            raise self._fail(exc.strerror or str(exc)) from None

    def flush(self) -> None:
        if self._closed or self._inner is None:
            return
        try:
            self._inner.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc.strerror or str(exc)) from None

    def isatty(self) -> bool:
        return not self._closed and self._inner is not None and self._inner.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class QuietErrors:
    """stderr: a write that fails (closed, full) is dropped and the stream goes quiet."""

    def __init__(self, inner: Optional[TextIO]):
        self._inner = inner

    def write(self, text: str) -> int:
        if self._inner is None:
            return len(text)
        try:
            return self._inner.write(text)
        except (OSError, ValueError):
            self._inner = None
            reopen_on_devnull(2)
            return len(text)

    def flush(self) -> None:
        if self._inner is not None:
            try:
                self._inner.flush()
            except (OSError, ValueError):
                self._inner = None
                reopen_on_devnull(2)

    def isatty(self) -> bool:
        try:
            return self._inner is not None and self._inner.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def guard_standard_streams() -> Tuple[Any, Any, Any]:
    """Make the three standard streams safe to use; returns the originals for :func:`restore`."""
    originals = (sys.stdin, sys.stdout, sys.stderr)
    closed: List[int] = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                # The lowest free descriptor is this one: it now reads and writes nothing.
                os.open(os.devnull, os.O_RDWR)
            except OSError:
                pass
            closed.append(fd)
    if sys.stdin is None or 0 in closed:
        sys.stdin = open(os.devnull, encoding="utf-8")
    stdout = sys.stdout if isinstance(sys.stdout, GuardedOutput) else GuardedOutput(sys.stdout, 1 in closed)
    sys.stdout = stdout  # type: ignore[assignment]
    if not isinstance(sys.stderr, QuietErrors):
        sys.stderr = QuietErrors(None if 2 in closed else sys.stderr)  # type: ignore[assignment]
    return originals


def finish_output() -> None:
    """Flush stdout now, while a failure can still be reported as one line."""
    sys.stdout.flush()


def restore(originals: Tuple[Any, Any, Any]) -> None:
    """Put back the streams cmdai found; a stream that was closed (None) keeps its safe stand-in."""
    stdin, stdout, stderr = originals
    sys.stdin = stdin if stdin is not None else sys.stdin
    sys.stdout = stdout if stdout is not None else sys.stdout
    sys.stderr = stderr if stderr is not None else sys.stderr
