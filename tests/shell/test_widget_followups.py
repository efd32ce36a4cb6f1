"""Pressing the key again: the next alternative (and back with undo), refining a command with a
`# comment`, and the explain key — with the offline engine and with a loopback model, in real
zsh, bash and fish."""
from __future__ import annotations

import pytest

from .conftest import CTRL_G, UNDO, ALT_I, interrupt_keeps_the_line

pytestmark = pytest.mark.parametrize("shell", ("zsh", "bash", "fish"))

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
    session.press("list all python files")
    assert session.line()[0] == "find . -name '*.py'"

    foundry.command = "find . -name '*.py' -mtime 0"
    session.press("  # only files changed today")

    assert session.line()[0] == "find . -name '*.py' -mtime 0"
    asked = foundry.user_text()
    assert "find . -name '*.py'" in asked and "only files changed today" in asked
    assert len(foundry.chat_requests()) == 2


def test_model_refines_a_hand_typed_command(shell, foundry, open_shell):
    foundry.command = "ls -laS"
    session = open_shell(shell)
    session.press("ls -la  # sorted by size")

    assert session.line()[0] == "ls -laS"
    asked = foundry.user_text()
    assert "ls -la" in asked and "sorted by size" in asked


def test_offline_refinement_keeps_the_line_and_says_so(shell, open_shell):
    session = open_shell(shell)
    line = "ls -la  # sorted by size"
    session.press(line, back=3)

    session.expect("cannot change a command as asked")
    assert session.line() == (line, len(line) - 3)


def test_ctrl_c_during_a_refinement_keeps_the_line(shell, foundry, open_shell):
    interrupt_keeps_the_line(open_shell(shell), foundry, "ls -la  # sorted by size")


def test_ctrl_c_while_alternatives_are_on_the_way_keeps_the_line(shell, foundry, open_shell):
    foundry.alternatives = ["ls -lah"]
    session = open_shell(shell)
    interrupt_keeps_the_line(session, foundry, "show all files")
    # Nothing was remembered: the next press asks again instead of cycling.
    foundry.stall = False
    foundry.released.set()
    session.send(CTRL_G)
    assert session.line()[0] == "ls -la"
    assert len(foundry.chat_requests()) == 2


def _explain_keeps_the_line(session, shown: str) -> None:
    session.press(PIPELINE, ALT_I, back=4)
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
    interrupt_keeps_the_line(open_shell(shell), foundry, PIPELINE, key=ALT_I, back=3)
