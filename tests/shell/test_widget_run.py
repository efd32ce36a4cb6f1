"""One press of the key as the widget's cmdai sees it: type-ahead thrown away, the seconds drawn,
the time budget kept — on a real pseudo-terminal and against a real stalled loopback server."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import time
from pathlib import Path

import pytest

from cmdai.widget import discard_typeahead, indicator


def test_typeahead_waiting_in_the_terminal_is_thrown_away():
    controller, terminal = pty.openpty()
    try:
        assert discard_typeahead(terminal) is False
        os.write(controller, b"\r")
        time.sleep(0.1)  # the line discipline takes the byte asynchronously
        assert discard_typeahead(terminal) is True
        assert discard_typeahead(terminal) is False
    finally:
        os.close(controller)
        os.close(terminal)


@pytest.mark.parametrize("locale, shown", [("C.UTF-8", "⏳ cmdai 3s"), ("en_US.utf8", "⏳ cmdai 3s"),
                                           ("C", "[cmdai 3s]"), ("", "[cmdai 3s]")])
def test_the_indicator_falls_back_to_ascii(monkeypatch, locale, shown):
    for name in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale)
    assert indicator(3) == shown


@pytest.fixture
def stalled_model(httpserver, user_config: Path, write_file):
    """A model endpoint that never answers within any budget; settings may be added."""
    import threading

    release = threading.Event()

    def stall(request):
        release.wait(30)
        from werkzeug.wrappers import Response

        return Response("{}", status=503)

    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(stall)

    def configure(shell_settings: str, fallback: bool) -> None:
        write_file(user_config, f"""\
[backend]
type = "azure-foundry"
endpoint = "{httpserver.url_for('/models')}"
api_key = "k"
model = "m"
max_retries = 0
fallback = {str(fallback).lower()}
timeout_seconds = 60

[backend.azure]
api_style = "model-inference"

[cache]
enabled = false

[shell]
{shell_settings}
""")

    yield configure
    release.set()


@pytest.fixture
def widget(run_cmdai):
    """widget(request) -> the finished `cmdai --widget --shell bash` run."""
    return lambda request: run_cmdai("--widget", "--shell", "bash", input=request)


def test_the_budget_ends_a_stalled_call_with_the_offline_answer(stalled_model, widget):
    stalled_model("hotkey_timeout_seconds = 1.5", fallback=True)
    started = time.monotonic()
    result = widget("list all files")
    took = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ls")
    assert "no answer within the 1.5 s hotkey budget" in result.stderr
    assert "answered by the offline engine" in result.stderr
    # The budget, not the CLI's 60 s timeout, ended the call (generously bounded for slow machines).
    assert took < 20


def test_the_budget_keeps_the_line_when_the_offline_engine_does_not_know(stalled_model, widget):
    stalled_model("hotkey_timeout_seconds = 1", fallback=True)
    result = widget("frobnicate the quux daemon")

    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no answer within the 1 s hotkey budget" in lines[0]
    assert "hotkey_timeout_seconds" in lines[0]


def test_without_fallback_the_budget_only_reports(stalled_model, widget):
    stalled_model("hotkey_timeout_seconds = 1", fallback=False)
    result = widget("list all files")

    assert result.returncode != 0
    assert result.stdout == ""
    assert "hotkey budget" in result.stderr


def test_the_command_line_keeps_its_own_timeout(stalled_model, run_cmdai):
    # The hotkey budget is the widget's; a plain cmdai call waits for timeout_seconds.
    stalled_model("hotkey_timeout_seconds = 1", fallback=False)
    with pytest.raises(subprocess.TimeoutExpired):
        run_cmdai("-s", "bash", "list all files", timeout=4)


def test_a_budget_outside_its_range_is_a_configuration_error(stalled_model, widget):
    stalled_model("hotkey_timeout_seconds = 0", fallback=True)
    result = widget("list all files")

    assert result.returncode == 2
    assert "hotkey_timeout_seconds" in result.stderr
