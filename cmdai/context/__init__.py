"""What cmdai may tell the model about the machine: opt-in sources, one small module each.

``SOURCES`` is the only list. Each entry names a module in this package with a
``collect(environ)`` function returning a small JSON-able dict (or None when there is nothing to
say); the module is imported only when its source is on. The ``[context]`` table switches each
source, and the site ``[policy] forbid_context`` turns sources off for everyone.
"""
from __future__ import annotations

import os

from ..discovery import load

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Mapping, Optional, Tuple
    from ..config import Config

#: (name, module, on by default, what it tells the model)
SOURCES: Tuple[Tuple[str, str, bool, str], ...] = (
    ("os", "os_info", True, "operating system, distribution and version"),
    ("tools", "tools", True, "which common command-line tools are installed, and GNU or BSD flavours"),
    ("cwd", "cwd", False, "names of up to 50 entries of the current directory (never their contents)"),
    ("git", "git", False, "git branch, counts of staged, modified and untracked files, remote names"),
    ("last_command", "last_command", False, "the previous command line and its exit status (from the widget)"),
)
SOURCE_NAMES = tuple(name for name, _, _, _ in SOURCES)


def enabled_sources(config: "Config") -> List[str]:
    """The sources switched on in ``config`` (the site policy has already switched off forbidden ones)."""
    return [name for name in SOURCE_NAMES if getattr(config.context, name, False)]


def collect(config: "Config", environ: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """Context from every enabled source, in registry order; a source that fails is left out."""
    environ = os.environ if environ is None else environ
    modules = {name: module for name, module, _, _ in SOURCES}
    context: Dict[str, Any] = {}
    for name in enabled_sources(config):
        try:
            value = load(f"{__name__}.{modules[name]}").collect(environ)
        except Exception:  # noqa: BLE001 - context is a courtesy; it must never cost the answer
            continue
        if value:
            context[name] = value
    return context
