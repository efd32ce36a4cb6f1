"""render_for_widget: what the widget inserts and which lines it shows, for each kind of outcome."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from typing import List, Optional

import pytest

from cmdai.safety import Action, Assessment, Risk
from cmdai.widget import WidgetOutput, disarm, render_for_widget, syntax_error

needs = {shell: pytest.mark.skipif(shutil.which(shell) is None, reason=f"{shell} is not installed")
         for shell in ("bash", "zsh", "fish")}


@dataclass
class Outcome:
    command: str
    risk: Risk = Risk.SAFE
    action: Action = Action.ALLOW
    reasons: tuple = ()
    explanation: Optional[str] = None
    warnings: List[str] = field(default_factory=list)
    fallback_used: bool = False
    backend: str = "azure-foundry"

    @property
    def assessment(self) -> Assessment:
        return Assessment(self.command, self.risk, self.reasons)


def test_a_safe_command_is_inserted_as_it_is_without_messages():
    assert render_for_widget(Outcome("ls -la"), "bash") == WidgetOutput("ls -la", [], 0)


def test_a_command_to_confirm_is_commented_out_line_by_line_with_a_warning():
    outcome = Outcome("systemctl stop nginx\nsystemctl disable nginx", Risk.HIGH, Action.CONFIRM,
                      ("stops a system service",))
    rendered = render_for_widget(outcome, "bash")

    assert rendered.stdout == "# systemctl stop nginx\n# systemctl disable nginx"
    assert rendered.messages == [
        "cmdai: high risk — stops a system service; review, then remove '# ' to run"]
    assert rendered.exit_code == 0


def test_an_allowed_risky_command_names_its_risk():
    outcome = Outcome("kill -9 4242", Risk.MODERATE, Action.ALLOW, ("kills a process without cleanup",))
    rendered = render_for_widget(outcome, "zsh")

    assert rendered.stdout == "kill -9 4242"
    assert rendered.messages == ["cmdai: moderate risk — kills a process without cleanup"]


def test_no_escape_or_control_character_reaches_the_line():
    rendered = render_for_widget(Outcome("echo hi\x1b]0;title\x07\x1b[31m\r\nls\x00\x08\tx\x9b2J"), "bash")

    assert rendered.stdout == "echo hi\nls\tx"
    assert not any(ord(c) < 32 and c not in "\n\t" for c in rendered.stdout)


def test_messages_are_single_clean_lines():
    outcome = Outcome("rm build.log", Risk.MODERATE, Action.CONFIRM, ("deletes\na file\x1b[2J",))
    [message] = render_for_widget(outcome, "bash").messages

    assert "\n" not in message and "\x1b" not in message
    assert "deletes a file" in message


def test_an_empty_command_is_no_command():
    rendered = render_for_widget(Outcome(" \n\x1b[0m"), "bash")

    assert rendered.stdout == ""
    assert rendered.exit_code == 1
    assert rendered.messages and rendered.messages[0].startswith("cmdai: ")


def test_disarm_comments_every_line_including_here_documents():
    assert disarm("cat <<EOF > notes\nhello\nEOF") == "# cat <<EOF > notes\n# hello\n# EOF"


@needs["bash"]
def test_bash_syntax_error_is_named_and_the_command_still_inserted():
    rendered = render_for_widget(Outcome("for f in *; do echo $f"), "bash")

    assert rendered.stdout == "for f in *; do echo $f"
    [message] = rendered.messages
    assert message.startswith("cmdai: not valid bash syntax — ")
    assert "bash: " not in message


@pytest.mark.parametrize("shell", [pytest.param(s, marks=needs[s]) for s in ("bash", "zsh", "fish")])
def test_each_shell_checks_its_own_syntax(shell):
    assert syntax_error("for f in *.txt\ndo\n  wc -l \"$f\"\ndone" if shell != "fish"
                        else "for f in *.txt\n  wc -l $f\nend", shell) is None
    assert syntax_error("echo 'unbalanced", shell)


@needs["fish"]
def test_fish_syntax_differs_from_bash():
    posix_loop = "for f in *; do echo $f; done"

    assert syntax_error(posix_loop, "fish")
    assert syntax_error(posix_loop, "bash") is None


def test_the_check_never_runs_the_command(tmp_path):
    marker = tmp_path / "ran"
    for shell in ("bash", "zsh", "fish"):
        syntax_error(f"touch {marker}", shell)
    assert not marker.exists()


def test_an_unknown_or_missing_shell_skips_the_check(monkeypatch):
    assert syntax_error("for", "tcsh") is None
    monkeypatch.setenv("PATH", "/nonexistent")
    assert syntax_error("for f in; do", "bash") is None
