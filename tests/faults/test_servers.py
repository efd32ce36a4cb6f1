"""Every server fault ends within timeout_seconds + 0.5 s and 100 MiB, with one accurate line.

Each test runs the real CLI against the fault server (tests/faults/fault_server.py) on loopback.
"""
from __future__ import annotations

import re

import pytest
from fault_server import FaultServer
from harness import ROOMY_TIMEOUT_SECONDS, TIMEOUT_SECONDS, Run, azure_config, openai_config, process_ended
from fault_server import MAX_RSS_MIB, WALL_SLACK_SECONDS

#: What a terminal would act on: ESC, C1 controls, BEL, bidi overrides.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_bounded(run: Run, timeout: float = TIMEOUT_SECONDS) -> None:
    assert run.seconds <= timeout + WALL_SLACK_SECONDS, f"took {run.seconds:.2f} s: {run.stderr}"
    assert run.max_rss_mib <= MAX_RSS_MIB, f"peak RSS {run.max_rss_mib:.0f} MiB"


def assert_one_line(run: Run, *fragments: str, returncode: int = 1) -> str:
    assert run.returncode == returncode, run
    assert run.stdout == "", run
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    line = lines[0]
    assert line.startswith("cmdai: ") and " — " in line, line
    assert "internal error" not in line and "Traceback" not in run.stderr
    assert not TERMINAL_CONTROLS.search(run.stderr), repr(run.stderr)
    for fragment in fragments:
        assert fragment in line, line
    return line


# mode, words the one line must hold
CHAT_FAULTS = [
    ("silent", ["did not answer within 1.5 s"]),
    ("headers-trickle", ["did not answer within 1.5 s"]),
    ("body-trickle", ["did not finish sending its answer within 1.5 s"]),
    ("body-endless", ["larger than 1024 KiB", "stopped reading"]),
    ("body-huge-length", ["larger than 1024 KiB"]),
    ("gzip-bomb", ["larger than 1024 KiB"]),
    ("deflate-bomb", ["larger than 1024 KiB"]),
    ("brotli", ["encoding cmdai did not ask for (br)"]),
    ("truncated-body", ["was cut off", "connection closed before the whole body arrived"]),
    ("finish-length", ["the answer was cut off — raise max_tokens or retry"]),
    ("truncated-json", ["the answer is incomplete", "JSON"]),
    ("unterminated-quote", ["a quote in the command is never closed"]),
    ("long-command", ["the answer is too long to be a command"]),
    ("lone-surrogate", ["broken text"]),
    ("retry-after-inf", ["rate-limiting requests (HTTP 429)"]),
    ("redirect-hostile", ["redirected the request to https://evil.example/", "not followed"]),
    ("error-hostile", ["is failing (HTTP 500)", "broken"]),
    ("filter-hostile", ["filtered by your organisation's content policy", "hate"]),
    ("deep-json", ["rejected the request (HTTP 400)"]),
    ("header-flood", ["sent an answer that is not valid HTTP (got more than 100 headers)"]),
]


@pytest.mark.parametrize("mode,fragments", CHAT_FAULTS, ids=[m for m, _ in CHAT_FAULTS])
def test_chat_fault_is_bounded_with_one_accurate_line(cli, fault_server, mode, fragments):
    run = cli("--no-cache", "-s", "bash", "list files", config=openai_config(fault_server.url(mode)))

    assert_bounded(run)
    assert_one_line(run, *fragments)


@pytest.mark.parametrize("mode", ["silent", "body-trickle", "gzip-bomb"])
def test_widget_keeps_the_line_on_a_fault(cli, fault_server, mode):
    # A key press keeps to hotkey_timeout_seconds, which replaces timeout_seconds.
    config = openai_config(fault_server.url(mode)) + f"\n[shell]\nhotkey_timeout_seconds = {TIMEOUT_SECONDS}\n"
    run = cli("--widget", "--shell", "bash", "--no-cache", config=config, input=b"list files")

    assert_bounded(run)
    assert run.returncode != 0 and run.stdout == ""
    assert_one_line(run)


def test_a_slow_tls_handshake_is_bounded(cli, fault_server):
    run = cli("--no-cache", "-s", "bash", "list files", config=openai_config(fault_server.url("any", "https")))

    assert_bounded(run)
    assert_one_line(run, "did not answer within 1.5 s")


def test_an_incomplete_answer_is_never_cached(cli, fault_server):
    config = openai_config(fault_server.url("truncated-json"), timeout=ROOMY_TIMEOUT_SECONDS)
    before = len(fault_server.requests)
    for _ in range(2):
        assert_one_line(cli("-s", "bash", "list files", config=config), "incomplete")

    assert len(fault_server.requests) - before == 2  # the second press asked the server again


def test_a_blocked_answer_is_never_cached(cli, fault_server):
    config = openai_config(fault_server.url("blocked"), timeout=ROOMY_TIMEOUT_SECONDS)
    before = len(fault_server.requests)
    for _ in range(2):
        run = cli("-s", "bash", "delete everything", config=config)
        assert run.returncode == 3 and run.stdout == "" and "blocked" in run.stderr

    assert len(fault_server.requests) - before == 2


def test_a_timeout_falls_back_offline_within_the_bound(cli, fault_server):
    run = cli("--no-cache", "-s", "bash", "list all files", config=openai_config(fault_server.url("silent"), fallback=True))

    assert_bounded(run)
    assert run.returncode == 0 and run.stdout.strip()
    assert "did not answer within 1.5 s" in run.stderr and "answered by the offline engine" in run.stderr


def test_tls_failure_fallback_warning_carries_the_fix(cli):
    # https to a plain-HTTP answer: the handshake fails at once; the offline engine answers.
    with FaultServer(tls="plain") as plain:
        run = cli("--no-cache", "-s", "bash", "list all files",
                  config=openai_config(plain.url("good", "https"), fallback=True, timeout=ROOMY_TIMEOUT_SECONDS))

    assert run.returncode == 0 and run.stdout.strip()
    assert "TLS with 127.0.0.1 failed" in run.stderr
    assert "REQUESTS_CA_BUNDLE" in run.stderr and "cmdai --doctor" in run.stderr


def test_list_models_prints_no_terminal_controls(cli, fault_server):
    config = openai_config(fault_server.url("models-hostile"), timeout=ROOMY_TIMEOUT_SECONDS)
    for args in (("--list-models",), ("--list-models",)):  # fresh, then from the cache
        run = cli(*args, config=config)
        assert run.returncode == 0, run
        # The id holding escape sequences is no deployment name: left out; the other's status is cleaned.
        assert "plain-model" in run.stdout and "evil" not in run.stdout
        assert not TERMINAL_CONTROLS.search(run.stdout + run.stderr), repr(run.stdout)


def test_doctor_never_shows_auth_passed_on_a_redirect(cli, fault_server):
    run = cli("--doctor", config=openai_config(fault_server.url("redirect-hostile"), timeout=ROOMY_TIMEOUT_SECONDS))

    assert run.returncode == 1
    assert "✓ auth" not in run.stdout
    assert "✗ endpoint" in run.stdout and "redirected" in run.stdout
    assert not TERMINAL_CONTROLS.search(run.stdout), repr(run.stdout)


def test_doctor_is_bounded_against_a_silent_server(cli, fault_server):
    run = cli("--doctor", config=openai_config(fault_server.url("silent")))

    assert_bounded(run)
    assert run.returncode == 1 and "did not answer within 1.5 s" in run.stdout


# -- token endpoints ----------------------------------------------------------------------------


def test_managed_identity_redirect_is_not_followed(cli, fault_server):
    env = {"IDENTITY_ENDPOINT": fault_server.url("mi-redirect") + "/token", "IDENTITY_HEADER": "secret-header"}
    run = cli("--no-cache", "-s", "bash", "list files", env=env,
              config=azure_config(fault_server.url("good"), "managed-identity"))

    assert_bounded(run)
    assert_one_line(run, "redirected the token request", "does not follow it")
    stolen = [r for r in fault_server.requests if r.path.startswith("/stolen")]
    assert stolen == []


def test_managed_identity_trickled_token_is_bounded(cli, fault_server):
    env = {"IDENTITY_ENDPOINT": fault_server.url("mi-trickle") + "/token", "IDENTITY_HEADER": "h"}
    run = cli("--no-cache", "-s", "bash", "list files", env=env,
              config=azure_config(fault_server.url("good"), "managed-identity"))

    assert_bounded(run)
    assert_one_line(run, "managed identity endpoint", "did not answer in time")


# -- proxies and CA bundles ---------------------------------------------------------------------


def test_a_dead_proxy_is_named_without_its_password(cli, fault_server):
    run = cli("--no-cache", "-s", "bash", "list files", config=openai_config(fault_server.url("good")),
              env={"HTTP_PROXY": "http://alice:hunter2@127.0.0.1:9"})

    assert_bounded(run)
    line = assert_one_line(run, "HTTP_PROXY")
    assert "hunter2" not in run.stderr and "alice:****@" in line


def test_a_socks_proxy_without_pysocks_says_what_to_install(cli, fault_server):
    pytest.importorskip("requests")
    try:
        import socks  # noqa: F401
        pytest.skip("PySocks is installed")
    except ImportError:
        pass
    run = cli("--no-cache", "-s", "bash", "list files",
              config=openai_config(fault_server.url("good"), timeout=ROOMY_TIMEOUT_SECONDS),
              env={"ALL_PROXY": "socks5://127.0.0.1:9"})

    assert_one_line(run, "ALL_PROXY", "PySocks", "pip install", returncode=2)


def test_a_garbage_ca_bundle_is_named_invalid(cli, fault_server, tmp_path):
    bundle = tmp_path / "corp-ca.pem"
    bundle.write_text("this is not a certificate\n")
    run = cli("--no-cache", "-s", "bash", "list files",
              config=openai_config(fault_server.url("any", "https"), timeout=ROOMY_TIMEOUT_SECONDS),
              env={"REQUESTS_CA_BUNDLE": str(bundle)})

    assert_one_line(run, f"the CA bundle {bundle} (from REQUESTS_CA_BUNDLE) is invalid", returncode=2)


# -- helper programs ----------------------------------------------------------------------------


def test_a_hanging_api_key_command_is_killed_with_its_group(cli, fault_server, tmp_path):
    pid_file = tmp_path / "sleep.pid"
    command = f"sleep 90 & echo $! > {pid_file}; wait; echo key"
    run = cli("--no-cache", "-s", "bash", "list files",
              config=azure_config(fault_server.url("good"), "api-key", f"api_key_command = '{command}'"))

    assert_bounded(run)
    assert_one_line(run, "api_key_command (sleep) did not finish", returncode=2)
    assert process_ended(int(pid_file.read_text())), "the helper's child outlived cmdai"


def test_a_hanging_az_is_killed_with_its_group(cli, fault_server, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "az.pid"
    az = bin_dir / "az"
    az.write_text(f"#!/bin/sh\nsleep 90 &\necho $! > {pid_file}\nwait\n")
    az.chmod(0o755)
    import os

    run = cli("--no-cache", "-s", "bash", "list files", env={"PATH": f"{bin_dir}:{os.environ['PATH']}"},
              config=azure_config(fault_server.url("good"), "azure-cli"))

    assert_bounded(run)
    assert_one_line(run, "az account get-access-token did not finish")
    assert process_ended(int(pid_file.read_text())), "az's child outlived cmdai"


def test_an_unterminated_quote_in_api_key_command_is_named(cli, fault_server):
    run = cli("--no-cache", "-s", "bash", "list files",
              config=azure_config(fault_server.url("good"), "api-key", "api_key_command = 'pass show \"azure'",
                                  timeout=ROOMY_TIMEOUT_SECONDS))

    assert_one_line(run, "api_key_command has an unterminated quote", returncode=2)
