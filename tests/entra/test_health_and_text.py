"""The --doctor check and the text helpers that keep tokens out of messages."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from cmdai.remote.entra import check_credential
from cmdai.errors import AuthenticationError
from cmdai.remote.entra.tokens import AccessToken, parse_expires_on, read_token_response, resource_for

COGNITIVE = "https://cognitiveservices.azure.com/.default"


def test_check_passes_with_expiry_and_no_token(fake_az, azure_settings):
    check = check_credential(azure_settings(), COGNITIVE)

    assert check.ok is True
    assert check.name == "Entra ID token (azure-cli)"
    assert re.fullmatch(rf"token for {re.escape(COGNITIVE)}, valid until \d\d:\d\d \(\d+ min\)", check.detail)
    assert "eyJ" not in check.detail


def test_check_gets_a_new_token_even_when_one_is_cached(fake_az, azure_settings):
    check_credential(azure_settings(), COGNITIVE)
    check_credential(azure_settings(), COGNITIVE)

    assert len(fake_az.calls()) == 2


def test_check_fails_with_the_fix(fake_az, azure_settings):
    fake_az.behave(stderr="ERROR: Please run 'az login' to setup account.\n")

    check = check_credential(azure_settings(), COGNITIVE)

    assert check.ok is False
    assert check.detail == "not signed in to the Azure CLI"
    assert check.hint == "run az login"


def test_check_reports_the_missing_extra(azure_settings, no_azure_identity):
    check = check_credential(azure_settings("default"), COGNITIVE)

    assert check.ok is False
    assert check.hint == "install it with: pip install 'cmdai-shell[azure]'"


@pytest.mark.parametrize("value, expected", [
    (1700000000, 1700000000.0),
    ("1700000000", 1700000000.0),
    ("11/14/2023 22:13:20 +00:00", 1700000000.0),
    ("11/14/2023 10:13:20 PM +00:00", 1700000000.0),
    ("11/15/2023 00:13:20 +02:00", 1700000000.0),
])
def test_parse_expires_on(value, expected):
    assert parse_expires_on(value) == expected


def test_parse_expires_on_reads_az_local_time():
    moment = 1_900_000_000
    assert parse_expires_on(datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M:%S.%f")) == moment
    assert parse_expires_on(datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M:%S")) == moment


UNREADABLE = ("the token response is unreadable", "try again")


@pytest.mark.parametrize("body, expected", [
    ({"access_token": "t", "expires_on": "1700000000"}, 1700000000.0),
    ({"access_token": "t", "expires_on": "11/14/2023 22:13:20 +00:00", "expires_in": "5"}, 1700000000.0),
    ({"access_token": "t", "expires_on": "", "expires_in": "3599"}, 1000 + 3599.0),
    ({"access_token": "t", "expires_in": 60}, 1060.0),
])
def test_token_response_expiry_from_each_field(body, expected):
    token = read_token_response(json.dumps(body), "access_token", UNREADABLE, now=1000.0)
    assert (token.token, token.expires_on) == ("t", expected)


@pytest.mark.parametrize("text", [
    "not json", "[]", json.dumps({"access_token": "eyJsecret.part.sig"}),
    json.dumps({"access_token": "", "expires_in": 60}), json.dumps({"access_token": 7, "expires_in": 60}),
    json.dumps({"access_token": "eyJsecret.part.sig", "expires_in": "inf"}),
    json.dumps({"access_token": "eyJsecret.part.sig", "expires_on": "NaN"}),
    json.dumps({"accessToken": "eyJsecret.part.sig", "expires_in": 60}),
])
def test_unreadable_token_response_is_one_error_without_the_token(text):
    with pytest.raises(AuthenticationError) as caught:
        read_token_response(text, "access_token", UNREADABLE, now=1000.0)
    assert (caught.value.message, caught.value.hint) == UNREADABLE
    assert "eyJ" not in str(caught.value) and caught.value.__cause__ is None and caught.value.__suppress_context__


def test_parse_expires_on_rejects_other_text():
    with pytest.raises(ValueError):
        parse_expires_on("tomorrow")


def test_a_token_value_never_shows_the_token():
    token = AccessToken("eyJhbGciOi.secret-part.sig", 1700000000.0)
    assert "secret-part" not in repr(token) and "secret-part" not in str(token) and "secret-part" not in f"{[token]}"
    assert token.usable(1700000000.0 - 301) and not token.usable(1700000000.0 - 300)


def test_the_entra_path_stays_off_dataclasses():
    # A cached token answers the hotkey: the modules that read it must not pay for dataclasses/inspect.
    import os
    import subprocess
    import sys

    code = ("import sys, cmdai.remote.credentials, cmdai.remote.entra, cmdai.remote.entra.azure_cli, "
            "cmdai.remote.entra.managed_identity; print(sorted({'dataclasses', 'inspect'} & set(sys.modules)))")
    # Coverage measuring subprocesses (COVERAGE_PROCESS_START) imports both itself: measure cmdai alone.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_resource_for_strips_only_the_default_suffix():
    assert resource_for("https://ml.azure.com/.default") == "https://ml.azure.com"
    assert resource_for("api://my-app") == "api://my-app"
