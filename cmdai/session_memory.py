"""What Ctrl-G inserted last in one interactive shell, so that pressing it again cycles alternatives.

One small private file per shell session (the widget passes the shell's PID as ``--session``),
in the user cache dir, holding the commands of the last answer and the text that went into the
line, written with ``marshal`` like cmdai's other start-up caches (the ``json`` module and the
patterns it compiles on import would cost every key press). It holds nothing the answer cache does
not, and it expires after a few minutes: a PID reused later, or a line left for long, starts afresh.
A damaged file, or one that is not private, counts as no memory.
"""
from __future__ import annotations

import os
import time

from . import paths
from .disk_store import optional_text, read_marshal, write_marshal
from .lazy_regex import lazy_regex
from .records import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

    from .disk_store import StrPath

#: How long the commands of one answer stay available for cycling.
TTL_SECONDS = 15 * 60
_SESSION_ID = lazy_regex(r"^[A-Za-z0-9_.-]{1,64}$")
_DIRECTORY = "sessions"


class Choice(Value):
    """One command of the last answer."""

    command: str
    explanation: Optional[str] = None


class Memory(Value):
    """The last answer in one session: its commands, which one is in the line, and that line's text."""

    choices: List[Choice]
    index: int
    inserted: str
    saved: float
    #: The request in plain words that these commands answer ("" for a refinement).
    request: str = ""


def _directory() -> str:
    return os.path.join(paths.user_cache_dir(), _DIRECTORY)


def same_line(line: str, inserted: str) -> bool:
    """Whether the line still holds what cmdai inserted (trailing blanks aside)."""
    return bool(inserted.strip()) and line.rstrip() == inserted.rstrip()


def _memory_from(data: Any) -> Optional[Memory]:
    """The memory a file held, or None when it is not exactly what ``save`` writes."""
    if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
        return None
    choices = []
    for item in data["choices"]:
        if not isinstance(item, dict) or not isinstance(item.get("command"), str) \
                or not optional_text(item.get("explanation")):
            return None
        choices.append(Choice(item["command"], item["explanation"]))
    fields = (data.get("index"), data.get("inserted"), data.get("saved"), data.get("request"))
    if not (type(fields[0]) is int and isinstance(fields[1], str) and type(fields[2]) is float
            and isinstance(fields[3], str)):
        return None
    return Memory(choices, *fields)


class SessionMemory:
    """The memory file of one shell session."""

    def __init__(self, session_id: str, directory: Optional[StrPath] = None):
        self.path = os.path.join(directory or _directory(), f"{session_id}.json")

    @classmethod
    def open(cls, session_id: Optional[str], directory: Optional[StrPath] = None) -> Optional["SessionMemory"]:
        """The memory of ``session_id``, or None when the widget named no usable session."""
        if not session_id or not _SESSION_ID.match(session_id) or session_id.strip(".") == "":
            return None
        return cls(session_id, directory)

    def load(self, now: Optional[float] = None) -> Optional[Memory]:
        now = time.time() if now is None else now
        memory = _memory_from(read_marshal(self.path))
        if memory is None or not (0 <= now - memory.saved <= TTL_SECONDS) or not memory.choices \
                or not 0 <= memory.index < len(memory.choices):
            return None
        return memory

    def save(self, memory: Memory) -> None:
        data: Dict[str, Any] = {
            "saved": memory.saved, "index": memory.index, "inserted": memory.inserted, "request": memory.request,
            "choices": [{"command": c.command, "explanation": c.explanation} for c in memory.choices]}
        try:
            write_marshal(self.path, data)
            self._prune(memory.saved)
        except OSError:
            pass  # Without the memory, the next Ctrl-G is a new request: nothing is lost.

    def forget(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def _prune(self, now: float) -> None:
        """Remove the expired files of shells that have gone."""
        try:
            entries = list(os.scandir(os.path.dirname(self.path)))
        except OSError:
            return
        for entry in entries:
            try:
                if entry.name.endswith(".json") and now - entry.stat().st_mtime > TTL_SECONDS:
                    os.unlink(entry.path)
            except OSError:
                pass
