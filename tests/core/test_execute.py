"""``-x``: the command runs only after confirmation read from the terminal."""
from __future__ import annotations

import io
import sys

import pytest

from cmdai.values import GenerationRequest
from cmdai.errors import UsageError
from cmdai.execute import confirm_and_run
from cmdai.values import Outcome
from cmdai.safety import Action, Assessment, Risk


class FakeTerminal(io.StringIO):
    def __init__(self, answer: str):
        super().__init__()
        self.answer = io.StringIO(answer)

    def readline(self, *args):  # type: ignore[override]
        return self.answer.readline()


def outcome(command: str, risk: Risk, explanation: str = "does a thing") -> Outcome:
    return Outcome(request=GenerationRequest("x", shell="sh"), command=command, explanation=explanation,
                   assessment=Assessment(command, risk, ("a reason",)), action=Action.ALLOW, backend="embedded")


def run(command: str, risk: Risk, answer: str, capfd):
    terminal = FakeTerminal(answer)
    shown = []
    original_close = terminal.close

    def close():
        shown.append(terminal.getvalue())
        original_close()

    terminal.close = close  # type: ignore[assignment]
    code = confirm_and_run(outcome(command, risk), terminal_opener=lambda: terminal)
    return code, shown[0], capfd.readouterr()


def test_yes_runs_the_command_in_the_target_shell(capfd):
    code, shown, captured = run("echo ran-it; exit 7", Risk.SAFE, "y\n", capfd)
    assert code == 7
    assert "ran-it" in captured.out
    assert "echo ran-it; exit 7" in shown and "risk: safe" in shown and "does a thing" in shown


@pytest.mark.parametrize("answer, exit_code", [("\n", 0), ("n\n", 0), ("nope\n", 0), ("yess\n", 0),
                                                # end of input on the terminal (Ctrl-D) is an interruption
                                                ("", 130)])
def test_anything_but_yes_does_not_run(capfd, answer, exit_code):
    code, _, captured = run("echo ran-it", Risk.MODERATE, answer, capfd)
    assert captured.out == ""
    assert captured.err == "cmdai: not run\n"
    assert code == exit_code


def test_critical_needs_the_word_yes(capfd):
    code, shown, captured = run("echo ran-it", Risk.CRITICAL, "y\n", capfd)
    assert code == 0 and captured.out == "" and "Type 'yes'" in shown
    code, _, captured = run("echo ran-it", Risk.CRITICAL, "yes\n", capfd)
    assert code == 0 and "ran-it" in captured.out


def test_no_terminal_is_a_usage_error():
    with pytest.raises(UsageError) as raised:
        confirm_and_run(outcome("ls", Risk.SAFE), terminal_opener=lambda: None)
    assert raised.value.message == "-x/--execute needs a terminal to ask for confirmation"
    assert raised.value.exit_code == 2


def test_execute_asks_on_the_real_terminal(tmp_path):
    """Through a pseudo-terminal, as a person runs it: the prompt, the answer, the command's output."""
    import pexpect

    (tmp_path / "first.py").write_text("")
    (tmp_path / "second.txt").write_text("")
    child = pexpect.spawn(sys.executable, ["-m", "cmdai", "-x", "-s", "bash", "list all python files"],
                          cwd=str(tmp_path), encoding="utf-8", timeout=30, dimensions=(24, 100))
    child.expect(r"Run it\? \[y/N\] ")
    assert "find . -name '*.py'" in child.before and "risk: safe" in child.before
    child.sendline("y")
    child.expect(pexpect.EOF)
    assert "./first.py" in child.before and "second.txt" not in child.before
    child.close()
    assert child.exitstatus == 0


def test_execute_declined_on_the_real_terminal(tmp_path):
    import pexpect

    (tmp_path / "keep.pyc").write_text("")
    child = pexpect.spawn(sys.executable, ["-m", "cmdai", "-x", "-s", "bash", "delete all .pyc files"],
                          cwd=str(tmp_path), encoding="utf-8", timeout=30, dimensions=(24, 100))
    child.expect(r"Run it\? \[y/N\] ")
    assert "risk: moderate" in child.before
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert "not run" in child.before
    assert (tmp_path / "keep.pyc").exists()
