"""Small private JSON stores in the cache directory: the answer cache, request-option memory, model
lists and Entra tokens all keep their entries here, and every other cache file (the compiled offline
catalog, parsed config files) is written by the same ``write_private``.

Every write replaces the file atomically (a reader sees the old file or the new one) with mode 0600
inside directories created 0700; a store holding many entries in one file is updated under a lock,
so two hotkeys at once lose nothing. Every read is checked: an entry of the wrong shape or with a
time that is not a finite number is a miss, and the next write replaces it. A store that cannot be
read or written costs only speed: reads miss, writes are skipped.
"""
from __future__ import annotations

import marshal
import os
import time

from .paths import ensure_private_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Optional, Union

    Validator = Callable[[Any], bool]
    StrPath = Union[str, "os.PathLike[str]"]

#: Seconds a writer waits for another cmdai to finish updating the same file, then gives up.
LOCK_WAIT_SECONDS = 0.5


def finite_number(value: Any) -> bool:
    """A JSON number that is a moment or a length of time: not a bool, not NaN or infinite."""
    import math

    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def cache_dir(*parts: str) -> str:
    """A folder in the user's cache directory (``~/.cache/cmdai/...``), not created."""
    from .paths import user_cache_dir

    return os.path.join(user_cache_dir(), *parts)


def _tighten(path: str) -> None:
    """cmdai's own cache folder is private even when an older version created it 0755."""
    try:
        info = os.stat(path)
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(path, 0o700)
    except (OSError, AttributeError):
        pass


def write_private(path: StrPath, data: bytes) -> None:
    """Replace ``path`` with ``data``, atomically and readable only by the user. Raises OSError.

    The temporary file is created with mode 0600, so the content is private from the first byte; the
    folders on the way are created 0700, and the cache folder itself is tightened when it is open.
    """
    path = os.path.abspath(path)
    folder, name = os.path.split(path)
    root = os.path.abspath(cache_dir())
    if path.startswith(root + os.sep):
        ensure_private_dir(root)
        _tighten(root)
    ensure_private_dir(folder)
    # A random part keeps two writers (and a temporary file a killed run left behind) apart.
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_json(path: StrPath, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON, atomically and readable only by the user. Raises OSError."""
    import json

    write_private(path, json.dumps(data).encode("utf-8"))


def write_marshal(path: StrPath, value: Any) -> None:
    """Replace ``path`` with ``value`` in ``marshal`` form (for a cache read on every key press, where
    importing ``json`` would cost more than the read), privately and atomically. Raises OSError."""
    write_private(path, marshal.dumps(value))


def read_marshal(path: StrPath) -> Any:
    """The value ``write_marshal`` stored at ``path``, or None when the file is missing, damaged, or not
    the user's own and private (another user could have written it: what it holds is trusted)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o077:
                return None
            return marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def read_json(path: StrPath) -> Any:
    """The JSON in ``path``, or None when it is missing, unreadable or not JSON."""
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None


class _Locked:
    """An exclusive lock on ``path``'s lock file while the block runs; ``with`` gives False when it
    could not be had in time. (A class rather than contextlib, whose import the hotkey would pay.)"""

    def __init__(self, path: str):
        self.path = path
        self.fd: Optional[int] = None

    def __enter__(self) -> bool:
        try:
            import fcntl  # noqa: F401 - only whether flock exists
        except ImportError:  # pragma: no cover - no flock on this platform; atomic replace still holds
            return True
        folder, name = os.path.split(self.path)
        ensure_private_dir(folder)
        self.fd = os.open(os.path.join(folder, f".{name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        return flock_within(self.fd, LOCK_WAIT_SECONDS)

    def __exit__(self, *exc_info: Any) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock


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

    def __init__(self, name: str, valid: Validator, directory: Optional[StrPath] = None):
        self.path = os.path.join(cache_dir() if directory is None else os.fspath(directory), name)
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
            with _Locked(self.path) as held:
                if held:
                    write_json(self.path, change(self.entries()))
        except OSError:
            pass


class KeyedFolder:
    """One JSON file per key in a folder (answers, tokens): writers of different keys never meet."""

    def __init__(self, directory: StrPath, valid: Validator):
        self.directory = os.fspath(directory)
        self.valid = valid

    def path_for(self, key: str) -> str:
        return os.path.join(self.directory, f"{key}.json")

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
            entries = [entry.path for entry in os.scandir(self.directory) if entry.name.endswith(".json")]
        except OSError:
            return
        if len(entries) <= keep:
            return

        def modified(path: str) -> float:
            try:
                return os.stat(path).st_mtime
            except OSError:
                return 0.0

        for index, path in enumerate(sorted(entries, key=modified, reverse=True)):
            if index >= keep or modified(path) < older_than:
                try:
                    os.unlink(path)
                except OSError:
                    pass
