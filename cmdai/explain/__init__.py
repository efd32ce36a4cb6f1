"""Explain a command line part by part: each command of a pipeline or list, each option and argument.

The parse tree (tree-sitter-bash, as the safety engine uses) says what the parts are; a catalog
of common commands and their options (``catalog.py``, data only) says what they do. A part the
catalog does not know is shown without a meaning rather than guessed. ``model.py`` lets a model
fill in meanings, checked against the same parts.
"""
from __future__ import annotations

from typing import List

from .parts import Explanation, Part

__all__ = ["UNKNOWN", "Explanation", "Part", "explain", "render"]


def explain(command: str, shell: str = "bash") -> Explanation:
    """The parts of ``command`` with the catalog's meanings (the parser and catalog load here)."""
    from .engine import parts_of

    try:
        return Explanation(command, tuple(parts_of(command, shell)))
    except RecursionError:
        from ..errors import UsageError

        raise UsageError("the command nests substitutions too deeply to explain",
                         "explain its inner commands one at a time") from None


#: Shown for a part the catalog has no meaning for.
UNKNOWN = "(not in cmdai's catalog)"


def render(explanation: Explanation) -> List[str]:
    """Aligned lines: the command, then its parts indented under it."""
    width = min(28, max((len(part.text) + 2 * part.level for part in explanation.parts), default=0))
    lines = [explanation.command.replace("\n", " ⏎ ")] if "\n" in explanation.command else [explanation.command]
    for part in explanation.parts:
        label = "  " * part.level + part.text.replace("\n", " ⏎ ")
        meaning = part.meaning or UNKNOWN
        gap = "\n" + " " * (width + 4) if len(label) > width else " " * (width - len(label) + 2)
        lines.extend(f"  {label}{gap}{meaning}".split("\n"))
    return lines
