"""The offline engine: answers common requests from a catalog of intents, with no network
and no model. It declines rather than guesses when no intent fits the request."""
from __future__ import annotations

from ...errors import NoAnswerError
from ..base import CommandGenerator
from ...values import Generation, GenerationRequest, ModelInfo
from .engine import Matcher, NoMatch

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional

    from ...config import Config

MODEL_NAME = "offline catalog"
_SETUP_HINT = "configure Azure AI Foundry: cmdai --setup-backend azure-foundry"

_matcher: Optional[Matcher] = None


def matcher() -> Matcher:
    """The process-wide matcher over the built-in catalog (loaded on first use)."""
    global _matcher
    if _matcher is None:
        from .catalog_cache import load_matcher

        _matcher = load_matcher()
    return _matcher


def configured_model_backend(config: Optional["Config"]) -> Optional[str]:
    """The model backend the configuration sets up, whichever backend this run uses."""
    if config is None:
        return None
    if config.backend.type not in (None, EmbeddedBackend.name):
        return config.backend.type
    return next(iter(config.configured_backends()), None)


def decline_hint(config: Optional["Config"]) -> str:
    """What to do when the offline engine has no answer: ask the model if one is set up."""
    configured = configured_model_backend(config)
    if configured is None:
        return _SETUP_HINT
    return f'ask the configured model: cmdai -b {configured} "…"'


class EmbeddedBackend(CommandGenerator):
    """Offline backend: pattern matching over the built-in intent catalog."""

    name = "embedded"
    title = "the offline engine"
    summary = "offline engine for common requests; no network, no setup (the default)"
    is_remote = False

    def generate(self, request: GenerationRequest) -> Generation:
        text = request.text.strip()
        if not text:
            raise NoAnswerError("the request is empty", "type what you want to do, e.g. cmdai \"list all python files\"")
        try:
            found = matcher().match(text, shell=request.shell, os_name=request.os_name)
        except NoMatch as exc:
            hint = decline_hint(self.config)
            if exc.ambiguous:
                raise NoAnswerError(
                    "the offline engine finds this request ambiguous",
                    "say it more specifically, or " + hint,
                    debug="candidates: " + ", ".join(exc.candidates),
                ) from None
            raise NoAnswerError("no offline answer for this request", "rephrase it, or " + hint) from None
        alternatives = [Generation(command, explanation or None, model=MODEL_NAME)
                        for command, explanation in found.alternatives]
        return Generation(found.command, found.explanation or None, model=MODEL_NAME, alternatives=alternatives)

    def describe(self) -> str:
        return "embedded (offline catalog, no network)"

    @property
    def model(self) -> Optional[str]:
        return MODEL_NAME

    def list_models(self, refresh: bool = False) -> List[ModelInfo]:
        from .catalog import INTENTS

        return [
            ModelInfo(
                MODEL_NAME,
                capabilities=("offline",),
                is_default=True,
                status="ready",
                description=f"{len(INTENTS)} built-in intents matched locally; no network, no download",
            )
        ]
