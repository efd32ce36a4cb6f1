"""How a remote backend proves who it is: an API key (configured or from a command) or an Entra token."""
from __future__ import annotations

import shlex
from typing import Any, Dict, List, Optional

from ...errors import ConfigError

#: Seconds an api_key_command may take (a password manager may wait for an unlock).
KEY_COMMAND_TIMEOUT = 60.0


class Credentials:
    """Headers that authenticate a request; the base sends none."""

    #: How the credential travels, for messages ("the api-key and Authorization: Bearer headers").
    description = "no credentials"
    #: Whether a 401/403 means an Entra role is missing (rather than a wrong key).
    uses_entra = False

    def headers(self) -> Dict[str, str]:
        return {}

    def renew_after_unauthorized(self) -> bool:
        """After a 401: get fresh credentials and return True if one more attempt makes sense."""
        return False

    def secrets(self) -> List[str]:
        """Values that must never appear in output, logs or errors."""
        return []


class BearerKey(Credentials):
    """A key sent as ``Authorization: Bearer`` (Ollama behind a proxy, vLLM, LM Studio)."""

    description = "the Authorization: Bearer header"

    def __init__(self, key: str):
        self._key = key

    def headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self._key}"}

    def secrets(self) -> List[str]:
        return [self._key]


class AzureKey(Credentials):
    """An Azure key sent as both ``api-key`` and ``Authorization: Bearer``, as the Azure SDK does:
    Azure OpenAI and the Foundry ``/models`` route read the first, serverless and managed
    endpoints the second."""

    description = "the api-key and Authorization: Bearer headers"

    def __init__(self, key: Optional[str], command: Optional[str]):
        self._key = key or None
        self._command = command

    def key(self) -> str:
        if self._key is None:
            if not self._command:
                raise ConfigError(
                    "no API key for Azure AI Foundry",
                    "set CMDAI_AZURE_FOUNDRY_API_KEY, api_key or api_key_command under [backend], "
                    "or use Entra ID: auth = \"azure-cli\" under [backend.azure]")
            self._key = run_key_command(self._command)
        return self._key

    def headers(self) -> Dict[str, str]:
        key = self.key()
        return {"api-key": key, "Authorization": f"Bearer {key}"}

    def secrets(self) -> List[str]:
        return [self._key] if self._key else []


def run_key_command(command: str) -> str:
    """Run ``api_key_command`` and return its stdout, stripped.

    Neither its output nor its error text is repeated in a message: either may hold the key.
    """
    import subprocess

    hint = "run your api_key_command by hand to check it: it must print only the key on stdout"
    try:
        result = subprocess.run(command, shell=True, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, timeout=KEY_COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ConfigError(f"api_key_command did not finish within {KEY_COMMAND_TIMEOUT:g} s", hint) from None
    except OSError as exc:
        raise ConfigError(f"api_key_command could not be started ({exc.strerror})", hint) from None
    if result.returncode != 0:
        program = (shlex.split(command) or [command])[0] if command.strip() else command
        reason = "was not found" if result.returncode == 127 else f"exited with status {result.returncode}"
        raise ConfigError(f"api_key_command ({program}) {reason}", hint)
    key = result.stdout.decode("utf-8", "replace").strip()
    if not key:
        raise ConfigError("api_key_command printed nothing", hint)
    if any(ch.isspace() for ch in key):
        raise ConfigError("api_key_command printed more than one word; it must print only the key", hint)
    return key


class EntraToken(Credentials):
    """An Entra ID access token for ``scope``, sent alone as ``Authorization: Bearer``."""

    description = "an Entra ID token in the Authorization: Bearer header"
    uses_entra = True

    def __init__(self, azure_settings: Any, scope: str):
        # Only Entra users pay for loading the token machinery.
        from .entra import token_provider_for

        self.scope = scope
        self._provider = token_provider_for(azure_settings, scope)
        self._last: Optional[str] = None

    def headers(self) -> Dict[str, str]:
        self._last = self._provider.token()
        return {"Authorization": f"Bearer {self._last}"}

    def renew_after_unauthorized(self) -> bool:
        # A cached token may have been revoked or expired early; a fresh one deserves one try.
        if self._provider.from_cache:
            self._provider.invalidate()
            return True
        return False

    def secrets(self) -> List[str]:
        return [self._last] if self._last else []
