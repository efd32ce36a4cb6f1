"""The registry is the only list of backends; each backend's declarations drive config, cache and doctor."""
from __future__ import annotations

import pytest

from cmdai import backends, orchestrator
from cmdai.backends.base import REGISTERED, CommandGenerator
from cmdai.config import Layer, load_config, resolve, schema
from cmdai.errors import ConfigError
from cmdai.settings import Key
from cmdai.values import Generation, GenerationRequest

REQUEST = GenerationRequest("list files", shell="bash", os_name="linux")


def test_built_in_backends_are_found_from_their_files():
    assert backends.names() == ("azure-foundry", "embedded", "ollama", "openai-compatible")
    for name in backends.names():
        cls = backends.get(name)
        assert cls.name == name and cls.summary
        assert cls.__module__ == "cmdai.backends." + name.replace("-", "_")


@pytest.fixture
def registered():
    """The registry as it was, back after the test."""
    before = dict(REGISTERED)
    yield REGISTERED
    REGISTERED.clear()
    REGISTERED.update(before)


def test_a_subclass_defined_anywhere_registers_itself(registered):
    class Elsewhere(CommandGenerator):
        name = "elsewhere"
        summary = "defined in a test"
        keys = {"colour": Key("choice", "blue", ("blue", "green"), example='colour = "green"')}

        def generate(self, request):
            return Generation("true")

    assert registered["elsewhere"] is Elsewhere
    assert "elsewhere" in backends.names() and backends.get("elsewhere") is Elsewhere
    config = load_config(overrides={"backend.type": "elsewhere", "backend.elsewhere.colour": "GREEN"}, environ={})
    assert config.settings_of("elsewhere").colour == "green"
    assert backends.create_backend("elsewhere", config).settings.colour == "green"
    with pytest.raises(ConfigError) as info:
        load_config(overrides={"backend.elsewhere.colour": "red"}, environ={})
    assert info.value.hint == "choose one of: blue, green"
    assert "backend.elsewhere.colour" in schema()


def test_a_stand_in_can_stay_off_the_list():
    class StandIn(CommandGenerator, register=False):
        name = "azure-foundry"

        def generate(self, request):
            return Generation("true")

    assert backends.get("azure-foundry") is not StandIn


def test_backend_variables_are_named_after_their_backend():
    for cls in backends.every():
        prefix = "CMDAI_" + cls.name.upper().replace("-", "_") + "_"
        for name, key in cls.keys.items():
            assert all(variable.startswith(prefix) for variable in key.env), (cls.name, name)
            assert cls.key_path(name) in schema()


def test_resolve_takes_layers_and_names_the_source():
    config = resolve([
        Layer("/etc/site.toml", {"safety": {"level": "strict"}}, "site"),
        Layer("answers", {"backend.ollama.model": "qwen"}, "settings"),
        Layer("environment", {"CMDAI_BACKEND": "ollama", "CMDAI_AZURE_FOUNDRY_DEPLOYMENT": "dep"}, "environment"),
        Layer("flags", {"backend.model": "flagged"}, "flags"),
    ])
    assert config.backend.type == "ollama" and config.source_of("backend.type") == "CMDAI_BACKEND"
    assert config.safety.level == "strict" and config.source_of("safety.level") == "/etc/site.toml"
    assert config.settings_of("ollama").model == "qwen" and config.source_of("backend.ollama.model") == "answers"
    assert config.settings_of("azure-foundry").deployment_name == "dep"
    assert config.backend.model == "flagged" and config.source_of("backend.model") == "--model"
    assert config.settings_of("ollama").base_url == "http://127.0.0.1:11434"  # the declared default
    with pytest.raises(ConfigError) as info:
        resolve([Layer("answers", {"backend.ollama.base_url": "nope"}, "settings")])
    assert info.value.one_line().startswith("answers: backend.ollama.base_url is not a valid http(s) URL")


def test_sections_are_named_tuples():
    from cmdai.config import CORE, SECTIONS

    for section, cls in SECTIONS.items():
        declared = {dotted.split(".")[1] for dotted in CORE if dotted.split(".")[0] == section}
        assert cls is None or set(cls._fields) == declared, section
    config = load_config(environ={})
    assert config.cache._fields == ("enabled", "ttl_hours")
    assert config.backend._replace(timeout_seconds=5).timeout_seconds == 5
    assert config.settings_of("openai-compatible")._fields == ("base_url", "api_key", "model")


class _Counting(CommandGenerator, register=False):
    name = "counting"
    is_remote = True

    def __init__(self, config, calls):
        super().__init__(config)
        self.calls = calls

    def generate(self, request):
        self.calls.append(request.text)
        return Generation("ls -la", model="m")


def _wire(monkeypatch, cls):
    calls = []
    monkeypatch.setattr(orchestrator, "create_backend", lambda name, config: cls(config, calls))
    return calls


def test_a_backend_without_a_cache_identity_is_never_cached(monkeypatch):
    calls = _wire(monkeypatch, _Counting)
    config = load_config(overrides={"backend.type": "ollama"}, environ={})
    for _ in range(2):
        assert not orchestrator.generate(REQUEST, config).cached
    assert calls == ["list files", "list files"]


def test_the_cache_identity_is_the_backends_own(monkeypatch):
    class Identified(_Counting, register=False):
        cache_identity = ()

    calls = _wire(monkeypatch, Identified)
    config = load_config(overrides={"backend.type": "ollama"}, environ={})
    orchestrator.generate(REQUEST, config)
    assert orchestrator.generate(REQUEST, config).cached
    assert len(calls) == 1


def test_servers_and_backends_never_share_answers():
    def parts(backend, **settings):
        config = load_config(overrides={"backend.type": backend, **settings}, environ={})
        return backends.create_backend(backend, config).cache_key_parts(REQUEST)

    one = parts("ollama", **{"backend.ollama.base_url": "http://127.0.0.1:1/", "backend.ollama.model": "m"})
    other = parts("ollama", **{"backend.ollama.base_url": "http://127.0.0.1:2/", "backend.ollama.model": "m"})
    compatible = parts("openai-compatible", **{"backend.openai_compatible.base_url": "http://127.0.0.1:1/",
                                               "backend.openai_compatible.model": "m"})
    assert len({tuple(one), tuple(other), tuple(compatible)}) == 3
    # Azure's endpoint is Azure's alone: it does not separate two Ollama servers, nor join them.
    with_azure = parts("ollama", **{"backend.ollama.base_url": "http://127.0.0.1:1/", "backend.ollama.model": "m",
                                    "backend.endpoint": "https://res.openai.azure.com"})
    assert with_azure == one
    assert parts("embedded") is None


def test_the_model_is_worked_out_by_the_backend():
    config = load_config(overrides={"backend.type": "ollama", "backend.ollama.model": "own",
                                    "backend.model": "general"}, environ={})
    backend = backends.create_backend("ollama", config)
    assert backend.model == "own"
    assert backend.cache_key_parts(REQUEST)[-1] == "own"
    assert backend.cache_key_parts(REQUEST._replace(model="flag"))[-1] == "flag"


def test_the_doctor_names_the_azure_resource():
    config = load_config(overrides={"backend.endpoint": "https://my-res.openai.azure.com/openai/v1",
                                    "backend.api_key": "k", "backend.azure.subscription_id": "sub-1",
                                    "backend.azure.resource_group": "rg-ai", "backend.azure.auth": "azure-cli"},
                         environ={})
    azure = backends.create_backend("azure-foundry", config)
    resource = "/subscriptions/sub-1/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/my-res"
    checks = {check.name: check for check in azure.endpoint_checks()}
    assert checks["resource"].ok and checks["resource"].detail == resource
    assert f"--scope {resource}" in azure._role_hint("gpt-4o-mini")
    half = load_config(overrides={"backend.endpoint": "https://my-res.openai.azure.com/openai/v1",
                                  "backend.azure.resource_group": "rg-ai"}, environ={})
    check = next(c for c in backends.create_backend("azure-foundry", half).endpoint_checks() if c.name == "resource")
    assert not check.ok and "subscription_id" in check.detail and "[backend.azure]" in check.hint


def test_every_key_is_documented_and_the_reference_is_current():
    from pathlib import Path

    from cmdai.config import reference_markdown

    for dotted, key in schema().items():
        assert key.doc, f"{dotted} has no doc"
    docs = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
    assert reference_markdown() in docs.read_text(encoding="utf-8"), "run: python scripts/config_reference.py"
