"""Where cmdai keeps its files: on Linux the XDG rules are read directly and agree with platformdirs."""
from __future__ import annotations

import os
import sys

import platformdirs
import pytest

from cmdai import paths

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG paths are read directly on Linux only")

VALUES = ["", "   ", "relative/dir", "/abs/dir", "/abs/dir/", "~/tilde"]


def reference(kind: str) -> str:
    if kind == "site":
        return os.path.join(platformdirs.site_config_dir("cmdai", appauthor=False, multipath=False), "config.toml")
    return getattr(platformdirs, f"user_{kind}_dir")("cmdai", appauthor=False)


def ours(kind: str) -> str:
    """The path as a str: the hotkey never builds a pathlib.Path for it."""
    found = paths.site_config_file() if kind == "site" else getattr(paths, f"user_{kind}_dir")()
    assert type(found) is str
    return found


@pytest.mark.parametrize("kind, variable", [("config", "XDG_CONFIG_HOME"), ("cache", "XDG_CACHE_HOME"),
                                            ("data", "XDG_DATA_HOME"), ("state", "XDG_STATE_HOME")])
@pytest.mark.parametrize("value", VALUES + [None])
def test_user_dirs_agree_with_platformdirs(kind: str, variable: str, value, monkeypatch) -> None:
    if value is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, value)
    assert ours(kind) == reference(kind)


@pytest.mark.parametrize("value", VALUES + [None, ":/second", "relative:/second:/third", "/first:/second"])
def test_site_config_agrees_with_platformdirs(value, monkeypatch) -> None:
    if value is None:
        monkeypatch.delenv("XDG_CONFIG_DIRS", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_DIRS", value)
    assert ours("site") == reference("site")


def test_home_is_used_when_nothing_is_set(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    assert paths.user_config_file() == str(tmp_path / ".config" / "cmdai" / "config.toml")
    assert paths.user_cache_dir() == str(tmp_path / ".cache" / "cmdai")
    assert paths.user_data_dir() == str(tmp_path / ".local" / "share" / "cmdai")
    assert paths.user_state_dir() == str(tmp_path / ".local" / "state" / "cmdai")


def test_the_hotkey_path_does_not_import_platformdirs() -> None:
    import subprocess

    code = "import sys, cmdai.paths as p; p.user_config_file(); p.site_config_file(); p.user_state_dir(); print('platformdirs' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
