"""The per-shell memory of the last answer, which lets Ctrl-G cycle through alternatives."""
from __future__ import annotations

import marshal
import os
import stat
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from cmdai.session_memory import TTL_SECONDS, Choice, Memory, SessionMemory, same_line

CHOICES = [Choice("du -sh *", "sizes"), Choice("du -h -d 1", None), Choice("ncdu", "interactive")]


def memory(inserted: str = "du -sh *", index: int = 0, saved: float = 0.0) -> Memory:
    return Memory(CHOICES, index, inserted, saved or time.time())


def test_round_trip_in_a_private_file(tmp_path):
    store = SessionMemory.open("4242", tmp_path)
    store.save(memory(index=1, inserted="du -h -d 1"))
    loaded = store.load()
    assert loaded is not None and loaded.choices == CHOICES and loaded.index == 1 and loaded.inserted == "du -h -d 1"
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_default_place_is_the_user_cache_dir(isolated_env):
    store = SessionMemory.open("77")
    store.save(memory())
    assert str(store.path).startswith(isolated_env["XDG_CACHE_HOME"])
    assert stat.S_IMODE(os.stat(os.path.dirname(store.path)).st_mode) == 0o700


def test_the_request_is_remembered(tmp_path):
    store = SessionMemory.open("5", tmp_path)
    store.save(memory()._replace(request="show folder sizes"))
    assert store.load().request == "show folder sizes"


def test_two_shells_do_not_see_each_other(tmp_path):
    first, second = SessionMemory.open("100", tmp_path), SessionMemory.open("200", tmp_path)
    first.save(memory(inserted="du -sh *"))
    assert second.load() is None
    second.save(memory(inserted="ncdu", index=2))
    assert first.load().inserted == "du -sh *" and second.load().inserted == "ncdu"


def test_an_old_memory_has_expired_and_old_files_are_pruned(tmp_path):
    old = SessionMemory.open("1", tmp_path)
    old.save(memory(saved=time.time() - TTL_SECONDS - 5))
    assert old.load() is None
    os.utime(old.path, (time.time() - TTL_SECONDS - 5,) * 2)
    SessionMemory.open("2", tmp_path).save(memory())
    assert not os.path.exists(old.path)


NOW = time.time()
GOOD = {"saved": NOW, "index": 0, "inserted": "a", "request": "", "choices": [{"command": "ls", "explanation": None}]}


@pytest.mark.parametrize("content", [
    b"", b"{", b"\xff\xfe\x00garbage", marshal.dumps([]), marshal.dumps(None), marshal.dumps({"saved": "x"}),
    marshal.dumps({**GOOD, "saved": 1e99}), marshal.dumps({**GOOD, "saved": float("nan")}),
    marshal.dumps({**GOOD, "index": 5}), marshal.dumps({**GOOD, "index": True}), marshal.dumps({**GOOD, "index": 0.0}),
    marshal.dumps({**GOOD, "choices": ["ls"]}), marshal.dumps({**GOOD, "choices": [{"cmd": "ls"}]}),
    marshal.dumps({**GOOD, "choices": [{"command": b"ls", "explanation": None}]}),
    marshal.dumps({**GOOD, "choices": []}), marshal.dumps({**GOOD, "inserted": None}),
    marshal.dumps({k: v for k, v in GOOD.items() if k != "request"}),
    b'{"saved": 1, "index": 0, "inserted": "a", "choices": [{"command": "ls"}]}',  # an older version's JSON
    marshal.dumps(compile("x = 1", "f", "exec")),
])
def test_a_damaged_or_foreign_file_counts_as_no_memory(tmp_path, content):
    store = SessionMemory.open("9", tmp_path)
    Path(store.path).write_bytes(content)
    assert store.load() is None


def test_what_is_saved_loads_back_exactly(tmp_path):
    store = SessionMemory.open("9", tmp_path)
    Path(store.path).write_bytes(marshal.dumps(GOOD))
    os.chmod(store.path, 0o600)
    assert store.load() == Memory([Choice("ls", None)], 0, "a", NOW, "")


def test_a_file_others_could_have_written_counts_as_no_memory(tmp_path):
    store = SessionMemory.open("9", tmp_path)
    Path(store.path).write_bytes(marshal.dumps(GOOD))
    os.chmod(store.path, 0o666)
    assert store.load() is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_as_a_memory_or_none(tmp_path_factory, data):
    store = SessionMemory.open("9", tmp_path_factory.mktemp("s"))
    Path(store.path).write_bytes(data)
    assert store.load() is None or isinstance(store.load(), Memory)


@pytest.mark.parametrize("session_id", [None, "", "..", "../x", "a/b", "x" * 65, "1 2", "$$"])
def test_unusable_session_ids_have_no_memory(tmp_path, session_id):
    assert SessionMemory.open(session_id, tmp_path) is None


def test_same_line_ignores_only_trailing_blanks():
    assert same_line("# rm -rf build\n", "# rm -rf build")
    assert same_line("ls  ", "ls")
    assert not same_line("ls -l", "ls")
    assert not same_line(" ls", "ls")
    assert not same_line("", "")
