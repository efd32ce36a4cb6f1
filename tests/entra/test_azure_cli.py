"""auth = "azure-cli": az is run directly, its real JSON is read, and the token is cached on disk."""
from __future__ import annotations

import json
import os
import stat
import time
from datetime import datetime
from pathlib import Path

import pytest

from cmdai.remote.entra import token_provider_for
from cmdai.remote.entra.azure_cli import AzureCliCredential
from cmdai.errors import AuthenticationError, BackendTimeoutError, BackendUnavailableError, ConfigError

COGNITIVE = "https://cognitiveservices.azure.com/.default"
ML = "https://ml.azure.com/.default"


def test_runs_az_with_resource_and_reads_its_json(fake_az, azure_settings):
    provider = token_provider_for(azure_settings(), COGNITIVE)

    assert provider.token() == fake_az.token_of_call(1)
    assert provider.from_cache is False
    assert fake_az.calls() == [
        ["account", "get-access-token", "--output", "json", "--resource", "https://cognitiveservices.azure.com"]
    ]


def test_tenant_is_passed_to_az(fake_az, azure_settings):
    token_provider_for(azure_settings(tenant_id="contoso.onmicrosoft.com"), ML).token()

    assert fake_az.calls()[0][-4:] == ["--resource", "https://ml.azure.com", "--tenant", "contoso.onmicrosoft.com"]


def test_token_scope_setting_overrides_the_endpoint_scope(fake_az, azure_settings):
    settings = azure_settings(token_scope="https://ai.azure.com/.default")
    provider = token_provider_for(settings, COGNITIVE)
    provider.token()

    assert provider.scope == "https://ai.azure.com/.default"
    assert fake_az.calls()[0][-1] == "https://ai.azure.com"


def test_second_run_uses_the_disk_cache_without_calling_az(fake_az, azure_settings):
    first = token_provider_for(azure_settings(), COGNITIVE)
    token = first.token()
    # A new provider stands for the next hotkey press: a new process with only the disk cache.
    second = token_provider_for(azure_settings(), COGNITIVE)

    assert second.token() == token
    assert second.from_cache is True
    assert len(fake_az.calls()) == 1


def test_same_provider_reuses_the_token_in_memory(fake_az, azure_settings):
    provider = token_provider_for(azure_settings(), COGNITIVE)
    provider.token()
    provider.cache.discard(provider.cache_key)

    assert provider.token() == fake_az.token_of_call(1)
    assert provider.from_cache is True
    assert len(fake_az.calls()) == 1


def test_cache_is_kept_apart_by_scope_and_tenant(fake_az, azure_settings):
    token_provider_for(azure_settings(), COGNITIVE).token()
    token_provider_for(azure_settings(), ML).token()
    token_provider_for(azure_settings(tenant_id="fabrikam.com"), ML).token()
    token_provider_for(azure_settings(tenant_id="fabrikam.com"), ML).token()

    assert len(fake_az.calls()) == 3


def test_token_within_five_minutes_of_expiry_is_refreshed(fake_az, azure_settings):
    fake_az.behave(lifetime=200)
    provider = token_provider_for(azure_settings(), COGNITIVE)
    provider.token()

    assert provider.token() == fake_az.token_of_call(2)
    assert provider.from_cache is False
    assert token_provider_for(azure_settings(), COGNITIVE).token() == fake_az.token_of_call(3)
    assert len(fake_az.calls()) == 3


def test_near_expiry_token_in_memory_gives_way_to_a_newer_one_on_disk(fake_az, azure_settings):
    fake_az.behave(lifetime=200)
    provider = token_provider_for(azure_settings(), COGNITIVE)
    provider.token()
    fake_az.behave(lifetime=3600)
    # Another cmdai process refreshes the token meanwhile.
    token_provider_for(azure_settings(), COGNITIVE).token()

    assert provider.token() == fake_az.token_of_call(2)
    assert provider.from_cache is True
    assert len(fake_az.calls()) == 2


def test_token_with_more_than_five_minutes_left_is_reused(fake_az, azure_settings):
    fake_az.behave(lifetime=400)
    token_provider_for(azure_settings(), COGNITIVE).token()

    assert token_provider_for(azure_settings(), COGNITIVE).token() == fake_az.token_of_call(1)
    assert len(fake_az.calls()) == 1


def test_invalidate_drops_memory_and_disk_and_the_next_token_is_new(fake_az, azure_settings):
    provider = token_provider_for(azure_settings(), COGNITIVE)
    provider.token()
    path = Path(provider.cache.path_for(provider.cache_key))
    assert path.exists()

    provider.invalidate()

    assert not path.exists()
    assert provider.token() == fake_az.token_of_call(2)
    assert provider.from_cache is False
    assert token_provider_for(azure_settings(), COGNITIVE).token() == fake_az.token_of_call(2)


def test_older_az_without_expires_on_uses_local_expires_on(fake_az, azure_settings):
    fake_az.behave(old_cli=True, lifetime=3600)
    before = time.time()
    provider = token_provider_for(azure_settings(), COGNITIVE)
    provider.token()

    # expiresOn is local wall-clock time; read back it must be about an hour from now, not hours off.
    assert before + 3590 <= provider.expires_on <= time.time() + 3610


def test_cache_file_is_private_and_holds_only_the_access_token(fake_az, azure_settings, isolated_environment):
    provider = token_provider_for(azure_settings(), COGNITIVE)
    provider.token()
    path = Path(provider.cache.path_for(provider.cache_key))

    assert path.parent == isolated_environment / "cmdai" / "tokens"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert set(json.loads(path.read_text())) == {"access_token", "expires_on"}
    # Neither the tenant nor the scope shows in the file name.
    assert "cognitiveservices" not in path.name
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_unreadable_cache_file_is_replaced(fake_az, azure_settings):
    provider = token_provider_for(azure_settings(), COGNITIVE)
    provider.token()
    Path(provider.cache.path_for(provider.cache_key)).write_text("{not json")

    assert token_provider_for(azure_settings(), COGNITIVE).token() == fake_az.token_of_call(2)


def test_not_logged_in_says_run_az_login(fake_az, azure_settings):
    fake_az.behave(stderr="ERROR: Please run 'az login' to setup account.\n")

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(), COGNITIVE).token()

    assert caught.value.one_line() == "not signed in to the Azure CLI — run az login"
    assert caught.value.exit_code == 1


def test_not_logged_in_with_tenant_names_the_tenant(fake_az, azure_settings):
    fake_az.behave(stderr="ERROR: Please run 'az login' to setup account.\n")

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(tenant_id="contoso.com"), COGNITIVE).token()

    assert caught.value.hint == "run az login --tenant contoso.com"


def test_unknown_tenant_is_reported_as_wrong_tenant(fake_az, azure_settings):
    fake_az.behave(stderr=(
        "ERROR: AADSTS90002: Tenant 'contso.com' not found. Check to make sure you have the correct tenant ID "
        "and are signing into the correct cloud.\nTrace ID: 1\nCorrelation ID: 2\n"
    ))

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(tenant_id="contso.com"), COGNITIVE).token()

    assert caught.value.message == "tenant 'contso.com' does not exist"
    assert "tenant_id" in caught.value.hint
    assert "\n" not in caught.value.one_line()


def test_expired_sign_in_asks_for_az_login_again(fake_az, azure_settings):
    fake_az.behave(stderr=(
        "ERROR: AADSTS700082: The refresh token has expired due to inactivity.\n"
        "Interactive authentication is needed. Please run:\naz login --scope https://cognitiveservices.azure.com/.default\n"
    ))

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(), COGNITIVE).token()

    assert caught.value.one_line() == "the Azure CLI sign-in has expired — run az login again"


def test_az_not_installed(azure_settings):
    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(), COGNITIVE).token()

    assert "Azure CLI (az) is not installed" in caught.value.message
    assert "az login" in caught.value.hint


def test_network_failure_inside_az_allows_the_offline_fallback(fake_az, azure_settings):
    fake_az.behave(stderr=(
        "ERROR: HTTPSConnectionPool(host='login.microsoftonline.com', port=443): Max retries exceeded with url: "
        "/organizations/oauth2/v2.0/token (Caused by NewConnectionError('Failed to establish a new connection'))\n"
    ))

    with pytest.raises(BackendUnavailableError) as caught:
        token_provider_for(azure_settings(), COGNITIVE).token()

    assert caught.value.fallback_allowed is True


def test_other_az_failure_shows_its_first_line_and_how_to_reproduce(fake_az, azure_settings):
    fake_az.behave(stderr="ERROR: Something unusual happened\nTraceback (most recent call last):\n  ...\n")

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(), ML).token()

    assert caught.value.message == "the Azure CLI could not get a token: Something unusual happened"
    assert caught.value.hint.endswith("az account get-access-token --resource https://ml.azure.com")


def test_az_that_hangs_is_stopped(fake_az):
    fake_az.behave(sleep=5)

    start = time.monotonic()
    with pytest.raises(BackendTimeoutError) as caught:
        AzureCliCredential(timeout=0.5).get_token(COGNITIVE)
    assert time.monotonic() - start < 4  # az sleeps 5 s: it was stopped, not waited for
    assert caught.value.message.startswith("az account get-access-token did not finish within")


def test_tokens_never_appear_in_error_text(fake_az, azure_settings):
    secret = fake_az.token_of_call(7)
    fake_az.behave(stderr=f'ERROR: unexpected answer {{"accessToken": "{secret}", "x": 1}} from {secret}\n')

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(), COGNITIVE).token()

    shown = " ".join(filter(None, [caught.value.one_line(), caught.value.debug, str(caught.value)]))
    assert "eyJ" not in shown
    assert "****" in shown


def test_unparsable_output_is_not_echoed(fake_az, azure_settings):
    secret = fake_az.token_of_call(9)
    fake_az.behave(stdout=f'WARNING: something\n{{"accessToken": "{secret}"')

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings(), COGNITIVE).token()

    assert secret not in caught.value.one_line()
    assert caught.value.debug is None


@pytest.mark.parametrize("tenant", ["--subscription", "contoso com", "a;b"])
def test_tenant_that_could_be_an_option_is_rejected(azure_settings, tenant):
    with pytest.raises(ConfigError) as caught:
        token_provider_for(azure_settings(tenant_id=tenant), COGNITIVE)

    assert "tenant_id" in caught.value.message
    assert caught.value.exit_code == 2


def test_bad_scope_is_a_config_error(azure_settings):
    with pytest.raises(ConfigError) as caught:
        token_provider_for(azure_settings(token_scope="--resource x"), COGNITIVE)

    assert "token_scope" in caught.value.message


def test_expires_on_local_time_matches_posix_time():
    # az writes expiresOn with datetime.fromtimestamp (local time); reading it back must round-trip.
    from cmdai.remote.entra.azure_cli import _parse_output

    moment = 1_900_000_000
    output = json.dumps({"accessToken": "t", "expiresOn": datetime.fromtimestamp(moment).strftime(
        "%Y-%m-%d %H:%M:%S.%f"), "tokenType": "Bearer"})

    assert _parse_output(output).expires_on == moment


def test_az_gets_no_shell_and_no_color_in_its_own_process_group(fake_az, azure_settings, monkeypatch):
    monkeypatch.setenv("AZURE_CORE_NO_COLOR", "false")
    seen = {}
    import subprocess

    real_popen = subprocess.Popen

    def spy(args, **kwargs):
        seen.update(kwargs, args=args)
        return real_popen(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    token_provider_for(azure_settings(), COGNITIVE).token()

    assert seen["args"][0] == os.path.join(str(fake_az.directory), "az")
    assert not seen.get("shell")
    assert seen["start_new_session"] is True
    assert seen["env"]["AZURE_CORE_NO_COLOR"] == "true"


def test_api_key_auth_has_no_token_provider(azure_settings):
    with pytest.raises(ConfigError) as caught:
        token_provider_for(azure_settings("api-key"), COGNITIVE)

    assert caught.value.hint == "choose one of: azure-cli, managed-identity, default"


def test_unwritable_cache_still_hands_out_the_token(fake_az, azure_settings, isolated_environment):
    # A file where the cache directory should be: nothing can be stored, the token still works.
    isolated_environment.mkdir(parents=True)
    (isolated_environment / "cmdai").write_text("not a directory")
    provider = token_provider_for(azure_settings(), COGNITIVE)

    assert provider.token() == fake_az.token_of_call(1)
    assert token_provider_for(azure_settings(), COGNITIVE).token() == fake_az.token_of_call(2)
