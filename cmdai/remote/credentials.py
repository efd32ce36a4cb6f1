"""How a remote backend proves who it is: an API key (configured or from a command) or an Entra token."""
from __future__ import annotations

import shlex
from typing import Any, Dict, List, Optional

from ..settings import invalid_key_error
from ..errors import ConfigError

#: Seconds an api_key_command may take outside a run's deadline (the setup wizard).
KEY_COMMAND_SECONDS = 60.0


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
        return {"Authorization": f"Bearer {checked_key(self._key)}"}

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
        key = checked_key(self.key())
        return {"api-key": key, "Authorization": f"Bearer {key}"}

    def secrets(self) -> List[str]:
        return [self._key] if self._key else []


def checked_key(key: str) -> str:
    """``key`` if it can travel in a header; keys from a failover entry or its variable are checked here."""
    invalid = invalid_key_error(key, "backend")
    if invalid is not None:
        raise invalid
    return key


def run_key_command(command: str, deadline: Optional[float] = None) -> str:
    """Run ``api_key_command`` within the deadline and return its stdout, stripped.

    Neither its output nor its error text is repeated in a message: either may hold the key.
    """
    import time

    from .. import deadline as invocation
    from ..sanitize import one_line
    from .helper_process import run_helper

    hint = "run your api_key_command by hand to check it: it must print only the key on stdout"
    try:
        words = shlex.split(command)
    except ValueError:
        raise ConfigError("api_key_command has an unterminated quote",
                          "fix the quoting of api_key_command under [backend]") from None
    program = one_line(words[0] if words else command, 60)
    if deadline is None:
        # The request's deadline is fixed by now; outside a run (the setup wizard) a password
        # manager gets a minute to be unlocked.
        deadline = invocation.current() or time.monotonic() + KEY_COMMAND_SECONDS
    left = deadline - time.monotonic()

    def too_slow() -> ConfigError:
        return ConfigError(f"api_key_command ({program}) did not finish within the time allowed "
                           f"({max(0.0, left):.0f} s)",
                           "make it answer faster (unlock the password manager first), or raise timeout_seconds")

    try:
        result = run_helper(command, deadline=deadline, on_timeout=too_slow)
    except OSError as exc:
        raise ConfigError(f"api_key_command could not be started ({exc.strerror})", hint) from None
    if result.returncode != 0:
        reason = "was not found" if result.returncode == 127 else f"exited with status {result.returncode}"
        raise ConfigError(f"api_key_command ({program}) {reason}", hint)
    key = result.stdout.decode("utf-8", "replace").strip()
    if not key:
        raise ConfigError("api_key_command printed nothing", hint)
    invalid = invalid_key_error(key, "api_key_command")
    words_only = invalid is not None and invalid_key_error("".join(key.split(" ")).replace("\n", ""), "") is None
    if result.overflowed or words_only:
        raise ConfigError("api_key_command printed more than one word; it must print only the key", hint)
    if invalid is not None:
        raise invalid
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
        invalid = invalid_key_error(self._last, "Entra ID", "the access token")
        if invalid is not None:
            # Never "Bearer None" or a header that smuggles a line break.
            self._provider.invalidate()
            raise invalid
        return {"Authorization": f"Bearer {self._last}"}

    def renew_after_unauthorized(self) -> bool:
        # A cached token may have been revoked or expired early; a fresh one deserves one try.
        if self._provider.from_cache:
            self._provider.invalidate()
            return True
        return False

    def secrets(self) -> List[str]:
        return [self._last] if self._last else []
