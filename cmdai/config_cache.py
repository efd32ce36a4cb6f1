"""Parsed config files kept between runs, so that a warm start neither imports nor runs the TOML parser.

One private file in the cache directory (``config.marshal``, mode 0600) maps each config file's path
to its stamp and its parsed tables. The stamp identifies the content without reading it: device,
inode, size, and modification and change times in nanoseconds; the store as a whole is tied to its
format, the cmdai version and the Python version. Only regular files are kept, and only when
their last change is older than ``RACY_SECONDS``: an edit of the same size within the same
timestamp tick leaves the stamp as it was, so a file that may still change within its tick is read
afresh (git's "racily clean" entries). The caller names the files that hold a secret, which are
never kept, and tables marshal cannot hold (TOML dates) are not kept either. A missing, corrupt,
foreign or stale store is a miss and is rewritten; one that cannot be written costs only speed.
"""
from __future__ import annotations

import marshal
import os
import stat
import sys
from time import time_ns

from . import __version__, paths
from .disk_store import read_marshal, write_marshal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Optional, Tuple

    Stamp = Tuple[int, int, int, int, int]
    Tables = Dict[str, Any]

FILE_NAME = "config.marshal"
#: Bump when the layout of the store changes.
FORMAT = 1
#: A file changed less than this long ago is not kept (coarse file systems tick every 2 s).
RACY_SECONDS = 2
#: Config files remembered at most: the site file, the user's, and a few given with --config.
MAX_FILES = 8


def store_path() -> str:
    return os.path.join(paths.user_cache_dir(), FILE_NAME)


def _identity() -> Tuple[Any, ...]:
    return FORMAT, __version__, tuple(sys.version_info[:2])


def stamp(path: str, info: Optional[os.stat_result] = None) -> Optional[Stamp]:
    """What tells ``path``'s content apart without reading it (from ``info``, its status when the caller
    has it); None when it is no regular file."""
    if info is None:
        try:
            info = os.stat(path)
        except OSError:
            return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a pipe (--config <(…)) or a device says nothing about what it will yield
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def settled(file_stamp: Stamp) -> bool:
    """Whether the file last changed more than ``RACY_SECONDS`` ago (a time in the future is not settled)."""
    return max(file_stamp[3], file_stamp[4]) < time_ns() - RACY_SECONDS * 1_000_000_000


def _load(path: str) -> Dict[str, Tuple[Stamp, Tables]]:
    """The stored entries by config path; {} unless the store is ours, private, intact and current."""
    stored = read_marshal(path)
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _identity()):
        return {}
    return stored[1] if isinstance(stored[1], dict) else {}


def _marshallable(tables: Tables) -> bool:
    try:
        marshal.dumps(tables)
    except ValueError:  # dates and times
        return False
    return True


class ParsedFiles:
    """The config files of one run: each from the store when its stamp is current, else parsed by
    ``parse`` (whose errors pass through untouched) and offered to the store by ``save``."""

    def __init__(self, parse: Callable[[str], Tables], store: Optional[str] = None):
        self._parse = parse
        self._store = store_path() if store is None else store
        self._stored: Optional[Dict[str, Tuple[Stamp, Tables]]] = None
        self._fresh: Dict[str, Tuple[Stamp, Tables]] = {}

    def read(self, path: str, info: Optional[os.stat_result] = None) -> Tables:
        """The tables of ``path``; ``info``, its status when the caller has it, must be taken before now."""
        # The status comes before the content is read: a change after it shows in the next stamp.
        file_stamp = stamp(path, info)
        if file_stamp is not None:
            if self._stored is None:
                self._stored = _load(self._store)
            entry = self._stored.get(path)
            if (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == file_stamp
                    and isinstance(entry[1], dict)):
                return entry[1]
        tables = self._parse(path)
        if file_stamp is not None and settled(file_stamp):
            self._fresh[path] = (file_stamp, tables)
        return tables

    def save(self, holding_secrets: Iterable[str]) -> None:
        """Store the files parsed in this run, except those ``holding_secrets``."""
        secret = set(holding_secrets)
        fresh = {path: entry for path, entry in self._fresh.items()
                 if path not in secret and _marshallable(entry[1])}
        if not fresh:
            return
        # Files read in this run replace what was stored for them; the others stay, newest last.
        others = [(path, entry) for path, entry in (self._stored or {}).items() if path not in self._fresh]
        entries = dict((others + list(fresh.items()))[-MAX_FILES:])
        try:
            write_marshal(self._store, (_identity(), entries))
        except (OSError, ValueError):
            pass  # costs only speed: the next run parses again
