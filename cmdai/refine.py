"""Read a command line as its shell would, to find a trailing comment that asks for a change.

``find . -name '*.py'  # only files changed today`` is a command and an instruction; the model
receives both instead of a fresh request. A ``#`` counts only where the shell would start a
comment: unquoted, at the start of a word, not inside ``${…}``, ``$(…)`` or fish's ``(…)``.
"""
from __future__ import annotations

from . import shells
from .records import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Collection, Optional

#: Words a shell runs without a program on PATH.
_BUILTINS = frozenset(
    "alias bg bind builtin case cd command declare dirs disown echo eval exec exit export false fc fg "
    "for function functions getopts hash history if jobs kill let local popd printf pushd pwd read readonly "
    "return set shift source test time trap true type typeset ulimit umask unalias unset until wait while "
    "abbr and begin not or string math count contains status argparse emit funced funcsave "
    "setopt unsetopt autoload zmodload print whence where which [ [[ . :".split())


class Refinement(Value):
    """A command and the instruction written after it as a comment."""

    command: str
    instruction: str


def split_refinement(line: str, shell: str, generated: Collection[str] = ()) -> Optional[Refinement]:
    """The command and the instruction of a line ending in a comment, or None for anything else.

    None for a line that is only a comment (a plain request), a comment with no words, a
    comment that is not on the last line, and a line whose first word names no command, unless
    the command is one cmdai just ``generated``.
    """
    start = trailing_comment(line, shell)
    if start is None:
        return None
    command = line[:start].rstrip()
    instruction = line[start:].lstrip("#").strip()
    if not command.strip() or not instruction:
        return None
    if command.strip() not in generated and not names_a_command(command):
        return None
    return Refinement(command, instruction)


def trailing_comment(line: str, shell: str) -> Optional[int]:
    """Where the comment on the last line of ``line`` starts, or None if it has none."""
    # Outside POSIX (fish): no $'…' or backticks, and \' and \\ are escapes inside '…'.
    known = shells.find(shell)
    posix = known is None or known.posix
    nesting = []  # closing characters of the open ${…}, $(…), `…` and (…) constructs
    quote = ""
    word_start = True
    i = 0
    while i < len(line):
        ch = line[i]
        # A word starts after a blank or an operator (ls;# x), never after an escape or a quote.
        at_word_start, word_start = word_start, not quote and not nesting and ch in " \t\n;&|<>"
        if quote == "'":
            if not posix and ch == "\\" and line[i + 1:i + 2] in ("'", "\\"):
                i += 1
            elif ch == "'":
                quote = ""
        elif quote == "$'":  # ANSI-C quoting: backslash escapes anything
            if ch == "\\":
                i += 1
            elif ch == "'":
                quote = ""
        elif ch == "\\":
            i += 1
        elif quote == '"':
            if ch == '"':
                quote = ""
            elif line.startswith("$(", i):
                nesting.append((")", '"'))  # back inside the quotes after the closing parenthesis
                quote = ""
                i += 1
        elif ch in "'\"":
            quote = ch
        elif line.startswith("$'", i) and posix:
            quote = "$'"
            i += 1
        elif line.startswith("${", i) or line.startswith("$(", i):
            nesting.append(("}" if line[i + 1] == "{" else ")", ""))
            i += 1
        elif ch == "(" or (ch == "{" and nesting):
            nesting.append((")" if ch == "(" else "}", ""))
        elif ch == "`" and posix:
            if nesting and nesting[-1][0] == "`":
                nesting.pop()
            else:
                nesting.append(("`", ""))
        elif nesting and ch == nesting[-1][0]:
            quote = nesting.pop()[1]
        elif ch == "#" and not nesting and at_word_start:
            end = line.find("\n", i)
            if end == -1 or not line[end:].strip():
                return i
            i, word_start = end, True  # a comment on an earlier line is part of the command
        i += 1
    return None


def names_a_command(command: str) -> bool:
    """Whether the first word is something a shell can run: a builtin, a path, a program on PATH or a
    command cmdai knows."""
    words = command.split()
    while words and "=" in words[0] and not words[0].startswith("="):
        words.pop(0)  # VAR=value before the command
    if not words:
        return False
    first = words[0].lstrip("({!")
    if not first:
        return False
    if first in _BUILTINS or "/" in first or first.startswith("~"):
        return True
    import shutil

    if shutil.which(first) is not None:
        return True
    # A command written for another machine (docker, pbcopy) need not be installed here.
    from .explain.catalog import COMMANDS

    return first in COMMANDS
