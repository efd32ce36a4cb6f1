"""Cheaper spellings of the offline engine's patterns: every request is read exactly as the full patterns read it."""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator, List, Tuple

import pytest

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cmdai.backends.embedded import slots
from cmdai.backends.embedded.words import words_of

#: What requests are made of here: every extension word, the words around them, separators, and the
#: letters re's IGNORECASE matches with an ASCII one although str.lower() keeps them apart (ı, İ, ſ, K).
_PIECES = sorted(slots.EXTENSIONS) + [
    "files", "file", "source", "code", "scripts", "programs", "named", "called", "report.md", "all", "not", "NOT",
    "without", "WITHOUT", "wıthout", "wİthout", "but", "each", "Every", "by", "dir", "subfolder", "extracting",
    "unpacking", "opening", "them", "ſh", "İni", "ını", "\u212aotlin", "pythın", "Python", "C++", "C#", "cs", "x",
    "+", "#", ".", "-", "/", "'", '"', "“", "”", "*", "ı", "İ", "ſ", "\u212a", "s", "i", "k",
    # The words of the patterns that need more than their triggers.
    "to", "into", "an", "gif", "clip.MP4", "a.wav", ".mkv", "larger", "biggeR", "than", "at", "leaſt", "moſt", "less",
    "exceeds", ">=", "<", "10", "1.5", "MB", "g", "modified", "accessed", "in", "the", "last", "past", "previous", "within",
    "over", "more", "older", "newer", "three", "mınutes", "hrs", "Days", "weeks", "wk", "months", "yr", "ago", "old",
    "example.com", "host.ınternal", "a.ıo", "b.Dev", "change", "swap", "with", "'a'", '"b"', "“c”", "‘d’", "png",
    "JPEG", "images", "photos", "songs", "webm", "videos", "pıc", "tıff", "search", "grep", "look", "for", "find",
    "word", "pattern", "contains", "havıng", "has", "includes", "their", "names", "name", "lines of", "ssh", "as", "user",
    "root", "fewer", "younger", "newer", "greater", "a.zip", "out", "python", "C#"]
_REQUESTS = st.lists(st.sampled_from(_PIECES) | st.sampled_from([" ", " ", "  ", "\t"]), max_size=12).map("".join)

#: The extension pattern as it was: every extension and language name spelt out, longest first.
_SPELT_OUT = slots.EXTENSION_WORD_FILES.replace(
    r"[\w+#]+", "|".join(re.escape(k) for k in sorted(slots.EXTENSIONS, key=len, reverse=True)), 1)


@contextmanager
def _spelt_out_extensions() -> Iterator[None]:
    """extract() with the extension recogniser spelling out every extension, as it used to."""
    index = next(i for i, entry in enumerate(slots._RECOGNISERS) if entry[0] == slots.EXTENSION_WORD_FILES)
    current = slots._RECOGNISERS[index]
    slots._RECOGNISERS[index] = (_SPELT_OUT, slots._glob(False), *current[2:])
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
@example("convert clip.MP4 into an animated gif")
@example("files bigger than 1.5MB modified in the last 3 days")
@example("not accessed for twenty days, more than 2 mınutes ago")
@example("ping host.example.com and b.Dev")
@example("change 'a' to 'b', swap “c” with ‘d’")
@example("list the JPEG images and webm videos")
@example("find .X files")
def test_a_request_without_the_words_a_pattern_needs_never_matches_it(text: str) -> None:
    for pattern, needs in _needing():
        if pattern.search(text):
            assert all(slots._mentions(text.lower(), words) for words in needs), (text, pattern.pattern)


def _needing() -> List[Tuple["re.Pattern[str]", Tuple[Tuple[str, ...], ...]]]:
    """Every pattern that needs more than its triggers, with the groups of words it needs one of."""
    needing = [(re.compile(pattern, re.IGNORECASE), needs) for pattern, _, _, needs in slots._RECOGNISERS if needs]
    return needing + [(slots._LIST_ONLY, (slots._LIST_ONLY_NEEDS,)), (slots._PER_ENTRY, (slots._PER_ENTRY_NEEDS,))]


#: One request for each spelling of the needed words: a unit, a comparison, a media type, a dot.
_EVERY_SPELLING = [
    f"modified in the last 2 {unit}" for unit in ("minutes", "mins", "hours", "hrs", "days", "weeks", "wks", "months", "years", "yrs")
] + [
    f"files {comparison} 5MB" for comparison in ("larger than", "bigger than", "greater than", "more than", "over", "above",
                                                 "exceeding", "exceeds", "at least", "smaller than", "less than", "under",
                                                 "below", "at most", "fewer than", ">=", "<=", ">", "<")
] + [
    f"list the {ext} {kind}" for ext, kind in (("jpg", "images"), ("jpeg", "photos"), ("png", "pictures"), ("gif", "pics"),
                                               ("svg", "images"), ("webp", "images"), ("bmp", "images"), ("tif", "images"),
                                               ("tiff", "images"), ("mp3", "songs"), ("wav", "tracks"), ("flac", "audio"),
                                               ("ogg", "songs"), ("m4a", "songs"), ("mp4", "videos"), ("mov", "clips"),
                                               ("mkv", "movies"), ("avi", "videos"), ("webm", "videos"))
] + [f"find *.{c} files" for c in "abcdefghijklmnopqrstuvwxyz0123456789"] + [
    "convert talk.webm to mp3", "ping www.example.org", "change 'a' to 'b'", "swap “c” with “d”",
    "list a.zip without extracting", "list a.zip but not unpacking it", "size of each dir", "sizes by folder",
    "files newer than 2 days", "files younger than 2 days", "files fewer than 2 days old", "files older than 2 days",
    "files greater than 2 days old", "files over 2 days old", "not modified within 3 days", "changed within 3 days",
    "files containing x in their names", "files that contain x in the name", "files with x in their name",
    "files having x in the name", "files that have x in the name", "files that has x in the name",
    "files including x in their name", "files that include x in the name", "search for foo in src",
    "grep foo in src", "look for foo in src", "find the word foo in src", "find the string foo in src",
    "find the text foo in src", "find the pattern foo in src", "search recursively for foo",
    "count lines of python", "lines of javascript", "lines of c++", "lines of c#", "unzip a.zip into out",
    "extract a.tar.gz to out", "ssh to host as root", "ssh to host with user bob"]


@pytest.mark.parametrize("text", _EVERY_SPELLING)
def test_every_spelling_a_pattern_accepts_is_among_the_words_it_needs(text: str) -> None:
    matched = [needs for pattern, needs in _needing() if pattern.search(text)]
    assert matched, text
    for needs in matched:
        assert all(slots._mentions(text.lower(), words) for words in needs), text


_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_+\-]*")


@settings(max_examples=1500, deadline=None)
@given(st.text() | st.text(alphabet="aZ09_+-. \t\n?é\u212aı\ud800\U0001f600", max_size=30))
@example("list all c++ files --verbose")
@example("+-a -b- c+ é9 _x")
def test_words_are_what_the_word_pattern_finds(text: str) -> None:
    assert words_of(text) == _WORD.findall(text)


def test_a_request_compiles_only_the_patterns_it_may_match() -> None:
    saved = dict(slots._COMPILED)
    slots._COMPILED.clear()
    try:
        slots.extract("find files larger than 10MB modified in the last 7 days")
        compiled = [slots._RECOGNISERS[index][0] for index in slots._COMPILED]
    finally:
        slots._COMPILED.clear()
        slots._COMPILED.update(saved)
    # The size and the "in the last" patterns; not "newer than 2 days", "older than", "find the word".
    assert any("exceeding" in pattern for pattern in compiled)
    assert any("(?:last|past|previous)" in pattern for pattern in compiled)
    assert not any("younger" in pattern or "(?:more|older|greater)" in pattern or "find\\s+(?:the" in pattern
                   for pattern in compiled)
