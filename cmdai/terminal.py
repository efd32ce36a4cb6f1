"""Colour on a terminal: one decision for every message cmdai prints."""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

#: SGR codes by meaning, so that every part of cmdai paints the same thing the same way.
COLOURS = {"bold": "1", "ok": "32", "safe": "32", "moderate": "33", "warning": "33", "high": "31", "error": "31",
           "critical": "1;31", "dim": "2", "command": "36"}


def colour_enabled(stream: TextIO) -> bool:
    """Colour only on a terminal, not on TERM=dumb, and never when NO_COLOR is set to anything (no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


def paint(text: str, meaning: str, stream: TextIO) -> str:
    """``text`` in the colour of ``meaning`` (a key of COLOURS) when ``stream`` shows colour."""
    return f"\x1b[{COLOURS[meaning]}m{text}\x1b[0m" if colour_enabled(stream) else text
