"""Small private JSON stores in the cache directory: the answer cache, request-option memory, model
lists and Entra tokens all keep their entries here.

Every write replaces the file atomically (a reader sees the old file or the new one) with mode 0600
inside directories created 0700; a store holding many entries in one file is updated under a lock,
so two hotkeys at once lose nothing. Every read is checked: an entry of the wrong shape or with a
time that is not a finite number is a miss, and the next write replaces it. A store that cannot be
read or written costs only speed: reads miss, writes are skipped.
"""
from __future__ import annotations

import json
import math
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional

from .paths import ensure_private_dir

#: Seconds a writer waits for another cmdai to finish updating the same file, then gives up.
LOCK_WAIT_SECONDS = 0.5

Validator = Callable[[Any], bool]


def finite_number(value: Any) -> bool:
    """A JSON number that is a moment or a length of time: not a bool, not NaN or infinite."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def cache_dir(*parts: str) -> Path:
    """A folder in the user's cache directory (``~/.cache/cmdai/...``), not created."""
    from .paths import user_cache_dir

    return user_cache_dir().joinpath(*parts)


def _tighten(path: Path) -> None:
    """cmdai's own cache folder is private even when an older version created it 0755."""
    try:
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            path.chmod(0o700)
    except (OSError, AttributeError):
        pass


def write_json(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON, atomically and readable only by the user. Raises OSError.

    The temporary file is created with mode 0600, so the content is private from the first byte.
    """
    import tempfile

    root = cache_dir()
    if path.parent == root or root in path.parents:
        ensure_private_dir(root)
        _tighten(root)
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_json(path: Path) -> Any:
    """The JSON in ``path``, or None when it is missing, unreadable or not JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None


@contextmanager
def _locked(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``path``'s lock file; yields False when it could not be had in time."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on this platform; atomic replace still holds
        yield True
        return
    ensure_private_dir(path.parent)
    fd = os.open(str(path.parent / f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        yield flock_within(fd, LOCK_WAIT_SECONDS)
    finally:
        os.close(fd)  # closing releases the lock


def flock_within(fd: int, seconds: float) -> bool:
    """Take an exclusive flock on ``fd``, waiting at most ``seconds``; False when it stayed taken."""
    import fcntl

    give_up = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= give_up:
                return False
            time.sleep(0.005)


class KeyedFile:
    """Entries under keys in one JSON object file (request options, model lists)."""

    def __init__(self, name: str, valid: Validator, directory: Optional[Path] = None):
        self.path = (directory or cache_dir()) / name
        self.valid = valid

    def _entries(self) -> Dict[str, Any]:
        data = read_json(self.path)
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> Optional[Any]:
        return self.entries().get(key)

    def entries(self) -> Dict[str, Any]:
        """Every valid entry."""
        return {key: entry for key, entry in self._entries().items() if self.valid(entry)}

    def put(self, key: str, entry: Any) -> None:
        """Store ``entry`` under ``key``, keeping what other processes stored meanwhile."""
        if self.get(key) != entry:
            self.update(lambda entries: {**entries, key: entry})

    def update(self, change: Callable[[Dict[str, Any]], Dict[str, Any]]) -> None:
        """Replace the valid entries with ``change(entries)``, under the lock (invalid ones are dropped)."""
        try:
            with _locked(self.path) as held:
                if held:
                    write_json(self.path, change(self.entries()))
        except OSError:
            pass


class KeyedFolder:
    """One JSON file per key in a folder (answers, tokens): writers of different keys never meet."""

    def __init__(self, directory: Path, valid: Validator):
        self.directory = directory
        self.valid = valid

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str) -> Optional[Any]:
        entry = read_json(self.path_for(key))
        return entry if entry is not None and self.valid(entry) else None

    def put(self, key: str, entry: Any) -> bool:
        """Store ``entry``; False when the folder cannot be written."""
        try:
            write_json(self.path_for(key), entry)
        except OSError:
            return False
        return True

    def discard(self, key: str) -> None:
        try:
            os.unlink(self.path_for(key))
        except OSError:
            pass

    def prune(self, keep: int, older_than: float) -> None:
        """Remove entries written before ``older_than`` (POSIX time), and all but the newest ``keep``."""
        try:
            entries = list(self.directory.glob("*.json"))
        except OSError:
            return
        if len(entries) <= keep:
            return

        def modified(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except OSError:
                return 0.0

        for index, path in enumerate(sorted(entries, key=modified, reverse=True)):
            if index >= keep or modified(path) < older_than:
                try:
                    path.unlink()
                except OSError:
                    pass
