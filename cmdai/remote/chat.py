"""The chat-completions client every remote backend shares.

It builds the request body, sends it through the transport (retries, one deadline), adapts the
body when a model rejects a parameter, turns HTTP failures into errors that name the fix, and
reads the command out of ``choices[0].message.content``. Subclasses say where to send requests,
how to authenticate, and what a 404 means for them.
"""
from __future__ import annotations

import math
import os
import re
import time
from abc import abstractmethod
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

from ..errors import (AuthenticationError, BackendConfigurationError, BackendTimeoutError,
                       BackendUnavailableError, CmdaiError, ContentFilteredError, ModelOutputError,
                       RateLimitError, RedirectedError)
from ..lazy_regex import lazy_regex
from .parsing import parse_model_output
from .prompting import build_messages
from ..records import Record
from ..sanitize import hide_secrets, one_line
from ..backends.base import CommandGenerator
from ..values import Generation, GenerationRequest, HealthCheck, ModelInfo
from .credentials import Credentials

if TYPE_CHECKING:
    import requests

    from ..disk_store import KeyedFile

    from .transport import Transport

TEMPERATURE = 0.1
MAX_TOKENS = 512
#: Reasoning tokens count against max_completion_tokens, and so does the tokens-per-minute
#: estimate: a cap per effort leaves room for the thinking without reserving more than it needs.
COMPLETION_CAPS = {"none": 512, "minimal": 1024, "low": 2048, "medium": 4096, "high": 8192, "xhigh": 8192}
#: For a reasoning model whose effort is not sent (the service's default, medium).
MAX_COMPLETION_TOKENS = COMPLETION_CAPS["medium"]
#: The largest cap an empty answer cut short by "length" may grow to.
MAX_COMPLETION_CAP = 16384
MODEL_LIST_TTL_SECONDS = 24 * 3600

_REASONING_MODEL = re.compile(r"(?:^|[/_.-])(?:o[1-9](?:[_.-]|$)|gpt-5)", re.IGNORECASE)
#: reasoning_effort values, lowest first.
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
_GPT5 = re.compile(r"gpt-?5(?:[._-]?(\d+))?(?:[._-](\w+))?", re.IGNORECASE)
_O_SERIES = re.compile(r"(?:^|[/_.-])o[1-9](?:[_.-](\w+))?(?:$|[/_.-])", re.IGNORECASE)
_QUOTED = re.compile(r"""['"]([a-z]+)['"]""")
#: Body parameters a model may reject, which the request can do without.
ADJUSTABLE_PARAMETERS = ("response_format", "max_tokens", "max_completion_tokens", "temperature", "reasoning_effort")
#: Response headers worth quoting in a support ticket.
SUPPORT_HEADERS = ("apim-request-id", "x-ms-region", "x-ms-client-request-id", "x-request-id",
                   "x-ms-error-code", "retry-after-ms", "retry-after", "x-ratelimit-remaining-requests",
                   "x-ratelimit-remaining-tokens", "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens")
_RETRY_IN_MESSAGE = lazy_regex(r"retry after (\d+(?:\.\d+)?) (second|millisecond)", re.IGNORECASE)


def is_reasoning_model(model: Optional[str]) -> bool:
    """o1/o3/o4 and gpt-5 families: no temperature, ``max_completion_tokens`` instead of ``max_tokens``."""
    return bool(model and _REASONING_MODEL.search(model))


def lowest_reasoning_effort(model: Optional[str]) -> Optional[str]:
    """The lowest reasoning_effort a model of this name accepts; None for models that take none.

    Only a first guess: deployment names are the user's own, and the service's answer corrects it.
    """
    if not model:
        return None
    gpt5 = _GPT5.search(model)
    if gpt5:
        minor, variant = gpt5.group(1), (gpt5.group(2) or "").lower()
        if variant == "chat":
            return None  # gpt-5-chat does not reason
        if variant == "pro":
            return "high"  # the only effort gpt-5-pro accepts
        # gpt-5.1 and later default to (and accept) none; gpt-5, -mini, -nano start at minimal.
        return "none" if minor and int(minor) >= 1 else "minimal"
    o_series = _O_SERIES.search(model)
    if o_series:
        # o1-mini and o1-preview predate the parameter.
        return None if (o_series.group(1) or "").lower() in ("mini", "preview") and "o1" in model.lower() else "low"
    return None


def supported_efforts(message: str) -> List[str]:
    """The values an ``unsupported_value`` message lists after "Supported values are:"."""
    _, found, rest = message.partition("upported values are")
    return [value for value in _QUOTED.findall(rest) if value in REASONING_EFFORTS] if found else []


class RequestOptions(Record):
    """Which optional body parameters to send to one model."""

    __slots__ = ("temperature", "json_mode", "tokens_param", "reasoning_effort", "completion_cap")

    def __init__(self, temperature: bool = True, json_mode: bool = True,
                 tokens_param: Optional[str] = "max_tokens", reasoning_effort: Optional[str] = None,
                 completion_cap: Optional[int] = None):
        self.temperature = temperature
        self.json_mode = json_mode
        #: "max_tokens", "max_completion_tokens", or None to send neither.
        self.tokens_param = tokens_param
        #: The reasoning_effort to send, or None to send none.
        self.reasoning_effort = reasoning_effort
        #: max_completion_tokens learnt from an answer cut short; None: the cap for the effort.
        self.completion_cap = completion_cap

    @classmethod
    def for_model(cls, model: Optional[str]) -> "RequestOptions":
        if is_reasoning_model(model):
            return cls(temperature=False, tokens_param="max_completion_tokens",
                       reasoning_effort=lowest_reasoning_effort(model))
        return cls()

    def without(self, param: str, already: List[str]) -> bool:
        """Stop sending ``param`` (or its replacement); False when nothing changed."""
        if param == "temperature" and self.temperature:
            self.temperature = False
        elif param == "response_format" and self.json_mode:
            self.json_mode = False
        elif param == "max_tokens" and self.tokens_param == "max_tokens":
            # The model is a reasoning model: it wants max_completion_tokens, no temperature, and
            # the lowest effort (the service names the values it accepts if minimal is not one).
            self.tokens_param = None if "max_completion_tokens" in already else "max_completion_tokens"
            self.temperature = False
            if self.reasoning_effort is None and "reasoning_effort" not in already:
                self.reasoning_effort = "minimal"
        elif param == "max_completion_tokens" and self.tokens_param == "max_completion_tokens":
            # An older api-version or a model that predates the parameter.
            self.tokens_param = None if "max_tokens" in already else "max_tokens"
        elif param == "reasoning_effort" and self.reasoning_effort is not None:
            self.reasoning_effort = None
        else:
            return False
        return True

    def lowest_effort_of(self, supported: List[str]) -> bool:
        """Switch to the lowest of the efforts the service says it supports; False if no change."""
        lowest = min(supported, key=REASONING_EFFORTS.index) if supported else None
        if lowest is None or lowest == self.reasoning_effort:
            return False
        self.reasoning_effort = lowest
        return True

    @property
    def max_completion_tokens(self) -> int:
        if self.completion_cap:
            return self.completion_cap
        return COMPLETION_CAPS.get(self.reasoning_effort or "", MAX_COMPLETION_TOKENS)

    def enlarge_cap(self) -> bool:
        """After an empty answer cut short by "length": a larger cap; False when it cannot grow."""
        if self.tokens_param != "max_completion_tokens" or self.max_completion_tokens >= MAX_COMPLETION_CAP:
            return False
        self.completion_cap = min(MAX_COMPLETION_CAP, self.max_completion_tokens * 4)
        return True

    def body(self, messages: List[Dict[str, str]], model: Optional[str]) -> Dict[str, Any]:
        body: Dict[str, Any] = {"messages": messages}
        if model:
            body["model"] = model
        if self.temperature:
            body["temperature"] = TEMPERATURE
        if self.tokens_param:
            body[self.tokens_param] = self.max_completion_tokens if self.tokens_param == "max_completion_tokens" else MAX_TOKENS
        if self.reasoning_effort:
            body["reasoning_effort"] = self.reasoning_effort
        if self.json_mode:
            # JSON mode; the system prompt also asks for JSON, which the service requires.
            body["response_format"] = {"type": "json_object"}
        return body

    def to_json(self) -> Dict[str, Any]:
        return {"temperature": self.temperature, "json_mode": self.json_mode, "tokens_param": self.tokens_param,
                "reasoning_effort": self.reasoning_effort, "completion_cap": self.completion_cap}



def _valid_options(entry: Any) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("temperature", True), bool)
            and isinstance(entry.get("json_mode", True), bool)
            and entry.get("tokens_param") in ("max_tokens", "max_completion_tokens", None)
            and entry.get("reasoning_effort") in (*REASONING_EFFORTS, None)
            and (entry.get("completion_cap") is None or type(entry["completion_cap"]) is int))


def _valid_fact(entry: Any) -> bool:
    """An option set, or a fact learnt about an endpoint (a route, a token audience, a deployment name)."""
    return isinstance(entry, str) or _valid_options(entry)


def _options_store() -> "KeyedFile":
    from ..disk_store import KeyedFile

    return KeyedFile("request-options.json", _valid_fact)


def remembered_options(key: str, model: Optional[str] = None) -> Optional[RequestOptions]:
    entry = _options_store().get(key)
    if not isinstance(entry, dict):
        return None
    tokens = entry.get("tokens_param")
    # Entries written before efforts were learnt start from the name's guess.
    effort = entry["reasoning_effort"] if "reasoning_effort" in entry else (
        lowest_reasoning_effort(model) if tokens == "max_completion_tokens" else None)
    cap = entry.get("completion_cap")
    return RequestOptions(temperature=entry.get("temperature", True), json_mode=entry.get("json_mode", True),
                          tokens_param=tokens, reasoning_effort=effort,
                          completion_cap=cap if isinstance(cap, int) and 0 < cap <= MAX_COMPLETION_CAP else None)


def remember_options(key: str, options: RequestOptions) -> None:
    _options_store().put(key, options.to_json())


def remembered(key: str) -> Any:
    """A fact learnt about an endpoint (the route or token audience that worked), or None."""
    return _options_store().get(key)


def remember(key: str, value: Any) -> None:
    _options_store().put(key, value)


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

    def rejected_parameter(self) -> Optional[str]:
        """The optional body parameter the service refused, if the error names one."""
        if self.param in ADJUSTABLE_PARAMETERS:
            return self.param
        if self.param == "reasoning.effort":  # the Responses API's spelling
            return "reasoning_effort"
        for name in self.rejected_fields:
            if name in ADJUSTABLE_PARAMETERS:
                return name
        # Messages name the refused parameter first ("'max_tokens' … use 'max_completion_tokens'").
        found = [(self.message.find(name), name) for name in ADJUSTABLE_PARAMETERS if name in self.message]
        return min(found)[1] if found else None


def read_service_error(response: "requests.Response") -> ServiceError:
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


def retry_after_seconds(response: "requests.Response", service_error: Optional[ServiceError] = None) -> Optional[float]:
    """The wait the service asked for: retry-after-ms, retry-after, or "retry after N seconds"."""
    headers = response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("x-ms-retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                seconds = float(value) / scale
            except ValueError:
                continue
            if math.isfinite(seconds):  # "inf" and "nan" parse as floats; neither is a wait
                return max(0.0, seconds)
    if service_error is not None:
        match = _RETRY_IN_MESSAGE.search(service_error.message)
        if match:
            return float(match.group(1)) / (1000.0 if match.group(2).lower() == "millisecond" else 1.0)
    return None


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


def _deployment_unknown(response: "requests.Response") -> bool:
    return read_service_error(response).code == "DeploymentNotFound"


def _json_object(response: "requests.Response") -> Optional[Dict[str, Any]]:
    try:
        data = response.json()
    except ValueError:
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


def redact(text: Optional[str], secrets: List[str]) -> Optional[str]:
    """``text`` with every secret replaced."""
    return hide_secrets(text, secrets) if text else text


class ChatCompletionsBackend(CommandGenerator):
    """A backend that speaks the chat-completions protocol over HTTP."""

    is_remote = True
    can_refine = True
    #: The service as messages name it.
    service = "the server"

    def __init__(self, config: Any):
        super().__init__(config)
        self._transport: Optional["Transport"] = None
        self._credentials: Optional[Credentials] = None
        self._request_id = ""
        self._deadline: Optional[float] = None

    # -- what a subclass says about its service ----------------------------------------------

    @abstractmethod
    def chat_urls(self, model: Optional[str]) -> List[str]:
        """Chat-completions URLs to try in order; a 404 moves on to the next."""

    @abstractmethod
    def endpoint_id(self) -> str:
        """The endpoint, for cache keys and messages (never a secret)."""

    def make_credentials(self) -> Credentials:
        return Credentials()

    def model_in_body(self) -> bool:
        return True

    def extra_headers(self, model: Optional[str]) -> Dict[str, str]:
        return {}

    @abstractmethod
    def fetch_models(self, deadline: float) -> List[ModelInfo]:
        """Ask the service which models it offers (uncached)."""

    def not_found_hint(self, error: ServiceError, model: Optional[str]) -> str:
        return f"check the URL and the model name{f' ({model})' if model else ''}"

    def bad_request_hint(self, error: ServiceError, model: Optional[str]) -> str:
        return "check the model name and the endpoint's API style"

    def unauthorized_hint(self, credentials: Credentials) -> str:
        return "check the API key"

    def forbidden_hint(self, credentials: Credentials) -> str:
        return "check that the key may use this model"

    def auth_problem(self, status: int, error: ServiceError, response: "requests.Response",
                     credentials: Credentials, model: Optional[str]) -> Optional[Tuple[str, str]]:
        """A service-specific (what went wrong, fix) for a 401/403, or None for the general one."""
        return None

    def require_model(self) -> bool:
        """Whether a request needs a model name to be routed."""
        return True

    def only_model(self) -> Optional[str]:
        """The model to use when none is configured (one the service alone offers), or None."""
        return None

    def endpoint_checks(self) -> Iterator[HealthCheck]:
        """--doctor advice about the endpoint's route, before anything is sent."""
        return iter(())

    # -- shared machinery --------------------------------------------------------------------

    @property
    def transport(self) -> "Transport":
        if self._transport is None:
            from .transport import Transport, TransportSettings

            self._transport = Transport(TransportSettings.from_config(self.config.backend))
        return self._transport

    @property
    def credentials(self) -> Credentials:
        if self._credentials is None:
            self._credentials = self.make_credentials()
        return self._credentials

    def _secrets(self) -> List[str]:
        return self._credentials.secrets() if self._credentials is not None else []

    @contextmanager
    def _redacting(self) -> Iterator[None]:
        """Whatever goes wrong, no secret leaves in an error's message, hint or debug text."""
        try:
            yield
        except CmdaiError as error:
            secrets = self._secrets()
            error.message = redact(error.message, secrets) or ""
            error.hint = redact(error.hint, secrets)
            error.debug = redact(error.debug, secrets)
            error.args = (error.message,)
            raise

    def _host(self, url: str) -> str:
        return urlsplit(url).hostname or url

    def _missing_model_error(self) -> CmdaiError:
        return BackendConfigurationError(f"no model configured for {self.name}",
                                         "set model under [backend], or pass -m MODEL (see: cmdai --list-models)")

    # -- request building ----------------------------------------------------------------------

    def options_key(self, model: Optional[str]) -> str:
        """Where what one deployment accepts is remembered (never a secret)."""
        return f"{self.name} {self.endpoint_id()} {model or ''}"

    def request_options(self, model: Optional[str]) -> Tuple[RequestOptions, str]:
        """The options for ``model``, and where its reasoning effort comes from (for --doctor)."""
        options = remembered_options(self.options_key(model), model)
        source = "learnt from the deployment's answers" if options is not None else "from the deployment name"
        if options is None:
            options = RequestOptions.for_model(model)
        configured = self.config.backend.reasoning_effort
        if configured:
            options.reasoning_effort, source = configured, "[backend] reasoning_effort"
        return options, source

    def _adapt(self, options: RequestOptions, error: ServiceError, adjusted: List[str]) -> Optional[str]:
        """Change what a 400/422 refused, once per parameter; the parameter changed, or None."""
        param = error.rejected_parameter()
        if param is None or param in adjusted:
            return None
        if param == "reasoning_effort":
            supported = supported_efforts(error.message)
            if supported:
                # A configured effort is the user's choice: the error names the values to pick from.
                return param if not self.config.backend.reasoning_effort and options.lowest_effort_of(supported) else None
            return param if options.without(param, adjusted) else None
        return param if options.without(param, adjusted) else None

    def generate(self, request: GenerationRequest, deadline: Optional[float] = None) -> Generation:
        with self._redacting():
            model = request.model or self.model or (self.only_model() if self.require_model() else None)
            response, url = self._chat(build_messages(request), model, deadline)
            return self._generation(response, url, model)

    def reply_text(self, messages: List[Dict[str, str]], model: Optional[str] = None) -> str:
        """The model's reply to ``messages`` as text (untrusted), for a task other than a command."""
        with self._redacting():
            model = model or self.model or (self.only_model() if self.require_model() else None)
            response, url = self._chat(messages, model)
            return self._reply(response, url)[1]

    def _chat(self, messages: List[Dict[str, str]], model: Optional[str],
              deadline: Optional[float] = None) -> Tuple["requests.Response", str]:
        """POST a chat completion, adapting the body to what the model accepts; the 200 response."""
        if not model and self.require_model():
            raise self._missing_model_error()
        options, _ = self.request_options(model)
        adjusted: List[str] = []
        deadline = deadline or self._invocation_deadline()
        while True:
            body = options.body(messages, model if self.model_in_body() else None)
            response, url = self._send("POST", self.chat_urls(model), deadline, model, body)
            change = None
            if response.status_code in (400, 422):
                change = self._adapt(options, read_service_error(response), adjusted)
            elif response.status_code == 200:
                data = _json_object(response)
                self.count_usage(model, data)
                if _starved(data) and "completion_cap" not in adjusted and options.enlarge_cap():
                    # Reasoning used the whole cap: once more with room for the answer.
                    change = "completion_cap"
            if change:
                # Retry once with the change, and remember, so the next run is right at once.
                adjusted.append(change)
                remember_options(self.options_key(model), options)
                continue
            if response.status_code != 200:
                raise self.status_error(response, "POST", url, model, deadline)
            self.remember_success(url)
            return response, url

    def count_usage(self, model: Optional[str], data: Optional[Dict[str, Any]]) -> None:
        """Add an answer's token usage to the local usage counter (no request text)."""
        from ..usage import record_usage

        usage = data.get("usage") if data else None
        if isinstance(usage, dict):
            record_usage(model or str(data.get("model") or self.name), usage)  # type: ignore[union-attr]

    def remember_success(self, url: str) -> None:
        """A request to ``url`` succeeded: a subclass may remember what made it work."""

    def credentials_after_unauthorized(self, response: "requests.Response",
                                       credentials: Credentials) -> Optional[Credentials]:
        """Other credentials to try once after a 401 (e.g. a token for another audience), or None."""
        return None

    def _invocation_deadline(self) -> float:
        """One deadline for every request of this run: a repair shares the time of the answer it repairs."""
        if self._deadline is None:
            self._deadline = self.transport.deadline()
        return self._deadline

    def _send(self, method: str, urls: List[str], deadline: float, model: Optional[str],
              body: Optional[Dict[str, Any]] = None, credentials: Optional[Credentials] = None
              ) -> Tuple["requests.Response", str]:
        credentials = credentials or self.credentials
        self._request_id = _new_request_id()
        response = None
        url = urls[0]
        for index, url in enumerate(urls):
            renewed = False
            while True:
                headers = {"Accept": "application/json", "x-ms-client-request-id": self._request_id,
                           **self.extra_headers(model), **credentials.headers()}
                response = self.transport.request(method, url, headers=headers, json=body, deadline=deadline)
                if response.status_code != 401:
                    break
                other = self.credentials_after_unauthorized(response, credentials)
                if other is not None:
                    credentials = other
                    continue
                if renewed or not credentials.renew_after_unauthorized():
                    break
                renewed = True
            # A 404 naming the deployment means the route exists: another route will not know it either.
            if response.status_code != 404 or index == len(urls) - 1 or _deployment_unknown(response):
                break
        assert response is not None
        return response, url

    def get_json(self, url: str, deadline: float, credentials: Optional[Credentials] = None) -> Any:
        """GET ``url`` and return its JSON, or raise an error that names the fix."""
        response, url = self._send("GET", [url], deadline, None, credentials=credentials)
        if response.status_code != 200:
            raise self.status_error(response, "GET", url, None, deadline, credentials)
        try:
            return response.json()
        except (ValueError, RecursionError):
            raise BackendConfigurationError(f"{self._host(url)} answered GET {url} with something that is not JSON",
                                            "check the endpoint URL", debug=self.debug_text(response, "GET", url)) from None

    def debug_text(self, response: "requests.Response", method: str, url: str) -> str:
        """Request ids and rate-limit state, for ``--debug`` and support tickets."""
        lines = [f"{method} {url} -> HTTP {response.status_code}"]
        for name in SUPPORT_HEADERS:
            value = response.headers.get(name)
            if value:
                lines.append(f"{name}: {one_line(value, 120)}")
        if "x-ms-client-request-id" not in response.headers:
            lines.append(f"x-ms-client-request-id (sent): {self._request_id}")
        history = getattr(getattr(response.raw, "retries", None), "history", None) or ()
        if history:
            lines.append("retried after: " + ", ".join(str(h.status or type(h.error).__name__) for h in history))
        if response.status_code != 200:
            lines.append("body: " + one_line(response.text or "", 600))
        return "\n".join(redact(line, self._secrets()) or "" for line in lines)

    def status_error(self, response: "requests.Response", method: str, url: str, model: Optional[str],
                     deadline: float, credentials: Optional[Credentials] = None) -> CmdaiError:
        """The error for an unsuccessful HTTP status, after retries."""
        credentials = credentials or self.credentials
        status = response.status_code
        error = read_service_error(response)
        host = self._host(url)
        said = f": {error.message}" if error.message else ""
        debug = self.debug_text(response, method, url)
        if 300 <= status < 400:
            location = one_line(response.headers.get("location") or "another address", 200)
            return RedirectedError(
                f"{host} redirected the request to {location} (HTTP {status})",
                "configure the final address as the endpoint; redirects are not followed so that "
                "credentials stay with the host you configured", debug=debug)
        if status in (401, 403):
            specific = self.auth_problem(status, error, response, credentials, model)
            if specific is not None:
                return AuthenticationError(f"{host} {specific[0]} (HTTP {status}){said}", specific[1], debug=debug)
        if status == 401:
            sent = credentials.description
            return AuthenticationError(f"{host} refused {sent} (HTTP 401){said}",
                                       self.unauthorized_hint(credentials), debug=debug)
        if status == 403:
            return AuthenticationError(f"{host} denied access (HTTP 403){said}",
                                       self.forbidden_hint(credentials), debug=debug)
        if status == 404:
            return BackendConfigurationError(f"nothing found at {method} {url} (HTTP 404){said}",
                                             self.not_found_hint(error, model), debug=debug)
        if status == 429:
            wait = retry_after_seconds(response, error)
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
        if status in (408, 504):
            return BackendTimeoutError(f"{host} timed out (HTTP {status}){said}",
                                       "try again; the service is slow or overloaded", debug=debug)
        if status >= 500:
            return BackendUnavailableError(f"{host} is failing (HTTP {status}){said}",
                                           "the service is having trouble; try again later", debug=debug)
        if error.is_content_filter:
            return self._filtered("request", error, debug)
        return BackendConfigurationError(f"{host} rejected the request (HTTP {status}){said}",
                                         self.bad_request_hint(error, model), debug=debug)

    def _filtered(self, what: str, error: Optional[ServiceError], debug: str) -> ContentFilteredError:
        categories = f" ({', '.join(error.filtered)})" if error is not None and error.filtered else ""
        return ContentFilteredError(
            f"the {what} was filtered by your organisation's content policy{categories}",
            "rephrase the request; the policy is set on the Azure resource by its administrators",
            debug=debug)

    def _reply(self, response: "requests.Response", url: str) -> Tuple[Dict[str, Any], Optional[str]]:
        """The completion's JSON and the text of its first choice."""
        debug = self.debug_text(response, "POST", url)
        try:
            data = response.json()
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            raise ModelOutputError(f"{self._host(url)} answered with something other than a chat completion",
                                   "check that the endpoint serves the chat-completions API",
                                   debug=debug + "\nbody: " + one_line(response.text or "", 600))
        choices = data.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else None
        if choice is None:
            raise ModelOutputError("the service returned no answer (no choices)", "try again", debug=debug)
        finish = choice.get("finish_reason")
        if finish == "content_filter":
            raise self._filtered("answer", None, debug)
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

    def _generation(self, response: "requests.Response", url: str, model: Optional[str]) -> Generation:
        data, content = self._reply(response, url)
        debug = self.debug_text(response, "POST", url)
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
                                endpoint=self._host(url),
                                alternatives=[Generation(command=other.command, explanation=other.explanation,
                                                         model=answered or model) for other in parsed.alternatives])
        generation.debug = (f"answered by {answered or 'an unnamed model'} for {model or 'the default model'} "
                            f"at {generation.endpoint}\n{debug}")
        history = getattr(getattr(response.raw, "retries", None), "history", None) or ()
        throttled = sum(1 for h in history if h.status == 429)
        if throttled:
            generation.warnings.append(f"the service rate-limited this request {throttled} time(s) before answering")
        return generation

    def list_models(self, refresh: bool = False) -> List[ModelInfo]:
        """The service's models, from a cache renewed daily (or now with ``refresh``)."""
        from ..disk_store import KeyedFile

        with self._redacting():
            store = KeyedFile("models.json", _valid_model_list)
            key = f"{self.name} {self.endpoint_id()}"
            entry = None if refresh else store.get(key)
            if entry is not None and 0 <= time.time() - entry["fetched"] < MODEL_LIST_TTL_SECONDS:
                models = [ModelInfo(id=m["id"], capabilities=tuple(m["capabilities"]), can_chat=m["can_chat"],
                                    status=m["status"], description=m["description"]) for m in entry["models"]]
            else:
                # Ids, states and descriptions come from the service and are shown on terminals: an id
                # that is not plain text names no deployment anyone could type, so it is left out.
                models = [_clean_model(m) for m in self.fetch_models(self.transport.deadline())
                          if m.id and one_line(m.id, 200) == m.id]
                store.put(key, {"fetched": time.time(), "models": [
                    {"id": m.id, "capabilities": list(m.capabilities), "can_chat": m.can_chat,
                     "status": m.status, "description": m.description} for m in models]})
            return mark_default(models, self.model)

    def openai_models(self, url: str, deadline: float) -> List[ModelInfo]:
        """Models from an OpenAI-style ``GET …/models`` list."""
        data = self.get_json(url, deadline)
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise BackendConfigurationError(f"{self._host(url)} returned no model list at {url}",
                                            "check that the endpoint serves an OpenAI-style /models route")
        models = []
        for item in items:
            if not isinstance(item, dict) or not item.get("id"):
                continue
            capabilities = item.get("capabilities")
            flags = tuple(sorted(k for k, v in capabilities.items() if v is True)) if isinstance(capabilities, dict) else ()
            can_chat = capabilities.get("chat_completion") if isinstance(capabilities, dict) else None
            status = item.get("lifecycle_status") or item.get("status")
            models.append(ModelInfo(id=str(item["id"]), capabilities=flags,
                                    can_chat=can_chat if isinstance(can_chat, bool) else None,
                                    status=str(status) if status else None))
        return models

    def is_available(self) -> bool:
        try:
            self.chat_urls(self.model)
        except CmdaiError:
            return False
        return bool(self.model) or not self.require_model()

    def check_connection(self) -> None:
        self.generate(GenerationRequest(text="show the current directory"))

    def health_checks(self) -> Iterator[HealthCheck]:
        from .health import remote_health_checks

        with self._redacting():
            yield from remote_health_checks(self)


def _clean_model(model: ModelInfo) -> ModelInfo:
    def clean(text: Optional[str]) -> Optional[str]:
        return one_line(text, 200) if text else text

    return model._replace(status=clean(model.status), description=clean(model.description),
                          capabilities=tuple(one_line(c, 60) for c in model.capabilities))


def _valid_model_list(entry: Any) -> bool:
    """A cached model list: a finite fetch time and models whose fields have the right types."""
    from ..disk_store import finite_number, optional_text

    def valid_model(m: Any) -> bool:
        return (isinstance(m, dict) and isinstance(m.get("id"), str) and m["id"] == one_line(m["id"], 200)
                and isinstance(m.get("capabilities"), list) and all(isinstance(c, str) for c in m["capabilities"])
                and m.get("can_chat") in (True, False, None) and optional_text(m.get("status"))
                and optional_text(m.get("description")))

    return (isinstance(entry, dict) and finite_number(entry.get("fetched")) and isinstance(entry.get("models"), list)
            and all(valid_model(m) for m in entry["models"]))


def mark_default(models: List[ModelInfo], default: Optional[str]) -> List[ModelInfo]:
    """The list with ``default`` marked; a default the service does not list comes first."""
    marked = [m._replace(is_default=bool(default) and m.id == default) for m in models]
    if default and not any(m.is_default for m in marked):
        marked.insert(0, ModelInfo(id=default, is_default=True, description="configured; not in the service's list"))
    return marked
