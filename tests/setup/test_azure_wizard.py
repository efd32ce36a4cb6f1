"""`cmdai --setup-backend azure-foundry` in a real pseudo-terminal against a loopback Foundry endpoint."""
from __future__ import annotations

import os
import stat

from .conftest import GOOD_KEY, WRONG_KEY, read_toml

ENDPOINT_PROMPT = "Endpoint URL (from the Azure AI Foundry portal):"

EXISTING = """\
# Team settings — keep this comment.
[backend]
type = "azure-foundry"
endpoint = "{endpoint}"
model = "gpt-4o-mini"
api_key = "{key}"
timeout_seconds = 20   # our proxy is slow

[backend.azure]
api_style = "model-inference"

[cache]
ttl_hours = 8

[team]
owner = "platform"
"""


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def start_to_key(wizard, endpoint: str) -> None:
    """Steps 1 and 2 for a loopback endpoint: URL, API style (model inference), API key sign-in."""
    wizard.type(ENDPOINT_PROMPT, endpoint)
    wizard.expect("This is not an Azure host")
    wizard.accept("Which API does it serve?")
    wizard.expect("✓ Azure AI Foundry model inference")
    wizard.accept("How should cmdai sign in?")


def type_key(wizard, key: str) -> None:
    """Step 3: type the key hidden, and save it."""
    wizard.accept("Where does the API key come from?")
    wizard.type("API key:", key)
    wizard.confirm("Save the key in the config file", yes=True)


def test_happy_path_writes_a_private_config_and_prints_next_steps(spawn_wizard, foundry, user_config):
    wizard = spawn_wizard("azure-foundry")
    start_to_key(wizard, foundry.url)
    type_key(wizard, GOOD_KEY)
    # No model known yet, and a model-inference endpoint cannot list deployments without a project.
    wizard.expect("Could not list the models")
    wizard.type("Deployment name:", "gpt-4o-mini")
    wizard.expect("✓ Connected to .*gpt-4o-mini answered")
    wizard.choose("Safety level:", -1)  # from moderate up to strict
    wizard.expect("Created")
    assert wizard.finish() == 0

    assert read_toml(user_config) == {
        "backend": {"type": "azure-foundry", "endpoint": foundry.url, "model": "gpt-4o-mini", "api_key": GOOD_KEY,
                    "azure": {"auth": "api-key", "api_style": "model-inference"}},
        "safety": {"level": "strict"},
    }
    assert mode_of(user_config) == 0o600
    assert mode_of(user_config.parent) == 0o700
    assert os.listdir(user_config.parent) == ["config.toml"]
    assert foundry.chat_models() == ["gpt-4o-mini"]
    transcript = wizard.transcript
    assert "⠋ Testing http://127.0.0.1:" in transcript  # the spinner, on the terminal's stderr
    assert "\x1b[32m✓" not in transcript  # NO_COLOR is set
    assert GOOD_KEY not in transcript  # typed hidden, never echoed
    assert 'cmdai "list all files"' in transcript
    assert 'eval "$(cmdai --init zsh)"' in transcript and "~/.zshrc" in transcript


def test_wrong_key_then_corrected(spawn_wizard, foundry, user_config):
    wizard = spawn_wizard("azure-foundry", "-m", "gpt-4o-mini")
    start_to_key(wizard, foundry.url)
    type_key(wizard, WRONG_KEY)
    wizard.expect("✗ 127.0.0.1 refused the api-key and Authorization: Bearer headers")
    wizard.accept("What now?")  # highlighted: enter the API key again
    type_key(wizard, GOOD_KEY)
    wizard.expect("✓ Connected to .*gpt-4o-mini answered")
    wizard.accept("Deployment to use:")  # the discovered list; the current one is highlighted
    wizard.accept("Safety level:")
    assert wizard.finish() == 0

    assert foundry.keys_seen()[0] == WRONG_KEY and foundry.keys_seen()[-1] == GOOD_KEY
    config = read_toml(user_config)
    assert config["backend"]["api_key"] == GOOD_KEY
    assert config["safety"] == {"level": "moderate"}
    transcript = wizard.transcript
    assert WRONG_KEY not in transcript and GOOD_KEY not in transcript


def test_discovered_models_show_availability(spawn_wizard, foundry, user_config):
    wizard = spawn_wizard("azure-foundry", "-m", "gpt-4o-mini")
    start_to_key(wizard, foundry.url)
    type_key(wizard, GOOD_KEY)
    wizard.expect("Deployment to use:")
    wizard.expect(r"gpt-4o-mini\s+current · chat")
    wizard.expect("Type another name")
    wizard.child.send("\r")  # the highlighted entry: the current deployment
    wizard.accept("Safety level:")
    assert wizard.finish() == 0
    assert read_toml(user_config)["backend"]["model"] == "gpt-4o-mini"


def test_discovery_failing_then_a_model_typed_by_hand(spawn_wizard, foundry, user_config):
    foundry.discovery = False
    wizard = spawn_wizard("azure-foundry", "-m", "gpt-4o-mini")
    start_to_key(wizard, foundry.url)
    type_key(wizard, GOOD_KEY)
    wizard.expect("✓ Connected to .*gpt-4o-mini answered")
    wizard.expect("Could not list the models: .*Resource not found")
    wizard.type("Deployment name:", "Phi-4-mini")
    # The name typed by hand is tried with a real request before it is saved.
    wizard.expect("✓ Connected to .*Phi-4-mini answered")
    wizard.accept("Safety level:")
    assert wizard.finish() == 0
    assert foundry.chat_models() == ["gpt-4o-mini", "Phi-4-mini"]
    assert read_toml(user_config)["backend"]["model"] == "Phi-4-mini"


def test_ctrl_c_midway_leaves_the_old_config_untouched(spawn_wizard, foundry, user_config, write_file):
    original = EXISTING.format(endpoint=foundry.url, key=GOOD_KEY)
    write_file(user_config, original, mode=0o600)
    wizard = spawn_wizard("azure-foundry")
    wizard.type(ENDPOINT_PROMPT, "https://other-res.services.ai.azure.com/models")
    wizard.expect("How should cmdai sign in?")
    wizard.interrupt()
    wizard.expect("Setup cancelled: .* is untouched")
    assert wizard.finish() == 130
    assert user_config.read_text() == original
    assert os.listdir(user_config.parent) == ["config.toml"]  # no backup, no temporary file


def test_ctrl_c_during_the_connection_test_leaves_the_config_untouched(spawn_wizard, foundry, user_config,
                                                                       write_file):
    original = EXISTING.format(endpoint=foundry.url, key=GOOD_KEY)
    write_file(user_config, original)
    foundry.delay = 5
    wizard = spawn_wizard("azure-foundry")
    wizard.accept(ENDPOINT_PROMPT)
    wizard.accept("Which API does it serve?")
    wizard.accept("How should cmdai sign in?")
    wizard.accept("Where does the API key come from?")  # keep the saved key
    wizard.expect("Testing http://127.0.0.1:.* with gpt-4o-mini")
    wizard.interrupt()
    wizard.expect("Setup cancelled: .* is untouched")
    assert wizard.finish() == 130
    assert user_config.read_text() == original
    assert os.listdir(user_config.parent) == ["config.toml"]


def test_ctrl_c_before_a_first_config_writes_nothing(spawn_wizard, user_config):
    wizard = spawn_wizard("azure-foundry")
    wizard.expect("Endpoint URL")
    wizard.interrupt()
    wizard.expect("nothing was written")
    assert wizard.finish() == 130
    assert not user_config.exists()


def test_existing_config_keeps_its_comments_and_other_settings(spawn_wizard, foundry, user_config, write_file):
    original = EXISTING.format(endpoint=foundry.url, key=GOOD_KEY)
    write_file(user_config, original, mode=0o644)
    wizard = spawn_wizard("azure-foundry", "--safety", "permissive")
    wizard.accept(ENDPOINT_PROMPT)  # the saved endpoint is the default
    wizard.accept("Which API does it serve?")
    wizard.accept("How should cmdai sign in?")
    wizard.expect("Where does the API key come from?")
    wizard.expect("» .{0,12}Keep the key saved in the config file")  # highlighted
    wizard.child.send("\r")
    wizard.expect("✓ Connected to .*gpt-4o-mini answered")
    wizard.accept("Deployment to use:")
    wizard.accept("Safety level:")  # --safety made permissive the highlighted answer
    wizard.expect(r"Saved .* \(the previous version is in config.toml.bak\)")
    assert wizard.finish() == 0

    text = user_config.read_text()
    assert "# Team settings — keep this comment." in text
    assert "timeout_seconds = 20   # our proxy is slow" in text
    config = read_toml(user_config)
    assert config["team"] == {"owner": "platform"}
    assert config["cache"] == {"ttl_hours": 8}
    assert config["safety"] == {"level": "permissive"}
    assert config["backend"]["api_key"] == GOOD_KEY
    assert mode_of(user_config) == 0o600
    backup = user_config.with_name("config.toml.bak")
    assert backup.read_text() == original and mode_of(backup) == 0o600
