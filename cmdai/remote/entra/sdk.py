"""Credentials from azure-identity, the optional extra: DefaultAzureCredential, and managed identity
on the hosts cmdai does not reach directly (Azure Arc, Service Fabric, Cloud Shell, workload identity).
"""
from __future__ import annotations

import logging
import os
from typing import Any, Optional, Tuple

from ...errors import AuthenticationError, MissingDependencyError
from .tokens import AccessToken, compact, explain_aadsts, first_line, parse_expires_on

INSTALL_COMMAND = "pip install 'cmdai-shell[azure]'"
_ALL_UNAVAILABLE = "failed to retrieve a token from the included credentials"


def require_azure_identity(method: str) -> None:
    """Raise MissingDependencyError (exit 2) naming the install command unless azure-identity is present.

    Looks the package up without importing it: the import is slow and only needed to get a new token.
    """
    from importlib.util import find_spec

    try:
        found = find_spec("azure.identity") is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise _missing(method)


def _missing(method: str) -> MissingDependencyError:
    where = "on this host " if method == "managed-identity" else ""
    return MissingDependencyError(
        f'[backend.azure] auth = "{method}" {where}needs the azure-identity package',
        f"install it with: {INSTALL_COMMAND}",
    )


def _import_identity(method: str) -> Any:
    try:
        import azure.identity as identity
    except ImportError:
        raise _missing(method) from None
    # azure-identity logs each failed credential as a warning; without a handler Python would print
    # those multi-line reports on stderr. cmdai reports one line itself; --debug logging still sees them.
    azure_logger = logging.getLogger("azure")
    if not any(isinstance(h, logging.NullHandler) for h in azure_logger.handlers):
        azure_logger.addHandler(logging.NullHandler())
    return identity


class DefaultCredential:
    """azure-identity's DefaultAzureCredential: service principal from AZURE_CLIENT_ID/AZURE_TENANT_ID/
    AZURE_CLIENT_SECRET, workload identity, managed identity, then developer sign-ins such as az."""

    method = "default"

    def __init__(self, client_id: Optional[str] = None, tenant_id: Optional[str] = None):
        require_azure_identity(self.method)
        self.client_id = client_id
        self.tenant_id = tenant_id

    def cache_context(self) -> Tuple[str, ...]:
        # Switching service principal or az profile must not reuse the previous identity's token.
        return tuple(os.environ.get(name, "") for name in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CONFIG_DIR"))

    def get_token(self, scope: str) -> AccessToken:
        identity = _import_identity(self.method)
        options = {}
        if self.client_id:
            options["managed_identity_client_id"] = self.client_id
        if self.tenant_id:
            options["additionally_allowed_tenants"] = [self.tenant_id]
        credential = identity.DefaultAzureCredential(**options)
        return _token_from(
            identity,
            credential,
            scope,
            self.tenant_id,
            unavailable=(
                "no Azure credential found (service principal variables, workload identity, "
                "managed identity or a developer sign-in such as az login)",
                "run az login, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET",
            ),
        )


def sdk_managed_identity_token(client_id: Optional[str], scope: str, unavailable: Tuple[str, str]) -> AccessToken:
    """A token from azure-identity's ManagedIdentityCredential (hosts other than App Service and VMs);
    ``unavailable`` is the (message, hint) for a host without an identity."""
    identity = _import_identity("managed-identity")
    credential = identity.ManagedIdentityCredential(client_id=client_id)
    return _token_from(identity, credential, scope, None, unavailable=unavailable)


def _token_from(identity: Any, credential: Any, scope: str, tenant_id: Optional[str],
                unavailable: Tuple[str, str]) -> AccessToken:
    from azure.core.exceptions import ClientAuthenticationError

    try:
        if tenant_id:
            result = credential.get_token(scope, tenant_id=tenant_id)
        else:
            result = credential.get_token(scope)
    except ClientAuthenticationError as exc:
        text = str(exc)
        explained = explain_aadsts(text, tenant_id)
        if explained:
            raise AuthenticationError(*explained, debug=compact(text)) from None
        # DefaultAzureCredential reports "every credential was unavailable" as a plain
        # ClientAuthenticationError, listing each attempt; either way nothing could sign in.
        if isinstance(exc, identity.CredentialUnavailableError) or _ALL_UNAVAILABLE in text:
            raise AuthenticationError(*unavailable, debug=compact(text)) from None
        raise AuthenticationError(
            f"Microsoft Entra ID refused the token request: {first_line(text)}",
            "check the identity's configuration, or try auth = \"azure-cli\" after az login",
            debug=compact(text),
        ) from None
    except (ValueError, OSError) as exc:
        # Malformed answers surface from azure-identity/MSAL as ValueError; the text may not be safe.
        raise AuthenticationError(
            "azure-identity could not get a token",
            "try again; run with --debug to see the details",
            debug=compact(str(exc)),
        ) from None
    finally:
        credential.close()
    return AccessToken(result.token, parse_expires_on(result.expires_on))
