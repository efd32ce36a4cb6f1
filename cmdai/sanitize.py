"""Make untrusted model text safe to show on a terminal or put into a command line."""
from __future__ import annotations

import re

from .lazy_regex import lazy_regex

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

# CSI, OSC, DCS/SOS/PM/APC strings and two-character escapes (ESC followed by one byte),
# in both their 7-bit (ESC …) and 8-bit (C1) forms.
_ESCAPE_SEQUENCES = lazy_regex(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                   # CSI … final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)   # OSC, DCS, SOS, PM, APC
  | \x1b[ -/]*[0-~]                                    # other ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)
# Every C0 control except tab and newline, DEL, and the C1 range.
_CONTROL_CHARACTERS = lazy_regex(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that reorder or hide text (bidi overrides, zero-width) can make a command look
# different from what runs.
_INVISIBLE = lazy_regex("[\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Halves of a surrogate pair on their own are not text; no encoder accepts them.
_LONE_SURROGATE = lazy_regex("[\ud800-\udfff]")
# The password of a URL's user part (proxy URLs): scheme://user:PASSWORD@host, to the last "@" before
# the host as URL parsers read it, so a raw "@" in a password stays hidden.
_URL_PASSWORD = lazy_regex(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)[^\s/]*@")
# Entra access tokens are JWTs; anything shaped like one, or a token field, is masked in messages.
_JWT = lazy_regex(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?")
_TOKEN_FIELD = lazy_regex(r"""(["']?(?:access_?token|refresh_?token)["']?\s*[:=]\s*["']?)[^"'\s,}]+""", re.I)
#: What stands in for a secret in a message.
MASK = "****"
#: Known secrets shorter than this are not masked: they would mask ordinary words.
_SHORTEST_SECRET = 4


def strip_terminal_controls(text: str) -> str:
    """Remove escape sequences, control characters and invisible reordering characters.

    Tabs and newlines survive; carriage returns become newlines first so that "a\\r\\nb"
    keeps its line break.
    """
    if text.isprintable():
        # Every character removed below is unprintable (a control, a format or separator character, a
        # lone surrogate): printable text, the usual case, is left as it is without a pattern compiled.
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCES.sub("", text)
    text = _CONTROL_CHARACTERS.sub("", text)
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return _INVISIBLE.sub("", text)


def has_lone_surrogate(text: str) -> bool:
    return not (text.isascii() or text.isprintable()) and _LONE_SURROGATE.search(text) is not None


def valid_unicode(text: str) -> str:
    """Text that every encoder accepts: bytes smuggled in as surrogates (invalid UTF-8 in argv or
    stdin) are decoded again, and what still is not UTF-8 becomes U+FFFD."""
    if not has_lone_surrogate(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return raw.decode("utf-8", "replace")


def hide_secrets(text: str, known: Iterable[str] = ()) -> str:
    """``text`` fit for a message, a log or --debug: the ``known`` secrets (keys, tokens of this run), URL
    passwords, JWT-shaped tokens and token fields replaced by MASK. (Secrets in a *request* are withheld
    by ``redaction.Redactor``, which puts them back into the answer.)"""
    for secret in known:
        if secret and len(secret) >= _SHORTEST_SECRET:
            text = text.replace(secret, MASK)
    # Each pattern needs a piece of text to match at all; most messages hold none, and compile nothing.
    if "://" in text:
        text = _URL_PASSWORD.sub(rf"\1{MASK}@", text)
    if "eyJ" in text:
        text = _JWT.sub(MASK, text)
    if "token" in text.lower():
        text = _TOKEN_FIELD.sub(rf"\1{MASK}", text)
    return text


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int = 300) -> str:
    """Text fit for a single line of a message: controls stripped, whitespace folded."""
    return shorten(" ".join(strip_terminal_controls(text).split()), limit)
