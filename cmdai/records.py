"""Mutable records on the hotkey path: classes with ``__slots__`` and a readable repr.

They stand in for ``@dataclass``: importing ``dataclasses`` pulls in ``inspect``, and every class
it builds costs more at start-up than a plain class, which the hotkey pays on every press.
"""
from __future__ import annotations


class Record:
    """Base for a record whose fields are its ``__slots__``; the repr lists them in order."""

    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"
