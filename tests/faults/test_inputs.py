"""Every odd input gets a named error, never "internal error": streams, signals, config values, keys, bytes."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from harness import ROOMY_TIMEOUT_SECONDS, azure_config, cmdai_command, process_ended

from cmdai.config import load_config
from cmdai.errors import ConfigError


def run_shell(script: str, env=None, input: bytes = b"") -> subprocess.CompletedProcess:
    """Run ``script`` in sh with $CMDAI set to the real CLI (for redirections the harness cannot express)."""
    full_env = dict(os.environ, CMDAI=" ".join(cmdai_command()), **(env or {}))
    return subprocess.run(["sh", "-c", script], input=input, capture_output=True, env=full_env, timeout=60)


def assert_named(result, returncode: int, *words: str) -> None:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == returncode, (result.returncode, err)
    assert "internal error" not in err and "Traceback" not in err, err
    for word in words:
        assert word in err, err


# -- standard streams ---------------------------------------------------------------------------


def test_closed_stderr_leaves_only_the_command_on_stdout():
    result = run_shell('$CMDAI -s bash "list all files" 2>&-')

    assert result.returncode == 0
    assert result.stdout.decode() == "ls -la\n"


def test_closed_stderr_with_an_error_writes_nothing_to_stdout():
    result = run_shell('$CMDAI --safety nonsense "list files" 2>&-')

    assert result.returncode == 2
    assert result.stdout == b""


def test_closed_stdout_is_named():
    assert_named(run_shell('$CMDAI -s bash "list all files" >&-'), 1, "cannot write to standard output")


def test_full_stdout_is_named():
    assert_named(run_shell('$CMDAI -s bash "list all files" >/dev/full'), 1,
                 "cannot write to standard output: No space left on device")


def test_full_stdout_and_stderr_end_quietly():
    result = run_shell('$CMDAI -s bash "list all files" >/dev/full 2>/dev/full')

    assert result.returncode == 1 and result.stderr == b""


def test_closed_stdin_is_an_empty_request():
    assert_named(run_shell("$CMDAI -s bash <&-"), 2, "the request is empty")


def test_a_reader_that_goes_away_is_no_error():
    result = run_shell('$CMDAI -s bash "list all files" | true')

    assert result.returncode == 0 and result.stderr == b""


# -- bytes that are not UTF-8 -------------------------------------------------------------------


def test_invalid_utf8_on_stdin_is_a_request():
    result = run_shell("printf 'list \\377 files' | $CMDAI -s bash")

    assert_named(result, 0)
    assert result.stdout.strip()


def test_invalid_utf8_in_argv_is_a_request():
    result = run_shell("$CMDAI -s bash \"$(printf 'list all \\377 files')\"")

    assert_named(result, 0)


def test_endless_stdin_is_refused():
    result = run_shell("head -c 200000 /dev/zero | $CMDAI -s bash")

    assert_named(result, 2, "more than 64 KiB on stdin")


# -- Ctrl-C ------------------------------------------------------------------------------------


@pytest.mark.parametrize("delay", [0.25, 0.5, 1.0])
def test_ctrl_c_ends_with_interrupted_and_130(delay, tmp_path):
    # A request whose api_key_command hangs: interrupted while waiting, its child must go too.
    pid_file = tmp_path / "sleep.pid"
    config = tmp_path / "config.toml"
    config.write_text(azure_config("http://127.0.0.1:9/x", "api-key",
                                   f"api_key_command = 'sleep 60 & echo $! > {pid_file}; wait'",
                                   timeout=ROOMY_TIMEOUT_SECONDS))
    process = subprocess.Popen(cmdai_command() + ["--config", str(config), "--no-cache", "list files"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)

    assert process.returncode == 130, err
    assert err.decode() == "cmdai: interrupted\n"
    assert out == b""
    if pid_file.exists() and pid_file.read_text().strip():
        assert process_ended(int(pid_file.read_text())), "the helper's child outlived the interrupted cmdai"


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0"])
def test_timeout_seconds_must_be_a_finite_positive_number(value, user_config, write_file):
    write_file(user_config, f"[backend]\ntimeout_seconds = {value}\n")

    with pytest.raises(ConfigError) as caught:
        load_config()

    assert "backend.timeout_seconds" in caught.value.message


def test_timeout_seconds_nan_from_the_cli(run_cmdai, user_config, write_file):
    write_file(user_config, "[backend]\ntimeout_seconds = nan\n")
    result = run_cmdai("list files")

    assert result.returncode == 2
    assert "timeout_seconds must be a finite number, not nan" in result.stderr


def test_config_naming_a_directory(run_cmdai, tmp_path):
    result = run_cmdai("--config", str(tmp_path), "list files")

    assert result.returncode == 2
    assert f"config file {tmp_path} (from --config) is a directory" in result.stderr


def test_config_dev_null_means_no_settings(run_cmdai):
    result = run_cmdai("--config", "/dev/null", "-s", "bash", "list all files")

    assert result.returncode == 0 and result.stdout.strip()


def test_an_unreadable_config_folder_is_named(monkeypatch, tmp_path):
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if os.path.basename(path) == "config.toml":
            raise PermissionError(13, "Permission denied")
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    with pytest.raises(ConfigError) as caught:
        load_config()

    assert "cannot read the folder of the config file" in caught.value.message


@pytest.mark.parametrize("key", ["SECRET\rKEY", "SECRET\nKEY", "SECRETключ", "SECRET KEY", "SECRET\tKEY",
                                 "SECRET\x1b]52;c;eA==\x07"])
def test_a_key_with_invalid_characters_is_a_config_error_that_never_shows_it(run_cmdai, key):
    result = run_cmdai("--debug", "--no-cache", "list files",
                       env={"CMDAI_AZURE_FOUNDRY_API_KEY": key,
                            "CMDAI_AZURE_FOUNDRY_ENDPOINT": "https://res.openai.azure.com"})

    assert result.returncode == 2
    assert "the API key contains invalid characters" in result.stderr
    assert "SECRET" not in result.stdout + result.stderr


def test_a_key_from_api_key_command_with_a_carriage_return(run_cmdai, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(azure_config("http://127.0.0.1:9/x", "api-key", "api_key_command = \"printf 'SECRET\\\\rKEY'\"",
                                   timeout=ROOMY_TIMEOUT_SECONDS))
    result = run_cmdai("--config", str(config), "--debug", "--no-cache", "list files")

    assert result.returncode == 2
    assert "api_key_command: the API key contains invalid characters" in result.stderr
    assert "SECRET" not in result.stdout + result.stderr


def test_http_to_a_host_that_only_starts_like_loopback_is_refused():
    from cmdai.remote.endpoints import require_secure_url

    for url in ("http://127.0.0.1:8000/v1", "http://[::1]:8000", "http://localhost:1", "http://api.localhost"):
        require_secure_url(url, allow_insecure_http=False)
    for url in ("http://127.evil.example.com/v1", "http://127.0.0.1.evil.example/", "http://localhost.evil.com"):
        with pytest.raises(ConfigError):
            require_secure_url(url, allow_insecure_http=False)
