"""The path of a request: cache, backend, offline fallback, then the safety verdict."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .backends import create_backend
from .backends.base import Generation, GenerationRequest
from .config import Config
from .errors import GeneratorError
from .records import Record
from .safety import Action, Assessment, assess, decide

OFFLINE_BACKEND = "embedded"


class Outcome(Record):
    """A command with its safety verdict and where it came from."""

    __slots__ = ("request", "command", "explanation", "assessment", "action", "backend", "model",
                 "fallback_used", "cached", "warnings", "usage")

    def __init__(self, request: GenerationRequest, command: str, explanation: Optional[str],
                 assessment: Assessment, action: Action, backend: str, model: Optional[str] = None,
                 fallback_used: bool = False, cached: bool = False, warnings: Optional[List[str]] = None,
                 usage: Optional[Dict[str, int]] = None):
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
    return [request.text.strip(), request.shell, request.os_name, backend_name, endpoint,
            request.model or _configured_model(config, backend_name), config.backend.azure.deployment_name]


def generate(request: GenerationRequest, config: Config, *, use_cache: bool = True) -> Outcome:
    """Produce a command for ``request`` and judge it; raises GeneratorError when none can be had."""
    backend_name = config.backend.type
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
            # The fix (a CA bundle, a proxy variable, --doctor) matters most when the answer still came.
            fix = f" — {error.hint}" if error.hint else ""
            warnings.append(f"{backend_name} failed ({error.message}); answered by the offline engine{fix}")

    assessment = assess(generation.command, request.shell)
    action = decide(assessment.risk, config.safety.level)
    if cache is not None and key is not None and not cached and not fallback_used and action is not Action.BLOCK:
        # A blocked answer is not kept: the next press asks the backend again.
        cache.put(key, generation)
    return Outcome(
        request=request,
        command=generation.command,
        explanation=generation.explanation,
        assessment=assessment,
        action=action,
        backend=OFFLINE_BACKEND if fallback_used else backend_name,
        model=generation.model,
        fallback_used=fallback_used,
        cached=cached,
        warnings=warnings + list(generation.warnings),
        usage=generation.usage,
    )


def _offline_answer(request: GenerationRequest, config: Config, original: GeneratorError) -> Generation:
    offline = create_backend(OFFLINE_BACKEND, config)
    try:
        return offline.generate(request)
    except GeneratorError:
        # The remote failure is the real problem; say the fallback could not help either.
        hint = original.hint or "check the connection"
        raise type(original)(original.message, f"{hint} (the offline engine had no answer either)",
                             debug=original.debug) from original
