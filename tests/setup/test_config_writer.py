"""config_writer: edits keep comments and unknown keys, writes are atomic, private and backed up."""
from __future__ import annotations

import os
import stat
import sys

import pytest

from cmdai import config_writer
from cmdai.config_writer import backup_path, update_toml, write_config
from cmdai.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

AZURE_UPDATES = {
    "backend": {
        "type": "azure-foundry",
        "endpoint": "https://res.services.ai.azure.com/models",
        "model": "gpt-4o-mini",
        "api_key": None,
        "azure": {"auth": "api-key", "api_style": None},
    },
    "safety": {"level": "strict"},
}

EXISTING = """\
# Written by hand; keep this comment.
[backend]
type = "embedded"   # was offline
api_key = "old-key"
timeout_seconds = 12

[backend.azure]
# the style we used before
api_style = "azure-openai"
future_key = "unknown keys survive"

[cache]
ttl_hours = 4

[team]
owner = "platform"
"""


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_file_is_plain_toml_with_only_the_given_keys():
    text = update_toml("", AZURE_UPDATES)
    assert not text.startswith("\n") and text.endswith("\n") and not text.endswith("\n\n")
    assert tomllib.loads(text) == {
        "backend": {
            "type": "azure-foundry",
            "endpoint": "https://res.services.ai.azure.com/models",
            "model": "gpt-4o-mini",
            "azure": {"auth": "api-key"},
        },
        "safety": {"level": "strict"},
    }
    assert "\n\n\n" not in text


def test_update_keeps_comments_other_sections_and_unknown_keys():
    text = update_toml(EXISTING, AZURE_UPDATES)
    assert "# Written by hand; keep this comment." in text
    assert "# the style we used before" in text
    assert 'future_key = "unknown keys survive"' in text
    data = tomllib.loads(text)
    assert data["backend"]["type"] == "azure-foundry"
    assert "api_key" not in data["backend"]  # None removes a key
    assert "api_style" not in data["backend"]["azure"]
    assert data["backend"]["timeout_seconds"] == 12
    assert data["cache"] == {"ttl_hours": 4}
    assert data["team"] == {"owner": "platform"}
    assert data["safety"] == {"level": "strict"}


def test_dotted_keys_and_super_tables_are_updated_in_place():
    text = update_toml('backend.type = "ollama"\n[backend.azure]\nauth = "azure-cli"\n', AZURE_UPDATES)
    data = tomllib.loads(text)
    assert data["backend"]["type"] == "azure-foundry"
    assert data["backend"]["azure"] == {"auth": "api-key"}


def test_removing_keys_from_a_missing_table_adds_nothing():
    text = update_toml("[safety]\nlevel = \"moderate\"\n", {"backend": {"api_key": None, "azure": {"api_style": None}}})
    assert tomllib.loads(text) == {"safety": {"level": "moderate"}}


def test_invalid_toml_is_reported_with_the_file_name_and_not_rewritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[backend\ntype = 1\n")
    with pytest.raises(ConfigError) as info:
        write_config(path, AZURE_UPDATES)
    assert str(path) in info.value.message and "invalid TOML" in info.value.message
    assert path.read_text() == "[backend\ntype = 1\n"


def test_a_value_where_a_table_is_needed_is_an_error():
    with pytest.raises(ConfigError) as info:
        update_toml('backend = "azure"\n', AZURE_UPDATES, source="my.toml")
    assert "backend" in info.value.message and info.value.hint


def test_write_creates_private_directory_and_file(tmp_path):
    path = tmp_path / "conf" / "cmdai" / "config.toml"
    result = write_config(path, AZURE_UPDATES)
    assert result.created and result.changed and result.backup is None
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert tomllib.loads(path.read_text())["backend"]["model"] == "gpt-4o-mini"
    assert os.listdir(path.parent) == ["config.toml"]  # no temporary file left behind


def test_update_keeps_a_private_backup_of_the_previous_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(EXISTING)
    os.chmod(path, 0o644)
    result = write_config(path, AZURE_UPDATES)
    assert not result.created and result.changed
    assert result.backup == backup_path(path) == tmp_path / "config.toml.bak"
    assert result.backup.read_text() == EXISTING
    assert mode_of(result.backup) == 0o600
    assert mode_of(path) == 0o600
    assert "# Written by hand; keep this comment." in path.read_text()
    assert sorted(os.listdir(tmp_path)) == ["config.toml", "config.toml.bak"]


def test_identical_content_is_not_rewritten(tmp_path):
    path = tmp_path / "config.toml"
    write_config(path, AZURE_UPDATES)
    before = path.stat().st_mtime_ns
    os.chmod(path, 0o640)
    result = write_config(path, AZURE_UPDATES)
    assert not result.changed and result.backup is None
    assert path.stat().st_mtime_ns == before
    assert mode_of(path) == 0o600
    assert not backup_path(path).exists()


def test_a_symlinked_config_is_written_through_the_link(tmp_path):
    target = tmp_path / "dotfiles" / "cmdai.toml"
    target.parent.mkdir()
    target.write_text("[safety]\nlevel = \"moderate\"\n")
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    write_config(link, AZURE_UPDATES)
    assert link.is_symlink()
    assert tomllib.loads(target.read_text())["backend"]["type"] == "azure-foundry"


def test_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text(EXISTING)

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(config_writer.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        config_writer.atomic_write_text(path, "half")
    assert path.read_text() == EXISTING
    assert os.listdir(tmp_path) == ["config.toml"]


def test_a_file_where_the_directory_should_be_is_a_config_error(tmp_path):
    blocker = tmp_path / "cmdai"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError) as info:
        write_config(blocker / "config.toml", AZURE_UPDATES)
    assert str(blocker) in info.value.message
    assert blocker.read_text() == "not a directory"
