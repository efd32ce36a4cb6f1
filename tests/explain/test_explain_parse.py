"""Explanations follow the parse: every part of the line, and only what is on the line."""
from __future__ import annotations

import pytest

from cmdai.errors import UsageError
from cmdai.explain import UNKNOWN, Explanation, Part, explain, render
from cmdai.explain.model import checked_against_parse, model_meanings


def texts(command: str, shell: str = "bash"):
    return [(part.level, part.text) for part in explain(command, shell).parts]


def meaning(command: str, text: str, shell: str = "bash") -> str:
    return next(part.meaning for part in explain(command, shell).parts if part.text == text)


def test_tar_each_flag_of_a_cluster_and_values():
    assert texts("tar -xzvf a.tgz -C /tmp") == [
        (0, "tar"), (1, "-x"), (1, "-z"), (1, "-v"), (1, "-f a.tgz"), (1, "-C /tmp")]
    assert meaning("tar -xzvf a.tgz -C /tmp", "-f a.tgz") == "the archive file is a.tgz"
    assert meaning("tar -xzvf a.tgz -C /tmp", "-C /tmp") == "changes to the directory /tmp first"


def test_a_long_pipeline_with_connectors_redirections_and_substitutions():
    line = "find . -name '*.log' -mtime +7 -print0 | xargs -0 grep -l ERROR > hits.txt 2>/dev/null && echo \"$(wc -l < hits.txt)\""
    parts = texts(line)
    assert [text for level, text in parts if level == 0] == [
        "find", "|", "xargs", "&&", "echo", "$(wc -l < hits.txt)", "wc"]
    assert (1, "grep") in parts  # the command xargs runs, explained under it
    assert (1, "> hits.txt") in parts and (1, "2>/dev/null") in parts and (1, "< hits.txt") in parts
    assert meaning(line, "2>/dev/null") == "writes the error messages to /dev/null, replacing what it held"
    assert meaning(line, "-l") == "prints only the names of files with a match"


def test_options_come_from_the_right_command():
    line = "ls -l | sort -k 5 -n"
    assert meaning(line, "-l") == "long format: permissions, owner, size, date"
    assert meaning(line, "-k 5") == "sorts by field 5"


def test_subcommands_and_their_options():
    assert texts("git log --oneline -n 5") == [(0, "git"), (1, "log"), (1, "--oneline"), (1, "-n 5")]
    assert meaning("docker image prune -a", "-a").startswith("every image")
    assert meaning("git commit -am 'fix: typo'", "-m 'fix: typo'") == "uses 'fix: typo' as the commit message"


def test_find_exec_takes_the_words_up_to_its_terminator():
    assert texts("find . -type f -exec chmod 644 {} \\; -print") == [
        (0, "find"), (1, "."), (1, "-type f"), (1, "-exec chmod 644 {} \\;"), (1, "-print")]


def test_numbers_plus_words_and_bsd_style_options():
    assert meaning("head -20 log", "-20") == "prints the first 20 lines"
    assert meaning("date +%F", "+%F").startswith("prints the date in the format %F")
    assert meaning("ps aux", "aux").startswith("every process")
    assert meaning("expr 3 - 1", "3") == ""  # not in the catalog: shown, not guessed


def test_double_dash_ends_options():
    parts = explain("rm -- -weird-name").parts
    assert parts[1].text == "--" and parts[2] == Part("-weird-name", "the files or directories to delete")


def test_an_unknown_command_and_option_are_shown_without_a_meaning():
    parts = explain("frobnicate --fast x && ls --bogus").parts
    assert parts[0] == Part("frobnicate", "", 0)
    assert Part("--bogus", "") in parts
    lines = render(explain("ls --bogus"))
    assert lines[-1].strip().endswith(UNKNOWN)


def test_fish_is_shown_as_written():
    parts = texts("for f in *.log; gzip $f; end; echo (date +%s)", "fish")
    assert (0, "for f in") in parts and (0, "(date +%s)") in parts and (1, "+%s") in parts
    assert not any("$(" in text for _, text in parts)


def test_a_hash_inside_quotes_is_an_argument():
    assert texts("grep -c '#' notes.txt # count") == [(0, "grep"), (1, "-c"), (1, "'#'"), (1, "notes.txt")]


@pytest.mark.parametrize("command", ["'" * 999, "\\" * 1001, "$(" * 600, "}}}", "ls -", "tar -f", "find -exec",
                                     "cat <<EOF\nhi # x\nEOF", "case $x in a) ls;; esac", "f() { ls; }; f"])
def test_odd_lines_explain_without_failing(command):
    for shell in ("bash", "zsh", "fish"):
        assert render(explain(command, shell))[0]


def test_too_deep_nesting_is_one_clear_error():
    with pytest.raises(UsageError, match="too deeply"):
        explain("echo " + "$(echo " * 900 + "x" + ")" * 900)


def test_render_aligns_and_keeps_one_line_per_part():
    lines = render(explain("tar -xzvf a.tgz -C /tmp"))
    assert lines[0] == "tar -xzvf a.tgz -C /tmp"
    assert lines[1].startswith("  tar ") and lines[2].startswith("    -x ")
    columns = {line.index(part.meaning) for line, part in zip(lines[1:], explain("tar -xzvf a.tgz -C /tmp").parts)}
    assert len(columns) == 1


# -- a model's explanation, checked against the parse ------------------------------------------

REPLY = """{"parts": [
  {"part": "tar", "meaning": "the tape archiver"},
  {"part": "-x", "meaning": "extract"},
  {"part": "-C /tmp", "meaning": "into /tmp"},
  {"part": "--delete", "meaning": "deletes files from the archive"},
  {"part": "-r", "meaning": "\\u001b[31mremoves everything\\u001b[0m"},
  {"part": "-f", "meaning": "the archive a.tgz"}
]}"""


def test_model_meanings_are_kept_only_for_parts_of_the_command():
    explanation = checked_against_parse(explain("tar -xzvf a.tgz -C /tmp"), model_meanings(REPLY))
    by_text = {part.text: part.meaning for part in explanation.parts}
    assert by_text["tar"] == "the tape archiver"
    assert by_text["-x"] == "extract"
    assert by_text["-C /tmp"] == "into /tmp"
    assert by_text["-f a.tgz"] == "the archive a.tgz"
    assert by_text["-z"] == "compresses or decompresses with gzip"  # the model skipped it: the catalog's words
    assert "--delete" not in by_text and "-r" not in by_text
    assert all("deletes" not in m and "removes" not in m for m in by_text.values())


@pytest.mark.parametrize("reply", ["", "no json here", "[1, 2]", '{"parts": 5}', '{"parts": [{"part": 1}]}',
                                   '{"parts": [{"meaning": "x"}]}'])
def test_useless_model_replies_leave_the_catalog_explanation(reply):
    original = explain("ls -la")
    assert checked_against_parse(original, model_meanings(reply)) == original


def test_a_mapping_reply_is_accepted_and_controls_are_stripped():
    meanings = model_meanings('{"parts": {"ls": "lists \\u001b]0;owned\\u0007files", "-l": "long"}}')
    assert "\x1b" not in meanings["ls"] and "\x07" not in meanings["ls"] and "files" in meanings["ls"]
    explanation = checked_against_parse(Explanation("ls -l", (Part("ls", "", 0), Part("-l", ""))), meanings)
    assert explanation.parts[1].meaning == "long" and "\x1b" not in explanation.parts[0].meaning
