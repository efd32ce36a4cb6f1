"""The disk store behind every cache: private, atomic, locked, and checked on read."""
from __future__ import annotations

import json
import math
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cmdai.values import Generation
from cmdai.remote.entra.cache import TokenCache
from cmdai.remote.entra.tokens import AccessToken
from cmdai.disk_store import KeyedFile, KeyedFolder, cache_dir, finite_number
from cmdai.response_cache import ResponseCache

KEY = "k" * 64


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_cache_folders_and_files_are_private(isolated_env):
    cache = Path(isolated_env["XDG_CACHE_HOME"])
    assert not cache.exists()
    ResponseCache(24).put(KEY, Generation(command="ls"))

    for folder in (cache, cache / "cmdai", cache / "cmdai" / "responses"):
        assert mode_of(folder) == 0o700, folder
    assert mode_of(cache / "cmdai" / "responses" / f"{KEY}.json") == 0o600


def test_an_existing_open_cache_folder_is_tightened(isolated_env):
    root = Path(cache_dir())
    root.mkdir(parents=True, mode=0o755)
    root.chmod(0o755)
    ResponseCache(24).put(KEY, Generation(command="ls"))

    assert mode_of(root) == 0o700


@pytest.mark.parametrize("entry", [
    None, 42, "ls -la", ["ls"], {"command": "ls"}, {"created": None, "command": "ls"},
    {"created": math.nan, "command": "ls"}, {"created": math.inf, "command": "ls"}, {"created": "now", "command": "ls"},
    {"created": True, "command": "ls"}, {"created": 0, "command": None}, {"created": 0, "command": 42},
    {"created": 0, "command": "ls", "explanation": 3}, {"created": 0, "command": ["ls"]},
])
def test_a_malformed_answer_is_a_miss_and_is_rewritten(tmp_path, entry):
    cache = ResponseCache(24, tmp_path)
    path = tmp_path / f"{KEY}.json"
    if isinstance(entry, dict) and entry.get("created") == 0:
        entry = dict(entry, created=time.time())
    # json.dumps writes NaN and Infinity, which json.loads reads back: the store must refuse them.
    path.write_text(json.dumps(entry))

    assert cache.get(KEY) is None
    cache.put(KEY, Generation(command="ls -la"))
    assert cache.get(KEY).command == "ls -la"
    assert json.loads(path.read_text())["command"] == "ls -la"


def test_a_cached_answer_from_the_future_is_a_miss(tmp_path):
    (tmp_path / f"{KEY}.json").write_text(json.dumps({"created": time.time() + 86400 * 365, "command": "ls"}))

    assert ResponseCache(24, tmp_path).get(KEY) is None


def test_cached_commands_are_cleaned_like_fresh_ones(tmp_path):
    path = tmp_path / f"{KEY}.json"
    path.write_text(json.dumps({"created": time.time(), "command": "ls\x1b]52;c;ZWNobyBoaQ==\x07 -la\u202e",
                                "explanation": "lists\x1b[2J files", "model": "m\x9b31m"}))
    answer = ResponseCache(24, tmp_path).get(KEY)

    assert answer.command == "ls -la"
    assert answer.explanation == "lists files" and answer.model == "m"


@pytest.mark.parametrize("command", ["echo " + "a" * 5000, "grep \"open", "ls \ud800", "   "])
def test_a_cached_command_that_is_no_command_is_a_miss(tmp_path, command):
    (tmp_path / f"{KEY}.json").write_text(json.dumps({"created": time.time(), "command": command}))

    assert ResponseCache(24, tmp_path).get(KEY) is None


@pytest.mark.parametrize("entry", [
    {"access_token": None, "expires_on": 4e9}, {"access_token": "", "expires_on": 4e9},
    {"access_token": 42, "expires_on": 4e9}, {"access_token": "t", "expires_on": math.inf},
    {"access_token": "t", "expires_on": math.nan}, {"access_token": "t", "expires_on": "soon"},
    {"access_token": "t"}, [], None, "t",
])
def test_a_malformed_token_is_a_miss(tmp_path, entry):
    cache = TokenCache(tmp_path)
    Path(cache.path_for("azure-cli-x")).write_text(json.dumps(entry))

    assert cache.load("azure-cli-x") is None
    cache.store("azure-cli-x", AccessToken("fresh", time.time() + 3600))
    assert cache.load("azure-cli-x").token == "fresh"


def test_a_null_token_is_never_sent_as_bearer_none(tmp_path):
    from cmdai.remote.entra import TokenProvider

    class Credential:
        method = "azure-cli"
        calls = 0

        def get_token(self, scope):
            Credential.calls += 1
            return AccessToken("real-token", time.time() + 3600)

        def cache_context(self):
            return ()

    cache = TokenCache(tmp_path)
    Path(cache.path_for("key")).write_text(json.dumps({"access_token": None, "expires_on": time.time() + 3600}))
    provider = TokenProvider(Credential(), "scope", cache, "key")

    assert provider.token() == "real-token"
    assert Credential.calls == 1


def test_a_keyed_file_drops_invalid_entries_when_it_writes(tmp_path):
    store = KeyedFile("options.json", lambda entry: isinstance(entry, dict) and finite_number(entry.get("n")), tmp_path)
    (tmp_path / "options.json").write_text(json.dumps({"bad": {"n": None}, "old": {"n": 1}, "worse": 7}))

    assert store.get("bad") is None and store.get("worse") is None and store.get("old") == {"n": 1}
    store.put("new", {"n": 2})
    assert json.loads((tmp_path / "options.json").read_text()) == {"old": {"n": 1}, "new": {"n": 2}}


def test_a_keyed_file_that_is_not_an_object_is_empty(tmp_path):
    (tmp_path / "options.json").write_text("[1, 2, 3]")
    store = KeyedFile("options.json", lambda entry: True, tmp_path)

    assert store.get("anything") is None
    store.put("a", 1)
    assert store.get("a") == 1


_WRITER = """
import sys
from pathlib import Path
from cmdai.disk_store import KeyedFile
store = KeyedFile("shared.json", lambda entry: isinstance(entry, int), Path(sys.argv[1]))
for index in range(int(sys.argv[3])):
    store.put(f"{sys.argv[2]}-{index}", index)
"""


def test_two_writers_at_once_lose_nothing(tmp_path):
    count = 40
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), name, str(count)])
               for name in ("first", "second", "third")]
    for writer in writers:
        assert writer.wait(timeout=120) == 0

    data = json.loads((tmp_path / "shared.json").read_text())
    assert len(data) == 3 * count
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_folder_that_cannot_be_written_costs_only_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = KeyedFolder(blocker / "sub", lambda entry: True)

    assert store.put("k", 1) is False
    assert store.get("k") is None
