"""fish: not POSIX. Models are told its rules one by one; the bash-grammar engines read it rewritten.

fish writes command substitution as ``(cmd)`` and blocks as ``if …; …; end``. For the safety and
explain engines, which parse bash, ``(`` becomes ``$(`` and block keywords go, so each command is
judged as a simple command; what they say about it is spelled back in fish's ``(cmd)``. The
offline engine's POSIX templates get fish's substitutions the other way round.
"""
from __future__ import annotations

import os
import re

from ..lazy_regex import lazy_regex
from . import InitScript, Shell, posix_quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator, List, Optional, Tuple

_DROP_LINE = lazy_regex(r"^\s*(end|else|function\b.*|case\b.*|begin)\s*$")
# Block headers whose words may hold substitutions: keep the words as arguments of ':'.
_HEADER_WORDS = lazy_regex(r"^\s*(?:for\s+\S+\s+in|switch)\b(.*)$", re.DOTALL)
_KEYWORD_PREFIX = lazy_regex(r"^\s*((and|or|not|if|else\s+if|while|begin)\s+)+")
_HEADER = lazy_regex(r"(?:^|[;\n])\s*(for\s+\S+\s+in|switch)\b")


def to_bash(text: str) -> str:
    """The line as bash: ``(cmd)`` becomes ``$(cmd)``, block keywords go, every command stays."""
    statements = []
    for statement in _split(_substitutions(text)):
        if _DROP_LINE.match(statement):
            continue
        header = _HEADER_WORDS.match(statement)
        if header:
            statement = ": " + header.group(1)
        statements.append(_KEYWORD_PREFIX.sub("", statement))
    return "\n".join(statements)


def colon_headers(command: str) -> List[str]:
    """The block headers ``to_bash`` keeps as ``:`` commands, so an explanation can name them."""
    return [match.group(1) for match in _HEADER.finditer(command)]


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


def to_fish(command: str) -> str:
    """Rewrite POSIX command substitution for fish: ``"$(cmd)"`` and ``$(cmd)`` become ``(cmd)``.

    fish never splits a substitution on spaces, so dropping the double quotes keeps the meaning.
    """
    out = []
    i = 0
    in_single = False
    while i < len(command):
        ch = command[i]
        if ch == "'" and not in_single:
            in_single = True
        elif ch == "'" and in_single:
            in_single = False
        if not in_single and command.startswith('"$(', i):
            end = _closing_paren(command, i + 2)
            if end is not None and command[end + 1:end + 2] == '"':
                out.append("(" + to_fish(command[i + 3:end]) + ")")
                i = end + 2
                continue
        if not in_single and command.startswith("$(", i):
            end = _closing_paren(command, i + 1)
            if end is not None:
                out.append("(" + to_fish(command[i + 2:end]) + ")")
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _closing_paren(text: str, open_index: int) -> Optional[int]:
    depth = 0
    for j in range(open_index, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return None


def quote_word(word: str, force: bool = False) -> str:
    """One word for fish, whose single quotes know two escapes: ``\\\\`` and ``\\'``."""
    if word and not force and posix_quote(word) == word:
        return word
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def as_written(text: str, command: str) -> str:
    """``$(cmd)`` back to ``(cmd)``, unless the command itself used ``$(cmd)`` (fish 3.4 and later)."""
    return text if "$(" in command else text.replace("$(", "(")


def _config_dir() -> str:
    return os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"), "fish")


SHELL = Shell(
    name="fish",
    aliases=(),
    # Models default to bash; fish rejects most of it, so its rules are spelled out one by one.
    prompt_notes="\n".join([
        "Use fish syntax, which is not POSIX. In fish:",
        "- loops are 'for f in *.log; gzip $f; end' and 'while CONDITION; ...; end' (no do/done);",
        "- conditions are 'if test -f x; ...; else; ...; end' (no then/fi, no [[ ]]);",
        "- command substitution is (cmd), never $(cmd) or backticks;",
        "- variables are set with 'set VAR value', exported with 'set -x VAR value' (never VAR=value "
        "or export VAR=value), and read as $VAR (never ${VAR}); they are not split on spaces;",
        "- the last exit status is $status, not $?; arguments are $argv, not $@;",
        "- combine commands with '; and' / '; or' or with && and ||; 'not' negates;",
        "- there is no <(...) process substitution (use (cmd | psub)) and no here-documents.",
    ]),
    # --no-execute parses without running anything, startup files included.
    syntax_check=("fish", "--no-execute"),
    # Block keywords, the job combiners and the commands fish parses itself.
    command_syntax=frozenset("begin end if else switch case function while for in and or not break continue return "
                             "exec command builtin time !".split()),
    quote=quote_word,
    posix=False,
    to_bash=to_bash,
    colon_headers=colon_headers,
    as_written=as_written,
    from_posix=to_fish,
    init=InitScript(
        file_name="cmdai.fish",
        program_line="set -g __cmdai_command {}",
        record_line="set -g __cmdai_record_requests 0",
        completion_file="cmdai.fish",
        rc_file="~/.config/fish/config.fish",
        install_line="cmdai --init fish | source",
        plugin_files=lambda: (os.path.join(_config_dir(), "conf.d", "cmdai.fish"),),
        startup_files=lambda: (os.path.join(_config_dir(), "config.fish"),),
        enabling_words=("--init fish",),
    ),
)
