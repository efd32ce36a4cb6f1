"""render_for_widget: what the widget inserts and which lines it shows, for each kind of outcome."""
from __future__ import annotations

import shutil

import pytest

from cmdai.safety import Action, Assessment, Risk
from cmdai.values import GenerationRequest, Outcome
from cmdai.shells import syntax_error
from cmdai.widget import WidgetOutput, disarm, render_for_widget

needs = {shell: pytest.mark.skipif(shutil.which(shell) is None, reason=f"{shell} is not installed")
         for shell in ("bash", "zsh", "fish")}


def outcome_of(command: str, risk: Risk = Risk.SAFE, action: Action = Action.ALLOW, reasons: tuple = (),
               shell: str = "bash") -> Outcome:
    """The orchestrator's answer for a command with the given verdict."""
    request = GenerationRequest(text="a request", shell=shell, os_name="linux")
    return Outcome(request, command, None, Assessment(command, risk, reasons), action, "azure-foundry")


def test_a_safe_command_is_inserted_as_it_is_without_messages():
    assert render_for_widget(outcome_of("ls -la"), "bash") == WidgetOutput("ls -la", [], 0)


def test_a_command_to_confirm_is_commented_out_line_by_line_with_a_warning():
    outcome = outcome_of("systemctl stop nginx\nsystemctl disable nginx", Risk.HIGH, Action.CONFIRM,
                      ("stops a system service",))
    rendered = render_for_widget(outcome, "bash")

    assert rendered.stdout == "# systemctl stop nginx\n# systemctl disable nginx"
    assert rendered.messages == [
        "cmdai: high risk — stops a system service; review, then remove '# ' to run"]
    assert rendered.exit_code == 0


def test_an_allowed_risky_command_names_its_risk():
    outcome = outcome_of("kill -9 4242", Risk.MODERATE, Action.ALLOW, ("kills a process without cleanup",))
    rendered = render_for_widget(outcome, "zsh")

    assert rendered.stdout == "kill -9 4242"
    assert rendered.messages == ["cmdai: moderate risk — kills a process without cleanup"]


def test_no_escape_or_control_character_reaches_the_line():
    rendered = render_for_widget(outcome_of("echo hi\x1b]0;title\x07\x1b[31m\r\nls\x00\x08\tx\x9b2J"), "bash")

    assert rendered == WidgetOutput("echo hi\nls\tx", [], 0)


def test_messages_are_single_clean_lines():
    outcome = outcome_of("rm build.log", Risk.MODERATE, Action.CONFIRM, ("deletes\na file\x1b[2J",))
    assert render_for_widget(outcome, "bash").messages == [
        "cmdai: moderate risk — deletes a file; review, then remove '# ' to run"]


def test_an_empty_command_is_no_command():
    rendered = render_for_widget(outcome_of(" \n\x1b[0m"), "bash")

    assert rendered == WidgetOutput("", ["cmdai: no command was generated — rephrase the request"], 1)


def test_disarm_comments_every_line_including_here_documents():
    assert disarm("cat <<EOF > notes\nhello\nEOF") == "# cat <<EOF > notes\n# hello\n# EOF"


@needs["bash"]
def test_bash_syntax_error_is_named_and_the_command_still_inserted():
    rendered = render_for_widget(outcome_of("for f in *; do echo $f"), "bash")

    # The shell's own name goes: "bash: line 2: …" reads as a note about bash itself.
    assert rendered == WidgetOutput("for f in *; do echo $f", [
        "cmdai: not valid bash syntax — line 2: syntax error: unexpected end of file"], 0)


def test_a_command_the_shell_parsed_already_is_not_checked_again(monkeypatch):
    import cmdai.shells

    monkeypatch.setattr(cmdai.shells, "syntax_error", lambda *args: pytest.fail("checked twice"))
    rendered = render_for_widget(outcome_of("ls -la"), "bash", syntax_checked=True)
    assert rendered == WidgetOutput("ls -la", [], 0)


UNBALANCED_QUOTE = {
    "bash": "line 1: unexpected EOF while looking for matching `''",
    "zsh": "unmatched '",
    "fish": "Unexpected end of string, quotes are not balanced",
}


@pytest.mark.parametrize("shell", [pytest.param(s, marks=needs[s]) for s in ("bash", "zsh", "fish")])
def test_each_shell_checks_its_own_syntax(shell):
    assert syntax_error("for f in *.txt\ndo\n  wc -l \"$f\"\ndone" if shell != "fish"
                        else "for f in *.txt\n  wc -l $f\nend", shell) is None
    assert syntax_error("echo 'unbalanced", shell) == UNBALANCED_QUOTE[shell]


@needs["fish"]
def test_fish_syntax_differs_from_bash():
    posix_loop = "for f in *; do echo $f; done"

    assert syntax_error(posix_loop, "fish") == "Missing end to balance this for loop"
    assert syntax_error(posix_loop, "bash") is None


@pytest.mark.parametrize("shell", [pytest.param(s, marks=needs[s]) for s in ("bash", "zsh", "fish")])
def test_the_check_never_runs_the_command(shell, tmp_path):
    marker = tmp_path / "ran"
    # The checker parsed it (a valid line) and ran nothing.
    assert syntax_error(f"touch {marker}", shell) is None
    assert not marker.exists()


@needs["bash"]
def test_an_unknown_or_missing_shell_skips_the_check(monkeypatch):
    assert syntax_error("for", "tcsh") is None
    # Which sh runs the command (dash, busybox, bash) is unknown: none of them checks it.
    assert syntax_error("for", "sh") is None
    assert syntax_error("for f in; do", "bash") == "line 2: syntax error: unexpected end of file"
    monkeypatch.setenv("PATH", "/nonexistent")
    assert syntax_error("for f in; do", "bash") is None
