"""What Ctrl-G inserted last in one interactive shell, so that pressing it again cycles alternatives.

One small private file per shell session (the widget passes the shell's PID as ``--session``),
in the user cache dir, holding the commands of the last answer and the text that went into the
line. It holds nothing the answer cache does not, and it expires after a few minutes: a PID
reused later, or a line left for long, starts afresh. A damaged file counts as no memory.
"""
from __future__ import annotations

import json
import os
import time
from . import paths
from .disk_store import write_json
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
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
            saved = float(data["saved"])
            choices = [Choice(str(item["command"]), item.get("explanation")) for item in data["choices"]]
            memory = Memory(choices, int(data["index"]), str(data["inserted"]), saved, str(data.get("request") or ""))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not (0 <= now - saved <= TTL_SECONDS) or not choices or not 0 <= memory.index < len(choices):
            return None
        return memory

    def save(self, memory: Memory) -> None:
        data: Dict[str, Any] = {
            "saved": memory.saved, "index": memory.index, "inserted": memory.inserted, "request": memory.request,
            "choices": [{"command": c.command, "explanation": c.explanation} for c in memory.choices]}
        try:
            write_json(self.path, data)
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
