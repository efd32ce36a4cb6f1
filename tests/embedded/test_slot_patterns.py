"""Cheaper spellings of slot patterns: the engine reads every request exactly as the full patterns did."""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cmdai.backends.embedded import slots

#: What requests are made of here: every extension word, the words around them, separators, and the
#: letters re's IGNORECASE matches with an ASCII one although str.lower() keeps them apart (ı, İ, ſ, K).
_PIECES = sorted(slots.EXTENSIONS) + [
    "files", "file", "source", "code", "scripts", "programs", "named", "called", "report.md", "all", "not", "NOT",
    "without", "WITHOUT", "wıthout", "wİthout", "but", "each", "Every", "by", "dir", "subfolder", "extracting",
    "unpacking", "opening", "them", "ſh", "İni", "ını", "\u212aotlin", "pythın", "Python", "C++", "C#", "cs", "x",
    "+", "#", ".", "-", "/", "'", "*", "ı", "İ", "ſ", "\u212a", "s", "i", "k"]
_REQUESTS = st.lists(st.sampled_from(_PIECES) | st.sampled_from([" ", " ", "  ", "\t"]), max_size=12).map("".join)

#: The extension pattern as it was: every extension and language name spelt out, longest first.
_SPELT_OUT = slots.EXTENSION_WORD_FILES.replace(
    r"[\w+#]+", "|".join(re.escape(k) for k in sorted(slots.EXTENSIONS, key=len, reverse=True)), 1)


@contextmanager
def _spelt_out_extensions() -> Iterator[None]:
    """extract() with the extension recogniser spelling out every extension, as it used to."""
    index = next(i for i, (p, _, _) in enumerate(slots._RECOGNISERS) if p == slots.EXTENSION_WORD_FILES)
    current = slots._RECOGNISERS[index]
    slots._RECOGNISERS[index] = (_SPELT_OUT, slots._glob(False), current[2])
    slots._COMPILED.pop(index, None)
    try:
        yield
    finally:
        slots._RECOGNISERS[index] = current
        slots._COMPILED.pop(index, None)


def test_both_patterns_find_a_language_before_files() -> None:
    assert [p.slots["glob"].raw for p in slots.extract("count the C++ source files").phrases] == ["*.cpp"]
    with _spelt_out_extensions():
        assert [p.slots["glob"].raw for p in slots.extract("count the C++ source files").phrases] == ["*.cpp"]


@settings(max_examples=1500, deadline=None)
@given(_REQUESTS)
@example("list all Python files")
@example("c# files and cs files")
@example("ſh files, İni files, \u212aotlin scripts")
@example("the log file server.log and python source code named x")
def test_any_word_looked_up_in_the_table_reads_like_the_spelt_out_extensions(text: str) -> None:
    current = repr(slots.extract(text))
    with _spelt_out_extensions():
        spelt_out = repr(slots.extract(text))
    assert current == spelt_out


@settings(max_examples=1500, deadline=None)
@given(_REQUESTS)
@example("list backup.tar.gz wıthout unpacking them")
@example("show it but NOT opening it")
@example("disk usage by subfolder")
@example("count lines of Every file")
def test_a_request_without_the_trigger_words_never_matches_the_pattern(text: str) -> None:
    lowered = text.lower()
    for pattern, triggers in ((slots._LIST_ONLY, slots._LIST_ONLY_TRIGGERS), (slots._PER_ENTRY, slots._PER_ENTRY_TRIGGERS)):
        if pattern.search(text):
            assert any(t in lowered for t in triggers), (text, pattern.pattern)
