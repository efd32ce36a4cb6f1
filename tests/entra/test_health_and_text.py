"""The --doctor check and the text helpers that keep tokens out of messages."""
from __future__ import annotations

import re

import pytest

from cmdai.remote.entra import check_credential
from cmdai.remote.entra.tokens import parse_expires_on, resource_for

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


def test_parse_expires_on_rejects_other_text():
    with pytest.raises(ValueError):
        parse_expires_on("tomorrow")


def test_resource_for_strips_only_the_default_suffix():
    assert resource_for("https://ml.azure.com/.default") == "https://ml.azure.com"
    assert resource_for("api://my-app") == "api://my-app"
