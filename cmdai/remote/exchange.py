"""The chat-completions protocol loop: send, adapt and retry, read the reply.

A request goes to the service's URLs in order (a 404 moves on), gets fresh credentials once after
a 401, changes a parameter the deployment refused and tries once more (remembering the change),
and ends as a ``Generation`` or as an error that names the fix. Retries of transient failures
happen below, in the transport, within the same deadline.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Protocol, Tuple
from urllib.parse import urlsplit

from ..errors import BackendConfigurationError, CmdaiError, ModelOutputError
from ..sanitize import one_line
from ..values import Generation
from .request_options import RequestOptions, adapt, remember_options
from .service_errors import (ErrorAdvice, deployment_unknown, filtered_error, read_service_error, retry_history,
                             status_error, support_details)

if TYPE_CHECKING:
    import requests

    from .credentials import Credentials
    from .transport import Transport


class ChatService(ErrorAdvice, Protocol):
    """What the loop asks of a backend: where to send, how to authenticate, what to remember."""

    name: str

    @property
    def transport(self) -> "Transport": ...

    @property
    def credentials(self) -> "Credentials": ...

    def secrets(self) -> List[str]: ...

    def chat_urls(self, model: Optional[str]) -> List[str]: ...

    def model_in_body(self) -> bool: ...

    def extra_headers(self, model: Optional[str]) -> Dict[str, str]: ...

    def credentials_after_unauthorized(self, response: "requests.Response",
                                       credentials: "Credentials") -> Optional["Credentials"]: ...

    def remember_success(self, url: str) -> None: ...


def post_chat(service: ChatService, messages: List[Dict[str, str]], model: Optional[str], deadline: float,
              options: RequestOptions, options_key: str, effort_configured: bool) -> Tuple["requests.Response", str]:
    """POST a chat completion, adapting the body to what the model accepts; the 200 response and its URL."""
    adjusted: List[str] = []
    while True:
        body = options.body(messages, model if service.model_in_body() else None)
        response, url = send(service, "POST", service.chat_urls(model), deadline, model, body)
        change = None
        if response.status_code in (400, 422):
            change = adapt(options, read_service_error(response), adjusted, effort_configured)
        elif response.status_code == 200:
            data = _json_object(response)
            count_usage(service.name, model, data)
            if _starved(data) and "completion_cap" not in adjusted and options.enlarge_cap():
                # Reasoning used the whole cap: once more with room for the answer.
                change = "completion_cap"
        if change:
            # Retry once with the change, and remember, so the next run is right at once.
            adjusted.append(change)
            remember_options(options_key, options)
            continue
        if response.status_code != 200:
            raise error_for(service, response, "POST", url, model, deadline)
        service.remember_success(url)
        return response, url


def send(service: ChatService, method: str, urls: List[str], deadline: float, model: Optional[str],
         body: Optional[Dict[str, Any]] = None, credentials: Optional["Credentials"] = None
         ) -> Tuple["requests.Response", str]:
    """One request through the URLs in order: a 404 moves on, a 401 gets other or fresh credentials once."""
    credentials = credentials or service.credentials
    request_id = _new_request_id()
    response = None
    url = urls[0]
    for index, url in enumerate(urls):
        renewed = False
        while True:
            headers = {"Accept": "application/json", "x-ms-client-request-id": request_id,
                       **service.extra_headers(model), **credentials.headers()}
            response = service.transport.request(method, url, headers=headers, json=body, deadline=deadline)
            if response.status_code != 401:
                break
            other = service.credentials_after_unauthorized(response, credentials)
            if other is not None:
                credentials = other
                continue
            if renewed or not credentials.renew_after_unauthorized():
                break
            renewed = True
        if response.status_code != 404 or index == len(urls) - 1 or deployment_unknown(response):
            break
    assert response is not None
    return response, url


def get_json(service: ChatService, url: str, deadline: float, credentials: Optional["Credentials"] = None) -> Any:
    """GET ``url`` and return its JSON, or raise an error that names the fix."""
    response, url = send(service, "GET", [url], deadline, None, credentials=credentials)
    if response.status_code != 200:
        raise error_for(service, response, "GET", url, None, deadline, credentials)
    try:
        return response.json()
    except (ValueError, RecursionError):
        raise BackendConfigurationError(f"{host_of(url)} answered GET {url} with something that is not JSON",
                                        "check the endpoint URL",
                                        debug=support_details(response, "GET", url, service.secrets())) from None


def error_for(service: ChatService, response: "requests.Response", method: str, url: str, model: Optional[str],
              deadline: float, credentials: Optional["Credentials"] = None) -> CmdaiError:
    """The error for an unsuccessful answer, with the service's advice and the support details."""
    return status_error(response, method, url, model, deadline, credentials or service.credentials, service,
                        support_details(response, method, url, service.secrets()))


def read_reply(response: "requests.Response", url: str, debug: str) -> Tuple[Dict[str, Any], Optional[str]]:
    """The completion's JSON and the text of its first choice; an answer that is not one is an error."""
    try:
        data = response.json()
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise ModelOutputError(f"{host_of(url)} answered with something other than a chat completion",
                               "check that the endpoint serves the chat-completions API",
                               debug=debug + "\nbody: " + one_line(response.text or "", 600))
    choices = data.get("choices")
    choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else None
    if choice is None:
        raise ModelOutputError("the service returned no answer (no choices)", "try again", debug=debug)
    finish = choice.get("finish_reason")
    if finish == "content_filter":
        raise filtered_error("answer", None, debug)
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    content = message.get("content")
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    if finish == "length":
        # Stopped by the token limit: whatever arrived is a fragment, never a command.
        if not (content if isinstance(content, str) else "").strip():
            raise ModelOutputError("the model used its whole token budget before answering",
                                   "try again, or choose a model that reasons less", debug=debug)
        raise ModelOutputError("the answer was cut off", "raise max_tokens or retry", debug=debug)
    return data, content if isinstance(content, str) else None


def read_generation(response: "requests.Response", url: str, model: Optional[str], debug: str) -> Generation:
    """The command, its explanation and alternatives from a 200 answer, with who answered and the usage."""
    from .parsing import parse_model_output

    data, content = read_reply(response, url, debug)
    try:
        parsed = parse_model_output(content)
    except ModelOutputError as error:
        error.debug = debug
        raise
    usage = data.get("usage")
    usage = ({k: v for k, v in usage.items() if k in ("prompt_tokens", "completion_tokens", "total_tokens")
              and isinstance(v, int)} if isinstance(usage, dict) else None)
    # The service names the model that answered (a model router picks one); untrusted text.
    answered = data.get("model")
    answered = one_line(answered, 120) if isinstance(answered, str) and answered.strip() else None
    generation = Generation(command=parsed.command, explanation=parsed.explanation,
                            model=answered or model, usage=usage or None, deployment=model,
                            endpoint=host_of(url),
                            alternatives=[Generation(command=other.command, explanation=other.explanation,
                                                     model=answered or model) for other in parsed.alternatives])
    generation.debug = (f"answered by {answered or 'an unnamed model'} for {model or 'the default model'} "
                        f"at {generation.endpoint}\n{debug}")
    throttled = sum(1 for h in retry_history(response) if h.status == 429)
    if throttled:
        generation.warnings.append(f"the service rate-limited this request {throttled} time(s) before answering")
    return generation


def count_usage(backend_name: str, model: Optional[str], data: Optional[Dict[str, Any]]) -> None:
    """Add an answer's token usage to the local usage counter (no request text)."""
    from ..usage import record_usage

    usage = data.get("usage") if data else None
    if isinstance(usage, dict):
        record_usage(model or str(data.get("model") or backend_name), usage)  # type: ignore[union-attr]


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url


def _json_object(response: "requests.Response") -> Optional[Dict[str, Any]]:
    try:
        data = response.json()
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _starved(data: Optional[Dict[str, Any]]) -> bool:
    """An empty answer cut short by the token cap: reasoning used it all."""
    choices = data.get("choices") if data else None
    choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    content = message.get("content")
    return choice.get("finish_reason") == "length" and not (content.strip() if isinstance(content, str) else content)


def _new_request_id() -> str:
    raw = os.urandom(16).hex()
    return f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-{raw[16:20]}-{raw[20:]}"
