"""Turn an intent's command template and the filled slots into a command line for one shell.

Templates use ``<name>`` for a slot and ``[? ... ?]`` for a part that appears only when all its
slots are filled. Every value from the request is quoted for the target shell here, so user
text never reaches a command unquoted.
"""
from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Mapping, Optional

from ... import shells
from ...lazy_regex import lazy_regex
from .slots import Slot

PLACEHOLDER = lazy_regex(r"<([a-z][a-z0-9_]*)>")
OPTIONAL = lazy_regex(r"\[\?(.*?)\?\]")


def quote(value: str, shell: str = "bash", force: bool = False) -> str:
    """Quote one word for the shell; ``force`` quotes even when it is not needed."""
    return shells.get(shell).quote(value, force)


def quote_path(value: str, shell: str = "bash") -> str:
    """Quote a path but keep a leading ``~`` or ``~/`` unquoted so the shell expands it."""
    if value == "~":
        return value
    if value.startswith("~/"):
        rest = value[2:]
        return "~/" + quote(rest, shell) if rest else "~/"
    return quote(value, shell)


def render_slot(slot: Slot, shell: str) -> str:
    """The shell text for one slot value."""
    if slot.style == "literal":
        return slot.raw
    if slot.style == "var":
        # A variable the user named, maybe followed by a path: "$dir", "$HOME/src".
        name, sep, rest = slot.raw.partition("/")
        tail = quote(sep + rest, shell) if sep else ""
        # Outside POSIX (fish) a variable's value is never split, so it needs no quotes there.
        return ('"$' + name + '"' if shells.get(shell).posix else "$" + name) + tail
    if slot.style == "path":
        return quote_path(slot.raw, shell)
    return quote(slot.raw, shell, force=slot.style == "force")


def fill(template: str, slots: Mapping[str, Slot], defaults: Mapping[str, str], shell: str) -> Optional[str]:
    """Render a template, or None if a slot outside an optional part is missing."""

    def optional(m: "re.Match[str]") -> str:
        names = PLACEHOLDER.findall(m.group(1))
        if all(n in slots and not slots[n].implicit for n in names):
            return m.group(1)
        return ""

    text = OPTIONAL.sub(optional, template)
    missing = False

    def value(m: "re.Match[str]") -> str:
        nonlocal missing
        name = m.group(1)
        if name in slots:
            return render_slot(slots[name], shell)
        if name in defaults:
            return defaults[name]
        missing = True
        return ""

    out = PLACEHOLDER.sub(value, text)
    if missing:
        return None
    return shells.get(shell).from_posix(out)


def describe(template: str, slots: Mapping[str, Slot], defaults: Mapping[str, str]) -> str:
    """Fill an explanation template with human-readable slot values."""
    def optional(m: "re.Match[str]") -> str:
        names = PLACEHOLDER.findall(m.group(1))
        return m.group(1) if all(n in slots and not slots[n].implicit for n in names) else ""

    def value(m: "re.Match[str]") -> str:
        name = m.group(1)
        slot = slots.get(name)
        if slot is not None:
            return slot.human or slot.raw
        return defaults.get(name, name)

    return PLACEHOLDER.sub(value, OPTIONAL.sub(optional, template))


def pick_variant(command: str, variants: Dict[str, str], shell: str, os_family: str) -> str:
    """The template for this shell and OS: most specific variant first."""
    for key in (f"{os_family}_{shell}", shell, os_family):
        if key in variants:
            return variants[key]
    return command
