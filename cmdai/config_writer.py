"""Write settings into the user's config.toml without losing what is already there.

The file is edited with tomlkit, so comments, other sections and keys cmdai does not know
survive. It is replaced atomically (a temporary file in the same directory, fsync, rename),
stays readable only by the user, and the previous version is kept beside it as a backup.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from .errors import ConfigError
from .paths import ensure_private_dir
from .settings import flatten

FILE_MODE = 0o600
BACKUP_SUFFIX = ".bak"


@dataclass(frozen=True)
class WriteResult:
    """What ``write_config`` did."""

    path: Path
    #: Where the previous version was saved; None when there was no previous file.
    backup: Optional[Path]
    #: True when the file did not exist before.
    created: bool
    #: False when the new content is identical to the old one (nothing was rewritten).
    changed: bool


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept: ``config.toml.bak``."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def update_toml(text: str, updates: Mapping[str, Any], *, source: str = "config") -> str:
    """Return ``text`` with ``updates`` applied, leaving everything else as it was.

    ``updates`` is nested like the file (``{"backend": {"azure": {"auth": "api-key"}}}``).
    A value of None removes that key; a missing table is created.
    """
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        document = tomlkit.parse(text)
    except ParseError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}",
                          "fix the syntax on that line, then run the setup again") from None
    _merge(document, updates, source=source, prefix="")
    result = document.as_string().rstrip("\n") + "\n"
    # A new file starts with its first table, not a blank line.
    return result.lstrip("\n") if not text.strip() else result


def _merge(table: Any, updates: Mapping[str, Any], *, source: str, prefix: str) -> None:
    import tomlkit

    for key, value in updates.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            if key not in table:
                if all(v is None for v in flatten(value).values()):
                    continue  # nothing to remove from a table that does not exist
                new_table = tomlkit.table()
                _merge(new_table, value, source=source, prefix=dotted + ".")
                # A blank line keeps the new table apart from whatever follows it (a nested
                # new table already ends with one).
                if not (value and isinstance(list(value.values())[-1], Mapping)):
                    new_table.add(tomlkit.nl())
                table[key] = new_table
                continue
            child = table[key]
            if not isinstance(child, Mapping):
                raise ConfigError(f"{source}: '{dotted}' is a value, but cmdai needs it to be a table",
                                  f"remove the line '{dotted} = …' and run the setup again")
            _merge(child, value, source=source, prefix=dotted + ".")
        elif value is None:
            if key in table:
                del table[key]
        else:
            if isinstance(table.get(key), Mapping):
                raise ConfigError(f"{source}: '{dotted}' is a table, but cmdai needs a value there",
                                  f"remove the [{dotted}] table and run the setup again")
            table[key] = value


def write_config(path: Path, updates: Mapping[str, Any]) -> WriteResult:
    """Apply ``updates`` to the config file at ``path`` (created if missing), atomically."""
    path = Path(path).expanduser()
    if path.is_symlink():
        # Dotfile managers link config.toml elsewhere; replace the target, keep the link.
        path = path.resolve()
    created = not path.exists()
    old_text = "" if created else _read_text(path)
    new_text = update_toml(old_text, updates, source=str(path))
    if not created and new_text == old_text:
        _restrict(path)
        return WriteResult(path, None, created=False, changed=False)
    if not path.parent.is_dir():
        try:
            ensure_private_dir(path.parent)
        except OSError as exc:
            raise ConfigError(f"cannot create the directory {path.parent} ({exc.strerror})",
                              "check the path and its permissions, or pass --config PATH") from None
    backup = None
    if not created:
        backup = backup_path(path)
        atomic_write_text(backup, old_text)
    atomic_write_text(path, new_text)
    return WriteResult(path, backup, created=created, changed=True)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text", "save the file as UTF-8, then run the setup again") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})", "check the path and its permissions") from None


def _restrict(path: Path) -> None:
    try:
        os.chmod(path, FILE_MODE)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot set permissions ({exc.strerror})",
                          f"run: chmod 600 '{path}'") from None


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new file, never a part.

    The file is created with mode 0600 from the start, so a secret is never readable by
    others, not even for a moment.
    """
    directory = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ConfigError(f"cannot write {path} ({exc.strerror})",
                          f"check that {directory} exists and is writable") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException as exc:
        # Ctrl-C included: the temporary file goes, the original stays as it was.
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise ConfigError(f"cannot write {path} ({exc.strerror})",
                              f"check that {directory} is writable") from None
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not every platform lets a directory be opened.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
