"""What the scripts hand to `cmdai --widget` and do with its answer, in real zsh, bash and fish:
the previous command in the environment, the explain key, and requests kept in the history.

A recording stand-in for cmdai shows exactly what a script passed (arguments, environment,
stdin); the history tests use the real cmdai against the loopback model.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ALT_I, UP

pytestmark = pytest.mark.parametrize("shell", ("zsh", "bash", "fish"))


RECORDER = """\
#!/usr/bin/env python3
import json, os, sys
stdin = sys.stdin.read()
with open({log!r}, "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "stdin": stdin,
                          "last_command": os.environ.get("CMDAI_LAST_COMMAND"),
                          "last_status": os.environ.get("CMDAI_LAST_STATUS")}}) + "\\n")
if "--explain" in sys.argv:
    print("cmdai: sort  sorts the lines", file=sys.stderr)
    print("cmdai: uniq -c  counts repeated lines", file=sys.stderr)
else:
    sys.stdout.write("echo recorded")
"""


def _recorder(tmp_path: Path):
    log = tmp_path / "calls.jsonl"
    program = tmp_path / "bin" / "cmdai"
    program.parent.mkdir(exist_ok=True)
    program.write_text(RECORDER.format(log=str(log)))
    program.chmod(0o755)

    def calls():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return [str(program)], calls


def test_the_previous_command_and_its_status_go_in_the_environment(shell, open_shell, tmp_path):
    program, calls = _recorder(tmp_path)
    session = open_shell(shell, program=program)
    session.send("sh -c 'exit 3'\r")
    session.expect("READY> ")
    session.press("do it again")

    assert session.line()[0] == "echo recorded"
    (call,) = calls()
    assert call["last_command"] == "sh -c 'exit 3'"
    assert call["last_status"] == "3"
    assert call["stdin"] == "do it again"
    # Never on the command line, where `ps` would show it.
    assert not any("exit 3" in word for word in call["argv"])
    assert call["argv"][:3] == ["--widget", "--shell", shell]
    assert "--session" in call["argv"]


def test_the_explain_key_shows_the_explanation_and_keeps_the_line(shell, open_shell, tmp_path):
    program, calls = _recorder(tmp_path)
    session = open_shell(shell, program=program)
    pipeline = "cut -d' ' -f1 access.log | sort | uniq -c | sort -rn | head"
    session.press(pipeline, ALT_I, back=6)

    session.expect("uniq -c  counts repeated lines")
    assert session.line() == (pipeline, len(pipeline) - 6)
    (call,) = calls()
    assert sorted(call["argv"]) == sorted(["--widget", "--explain", "--shell", shell])
    assert call["stdin"] == pipeline


def test_cmdai_explain_key_moves_the_explain_key(shell, open_shell, tmp_path):
    program, calls = _recorder(tmp_path)
    key_setting = {"zsh": "^Xe", "bash": r"\C-xe", "fish": r"\cxe"}[shell]
    session = open_shell(shell, program=program, extra_env={"CMDAI_EXPLAIN_KEY": key_setting})
    session.send("ls -la")
    session.send("\x18e")

    session.expect("counts repeated lines")
    assert session.line()[0] == "ls -la"
    assert ["--explain" in call["argv"] for call in calls()] == [True]


def _run_a_generated_command_then_go_back_twice(session) -> str:
    session.press("show all files")
    assert session.line()[0] == "ls -la"
    session.send("\r")
    session.expect("READY> ")
    session.line()
    session.send(UP)
    assert session.line()[0] == "ls -la"
    session.send(UP)
    return session.line()[0]


def test_requests_go_into_the_history_when_asked(shell, foundry, open_shell):
    foundry.add_config("[shell]\nrecord_requests = true\n")
    # fish 3 takes in history entries added from outside once a second has passed since the
    # shell started; a model answering after a second is realistic anyway.
    foundry.delay = 1.2
    session = open_shell(shell)
    assert _run_a_generated_command_then_go_back_twice(session) == "# show all files"


def test_requests_stay_out_of_the_history_by_default(shell, foundry, open_shell):
    session = open_shell(shell)
    assert _run_a_generated_command_then_go_back_twice(session) != "# show all files"
