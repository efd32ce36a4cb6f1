"""What a look inside code in a command found (inline.py, pycode.py)."""
from __future__ import annotations

from ..records import Record


class Finding(Record):
    """kind: shell | delete | delete-file | write | rce | reverse-shell | fork-bomb | decoded | dynamic |
    uncheckable (payload: what cannot be checked)."""

    __slots__ = ("kind", "payload")

    def __init__(self, kind: str, payload: str = ""):
        self.kind = kind
        self.payload = payload
