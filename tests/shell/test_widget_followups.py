"""Pressing the key again: the next alternative (and back with undo), refining a command with a
`# comment`, and the explain key — with the offline engine and with a loopback model, in real
zsh, bash and fish."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.parametrize("shell", ("zsh", "bash", "fish"))

CTRL_G = "\x07"
CTRL_C = "\x03"
UNDO = "\x1f"  # Ctrl-_ : undo in zsh's emacs keymap, in readline and in fish
LEFT = "\x1b[D"
ALT_I = "\x1bi"
PIPELINE = "cut -d' ' -f1 access.log | sort | uniq -c | sort -rn | head -n 5"


def _cycle_and_undo(session, request: str, commands) -> None:
    """Ctrl-G through every command and round to the first again, then undo back to the request."""
    session.send(request)
    states = [request]
    for _ in range(len(commands) + 1):
        session.send(CTRL_G)
        text, cursor = session.line()
        assert cursor == len(text)
        states.append(text)
    assert states == [request, *commands, commands[0]]
    undone = []
    for _ in states[:-1]:
        session.send(UNDO)
        undone.append(session.line()[0])
    assert undone == states[-2::-1]


def test_offline_alternatives_cycle_and_undo_goes_back(shell, open_shell):
    session = open_shell(shell)
    _cycle_and_undo(session, "list all python files", ["find . -name '*.py'", "fd -g '*.py' ."])
    session.expect("alternative 2/2")


def test_model_alternatives_cycle_and_undo_goes_back(shell, foundry, open_shell):
    foundry.alternatives = ["ls -lah", "ls -la --sort=size"]
    session = open_shell(shell)
    _cycle_and_undo(session, "show all files", ["ls -la", "ls -lah", "ls -la --sort=size"])
    session.expect("alternative 3/3")
    # One request; the alternatives came with it.
    assert len(foundry.chat_requests()) == 1


def test_model_refines_a_generated_command(shell, foundry, open_shell):
    foundry.command = "find . -name '*.py'"
    session = open_shell(shell)
    session.send("list all python files")
    session.send(CTRL_G)
    assert session.line()[0] == "find . -name '*.py'"

    foundry.command = "find . -name '*.py' -mtime 0"
    session.send("  # only files changed today")
    session.send(CTRL_G)

    assert session.line()[0] == "find . -name '*.py' -mtime 0"
    asked = foundry.user_text()
    assert "find . -name '*.py'" in asked and "only files changed today" in asked
    assert len(foundry.chat_requests()) == 2


def test_model_refines_a_hand_typed_command(shell, foundry, open_shell):
    foundry.command = "ls -laS"
    session = open_shell(shell)
    session.send("ls -la  # sorted by size")
    session.send(CTRL_G)

    assert session.line()[0] == "ls -laS"
    asked = foundry.user_text()
    assert "ls -la" in asked and "sorted by size" in asked


def test_offline_refinement_keeps_the_line_and_says_so(shell, open_shell):
    session = open_shell(shell)
    line = "ls -la  # sorted by size"
    session.send(line)
    session.send(LEFT * 3)
    session.send(CTRL_G)

    session.expect("cannot change a command as asked")
    assert session.line() == (line, len(line) - 3)


def test_ctrl_c_during_a_refinement_keeps_the_line(shell, foundry, open_shell):
    foundry.stall = True
    session = open_shell(shell)
    line = "ls -la  # sorted by size"
    session.send(line)
    session.send(CTRL_G)
    foundry.wait_for_request()
    session.send(CTRL_C)

    session.expect("cmdai: interrupted")
    assert session.line() == (line, len(line))


def test_ctrl_c_while_alternatives_are_on_the_way_keeps_the_line(shell, foundry, open_shell):
    foundry.stall = True
    foundry.alternatives = ["ls -lah"]
    session = open_shell(shell)
    session.send("show all files")
    session.send(CTRL_G)
    foundry.wait_for_request()
    session.send(CTRL_C)

    session.expect("cmdai: interrupted")
    assert session.line()[0] == "show all files"
    # Nothing was remembered: the next press asks again instead of cycling.
    foundry.stall = False
    foundry.released.set()
    session.send(CTRL_G)
    assert session.line()[0] == "ls -la"
    assert len(foundry.chat_requests()) == 2


def _explain_keeps_the_line(session, shown: str) -> None:
    session.send(PIPELINE)
    session.send(LEFT * 4)
    session.send(ALT_I)
    session.expect(shown)
    session.expect("risk: safe")
    assert session.line() == (PIPELINE, len(PIPELINE) - 4)


def test_offline_explain_of_a_long_pipeline_keeps_the_line(shell, open_shell):
    session = open_shell(shell)
    _explain_keeps_the_line(session, "prefixes each line with how often it occurs")


def test_model_explain_of_a_long_pipeline_keeps_the_line(shell, foundry, open_shell):
    foundry.parts = {"uniq": "collapses repeated addresses into one line each"}
    session = open_shell(shell)
    _explain_keeps_the_line(session, "collapses repeated addresses into one line each")
    assert len(foundry.chat_requests()) == 1
    assert PIPELINE in foundry.user_text()


def test_ctrl_c_during_an_explanation_keeps_the_line(shell, foundry, open_shell):
    foundry.stall = True
    session = open_shell(shell)
    session.send(PIPELINE)
    session.send(ALT_I)
    foundry.wait_for_request()
    session.send(CTRL_C)

    session.expect("cmdai: interrupted")
    assert session.line() == (PIPELINE, len(PIPELINE))
