"""What one deployment accepts in a chat request, learnt from its 400s and remembered.

Reasoning models take ``max_completion_tokens`` and a ``reasoning_effort`` but no temperature;
some models refuse JSON mode; names are the user's own. The name gives a first guess, each
refusal corrects it once, and what worked is kept on disk for the next run, next to other facts
learnt about an endpoint (the route and token audience that worked).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ..lazy_regex import lazy_regex
from ..records import Record

if TYPE_CHECKING:
    from ..disk_store import KeyedFile
    from .service_errors import ServiceError

TEMPERATURE = 0.1
MAX_TOKENS = 512
#: Reasoning tokens count against max_completion_tokens, and so does the tokens-per-minute
#: estimate: a cap per effort leaves room for the thinking without reserving more than it needs.
COMPLETION_CAPS = {"none": 512, "minimal": 1024, "low": 2048, "medium": 4096, "high": 8192, "xhigh": 8192}
#: For a reasoning model whose effort is not sent (the service's default, medium).
MAX_COMPLETION_TOKENS = COMPLETION_CAPS["medium"]
#: The largest cap an empty answer cut short by "length" may grow to.
MAX_COMPLETION_CAP = 16384

_REASONING_MODEL = lazy_regex(r"(?:^|[/_.-])(?:o[1-9](?:[_.-]|$)|gpt-5)", re.IGNORECASE)
#: reasoning_effort values, lowest first.
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
_GPT5 = lazy_regex(r"gpt-?5(?:[._-]?(\d+))?(?:[._-](\w+))?", re.IGNORECASE)
_O_SERIES = lazy_regex(r"(?:^|[/_.-])o[1-9](?:[_.-](\w+))?(?:$|[/_.-])", re.IGNORECASE)
_QUOTED = lazy_regex(r"""['"]([a-z]+)['"]""")
#: Body parameters a model may reject, which the request can do without.
ADJUSTABLE_PARAMETERS = ("response_format", "max_tokens", "max_completion_tokens", "temperature", "reasoning_effort")


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


def rejected_parameter(error: "ServiceError") -> Optional[str]:
    """The optional body parameter a 400/422 refused, if the error names one."""
    if error.param in ADJUSTABLE_PARAMETERS:
        return error.param
    if error.param == "reasoning.effort":  # the Responses API's spelling
        return "reasoning_effort"
    for name in error.rejected_fields:
        if name in ADJUSTABLE_PARAMETERS:
            return name
    # Messages name the refused parameter first ("'max_tokens' … use 'max_completion_tokens'").
    found = [(error.message.find(name), name) for name in ADJUSTABLE_PARAMETERS if name in error.message]
    return min(found)[1] if found else None


def adapt(options: RequestOptions, error: "ServiceError", adjusted: List[str], effort_configured: bool) -> Optional[str]:
    """Change what a 400/422 refused, once per parameter; the parameter changed, or None."""
    param = rejected_parameter(error)
    if param is None or param in adjusted:
        return None
    if param == "reasoning_effort":
        supported = supported_efforts(error.message)
        if supported:
            # A configured effort is the user's choice: the error names the values to pick from.
            return param if not effort_configured and options.lowest_effort_of(supported) else None
    return param if options.without(param, adjusted) else None


def options_for(key: str, model: Optional[str], configured_effort: Optional[str]) -> Tuple[RequestOptions, str]:
    """The options to send to ``model``, and where its reasoning effort comes from (for --doctor)."""
    options = remembered_options(key, model)
    source = "learnt from the deployment's answers" if options is not None else "from the deployment name"
    if options is None:
        options = RequestOptions.for_model(model)
    if configured_effort:
        options.reasoning_effort, source = configured_effort, "[backend] reasoning_effort"
    return options, source
