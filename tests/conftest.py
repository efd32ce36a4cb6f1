"""Fixtures every test area shares: an isolated environment and a way to run the real CLI."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def cmdai_command() -> List[str]:
    """The console script of the environment running the tests, else the one on PATH, else the module.

    The environment's own script comes first, so a cmdai installed elsewhere (pipx, install.sh)
    is never the one tested, whether or not the virtual environment is activated.
    """
    beside = Path(sys.executable).with_name("cmdai")
    script = str(beside) if beside.is_file() else shutil.which("cmdai")
    return [script] if script else [sys.executable, "-m", "cmdai"]


#: A real Azure endpoint for the live test (CMDAI_LIVE_AZURE_ENDPOINT, _API_KEY, _MODEL), read at start-up:
#: isolated_env removes every CMDAI_ variable before each test.
LIVE_AZURE = {name[len("CMDAI_LIVE_AZURE_"):].lower(): value for name, value in os.environ.items()
              if name.startswith("CMDAI_LIVE_AZURE_") and value}


@pytest.fixture
def live_azure() -> Dict[str, str]:
    """The live Azure settings (endpoint, api_key, model); the test is skipped without endpoint and key."""
    if not (LIVE_AZURE.get("endpoint") and LIVE_AZURE.get("api_key")):
        pytest.skip("set CMDAI_LIVE_AZURE_ENDPOINT and CMDAI_LIVE_AZURE_API_KEY to test a real Azure endpoint")
    return dict(LIVE_AZURE)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Dict[str, str]:
    """No test reads or writes the real home, config, cache or site config, or sees CMDAI_* settings."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("CMDAI_", "AZURE_", "IDENTITY_", "MSI_")) or name in ("NO_COLOR", "SHELL"):
            monkeypatch.delenv(name, raising=False)
    settings = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CONFIG_DIRS": str(home / "site-config"),
        "NO_COLOR": "1",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    # fish, started interactively in a home without them, generates completions from every man page
    # in a disowned background python that runs on for many seconds after the test.
    (home / ".local" / "share" / "fish" / "generated_completions").mkdir(parents=True)
    return settings


@pytest.fixture
def user_config(isolated_env: Dict[str, str]) -> Path:
    """Path of the user config file inside the isolated home (not created)."""
    return Path(isolated_env["XDG_CONFIG_HOME"]) / "cmdai" / "config.toml"


@pytest.fixture
def site_config(isolated_env: Dict[str, str]) -> Path:
    """Path of the site config file inside the isolated home (not created)."""
    return Path(isolated_env["XDG_CONFIG_DIRS"]) / "cmdai" / "config.toml"


@pytest.fixture
def write_file():
    """write_file(path, text, mode=0o600): create a file and its parent dirs."""

    def write(path: Path, text: str, mode: int = 0o600) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        return path

    return write


@pytest.fixture
def cmdai_program() -> List[str]:
    """The words that run the cmdai under test, for tests that drive it in a terminal."""
    return cmdai_command()


@pytest.fixture
def run_cmdai():
    """Run the real cmdai in a subprocess: run_cmdai("--json", "list files", input=..., env={...})."""

    def run(*args: str, input: Optional[str] = None, env: Optional[Dict[str, str]] = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(cmdai_command() + list(args), input=input if input is not None else "",
                              capture_output=True, text=True, env=full_env, timeout=timeout)

    return run
