"""Turn a fish command line into bash the parser understands, keeping every command in it.

fish writes command substitution as ``(cmd)`` and blocks as ``if …; …; end``. The rewrite
turns ``(`` into ``$(`` and drops block keywords, so each command is judged as a simple command.
"""
from __future__ import annotations

import re
from typing import List

_DROP_LINE = re.compile(r"^\s*(end|else|for\s+\S+\s+in\b.*|function\b.*|switch\b.*|case\b.*|begin)\s*$")
_KEYWORD_PREFIX = re.compile(r"^\s*((and|or|not|if|else\s+if|while|begin)\s+)+")


def to_bash(text: str) -> str:
    statements = []
    for statement in _split(_substitutions(text)):
        if _DROP_LINE.match(statement):
            continue
        statements.append(_KEYWORD_PREFIX.sub("", statement))
    return "\n".join(statements)


def _substitutions(text: str) -> str:
    """``(cmd)`` outside quotes becomes ``$(cmd)``."""
    out = []
    quote = ""
    prev = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"' and i + 1 < len(text):
                out.append(text[i:i + 2])
                i += 2
                prev = ""
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "\\" and i + 1 < len(text):
            out.append(text[i:i + 2])
            i += 2
            prev = ""
            continue
        elif ch == "(" and prev != "$":
            out.append("$")
        out.append(ch)
        prev = ch
        i += 1
    return "".join(out)


def _split(text: str) -> List[str]:
    """Statements separated by ; or newline outside quotes and substitutions."""
    parts, current, quote, depth = [], [], "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"' and i + 1 < len(text):
                current.append(text[i:i + 2])
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ";\n" and depth == 0:
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return [p for p in parts if p.strip()]
