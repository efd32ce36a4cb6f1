"""Plain command lines, read without the grammar: one command, or a pipeline of commands, of plain words.

Most commands cmdai judges are like ``find . -name '*.py'`` or ``du -sh -- * | sort -h``: words made
of characters no shell reads specially and single-quoted strings, commands joined by ``|``. For
such a line this reader builds the very words the walk reads from tree-sitter-bash's tree, so the
parser, whose import costs more than the rest of a run, is not needed. The class is kept narrow on
purpose; whatever falls outside it, or could read differently, returns None and goes to the grammar.
``tests/safety/test_safety_plain.py`` holds the two readings to each other.
"""
from __future__ import annotations

from ..lazy_regex import lazy_regex
from ..shells import PLAIN_CHARACTERS, PLAIN_QUOTED
from .words import QUOTES, Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional

#: Blanks, a pipe, or a word: unquoted runs of letters, digits, ``_ . / , : = @ % + - ~`` and the globs
#: ``*`` and ``?`` (both readings keep them as written), and single-quoted strings of printable ASCII.
#: Left to the grammar: ``$``, backquotes, double quotes, backslashes, ``; & < > ( ) { } [ ] # ! ^``
#: (the grammar reads ``[ ]`` as one word), control characters and newlines, anything beyond ASCII.
_TOKEN = lazy_regex(rf"[ \t]+|\||(?:{PLAIN_CHARACTERS}|{PLAIN_QUOTED})+")
#: What a command's name may hold outside quotes, not starting with ``-``: the grammar reads much else
#: there as syntax (a=1, x@y, a+:b, a?b, - a=1).
_NAME_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./-")
#: Words the grammar reads as syntax where a command may stand (reserved words, declarations):
#: not plain anywhere in the line.
_RESERVED = frozenset("case coproc declare do done elif else esac export fi for function if in local readonly "
                      "select then time typeset unset unsetenv until while".split())
#: A line of more words goes to the grammar. The plain walk is a few frames shallower than the tree's,
#: so it must stay far from Python's recursion limit, where the tree's walk would stop as too deep.
MAX_WORDS = 64


def plain_pipeline(text: str) -> Optional[List[List[Word]]]:
    """The words of each command of a plain pipeline (``[]`` for a blank line), or None when not plain."""
    stages: List[List[Word]] = [[]]
    count = 0
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            return None
        token = match.group()
        pos = match.end()
        if token == "|":
            if not stages[-1]:
                return None  # ||, or a pipe with no command before it
            stages.append([])
        elif token[0] not in " \t":
            count += 1
            word = _word(token, first=not stages[-1])
            if word is None or count > MAX_WORDS:
                return None
            stages[-1].append(word)
    if not stages[-1]:
        return None if len(stages) > 1 else []
    return stages


def _word(token: str, first: bool) -> Optional[Word]:
    """The word as the walk reads it from the tree; None when the grammar may read it as more than a word."""
    pieces = token.split("'")  # the token's quotes pair up: unquoted and quoted text alternate
    unquoted, quoted = pieces[0::2], pieces[1::2]
    if first and (token[0] == "-" or not _NAME_CHARACTERS.issuperset("".join(unquoted))):
        return None
    if token.startswith("="):
        return None  # == and =~ are test operators to the grammar, even among a command's words
    text = "".join(pieces)
    # The grammar may end a token of a word at a quote or = (if'x' starts with the keyword if).
    if text in _RESERVED or not _RESERVED.isdisjoint(token.replace("=", "'").split("'")):
        return None
    # The tree holds quoted text next to other text as a concatenation, which the reader notes.
    glued = bool(quoted) and len(quoted) + sum(1 for run in unquoted if run) > 1
    return Word(text, tricks=[QUOTES] if glued else [])
