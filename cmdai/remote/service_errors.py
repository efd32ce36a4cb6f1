"""What an unsuccessful answer says, and the error it becomes.

Error bodies, headers and messages come from the network: every piece is read defensively and
shortened to one line before it reaches a message. The error carries the wait the service asked
for (``retry_after``), which the failover's cool-down honours.
"""
from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, List, Optional, Protocol, Tuple

from ..errors import (AuthenticationError, BackendConfigurationError, BackendTimeoutError, BackendUnavailableError,
                      CmdaiError, ContentFilteredError, RateLimitError, RedirectedError)
from ..records import Record
from ..sanitize import hide_secrets, one_line
from .retry_after import retry_after_seconds

if TYPE_CHECKING:
    import requests

    from .credentials import Credentials

#: Response headers worth quoting in a support ticket.
SUPPORT_HEADERS = ("apim-request-id", "x-ms-region", "x-ms-client-request-id", "x-request-id",
                   "x-ms-error-code", "retry-after-ms", "x-ms-retry-after-ms", "retry-after",
                   "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens", "x-ratelimit-limit-requests",
                   "x-ratelimit-limit-tokens")


class ServiceError(Record):
    """What an error response says, whatever its shape."""

    __slots__ = ("message", "code", "param", "inner_code", "filtered", "rejected_fields")

    def __init__(self, message: str = "", code: Optional[str] = None, param: Optional[str] = None,
                 inner_code: Optional[str] = None, filtered: Optional[List[str]] = None,
                 rejected_fields: Optional[List[str]] = None):
        self.message = message
        self.code = code
        self.param = param
        self.inner_code = inner_code
        self.filtered: List[str] = [] if filtered is None else filtered
        #: Body fields named by a 422 validation error (``loc``).
        self.rejected_fields: List[str] = [] if rejected_fields is None else rejected_fields

    @property
    def is_content_filter(self) -> bool:
        return self.code == "content_filter" or self.inner_code == "ResponsibleAIPolicyViolation"


def read_service_error(response: "requests.Response") -> ServiceError:
    """The error an answer's body states: OpenAI/Azure ``error``, FastAPI ``detail``, or plain text."""
    try:
        data = response.json()
    except (ValueError, RecursionError):
        return ServiceError(message=one_line(response.text or response.reason or "", 240))
    if not isinstance(data, dict):
        return ServiceError(message=one_line(str(data), 240))
    error = data.get("error")
    if isinstance(error, str):
        return ServiceError(message=one_line(error, 240))
    if isinstance(error, dict):
        inner = error.get("innererror") or error.get("inner_error") or {}
        inner = inner if isinstance(inner, dict) else {}
        filtered = []
        results = inner.get("content_filter_result") or inner.get("content_filter_results") or {}
        if isinstance(results, dict):
            for category, verdict in results.items():
                if isinstance(verdict, dict) and verdict.get("filtered"):
                    severity = verdict.get("severity")
                    # Category names come from the service: untrusted text like the rest.
                    filtered.append(one_line(f"{category} ({severity})" if severity else str(category), 60))
        code = error.get("code")
        return ServiceError(message=one_line(str(error.get("message") or ""), 240),
                            code=str(code) if code is not None else None,
                            param=error.get("param") if isinstance(error.get("param"), str) else None,
                            inner_code=inner.get("code"), filtered=filtered)
    detail = data.get("detail")
    if isinstance(detail, list):
        fields = [str(item["loc"][-1]) for item in detail
                  if isinstance(item, dict) and isinstance(item.get("loc"), list) and item["loc"]]
        messages = "; ".join(f"{item.get('msg')}: {'.'.join(map(str, item.get('loc', [])))}"
                             for item in detail if isinstance(item, dict))
        return ServiceError(message=one_line(messages, 240), rejected_fields=fields)
    text = detail or data.get("message") or data.get("status") or ""
    return ServiceError(message=one_line(str(text), 240))


def rate_limit_kind(response: "requests.Response", error: ServiceError) -> Optional[str]:
    """Which limit a 429 hit, from the x-ratelimit-remaining-* headers or the message."""
    for name, kind in (("x-ratelimit-remaining-tokens", "tokens-per-minute"),
                       ("x-ratelimit-remaining-requests", "requests-per-minute")):
        if (response.headers.get(name) or "").strip() == "0":
            return kind
    text = error.message.lower()
    if "token rate limit" in text or "tokens per min" in text:
        return "tokens-per-minute"
    if "request rate limit" in text or "call rate limit" in text or "requests per min" in text:
        return "requests-per-minute"
    return None


def deployment_unknown(response: "requests.Response") -> bool:
    """A 404 that names the deployment: the route exists, so another route will not know it either."""
    return read_service_error(response).code == "DeploymentNotFound"


def redact(text: Optional[str], secrets: List[str]) -> Optional[str]:
    """``text`` with every secret replaced."""
    return hide_secrets(text, secrets) if text else text


def support_details(response: "requests.Response", method: str, url: str, secrets: List[str]) -> str:
    """Request ids and rate-limit state of one answer, for ``--debug`` and support tickets."""
    lines = [f"{method} {url} -> HTTP {response.status_code}"]
    for name in SUPPORT_HEADERS:
        value = response.headers.get(name)
        if value:
            lines.append(f"{name}: {one_line(value, 120)}")
    sent = getattr(getattr(response, "request", None), "headers", None) or {}
    if "x-ms-client-request-id" not in response.headers and sent.get("x-ms-client-request-id"):
        lines.append(f"x-ms-client-request-id (sent): {sent['x-ms-client-request-id']}")
    history = retry_history(response)
    if history:
        lines.append("retried after: " + ", ".join(str(h.status or type(h.error).__name__) for h in history))
    if response.status_code != 200:
        lines.append("body: " + one_line(response.text or "", 600))
    return "\n".join(redact(line, secrets) or "" for line in lines)


def retry_history(response: "requests.Response") -> tuple:
    """The attempts urllib3 retried before this answer (status or error of each)."""
    return getattr(getattr(response.raw, "retries", None), "history", None) or ()


class ErrorAdvice(Protocol):
    """What a backend adds to an error: the fix for its service."""

    def not_found_hint(self, error: ServiceError, model: Optional[str]) -> str: ...

    def bad_request_hint(self, error: ServiceError, model: Optional[str]) -> str: ...

    def unauthorized_hint(self, credentials: "Credentials") -> str: ...

    def forbidden_hint(self, credentials: "Credentials") -> str: ...

    def auth_problem(self, status: int, error: ServiceError, response: "requests.Response",
                     credentials: "Credentials", model: Optional[str]) -> Optional[Tuple[str, str]]: ...


def status_error(response: "requests.Response", method: str, url: str, model: Optional[str], deadline: float,
                 credentials: "Credentials", advice: ErrorAdvice, debug: str) -> CmdaiError:
    """The error for an unsuccessful HTTP status, after retries."""
    from urllib.parse import urlsplit

    status = response.status_code
    error = read_service_error(response)
    host = urlsplit(url).hostname or url
    said = f": {error.message}" if error.message else ""
    if 300 <= status < 400:
        location = one_line(response.headers.get("location") or "another address", 200)
        return RedirectedError(
            f"{host} redirected the request to {location} (HTTP {status})",
            "configure the final address as the endpoint; redirects are not followed so that "
            "credentials stay with the host you configured", debug=debug)
    if status in (401, 403):
        specific = advice.auth_problem(status, error, response, credentials, model)
        if specific is not None:
            return AuthenticationError(f"{host} {specific[0]} (HTTP {status}){said}", specific[1], debug=debug)
    if status == 401:
        return AuthenticationError(f"{host} refused {credentials.description} (HTTP 401){said}",
                                   advice.unauthorized_hint(credentials), debug=debug)
    if status == 403:
        return AuthenticationError(f"{host} denied access (HTTP 403){said}",
                                   advice.forbidden_hint(credentials), debug=debug)
    if status == 404:
        return BackendConfigurationError(f"nothing found at {method} {url} (HTTP 404){said}",
                                         advice.not_found_hint(error, model), debug=debug)
    if status == 429:
        return _rate_limited(response, error, host, deadline, debug)
    if status in (408, 504) or status >= 500:
        failing: BackendUnavailableError
        if status in (408, 504):
            failing = BackendTimeoutError(f"{host} timed out (HTTP {status}){said}",
                                          "try again; the service is slow or overloaded", debug=debug)
        else:
            failing = BackendUnavailableError(f"{host} is failing (HTTP {status}){said}",
                                              "the service is having trouble; try again later", debug=debug)
        # A failover endpoint cools down for as long as the service asked.
        failing.retry_after = retry_after_seconds(response.headers, error.message)
        return failing
    if error.is_content_filter:
        return filtered_error("request", error, debug)
    return BackendConfigurationError(f"{host} rejected the request (HTTP {status}){said}",
                                     advice.bad_request_hint(error, model), debug=debug)


def _rate_limited(response: "requests.Response", error: ServiceError, host: str, deadline: float,
                  debug: str) -> RateLimitError:
    wait = retry_after_seconds(response.headers, error.message)
    left = deadline - time.monotonic()
    message = f"{host} is rate-limiting requests (HTTP 429)"
    limit = rate_limit_kind(response, error)
    if limit:
        message += f": the deployment's {limit} limit is used up"
    if wait is not None:
        message += f"; it asks to wait {wait:g} s" + (", longer than the time left" if wait > left else "")
    when = f"try again in {math.ceil(wait)} s" if wait is not None else "try again in a minute"
    return RateLimitError(message, f"{when}; a larger tokens-per-minute quota on the deployment "
                          "raises the limit", retry_after=wait, debug=debug)


def filtered_error(what: str, error: Optional[ServiceError], debug: str) -> ContentFilteredError:
    """The organisation's content policy filtered the ``what`` ("request" or "answer")."""
    categories = f" ({', '.join(error.filtered)})" if error is not None and error.filtered else ""
    return ContentFilteredError(
        f"the {what} was filtered by your organisation's content policy{categories}",
        "rephrase the request; the policy is set on the Azure resource by its administrators",
        debug=debug)
