"""What the Azure answers turn into: the keys written, the keys used for the test, the keys removed."""
from __future__ import annotations

from cmdai.remote.endpoints import detect_endpoint
from cmdai.setup_wizard.azure import AzureAnswers, is_azure_host
from cmdai.settings import nest
from cmdai.setup_wizard.probe import candidate_config, preserved_settings

FOUNDRY = "https://res.services.ai.azure.com/models"


def answers(endpoint: str = FOUNDRY, **values) -> AzureAnswers:
    return AzureAnswers(endpoint=endpoint, info=detect_endpoint(endpoint), safety="moderate", **values)


def test_a_typed_key_is_written_only_when_the_user_saves_it():
    typed = answers(auth="api-key", key_source="typed", api_key="k-123", model="gpt-4o-mini", save_key=True)
    assert typed.keys(for_test=False)["backend.api_key"] == "k-123"
    typed.save_key = False
    assert typed.keys(for_test=False)["backend.api_key"] is None  # removed from the file
    assert typed.keys(for_test=True)["backend.api_key"] == "k-123"  # but used for the test


def test_a_key_from_the_environment_or_a_command_stays_out_of_the_file():
    from_env = answers(auth="api-key", key_source="env", api_key="k-env", model="m")
    assert from_env.keys(for_test=False)["backend.api_key"] is None
    assert from_env.keys(for_test=True)["backend.api_key"] == "k-env"
    from_command = answers(auth="api-key", key_source="command", api_key_command="pass show foundry", model="m")
    written = from_command.keys(for_test=False)
    assert written["backend.api_key"] is None and written["backend.api_key_command"] == "pass show foundry"


def test_entra_methods_drop_key_settings_and_keep_only_their_own_ids():
    cli = answers(auth="azure-cli", tenant_id="contoso.onmicrosoft.com", client_id="stale", api_key="old",
                  key_source="saved", save_key=True, api_key_command="old", model="m")
    written = cli.keys(for_test=False)
    assert written["backend.api_key"] is None and written["backend.api_key_command"] is None
    assert written["backend.azure.tenant_id"] == "contoso.onmicrosoft.com"
    assert written["backend.azure.managed_identity_client_id"] is None
    assert written["backend.azure.use_managed_identity"] is None
    identity = answers(auth="managed-identity", tenant_id="stale", client_id="1111-2222", model="m")
    written = identity.keys(for_test=False)
    assert written["backend.azure.managed_identity_client_id"] == "1111-2222"
    assert written["backend.azure.tenant_id"] is None


def test_deployment_name_is_written_only_where_it_decides_something():
    managed = answers("https://ep.westeurope.inference.ml.azure.com", model="llama", deployment_name="blue")
    assert managed.keys(for_test=False)["backend.azure.deployment_name"] == "blue"
    stale = answers(model="gpt-4o-mini", deployment_name="old-deployment")
    assert stale.keys(for_test=True)["backend.azure.deployment_name"] is None
    pasted = ("https://res.openai.azure.com/openai/deployments/prod-4o/chat/completions"
              "?api-version=2024-10-21")
    same = answers(pasted, model="prod-4o")
    assert same.keys(for_test=False)["backend.azure.deployment_name"] is None
    other = answers(pasted, model="gpt-4o-mini")
    assert other.keys(for_test=False)["backend.azure.deployment_name"] == "gpt-4o-mini"


def test_the_candidate_config_is_the_answers_plus_kept_connection_settings(monkeypatch):
    monkeypatch.setenv("CMDAI_AZURE_FOUNDRY_ENDPOINT", "https://elsewhere.openai.azure.com")
    monkeypatch.setenv("CMDAI_MODEL", "from-the-environment")
    existing = {"backend.timeout_seconds": 12.0, "backend.ca_bundle": "/etc/corp.pem", "backend.model": "old",
                "backend.api_key": "old-key", "team.owner": "platform", "policy.minimum_safety_level": "strict"}
    preserved = preserved_settings(existing)
    assert preserved == {"backend.timeout_seconds": 12.0, "backend.ca_bundle": "/etc/corp.pem"}
    typed = answers(auth="api-key", key_source="typed", api_key="k-new", model="gpt-4o-mini")
    config = candidate_config(typed.keys(for_test=True), preserved)
    assert config.settings_of("azure-foundry").endpoint == FOUNDRY
    assert config.backend.model == "gpt-4o-mini"
    assert config.settings_of("azure-foundry").api_key == "k-new"
    assert config.backend.timeout_seconds == 12.0
    assert config.backend.ca_bundle == "/etc/corp.pem"


def test_nest_builds_the_tables_config_writer_takes():
    assert nest({"backend.type": "x", "backend.azure.auth": "api-key", "safety.level": None}) == {
        "backend": {"type": "x", "azure": {"auth": "api-key"}}, "safety": {"level": None}}


def test_only_azure_host_names_decide_the_kind():
    assert is_azure_host(detect_endpoint(FOUNDRY))
    assert not is_azure_host(detect_endpoint("http://127.0.0.1:8080/models"))
    assert not is_azure_host(detect_endpoint("https://gateway.example.com/ai"))
