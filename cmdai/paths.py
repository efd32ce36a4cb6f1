"""Where cmdai keeps its files, following each platform's conventions (XDG on Linux).

Every path is a ``str``: the hotkey reads its config and caches through these on every press, and
``pathlib`` costs milliseconds of imports. Callers that want a ``Path`` wrap the result.
"""
from __future__ import annotations

import os
import sys


APP_NAME = "cmdai"
CONFIG_FILE_NAME = "config.toml"

#: On Linux the XDG rules are read directly: platformdirs costs milliseconds of imports on every
#: keypress of the hotkey. Elsewhere (macOS, Windows, BSDs) platformdirs knows the conventions.
_XDG_DIRECT = sys.platform.startswith("linux")


def _xdg_home(variable: str, default: str) -> str:
    """``$variable``/cmdai when it holds an absolute path (relative ones are ignored), else ``default``/cmdai."""
    value = os.environ.get(variable, "")
    return os.path.join(value if os.path.isabs(value) else os.path.expanduser(default), APP_NAME)


def user_config_dir() -> str:
    if _XDG_DIRECT:
        return _xdg_home("XDG_CONFIG_HOME", "~/.config")
    from platformdirs import user_config_dir as _dir

    return _dir(APP_NAME, appauthor=False)


def user_config_file() -> str:
    """The user's config file: ~/.config/cmdai/config.toml on Linux."""
    return os.path.join(user_config_dir(), CONFIG_FILE_NAME)


def site_config_file() -> str:
    """The machine-wide config an administrator manages: /etc/xdg/cmdai/config.toml on Linux."""
    if _XDG_DIRECT:
        # XDG_CONFIG_DIRS may list several dirs: the first absolute one counts.
        dirs = [d for d in os.environ.get("XDG_CONFIG_DIRS", "").split(os.pathsep) if os.path.isabs(d)]
        return os.path.join(dirs[0] if dirs else "/etc/xdg", APP_NAME, CONFIG_FILE_NAME)
    from platformdirs import site_config_dir

    # XDG_CONFIG_DIRS may list several dirs; platformdirs joins them with os.pathsep unless asked.
    return os.path.join(site_config_dir(APP_NAME, appauthor=False, multipath=False), CONFIG_FILE_NAME)


def user_cache_dir() -> str:
    """Caches (responses, model lists, tokens, parsed config files): ~/.cache/cmdai on Linux."""
    if _XDG_DIRECT:
        return _xdg_home("XDG_CACHE_HOME", "~/.cache")
    from platformdirs import user_cache_dir as _dir

    return _dir(APP_NAME, appauthor=False)


def user_data_dir() -> str:
    if _XDG_DIRECT:
        return _xdg_home("XDG_DATA_HOME", "~/.local/share")
    from platformdirs import user_data_dir as _dir

    return _dir(APP_NAME, appauthor=False)


def user_state_dir() -> str:
    """State worth keeping but not configuration (the audit log): ~/.local/state/cmdai on Linux."""
    if _XDG_DIRECT:
        return _xdg_home("XDG_STATE_HOME", "~/.local/state")
    from platformdirs import user_state_dir as _dir

    return _dir(APP_NAME, appauthor=False)


def ensure_private_dir(path: "str | os.PathLike[str]") -> str:
    """Create ``path`` and every missing parent readable only by the user; caches can hold tokens.

    (``os.makedirs`` would create the parents with the umask's mode.) Returns ``path`` as a str.
    Raises OSError.
    """
    path = os.fspath(path)
    missing = []
    current = path
    while not os.path.exists(current):
        parent = os.path.dirname(current.rstrip(os.sep) or current)
        if parent == current:
            break
        missing.append(current)
        current = parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
    return path
