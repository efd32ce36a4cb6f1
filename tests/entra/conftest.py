"""Fixtures for Entra ID tests: a fake ``az`` on PATH, an isolated token cache, and a clean Azure environment."""
from __future__ import annotations

import json
import os
import socket
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import List, Optional

import pytest

# Variables that would make a credential look at the real machine or a real account.
_AZURE_VARIABLES = (
    "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT",
    "MSI_SECRET", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_USERNAME", "AZURE_PASSWORD", "AZURE_AUTHORITY_HOST",
    "AZURE_CONFIG_DIR", "AZURE_TOKEN_CREDENTIALS",
)

FAKE_AZ = r'''
    import json, os, sys, time
    from datetime import datetime
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "calls.jsonl"), "a") as log:
        log.write(json.dumps(sys.argv[1:]) + "\n")
    with open(os.path.join(here, "behaviour.json")) as f:
        behaviour = json.load(f)
    with open(os.path.join(here, "calls.jsonl")) as log:
        call = sum(1 for _ in log)
    if behaviour.get("sleep"):
        time.sleep(behaviour["sleep"])
    if behaviour.get("stderr"):
        sys.stderr.write(behaviour["stderr"])
        sys.exit(behaviour.get("exit", 1))
    if behaviour.get("stdout") is not None:
        sys.stdout.write(behaviour["stdout"])
        sys.exit(0)
    expires_on = int(time.time()) + behaviour.get("lifetime", 3600)
    answer = {
        "accessToken": "eyJ0eXAiOiJKV1QifQ.eyJjYWxsIjo%dfQ.c2lnbmF0dXJl" % call,
        "expiresOn": datetime.fromtimestamp(expires_on).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "subscription": "00000000-0000-0000-0000-000000000001",
        "tenant": "00000000-0000-0000-0000-0000000000aa",
        "tokenType": "Bearer",
    }
    if not behaviour.get("old_cli"):
        answer["expires_on"] = expires_on
    print(json.dumps(answer, indent=2))
'''


class FakeAz:
    """An ``az`` executable that answers like ``az account get-access-token`` and logs each call."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        script = self.directory / "az"
        script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(FAKE_AZ))
        script.chmod(0o755)
        self.behave()

    def behave(self, **behaviour: object) -> None:
        """lifetime (s), old_cli (no expires_on), stderr + exit, stdout (raw), sleep (s)."""
        (self.directory / "behaviour.json").write_text(json.dumps(behaviour))

    def calls(self) -> List[List[str]]:
        log = self.directory / "calls.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    @staticmethod
    def token_of_call(number: int) -> str:
        return "eyJ0eXAiOiJKV1QifQ.eyJjYWxsIjo%dfQ.c2lnbmF0dXJl" % number


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache dir, no Azure variables, and IMDS pointed at a closed loopback port."""
    for name in _AZURE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    cache_home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    # Never let a test reach the real instance metadata service at 169.254.169.254.
    monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", f"http://127.0.0.1:{free_port()}")
    # az is found only where a test puts it.
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin") + os.pathsep + "/usr/bin:/bin")
    return cache_home


@pytest.fixture
def fake_az(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeAz:
    az = FakeAz(tmp_path / "az-bin")
    monkeypatch.setenv("PATH", str(az.directory) + os.pathsep + os.environ["PATH"])
    return az


def _azure_settings(auth: str = "azure-cli", *, tenant_id: Optional[str] = None,
                    managed_identity_client_id: Optional[str] = None,
                    token_scope: Optional[str] = None) -> SimpleNamespace:
    return SimpleNamespace(auth=auth, tenant_id=tenant_id, managed_identity_client_id=managed_identity_client_id,
                           token_scope=token_scope)


@pytest.fixture
def azure_settings():
    """Builds the attributes of ``config.backend.azure`` that Entra ID authentication reads."""
    return _azure_settings


@pytest.fixture
def no_azure_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import azure.identity`` fail in this process, as when the extra is not installed."""
    monkeypatch.setitem(sys.modules, "azure.identity", None)
