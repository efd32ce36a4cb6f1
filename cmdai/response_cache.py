"""Answers to identical requests, kept for a day so that repeats are instant and cost nothing."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any, Iterable, Optional

from .values import Generation
from .disk_store import KeyedFolder, cache_dir, finite_number, optional_text
from .errors import ModelOutputError

_PRUNE_ABOVE = 500


def _valid_command(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("command"), str) and optional_text(entry.get("explanation"))


def _valid_entry(entry: Any) -> bool:
    alternatives = entry.get("alternatives", []) if isinstance(entry, dict) else None
    return (_valid_command(entry) and finite_number(entry.get("created")) and optional_text(entry.get("model"))
            and isinstance(alternatives, list) and all(_valid_command(other) for other in alternatives))


class ResponseCache:
    """One small private JSON file per request key (see disk_store)."""

    def __init__(self, ttl_hours: float, directory: Optional[Path] = None):
        self.ttl_seconds = ttl_hours * 3600
        self.store = KeyedFolder(directory or cache_dir("responses"), _valid_entry)

    @staticmethod
    def key(parts: Iterable[Optional[str]]) -> str:
        joined = "\x1f".join(part or "" for part in parts)
        return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str) -> Optional[Generation]:
        """The cached answer, checked like a fresh one; anything else (expired, malformed) is a miss."""
        from .sanitize import one_line

        entry = self.store.get(key)
        if entry is None or not 0 <= time.time() - entry["created"] <= self.ttl_seconds:
            return None
        answer = _checked(entry, None)
        if answer is None:
            return None
        model = one_line(entry["model"], 200) if entry["model"] else None
        answer.model = model
        # An alternative that would not pass as fresh is left out, as when it was first parsed.
        answer.alternatives = [other for other in (_checked(item, model) for item in entry.get("alternatives", []))
                               if other is not None]
        return answer

    def put(self, key: str, generation: Generation) -> None:
        entry = {"created": time.time(), "command": generation.command,
                 "explanation": generation.explanation, "model": generation.model,
                 "alternatives": [{"command": other.command, "explanation": other.explanation}
                                  for other in generation.alternatives]}
        # A cache that cannot be written only costs speed.
        if self.store.put(key, entry):
            self.store.prune(_PRUNE_ABOVE, time.time() - self.ttl_seconds)


def _checked(entry: Any, model: Optional[str]) -> Optional[Generation]:
    from .remote.parsing import checked_command
    from .sanitize import one_line

    try:
        command = checked_command(entry["command"])
    except ModelOutputError:
        return None
    explanation = one_line(entry["explanation"]) if entry.get("explanation") else None
    return Generation(command=command, explanation=explanation, model=model, usage=None)
