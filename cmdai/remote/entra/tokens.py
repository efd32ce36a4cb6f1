"""Access tokens as values with an expiry, and the text handling that keeps them out of messages."""
from __future__ import annotations

import math
import re
import time
from datetime import datetime
from typing import NamedTuple, Optional, Tuple, Union

from ...errors import AuthenticationError, ConfigError
from ...sanitize import hide_secrets, shorten

#: A token is replaced once fewer than this many seconds of its life remain (as azure-core does).
REFRESH_MARGIN_SECONDS = 300


class AccessToken(NamedTuple):
    """A bearer token and when it expires (POSIX seconds). Its repr never shows the token."""

    token: str
    expires_on: float

    def __repr__(self) -> str:
        return f"AccessToken(expires_on={self.expires_on!r})"

    def usable(self, now: Optional[float] = None) -> bool:
        """Whether more than the refresh margin is left."""
        current = time.time() if now is None else now
        return self.expires_on - current > REFRESH_MARGIN_SECONDS


_DATE_FORMATS = (
    "%m/%d/%Y %H:%M:%S %z",  # App Service on Linux: 06/20/2019 02:57:58 +00:00
    "%m/%d/%Y %I:%M:%S %p %z",  # App Service on Windows: 6/20/2019 2:57:58 AM +00:00
    "%Y-%m-%d %H:%M:%S.%f",  # az's expiresOn: local wall-clock time, no zone
    "%Y-%m-%d %H:%M:%S",
)


def parse_expires_on(value: Union[str, int, float]) -> float:
    """An expiry as POSIX seconds: epoch seconds (number or text) or a date string (App Service, az)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(float(value))
    text = str(value).strip()
    try:
        return _finite(float(text))
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).timestamp()
        except ValueError:
            continue
    raise ValueError(f"unrecognised expiry time {text!r}")


def _finite(seconds: float) -> float:
    # "inf" or "nan" would make a token that never expires, or never counts as usable.
    if not math.isfinite(seconds):
        raise ValueError(f"expiry time {seconds!r} is not a moment")
    return seconds


#: Where a token response says when the token expires, in the order they are trusted.
_EXPIRY_FIELDS = ("expires_on", "expiresOn")


def read_token_response(text: str, token_field: str, unreadable: Tuple[str, str],
                        now: Optional[float] = None) -> AccessToken:
    """The token in a JSON token response (az, a managed identity endpoint).

    The expiry is ``expires_on`` (epoch seconds or a date), else az's ``expiresOn``, else
    ``expires_in`` seconds from ``now``. Anything else raises AuthenticationError(*unreadable):
    the body may hold a token, so it is never echoed.
    """
    import json

    try:
        body = json.loads(text)
        token = body[token_field]
        if not isinstance(token, str) or not token:
            raise ValueError(f"empty {token_field}")
        stated = next((body[name] for name in _EXPIRY_FIELDS if body.get(name) not in (None, "")), None)
        if stated is not None:
            expires_on = parse_expires_on(stated)
        else:
            expires_on = _finite((time.time() if now is None else now) + float(body["expires_in"]))
    except (ValueError, KeyError, TypeError, RecursionError):
        raise AuthenticationError(*unreadable) from None
    return AccessToken(token, expires_on)


def resource_for(scope: str) -> str:
    """The v1 'resource' form of a scope, which az and the managed identity endpoints take."""
    suffix = "/.default"
    return scope[: -len(suffix)] if scope.endswith(suffix) else scope


# The same character sets azure-identity accepts; anything else could smuggle an option into az.
_SCOPE = re.compile(r"^[0-9A-Za-z_.:/-]+$")
_TENANT = re.compile(r"^[0-9A-Za-z.-]+$")


def validate_scope(scope: str) -> str:
    if not scope or not _SCOPE.match(scope) or scope.startswith("-"):
        raise ConfigError(
            f"backend.azure.token_scope {scope!r} is not a valid scope",
            'set it like: token_scope = "https://cognitiveservices.azure.com/.default"',
        )
    return scope


def validate_tenant(tenant_id: Optional[str]) -> Optional[str]:
    if tenant_id is not None and (not _TENANT.match(tenant_id) or tenant_id.startswith("-")):
        raise ConfigError(
            f"backend.azure.tenant_id {tenant_id!r} is not a tenant id or domain",
            'set it like: tenant_id = "contoso.onmicrosoft.com" (or the tenant GUID)',
        )
    return tenant_id


# AADSTS codes people actually meet when asking for a token, with the one-line fix for each.
_TENANT_FIX = "set [backend.azure] tenant_id to the tenant that owns the Azure resource, or remove it"
_RELOGIN = "run az login{tenant} again"
_AADSTS = {
    "90002": ("tenant {tenant_q} does not exist", _TENANT_FIX),
    "50020": ("the signed-in account does not belong to tenant {tenant_q}", _TENANT_FIX),
    "500011": ("the Azure AI service is not known in tenant {tenant_q} (wrong tenant)", _TENANT_FIX),
    "700016": ("the application is not registered in tenant {tenant_q} (wrong tenant or client id)",
               "check AZURE_CLIENT_ID and tenant_id"),
    "7000215": ("the service principal's client secret is wrong", "check AZURE_CLIENT_SECRET"),
    "7000222": ("the service principal's client secret has expired",
                "create a new secret and set AZURE_CLIENT_SECRET"),
    "50076": ("the sign-in needs multi-factor authentication again", _RELOGIN),
    "50079": ("the sign-in needs multi-factor authentication again", _RELOGIN),
    "50158": ("a conditional access policy requires signing in again", _RELOGIN),
    "53003": ("a conditional access policy blocked the token request", "ask your Entra administrator"),
    "50173": ("the Azure CLI sign-in has expired", _RELOGIN),
    "700082": ("the Azure CLI sign-in has expired", _RELOGIN),
    "70043": ("the Azure CLI sign-in has expired", _RELOGIN),
    "65001": ("the Azure CLI has no consent for this scope", _RELOGIN),
}
_AADSTS_CODE = re.compile(r"AADSTS(\d+)")


def explain_aadsts(text: str, tenant_id: Optional[str]) -> Optional[Tuple[str, str]]:
    """(message, hint) for the first Entra error code in ``text``; None if there is none."""
    match = _AADSTS_CODE.search(text)
    if not match:
        return None
    code = match.group(1)
    tenant_q = repr(tenant_id) if tenant_id else "(the default tenant)"
    tenant_arg = f" --tenant {tenant_id}" if tenant_id else ""
    if code in _AADSTS:
        message, hint = _AADSTS[code]
        return (message.format(tenant_q=tenant_q), hint.format(tenant=tenant_arg))
    return (f"Entra ID refused the token request (AADSTS{code})", _RELOGIN.format(tenant=tenant_arg))


def first_line(text: str, limit: int = 200) -> str:
    """The first non-empty line of ``text``, redacted and shortened, without az's ``ERROR:`` prefix."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            if line.upper().startswith("ERROR:"):
                line = line[len("ERROR:"):].strip()
            return shorten(hide_secrets(line), limit)
    return ""


def compact(text: str, limit: int = 2000) -> str:
    """Multi-line text as one redacted line (for --debug), shortened to ``limit`` characters."""
    joined = " | ".join(line.strip() for line in text.splitlines() if line.strip())
    return shorten(hide_secrets(joined), limit)
