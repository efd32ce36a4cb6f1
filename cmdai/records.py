"""Records on the hotkey path, built without ``typing`` and ``dataclasses``.

Importing ``typing`` costs several milliseconds and ``dataclasses`` pulls in ``inspect``; the hotkey
pays every import on every press. ``Record`` is a mutable record with ``__slots__``; ``Value`` is an
immutable one written like a ``typing.NamedTuple`` class (annotated fields, defaults, methods and
docstrings) and built by ``collections.namedtuple``. Type checkers see ``typing.NamedTuple``.
"""
from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False


class Record:
    """Base for a record whose fields are its ``__slots__``; the repr lists them in order."""

    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


#: Names a class body sets itself, not copied onto the built tuple class.
_CLASS_BOOKKEEPING = frozenset(("__module__", "__qualname__", "__annotations__", "__orig_bases__",
                                "__static_attributes__", "__firstlineno__"))
#: Names collections.namedtuple defines; a field or method may not take them.
_TUPLE_NAMES = frozenset(("_make", "_replace", "_asdict", "_fields", "_field_defaults", "__new__",
                          "__getnewargs__", "__slots__", "__init__"))


class _ValueMeta(type):
    """Turns ``class Point(Value): x: int; y: int = 0`` into a namedtuple class ``Point``."""

    def __new__(mcs, name: str, bases: tuple, namespace: dict):
        if namespace.get("_root"):
            return super().__new__(mcs, name, bases, namespace)
        annotations = namespace.get("__annotations__", {})
        fields = list(annotations)
        defaults = []
        for field in fields:
            if field in namespace:
                defaults.append(namespace[field])
            elif defaults:
                raise TypeError(f"{name}: field {field} without a default follows a field with one")
        for key in namespace.keys() & _TUPLE_NAMES:
            raise AttributeError(f"{name}: cannot overwrite the namedtuple attribute {key}")
        cls = namedtuple(name, fields, defaults=defaults, module=namespace.get("__module__"))
        cls.__annotations__ = dict(annotations)
        cls.__qualname__ = namespace.get("__qualname__", name)
        for key, value in namespace.items():
            if key not in _CLASS_BOOKKEEPING and key not in annotations:
                setattr(cls, key, value)
        return cls


if TYPE_CHECKING:
    from typing import NamedTuple as Value
else:
    class Value(metaclass=_ValueMeta):
        """Base of an immutable record: a namedtuple written as an annotated class."""

        _root = True
