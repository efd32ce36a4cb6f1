"""While cmdai works: keys typed meanwhile, the time budget, the seconds shown, Ctrl-C, and a
cmdai that is gone — in real zsh, bash and fish against a slow loopback model."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import CTRL_G, CTRL_C, UNDO, LEFT

pytestmark = pytest.mark.parametrize("shell", ("zsh", "bash", "fish"))

#: Seconds the model takes: long enough for keys to arrive while cmdai waits for it.
SLOW = 2.0
DISCARDED = "keys typed while cmdai was working were discarded"


def _slow_command(foundry, home: Path) -> Path:
    """Let the model answer slowly with a command that leaves a marker when it runs."""
    marker = home / "ran-unseen"
    foundry.command = f"touch {marker}"
    foundry.delay = SLOW
    return marker


def test_enter_pressed_while_waiting_runs_nothing(shell, foundry, open_shell, tmp_path):
    marker = _slow_command(foundry, tmp_path)
    session = open_shell(shell)
    session.press("mark this folder")
    foundry.wait_for_request()
    session.send("\r")
    session.send("x")
    session.send(LEFT)

    session.expect(DISCARDED)
    assert session.line() == (foundry.command, len(foundry.command))
    assert not marker.exists()

    # The command is on screen now; the next Enter is the user's and runs it.
    session.send("\r")
    session.expect("READY> ")
    session.line()
    assert marker.exists()


def test_enter_sent_together_with_the_key_runs_nothing(shell, foundry, open_shell, tmp_path):
    # A paste or a fast typist: the Enter is in the same burst as Ctrl-G.
    marker = _slow_command(foundry, tmp_path)
    session = open_shell(shell)
    session.send("mark this folder" + CTRL_G + "\r")

    session.expect(DISCARDED)
    assert session.line() == (foundry.command, len(foundry.command))
    assert not marker.exists()


def test_nothing_is_said_when_nothing_was_typed(shell, foundry, open_shell, tmp_path):
    _slow_command(foundry, tmp_path)
    foundry.delay = 0.5
    session = open_shell(shell)
    session.press("mark this folder")
    # The prompt is redrawn once the widget is done; no key may arrive before that.
    session.expect("READY> ")

    assert session.line()[0] == foundry.command
    assert DISCARDED not in session.screen_output()


def test_the_indicator_counts_the_seconds(shell, foundry, open_shell):
    foundry.delay = 6.5  # long enough for two looks at the screen under load
    session = open_shell(shell, in_tmux=True)
    session.press("list everything here")

    # zsh redraws only what changed, so the count is read from the screen, not the stream. Under load
    # a screen poll may fall between two ticks, so each look accepts any count beyond the one before.
    count = re.compile(r"⏳ cmdai ([1-9])s")

    def seconds(rows):
        return max((int(found.group(1)) for row in rows for found in count.finditer(row)), default=0)

    first = seconds(session.wait_for_screen(lambda rows: seconds(rows) >= 1, "a second counted"))
    session.wait_for_screen(lambda rows: seconds(rows) > first, "a later second counted")
    rows = session.wait_for_screen(lambda rows: "READY> ls -la" in rows, "the command")
    assert not any("⏳" in row for row in rows)
    assert session.line()[0] == "ls -la"
    # The count never touched the line: one undo step goes straight back to the request.
    session.send(UNDO)
    assert session.line()[0] == "list everything here"


def test_the_budget_ends_the_wait_with_the_offline_answer(shell, foundry, open_shell):
    foundry.stall = True
    foundry.config.write_text(foundry.config.read_text().replace("fallback = false", "fallback = true"))
    foundry.add_config("[shell]\nhotkey_timeout_seconds = 2\n")
    session = open_shell(shell)
    session.press("list all files")

    session.expect("hotkey budget")
    text, _ = session.line()
    assert text.startswith("ls")
    assert "answered by the offline engine" in session.screen_output()


def test_the_budget_keeps_the_line_when_nothing_can_answer(shell, foundry, open_shell):
    foundry.stall = True
    foundry.add_config("[shell]\nhotkey_timeout_seconds = 1.5\n")
    session = open_shell(shell)
    request = "frobnicate the quux daemon"
    session.press(request, back=2)

    session.expect("no answer within the 1.5 s hotkey budget")
    assert session.line() == (request, len(request) - 2)
    assert "hotkey_timeout_seconds" in session.screen_output()


def test_ctrl_c_keeps_the_line_and_discards_what_was_typed(shell, foundry, open_shell, tmp_path):
    marker = _slow_command(foundry, tmp_path)
    foundry.stall = True
    session = open_shell(shell)
    session.press("mark this folder")
    foundry.wait_for_request()
    session.send("\r")
    session.send(CTRL_C)

    session.expect("cmdai: interrupted")
    assert session.line() == ("mark this folder", len("mark this folder"))
    assert not marker.exists()


def test_a_removed_cmdai_keeps_the_line_and_says_what_to_do(shell, foundry, open_shell, tmp_path):
    # The shell was opened while cmdai was installed at this path; then it was uninstalled.
    program = tmp_path / "bin" / "cmdai"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    session = open_shell(shell, program=[str(program)])
    program.unlink()
    session.send("list everything here")
    session.press(LEFT)

    session.expect("cmdai is not installed any more; remove the line from your rc file")
    assert session.line() == ("list everything here", len("list everything here") - 1)
    screen = session.screen_output()
    assert "Traceback" not in screen and "Unknown command" not in screen and "not found" not in screen


def test_a_removed_python_module_says_the_same(shell, foundry, open_shell, tmp_path):
    # Installed as `python -m cmdai`: the interpreter stays, the package is gone.
    session = open_shell(shell, program=[os.environ.get("PYTHON", "python3"), "-m", "cmdai_removed_for_test"])
    session.press("list everything here")

    session.expect("cmdai is not installed any more; remove the line from your rc file")
    assert session.line()[0] == "list everything here"
