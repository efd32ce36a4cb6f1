"""Answers to identical requests, kept for a day so that repeats are instant and cost nothing."""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Iterable, Optional

from . import paths
from .backends.base import Generation

_PRUNE_ABOVE = 500


class ResponseCache:
    """A directory of small JSON files, one per request key, each written atomically."""

    def __init__(self, ttl_hours: float, directory: Optional[Path] = None):
        self.ttl_seconds = ttl_hours * 3600
        self.directory = directory or paths.user_cache_dir() / "responses"

    @staticmethod
    def key(parts: Iterable[Optional[str]]) -> str:
        joined = "\x1f".join(part or "" for part in parts)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()

    def get(self, key: str) -> Optional[Generation]:
        path = self.directory / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if time.time() - float(entry["created"]) > self.ttl_seconds:
                return None
            return Generation(command=entry["command"], explanation=entry.get("explanation"),
                              model=entry.get("model"), usage=None,
                              alternatives=[Generation(command=other["command"], explanation=other.get("explanation"),
                                                       model=entry.get("model"))
                                            for other in entry.get("alternatives", [])])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, generation: Generation) -> None:
        entry = {"created": time.time(), "command": generation.command,
                 "explanation": generation.explanation, "model": generation.model,
                 "alternatives": [{"command": other.command, "explanation": other.explanation}
                                  for other in generation.alternatives]}
        try:
            paths.write_private_json(self.directory / f"{key}.json", entry)
            self._prune()
        except OSError:
            pass  # A cache that cannot be written only costs speed.

    def _prune(self) -> None:
        entries = list(self.directory.glob("*.json"))
        if len(entries) <= _PRUNE_ABOVE:
            return
        cutoff = time.time() - self.ttl_seconds
        by_age = sorted(entries, key=lambda path: path.stat().st_mtime, reverse=True)
        for index, path in enumerate(by_age):
            try:
                if index >= _PRUNE_ABOVE or path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass
