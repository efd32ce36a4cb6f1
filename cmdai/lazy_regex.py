"""Regular expressions compiled on first use.

The safety rules and inline-code checks hold many patterns, and a typical command needs few of
them; compiling them all at import would be paid on every keypress of the hotkey.
"""
from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional, Pattern


class LazyRegex:
    """Behaves like the compiled pattern (``match``, ``search``, ``sub``…); compiles when first used."""

    __slots__ = ("_pattern", "_flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self._pattern = pattern
        self._flags = flags
        self._compiled: Optional[Pattern[str]] = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return getattr(self._compiled, name)


def lazy_regex(pattern: str, flags: int = 0) -> LazyRegex:
    return LazyRegex(pattern, flags)
