"""Where cmdai keeps its files, following each platform's conventions (XDG on Linux)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


APP_NAME = "cmdai"
CONFIG_FILE_NAME = "config.toml"

#: On Linux the XDG rules are read directly: platformdirs costs milliseconds of imports on every
#: keypress of the hotkey. Elsewhere (macOS, Windows, BSDs) platformdirs knows the conventions.
_XDG_DIRECT = sys.platform.startswith("linux")


def _xdg_home(variable: str, default: str) -> Path:
    """``$variable``/cmdai when it holds an absolute path (relative ones are ignored), else ``default``/cmdai."""
    value = os.environ.get(variable, "")
    return Path(value if os.path.isabs(value) else os.path.expanduser(default), APP_NAME)


def user_config_dir() -> Path:
    if _XDG_DIRECT:
        return _xdg_home("XDG_CONFIG_HOME", "~/.config")
    from platformdirs import user_config_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def user_config_file() -> Path:
    """The user's config file: ~/.config/cmdai/config.toml on Linux."""
    return user_config_dir() / CONFIG_FILE_NAME


def site_config_file() -> Path:
    """The machine-wide config an administrator manages: /etc/xdg/cmdai/config.toml on Linux."""
    if _XDG_DIRECT:
        # XDG_CONFIG_DIRS may list several dirs: the first absolute one counts.
        dirs = [d for d in os.environ.get("XDG_CONFIG_DIRS", "").split(os.pathsep) if os.path.isabs(d)]
        return Path(dirs[0] if dirs else "/etc/xdg", APP_NAME, CONFIG_FILE_NAME)
    from platformdirs import site_config_dir

    # XDG_CONFIG_DIRS may list several dirs; platformdirs joins them with os.pathsep unless asked.
    return Path(site_config_dir(APP_NAME, appauthor=False, multipath=False)) / CONFIG_FILE_NAME


def user_cache_dir() -> Path:
    """Caches (responses, model lists, tokens): ~/.cache/cmdai on Linux."""
    if _XDG_DIRECT:
        return _xdg_home("XDG_CACHE_HOME", "~/.cache")
    from platformdirs import user_cache_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    if _XDG_DIRECT:
        return _xdg_home("XDG_DATA_HOME", "~/.local/share")
    from platformdirs import user_data_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def user_state_dir() -> Path:
    """State worth keeping but not configuration (the audit log): ~/.local/state/cmdai on Linux."""
    from platformdirs import user_state_dir as _dir

    return Path(_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and every missing parent readable only by the user; caches can hold tokens.

    (mkdir's ``parents=True`` would create the parents with the umask's mode.) Raises OSError.
    """
    missing = []
    current = path
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
    return path
