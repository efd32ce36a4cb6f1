"""The path of a request: cache, backend, offline fallback, syntax repair, then the safety verdict."""
from __future__ import annotations

import time

from . import shells
from .backends import create_backend
from .backends.base import CommandGenerator
from .config import Config
from .errors import GeneratorError, ModelOutputError, NoAnswerError
from .safety import Assessment, assess, decide
from .values import MAX_ALTERNATIVES, Alternative, Generation, GenerationRequest, Outcome

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional
    from .redaction import Redactor

OFFLINE_BACKEND = "embedded"


def judge(command: str, explanation: Optional[str], shell: str, level: str) -> Alternative:
    """``command`` with its risk and what the safety level ``level`` does with it."""
    assessment = assess_as_written(command, shell)
    return Alternative(command, explanation, assessment, decide(assessment.risk, level))


def assess_as_written(command: str, shell: str) -> Assessment:
    """The safety verdict, its reasons quoting the command as ``shell`` writes it.

    The engine reads fish's ``(cmd)`` as bash's ``$(cmd)``; a fish user should see their own syntax.
    """
    assessment = assess(command, shell)
    written = shells.get(shell)
    return assessment._replace(reasons=tuple(written.as_written(reason, command) for reason in assessment.reasons))


def _cache_key_parts(request: GenerationRequest, backend: CommandGenerator) -> Optional[List[Optional[str]]]:
    """The request as the backend will see it and the service behind it; None when the backend is not cached."""
    service = backend.cache_key_parts(request)
    if service is None:
        return None
    context = None
    if request.context:
        import json

        context = json.dumps(request.context, sort_keys=True)
    return [request.text.strip(), request.shell, request.os_name, request.refine, context, *service]


def generate(request: GenerationRequest, config: Config, *, use_cache: bool = True) -> Outcome:
    """Produce a command for ``request`` and judge it; raises GeneratorError when none can be had.

    Everything after the redaction below sees only the redacted request: secrets never reach a
    backend or the cache, and come back into the answer locally.
    """
    from .redaction import Redactor

    started = time.monotonic()
    backend_name = config.backend.type
    backend = create_backend(backend_name, config)
    if backend.is_remote and request.context is None:
        from .context import collect

        request = request._replace(context=collect(config) or None)
    original, redactor = request, Redactor()
    request = redactor.redact_request(original)
    warnings: List[str] = []
    fallback_used = cached = False
    cache = key = None
    generation: Optional[Generation] = None

    caching = use_cache and config.cache.enabled and config.cache.ttl_hours > 0
    parts = _cache_key_parts(request, backend) if caching else None
    if parts is not None:
        from .response_cache import ResponseCache

        cache = ResponseCache(config.cache.ttl_hours)
        key = cache.key(parts)
        generation = cache.get(key)
        cached = generation is not None

    if generation is None:
        if request.refine is not None and not backend.can_refine:
            raise cannot_refine(request)
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
        else:
            if backend.is_remote:
                generation = _valid_for_shell(backend, request, generation, redactor)

    # The cache keeps the answer as the model gave it, placeholders and all; the user gets the secrets.
    sent_back, generation = generation, _restored(generation, redactor)
    level = config.safety.level
    best = judge(generation.command, generation.explanation, request.shell, level)
    if cache is not None and key is not None and not cached and not fallback_used and not best.blocked:
        # A blocked answer is not kept: the next press asks the backend again.
        cache.put(key, sent_back)
    return Outcome(
        request=original,
        command=generation.command,
        explanation=generation.explanation,
        assessment=best.assessment,
        action=best.action,
        backend=OFFLINE_BACKEND if fallback_used else backend_name,
        model=generation.model,
        fallback_used=fallback_used,
        cached=cached,
        warnings=warnings + list(generation.warnings),
        usage=generation.usage,
        alternatives=[judge(other.command, other.explanation, request.shell, level)
                      for other in _distinct_alternatives(generation)],
        deployment=generation.deployment,
        endpoint=generation.endpoint,
        debug=generation.debug,
        redactor=redactor,
        latency_ms=round((time.monotonic() - started) * 1000),
        # A cached answer was checked for the same shell before it was kept.
        syntax_checked=backend.is_remote and not fallback_used,
    )


def _distinct_alternatives(generation: Generation) -> List[Generation]:
    """At most MAX_ALTERNATIVES non-empty alternatives, none repeating the answer or each other."""
    seen = {generation.command.strip()}
    kept: List[Generation] = []
    for other in generation.alternatives:
        command = other.command.strip()
        if command and command not in seen and len(kept) < MAX_ALTERNATIVES:
            seen.add(command)
            kept.append(other)
    return kept


def cannot_refine(request: GenerationRequest) -> NoAnswerError:
    return NoAnswerError(f"the offline engine cannot change a command as asked ('{request.text}')",
                         "edit the command yourself, or set up a model: cmdai --setup-backend azure-foundry")


def _valid_for_shell(backend: CommandGenerator, request: GenerationRequest, generation: Generation,
                     redactor: "Redactor") -> Generation:
    """The model's answer if the target shell parses it, else one repaired answer that it parses.

    Alternatives that do not parse are left out; they get no repair of their own. Commands are
    parsed with their secrets back in place (an unquoted ``<SECRET_1>`` reads as a redirection),
    and the repair request passes the redactor like the first one.
    """
    shell = request.shell

    def syntax_error(command: str, shell: str) -> Optional[str]:
        return shells.syntax_error(redactor.restore(command) or "", shell)

    valid = [other for other in generation.alternatives if syntax_error(other.command, shell) is None]
    error = syntax_error(generation.command, shell)
    if error is None:
        generation.alternatives = valid
        return generation
    try:
        repaired = backend.generate(redactor.redact_request(
            request._replace(refine=generation.command, syntax_error=error)))
    except GeneratorError as failure:
        raise ModelOutputError(f"the model's command is not valid {shell} syntax ({error}), and asking it to "
                               f"repair that failed: {failure.message}", failure.hint or "try again",
                               debug=failure.debug) from failure
    still = syntax_error(repaired.command, shell)
    if still is not None:
        raise ModelOutputError(f"the model's command is not valid {shell} syntax, even after a repair: {still}",
                               f"try again or rephrase the request; -s {shell} names the target shell")
    repaired.alternatives = [other for other in repaired.alternatives
                             if syntax_error(other.command, shell) is None] + valid
    repaired.warnings = generation.warnings + repaired.warnings + [
        f"the model's first answer was not valid {shell} syntax ({error}); this is its repair"]
    repaired.usage = _added_usage(generation.usage, repaired.usage)
    return repaired


def _added_usage(first: Optional[Dict[str, int]], second: Optional[Dict[str, int]]) -> Optional[Dict[str, int]]:
    if not first or not second:
        return first or second
    return {key: first.get(key, 0) + second.get(key, 0) for key in set(first) | set(second)}


def _restored(generation: Generation, redactor: "Redactor") -> Generation:
    """A copy of the answer and its alternatives with the withheld secrets back, on this machine only."""
    if not redactor.count:
        return generation
    import copy

    restored = copy.copy(generation)
    restored.alternatives = [copy.copy(other) for other in generation.alternatives]
    for answer in [restored, *restored.alternatives]:
        answer.command = redactor.restore(answer.command) or ""
        answer.explanation = redactor.restore(answer.explanation)
    return restored


def _offline_answer(request: GenerationRequest, config: Config, original: GeneratorError) -> Generation:
    offline = create_backend(OFFLINE_BACKEND, config)
    if request.refine is not None and not offline.can_refine:
        raise original
    try:
        return offline.generate(request)
    except GeneratorError:
        # The remote failure is the real problem; say the fallback could not help either.
        hint = original.hint or "check the connection"
        raise type(original)(original.message, f"{hint} (the offline engine had no answer either)",
                             debug=original.debug) from original
