"""A model's explanation of a command, kept only where it matches a part of the parse.

The reply is untrusted: a meaning is taken for a part of the command the parse found, never for
an option or argument the command does not contain, and it loses terminal controls on the way.
"""
from __future__ import annotations

from typing import Any, Dict, Iterator, Tuple

from ..remote.parsing import json_objects
from ..sanitize import one_line, strip_terminal_controls
from . import Explanation

#: Longest meaning kept from a model; a part is explained in a few words.
MAX_MEANING = 200
_PART_KEYS = ("part", "text", "token", "word")
_MEANING_KEYS = ("meaning", "explanation", "description", "what")


def model_meanings(reply: str) -> Dict[str, str]:
    """Part → meaning from the model's reply, whatever usable shape it has."""
    meanings: Dict[str, str] = {}
    for obj in json_objects(strip_terminal_controls(reply or "")):
        for part, meaning in _pairs(obj):
            if isinstance(part, str) and isinstance(meaning, str) and part.strip() and meaning.strip():
                meanings.setdefault(" ".join(part.split()), one_line(strip_terminal_controls(meaning), MAX_MEANING))
        if meanings:
            break
    return meanings


def _pairs(obj: Any) -> Iterator[Tuple[Any, Any]]:
    parts = obj.get("parts") if isinstance(obj, dict) else obj
    if isinstance(parts, dict):
        yield from parts.items()
    elif isinstance(parts, list):
        for item in parts:
            if isinstance(item, dict):
                yield (next((item[k] for k in _PART_KEYS if k in item), None),
                       next((item[k] for k in _MEANING_KEYS if k in item), None))


def checked_against_parse(explanation: Explanation, meanings: Dict[str, str]) -> Explanation:
    """The parsed parts, each with the model's meaning when it explained exactly that part.

    A meaning for anything the parse did not find is dropped; a part the model skipped keeps the
    catalog's meaning.
    """
    parts = []
    for part in explanation.parts:
        words = " ".join(part.text.split())
        meaning = meanings.get(words) or meanings.get(words.split(" ", 1)[0] if part.level else "")
        parts.append(part._replace(meaning=meaning) if meaning else part)
    return explanation._replace(parts=tuple(parts))
