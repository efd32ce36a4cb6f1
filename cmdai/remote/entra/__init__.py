"""Microsoft Entra ID access tokens for Azure endpoints: Azure CLI, managed identity, or azure-identity's
default chain, cached on disk so the hotkey rarely waits for a new token.

    provider = token_provider_for(config.settings_of("azure-foundry"), "https://cognitiveservices.azure.com/.default")
    headers["Authorization"] = f"Bearer {provider.token()}"
    # on a 401: if provider.from_cache, call provider.invalidate() and retry once
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Optional, Protocol, Tuple

from ...errors import CmdaiError, ConfigError
from ...values import HealthCheck
from .cache import TokenCache
from .tokens import REFRESH_MARGIN_SECONDS, AccessToken, validate_scope, validate_tenant

__all__ = [
    "AUTH_METHODS",
    "REFRESH_MARGIN_SECONDS",
    "AccessToken",
    "TokenProvider",
    "check_credential",
    "token_provider_for",
]

#: The values of ``[backend.azure] auth`` that use Microsoft Entra ID tokens.
AUTH_METHODS: Tuple[str, ...] = ("azure-cli", "managed-identity", "default")


class AzureSettings(Protocol):
    """The part of the Azure backend's settings that Entra ID authentication reads."""

    auth: str
    managed_identity_client_id: Optional[str]
    tenant_id: Optional[str]
    token_scope: Optional[str]


class Credential(Protocol):
    method: str

    def get_token(self, scope: str) -> AccessToken: ...

    def cache_context(self) -> Tuple[str, ...]: ...


class TokenProvider:
    """Hands out a bearer token for one scope, reusing it until 5 minutes before it expires."""

    def __init__(self, credential: Credential, scope: str, cache: TokenCache, cache_key: str):
        self.credential = credential
        self.scope = scope
        self.cache = cache
        self.cache_key = cache_key
        self._current: Optional[AccessToken] = None
        #: Whether the last ``token()`` came from the cache (memory or disk) rather than the credential.
        self.from_cache = False

    @property
    def expires_on(self) -> Optional[float]:
        """When the last token handed out expires (POSIX seconds), if one was."""
        return self._current.expires_on if self._current else None

    def token(self) -> str:
        """A usable access token: from memory, else from the disk cache, else a new one."""
        now = time.time()
        if self._current is not None and self._current.usable(now):
            self.from_cache = True
            return self._current.token
        stored = self.cache.load(self.cache_key)
        if stored is not None and stored.usable(now):
            self._current = stored
            self.from_cache = True
            return stored.token
        return self.refresh().token

    def refresh(self) -> AccessToken:
        """Get a new token from the credential, bypassing and then updating the cache."""
        from ... import deadline as invocation

        # azure-identity and az keep their own timeouts; the run's deadline bounds them all.
        with invocation.enforced(invocation.current() or float("inf"), self._too_slow):
            fresh = self.credential.get_token(self.scope)
        self._current = fresh
        self.from_cache = False
        self.cache.store(self.cache_key, fresh)
        return fresh

    def _too_slow(self) -> CmdaiError:
        from ...errors import BackendTimeoutError

        return BackendTimeoutError(f"getting a Microsoft Entra ID token ({self.credential.method}) did not finish in time",
                                   "try again, or raise timeout_seconds under [backend]")

    def invalidate(self) -> None:
        """Forget the token (the service refused it); the next ``token()`` gets a new one."""
        self._current = None
        self.cache.discard(self.cache_key)


def token_provider_for(azure: AzureSettings, scope: str) -> TokenProvider:
    """A TokenProvider for ``azure.auth``; ``azure.token_scope``, when set, replaces ``scope``.

    Raises ConfigError for a bad scope or tenant, MissingDependencyError when the method needs the
    azure-identity extra and it is not installed.
    """
    scope = validate_scope(azure.token_scope or scope)
    tenant_id = validate_tenant(azure.tenant_id)
    client_id = azure.managed_identity_client_id
    method = azure.auth
    credential: Credential
    if method == "azure-cli":
        from .azure_cli import AzureCliCredential

        credential = AzureCliCredential(tenant_id)
    elif method == "managed-identity":
        from .managed_identity import ManagedIdentityCredential

        credential = ManagedIdentityCredential(client_id)
    elif method == "default":
        from .sdk import DefaultCredential

        credential = DefaultCredential(client_id, tenant_id)
    else:
        raise ConfigError(
            f"backend.azure.auth {method!r} does not use Microsoft Entra ID tokens",
            f"choose one of: {', '.join(AUTH_METHODS)}",
        )
    key = TokenCache.key(method, tenant_id, scope, client_id, *credential.cache_context())
    return TokenProvider(credential, scope, TokenCache(), key)


def check_credential(azure: AzureSettings, scope: str) -> HealthCheck:
    """For --doctor and the setup wizard: get a new token now; ✓ with its expiry or ✗ with the fix."""
    name = f"Entra ID token ({azure.auth})"
    try:
        provider = token_provider_for(azure, scope)
        token = provider.refresh()
    except CmdaiError as exc:
        return HealthCheck(name, False, exc.message, exc.hint)
    minutes = max(0, int((token.expires_on - time.time()) // 60))
    until = datetime.fromtimestamp(token.expires_on).strftime("%H:%M")
    return HealthCheck(name, True, f"token for {provider.scope}, valid until {until} ({minutes} min)")
