"""A plain line is taken as valid without starting the shell's checker: the shell must agree on every one."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from cmdai import shells
from cmdai.shells import plainly_valid

NAMES = ("bash", "zsh", "fish")
MISSING = [name for name in NAMES if shutil.which(shells.get(name).syntax_check[0]) is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)}")

PLAIN = st.sampled_from(["ls", "find", ".", "-name", "'*.py'", "*", "?", "~", "~/x", "a=b", "x=", "-", "--", "%1",
                         "@", ",", ":", "+x", "'if'", "' a b '", "'$x'", "'\\'", "''", "x'y'z", "a,b", "-n=3"])
SYNTAX = st.sampled_from([
    "if", "then", "done", "time", "do", "!", "{", "}", "[[", "((", "'", "\"", "$x", "`", "\\", ";", "&", "<", ">",
    "(", ")", "#", "=x", "==", "=~", "noglob", "exec", "repeat", "foreach", "end", "typeset", "coproc", "function",
    "select", "case", "in", "esac", "|", "||", " ", "\t", "=", "builtin", "nocorrect", "always", "local", "[", "^",
    "begin", "switch", "and", "or", "not", "break", "continue", "return", "else", "while", "for", "command", "x=1",
])
#: Mostly plain words, so that many lines are plain; now and then something a shell reads as syntax.
PIECES = st.one_of(PLAIN, PLAIN, PLAIN, SYNTAX)


def refused(name, lines):
    """The lines of ``lines`` that the shell ``name``'s own checker refuses (all checked as one script first)."""
    def parses(text):
        argv = shells.get(name).syntax_check
        return subprocess.run(argv, input=text, capture_output=True, text=True, timeout=30).returncode == 0

    if not lines or parses("".join(line + "\n" for line in lines)):
        return []
    return [line for line in lines if not parses(line + "\n")]


def taken_as_valid(name, lines):
    return [line for line in lines if plainly_valid(line, shells.get(name))]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(PIECES, min_size=1, max_size=7).map(lambda parts: " ".join(parts)), min_size=1, max_size=40))
def test_every_shell_parses_what_is_taken_as_plainly_valid(lines):
    for name in NAMES:
        assert refused(name, taken_as_valid(name, lines)) == [], name


def test_the_plain_commands_of_the_data_sets_parse_everywhere():
    import tomllib

    data = Path(__file__).resolve().parents[2] / "bench" / "data"
    labelled = tomllib.loads((data / "safety-labelled.toml").read_text(encoding="utf-8"))
    commands = [command for rows in labelled.values() for _, command in rows]
    # The offline engine's expected answers: what the widget inserts most often.
    for name in ("offline_requests.tsv", "offline_fresh.tsv", "offline_heldout.tsv"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if not line.startswith("#") and len(fields) > 1:
                commands.append(fields[1])
    for name in NAMES:
        plain = taken_as_valid(name, commands)
        assert len(plain) > 300, "the data sets hold many plain commands"
        assert refused(name, plain) == [], name


@pytest.mark.parametrize("line", [
    "find . -name '*.py'", "du -sh -- * | sort -h", "git log --oneline -n 10", "ls|wc -l", "tar -czf a.tgz dir",
    "grep -rn 'TODO' . | head -n 20"])
def test_plain_answers_are_valid_without_a_checker(line, monkeypatch):
    monkeypatch.setattr(shells, "_run_checker", lambda *args: pytest.fail("a checker was started"))
    for name in NAMES:
        assert shells.syntax_error(line, name) is None


@pytest.mark.parametrize("line", ["if x", "echo $HOME", 'echo "x"', "ls; ls", "ls |", "", "a\nb", "time ls",
                                  "echo (", "ls &", "=x", "ls (pwd)", "ls > x", "x | if y"])
def test_anything_else_is_asked_of_the_shell(line):
    assert not any(plainly_valid(line, shells.get(name)) for name in NAMES)


@pytest.mark.parametrize("line, bash, zsh, fish", [
    ("ls 'a\\b'", True, True, False),  # a backslash escapes inside fish's single quotes
    ("a=b ls", True, True, False),
    ("and ls", True, True, False),
    ("x | repeat", True, False, True),
    ("end", True, False, False),
    ("ls | done", False, False, True),
    ("x | 'then'", False, False, True),
])
def test_each_shell_declares_its_own_syntax_words(line, bash, zsh, fish):
    assert [plainly_valid(line, shells.get(name)) for name in NAMES] == [bash, zsh, fish]


def test_a_shell_that_declares_no_syntax_words_is_always_asked():
    toy = shells.get("zsh")._replace(name="toy", command_syntax=None)
    assert not plainly_valid("ls", toy)
