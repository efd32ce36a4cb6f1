"""Every shape of model output the parser accepts, and every one it rejects."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from cmdai.errors import ModelOutputError
from cmdai.remote.parsing import parse_model_output
from cmdai.sanitize import one_line, strip_terminal_controls


@pytest.mark.parametrize("reply, command, explanation", [
    ('{"cmd": "ls -la", "explanation": "Lists files."}', "ls -la", "Lists files."),
    ('{"command": "du -sh .", "description": "Disk usage."}', "du -sh .", "Disk usage."),
    ('  {"cmd": "pwd"}  \n', "pwd", None),
    ('```json\n{"cmd": "find . -name \'*.py\'"}\n```', "find . -name '*.py'", None),
    ('Sure, here you go:\n{"cmd": "date", "explanation": "Shows the date."}\nHope it helps!', "date", "Shows the date."),
    ('Here is the command:\n```bash\ndf -h\n```', "df -h", "Here is the command:"),
    ('```\nuname -a\n```', "uname -a", None),
    ('ls -1 | wc -l', "ls -1 | wc -l", None),
    ('$ git status', "git status", None),
    ('<think>The user wants files.</think>{"cmd": "ls"}', "ls", None),
    ('You can run `ps aux` to see all the running processes.', "ps aux",
     "You can run `ps aux` to see all the running processes."),
    ('{"cmd": ["cd /tmp", "ls"]}', "cd /tmp\nls", None),
    ('{"cmd": "for f in *.txt; do\\n  wc -l \\"$f\\"\\ndone"}', 'for f in *.txt; do\n  wc -l "$f"\ndone', None),
    ('{"note": 1} then {"cmd": "whoami"}', "whoami", None),
])
def test_accepted_shapes(reply, command, explanation):
    parsed = parse_model_output(reply)
    assert parsed.command == command
    assert parsed.explanation == explanation


def test_multi_line_bare_command_is_kept_whole():
    reply = "cat <<'EOF' > notes.txt\nhello\nEOF"
    assert parse_model_output(reply).command == reply


@pytest.mark.parametrize("reply", [
    '{"cmd": "ls\\u001b[31m -la\\u001b[0m"}',
    "ls\x1b[31m -la\x1b[0m",
    "ls\x1b]0;pwned\x07 -la",
    "ls\x9b31m -la",
    "ls -la\x00\x07\x08",
])
def test_terminal_controls_are_removed(reply):
    assert parse_model_output(reply).command == "ls -la"


def test_carriage_return_cannot_hide_text():
    # On a terminal "\r" would let the second half overwrite the first.
    assert parse_model_output("rm -rf ~\rls -la").command == "rm -rf ~\nls -la"


def test_invisible_reordering_characters_are_removed():
    assert parse_model_output("ls \u202e-la\u200b").command == "ls -la"


@pytest.mark.parametrize("reply, words", [
    ("", "empty"),
    ("   \n\t ", "empty"),
    (None, "empty"),
    ("\x1b[0m\x07", "empty"),
    ("<think>only thoughts</think>", "empty"),
    ('{"cmd": "", "explanation": "That is not a shell task."}', "not a shell task"),
    ('{"cmd": 42}', "not text"),
    ("I'm sorry, but I can't help with that request.", "declined"),
    ("This request is about the weather, which a shell cannot answer.", "prose"),
])
def test_rejected_outputs(reply, words):
    with pytest.raises(ModelOutputError) as info:
        parse_model_output(reply)
    assert words in info.value.message
    assert info.value.hint


def test_sanitize_helpers():
    assert strip_terminal_controls("a\r\nb\tc") == "a\nb\tc"
    assert one_line("  many\n spaces \x1b[1mhere ") == "many spaces here"
    assert one_line("x" * 400, limit=10) == "x" * 9 + "…"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x1b[]0;m\x07\x9b\u200e\u202e\ud800~") | st.characters(), max_size=40))
def test_removal_leaves_only_printable_text_and_is_stable(text):
    cleaned = strip_terminal_controls(text)
    # What is left is printable apart from tabs and newlines, and cleaning it again changes nothing
    # (the shortcut for plain text and the full path agree).
    assert all(ch.isprintable() or ch in "\t\n" or ord(ch) > 0x9f for ch in cleaned)
    assert not any(ch in cleaned for ch in "\x1b\x9b\r\u200e\u202e\ud800")
    assert strip_terminal_controls(cleaned) == cleaned
    if text.isprintable():
        assert cleaned == text


def test_every_character_removed_is_unprintable():
    # strip_terminal_controls returns printable text untouched: that is only right if nothing it
    # would remove is printable.
    from cmdai import sanitize

    every_character = "".join(map(chr, range(0x110000)))
    for pattern in (sanitize._CONTROL_CHARACTERS, sanitize._INVISIBLE, sanitize._LONE_SURROGATE):
        removed = pattern.findall(every_character)
        assert removed and not [hex(ord(ch)) for ch in removed if ch.isprintable()]
    assert not any(chr(code).isprintable() for code in (0x1b, 0x9b, 0x90, 0x98, 0x9d, 0x9e, 0x9f, 0x07, 0x0d))


def test_a_proxy_password_with_a_raw_at_sign_is_masked_whole():
    from cmdai.sanitize import hide_secrets

    assert hide_secrets("proxy http://me:p@ss@proxy.example:8080 refused") == \
        "proxy http://me:****@proxy.example:8080 refused"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["https://me:pw@host", "eyJhbGciOi.eyJzdWIi.sig", "access_token=abc", "ToKeN",
                                 '"refresh_token": "x"', "to\u212aen", "access_to\u212aen: v", " ", "x", "://", "@",
                                 "eyJ", "=", ":"]), max_size=8).map("".join))
def test_masking_skips_only_the_patterns_that_cannot_match(text):
    from cmdai import sanitize

    everything = sanitize._TOKEN_FIELD.sub(r"\1****", sanitize._JWT.sub("****", sanitize._URL_PASSWORD.sub(r"\1****@", text)))
    assert sanitize.hide_secrets(text) == everything
