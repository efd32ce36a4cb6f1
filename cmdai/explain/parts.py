"""The pieces of an explained command line."""
from __future__ import annotations

from typing import NamedTuple, Tuple


class Part(NamedTuple):
    """One piece of the command line and what it does ("" when nothing is known)."""

    text: str
    meaning: str
    #: 0 for a command, a connector or a loop; 1 for an option, argument or redirection of it.
    level: int = 1


class Explanation(NamedTuple):
    command: str
    parts: Tuple[Part, ...]
