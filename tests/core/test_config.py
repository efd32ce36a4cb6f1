"""Configuration: precedence, validation, the site policy floor and permission warnings."""
from __future__ import annotations

import pytest

from cmdai.config import load_config
from cmdai.errors import ConfigError


def test_defaults_without_any_file(isolated_env):
    config = load_config()
    assert config.backend.type == "embedded"
    assert config.safety.level == "moderate"
    assert config.backend.fallback is True
    assert config.backend.timeout_seconds == 30.0
    assert config.settings_of("azure-foundry").auth == "api-key"
    assert config.files == []


def test_precedence_flags_over_env_over_user_over_site(user_config, site_config, write_file, monkeypatch):
    write_file(site_config, '[backend]\nmodel = "site-model"\ntimeout_seconds = 5\nmax_retries = 1\n')
    write_file(user_config, '[backend]\nmodel = "user-model"\ntimeout_seconds = 7\n')
    config = load_config()
    assert config.backend.model == "user-model"
    assert config.backend.timeout_seconds == 7
    assert config.backend.max_retries == 1  # only the site file sets it
    assert config.files == [str(site_config), str(user_config)]

    monkeypatch.setenv("CMDAI_MODEL", "env-model")
    assert load_config().backend.model == "env-model"
    assert load_config().source_of("backend.model") == "CMDAI_MODEL"

    config = load_config(overrides={"backend.model": "flag-model"})
    assert config.backend.model == "flag-model"
    assert config.source_of("backend.model") == "--model"


def test_cmdai_model_beats_azure_specific_model(monkeypatch):
    monkeypatch.setenv("CMDAI_AZURE_FOUNDRY_MODEL", "azure-model")
    assert load_config().backend.model == "azure-model"
    monkeypatch.setenv("CMDAI_MODEL", "general")
    assert load_config().backend.model == "general"


def test_azure_endpoint_in_environment_selects_azure(monkeypatch):
    monkeypatch.setenv("CMDAI_AZURE_FOUNDRY_ENDPOINT", "https://res.services.ai.azure.com/models")
    monkeypatch.setenv("CMDAI_AZURE_FOUNDRY_API_KEY", "k")
    monkeypatch.setenv("CMDAI_AZURE_FOUNDRY_DEPLOYMENT", "dep")
    monkeypatch.setenv("CMDAI_AZURE_FOUNDRY_API_VERSION", "2024-10-21")
    config = load_config()
    assert config.backend.type == "azure-foundry"
    azure = config.settings_of("azure-foundry")
    assert azure.api_key == "k"
    assert azure.deployment_name == "dep"
    assert azure.api_version == "2024-10-21"


def test_configured_backend_wins_over_azure_endpoint(user_config, write_file, monkeypatch):
    write_file(user_config, '[backend]\ntype = "ollama"\n')
    monkeypatch.setenv("CMDAI_AZURE_FOUNDRY_ENDPOINT", "https://res.services.ai.azure.com/models")
    assert load_config().backend.type == "ollama"


def test_environment_values_are_converted_and_checked(monkeypatch):
    monkeypatch.setenv("CMDAI_SAFETY_LEVEL", "STRICT")
    assert load_config().safety.level == "strict"
    monkeypatch.setenv("CMDAI_SAFETY_LEVEL", "reckless")
    with pytest.raises(ConfigError) as info:
        load_config()
    assert "CMDAI_SAFETY_LEVEL" in info.value.message
    assert "strict, moderate, permissive" in info.value.hint


def test_unknown_backend_is_a_config_error(monkeypatch):
    monkeypatch.setenv("CMDAI_BACKEND", "nonsense")
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.exit_code == 2
    assert "azure-foundry" in info.value.hint


@pytest.mark.parametrize("body, words", [
    ('[backend]\ntpye = "embedded"\n', ["unknown key 'backend.tpye'", "backend.type"]),
    ('[backend]\ntimeout_seconds = "fast"\n', ["backend.timeout_seconds", "must be a number"]),
    ('[backend]\ntimeout_seconds = 0\n', ["between 1 and 600"]),
    ('[backend]\nmax_retries = 2.5\n', ["whole number"]),
    ('[backend]\nfallback = "yes"\n', ["true or false"]),
    ('[backend]\nendpoint = "not a url"\n', ["not a valid http(s) URL"]),
    ('[backend]\nendpoint = "ftp://host/x"\n', ["not a valid http(s) URL"]),
    ('[backend.azure]\nauth = "password"\n', ["backend.azure.auth", "azure-cli"]),
    ('[safety]\nlevel = 3\n', ["must be a string"]),
    ('[mystery]\nx = 1\n', ["unknown key 'mystery.x'"]),
])
def test_invalid_values_name_file_key_and_fix(user_config, write_file, body, words):
    write_file(user_config, body)
    with pytest.raises(ConfigError) as info:
        load_config()
    line = info.value.one_line()
    assert str(user_config) in line
    for word in words:
        assert word in line
    assert info.value.hint


def test_toml_syntax_error_names_the_line(user_config, write_file):
    write_file(user_config, '[backend]\ntype = "embedded"\nmodel = \n')
    with pytest.raises(ConfigError) as info:
        load_config()
    assert "line 3" in info.value.message
    assert str(user_config) in info.value.message


def test_explicit_config_path_must_exist(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(path=str(tmp_path / "missing.toml"))
    assert "does not exist" in info.value.message


def test_cmdai_config_variable_selects_the_file(tmp_path, write_file, monkeypatch):
    other = write_file(tmp_path / "other.toml", '[safety]\nlevel = "strict"\n')
    monkeypatch.setenv("CMDAI_CONFIG", str(other))
    config = load_config()
    assert config.safety.level == "strict"
    assert config.files == [str(other)]


def test_site_policy_floor_cannot_be_lowered(site_config, user_config, write_file, monkeypatch):
    write_file(site_config, '[policy]\nminimum_safety_level = "strict"\n')
    write_file(user_config, '[safety]\nlevel = "permissive"\n')
    config = load_config()
    assert config.safety.level == "strict"
    assert any("below the minimum 'strict'" in w and "administrator" in w for w in config.warnings)

    monkeypatch.setenv("CMDAI_SAFETY_LEVEL", "moderate")
    assert load_config().safety.level == "strict"
    assert load_config(overrides={"safety.level": "permissive"}).safety.level == "strict"


def test_site_policy_allows_a_stricter_user_level(site_config, write_file):
    write_file(site_config, '[policy]\nminimum_safety_level = "moderate"\n')
    config = load_config(overrides={"safety.level": "strict"})
    assert config.safety.level == "strict"
    assert config.warnings == []


def test_policy_in_user_file_is_ignored_with_a_warning(user_config, write_file):
    write_file(user_config, '[policy]\nminimum_safety_level = "permissive"\n')
    config = load_config()
    assert config.policy.minimum_safety_level is None
    assert any("only read from the site config" in w for w in config.warnings)


def test_world_readable_file_with_a_key_warns_with_chmod(user_config, write_file):
    write_file(user_config, '[backend]\napi_key = "secret-value"\n', mode=0o644)
    warnings = load_config().warnings
    assert any(f"chmod 600 '{user_config}'" in w for w in warnings)
    assert not any("secret-value" in w for w in warnings)


def test_private_file_with_a_key_does_not_warn(user_config, write_file):
    write_file(user_config, '[backend]\napi_key = "secret-value"\n', mode=0o600)
    assert load_config().warnings == []


def test_use_managed_identity_means_managed_identity_auth(user_config, write_file):
    write_file(user_config, '[backend.azure]\nuse_managed_identity = true\n')
    assert load_config().settings_of("azure-foundry").auth == "managed-identity"


def test_explicit_auth_beats_use_managed_identity(user_config, write_file):
    write_file(user_config, '[backend.azure]\nuse_managed_identity = true\nauth = "azure-cli"\n')
    assert load_config().settings_of("azure-foundry").auth == "azure-cli"
