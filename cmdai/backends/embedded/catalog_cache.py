"""The compiled catalog, kept between runs so that a request does not rebuild it.

Importing the catalog's topic modules and normalising every word of about 500 intents costs
milliseconds that the hotkey would pay on every press. The compiled form is written with
``marshal`` to the user's cache directory, keyed on the cmdai version and on the size and
modification time of every module of the offline engine, so any change to the catalog or the
word rules rebuilds it. A missing, stale, unreadable or unwritable cache only costs the rebuild.
"""
from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any, Optional, Tuple

from ... import __version__, paths
from .engine import Matcher

#: Bump when the snapshot's layout changes.
_FORMAT = 1
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


def cache_file() -> Path:
    return paths.user_cache_dir() / _FILE_NAME


def _read(path: Path, key: Tuple[Any, ...]) -> Optional[Matcher]:
    try:
        stored_key, snapshot = marshal.loads(path.read_bytes())
        if stored_key != key:
            return None
        return Matcher.from_snapshot(snapshot)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write(path: Path, key: Tuple[Any, ...], matcher: Matcher) -> None:
    data = marshal.dumps((key, matcher.snapshot()))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        paths.ensure_private_dir(path.parent)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
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
