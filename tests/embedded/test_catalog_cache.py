"""The compiled catalog kept between runs: the same answers, rebuilt whenever it is not current."""
from __future__ import annotations

import importlib.util
import marshal
import stat
import subprocess
import sys
from pathlib import Path

from cmdai.backends.embedded import catalog_cache
from cmdai.backends.embedded.catalog import INTENTS, NOT_ARGS
from cmdai.backends.embedded.engine import Matcher, NoMatch

REPO = Path(__file__).resolve().parents[2]


def outcome(matcher: Matcher, text: str, shell: str = "bash", os_name: str = "linux"):
    try:
        found = matcher.match(text, shell, os_name)
    except NoMatch as exc:
        return ("no match", exc.ambiguous)
    return found.command, found.explanation, found.alternatives


def test_a_snapshot_answers_exactly_like_the_catalog() -> None:
    spec = importlib.util.spec_from_file_location("bench_offline", REPO / "bench" / "bench_offline.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    built = Matcher(INTENTS, NOT_ARGS)
    restored = Matcher.from_snapshot(marshal.loads(marshal.dumps(built.snapshot())))
    cases = [(c.text, c.shell, c.os_name) for c in bench.load_labelled()]
    cases += [(c.text, "bash", "linux") for c in bench.load_judged(bench.FRESH)]
    for case in cases:
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
    # Another version or a changed module: the stored key no longer fits.
    monkeypatch.setattr(catalog_cache, "_key", lambda: (0, "other", ()))
    assert catalog_cache._read(path, catalog_cache._key()) is None
    assert catalog_cache.load_matcher().match("list all python files").command == "find . -name '*.py'"
    assert catalog_cache._read(path, catalog_cache._key()) is not None
    monkeypatch.undo()
    key = catalog_cache._key()
    for damage in (b"", b"\x00garbage", marshal.dumps(("only one",)), marshal.dumps(((0, "other", ()), ("x", ((1,),)))),
                   marshal.dumps((key, ("x", ((1,),)))), marshal.dumps((key, ((), (((1, 2), (), (), (), ()),)))),
                   marshal.dumps((key, 5))):
        path.write_bytes(damage)
        assert catalog_cache.load_matcher().match("list all python files").command == "find . -name '*.py'"


def test_an_unwritable_cache_directory_costs_only_the_rebuild(monkeypatch, tmp_path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert catalog_cache.load_matcher().match("list all python files").command == "find . -name '*.py'"


def test_the_key_follows_the_engine_modules() -> None:
    key = catalog_cache._key()
    names = {name for _, name, _, _ in key[2]}
    assert {"engine.py", "slots.py", "words.py", "files.py", "vocab.py"} <= names
