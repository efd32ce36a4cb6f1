"""Rules the engine itself applies: parsing, obfuscation, fork bombs, code of unknown origin."""
from __future__ import annotations

from ..levels import Risk
from .base import Hit, Stream, rule
from .network import PIPE_TO_SHELL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List

C, H, M = Risk.CRITICAL, Risk.HIGH, Risk.MODERATE
OBF = "obfuscation"
UNKNOWN = "unknown command"

UNPARSEABLE = rule("parse.error", M, "parse error", "could not be parsed")
TOO_DEEP = rule("parse.too-deep", H, OBF, "nests commands too deeply to inspect")
TOO_LONG = rule("parse.too-long", H, "parse error", "is too long to inspect fully")
OBFUSCATED_NAME = rule("obfuscation.command-name", H, OBF,
                       "hides the command name with quotes, escapes, patterns or encoding ({target})")
IFS = rule("obfuscation.ifs", H, OBF, "uses ${IFS} to hide spaces between words")
INDIRECTION = rule("obfuscation.variable-command", H, OBF, "runs a command whose name is stored in a variable ({target})")
DECODED_CODE = rule("obfuscation.decoded-code", H, OBF, "decodes hidden text (base64, hex, reversed) and runs it")
FORK_BOMB = rule("fork-bomb", C, "fork bomb", "starts processes without end until the machine freezes (fork bomb)")
DYNAMIC_COMMAND = rule("shell.dynamic-command", M, UNKNOWN,
                       "runs code that cmdai cannot check: a command chosen at run time ({target})")
RUNTIME_CODE = rule("shell.runtime-code", M, UNKNOWN,
                    "runs code that cmdai cannot check: code generated at run time by {target}")
UNSEEN_CODE = rule("shell.unseen-code", M, UNKNOWN,
                   "runs code that cmdai cannot check: commands read from input that cannot be inspected")
INLINE_DYNAMIC = rule("shell.inline-exec", M, UNKNOWN,
                      "runs code that cmdai cannot check: the {target} code runs a command built at run time")
UNCHECKABLE = rule("shell.uncheckable", M, UNKNOWN, "runs code that cmdai cannot check ({target})")
#: Not a danger by itself: carries the code a command runs so that the engine judges it.
RUNS = rule("shell.runs", Risk.SAFE, UNKNOWN, "runs {target}")


def code_from_input(stdin: Stream, consumer: str, lang: str = "bash") -> List[Hit]:
    """What a program that runs its input as code (``at``, ``make -f -``, ``ed``) is given to run."""
    if not stdin.present:
        return []
    if stdin.network:
        return [Hit(PIPE_TO_SHELL, consumer)]
    if stdin.text is None:
        return [Hit(UNSEEN_CODE)]
    if stdin.decoded:
        return [Hit(DECODED_CODE, code=stdin.text, lang=lang)]
    return [Hit(RUNS, consumer, code=stdin.text, lang=lang)]
