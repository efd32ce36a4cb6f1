"""The interface every backend implements, and what each one declares about itself.

A subclass that sets ``name`` registers itself when its module is imported; ``cmdai.backends`` finds
the built-in modules and is the only list that configuration, help, setup, doctor and requests use.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from ..settings import Key
from ..values import Generation, GenerationRequest, HealthCheck, ModelInfo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Dict, Iterator, List, Mapping, Optional, Tuple, Type
    from ..config import Config

#: Every backend class defined so far, by name (filled by ``CommandGenerator.__init_subclass__``).
REGISTERED: Dict[str, Type["CommandGenerator"]] = {}


class CommandGenerator(ABC):
    """Turns a plain-words request into a shell command."""

    #: The name used in config files and on the command line (``-b NAME``); a built-in backend's
    #: module is named after it (``openai-compatible`` lives in ``openai_compatible.py``).
    name: ClassVar[str] = ""
    #: What the backend is, for ``--help`` and the setup's heading.
    title: ClassVar[str] = ""
    #: One line for ``--help``: what it talks to.
    summary: ClassVar[str] = ""
    #: A paragraph of its own in ``--help`` (lines indented by two spaces), if it needs one.
    help: ClassVar[str] = ""
    #: Its table under [backend] (``[backend.ollama]``); by default the name with underscores.
    section: ClassVar[str] = ""
    #: Its settings by name, in the order the generic setup asks them.
    keys: ClassVar[Mapping[str, Key]] = {}
    #: The settings whose values must differ for two answers not to be shared; the model in use is
    #: always part of it. None: answers are never cached.
    cache_identity: ClassVar[Optional[Tuple[str, ...]]] = None
    #: A setting that, when set with no backend chosen, chooses this backend.
    selected_by: ClassVar[Optional[str]] = None
    #: A setup of its own ("module:Class", given the wizard's session); None: the generic setup asks the
    #: ``keys`` that have a ``prompt``.
    setup_flow: ClassVar[Optional[str]] = None
    #: Remote backends may fall back to the offline engine on connection-class failures.
    is_remote: ClassVar[bool] = False
    #: Whether the backend can change a given command as instructed (``GenerationRequest.refine``).
    can_refine: ClassVar[bool] = False

    def __init_subclass__(cls, register: bool = True, **kwargs: Any) -> None:
        """A class that names itself is a backend; ``register=False`` keeps a stand-in (a test's) off the list."""
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            if not cls.__dict__.get("section"):
                cls.section = cls.name.replace("-", "_")
            if register:
                REGISTERED[cls.name] = cls

    @classmethod
    def key_path(cls, name: str) -> str:
        """Where the setting ``name`` lives in the file, as a dotted key (``backend.ollama.model``)."""
        return f"{cls.keys[name].table or 'backend.' + cls.section}.{name}"

    @classmethod
    def settle(cls, values: Dict[str, Any], sources: Dict[str, str]) -> None:
        """Fill in what follows from other settings (dotted keys, as resolved)."""

    def __init__(self, config: Optional["Config"], settings: Any = None):
        self.config = config
        #: The backend's own settings: a NamedTuple with one field per declared key.
        self.settings = config.settings_of(type(self)) if settings is None and config is not None else settings

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
        """The model this backend uses when no ``--model`` is given: the one place it is worked out."""
        return None

    def cache_key_parts(self, request: GenerationRequest) -> Optional[List[Optional[str]]]:
        """What identifies the service behind an answer to ``request``; None when answers are not cached."""
        if self.cache_identity is None:
            return None
        return [self.name, *(str(getattr(self.settings, name)) for name in self.cache_identity),
                request.model or self.model]

    def reply_text(self, messages: List[Dict[str, str]], model: Optional[str] = None) -> Optional[str]:
        """A model's reply to ``messages`` (for ``--explain``); None when the backend has no model to ask."""
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
