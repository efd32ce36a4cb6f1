"""Model lists: what a service's answer yields, the day-long cache and its checks, the default marked."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cmdai.remote.model_list import MODEL_LIST_TTL_SECONDS, cached_models, mark_default, openai_model_list
from cmdai.remote.request_options import RequestOptions, remember_options, remembered_options
from cmdai.values import ModelInfo


class Fetch:
    def __init__(self, *models: ModelInfo):
        self.models = list(models)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.models


def cache_file(isolated_env, name: str) -> Path:
    return Path(isolated_env["XDG_CACHE_HOME"]) / "cmdai" / name


def test_a_fresh_list_is_served_from_the_cache_and_refresh_asks_again(isolated_env):
    fetch = Fetch(ModelInfo(id="gpt-4o", capabilities=("chat_completion",), can_chat=True, status="ga"))
    first = cached_models("svc", fetch)
    assert cached_models("svc", fetch) == first and fetch.calls == 1
    assert cached_models("other svc", fetch) == first and fetch.calls == 2  # one entry per service
    cached_models("svc", fetch, refresh=True)
    assert fetch.calls == 3
    assert first == [ModelInfo(id="gpt-4o", capabilities=("chat_completion",), can_chat=True, status="ga")]


@pytest.mark.parametrize("age", [MODEL_LIST_TTL_SECONDS + 5, -3600])  # a day old, or from the future
def test_a_stale_or_impossible_fetch_time_asks_again(isolated_env, age):
    fetch = Fetch(ModelInfo(id="m"))
    cached_models("svc", fetch)
    path = cache_file(isolated_env, "models.json")
    data = json.loads(path.read_text())
    data["svc"]["fetched"] = time.time() - age
    path.write_text(json.dumps(data))
    cached_models("svc", fetch)
    assert fetch.calls == 2


def test_a_tampered_cache_entry_is_a_miss_never_shown(isolated_env):
    fetch = Fetch(ModelInfo(id="m"))
    cached_models("svc", fetch)
    path = cache_file(isolated_env, "models.json")
    text = path.read_text().replace('"id": "m"', '"id": "evil\\u001b]0;pwned\\u0007"')
    assert "evil" in text
    path.write_text(text)
    assert [m.id for m in cached_models("svc", fetch)] == ["m"]
    assert fetch.calls == 2


def test_names_from_the_service_become_plain_text(isolated_env):
    fetch = Fetch(ModelInfo(id="two\nlines"), ModelInfo(id="ok", status="ga\x1b[31m" + "x" * 400,
                                                        capabilities=("chat\x07",), description="d\u202e"),
                  ModelInfo(id=""))
    models = cached_models("svc", fetch)
    assert [m.id for m in models] == ["ok"]  # an id that is not plain text names nothing anyone could type
    assert "\x1b" not in models[0].status and len(models[0].status) <= 200
    assert models[0].capabilities == ("chat",) and "\u202e" not in models[0].description


def test_openai_model_list_reads_capabilities_and_skips_what_is_not_a_model():
    data = {"data": [{"id": "gpt-4o", "lifecycle_status": "preview", "capabilities": {"chat_completion": True,
                                                                                      "embeddings": False}},
                     {"id": 7, "status": "succeeded"}, {"object": "model"}, "text", {"id": "e", "capabilities": []}]}
    assert openai_model_list(data) == [
        ModelInfo(id="gpt-4o", capabilities=("chat_completion",), can_chat=True, status="preview"),
        ModelInfo(id="7", status="succeeded"), ModelInfo(id="e")]
    assert openai_model_list({"models": []}) is None and openai_model_list([]) is None


def test_the_configured_default_is_marked_or_listed_first():
    models = [ModelInfo(id="a"), ModelInfo(id="b")]
    assert [(m.id, m.is_default) for m in mark_default(models, "b")] == [("a", False), ("b", True)]
    marked = mark_default(models, "mine")
    assert [(m.id, m.is_default) for m in marked] == [("mine", True), ("a", False), ("b", False)]
    assert marked[0].description == "configured; not in the service's list"
    assert [m.is_default for m in mark_default(models, None)] == [False, False]


def test_remembered_request_options_survive_only_when_well_formed(isolated_env):
    remember_options("svc m", RequestOptions(temperature=False, tokens_param="max_completion_tokens",
                                             reasoning_effort="low", completion_cap=4096))
    options = remembered_options("svc m", "m")
    assert (options.temperature, options.tokens_param, options.reasoning_effort, options.completion_cap) == (
        False, "max_completion_tokens", "low", 4096)
    path = cache_file(isolated_env, "request-options.json")
    path.write_text(path.read_text().replace('"low"', '"turbo"'))
    assert remembered_options("svc m", "m") is None
