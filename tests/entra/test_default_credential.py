"""auth = "default": azure-identity's DefaultAzureCredential, and what happens without the extra."""
from __future__ import annotations

import time

import pytest

from cmdai.remote.entra import token_provider_for
from cmdai.errors import AuthenticationError, MissingDependencyError

ML = "https://ml.azure.com/.default"
TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJkYWMiOjF9.c2ln"


def test_missing_extra_exits_2_with_the_install_command(azure_settings, no_azure_identity):
    with pytest.raises(MissingDependencyError) as caught:
        token_provider_for(azure_settings("default"), ML)

    assert caught.value.exit_code == 2
    assert caught.value.one_line() == (
        "[backend.azure] auth = \"default\" needs the azure-identity package — "
        "install it with: pip install 'cmdai-shell[azure]'"
    )


def test_azure_cli_needs_no_extra(fake_az, azure_settings, no_azure_identity):
    assert token_provider_for(azure_settings("azure-cli"), ML).token() == fake_az.token_of_call(1)


def test_default_chain_reaches_the_managed_identity(httpserver, monkeypatch, azure_settings):
    monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", httpserver.url_for("/"))
    httpserver.expect_request(
        "/metadata/identity/oauth2/token", query_string={"api-version": "2018-02-01", "resource": "https://ml.azure.com"},
    ).respond_with_json({"access_token": TOKEN, "expires_in": "3599",
                         "expires_on": str(int(time.time()) + 3599), "token_type": "Bearer"})
    provider = token_provider_for(azure_settings("default", tenant_id="contoso.com"), ML)

    assert provider.token() == TOKEN
    assert provider.from_cache is False
    again = token_provider_for(azure_settings("default", tenant_id="contoso.com"), ML)
    assert again.token() == TOKEN and again.from_cache is True
    assert len(httpserver.log) == 1


def test_default_chain_with_nothing_to_sign_in_with(httpserver, monkeypatch, azure_settings):
    # An identity endpoint that says "no identity" keeps the managed identity step fast and local.
    monkeypatch.setenv("IDENTITY_ENDPOINT", httpserver.url_for("/msi/token"))
    monkeypatch.setenv("IDENTITY_HEADER", "h")
    httpserver.expect_request("/msi/token").respond_with_json(
        {"statusCode": 400, "message": "No managed identity found"}, status=400)

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings("default"), ML).token()

    error = caught.value
    assert error.message.startswith("no Azure credential found")
    assert "az login" in error.hint and "AZURE_CLIENT_SECRET" in error.hint
    assert "\n" not in error.one_line()
    # The attempts azure-identity made are kept for --debug, on one line.
    assert "AzureCliCredential" in error.debug and "\n" not in error.debug


def test_default_chain_service_principal_with_unknown_tenant(monkeypatch, azure_settings):
    # The environment credential fails on Entra's answer; the AADSTS code becomes a one-line fix.
    from azure.core.exceptions import ClientAuthenticationError

    import azure.identity

    def refuse(self, *scopes, **kwargs):
        raise ClientAuthenticationError(
            "DefaultAzureCredential failed to retrieve a token from the included credentials.\n"
            "Attempted credentials:\n\tEnvironmentCredential: Authentication failed: AADSTS90002: Tenant "
            "'contso.com' not found.")

    monkeypatch.setattr(azure.identity.DefaultAzureCredential, "get_token", refuse)

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings("default", tenant_id="contso.com"), ML).token()

    assert caught.value.message == "tenant 'contso.com' does not exist"
