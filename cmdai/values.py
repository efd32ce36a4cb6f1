"""The values that travel along a request: what was asked, what a backend answered, what cmdai offers.

The bottom floor: every other module may use these, and this module uses nothing above it.
"""
from __future__ import annotations

from .records import Record, Value
from .safety.levels import Action, Assessment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple, Union
    from .redaction import Redactor

#: At most this many alternatives accompany an answer, however many a model sends.
MAX_ALTERNATIVES = 2


class GenerationRequest(Value):
    """What the user asked for, and where the command will run."""

    text: str
    #: Target shell syntax: "bash", "zsh", "fish" or "sh".
    shell: str = "bash"
    #: "linux", "macos" or another platform name; decides GNU vs BSD tool flags.
    os_name: str = "linux"
    #: Model override for this one run (``--model``), else the backend's configured model.
    model: Optional[str] = None
    #: A command to change rather than a fresh request: ``text`` then says how (refine, repair).
    refine: Optional[str] = None
    #: The target shell's complaint about ``refine``, when the request asks to repair its syntax.
    syntax_error: Optional[str] = None
    #: Facts about the machine from the enabled ``[context]`` sources (cmdai/context/), sent as data.
    context: Optional[Dict[str, Any]] = None


class Generation(Record):
    """A backend's answer: a command line, before safety checks."""

    __slots__ = ("command", "explanation", "model", "usage", "warnings", "alternatives", "deployment",
                 "endpoint", "debug")

    def __init__(self, command: str, explanation: Optional[str] = None, model: Optional[str] = None,
                 usage: Optional[Dict[str, int]] = None, warnings: Optional[List[str]] = None,
                 alternatives: Optional[List["Generation"]] = None, deployment: Optional[str] = None,
                 endpoint: Optional[str] = None, debug: Optional[str] = None):
        self.command = command
        self.explanation = explanation
        #: The model that answered, as the service named it (a model router picks one per request).
        self.model = model
        #: The deployment (or model name) that was asked, when it differs in kind from ``model``.
        self.deployment = deployment
        #: The host that answered, when a backend has several (regional failover).
        self.endpoint = endpoint
        #: Request ids and rate-limit state of the answer, for --debug.
        self.debug = debug
        #: Token usage as the service reported it (prompt_tokens, completion_tokens, total_tokens).
        self.usage = usage
        self.warnings: List[str] = [] if warnings is None else warnings
        #: Other commands for the same request, best first, each judged on its own by safety.
        self.alternatives: List["Generation"] = [] if alternatives is None else alternatives


class ModelInfo(Value):
    """One model (or deployment) a backend offers."""

    id: str
    capabilities: Tuple[str, ...] = ()
    is_default: bool = False
    #: Whether it can serve chat completions; None when the service does not say.
    can_chat: Optional[bool] = None
    status: Optional[str] = None
    description: Optional[str] = None


class HealthCheck(Value):
    """One line of ``cmdai --doctor``: a check, whether it passed, and the fix if not."""

    name: str
    ok: bool
    detail: str = ""
    hint: Optional[str] = None


class Alternative(Value):
    """Another command for the same request, judged by safety on its own."""

    command: str
    explanation: Optional[str]
    assessment: Assessment
    action: Action

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK

    def to_json(self) -> Dict[str, Any]:
        return {"command": None if self.blocked else self.command, "explanation": self.explanation,
                "risk": self.assessment.risk.label, "reasons": list(self.assessment.reasons),
                "action": self.action.value, "blocked": self.blocked}


class Outcome(Record):
    """A command with its safety verdict and where it came from."""

    __slots__ = ("request", "command", "explanation", "assessment", "action", "backend", "model",
                 "fallback_used", "cached", "warnings", "usage", "alternatives", "deployment", "endpoint", "debug",
                 "redactor", "latency_ms", "syntax_checked")

    def __init__(self, request: GenerationRequest, command: str, explanation: Optional[str],
                 assessment: Assessment, action: Action, backend: str, model: Optional[str] = None,
                 fallback_used: bool = False, cached: bool = False, warnings: Optional[List[str]] = None,
                 usage: Optional[Dict[str, int]] = None, alternatives: Optional[List[Alternative]] = None,
                 deployment: Optional[str] = None, endpoint: Optional[str] = None, debug: Optional[str] = None,
                 redactor: Optional["Redactor"] = None, latency_ms: Optional[int] = None,
                 syntax_checked: bool = False):
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
        #: Other commands for the request, best first; blocked ones are kept, marked.
        self.alternatives: List[Alternative] = [] if alternatives is None else alternatives
        #: What was asked (``model`` is what answered), and the host that answered.
        self.deployment = deployment
        self.endpoint = endpoint
        #: Request ids and rate-limit state, for --debug.
        self.debug = debug
        #: The secrets of this request and their placeholders (for the audit log).
        self.redactor = redactor
        self.latency_ms = latency_ms
        #: The target shell parsed the command and every alternative already (a model's answers are
        #: checked, and repaired, before they are offered or cached); the widget need not ask again.
        self.syntax_checked = syntax_checked

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK

    def choices(self) -> List[Union["Outcome", Alternative]]:
        """The commands that may be offered: this one, then every alternative not blocked."""
        return [self] + [alternative for alternative in self.alternatives if not alternative.blocked]

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
            "alternatives": [alternative.to_json() for alternative in self.alternatives],
            "deployment": self.deployment,
            "endpoint": self.endpoint,
        }
