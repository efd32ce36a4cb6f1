"""Helper programs (``api_key_command``, ``az``) run within the invocation's deadline, in their own
process group, so that the whole group — the shell, a ``sleep``, whatever it started — is killed when
time runs out or cmdai is interrupted, and nothing is left running behind the hotkey.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import Callable, Dict, List, NamedTuple, Optional, Union

from .. import deadline as invocation
from ..errors import CmdaiError

#: A key or a token response is small; more output than this is not one.
MAX_OUTPUT_BYTES = 256 * 1024


class HelperResult(NamedTuple):
    returncode: int
    stdout: bytes
    stderr: bytes
    #: Whether the helper printed more than MAX_OUTPUT_BYTES (the rest was dropped).
    overflowed: bool = False


def run_helper(command: Union[str, List[str]], *, deadline: float, on_timeout: Callable[[], CmdaiError],
               env: Optional[Dict[str, str]] = None) -> HelperResult:
    """Run ``command`` (a shell command line when it is a string) with stdin closed; raise ``on_timeout()``
    when it is still running at ``deadline``. Raises OSError when it cannot be started."""
    process = subprocess.Popen(command, shell=isinstance(command, str), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        with invocation.enforced(deadline, on_timeout):
            return _collect(process, deadline, on_timeout)
    finally:
        _kill_group(process)


def _collect(process: subprocess.Popen, deadline: float, on_timeout: Callable[[], CmdaiError]) -> HelperResult:
    import selectors

    assert process.stdout is not None and process.stderr is not None
    captured = {process.stdout.fileno(): bytearray(), process.stderr.fileno(): bytearray()}
    overflowed = False
    with selectors.DefaultSelector() as selector:
        for stream in (process.stdout, process.stderr):
            selector.register(stream, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise on_timeout()
            for key, _events in selector.select(timeout=left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                buffer = captured[key.fd]
                room = MAX_OUTPUT_BYTES - len(buffer)
                overflowed = overflowed or len(chunk) > room
                buffer += chunk[:max(0, room)]
    while process.poll() is None:
        if time.monotonic() >= deadline:
            raise on_timeout()
        time.sleep(0.005)
    return HelperResult(process.returncode, bytes(captured[process.stdout.fileno()]),
                        bytes(captured[process.stderr.fileno()]), overflowed)


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the helper's process group (also what it left in the background) and reap the helper."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=1.0)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
        pass
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
