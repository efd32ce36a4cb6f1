"""auth = "managed-identity": App Service and IMDS protocols against loopback servers, and the SDK-only hosts."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug import Response

from cmdai.remote.entra import token_provider_for
from cmdai.remote.entra.managed_identity import route
from cmdai.errors import AuthenticationError, BackendUnavailableError, MissingDependencyError

COGNITIVE = "https://cognitiveservices.azure.com/.default"
TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJtaSI6MX0.c2ln"


@pytest.fixture
def app_service(httpserver, monkeypatch):
    """IDENTITY_ENDPOINT/IDENTITY_HEADER pointing at a loopback server, as App Service and Functions set them."""
    monkeypatch.setenv("IDENTITY_ENDPOINT", httpserver.url_for("/msi/token"))
    monkeypatch.setenv("IDENTITY_HEADER", "header-secret")
    return httpserver


def expect_app_service(server, body, status=200, **query):
    params = {"api-version": "2019-08-01", "resource": "https://cognitiveservices.azure.com", **query}
    server.expect_request(
        "/msi/token", method="GET", query_string=params, headers={"X-IDENTITY-HEADER": "header-secret"},
    ).respond_with_json(body, status=status)


def test_app_service_identity_gets_a_token(app_service, azure_settings):
    expires_on = int(time.time()) + 3600
    expect_app_service(app_service, {"access_token": TOKEN, "expires_on": str(expires_on),
                                      "resource": "https://cognitiveservices.azure.com", "token_type": "Bearer"})
    provider = token_provider_for(azure_settings("managed-identity"), COGNITIVE)

    assert provider.token() == TOKEN
    assert provider.expires_on == expires_on
    assert provider.from_cache is False
    app_service.check_assertions()


def test_app_service_token_is_cached_across_runs(app_service, azure_settings):
    expect_app_service(app_service, {"access_token": TOKEN, "expires_on": int(time.time()) + 3600})
    token_provider_for(azure_settings("managed-identity"), COGNITIVE).token()
    again = token_provider_for(azure_settings("managed-identity"), COGNITIVE)

    assert again.token() == TOKEN
    assert again.from_cache is True
    assert len(app_service.log) == 1


def test_user_assigned_identity_sends_its_client_id(app_service, azure_settings):
    expect_app_service(app_service, {"access_token": TOKEN, "expires_on": int(time.time()) + 3600},
                       client_id="11111111-2222-3333-4444-555555555555")
    settings = azure_settings("managed-identity", managed_identity_client_id="11111111-2222-3333-4444-555555555555")

    assert token_provider_for(settings, COGNITIVE).token() == TOKEN
    app_service.check_assertions()


@pytest.mark.parametrize("layout", ["%m/%d/%Y %H:%M:%S +00:00", "%m/%d/%Y %I:%M:%S %p +00:00"])
def test_app_service_date_string_expiry(app_service, azure_settings, layout):
    moment = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1)
    expect_app_service(app_service, {"access_token": TOKEN, "expires_on": moment.strftime(layout)})
    provider = token_provider_for(azure_settings("managed-identity"), COGNITIVE)
    provider.token()

    assert provider.expires_on == moment.timestamp()


def test_expires_in_is_used_when_expires_on_is_missing(app_service, azure_settings):
    expect_app_service(app_service, {"access_token": TOKEN, "expires_in": "3599"})
    before = time.time()
    provider = token_provider_for(azure_settings("managed-identity"), COGNITIVE)
    provider.token()

    assert before + 3599 <= provider.expires_on <= time.time() + 3599


def test_app_service_works_without_azure_identity(app_service, azure_settings, no_azure_identity):
    expect_app_service(app_service, {"access_token": TOKEN, "expires_on": int(time.time()) + 3600})

    assert token_provider_for(azure_settings("managed-identity"), COGNITIVE).token() == TOKEN


def test_unassigned_user_identity_names_the_client_id(app_service, azure_settings):
    expect_app_service(app_service, {"statusCode": 400, "message": "No User Assigned or Delegated Managed "
                                     "Identity found for specified ClientId/ResourceId/PrincipalId."},
                       status=400, client_id="abc")
    settings = azure_settings("managed-identity", managed_identity_client_id="abc")

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(settings, COGNITIVE).token()

    assert caught.value.message == "managed identity abc is not assigned to this app"
    assert "managed_identity_client_id" in caught.value.hint
    assert "No User Assigned" in caught.value.debug


def test_identity_endpoint_failure_allows_the_offline_fallback(app_service, azure_settings):
    app_service.expect_request("/msi/token").respond_with_data("upstream error", status=503)

    with pytest.raises(BackendUnavailableError) as caught:
        token_provider_for(azure_settings("managed-identity"), COGNITIVE).token()

    assert "HTTP 503" in caught.value.message


def test_token_response_without_a_token_is_an_error_that_echoes_nothing(app_service, azure_settings):
    app_service.expect_request("/msi/token").respond_with_json({"token": TOKEN})

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings("managed-identity"), COGNITIVE).token()

    assert TOKEN not in caught.value.one_line()


def test_environment_proxy_is_not_used_for_the_identity_endpoint(app_service, azure_settings, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:1")
    monkeypatch.setenv("NO_PROXY", "")
    expect_app_service(app_service, {"access_token": TOKEN, "expires_on": int(time.time()) + 3600})

    assert token_provider_for(azure_settings("managed-identity"), COGNITIVE).token() == TOKEN


@pytest.fixture
def imds(httpserver, monkeypatch):
    """The instance metadata service moved to a loopback server through azure-identity's override variable."""
    monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", httpserver.url_for("/"))
    return httpserver


def test_vm_identity_through_imds(imds, azure_settings):
    imds.expect_request(
        "/metadata/identity/oauth2/token",
        query_string={"api-version": "2018-02-01", "resource": "https://ml.azure.com"},
        headers={"Metadata": "true"},
    ).respond_with_json({"access_token": TOKEN, "refresh_token": "", "expires_in": "3599",
                         "expires_on": str(int(time.time()) + 3599), "token_type": "Bearer"})
    provider = token_provider_for(azure_settings("managed-identity"), "https://ml.azure.com/.default")

    assert provider.token() == TOKEN
    imds.check_assertions()


def test_vm_without_an_assigned_identity(imds, azure_settings):
    imds.expect_request("/metadata/identity/oauth2/token").respond_with_json(
        {"error": "invalid_request", "error_description": "Identity not found"}, status=400)

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings("managed-identity"), COGNITIVE).token()

    assert caught.value.message == "no managed identity is assigned to this machine"


def test_machine_without_managed_identity(azure_settings):
    # The autouse fixture points IMDS at a closed loopback port: nothing answers, as off Azure.
    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings("managed-identity"), COGNITIVE).token()

    assert caught.value.message.startswith("no managed identity on this machine")
    assert 'auth = "azure-cli"' in caught.value.hint


def test_docker_desktop_unreachable_answer_means_no_identity(imds, azure_settings):
    imds.expect_request("/metadata/identity/oauth2/token").respond_with_response(
        Response("connecting to 169.254.169.254:80: connecting to 169.254.169.254:80: dial tcp "
                 "169.254.169.254:80: connectex: A socket operation was attempted to an unreachable network.",
                 status=403))

    with pytest.raises(AuthenticationError) as caught:
        token_provider_for(azure_settings("managed-identity"), COGNITIVE).token()

    assert caught.value.message == "no managed identity is assigned to this machine"


@pytest.mark.parametrize("environ, expected", [
    ({}, "imds"),
    ({"IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi", "IDENTITY_HEADER": "h"}, "app-service"),
    ({"IDENTITY_ENDPOINT": "https://127.0.0.1:2377/", "IDENTITY_HEADER": "h",
      "IDENTITY_SERVER_THUMBPRINT": "ab"}, "sdk"),  # Service Fabric
    ({"IDENTITY_ENDPOINT": "http://localhost:40342/", "IMDS_ENDPOINT": "http://localhost:40342"}, "sdk"),  # Arc
    ({"MSI_ENDPOINT": "http://localhost:50342/oauth2/token"}, "sdk"),  # Cloud Shell
    ({"AZURE_FEDERATED_TOKEN_FILE": "/var/run/secrets/token"}, "sdk"),  # AKS workload identity
])
def test_route_follows_the_hosting_environment(environ, expected):
    assert route(environ) == expected


def test_sdk_only_host_without_the_extra_names_the_install_command(monkeypatch, azure_settings, no_azure_identity):
    monkeypatch.setenv("IDENTITY_ENDPOINT", "http://127.0.0.1:1/")
    monkeypatch.setenv("IMDS_ENDPOINT", "http://127.0.0.1:1")

    with pytest.raises(MissingDependencyError) as caught:
        token_provider_for(azure_settings("managed-identity"), COGNITIVE)

    assert caught.value.exit_code == 2
    assert "pip install 'cmdai-shell[azure]'" in caught.value.hint


def test_sdk_only_host_uses_azure_identity(monkeypatch, httpserver, azure_settings):
    # Cloud Shell style: MSI_ENDPOINT without MSI_SECRET; azure-identity posts the resource as a form.
    monkeypatch.setenv("MSI_ENDPOINT", httpserver.url_for("/oauth2/token"))
    httpserver.expect_request("/oauth2/token", method="POST").respond_with_json(
        {"access_token": TOKEN, "expires_on": str(int(time.time()) + 3600), "token_type": "Bearer",
         "resource": "https://cognitiveservices.azure.com"})
    provider = token_provider_for(azure_settings("managed-identity"), COGNITIVE)

    assert provider.token() == TOKEN
    assert b"resource=https" in httpserver.log[0][0].get_data()
