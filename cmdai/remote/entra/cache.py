"""Access tokens kept on disk between runs, so the hotkey does not wait for az or IMDS every time.

Only access tokens are stored (never refresh tokens), one private file per key (see disk_store).
A file that does not hold a non-empty token and a finite expiry is a miss, never "Bearer None".
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Optional

from ...disk_store import KeyedFolder, cache_dir, finite_number
from .tokens import AccessToken


def default_directory() -> str:
    return cache_dir("tokens")


def _valid_entry(entry: Any) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("access_token"), str) and bool(entry["access_token"])
            and finite_number(entry.get("expires_on")))


class TokenCache:
    """A directory of ``<method>-<hash>.json`` files, each holding one access token and its expiry."""

    def __init__(self, directory: Optional[Path] = None):
        self._files = KeyedFolder(directory if directory is not None else default_directory(), _valid_entry)

    @staticmethod
    def key(method: str, *parts: Optional[str]) -> str:
        """A file-name-safe key; tenant, scope and client ids are hashed, not written in the name."""
        digest = hashlib.sha256(json.dumps([method, *parts]).encode()).hexdigest()[:32]
        return f"{method}-{digest}"

    def path_for(self, key: str) -> str:
        return self._files.path_for(key)

    def load(self, key: str) -> Optional[AccessToken]:
        """The stored token, or None when there is none or the file is unreadable or malformed."""
        entry = self._files.get(key)
        return AccessToken(entry["access_token"], float(entry["expires_on"])) if entry is not None else None

    def store(self, key: str, token: AccessToken) -> None:
        """Write the token atomically with mode 0600; a cache that cannot be written is skipped."""
        self._files.put(key, {"access_token": token.token, "expires_on": token.expires_on})

    def discard(self, key: str) -> None:
        self._files.discard(key)
