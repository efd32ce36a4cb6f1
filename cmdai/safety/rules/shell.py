"""Rules the engine itself applies: parsing, obfuscation, fork bombs, code of unknown origin."""
from __future__ import annotations

from ..levels import Risk
from .base import rule

C, H, M = Risk.CRITICAL, Risk.HIGH, Risk.MODERATE
OBF = "obfuscation"

UNPARSEABLE = rule("parse.error", M, "parse error", "could not be parsed")
TOO_DEEP = rule("parse.too-deep", H, OBF, "nests commands too deeply to inspect")
TOO_LONG = rule("parse.too-long", H, "parse error", "is too long to inspect fully")
OBFUSCATED_NAME = rule("obfuscation.command-name", H, OBF,
                       "hides the command name with quotes, escapes or encoding ({target})")
IFS = rule("obfuscation.ifs", H, OBF, "uses ${IFS} to hide spaces between words")
INDIRECTION = rule("obfuscation.variable-command", H, OBF, "runs a command whose name is stored in a variable ({target})")
DECODED_CODE = rule("obfuscation.decoded-code", H, OBF, "decodes hidden text (base64, hex, reversed) and runs it")
FORK_BOMB = rule("fork-bomb", C, "fork bomb", "starts processes without end until the machine freezes (fork bomb)")
DYNAMIC_COMMAND = rule("shell.dynamic-command", M, "unknown command", "runs a command chosen at run time ({target})")
RUNTIME_CODE = rule("shell.runtime-code", M, "unknown command", "runs code generated at run time by {target}")
UNSEEN_CODE = rule("shell.unseen-code", M, "unknown command", "runs commands read from input that cannot be inspected")
INLINE_DYNAMIC = rule("shell.inline-exec", M, "unknown command",
                      "the {target} one-liner runs a shell command built at run time")
