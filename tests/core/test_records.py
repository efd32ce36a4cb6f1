"""Value: an annotated class body becomes a namedtuple, as typing.NamedTuple makes it, without typing."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from typing import NamedTuple, Optional

import pytest

from cmdai.records import Record, Value


class Point(Value):
    """A point."""

    x: int
    #: Documented field with a default.
    y: Optional[int] = 0
    LIMIT = 3

    def total(self) -> int:
        return self.x + (self.y or 0)

    @property
    def doubled(self) -> int:
        return 2 * self.x

    @classmethod
    def diagonal(cls, v: int) -> "Point":
        return cls(v, v)


class TypedPoint(NamedTuple):
    x: int
    y: Optional[int] = 0


def test_a_value_behaves_like_the_typing_namedtuple_it_stands_for():
    ours, theirs = Point(1), TypedPoint(1)
    assert tuple(ours) == tuple(theirs) == (1, 0)
    assert Point._fields == TypedPoint._fields
    assert Point._field_defaults == TypedPoint._field_defaults
    assert repr(ours) == "Point(x=1, y=0)"
    assert ours._replace(y=5) == Point(1, 5)
    assert ours._asdict() == {"x": 1, "y": 0}
    assert Point.__annotations__ == {"x": "int", "y": "Optional[int]"}
    assert (Point.__name__, Point.__qualname__, Point.__module__, Point.__doc__) == \
        ("Point", "Point", __name__, "A point.")
    with pytest.raises(AttributeError):
        ours.x = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


@pytest.mark.parametrize("args, kwargs", [((), {}), ((1, 2, 3), {}), ((1,), {"x": 2}), ((1,), {"z": 2}),
                                          ((), {"y": 1})])
def test_wrong_arguments_are_refused_as_namedtuple_refuses_them(args, kwargs):
    with pytest.raises(TypeError):
        TypedPoint(*args, **kwargs)
    with pytest.raises(TypeError):
        Point(*args, **kwargs)


@pytest.mark.parametrize("args, kwargs", [((1,), {}), ((1, 2), {}), ((), {"x": 1}), ((), {"y": 2, "x": 1}),
                                          ((1,), {"y": None})])
def test_right_arguments_build_the_same_tuple(args, kwargs):
    assert tuple(Point(*args, **kwargs)) == tuple(TypedPoint(*args, **kwargs))


def test_copies_and_matching_work():
    import copy

    point = Point(1, 2)
    assert copy.copy(point) == copy.deepcopy(point) == point
    assert Point._make([3, 4]) == Point(3, 4)
    with pytest.raises(ValueError):
        point._replace(z=1)
    match point:
        case Point(x, y):
            assert (x, y) == (1, 2)


def test_methods_properties_and_class_attributes_are_kept():
    assert Point(1, 2).total() == 3
    assert Point(4).doubled == 8
    assert Point.diagonal(2) == Point(2, 2)
    assert Point.LIMIT == 3 and "LIMIT" not in Point._fields


def test_a_value_pickles_and_subclasses():
    assert pickle.loads(pickle.dumps(Point(1, 2))) == Point(1, 2)

    class Shifted(Point):
        def total(self) -> int:
            return -1

    assert Shifted(1, 2).total() == -1 and isinstance(Shifted(1), Point)


def test_a_field_without_default_after_one_with_default_is_refused():
    with pytest.raises(TypeError, match="b without a default"):
        class Broken(Value):
            a: int = 1
            b: int


def test_a_value_may_not_replace_what_namedtuple_provides():
    with pytest.raises(AttributeError, match="_replace"):
        class Broken(Value):
            a: int

            def _replace(self):  # pragma: no cover - refused before use
                return self


def test_records_import_neither_typing_nor_dataclasses():
    code = "import sys, cmdai.records; print(sorted({'typing', 'dataclasses'} & set(sys.modules)))"
    # Coverage measuring subprocesses would import modules of its own.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]"


def test_a_record_lists_its_slots_in_its_repr():
    class Pair(Record):
        __slots__ = ("a", "b")

        def __init__(self, a: int, b: int):
            self.a, self.b = a, b

    assert repr(Pair(1, "x")) == "Pair(a=1, b='x')"
