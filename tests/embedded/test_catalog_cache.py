"""The compiled catalog kept between runs: the same answers, rebuilt whenever it is not current."""
from __future__ import annotations

import marshal
import stat
import subprocess
import sys
from pathlib import Path

from cmdai.backends.embedded import catalog_cache
from cmdai.backends.embedded.catalog import INTENTS, NOT_ARGS
from cmdai.backends.embedded.engine import Matcher, NoMatch



def outcome(matcher: Matcher, text: str, shell: str = "bash", os_name: str = "linux"):
    try:
        found = matcher.match(text, shell, os_name)
    except NoMatch as exc:
        return ("no match", exc.ambiguous)
    return found.command, found.explanation, found.alternatives


def test_a_snapshot_answers_exactly_like_the_catalog(bench_requests) -> None:
    built = Matcher(INTENTS, NOT_ARGS)
    restored = Matcher.from_snapshot(marshal.loads(marshal.dumps(built.snapshot())), lambda: INTENTS)
    for case in bench_requests:
        assert outcome(restored, *case) == outcome(built, *case), case


def test_intents_whose_rows_are_damaged_are_compiled_from_the_catalog(bench_requests) -> None:
    built = Matcher(INTENTS, NOT_ARGS)
    not_args, rows, by_word, unconditional = built.snapshot()
    damage = (lambda row: row[:len(row) // 2], lambda row: b"\x00garbage", lambda row: marshal.dumps((1, 2)),
              lambda row: 5, lambda row: row)
    damaged = tuple(damage[index % len(damage)](row) for index, row in enumerate(rows))
    restored = Matcher.from_snapshot((not_args, damaged, by_word, unconditional), lambda: INTENTS)
    for case in bench_requests:
        assert outcome(restored, *case) == outcome(built, *case), case


def test_the_second_run_reads_the_cache_and_skips_the_catalog() -> None:
    code = ("import sys; from cmdai.backends.embedded import matcher; print(matcher().match('list all python files').command); "
            "print('cmdai.backends.embedded.catalog' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert first.stdout.split() == ["find", ".", "-name", "'*.py'", "True"], first.stderr
    assert second.stdout.split() == ["find", ".", "-name", "'*.py'", "False"], second.stderr
    path = Path(catalog_cache.cache_file())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_stale_or_damaged_cache_is_rebuilt(monkeypatch) -> None:
    path = Path(catalog_cache.cache_file())
    catalog_cache.load_matcher()
    assert path.is_file()
    # Another version or a changed module: the stored key no longer fits. (A context, as undo()
    # would also give back the isolated environment's cache directory.)
    with monkeypatch.context() as patched:
        patched.setattr(catalog_cache, "_key", lambda: (0, "other", ()))
        assert catalog_cache._read(path, catalog_cache._key()) is None
        assert catalog_cache.load_matcher().match("list all python files").command == "find . -name '*.py'"
        assert catalog_cache._read(path, catalog_cache._key()) is not None
    key = catalog_cache._key()
    assert Path(catalog_cache.cache_file()) == path
    assert catalog_cache._read(path, key) is None
    catalog_cache.load_matcher()
    not_args, rows, by_word, unconditional = marshal.loads(path.read_bytes())[1]
    for damage in (b"", b"\x00garbage", marshal.dumps(("only one",)), marshal.dumps((key, 5)),
                   marshal.dumps((key, ("x", ((1,),)))), marshal.dumps((key, (not_args, rows, by_word))),
                   marshal.dumps((key, (not_args, list(rows), by_word, unconditional))),
                   marshal.dumps((key, (not_args, rows, list(by_word.items()), unconditional))),
                   marshal.dumps((key, (not_args, rows, {**by_word, "list": (len(rows),)}, unconditional))),
                   marshal.dumps((key, (not_args, rows, by_word, (-1,)))),
                   marshal.dumps((key, (not_args, rows, by_word, ("x",)))),
                   marshal.dumps((key, (not_args, rows, {"list": 5}, unconditional)))):
        path.write_bytes(damage)
        assert catalog_cache._read(path, key) is None, damage[:60]
        assert catalog_cache.load_matcher().match("list all python files").command == "find . -name '*.py'"
        assert catalog_cache._read(path, key) is not None


def test_an_unwritable_cache_directory_costs_only_the_rebuild(monkeypatch, tmp_path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert catalog_cache.load_matcher().match("list all python files").command == "find . -name '*.py'"


def test_the_key_follows_the_engine_modules() -> None:
    key = catalog_cache._key()
    names = {name for _, name, _, _ in key[2]}
    assert {"engine.py", "slots.py", "words.py", "files.py", "vocab.py"} <= names
