"""Alternatives, cycling and refine with the offline engine, through the real cmdai process."""
from __future__ import annotations

import json


def widget(run_cmdai, line, session="31337"):
    return run_cmdai("--widget", "--shell", "bash", "--session", session, input=line)


def test_n_prints_the_offline_alternatives(run_cmdai):
    result = run_cmdai("-n", "3", "-s", "bash", "list all python files")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "find . -name '*.py'" and 2 <= len(lines) <= 3
    assert len(set(lines)) == len(lines)
    data = json.loads(run_cmdai("--json", "-s", "bash", "list all python files").stdout)
    assert [alternative["command"] for alternative in data["alternatives"]] == lines[1:]
    assert all(set(alternative) >= {"command", "risk", "blocked"} for alternative in data["alternatives"])


def test_offline_cycling_comes_back_to_the_first(run_cmdai):
    first = widget(run_cmdai, "list all python files")
    assert first.stdout == "find . -name '*.py'"
    total = int(first.stderr.split("alternative 1/")[1].split()[0])
    seen = [first.stdout]
    for _ in range(total):
        step = widget(run_cmdai, seen[-1])
        assert step.returncode == 0, step.stderr
        seen.append(step.stdout)
    assert seen[-1] == seen[0] and len(set(seen[:-1])) == total
    assert step.stderr.startswith(f"cmdai: alternative 1/{total} — safe")


def test_offline_refine_of_a_generated_command_adds_the_instruction_to_its_request(run_cmdai):
    assert widget(run_cmdai, "list all python files").stdout == "find . -name '*.py'"
    refined = widget(run_cmdai, "find . -name '*.py'  # changed today")
    assert refined.returncode == 0, refined.stderr
    assert refined.stdout.startswith("find . -name '*.py' -mtime")


def test_offline_refine_it_cannot_do_keeps_the_line_in_one_line(run_cmdai):
    assert widget(run_cmdai, "list all python files").stdout == "find . -name '*.py'"
    for line in ("find . -name '*.py'  # in the style of a sonnet", "grep -rn TODO .  # only in tests"):
        result = widget(run_cmdai, line)
        assert result.returncode == 1 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and "cannot change a command" in result.stderr


def test_offline_refine_of_an_alternative_whose_program_is_not_installed(run_cmdai):
    widget(run_cmdai, "list all python files")
    alternative = widget(run_cmdai, "find . -name '*.py'").stdout
    assert alternative and alternative != "find . -name '*.py'"
    refined = widget(run_cmdai, f"{alternative}  # changed today")
    assert refined.returncode == 0, refined.stderr
    assert "-mtime" in refined.stdout
