"""The offline engine: answers common requests from a catalog of intents, with no network
and no model. It declines rather than guesses when no intent fits the request."""
from __future__ import annotations

from typing import List, Optional

from ...errors import NoAnswerError
from ..base import CommandGenerator, Generation, GenerationRequest, ModelInfo
from .engine import Matcher, NoMatch

MODEL_NAME = "offline catalog"
_HINT = "configure Azure AI Foundry: cmdai --setup-backend azure-foundry"

_matcher: Optional[Matcher] = None


def matcher() -> Matcher:
    """The process-wide matcher over the built-in catalog (loaded on first use)."""
    global _matcher
    if _matcher is None:
        from .catalog import INTENTS, NOT_ARGS

        _matcher = Matcher(INTENTS, NOT_ARGS)
    return _matcher


class EmbeddedBackend(CommandGenerator):
    """Offline backend: pattern matching over the built-in intent catalog."""

    name = "embedded"
    is_remote = False

    def generate(self, request: GenerationRequest) -> Generation:
        text = request.text.strip()
        if not text:
            raise NoAnswerError("the request is empty", "type what you want to do, e.g. cmdai \"list all python files\"")
        try:
            found = matcher().match(text, shell=request.shell, os_name=request.os_name)
        except NoMatch as exc:
            if exc.ambiguous:
                raise NoAnswerError(
                    "the offline engine finds this request ambiguous",
                    "say it more specifically, or " + _HINT,
                    debug="candidates: " + ", ".join(exc.candidates),
                ) from None
            raise NoAnswerError("no offline answer for this request", _HINT) from None
        return Generation(found.command, found.explanation or None, model=MODEL_NAME)

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
