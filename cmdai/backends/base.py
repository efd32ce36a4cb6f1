"""The interface every backend implements."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar, Iterator, List, Optional

from ..values import Generation, GenerationRequest, HealthCheck, ModelInfo

if TYPE_CHECKING:
    from ..config import Config


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
