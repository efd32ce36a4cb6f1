"""`cmdai --setup-backend azure-foundry --yes`: every answer from flags, exit 2 on anything missing."""
from __future__ import annotations

import pytest

from .conftest import GOOD_KEY, WRONG_KEY, read_toml

ENDPOINT = "https://my-res.services.ai.azure.com/models"


@pytest.mark.parametrize("flags, env, expected", [
    ([], {}, "--yes needs --endpoint"),
    (["--endpoint", ENDPOINT, "-m", "gpt-4o-mini"], {}, "CMDAI_AZURE_FOUNDRY_API_KEY or --api-key-command"),
    (["--endpoint", ENDPOINT], {"CMDAI_AZURE_FOUNDRY_API_KEY": GOOD_KEY}, "--yes needs --model"),
    (["--endpoint", "my-res.services.ai.azure.com", "-m", "x"], {"CMDAI_AZURE_FOUNDRY_API_KEY": GOOD_KEY},
     "is not a valid https:// URL"),
    (["--endpoint", "http://my-res.services.ai.azure.com/models", "-m", "x"],
     {"CMDAI_AZURE_FOUNDRY_API_KEY": GOOD_KEY}, "refusing plain http://"),
])
def test_missing_or_wrong_answers_exit_2_and_write_nothing(run_cmdai, user_config, flags, env, expected):
    result = run_cmdai("--setup-backend", "azure-foundry", "--yes", *flags, env=env)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1  # one line, message and fix
    assert not user_config.exists()


def test_an_invalid_existing_config_stops_before_anything_is_asked(run_cmdai, user_config, write_file):
    write_file(user_config, "[backend\n")
    result = run_cmdai("--setup-backend", "embedded", "--yes")
    assert result.returncode == 2
    assert str(user_config) in result.stderr and "invalid TOML" in result.stderr
    assert user_config.read_text() == "[backend\n"
