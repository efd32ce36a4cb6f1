"""The whole explanation of a command line: its parts, from a model when one is configured, and its risk."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple

from ..errors import GeneratorError
from ..values import Alternative
from . import Explanation, explain, render

if TYPE_CHECKING:
    from ..config import Config

OFFLINE_BACKEND = "embedded"
_ACTION_NOTES = {"confirm": " (your safety level asks you to review it before running)",
                 "block": " (your safety level blocks it)"}


class Described(NamedTuple):
    explanation: Explanation
    #: The safety verdict: risk, reasons, action.
    verdict: Alternative
    #: "catalog" or the backend whose model explained the parts.
    source: str
    warnings: List[str]

    def lines(self) -> List[str]:
        assessment = self.verdict.assessment
        reasons = "; ".join(assessment.reasons)
        risk = f"risk: {assessment.risk.label}" + (f" — {reasons}" if reasons else "")
        risk += _ACTION_NOTES.get(self.verdict.action.value, "")
        return render(self.explanation) + [risk]

    def to_json(self) -> Dict[str, Any]:
        return {"command": self.explanation.command, "source": self.source,
                "parts": [{"text": part.text, "meaning": part.meaning or None, "level": part.level}
                          for part in self.explanation.parts],
                **{key: value for key, value in self.verdict.to_json().items() if key not in ("command", "explanation")},
                "warnings": list(self.warnings)}


def describe(command: str, shell: str, os_name: str, config: "Config") -> Described:
    """Explain ``command`` part by part: the parse and catalog always, a model's words when configured.

    A model that fails leaves the catalog's explanation, with a warning that says so.
    """
    from ..orchestrator import judge

    explanation = explain(command, shell)
    source = "catalog"
    warnings: List[str] = []
    backend_name = config.backend.type
    if backend_name != OFFLINE_BACKEND:
        from ..backends import create_backend
        from ..remote.prompting import explain_messages
        from ..redaction import Redactor
        from .model import checked_against_parse, model_meanings

        backend = create_backend(backend_name, config)
        # The command may hold secrets: the model sees placeholders, the meanings get them back here.
        redactor = Redactor()
        try:
            reply = backend.reply_text(explain_messages(redactor.redact(command), shell, os_name))
        except GeneratorError as error:
            warnings.append(f"{backend_name} could not explain the command ({error.message}); "
                            "explained from cmdai's catalog")
        else:
            if reply is not None:  # None: the backend has no model to ask
                meanings = {redactor.restore(part) or "": redactor.restore(meaning) or ""
                            for part, meaning in model_meanings(reply).items()}
                explanation = checked_against_parse(explanation, meanings)
                source = backend_name
    return Described(explanation, judge(command, None, shell, config.safety.level), source, warnings)
