"""Access tokens kept on disk between runs, so the hotkey does not wait for az or IMDS every time.

Only access tokens are stored (never refresh tokens), one file per key, readable by the user alone.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional

from .tokens import AccessToken


def default_directory() -> Path:
    from ....paths import user_cache_dir

    return user_cache_dir() / "tokens"


class TokenCache:
    """A directory of ``<method>-<hash>.json`` files, each holding one access token and its expiry."""

    def __init__(self, directory: Optional[Path] = None):
        self.directory = directory if directory is not None else default_directory()

    @staticmethod
    def key(method: str, *parts: Optional[str]) -> str:
        """A file-name-safe key; tenant, scope and client ids are hashed, not written in the name."""
        digest = hashlib.sha256(json.dumps([method, *parts]).encode()).hexdigest()[:32]
        return f"{method}-{digest}"

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def load(self, key: str) -> Optional[AccessToken]:
        """The stored token, or None when there is none or the file is unreadable."""
        try:
            with open(self.path_for(key), encoding="utf-8") as handle:
                data = json.load(handle)
            return AccessToken(str(data["access_token"]), float(data["expires_on"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, key: str, token: AccessToken) -> None:
        """Write the token atomically with mode 0600; a cache that cannot be written is skipped."""
        from ....paths import write_private_json

        try:
            write_private_json(self.path_for(key), {"access_token": token.token, "expires_on": token.expires_on})
        except OSError:
            pass

    def discard(self, key: str) -> None:
        try:
            os.unlink(self.path_for(key))
        except OSError:
            pass
