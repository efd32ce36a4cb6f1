"""The interface every backend implements, and the values that cross it."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Dict, Iterator, List, NamedTuple, Optional, Tuple

from ..records import Record

if TYPE_CHECKING:
    from ..config import Config


class GenerationRequest(NamedTuple):
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


class ModelInfo(NamedTuple):
    """One model (or deployment) a backend offers."""

    id: str
    capabilities: Tuple[str, ...] = ()
    is_default: bool = False
    #: Whether it can serve chat completions; None when the service does not say.
    can_chat: Optional[bool] = None
    status: Optional[str] = None
    description: Optional[str] = None


class HealthCheck(NamedTuple):
    """One line of ``cmdai --doctor``: a check, whether it passed, and the fix if not."""

    name: str
    ok: bool
    detail: str = ""
    hint: Optional[str] = None


class CommandGenerator(ABC):
    """Turns a plain-words request into a shell command."""

    #: The name used in config files and on the command line (``-b NAME``).
    name: ClassVar[str] = ""
    #: Remote backends may fall back to the offline engine on connection-class failures.
    is_remote: ClassVar[bool] = False
    #: Whether the backend can change a given command as instructed (``GenerationRequest.refine``).
    can_refine: ClassVar[bool] = False

    def __init__(self, config: "Config"):
        self.config = config

    @abstractmethod
    def generate(self, request: GenerationRequest) -> Generation:
        """Return a command for the request, or raise a GeneratorError subclass."""

    def is_available(self) -> bool:
        """Whether the backend can answer now (cheap; used by the orchestrator and doctor)."""
        return True

    def describe(self) -> str:
        """One line naming the backend and where it sends requests (never a secret)."""
        return self.name

    @property
    def model(self) -> Optional[str]:
        """The model this backend uses when no ``--model`` is given."""
        return None

    def check_connection(self) -> None:
        """Make one cheap authenticated call; raise a GeneratorError that names the fix if it fails."""
        if not self.is_available():
            from ..errors import BackendUnavailableError

            raise BackendUnavailableError(f"{self.describe()} is not available")

    def list_models(self, refresh: bool = False) -> List[ModelInfo]:
        """The models the backend can use, default marked."""
        return []

    def health_checks(self) -> Iterator[HealthCheck]:
        """Checks for ``cmdai --doctor``, in the order a person would fix them."""
        yield HealthCheck(self.name, self.is_available(), self.describe())
