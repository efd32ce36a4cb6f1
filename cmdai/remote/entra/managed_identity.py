"""Managed identity tokens.

App Service / Functions / Container Apps (``IDENTITY_ENDPOINT`` + ``IDENTITY_HEADER``) and Azure VMs
(the instance metadata service, IMDS) are asked directly: one GET each, no extra package, and a
short connect timeout so a machine without an identity fails in about a second instead of
retrying for half a minute. Other hosts (Azure Arc, Service Fabric, Cloud Shell, Azure ML,
workload identity) go through azure-identity's ManagedIdentityCredential, which needs the extra.
"""
from __future__ import annotations

import os
import time
from typing import Any, Dict, Mapping, Optional, Tuple

from ...errors import AuthenticationError, BackendTimeoutError, BackendUnavailableError, CmdaiError
from .tokens import AccessToken, first_line, read_token_response, resource_for

IMDS_HOST = "http://169.254.169.254"
IMDS_PATH = "/metadata/identity/oauth2/token"
IMDS_API_VERSION = "2018-02-01"
APP_SERVICE_API_VERSION = "2019-08-01"
# IMDS answers in milliseconds on Azure; off Azure the link-local address never answers at all.
CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 10.0

# Environment variables that mean a hosting environment azure-identity knows and cmdai does not speak to.
_SDK_ONLY_MARKERS = ("IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT", "AZURE_FEDERATED_TOKEN_FILE")

NO_IDENTITY_HINT = (
    'managed identity works only on Azure (VMs, App Service, Functions, Container Apps); '
    'elsewhere set [backend.azure] auth = "azure-cli" and run az login'
)


def route(environ: Mapping[str, str]) -> str:
    """How this machine's managed identity is reached: "app-service", "sdk" or "imds"."""
    if environ.get("IDENTITY_ENDPOINT") and environ.get("IDENTITY_HEADER") and not any(
        environ.get(name) for name in _SDK_ONLY_MARKERS
    ):
        return "app-service"
    if environ.get("IDENTITY_ENDPOINT") or any(environ.get(name) for name in _SDK_ONLY_MARKERS):
        return "sdk"
    return "imds"


class ManagedIdentityCredential:
    """The identity Azure assigned to this VM or app (system-assigned, or user-assigned by client id)."""

    method = "managed-identity"

    def __init__(self, client_id: Optional[str] = None, environ: Optional[Mapping[str, str]] = None):
        self.client_id = client_id
        self.environ = os.environ if environ is None else environ
        self.route = route(self.environ)
        if self.route == "sdk":
            from .sdk import require_azure_identity

            require_azure_identity(self.method)

    def cache_context(self) -> Tuple[str, ...]:
        return (self.route,)

    def get_token(self, scope: str) -> AccessToken:
        if self.route == "sdk":
            from .sdk import sdk_managed_identity_token

            return sdk_managed_identity_token(self.client_id, scope,
                                              unavailable=("no managed identity on this machine", NO_IDENTITY_HINT))
        params = {"resource": resource_for(scope)}
        if self.client_id:
            params["client_id"] = self.client_id
        if self.route == "app-service":
            url = self.environ["IDENTITY_ENDPOINT"]
            params["api-version"] = APP_SERVICE_API_VERSION
            headers = {"X-IDENTITY-HEADER": self.environ["IDENTITY_HEADER"]}
        else:
            # AZURE_POD_IDENTITY_AUTHORITY_HOST is azure-identity's override for the IMDS address.
            host = self.environ.get("AZURE_POD_IDENTITY_AUTHORITY_HOST") or IMDS_HOST
            url = host.rstrip("/") + IMDS_PATH
            params["api-version"] = IMDS_API_VERSION
            headers = {"Metadata": "true"}
        return self._request(url, params, headers)

    def _where(self) -> str:
        return "this app" if self.route == "app-service" else "this machine"

    def _request(self, url: str, params: Dict[str, str], headers: Dict[str, str]) -> AccessToken:
        import requests

        from ... import deadline as invocation
        from ..transport import read_body

        # The token shares the run's deadline; outside a run it gets the endpoint's own timeouts.
        deadline = min(time.monotonic() + CONNECT_TIMEOUT + READ_TIMEOUT, invocation.current() or float("inf"))
        left = max(0.05, deadline - time.monotonic())

        def too_slow() -> BackendTimeoutError:
            return BackendTimeoutError(
                f"the managed identity endpoint of {self._where()} did not answer in time ({left:.0f} s)",
                "try again in a moment",
            )

        session = requests.Session()
        # These endpoints are local to the host; a proxy from the environment must not be used.
        session.trust_env = False
        try:
            with invocation.enforced(deadline, too_slow):
                # No redirects: X-IDENTITY-HEADER must never travel to another address.
                response = session.get(url, params=params, headers=headers, allow_redirects=False, stream=True,
                                       timeout=(min(CONNECT_TIMEOUT, left), left))
                read_body(response, url, left)
        except requests.exceptions.ReadTimeout:
            raise too_slow() from None
        except requests.exceptions.RequestException as exc:
            raise self._unreachable(exc) from None
        finally:
            session.close()
        if response.status_code == 200:
            return read_token_response(response.text, "access_token", (
                "the managed identity endpoint sent a token response cmdai cannot read",
                'try again; if it persists, set [backend.azure] auth = "default" to use azure-identity',
            ))
        if 300 <= response.status_code < 400:
            raise self._redirected(response)
        raise self._refused(response)

    def _redirected(self, response: Any) -> CmdaiError:
        from ...sanitize import one_line

        location = one_line(response.headers.get("location") or "another address", 200)
        return AuthenticationError(
            f"the managed identity endpoint of {self._where()} redirected the token request to {location} "
            f"(HTTP {response.status_code}); cmdai does not follow it",
            "the identity endpoint must answer directly; check IDENTITY_ENDPOINT in this app's environment",
        )

    def _unreachable(self, exc: Exception) -> CmdaiError:
        if self.route == "imds":
            return AuthenticationError(
                "no managed identity on this machine (the Azure instance metadata service does not answer)",
                NO_IDENTITY_HINT,
                debug=type(exc).__name__,
            )
        return BackendUnavailableError(
            "the App Service managed identity endpoint does not answer",
            "try again in a moment; restart the app if it keeps failing",
            debug=type(exc).__name__,
        )

    def _refused(self, response: Any) -> CmdaiError:
        status = response.status_code
        detail = first_line(_error_text(response), limit=300)
        debug = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
        # Both endpoints say 400 when no identity (or not this client id) is assigned.
        # Docker Desktop's proxy answers 403 "unreachable" for IMDS off Azure.
        no_identity = status == 400 or (status == 403 and "unreachable" in detail.lower())
        if no_identity and self.client_id:
            return AuthenticationError(
                f"managed identity {self.client_id} is not assigned to {self._where()}",
                "check [backend.azure] managed_identity_client_id (the identity's client id) "
                "or assign that identity in the Azure portal",
                debug=debug,
            )
        if no_identity:
            return AuthenticationError(
                f"no managed identity is assigned to {self._where()}",
                "turn on the system-assigned identity in the Azure portal, or set "
                "[backend.azure] managed_identity_client_id for a user-assigned one",
                debug=debug,
            )
        return BackendUnavailableError(
            f"the managed identity endpoint answered HTTP {status}",
            "try again in a moment; a newly assigned identity can take a few minutes to work",
            debug=debug,
        )


def _error_text(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text or ""
    if isinstance(body, dict):
        for key in ("error_description", "message", "Message", "error"):
            if isinstance(body.get(key), str):
                return body[key]
    return ""
