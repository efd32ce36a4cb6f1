"""A plain line is taken as valid without starting a shell: bash, zsh and dash must agree on every one."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from cmdai import shells
from cmdai.shells import plainly_valid

#: The real checkers: each shell's own syntax check, and dash's parse for sh.
CHECKERS = {name: shells.get(name).syntax_check for name in ("bash", "zsh")}
CHECKERS["dash"] = ("dash", "-n")
MISSING = [name for name, argv in CHECKERS.items() if shutil.which(argv[0]) is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)}")

PLAIN = st.sampled_from(["ls", "find", ".", "-name", "'*.py'", "*", "?", "~", "~/x", "a=b", "x=", "-", "--", "%1",
                         "@", ",", ":", "+x", "'if'", "' a b '", "'$x'", "'\\'", "''", "x'y'z", "a,b", "-n=3"])
SYNTAX = st.sampled_from([
    "if", "then", "done", "time", "do", "!", "{", "}", "[[", "((", "'", "\"", "$x", "`", "\\", ";", "&", "<", ">",
    "(", ")", "#", "=x", "==", "=~", "noglob", "exec", "repeat", "foreach", "end", "typeset", "coproc", "function",
    "select", "case", "in", "esac", "|", "||", " ", "\t", "=", "builtin", "nocorrect", "always", "local", "[", "^",
])
#: Mostly plain words, so that many lines are plain; now and then something a shell reads as syntax.
PIECES = st.one_of(PLAIN, PLAIN, PLAIN, SYNTAX)


def shells_accepting(lines):
    """The checkers that parse every line of ``lines`` (as one script) without a syntax error."""
    script = "".join(line + "\n" for line in lines)
    return {name for name, argv in CHECKERS.items()
            if subprocess.run(argv, input=script, capture_output=True, text=True, timeout=30).returncode == 0}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(PIECES, min_size=1, max_size=7).map(lambda parts: " ".join(parts)), min_size=1, max_size=40))
def test_every_shell_parses_what_is_taken_as_plainly_valid(lines):
    accepted = [line for line in lines if plainly_valid(line)]
    if accepted and shells_accepting(accepted) != set(CHECKERS):
        refused = [line for line in accepted if shells_accepting([line]) != set(CHECKERS)]
        pytest.fail(f"taken as valid, refused by a shell: {refused!r}")


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
    plain = [command for command in commands if plainly_valid(command)]
    assert len(plain) > 300, "the data sets hold many plain commands"
    assert shells_accepting(plain) == set(CHECKERS)


@pytest.mark.parametrize("line", [
    "find . -name '*.py'", "du -sh -- * | sort -h", "git log --oneline -n 10", "ls|wc -l", "tar -czf a.tgz dir",
    "a=b ls", "grep -rn 'TODO' . | head -n 20"])
def test_plain_answers_are_valid_without_a_checker(line, monkeypatch):
    monkeypatch.setattr(shells, "_run_checker", lambda *args: pytest.fail("a checker was started"))
    assert plainly_valid(line)
    assert shells.syntax_error(line, "bash") is None and shells.syntax_error(line, "zsh") is None


@pytest.mark.parametrize("line", ["if x", "ls | done", "echo $HOME", 'echo "x"', "ls; ls", "ls |", "", "a\nb",
                                  "time ls", "x | 'then'", "echo (", "ls &"])
def test_anything_else_is_asked_of_the_shell(line):
    assert not plainly_valid(line)


def test_fish_always_asks_fish(monkeypatch):
    started = []
    monkeypatch.setattr(shells, "_run_checker", lambda argv, script: started.append(argv) or (0, ""))
    shells.syntax_error("ls -la", "fish")
    assert started and started[0][0] == "fish"
