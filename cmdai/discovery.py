"""Modules found by listing their package's folder, and imported by name.

Backends, shells, safety rules, offline topics and context sources are each one file in their
package's folder. Finding them needs no list written down and no ``pkgutil`` (which imports
``inspect``); importing them needs no ``importlib`` (which imports ``warnings``): both would cost
milliseconds on every key press.
"""
from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Iterable, List


def module_names(folders: Iterable[str], *, packages: bool = False) -> List[str]:
    """The names of the modules in ``folders`` (a package's ``__path__``), sorted, private ones
    (``_name``) left out; with ``packages``, sub-packages (folders with an ``__init__.py``) too."""
    found = set()
    for folder in folders:
        for entry in os.listdir(folder):
            stem, ext = os.path.splitext(entry)
            if stem.startswith("_"):
                continue
            if ext == ".py" or packages and not ext and os.path.isfile(os.path.join(folder, entry, "__init__.py")):
                found.add(stem)
    return sorted(found)


def load(name: str) -> ModuleType:
    """The module ``name`` (dotted), imported on first use: ``importlib.import_module`` without importlib."""
    __import__(name)
    return sys.modules[name]
