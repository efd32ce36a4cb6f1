"""The explain catalog covers what the offline engine writes: its 60 most used commands and their options."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, List, Tuple

import pytest

from cmdai.backends.embedded.catalog import INTENTS
from cmdai.explain import explain
from cmdai.explain.catalog import COMMANDS
from cmdai.explain.engine import entry

#: Placeholders of the offline templates, filled with plain words so that the templates parse.
_OPTIONAL = re.compile(r"\[\?(.*?)\?\]")
_SLOT = re.compile(r"<(\w+)>")


def offline_commands() -> Iterator[Tuple[str, str]]:
    """Every command line the offline engine can write (slots filled), alternatives too, with its shell."""
    for intent in INTENTS:
        for key, template in [("bash", intent.command)] + list(intent.variants.items()):
            line = _SLOT.sub("x", _OPTIONAL.sub(r"\1", template))
            yield line, "fish" if "fish" in key else "bash"
        for alternatives in intent.alts.values():  # offered on a second Ctrl-G
            for template in alternatives:
                yield _SLOT.sub("x", _OPTIONAL.sub(r"\1", template)), "bash"


def command_names(line: str, shell: str) -> List[str]:
    return [part.text for part in explain(line, shell).parts if part.level == 0 and part.text[:1].isalpha()]


def most_used(count: int) -> List[str]:
    names: Counter = Counter()
    for line, shell in offline_commands():
        names.update(command_names(line, shell))
    return [name for name, _ in names.most_common(count)]


def test_the_60_commands_the_offline_engine_writes_most_are_in_the_catalog():
    top = most_used(60)
    assert len(top) == 60
    missing = [name for name in top if name not in COMMANDS]
    assert missing == []


def test_every_part_of_every_offline_command_has_a_meaning():
    unexplained = set()
    for line, shell in offline_commands():
        for part in explain(line, shell).parts:
            if not part.meaning:
                unexplained.add(f"{part.text!r} in {line!r}")
    # Names the offline engine fills in (x) and macOS-only tools outside the catalog may stay blank.
    unexplained = {item for item in unexplained if not item.startswith("'x'")}
    assert sorted(unexplained)[:40] == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_entry_compiles_and_says_something(name):
    compiled = entry(name)
    assert compiled is not None and compiled.summary
    for flag, option in compiled.options.items():
        assert option.meaning, flag
        if option.metavar:
            assert option.metavar.rstrip("…") in option.meaning, (name, flag)
