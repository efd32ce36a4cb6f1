"""The path of a request: cache, backend, offline fallback, then the safety verdict."""
from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .backends import create_backend
from .backends.base import Generation, GenerationRequest
from .config import Config
from .errors import GeneratorError
from .records import Record
from .safety import Action, Assessment, assess, decide

if TYPE_CHECKING:
    from .redaction import Redactor

OFFLINE_BACKEND = "embedded"


class Outcome(Record):
    """A command with its safety verdict and where it came from."""

    __slots__ = ("request", "command", "explanation", "assessment", "action", "backend", "model",
                 "fallback_used", "cached", "warnings", "usage", "redactor", "latency_ms")

    def __init__(self, request: GenerationRequest, command: str, explanation: Optional[str],
                 assessment: Assessment, action: Action, backend: str, model: Optional[str] = None,
                 fallback_used: bool = False, cached: bool = False, warnings: Optional[List[str]] = None,
                 usage: Optional[Dict[str, int]] = None, redactor: Optional["Redactor"] = None,
                 latency_ms: Optional[int] = None):
        self.request = request
        self.command = command
        self.explanation = explanation
        self.assessment = assessment
        self.action = action
        self.backend = backend
        self.model = model
        self.fallback_used = fallback_used
        self.cached = cached
        self.warnings: List[str] = [] if warnings is None else warnings
        self.usage = usage
        #: The secrets of this request and their placeholders (for the audit log).
        self.redactor = redactor
        self.latency_ms = latency_ms

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK

    def to_json(self) -> Dict[str, Any]:
        return {
            "command": None if self.blocked else self.command,
            "explanation": self.explanation,
            "risk": self.assessment.risk.label,
            "reasons": list(self.assessment.reasons),
            "categories": list(self.assessment.categories),
            "action": self.action.value,
            "blocked": self.blocked,
            "backend": self.backend,
            "model": self.model,
            "fallback_used": self.fallback_used,
            "cached": self.cached,
            "warnings": list(self.warnings),
            "usage": self.usage,
        }


def _configured_model(config: Config, backend_name: str) -> Optional[str]:
    specific = {"ollama": config.backend.ollama.model,
                "openai-compatible": config.backend.openai_compatible.model}.get(backend_name)
    return specific or config.backend.model


def _cache_key_parts(request: GenerationRequest, config: Config, backend_name: str) -> List[Optional[str]]:
    endpoint = {"ollama": config.backend.ollama.base_url,
                "openai-compatible": config.backend.openai_compatible.base_url}.get(
        backend_name, config.backend.endpoint)
    context = json.dumps(request.context, sort_keys=True) if request.context else None
    return [request.text.strip(), request.shell, request.os_name, backend_name, endpoint,
            request.model or _configured_model(config, backend_name), config.backend.azure.deployment_name, context]


def generate(request: GenerationRequest, config: Config, *, use_cache: bool = True) -> Outcome:
    """Produce a command for ``request`` and judge it; raises GeneratorError when none can be had.

    Everything after the redaction below sees only the redacted request: secrets never reach a
    backend or the cache, and come back into the answer locally.
    """
    from .redaction import Redactor

    started = time.monotonic()
    backend_name = config.backend.type
    if backend_name != OFFLINE_BACKEND and request.context is None:
        from .context import collect

        request = request._replace(context=collect(config) or None)
    original, redactor = request, Redactor()
    request = redactor.redact_request(original)
    warnings: List[str] = []
    fallback_used = cached = False
    cache = key = None
    generation: Optional[Generation] = None

    if backend_name != OFFLINE_BACKEND and use_cache and config.cache.enabled and config.cache.ttl_hours > 0:
        from .response_cache import ResponseCache

        cache = ResponseCache(config.cache.ttl_hours)
        key = cache.key(_cache_key_parts(request, config, backend_name))
        generation = cache.get(key)
        cached = generation is not None

    if generation is None:
        backend = create_backend(backend_name, config)
        try:
            generation = backend.generate(request)
        except GeneratorError as error:
            if not (error.fallback_allowed and backend.is_remote and config.backend.fallback):
                raise
            generation = _offline_answer(request, config, error)
            fallback_used = True
            warnings.append(f"{backend_name} failed ({error.message}); answered by the offline engine")
        else:
            if cache is not None and key is not None:
                cache.put(key, generation)

    _restore(generation, redactor)
    assessment = assess(generation.command, request.shell)
    return Outcome(
        request=original,
        command=generation.command,
        explanation=generation.explanation,
        assessment=assessment,
        action=decide(assessment.risk, config.safety.level),
        backend=OFFLINE_BACKEND if fallback_used else backend_name,
        model=generation.model,
        fallback_used=fallback_used,
        cached=cached,
        warnings=warnings + list(generation.warnings),
        usage=generation.usage,
        redactor=redactor,
        latency_ms=round((time.monotonic() - started) * 1000),
    )


def _restore(generation: Generation, redactor: "Redactor") -> None:
    """Put the withheld secrets back into the answer and its alternatives, on this machine only."""
    for answer in [generation, *generation.alternatives]:
        answer.command = redactor.restore(answer.command) or ""
        answer.explanation = redactor.restore(answer.explanation)


def _offline_answer(request: GenerationRequest, config: Config, original: GeneratorError) -> Generation:
    offline = create_backend(OFFLINE_BACKEND, config)
    try:
        return offline.generate(request)
    except GeneratorError:
        # The remote failure is the real problem; say the fallback could not help either.
        hint = original.hint or "check the connection"
        raise type(original)(original.message, f"{hint} (the offline engine had no answer either)",
                             debug=original.debug) from original
