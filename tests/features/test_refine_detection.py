"""Which lines are a command plus an instruction: read with the shell's own quoting rules."""
from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdai.refine import Refinement, split_refinement, trailing_comment


@pytest.mark.parametrize("line, command, instruction", [
    ("find . -name '*.py'  # only files changed today", "find . -name '*.py'", "only files changed today"),
    ("grep foo *.txt # make it recursive", "grep foo *.txt", "make it recursive"),
    ("echo ${#PATH} # count words instead", "echo ${#PATH}", "count words instead"),
    ("echo $# # fix this", "echo $#", "fix this"),
    ("echo 'a # b' \"c # d\" #for macOS", "echo 'a # b' \"c # d\"", "for macOS"),
    ("echo $'it\\'s # x' # y", "echo $'it\\'s # x'", "y"),
    ("echo \"$(ls '#') # x\" ## twice", "echo \"$(ls '#') # x\"", "twice"),
    ("for f in *.log; do\n  gzip $f  # keep\ndone # in parallel", "for f in *.log; do\n  gzip $f  # keep\ndone",
     "in parallel"),
    ("ls a\\ #b # sort by size", "ls a\\ #b", "sort by size"),
    ("ls -la;# sort by size", "ls -la;", "sort by size"),
    ("echo $((16#ff)) # in hex", "echo $((16#ff))", "in hex"),
    ("cat <<'EOF'\n# not this\nEOF\n# in upper case", "cat <<'EOF'\n# not this\nEOF", "in upper case"),
])
def test_command_and_instruction(line, command, instruction):
    assert split_refinement(line, "bash") == Refinement(command, instruction)


@pytest.mark.parametrize("line", [
    "# list files",                      # only a comment: a plain request
    "#list files",
    "ls -la #",                          # no instruction
    "ls -la #   ",
    "echo 'a # b'",                      # quoted
    'echo "a # b"',
    "echo a#b",                          # not at the start of a word
    "echo ${x#prefix} ${#x}",            # parameter expansion
    "echo $(date # inside)",             # inside a substitution
    "echo `date # inside`",
    "ls # one\nls -l",                   # the comment is not on the last line
    "list every file in folder #3",      # plain words: no command to change
    "echo 'unterminated # here",
])
def test_not_a_refinement(line):
    assert split_refinement(line, "bash") is None


def test_fish_quoting_rules():
    # fish: \' inside single quotes is an escaped quote; (cmd) is a substitution.
    assert split_refinement("echo 'it\\'s # not' # shorter", "fish") == Refinement("echo 'it\\'s # not'", "shorter")
    assert split_refinement("echo (date # no)", "fish") is None
    # bash reads the same single-quoted text differently: the quote closes at \'.
    assert trailing_comment("echo 'it\\'s # not'", "bash") is not None


def test_a_known_command_that_is_not_installed_counts(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert split_refinement("crontab -r  # keep a backup", "bash") == Refinement("crontab -r", "keep a backup")
    assert split_refinement("zzfrob -r  # keep a backup", "bash") is None
    assert split_refinement("zzfrob -r  # keep a backup", "bash", {"zzfrob -r"}) == Refinement("zzfrob -r", "keep a backup")


def test_a_path_or_builtin_counts_as_a_command():
    assert split_refinement("./build.sh --fast # with tests", "bash") == Refinement("./build.sh --fast", "with tests")
    assert split_refinement("cd ~/src # and list it", "zsh") == Refinement("cd ~/src", "and list it")
    assert split_refinement("LC_ALL=C sort x # numeric", "bash") == Refinement("LC_ALL=C sort x", "numeric")


words = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12),
                  st.text(alphabet="#'\"$ {}()`\\x", min_size=1, max_size=8))
instructions = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30) \
    .filter(lambda text: text.strip() != "")


@settings(max_examples=300, deadline=None)
@given(args=st.lists(words, max_size=5), instruction=instructions, gap=st.sampled_from([" ", "  ", "\t"]))
def test_quoted_arguments_never_hide_or_fake_the_comment(args, instruction, gap):
    command = " ".join(["grep"] + [shlex.quote(arg) for arg in args])
    found = split_refinement(f"{command}{gap}# {instruction}", "bash")
    assert found == Refinement(command, instruction.strip())


@settings(max_examples=300, deadline=None)
@given(args=st.lists(words, max_size=5))
def test_quoted_arguments_alone_are_never_a_refinement(args):
    assert split_refinement(" ".join(["grep"] + [shlex.quote(arg) for arg in args]), "bash") is None
