"""The context sources, one by one, and the switches and site policy that govern them."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from cmdai.config import load_config
from cmdai.context import SOURCE_NAMES, collect, enabled_sources
from cmdai.context import cwd as cwd_source
from cmdai.context import git as git_source
from cmdai.context import last_command, os_info, tools
from cmdai.errors import ConfigError


def executable(path: Path, script: str) -> Path:
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def test_os_release_is_parsed():
    fields = os_info.parse_os_release('NAME="Ubuntu"\nVERSION_ID="24.04"\n# comment\nID_LIKE=debian\nbroken line\n')
    assert fields == {"NAME": "Ubuntu", "VERSION_ID": "24.04", "ID_LIKE": "debian"}


def test_os_source_names_the_system():
    info = os_info.collect(os.environ)
    assert info["system"] in ("linux", "macos") or info["system"]
    assert info.get("arch")


@pytest.fixture
def fake_path(tmp_path):
    """A PATH with a few tools, GNU sed, BSD find and grep, BusyBox date; each run of a tool is counted."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    runs = tmp_path / "runs"
    for name in ("rg", "jq", "kubectl"):
        executable(bin_dir / name, "exit 0")
    executable(bin_dir / "sed", f"echo run >> {runs}; echo 'sed (GNU sed) 4.9'")
    executable(bin_dir / "find", f"echo run >> {runs}; echo 'find: unknown option -- -' >&2; exit 1")
    executable(bin_dir / "grep", f"echo run >> {runs}; echo 'grep (BSD grep, GNU compatible) 2.6.0-FreeBSD'")
    executable(bin_dir / "date", f"echo run >> {runs}; echo 'BusyBox v1.36.1 multi-call binary.'")
    (bin_dir / "fd").write_text("not executable")
    return {"PATH": str(bin_dir)}, bin_dir, runs


def test_tools_lists_what_is_installed_and_each_flavour(fake_path):
    environ, _, _ = fake_path
    found = tools.detect(environ)
    assert found["installed"] == ["jq", "kubectl", "rg"]
    assert found["flavours"] == {"sed": "gnu", "find": "bsd", "grep": "bsd", "date": "busybox"}


def test_tools_are_detected_once_then_cached_until_path_changes(fake_path):
    environ, bin_dir, runs = fake_path
    first = tools.collect(environ)
    assert runs.read_text().count("run") == 4
    assert tools.collect(environ) == first
    assert runs.read_text().count("run") == 4, "a cached answer ran the tools again"
    executable(bin_dir / "fzf", "exit 0")  # installing a tool changes its directory
    os.utime(bin_dir, ns=(bin_dir.stat().st_atime_ns, bin_dir.stat().st_mtime_ns + 10**9))
    assert "fzf" in tools.collect(environ)["installed"]
    assert runs.read_text().count("run") == 8


def test_a_tool_that_hangs_is_left_out(fake_path, monkeypatch):
    environ, bin_dir, _ = fake_path
    executable(bin_dir / "stat", "sleep 30")
    monkeypatch.setattr(tools, "VERSION_TIMEOUT_SECONDS", 0.3)
    assert "stat" not in tools.detect(environ)["flavours"]


def test_cwd_sends_at_most_fifty_names_and_never_contents(tmp_path, monkeypatch):
    for index in range(60):
        (tmp_path / f"file{index:02}.txt").write_text("TOPSECRETCONTENT")
    (tmp_path / "src").mkdir()
    monkeypatch.chdir(tmp_path)
    found = cwd_source.collect(os.environ)
    assert len(found["entries"]) == 50 and found["more"] is True
    assert "src/" in found["entries"]
    assert "TOPSECRETCONTENT" not in repr(found)


def test_git_source_counts_without_naming_files(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "feature/login")
    (repo / "tracked.txt").write_text("one\n")
    (repo / "other.txt").write_text("two\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "init")
    git(repo, "remote", "add", "origin", "https://user:hunter22@example.com/repo.git")
    git(repo, "remote", "add", "upstream", "https://example.com/up.git")
    (repo / "tracked.txt").write_text("changed\n")
    (repo / "other.txt").write_text("staged\n")
    git(repo, "add", "other.txt")
    (repo / "new.txt").write_text("new\n")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    found = git_source.collect(os.environ)
    assert found == {"branch": "feature/login", "staged": 1, "modified": 1, "untracked": 1,
                     "remotes": ["origin", "upstream"]}
    assert "hunter22" not in repr(found) and "tracked.txt" not in repr(found)


def test_git_source_never_starts_a_monitor_the_repository_configures(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    marker = tmp_path / "monitor-ran"
    monitor = executable(tmp_path / "monitor.sh", f"touch {marker}")
    git(repo, "config", "core.fsmonitor", str(monitor))
    monkeypatch.chdir(repo)
    assert git_source.collect(os.environ)["untracked"] == 0
    assert not marker.exists()


def test_git_source_outside_a_repository_says_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert git_source.collect(os.environ) is None


def test_last_command_comes_from_the_environment():
    assert last_command.collect({}) is None
    assert last_command.collect({"CMDAI_LAST_COMMAND": "make test", "CMDAI_LAST_STATUS": "2"}) == \
        {"command": "make test", "exit_status": 2}
    long = last_command.collect({"CMDAI_LAST_COMMAND": "x" * 2000, "CMDAI_LAST_STATUS": "oops"})
    assert len(long["command"]) <= last_command.MAX_CHARS + 1 and "exit_status" not in long


def test_defaults_are_os_and_tools(user_config):
    assert enabled_sources(load_config()) == ["os", "tools"]
    assert set(SOURCE_NAMES) == {"os", "tools", "cwd", "git", "last_command"}


def test_each_source_is_a_switch(user_config, write_file):
    write_file(user_config, "[context]\nos = false\ntools = false\ncwd = true\n")
    assert enabled_sources(load_config()) == ["cwd"]


def test_site_policy_forbids_sources_users_cannot_reenable(user_config, site_config, write_file):
    write_file(site_config, '[policy]\nforbid_context = ["cwd", "tools"]\n')
    write_file(user_config, "[context]\ncwd = true\ngit = true\n")
    config = load_config()
    assert enabled_sources(config) == ["os", "git"]
    assert any("'cwd'" in warning and "administrator" in warning for warning in config.warnings)
    assert config.source_of("context.cwd").endswith("[policy]")


def test_users_cannot_set_the_policy_themselves(user_config, write_file):
    write_file(user_config, '[policy]\nforbid_context = ["os"]\n')
    config = load_config()
    assert enabled_sources(config) == ["os", "tools"]
    assert any("only read from the site config" in warning for warning in config.warnings)


def test_an_unknown_source_in_the_policy_is_an_error(site_config, write_file):
    write_file(site_config, '[policy]\nforbid_context = ["cwd", "history"]\n')
    with pytest.raises(ConfigError, match="history"):
        load_config()
    write_file(site_config, '[policy]\nforbid_context = "cwd"\n')
    with pytest.raises(ConfigError, match="list"):
        load_config()


def test_a_failing_source_is_left_out(user_config, write_file, monkeypatch):
    write_file(user_config, "[context]\ncwd = true\n")

    def broken(environ):
        raise PermissionError("no")

    monkeypatch.setattr(cwd_source, "collect", broken)
    context = collect(load_config())
    assert "cwd" not in context and "os" in context
