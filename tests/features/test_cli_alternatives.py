"""Alternatives, cycling, refine and syntax repair through the real cmdai process and a loopback model."""
from __future__ import annotations

import json
import shutil

import pytest

THREE = {"cmd": "du -sh -- *", "explanation": "size of each entry",
         "alternatives": [{"cmd": "du -h --max-depth=1", "explanation": "one level deep"},
                          {"cmd": "rm -rf /", "explanation": "a dangerous idea"},
                          {"cmd": "du -sh -- *"},
                          {"cmd": "crontab -r", "explanation": "not even related"}]}


def test_json_lists_each_alternative_with_its_own_verdict(cmdai_model, model):
    model.replies = [THREE]
    result = cmdai_model("--json", "--no-cache", "-s", "bash", "size of each folder")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == "du -sh -- *"
    first, second = data["alternatives"]
    assert first == {"command": "du -h --max-depth=1", "explanation": "one level deep", "risk": "safe",
                     "reasons": [], "action": "allow", "blocked": False}
    assert second["command"] is None and second["blocked"] is True and second["risk"] == "critical"
    assert second["reasons"]
    assert len(model.requests) == 1


def test_n_prints_the_commands_that_may_be_offered(cmdai_model, model):
    model.replies = [{"cmd": "ls -la", "alternatives": ["ls -lA", "crontab -r", "rm -rf /"]}]
    result = cmdai_model("-n", "3", "--no-cache", "-s", "bash", "show all files")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["ls -la", "ls -lA", "crontab -r"]
    assert "3: high risk" in result.stderr
    assert "rm -rf" not in result.stdout


def test_n_counts_only_commands_that_may_be_offered(cmdai_model, model):
    model.replies = [{"cmd": "ls -la", "alternatives": ["rm -rf /", "ls -lA"]}]
    result = cmdai_model("-n", "2", "-s", "bash", "show all files")
    assert result.stdout.splitlines() == ["ls -la", "ls -lA"]
    data = json.loads(cmdai_model("-n", "2", "--json", "-s", "bash", "show all files").stdout)
    assert [a["blocked"] for a in data["alternatives"]] == [True]


def test_n_1_prints_one_command_and_without_alternatives_n_prints_what_there_is(cmdai_model, model):
    model.replies = [{"cmd": "ls -la", "alternatives": ["ls -lA"]}]
    assert cmdai_model("-n", "1", "-s", "bash", "show all files").stdout == "ls -la\n"
    model.replies = [{"cmd": "pwd"}]
    assert cmdai_model("-n", "3", "-s", "bash", "where am i").stdout == "pwd\n"


@pytest.mark.parametrize("value", ["0", "4", "-1"])
def test_n_out_of_range_is_a_usage_error(run_cmdai, value):
    result = run_cmdai("-n", value, "list files")
    assert result.returncode == 2 and "-n takes a number from 1 to 3" in result.stderr


def widget(cmdai_model, line, session="5150", shell="bash"):
    return cmdai_model("--widget", "--shell", shell, "--session", session, input=line)


def test_the_key_again_on_the_unchanged_line_cycles_without_asking_again(cmdai_model, model):
    model.replies = [{"cmd": "du -sh -- *", "alternatives": ["du -h --max-depth=1", "crontab -r", "rm -rf /"]}]
    first = widget(cmdai_model, "size of each folder")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "du -sh -- *"
    assert "cmdai: alternative 1/3 — press the key again for the next" in first.stderr

    second = widget(cmdai_model, first.stdout + "\n")
    assert second.returncode == 0, second.stderr
    assert second.stdout == "du -h --max-depth=1"
    assert second.stderr.splitlines()[0] == "cmdai: alternative 2/3 — safe"

    third = widget(cmdai_model, second.stdout)
    assert third.stdout == "# crontab -r"  # to be confirmed: disarmed
    assert third.stderr.splitlines()[0] == "cmdai: alternative 3/3 — high risk"
    assert "remove '# ' to run" in third.stderr

    fourth = widget(cmdai_model, third.stdout)  # a disarmed line is recognised as unchanged
    assert fourth.stdout == "du -sh -- *"
    assert fourth.stderr.splitlines()[0] == "cmdai: alternative 1/3 — safe"
    assert len(model.requests) == 1


def test_a_changed_line_is_a_new_request_and_shells_do_not_share_memory(cmdai_model, model):
    model.replies = [{"cmd": "ls -la", "alternatives": ["ls -lA"]}]
    assert widget(cmdai_model, "show all files", session="1").stdout == "ls -la"
    model.replies = [{"cmd": "ls -la", "alternatives": ["ls -lA"]}, {"cmd": "ls -lt"}]
    other = widget(cmdai_model, "ls -la", session="2")  # the other shell never inserted it
    assert other.returncode == 0 and len(model.requests) == 2
    edited = widget(cmdai_model, "ls -la | less", session="1")
    assert len(model.requests) == 3 and edited.stdout == "ls -lt"


def test_a_single_answer_has_nothing_to_cycle_and_keeps_the_line(cmdai_model, model):
    model.replies = [{"cmd": "pwd"}]
    first = widget(cmdai_model, "where am i")
    assert first.stdout == "pwd" and "alternative" not in first.stderr
    again = widget(cmdai_model, "pwd")
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.count("\n") == 1 and "no other command" in again.stderr
    assert len(model.requests) == 1


def test_refine_sends_the_command_and_the_instruction(cmdai_model, model):
    model.replies = [{"cmd": "find . -name '*.py' -mtime -1"}]
    result = widget(cmdai_model, "find . -name '*.py'  # only files changed today\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "find . -name '*.py' -mtime -1"
    message = model.user_message()
    assert "Command: find . -name '*.py'" in message and "Instruction: only files changed today" in message


def test_refine_of_the_generated_command_works_after_cycling_started(cmdai_model, model):
    model.replies = [{"cmd": "grep -n foo *.txt", "alternatives": ["grep -c foo *.txt"]}]
    first = widget(cmdai_model, "find foo in text files")
    model.replies.append({"cmd": "grep -rn foo --include='*.txt' ."})
    refined = widget(cmdai_model, first.stdout + "  # make it recursive")
    assert refined.stdout == "grep -rn foo --include='*.txt' ."
    assert "Command: grep -n foo *.txt" in model.user_message() and "make it recursive" in model.user_message()


def test_a_disarmed_command_with_an_instruction_is_refined(cmdai_model, model):
    model.replies = [{"cmd": "crontab -l > cron.bak && crontab -r"}]
    result = widget(cmdai_model, "# crontab -r  # keep a backup first")
    assert "Command: crontab -r\n" in model.user_message() + "\n"
    assert "Instruction: keep a backup first" in model.user_message()
    assert result.stdout == "# crontab -l > cron.bak && crontab -r"  # still disarmed: still high risk


def test_a_comment_only_line_is_a_plain_request(cmdai_model, model):
    model.replies = [{"cmd": "ls"}]
    assert widget(cmdai_model, "# list files").stdout == "ls"
    assert model.user_message() == "list files"


def test_offline_refinement_keeps_the_line_and_says_so(run_cmdai):
    result = run_cmdai("--widget", "--shell", "bash", "--session", "3", input="ls -la  # sort by size\n")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot change a command" in result.stderr and "sort by size" in result.stderr


FISH_LOOP = "for f in *.log; gzip $f; end"


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_bash_syntax_for_fish_is_repaired_once(cmdai_model, model):
    model.replies = [{"cmd": "for f in *.log; do gzip \"$f\"; done", "alternatives": ["gzip ${LOGS}", "gzip *.log"]},
                     {"cmd": FISH_LOOP}]
    result = cmdai_model("--json", "--no-cache", "-s", "fish", "compress every log file")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == FISH_LOOP
    assert [a["command"] for a in data["alternatives"]] == ["gzip *.log"]  # ${…} is no fish either
    assert len(model.requests) == 2
    repair = model.user_message()
    assert "not valid fish syntax" in repair and "for f in *.log; do" in repair
    assert "fish reports:" in repair
    assert "for f in *.log; gzip $f; end" in model.requests[0]["messages"][0]["content"]
    assert any("repair" in warning for warning in data["warnings"])
    assert data["usage"]["total_tokens"] == 220


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_a_repair_that_still_fails_offers_nothing(cmdai_model, model):
    model.replies = [{"cmd": "for f in *.log; do gzip \"$f\"; done"}]
    result = cmdai_model("--widget", "--shell", "fish", input="compress every log file")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "not valid fish syntax, even after a repair" in result.stderr
    assert len(model.requests) == 2


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_a_repaired_answer_is_cached_and_the_broken_one_is_not(cmdai_model, model):
    model.replies = [{"cmd": "make; echo $?"}, {"cmd": "make; echo $status"}]
    assert cmdai_model("-s", "fish", "build and show the status").stdout == "make; echo $status\n"
    assert cmdai_model("-s", "fish", "build and show the status").stdout == "make; echo $status\n"
    assert len(model.requests) == 2


def test_valid_answers_need_no_repair(cmdai_model, model):
    model.replies = [{"cmd": "for f in *.log; do gzip \"$f\"; done"}]
    result = cmdai_model("--no-cache", "-s", "bash", "compress every log file")
    assert result.returncode == 0 and len(model.requests) == 1
