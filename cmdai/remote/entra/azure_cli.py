"""Tokens from the Azure CLI: runs ``az account get-access-token`` directly (no shell, no azure-identity)."""
from __future__ import annotations

import os
import shutil
import sys
import time
from typing import List, Optional, Tuple

from ...errors import AuthenticationError, BackendTimeoutError, BackendUnavailableError, CmdaiError
from .tokens import AccessToken, compact, explain_aadsts, first_line, read_token_response, resource_for

TIMEOUT_SECONDS = 10.0

# Words in az's error output that mean the network, not the sign-in, is the problem.
_NETWORK_TROUBLE = (
    "Failed to establish a new connection",
    "Max retries exceeded",
    "Name or service not known",
    "Temporary failure in name resolution",
    "nodename nor servname provided",
    "Connection aborted",
)


def find_az() -> Optional[str]:
    """The az executable on PATH (az.cmd on Windows), or None."""
    if sys.platform.startswith("win"):
        return shutil.which("az.cmd") or shutil.which("az")
    return shutil.which("az")


class AzureCliCredential:
    """Gets a token for one scope from the account ``az login`` signed in."""

    method = "azure-cli"

    def __init__(self, tenant_id: Optional[str] = None, timeout: float = TIMEOUT_SECONDS):
        self.tenant_id = tenant_id
        self.timeout = timeout

    def cache_context(self) -> Tuple[str, ...]:
        # A different AZURE_CONFIG_DIR is a different az sign-in, so it must not share a cached token.
        return (os.environ.get("AZURE_CONFIG_DIR", ""),)

    def command(self, scope: str) -> List[str]:
        args = ["account", "get-access-token", "--output", "json", "--resource", resource_for(scope)]
        if self.tenant_id:
            args += ["--tenant", self.tenant_id]
        return args

    def get_token(self, scope: str) -> AccessToken:
        az = find_az()
        if az is None:
            raise _not_installed()
        from ... import deadline as invocation
        from ..helper_process import run_helper

        # az gets its own few seconds, and never more than the run has left.
        deadline = min(time.monotonic() + self.timeout, invocation.current() or float("inf"))
        seconds = max(0.0, deadline - time.monotonic())

        def too_slow() -> BackendTimeoutError:
            return BackendTimeoutError(
                f"az account get-access-token did not finish within {seconds:.0f} s",
                "check the network connection, then run: az account get-access-token",
            )

        try:
            done = run_helper([az, *self.command(scope)], deadline=deadline, on_timeout=too_slow,
                              env=dict(os.environ, AZURE_CORE_NO_COLOR="true"))
        except OSError as exc:
            raise AuthenticationError(
                f"could not run the Azure CLI ({az}): {exc.strerror or exc}",
                "reinstall the Azure CLI: https://aka.ms/azure-cli",
            ) from None
        stdout = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            raise self._failure(done.returncode, done.stderr.decode("utf-8", "replace"), scope)
        return _parse_output(stdout)

    def _failure(self, returncode: int, stderr: str, scope: str) -> CmdaiError:
        tenant_arg = f" --tenant {self.tenant_id}" if self.tenant_id else ""
        debug = compact(stderr) or f"az exited with status {returncode}"
        if returncode == 127 or "is not recognized as an internal or external command" in stderr:
            return _not_installed()
        explained = explain_aadsts(stderr, self.tenant_id)
        if explained:
            return AuthenticationError(explained[0], explained[1], debug=debug)
        if "az login" in stderr or "az account set" in stderr:
            return AuthenticationError("not signed in to the Azure CLI", f"run az login{tenant_arg}", debug=debug)
        if any(words in stderr for words in _NETWORK_TROUBLE):
            return BackendUnavailableError(
                "the Azure CLI could not reach Microsoft Entra ID to get a token",
                "check the network connection or proxy settings",
                debug=debug,
            )
        detail = first_line(stderr) or f"az exited with status {returncode}"
        return AuthenticationError(
            f"the Azure CLI could not get a token: {detail}",
            f"run it by hand to see why: az account get-access-token --resource {resource_for(scope)}{tenant_arg}",
            debug=debug,
        )


def _not_installed() -> AuthenticationError:
    return AuthenticationError(
        "the Azure CLI (az) is not installed or not on PATH",
        'install it from https://aka.ms/azure-cli and run az login, or choose another [backend.azure] auth',
    )


def _parse_output(stdout: str) -> AccessToken:
    """Read az's JSON: accessToken, and expires_on (POSIX, az 2.54+) or expiresOn (local naive time)."""
    return read_token_response(stdout, "accessToken", (
        "the Azure CLI printed a token response cmdai cannot read",
        "update the Azure CLI (az upgrade) and try again",
    ))
