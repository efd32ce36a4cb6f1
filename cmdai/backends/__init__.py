"""The registry of backends: the only list of them, found rather than written down.

Every module (or package) in this directory is a built-in backend named after its file
(``openai_compatible.py`` is ``openai-compatible``), and it is imported only when something needs it:
the offline path never loads HTTP code. A ``CommandGenerator`` subclass defined anywhere else
registers itself when its module is imported.
"""
from __future__ import annotations

from functools import lru_cache

from ..discovery import load, module_names
from ..errors import ConfigError
from .base import REGISTERED, CommandGenerator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Tuple, Type
    from ..config import Config
    from ..settings import Key

#: Modules here that are not backends.
_NOT_BACKENDS = ("base",)


@lru_cache(maxsize=None)
def _module_names() -> Dict[str, str]:
    """Backend name -> module, from a directory listing (pkgutil would import inspect: milliseconds),
    read once per run."""
    return {stem.replace("_", "-"): f"{__name__}.{stem}" for stem in module_names(__path__, packages=True)
            if stem not in _NOT_BACKENDS}


def names() -> Tuple[str, ...]:
    """Every backend's name, sorted, without importing any of them."""
    return tuple(sorted(set(_module_names()) | set(REGISTERED)))


def get(name: str) -> Type[CommandGenerator]:
    """The class of the backend ``name``, its module imported on first use."""
    module = None if name in REGISTERED else _module_names().get(name)
    if module is not None:
        load(module)
    try:
        return REGISTERED[name]
    except KeyError:
        if module is not None:
            raise ConfigError(f"{module} defines no backend named {name!r}",
                              f'its CommandGenerator subclass needs name = "{name}"') from None
        raise ConfigError(f"unknown backend {name!r}", f"choose one of: {', '.join(names())}") from None


def every() -> List[Type[CommandGenerator]]:
    """Every backend class, each module imported (for help, setup and the full schema)."""
    return [get(name) for name in names()]


def owner_of(dotted: str, load_all: bool = True, prefer: Optional[str] = None) -> Optional[Type[CommandGenerator]]:
    """The backend that declares the setting ``dotted`` (``backend.ollama.model``), or None.

    The backend named after the table, then ``prefer``, are tried first, so that a file with
    ``[backend.ollama]`` loads Ollama's module alone; only then (and with ``load_all``) every backend.
    """
    parts = dotted.split(".")
    guess = parts[1].replace("_", "-") if len(parts) == 3 and parts[0] == "backend" else None
    known = set(_module_names()) | set(REGISTERED)
    candidates = [get(name) for name in (guess, prefer) if name in known]
    for cls in candidates:
        if _declares(cls, dotted):
            return cls
    return next((cls for cls in every() if _declares(cls, dotted)), None) if load_all else None


def _declares(cls: Type[CommandGenerator], dotted: str) -> bool:
    return any(cls.key_path(name) == dotted for name in cls.keys)


def declared_keys() -> Dict[str, Tuple[Type[CommandGenerator], "Key"]]:
    """Every backend's settings by dotted key, with the backend that declares each."""
    return {cls.key_path(name): (cls, key) for cls in every() for name, key in cls.keys.items()}


def create_backend(name: str, config: "Config") -> CommandGenerator:
    """Instantiate the backend registered under ``name``."""
    return get(name)(config)
