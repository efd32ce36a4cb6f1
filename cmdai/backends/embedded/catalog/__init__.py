"""The offline catalog: every intent the embedded engine knows, one module per topic.

Adding an intent means adding one ``intent(...)`` entry to the topic module it belongs to; a new
topic is one new module here with an ``INTENTS`` list. Every module of this package is read with
it, so there is no list to add a topic to (``vocab`` holds shared words, not intents).
"""
from __future__ import annotations

from ....discovery import load, module_names
from ..intent import Intent
from .vocab import NOT_ARGS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import List, Tuple


def _topics() -> Tuple[ModuleType, ...]:
    return tuple(load(f"{__name__}.{name}") for name in module_names(__path__) if name != "vocab")


TOPICS = _topics()

INTENTS: List[Intent] = [it for topic in TOPICS for it in topic.INTENTS]

__all__ = ["INTENTS", "NOT_ARGS", "TOPICS"]
