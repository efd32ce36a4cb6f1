"""Turn a fish command line into bash the parser understands, keeping every command in it.

fish writes command substitution as ``(cmd)`` and blocks as ``if …; …; end``. The rewrite
turns ``(`` into ``$(`` and drops block keywords, so each command is judged as a simple command.
"""
from __future__ import annotations

import re
from typing import Iterator, List, Tuple

_DROP_LINE = re.compile(r"^\s*(end|else|function\b.*|case\b.*|begin)\s*$")
# Block headers whose words may hold substitutions: keep the words as arguments of ':'.
_HEADER_WORDS = re.compile(r"^\s*(?:for\s+\S+\s+in|switch)\b(.*)$", re.DOTALL)
_KEYWORD_PREFIX = re.compile(r"^\s*((and|or|not|if|else\s+if|while|begin)\s+)+")


def to_bash(text: str) -> str:
    statements = []
    for statement in _split(_substitutions(text)):
        if _DROP_LINE.match(statement):
            continue
        header = _HEADER_WORDS.match(statement)
        if header:
            statement = ": " + header.group(1)
        statements.append(_KEYWORD_PREFIX.sub("", statement))
    return "\n".join(statements)


def _scan(text: str) -> Iterator[Tuple[str, bool]]:
    """Each character of ``text``, or backslash pair, and whether quoting or escaping protects it."""
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and quote != "'" and i + 1 < len(text):
            yield text[i:i + 2], True
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
            yield ch, True
        elif ch in "'\"":
            quote = ch
            yield ch, True
        else:
            yield ch, False
        i += 1


def _substitutions(text: str) -> str:
    """``(cmd)`` outside quotes becomes ``$(cmd)``."""
    out = []
    prev = ""
    for chunk, protected in _scan(text):
        if chunk == "(" and not protected and prev != "$":
            out.append("$")
        out.append(chunk)
        prev = chunk if len(chunk) == 1 else ""
    return "".join(out)


def _split(text: str) -> List[str]:
    """Statements separated by ; or newline outside quotes and substitutions."""
    parts: List[str] = []
    current: List[str] = []
    depth = 0
    for chunk, protected in _scan(text):
        if not protected:
            if chunk == "(":
                depth += 1
            elif chunk == ")":
                depth = max(0, depth - 1)
            elif chunk in ";\n" and depth == 0:
                parts.append("".join(current))
                current = []
                continue
        current.append(chunk)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]
