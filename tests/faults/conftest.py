"""Fixtures for the fault tests: one fault server per module, and the real CLI, measured."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, Optional

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fault_server import FaultServer  # noqa: E402
from harness import Run, cmdai_command, run_measured  # noqa: E402


@pytest.fixture(scope="module")
def fault_server():
    with FaultServer() as server:
        yield server


@pytest.fixture
def cli(isolated_env, tmp_path):
    """cli(*args, config=..., env=..., input=...): the real cmdai, measured."""
    def run(*args: str, config: Optional[str] = None, env: Optional[Dict[str, str]] = None,
            input: bytes = b"") -> Run:
        full_env = dict(os.environ)
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
                     "NO_PROXY", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
            full_env.pop(name, None)
        full_env.update(env or {})
        extra = []
        if config is not None:
            path = tmp_path / "config.toml"
            path.write_text(config, encoding="utf-8")
            extra = ["--config", str(path)]
        return run_measured(cmdai_command() + extra + list(args), full_env, input)

    return run


