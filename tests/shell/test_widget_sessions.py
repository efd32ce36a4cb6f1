"""The Ctrl-G widget in real zsh, bash and fish, with the real cmdai and a loopback Foundry."""
from __future__ import annotations

import pytest

from .conftest import CTRL_G, CTRL_E, CTRL_U, CTRL_X, UNDO, interrupt_keeps_the_line

pytestmark = pytest.mark.parametrize("shell", ("zsh", "bash", "fish"))


def test_the_request_becomes_the_command(shell, foundry, open_shell):
    foundry.command = "find . -name '*.log' -size +10M"
    session = open_shell(shell)
    session.press("find log files over ten megabytes")

    assert session.line() == (foundry.command, len(foundry.command))
    assert "find log files over ten megabytes" in foundry.user_text()
    assert len(foundry.chat_requests()) == 1


def test_the_cursor_ends_after_a_command_with_non_ascii_text(shell, foundry, open_shell):
    # bash counts the cursor in bytes, zsh and fish in characters.
    foundry.command = "grep -rl 'café' ."
    session = open_shell(shell)
    session.press("which files mention the café")
    session.line()  # the widget has finished: keys typed before that are discarded
    session.send(" | wc -l")

    assert session.line()[0] == "grep -rl 'café' . | wc -l"


def test_a_multi_line_command_is_inserted_whole(shell, foundry, open_shell):
    foundry.command = 'for f in *.log\n  gzip $f\nend' if shell == "fish" else 'for f in *.log; do\n  gzip "$f"\ndone'
    session = open_shell(shell)
    session.press("compress every log file")

    assert session.line() == (foundry.command, len(foundry.command))


def test_undo_brings_back_the_request(shell, foundry, open_shell):
    session = open_shell(shell)
    session.press("show all files")
    assert session.line()[0] == "ls -la"

    session.send(UNDO)
    assert session.line()[0] == "show all files"


def test_a_risky_command_arrives_disarmed_with_a_warning(shell, foundry, open_shell):
    foundry.command = "crontab -l > cron.bak\ncrontab -r"
    session = open_shell(shell)
    session.press("back up and clear my cron jobs")

    session.expect("remove '# ' to run")
    text, _ = session.line()
    assert text == "# crontab -l > cron.bak\n# crontab -r"


def test_a_blocked_command_leaves_the_line_alone(shell, foundry, open_shell):
    foundry.command = "rm -rf /"
    session = open_shell(shell)
    session.press("free up disk space", back=5)

    session.expect("blocked")
    assert session.line() == ("free up disk space", len("free up disk space") - 5)


def test_a_server_error_keeps_the_line_and_shows_one_message(shell, foundry, open_shell):
    foundry.status = 500
    session = open_shell(shell)
    session.press("list big files", back=3)

    session.expect("cmdai: ")
    assert session.line() == ("list big files", len("list big files") - 3)


def test_ctrl_c_while_waiting_keeps_the_line(shell, foundry, open_shell):
    interrupt_keeps_the_line(open_shell(shell), foundry, "archive the home directory", back=4)


def test_a_blank_line_sends_nothing(shell, foundry, open_shell):
    session = open_shell(shell)
    session.press("   ")

    assert session.line() == ("   ", 3)
    assert foundry.requests == []


def test_vi_insert_mode(shell, foundry, open_shell):
    session = open_shell(shell, vi=True)
    session.press("list everything here")

    assert session.line() == ("ls -la", len("ls -la"))


def test_cmdai_key_moves_the_binding(shell, foundry, open_shell):
    key_setting = {"zsh": "^X^G", "bash": r"\C-x\C-g", "fish": r"\cx\cg"}[shell]
    session = open_shell(shell, key_setting=key_setting)
    session.send("list everything here")
    session.send(CTRL_G)  # whatever the shell does with it by default, cmdai is not asked
    session.line()
    assert foundry.requests == []

    session.send(CTRL_E + CTRL_U + "list everything here")
    session.send(CTRL_X + CTRL_G)
    assert session.line() == ("ls -la", len("ls -la"))


def test_escape_sequences_from_the_model_never_reach_the_terminal(shell, foundry, open_shell):
    foundry.command = "echo done\x1b]0;owned\x07\x1b[2J"
    session = open_shell(shell)
    session.press("say done")

    assert session.line() == ("echo done", len("echo done"))
    assert "]0;owned" not in session.screen_output()


def test_a_command_the_shell_cannot_parse_even_after_a_repair_is_not_inserted(shell, foundry, open_shell):
    foundry.command = "for f in *.txt; do wc -l $f"
    session = open_shell(shell)
    session.press("count lines in text files")

    session.expect(f"not valid {shell} syntax, even after a repair")
    assert session.line()[0] == "count lines in text files"
    assert len(foundry.chat_requests()) == 2
