"""What every message goes through: secrets masked, long text shortened, colour decided once (NO_COLOR)."""
from __future__ import annotations

import io
import os
import pty

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdai.sanitize import MASK, hide_secrets, one_line, shorten
from cmdai.terminal import colour_enabled, paint


@pytest.mark.parametrize("text", [
    "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.abc-_def here",
    '{"accessToken": "opaque-secret-value", "tokenType": "Bearer"}',
    "access_token=opaque-secret-value&expires_in=3599",
    "{'refresh_token': 'opaque-secret-value'}",
    "proxy http://alex:opaque-secret-value@proxy.example:3128 refused",
])
def test_tokens_and_url_passwords_are_masked(text):
    cleaned = hide_secrets(text)

    assert "opaque-secret-value" not in cleaned and "eyJ" not in cleaned
    assert MASK in cleaned


def test_known_secrets_are_masked_wherever_they_appear():
    key = "k3y-Th4t-1s-s3cret"
    cleaned = hide_secrets(f"401 for api-key {key}; body echoed {key}", [key, ""])
    assert key not in cleaned and cleaned.count(MASK) == 2


def test_ordinary_text_and_very_short_known_values_are_left_alone():
    text = "AADSTS90002: Tenant 'contoso.com' not found at https://login.microsoftonline.com/x"
    assert hide_secrets(text, ["ab"]) == text


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_shorten_never_exceeds_the_limit_and_marks_the_cut(text, limit):
    short = shorten(text, limit)
    assert len(short) <= limit
    assert short == text if len(text) <= limit else short.endswith("…") and text.startswith(short[:-1])


def test_one_line_folds_strips_and_shortens():
    assert one_line("a\n\x1b[31mred\x1b[0m\tb   c", 8) == "a red b…"


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    leader, follower = pty.openpty()
    terminal = os.fdopen(follower, "w")
    try:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm")
        assert colour_enabled(terminal)
        assert paint("high", "high", terminal) == "\x1b[31mhigh\x1b[0m"
        assert not colour_enabled(io.StringIO())
        monkeypatch.setenv("NO_COLOR", "1")
        assert not colour_enabled(terminal) and paint("x", "ok", terminal) == "x"
        monkeypatch.setenv("NO_COLOR", "")  # no-color.org: an empty value does not count
        assert colour_enabled(terminal)
        monkeypatch.setenv("TERM", "dumb")
        assert not colour_enabled(terminal)
    finally:
        terminal.close()
        os.close(leader)


def test_a_closed_stream_has_no_colour():
    stream = io.StringIO()
    stream.close()
    assert not colour_enabled(stream)
