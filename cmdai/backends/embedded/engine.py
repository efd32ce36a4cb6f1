"""The matcher: score the catalog's intents against a request and pick one, or none.

Precision over coverage: an intent is a candidate only when all its required word groups are
present, every content word of the request is explained (by the intent, a slot it uses, or as
a stop word) and every recognised slot is used. Among candidates the highest score wins; a
tie between different commands is treated as ambiguity and answered with nothing.
"""
from __future__ import annotations

import marshal
import re
from itertools import chain

from ...lazy_regex import lazy_regex
from ...records import Value
from ...values import MAX_ALTERNATIVES
from .intent import Intent
from .render import PLACEHOLDER, describe, fill, pick_variant
from .slots import Parsed, Phrase, Slot, extract
from .words import norm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

#: A leftover word may fill ``<arg>`` (a package, branch or container name) if it looks like one.
_ARG_RE = lazy_regex(r"[A-Za-z0-9][\w.+@:=-]*")

_MACOS_NAMES = frozenset({"macos", "darwin", "mac", "osx"})


class Match(Value):
    """The engine's answer for one request."""

    intent_id: str
    command: str
    explanation: str
    score: float
    #: Other (command, explanation) answers to the same request, best first.
    alternatives: Tuple[Tuple[str, str], ...] = ()



class _Candidate(Value):
    """An intent that explains the request, with what it was filled with."""

    match: Match
    compiled: "_Compiled"
    slots: Dict[str, Slot]


class NoMatch(Exception):
    """No intent explains the request (``ambiguous`` when several explain it equally well)."""

    def __init__(self, ambiguous: bool = False, candidates: Sequence[str] = ()):
        super().__init__("ambiguous request" if ambiguous else "no matching intent")
        self.ambiguous = ambiguous
        self.candidates = tuple(candidates)


def os_family(os_name: str) -> str:
    """"macos" for Apple platforms, "linux" for the rest (GNU tools)."""
    return "macos" if os_name.lower() in _MACOS_NAMES else "linux"


class _Compiled(Value):
    intent: Intent
    need: Tuple[FrozenSet[str], ...]
    vocab: FrozenSet[str]
    avoid: FrozenSet[str]
    avoid_first: FrozenSet[str]


def _words(spec: str) -> FrozenSet[str]:
    return frozenset(norm(w) for w in spec.replace("|", " ").split())


def _compile(it: Intent) -> _Compiled:
    need = tuple(frozenset(norm(w) for w in group.split("|")) for group in it.need.split())
    avoid_first = frozenset(it.avoid_first.lower().split())
    return _Compiled(it, need, _words(it.need) | _words(it.opt), _words(it.avoid), avoid_first)


def _pack(compiled: _Compiled) -> bytes:
    fields = tuple(getattr(compiled.intent, field) for field in Intent.__slots__)
    return marshal.dumps((fields, compiled.need, compiled.vocab, compiled.avoid, compiled.avoid_first))


def _unpack(row: bytes) -> _Compiled:
    """Raises ValueError, EOFError or TypeError when the row is not one :func:`_pack` wrote."""
    fields, need, vocab, avoid, avoid_first = marshal.loads(row)
    return _Compiled(Intent(*fields), need, vocab, avoid, avoid_first)


_ARG_PATTERNS: Dict[str, "re.Pattern[str]"] = {}


def _arg_pattern(it: Intent) -> "re.Pattern[str]":
    """What a free name must look like for this intent, compiled when a request first needs it."""
    if not it.arg:
        return _ARG_RE
    pattern = _ARG_PATTERNS.get(it.arg)
    if pattern is None:
        pattern = _ARG_PATTERNS[it.arg] = re.compile(it.arg)
    return pattern


def _first_groups(entries: Sequence[_Compiled]) -> Tuple[Dict[str, Tuple[int, ...]], Tuple[int, ...]]:
    """Each word of an intent's first required group, with the intents it starts; the intents with none."""
    by_word: Dict[str, List[int]] = {}
    unconditional = []
    for index, compiled in enumerate(entries):
        if compiled.need:
            for word in compiled.need[0]:
                by_word.setdefault(word, []).append(index)
        else:
            unconditional.append(index)
    return {word: tuple(indices) for word, indices in by_word.items()}, tuple(unconditional)


class Matcher:
    """Scores requests against a catalog.

    A request is tried only against the intents whose first required word group it could meet
    (looked up by word), since every other intent would fail the same check in :meth:`_try`. A
    matcher from a snapshot unpacks an intent the first time a request tries it.
    """

    def __init__(self, intents: Iterable[Intent], not_args: Iterable[str] = ()):
        intents = list(intents)
        entries: List[Optional[_Compiled]] = [_compile(it) for it in intents]
        self._fill(frozenset(norm(w) for w in not_args), entries, (), lambda: intents, *_first_groups(entries))

    def _fill(self, not_args: FrozenSet[str], entries: List[Optional[_Compiled]], rows: Tuple[bytes, ...],
              source: Callable[[], Sequence[Intent]], by_word: Dict[str, Tuple[int, ...]],
              unconditional: Tuple[int, ...]) -> None:
        # Words that are never a name in <arg> ("list running containers" names no image "list").
        self._not_args = not_args
        #: Compiled intents; None for one a snapshot holds packed in ``_rows`` until a request tries it.
        self._entries = entries
        self._rows = rows
        self._source = source
        self._by_word, self._unconditional = by_word, unconditional
        self._names: Dict[str, FrozenSet[str]] = {}

    def snapshot(self) -> Tuple[Any, ...]:
        """The compiled catalog as plain values for ``marshal``: one packed row per intent, and the index."""
        rows = tuple(_pack(self._entry(index)) for index in range(len(self._entries)))
        return tuple(sorted(self._not_args)), rows, self._by_word, self._unconditional

    @classmethod
    def from_snapshot(cls, snapshot: Tuple[Any, ...], source: Callable[[], Sequence[Intent]]) -> "Matcher":
        """A matcher over a catalog compiled earlier (see :meth:`snapshot`), with nothing to compile.

        ``source`` gives the catalog the snapshot was taken of: an intent whose row cannot be
        unpacked (a damaged file) is compiled from it. Raises ValueError or TypeError when the
        snapshot's index does not fit its rows.
        """
        not_args, rows, by_word, unconditional = snapshot
        if type(rows) is not tuple or type(by_word) is not dict:
            raise TypeError("not a snapshot of the catalog")
        indices = set(chain.from_iterable(by_word.values()))
        indices.update(unconditional)
        if not indices <= set(range(len(rows))):
            raise ValueError("the snapshot's index names intents it does not hold")
        matcher = cls.__new__(cls)
        matcher._fill(frozenset(not_args), [None] * len(rows), rows, source, by_word, unconditional)
        return matcher

    def _entry(self, index: int) -> _Compiled:
        entry = self._entries[index]
        if entry is None:
            try:
                entry = _unpack(self._rows[index])
            except (ValueError, EOFError, TypeError):
                entry = _compile(self._source()[index])
            self._entries[index] = entry
        return entry

    def _candidates(self, parsed: Parsed) -> List[int]:
        """The intents, in catalog order, whose first required group a word of the request may meet."""
        # Everything _try may count as evidence: the words, marks, soft words and words inside values.
        words = {w for w, _ in parsed.tokens} | parsed.marks
        for phrase in parsed.phrases:
            words.update(w for w, _ in phrase.soft)
            words |= phrase.words
        found = set(self._unconditional)
        for word in words:
            found.update(self._by_word.get(word, ()))
        return sorted(found)

    def _slot_names(self, template: str) -> FrozenSet[str]:
        names = self._names.get(template)
        if names is None:
            names = self._names[template] = frozenset(PLACEHOLDER.findall(template))
        return names

    def match(self, text: str, shell: str = "bash", os_name: str = "linux") -> Match:
        """The best intent for the request, or raise :class:`NoMatch`."""
        parsed = extract(text)
        family = os_family(os_name)
        results: List[_Candidate] = []
        for index in self._candidates(parsed):
            found = self._try(self._entry(index), parsed, text, shell, family)
            if found is not None:
                results.append(found)
        if not results:
            raise NoMatch()
        results.sort(key=lambda c: -c.match.score)
        best = results[0].match
        rivals = [c.match for c in results[1:] if c.match.score == best.score and c.match.command != best.command]
        if rivals:
            raise NoMatch(ambiguous=True, candidates=[best.intent_id] + [m.intent_id for m in rivals])
        return best._replace(alternatives=self._alternatives(results, shell, family))

    def _alternatives(self, results: List[_Candidate], shell: str, family: str) -> Tuple[Tuple[str, str], ...]:
        """Next-best answers: other intents just as specific as the best, then its own variants.

        An intent with fewer required word groups reads less of the request, so it is no
        alternative; a variant must use every value the answer used, so none is dropped.
        """
        best = results[0]
        seen = {best.match.command}
        out: List[Tuple[str, str]] = []

        def offer(command: Optional[str], explanation: str) -> None:
            if command is not None and command not in seen and len(out) < MAX_ALTERNATIVES:
                seen.add(command)
                out.append((command, explanation))

        for other in results[1:]:
            if len(other.compiled.need) >= len(best.compiled.need):
                offer(other.match.command, other.match.explanation)
        it = best.compiled.intent
        for template in it.alts.get(family, ()):
            if set(best.slots) <= self._slot_names(template):
                offer(fill(template, best.slots, it.defaults, shell), best.match.explanation)
        return tuple(out)

    def _try(self, compiled: _Compiled, parsed: Parsed, text: str, shell: str, family: str) -> Optional[_Candidate]:
        it = compiled.intent
        if it.only is not None and it.only != family:
            return None
        template = pick_variant(it.command, it.variants, shell, family)
        names = self._slot_names(template)

        slots: Dict[str, Slot] = {}
        used: List[Phrase] = []
        tokens = list(parsed.tokens)
        for phrase in parsed.phrases:
            keys = [k for k in phrase.slots if k in names and k not in slots]
            if keys:
                used.append(phrase)
                for k in keys:
                    slots[k] = phrase.slots[k]
            elif phrase.soft:
                tokens.extend(phrase.soft)
            else:
                return None

        words = {w for w, _ in tokens}
        evidence = words | parsed.marks
        for phrase in used:
            evidence |= phrase.words
        if any(not (group & evidence) for group in compiled.need):
            return None
        if not it.stands_alone and not used and all(any(w in group for group in compiled.need) for w in words):
            return None
        # Position of the first word that satisfies a required group: a name follows its verb.
        first_need = min((next((i for i, (w, _) in enumerate(tokens) if w in group), len(tokens)) for group in compiled.need),
                         default=-1)
        # A used value counts too: "data.csv" rules out the whitespace-column intent.
        if evidence & compiled.avoid:
            return None
        if compiled.avoid_first and text.split(None, 1)[0].lower() in compiled.avoid_first:
            return None
        explained = set(compiled.vocab)
        for phrase in used:
            explained |= phrase.glue
        leftover = [(i, w, s) for i, (w, s) in enumerate(tokens) if w not in explained]
        if (len(leftover) == 1 and "arg" in names and "arg" not in slots
                and (it.arg_anywhere or leftover[0][0] > first_need)
                and leftover[0][1] not in self._not_args and _arg_pattern(it).fullmatch(leftover[0][2])
                # "create md5sum of a directory": a word followed by "of" is no name.
                and not re.search(r"(?<![\w.-])" + re.escape(leftover[0][2]) + r"\s+of\b", text, re.IGNORECASE)):
            slots["arg"] = Slot(leftover[0][2], "quote")
            leftover = []
        if leftover or not (compiled.need or used):
            return None
        if it.arg and "arg" in slots and not _arg_pattern(it).fullmatch(slots["arg"].raw):
            return None

        command = fill(template, slots, it.defaults, shell)
        if command is None:
            return None
        # Required words weigh most; each used slot and each optional word adds evidence.
        opt_hits = sum(1 for w in words if w in compiled.vocab)
        score = 10.0 * len(compiled.need) + 3.0 * len(used) + opt_hits + (1.0 if "arg" in slots else 0.0)
        explanation = describe(it.explain, slots, it.defaults) if it.explain else ""
        return _Candidate(Match(it.id, command, explanation, score), compiled, slots)
