"""Records on the hotkey path, built without ``typing`` and ``dataclasses``.

Importing ``typing`` costs several milliseconds and ``dataclasses`` pulls in ``inspect``; the hotkey
pays every import on every press. ``Record`` is a mutable record with ``__slots__``; ``Value`` is an
immutable one written like a ``typing.NamedTuple`` class (annotated fields, defaults, methods and
docstrings) that behaves like one, and type checkers see ``typing.NamedTuple``.
"""
from __future__ import annotations

from operator import itemgetter

TYPE_CHECKING = False


class Record:
    """Base for a record whose fields are its ``__slots__``; the repr lists them in order."""

    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


#: Names a class body sets itself, not copied onto the built class.
_CLASS_BOOKKEEPING = frozenset(("__module__", "__qualname__", "__annotations__", "__orig_bases__",
                                "__static_attributes__", "__firstlineno__"))


class _Tuple(tuple):
    """What every Value class shares: what collections.namedtuple generates per class, written once.

    (namedtuple compiles a constructor and builds a docstring per field for each class: tens of
    microseconds each, paid for dozens of classes on every key press.)
    """

    __slots__ = ()
    _fields: tuple = ()
    _field_defaults: dict = {}

    def __new__(cls, *args, **kwargs):
        fields = cls._fields
        if kwargs or len(args) != len(fields):
            if len(args) > len(fields):
                raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments but {len(args)} were given")
            values = list(args)
            for name in fields[len(args):]:
                if name in kwargs:
                    values.append(kwargs.pop(name))
                elif name in cls._field_defaults:
                    values.append(cls._field_defaults[name])
                else:
                    raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
            if kwargs:
                raise TypeError(f"{cls.__name__}() got an unexpected or repeated argument: {next(iter(kwargs))!r}")
            args = values
        return tuple.__new__(cls, args)

    @classmethod
    def _make(cls, iterable):
        return cls(*iterable)

    def _replace(self, **changes):
        unknown = changes.keys() - set(self._fields)
        if unknown:
            raise ValueError(f"got unexpected field names: {sorted(unknown)!r}")
        return tuple.__new__(type(self), [changes.get(name, value) for name, value in zip(self._fields, self)])

    def _asdict(self) -> dict:
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        return tuple(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self._fields, self))})"


#: Names _Tuple defines; a field or method may not take them.
_TUPLE_NAMES = frozenset(("_make", "_replace", "_asdict", "_fields", "_field_defaults", "__new__",
                          "__getnewargs__", "__slots__", "__init__"))


class _ValueMeta(type):
    """Turns ``class Point(Value): x: int; y: int = 0`` into a tuple class ``Point`` with fields x and y."""

    def __new__(mcs, name: str, bases: tuple, namespace: dict):
        if namespace.get("_root"):
            return super().__new__(mcs, name, bases, namespace)
        annotations = namespace.get("__annotations__", {})
        fields = tuple(annotations)
        defaults = {}
        for field in fields:
            if field in namespace:
                defaults[field] = namespace[field]
            elif defaults:
                raise TypeError(f"{name}: field {field} without a default follows a field with one")
        taken = sorted(namespace.keys() & _TUPLE_NAMES)
        if taken:
            raise AttributeError(f"{name}: cannot overwrite the namedtuple attribute {taken[0]}")
        body = {key: value for key, value in namespace.items() if key not in _CLASS_BOOKKEEPING and key not in defaults}
        body.update((field, property(itemgetter(index))) for index, field in enumerate(fields))
        body.update(__slots__=(), _fields=fields, _field_defaults=defaults, __match_args__=fields,
                    __annotations__=dict(annotations), __module__=namespace.get("__module__"),
                    __qualname__=namespace.get("__qualname__", name))
        return type(name, (_Tuple,), body)


if TYPE_CHECKING:
    from typing import NamedTuple as Value
else:
    class Value(metaclass=_ValueMeta):
        """Base of an immutable record: a named tuple written as an annotated class."""

        _root = True
