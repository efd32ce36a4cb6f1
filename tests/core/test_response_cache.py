"""The answer cache: expiry, damaged entries, private files, pruning."""
from __future__ import annotations

import os
import stat
import time

from cmdai import response_cache
from cmdai.values import Generation
from cmdai.response_cache import ResponseCache


def test_round_trip_and_private_files(tmp_path):
    cache = ResponseCache(24, tmp_path / "responses")
    key = cache.key(["list files", "bash", "linux", "azure-foundry", None])
    cache.put(key, Generation("ls -la", "lists", model="m", usage={"total_tokens": 5}))
    hit = cache.get(key)
    assert (hit.command, hit.explanation, hit.model, hit.usage) == ("ls -la", "lists", "m", None)
    assert stat.S_IMODE((tmp_path / "responses").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "responses" / f"{key}.json").stat().st_mode) == 0o600


def test_keys_differ_by_every_part():
    parts = ["list files", "bash", "linux", "azure-foundry", "https://x", "m", None]
    keys = {ResponseCache.key(parts)}
    for index in range(len(parts)):
        changed = list(parts)
        changed[index] = "other"
        keys.add(ResponseCache.key(changed))
    assert len(keys) == len(parts) + 1


def test_expired_entries_are_not_used(tmp_path, monkeypatch):
    cache = ResponseCache(1, tmp_path)
    cache.put("k", Generation("ls"))
    now = time.time()
    monkeypatch.setattr(response_cache.time, "time", lambda: now + 3601)
    assert cache.get("k") is None


def test_damaged_entries_are_misses(tmp_path):
    cache = ResponseCache(24, tmp_path)
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "partial.json").write_text('{"created": 1}')
    assert cache.get("bad") is None and cache.get("partial") is None and cache.get("absent") is None


def test_unwritable_cache_costs_only_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = ResponseCache(24, blocker / "responses")  # a directory cannot be made under a file
    cache.put("k", Generation("ls"))
    assert cache.get("k") is None


def test_pruning_keeps_the_newest_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(response_cache, "_PRUNE_ABOVE", 5)
    cache = ResponseCache(24, tmp_path)
    now = time.time()
    for index in range(8):
        cache.put(f"k{index}", Generation(f"echo {index}"))
        os.utime(tmp_path / f"k{index}.json", (now - 100 + index, now - 100 + index))
    cache.put("k8", Generation("echo 8"))
    assert sorted(path.stem for path in tmp_path.glob("*.json")) == ["k4", "k5", "k6", "k7", "k8"]


def test_pruning_drops_expired_entries_first(tmp_path, monkeypatch):
    cache = ResponseCache(1, tmp_path)
    for index in range(6):
        cache.put(f"old{index}", Generation("ls"))
        os.utime(tmp_path / f"old{index}.json", (1_000_000, 1_000_000))
    monkeypatch.setattr(response_cache, "_PRUNE_ABOVE", 5)
    cache.put("fresh", Generation("ls"))
    assert [path.stem for path in tmp_path.glob("*.json")] == ["fresh"]
