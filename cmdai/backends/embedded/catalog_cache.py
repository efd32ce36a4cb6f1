"""The compiled catalog, kept between runs so that a request does not rebuild it.

Importing the catalog's topic modules and normalising every word of about 500 intents costs
milliseconds that the hotkey would pay on every press. The compiled form is written with
``marshal`` to the user's cache directory, keyed on the cmdai version and on the size and
modification time of every module of the offline engine, so any change to the catalog or the
word rules rebuilds it. A missing, stale, unreadable or unwritable cache only costs the rebuild.
Each intent is packed on its own and unpacked only when a request is tried against it.
"""
from __future__ import annotations

import os

from ... import __version__, paths
from ...disk_store import read_marshal, write_marshal
from .engine import Matcher

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple

    from .intent import Intent

#: Bump when the snapshot's layout changes.
_FORMAT = 2
_FILE_NAME = "offline-catalog.marshal"
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _key() -> Tuple[Any, ...]:
    stamps = []
    for directory in (_PACKAGE, os.path.join(_PACKAGE, "catalog")):
        for name in sorted(os.listdir(directory)):
            if name.endswith(".py"):
                info = os.stat(os.path.join(directory, name))
                stamps.append((directory == _PACKAGE, name, info.st_mtime_ns, info.st_size))
    return _FORMAT, __version__, tuple(stamps)


def cache_file() -> str:
    return os.path.join(paths.user_cache_dir(), _FILE_NAME)


def _read(path: str, key: Tuple[Any, ...]) -> Optional[Matcher]:
    stored = read_marshal(path)
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
        return None
    try:
        return Matcher.from_snapshot(stored[1], _catalog)
    except (ValueError, TypeError):
        return None


def _catalog() -> List[Intent]:
    from .catalog import INTENTS

    return INTENTS


def _write(path: str, key: Tuple[Any, ...], matcher: Matcher) -> None:
    try:
        write_marshal(path, (key, matcher.snapshot()))
    except OSError:
        pass


def load_matcher() -> Matcher:
    """The matcher over the built-in catalog: from the cache when it is current, else built and cached."""
    key = _key()
    path = cache_file()
    cached = _read(path, key)
    if cached is not None:
        return cached
    from .catalog import INTENTS, NOT_ARGS

    built = Matcher(INTENTS, NOT_ARGS)
    _write(path, key, built)
    return built
