"""The model's reply format with alternatives: every old shape still parses, bad alternatives are left out."""
from __future__ import annotations

import json

import pytest

from cmdai.values import GenerationRequest
from cmdai.errors import ModelOutputError
from cmdai.remote.parsing import ParsedOutput, parse_model_output
from cmdai.values import MAX_ALTERNATIVES
from cmdai.remote.prompting import build_messages, system_prompt


def reply(**fields) -> str:
    return json.dumps(fields)


def test_best_command_and_two_alternatives():
    parsed = parse_model_output(reply(cmd="du -sh *", explanation="sizes", alternatives=[
        {"cmd": "du -h --max-depth=1", "explanation": "one level"}, {"cmd": "ncdu", "explanation": "interactive"}]))
    assert parsed.command == "du -sh *"
    assert [a.command for a in parsed.alternatives] == ["du -h --max-depth=1", "ncdu"]
    assert parsed.alternatives[1].explanation == "interactive"


@pytest.mark.parametrize("text, command", [
    ('{"cmd": "ls -la", "explanation": "lists"}', "ls -la"),
    ('```json\n{"command": "ls -la"}\n```', "ls -la"),
    ("```bash\nls -la\n```", "ls -la"),
    ("ls -la", "ls -la"),
    ('Here you go: {"cmd": "ls -la"} hope it helps', "ls -la"),
])
def test_old_shapes_parse_with_no_alternatives(text, command):
    parsed = parse_model_output(text)
    assert parsed.command == command
    assert parsed.alternatives == ()


@pytest.mark.parametrize("alternatives", [
    None, 42, "", [], [None], [42], [{"explanation": "no command"}], [{"cmd": ""}], [{"cmd": 7}],
    [{"cmd": ["ls", 3]}], {"unexpected": "shape"}, [[]],
])
def test_malformed_alternatives_are_left_out_not_fatal(alternatives):
    parsed = parse_model_output(reply(cmd="ls -la", alternatives=alternatives))
    assert parsed.command == "ls -la"
    assert parsed.alternatives == ()


def test_text_alternatives_and_a_single_object_are_accepted():
    assert [a.command for a in parse_model_output(reply(cmd="ls", alternatives=["ls -a", "dir"])).alternatives] == \
        ["ls -a", "dir"]
    assert [a.command for a in parse_model_output(reply(cmd="ls", alternatives={"cmd": "ls -a"})).alternatives] == \
        ["ls -a"]


def test_repeats_of_the_answer_or_each_other_are_dropped_and_the_count_is_capped():
    parsed = parse_model_output(reply(cmd="ls -la", alternatives=[
        "ls -la", {"cmd": "  ls -la  "}, "ls -a", "ls -a", "exa", "tree", "dir"]))
    assert [a.command for a in parsed.alternatives] == ["ls -a", "exa"]
    assert len(parsed.alternatives) == MAX_ALTERNATIVES


def test_alternatives_lose_terminal_controls_and_nest_no_further():
    parsed = parse_model_output(reply(cmd="ls", alternatives=[
        {"cmd": "echo \x1b[31mred\x1b[0m", "alternatives": ["rm -rf /"]}]))
    assert parsed.alternatives == (ParsedOutput("echo red", None),)


def test_a_bad_best_command_is_still_an_error_whatever_the_alternatives():
    with pytest.raises(ModelOutputError):
        parse_model_output(reply(cmd="", explanation="cannot", alternatives=["ls"]))


def test_the_prompt_asks_for_alternatives_in_the_same_reply():
    prompt = system_prompt("bash", "linux")
    assert '"alternatives"' in prompt and f"up to {MAX_ALTERNATIVES} alternatives" in prompt


def test_fish_rules_are_spelled_out():
    prompt = system_prompt("fish", "linux")
    for rule in ("for f in *.log; gzip $f; end", "(cmd), never $(cmd)", "set -x VAR value", "$status"):
        assert rule in prompt
    assert "$(cmd)" not in system_prompt("bash", "linux")


def test_refine_and_repair_messages_carry_the_command():
    refine = build_messages(GenerationRequest("make it recursive", shell="zsh", refine="grep foo *.txt"))
    assert "grep foo *.txt" in refine[1]["content"] and "make it recursive" in refine[1]["content"]
    repair = build_messages(GenerationRequest("gzip every log", shell="fish", refine="for f in *.log; do gzip $f; done",
                                              syntax_error="'do' is not a command"))
    text = repair[1]["content"]
    assert "not valid fish syntax" in text and "'do' is not a command" in text and "gzip every log" in text
    assert build_messages(GenerationRequest("list files"))[1]["content"] == "list files"


def test_fish_risk_notes_quote_fish_syntax():
    from cmdai.orchestrator import judge

    fish = judge("chmod -R 777 (pwd)", None, "fish", "moderate")
    assert fish.assessment.reasons and all("$(" not in reason for reason in fish.assessment.reasons)
    assert any("(pwd)" in reason for reason in fish.assessment.reasons)
    bash = judge("chmod -R 777 $(pwd)", None, "bash", "moderate")
    assert any("$(pwd)" in reason for reason in bash.assessment.reasons)
