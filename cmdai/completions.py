"""Tab completion of cmdai's own options: ``cmdai --complete WORD…`` prints the candidates.

The scripts in ``shell/completions/`` (named by ``cmdai/shells/``, appended to ``cmdai --init``) pass the
words after ``cmdai`` up to the cursor, the last one being the word typed so far. The answer
comes from the argument parser itself, so a new flag completes without touching the scripts.
Model names come from the cached model list only: pressing Tab never reaches the network.
"""
from __future__ import annotations

import argparse
import json
import os
import re
from typing import List, NamedTuple, Sequence

from .errors import EXIT_OK

#: Model ids come from the network: only plain names are offered, never text a shell would interpret.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}")


class Candidate(NamedTuple):
    value: str
    description: str = ""


def cached_models() -> List[str]:
    """Every chat model of the cached model lists (``cmdai --list-models`` fills them)."""
    from .paths import user_cache_dir

    try:
        with open(os.path.join(user_cache_dir(), "models.json"), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return []
    found = set()
    for entry in data.values() if isinstance(data, dict) else ():
        models = entry.get("models") if isinstance(entry, dict) else None
        for model in models if isinstance(models, list) else ():
            name = model.get("id") if isinstance(model, dict) else None
            if isinstance(name, str) and _PLAIN_NAME.fullmatch(name) and model.get("can_chat") is not False:
                found.add(name)
    return sorted(found)


def _paths(partial: str) -> List[Candidate]:
    """Files and directories (these with a trailing ``/``) whose path starts with ``partial``."""
    head, slash, stem = partial.rpartition("/")
    directory = os.path.expanduser(head + slash) if slash else "."
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    found = []
    for name in names:
        if name.startswith(stem) and (stem.startswith(".") or not name.startswith(".")):
            suffix = "/" if os.path.isdir(os.path.join(directory, name)) else ""
            found.append(Candidate(head + slash + name + suffix))
    return found


def _values(action: argparse.Action, partial: str) -> List[Candidate]:
    """What may follow the option ``action``."""
    if action.dest in ("backend", "setup_backend"):
        from .backends import names as backend_names

        names: Sequence[str] = backend_names()
    elif action.dest == "init":
        from . import shells

        names = [shell.name for shell in shells.integrated()]
    elif action.dest == "safety":
        from .safety.levels import SAFETY_LEVELS

        names = SAFETY_LEVELS
    elif action.dest == "model":
        names = cached_models()
    elif action.choices:
        names = [str(choice) for choice in action.choices]
    elif action.metavar == "PATH":
        return _paths(partial)
    else:
        return []  # free text: a request, a command, a URL
    return [Candidate(name) for name in names if name.startswith(partial)]


def _summary(action: argparse.Action) -> str:
    """The option's help, on one line, without the parser's %-formatting."""
    text = " ".join(str(action.help or "").split()).replace("%%", "%")
    return text.split("; ")[0]


def complete(parser: argparse.ArgumentParser, words: Sequence[str]) -> List[Candidate]:
    """Candidates for the last of ``words`` (everything after ``cmdai``; the last may be empty), from the
    options of ``parser`` (cmdai's own)."""
    *before, current = list(words) or [""]
    if "--" in before:
        return []  # after `--` everything is the request or the command
    options = {name: action for action in parser._actions  # noqa: SLF001 - argparse has no public list
               for name in action.option_strings if action.help != argparse.SUPPRESS}
    takes_value = {name for name, action in options.items() if action.nargs != 0}

    if current.startswith("--") and "=" in current:
        name, _, partial = current.partition("=")
        if name not in takes_value:
            return []
        return [Candidate(f"{name}={c.value}", c.description) for c in _values(options[name], partial)]
    if before and before[-1] in takes_value and options[before[-1]].nargs is None:
        return _values(options[before[-1]], current)
    if current.startswith("-"):
        wanted = ("--",) if current.startswith("--") else ("-",)
        return [Candidate(name, _summary(action)) for name, action in options.items()
                if name.startswith(current) and name.startswith(wanted)]
    return []


def run_complete(parser: argparse.ArgumentParser, words: Sequence[str]) -> int:
    """Print the candidates, one ``value<TAB>description`` line each."""
    for candidate in complete(parser, words):
        print(candidate.value + (f"\t{candidate.description}" if candidate.description else ""))
    return EXIT_OK
