"""Risk levels, safety levels and the policy table that joins them."""
from __future__ import annotations

from enum import Enum, IntEnum

from ..records import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Tuple


class Risk(IntEnum):
    """How much harm a command can do; ordered so that max() composes parts."""

    SAFE = 0
    MODERATE = 1
    HIGH = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Risk":
        return cls[text.strip().upper()]


class Action(str, Enum):
    """What the active safety level does with a command of a given risk."""

    ALLOW = "allow"
    CONFIRM = "confirm"
    BLOCK = "block"


#: Safety levels from the strictest to the most permissive.
SAFETY_LEVELS: Tuple[str, ...] = ("strict", "moderate", "permissive")

# level -> (lowest risk that is blocked, lowest risk that needs confirmation)
_POLICY = {
    "strict": (Risk.HIGH, Risk.MODERATE),
    "moderate": (Risk.CRITICAL, Risk.HIGH),
    "permissive": (None, Risk.CRITICAL),
}


def decide(risk: Risk, level: str) -> Action:
    """The action the safety level ``level`` takes for a command of ``risk``."""
    block_from, confirm_from = _POLICY[level]
    if block_from is not None and risk >= block_from:
        return Action.BLOCK
    if risk >= confirm_from:
        return Action.CONFIRM
    return Action.ALLOW


def stricter(a: str, b: str) -> str:
    """The stricter of two safety levels."""
    return a if SAFETY_LEVELS.index(a) <= SAFETY_LEVELS.index(b) else b


class Assessment(Value):
    """The safety engine's verdict on one command line."""

    command: str
    risk: Risk
    #: One line per finding, in words a user understands.
    reasons: Tuple[str, ...] = ()
    categories: Tuple[str, ...] = ()
    rule_ids: Tuple[str, ...] = ()
