"""Where cmdai keeps its files, following each platform's conventions (XDG on Linux)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

APP_NAME = "cmdai"
CONFIG_FILE_NAME = "config.toml"


def user_config_dir() -> Path:
    from platformdirs import user_config_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def user_config_file() -> Path:
    """The user's config file: ~/.config/cmdai/config.toml on Linux."""
    return user_config_dir() / CONFIG_FILE_NAME


def site_config_file() -> Path:
    """The machine-wide config an administrator manages: /etc/xdg/cmdai/config.toml on Linux."""
    from platformdirs import site_config_dir

    # XDG_CONFIG_DIRS may list several dirs; platformdirs joins them with os.pathsep unless asked.
    return Path(site_config_dir(APP_NAME, appauthor=False, multipath=False)) / CONFIG_FILE_NAME


def user_cache_dir() -> Path:
    """Caches (responses, model lists, tokens): ~/.cache/cmdai on Linux."""
    from platformdirs import user_cache_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    from platformdirs import user_data_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def user_state_dir() -> Path:
    """State worth keeping but not configuration (the audit log): ~/.local/state/cmdai on Linux."""
    from platformdirs import user_state_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable only by the user; caches can hold tokens."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private_json(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON, atomically and readable only by the user.

    The temporary file is created with mode 0600, so the content is private from the first
    byte; a reader sees the old file or the new one, never half of one. Raises OSError.
    """
    import tempfile

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
