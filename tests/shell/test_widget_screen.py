"""What stays on the screen around the line: zsh's message below it, fish's above a wrapped one."""
from __future__ import annotations

from typing import List

from .conftest import CTRL_G, CTRL_C

ALT_ENTER = "\x1b\r"  # fish: a new line inside the command line


def _rows_with(rows: List[str], text: str) -> List[int]:
    return [index for index, row in enumerate(rows) if text in row]


def _zsh_after_an_error(foundry, open_shell):
    foundry.status = 500
    session = open_shell("zsh", in_tmux=True)
    session.press("list big files")
    session.wait_for_screen(lambda rows: _rows_with(rows, "overloaded"), "the error")
    return session


def test_zsh_clears_an_old_message_when_the_line_changes(foundry, open_shell):
    session = _zsh_after_an_error(foundry, open_shell)
    session.send("!")
    # Screens are read while the terminal draws: wait for the final one rather than take the first.
    session.wait_for_screen(lambda rows: "READY> list big files!" in rows and not _rows_with(rows, "overloaded"),
                            "the typed key, and the error gone")


def test_zsh_clears_an_old_message_when_the_next_request_starts(foundry, open_shell):
    session = _zsh_after_an_error(foundry, open_shell)
    foundry.status = 200
    foundry.delay = 3
    session.send(CTRL_G)
    session.wait_for_screen(lambda rows: _rows_with(rows, "⏳ cmdai") and not _rows_with(rows, "overloaded"),
                            "the indicator, and the error gone")
    session.wait_for_screen(lambda rows: "READY> ls -la" in rows, "the command")


def test_zsh_draws_the_line_once_when_the_message_fills_its_row(foundry, open_shell, run_cmdai):
    # zle counts a message as tall as whole rows one row too tall; a copy of the line was left above.
    foundry.command = "git reset --hard"
    message = run_cmdai("--widget", "--shell", "zsh", input="discard local changes").stderr.strip()
    assert message.startswith("cmdai: high risk") and "\n" not in message
    session = open_shell("zsh", in_tmux=True, size=(24, len(message)))
    session.press("discard local changes")
    rows = session.wait_for_screen(lambda rows: "READY> # git reset --hard" in rows and message in rows,
                                   "the disarmed command and the message below it")
    assert _rows_with(rows, "# git reset --hard") == [rows.index("READY> # git reset --hard")], rows
    assert rows.index(message) == rows.index("READY> # git reset --hard") + 1


def _fish_request_keeps_its_message(session, request: str, finish, message: str) -> None:
    session.press(request)
    finish()
    rows = session.wait_for_screen(lambda rows: _rows_with(rows, message), "the message")
    # Once, and above a whole prompt with the whole request: nothing overwritten, no stray row.
    rows = session.wait_for_screen(
        lambda rows: _rows_with(rows, "READY> ") and _rows_with(rows, message)[0] < _rows_with(rows, "READY> ")[-1],
        "the prompt below the message")
    assert len(_rows_with(rows, message)) == 1
    assert len(_rows_with(rows, "READY> ")) == 1, rows
    below = "".join(rows[_rows_with(rows, "READY> ")[0]:]).replace("READY> ", "", 1)
    assert below.replace(" ", "") == request.replace(ALT_ENTER, "").replace(" ", "")
    assert not _rows_with(rows, "⏳")


def test_fish_keeps_the_message_of_a_wrapped_request_after_an_error(foundry, open_shell):
    foundry.status = 500
    session = open_shell("fish", in_tmux=True, size=(24, 60))
    request = "find every log file under this directory that is larger than ten megabytes and older"
    _fish_request_keeps_its_message(session, request, lambda: None, "HTTP 500")
    assert session.line()[0] == request


def test_fish_keeps_the_message_of_a_multi_line_request_after_ctrl_c(foundry, open_shell):
    foundry.stall = True
    session = open_shell("fish", in_tmux=True, size=(24, 60))
    request = "find the log files" + ALT_ENTER + "that are larger than ten megabytes"

    def interrupt() -> None:
        foundry.wait_for_request()
        session.send(CTRL_C)

    _fish_request_keeps_its_message(session, request, interrupt, "cmdai: interrupted")
    assert session.line()[0] == "find the log files\nthat are larger than ten megabytes"
