"""What one offline intent is: trigger words, a command template and its shell/OS variants.

The catalog (``catalog/``) is a list of these values; the engine (``engine.py``) applies them.
"""
from __future__ import annotations

from ...records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Optional, Sequence, Tuple


class Intent(Record):
    """One kind of request the offline engine can answer.

    ``need`` is a space-separated list of word groups that must all appear in the request; a
    group lists alternatives joined by ``|``. ``opt`` lists further words the intent accepts.
    A request is answered only when every word in it is explained by ``need``, ``opt``, a slot,
    or is a stop word, so extra conditions the template ignores make the engine decline.
    """

    __slots__ = ("id", "command", "need", "opt", "avoid", "explain", "defaults", "variants", "only", "arg",
                 "arg_anywhere", "avoid_first", "alts", "stands_alone")

    def __init__(self, id: str, command: str, need: str = "", opt: str = "", avoid: str = "", explain: str = "",
                 defaults: Optional[Dict[str, str]] = None, variants: Optional[Dict[str, str]] = None,
                 only: Optional[str] = None, arg: str = "", arg_anywhere: bool = False, avoid_first: str = "",
                 alts: Optional[Dict[str, Tuple[str, ...]]] = None, stands_alone: bool = True):
        self.id = id
        self.command = command
        self.need = need
        self.opt = opt
        #: Words that rule the intent out even though the rest matches.
        self.avoid = avoid
        self.explain = explain
        #: Literal shell text for slots the request may leave out (``{"path": "."}``).
        self.defaults: Dict[str, str] = {} if defaults is None else defaults
        #: Templates for other targets, keyed "fish", "macos", or "macos_fish".
        self.variants: Dict[str, str] = {} if variants is None else variants
        #: "linux" or "macos" when the intent exists on one OS only.
        self.only = only
        #: Regular expression a leftover word must match to fill ``<arg>`` (default: a plain name).
        self.arg = arg
        #: A leftover word fills ``<arg>`` only after the first required word ("create directory foo",
        #: "pull the nginx image") unless this is set ("is nginx running").
        self.arg_anywhere = arg_anywhere
        #: Words that rule the intent out when the request starts with them, as typed: "run the
        #: tests" starts a program, where "is nginx running" looks for one.
        self.avoid_first = avoid_first
        #: Other commands that do the same thing ("rg" for "grep -r", "git checkout -b" for "git switch -c"),
        #: best first, keyed "linux" or "macos": offered as alternatives, never as the answer.
        self.alts: Dict[str, Tuple[str, ...]] = {} if alts is None else alts
        #: Whether the required words alone are a request ("uptime", "list files"). When not, the request
        #: must say more, a path or a word the intent accepts: "show me" or "what is this" is no listing.
        self.stands_alone = stands_alone


def intent(
    id: str,
    command: str,
    need: str = "",
    opt: str = "",
    *,
    avoid: str = "",
    explain: str = "",
    defaults: Optional[Dict[str, str]] = None,
    only: Optional[str] = None,
    arg: str = "",
    arg_anywhere: bool = False,
    avoid_first: str = "",
    alt: Sequence[str] = (),
    alt_macos: Optional[Sequence[str]] = None,
    stands_alone: bool = True,
    **variants: str,
) -> Intent:
    """Build an :class:`Intent`; keyword arguments other than the named ones are variants.

    ``alt`` lists alternative templates for every OS, ``alt_macos`` replaces them on macOS.
    """
    alts = {"linux": tuple(alt), "macos": tuple(alt if alt_macos is None else alt_macos)}
    return Intent(id, command, need, opt, avoid, explain, dict(defaults or {}), dict(variants), only, arg, arg_anywhere,
                  avoid_first, alts, stands_alone)
