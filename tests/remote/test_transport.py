"""The retry policy, deadline, TLS settings and connection-error wording of the shared transport."""
from __future__ import annotations

import socket
import ssl
import sys
import time
from urllib.parse import urlsplit

import pytest
import requests
from urllib3 import HTTPHeaderDict
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError

from cmdai.remote.retry_after import retry_after_seconds
from cmdai.remote.transport import (DeadlineRetry, DeadlineTimeout, Transport, TransportSettings, ca_bundle_setting,
                                    connection_error)
from cmdai.errors import BackendTimeoutError, BackendUnavailableError, ConfigError, MissingDependencyError


class FakeResponse:
    def __init__(self, status: int, headers: dict):
        self.status = status
        self.headers = HTTPHeaderDict(headers)

    def get_redirect_location(self):
        return None


def policy(deadline=None, total=3) -> DeadlineRetry:
    return Transport(TransportSettings(max_retries=total)).retry_policy(deadline)


def test_policy_retries_post_on_transient_statuses():
    retry = policy()
    for status in (408, 429, 500, 502, 503, 504):
        assert retry.is_retry("POST", status)
    for status in (400, 401, 403, 404, 422):
        assert not retry.is_retry("POST", status)


@pytest.mark.parametrize("headers, expected", [
    ({"retry-after-ms": "1500"}, 1.5),
    ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
    ({"retry-after-ms": "soon", "retry-after": "9"}, 9),
    ({"x-ms-retry-after-ms": "40"}, 0.04),
    ({"retry-after": "7"}, 7),
    ({"retry-after": "2.5"}, 2.5),
    ({"retry-after": "-3"}, 0),
    ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0),  # a moment already past: no wait
    ({"retry-after": "soon"}, None),
    ({"retry-after": "inf"}, None),
    ({"retry-after-ms": "nan"}, None),
    ({"retry-after": "1e400"}, None),
    ({}, None),
])
def test_retry_after_headers(headers, expected):
    assert policy().get_retry_after(FakeResponse(429, headers)) == expected
    # The transport's retries and the rate-limit message read the same wait.
    assert retry_after_seconds(HTTPHeaderDict(headers)) == expected


def test_retry_after_as_an_http_date_in_the_future():
    from email.utils import formatdate

    wait = retry_after_seconds({"retry-after": formatdate(time.time() + 120, usegmt=True)})
    assert wait is not None and 118 <= wait <= 120


@pytest.mark.parametrize("headers, message, expected", [
    ({}, "Requests have exceeded the call rate limit. Please retry after 17 seconds.", 17),
    ({}, "Rate limit is exceeded. Try again: retry after 500 milliseconds", 0.5),
    ({"retry-after": "3"}, "Please retry after 17 seconds.", 3),  # the header wins
    ({}, "Rate limit is exceeded.", None),
])
def test_retry_after_named_in_the_message(headers, message, expected):
    assert retry_after_seconds(headers, message) == expected


def test_backoff_grows_with_jitter_below_the_plain_value():
    retry = policy()
    for _ in range(3):
        retry = retry.increment("POST", "/x", response=FakeResponse(503, {}))
    plain = 0.5 * 2 ** 2
    assert 0.75 * plain <= retry.get_backoff_time() <= plain


def test_a_wait_past_the_deadline_stops_retrying():
    retry = policy(deadline=time.monotonic() + 2)
    with pytest.raises(MaxRetryError) as info:
        retry.increment("POST", "/x", response=FakeResponse(429, {"retry-after": "30"}))
    assert "a retry in 30.0 s would pass the deadline" in str(info.value.reason)
    # A short wait fits: one attempt is used up and the next keeps the deadline.
    following = retry.increment("POST", "/x", response=FakeResponse(429, {"retry-after-ms": "10"}))
    assert following.total == retry.total - 1 and following.deadline == retry.deadline
    assert following.history[-1].status == 429


def test_a_connection_error_past_the_deadline_ends_the_retries():
    retry = policy(deadline=time.monotonic() - 1)
    error = ReadTimeoutError(None, "/x", "read timed out")
    with pytest.raises(MaxRetryError) as info:
        retry.increment("POST", "/x", error=error)
    assert info.value.reason is error


@pytest.mark.parametrize("cause", [ConnectionRefusedError(111, "Connection refused"),
                                   socket.gaierror(-2, "Name or service not known")])
def test_nobody_listening_is_not_retried(cause):
    retry = policy(deadline=time.monotonic() + 60)
    error = NewConnectionError(None, "cannot connect")
    error.__cause__ = cause
    with pytest.raises(MaxRetryError) as info:
        retry.increment("POST", "/x", error=error)
    # Given up at once, with every retry still left and the deadline a minute away.
    assert info.value.reason is error and retry.total == 3 and not retry.history


def test_a_reset_connection_is_retried():
    retry = policy(deadline=time.monotonic() + 60)
    error = ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))
    following = retry.increment("POST", "/x", error=error)
    assert following.total == retry.total - 1 and following.history[-1].error is error


def test_new_keeps_the_deadline():
    assert policy(deadline=123.0).new(total=1).deadline == 123.0


def test_timeouts_shrink_to_the_deadline(monkeypatch):
    monkeypatch.setattr(time, "monotonic", lambda: 1000.0)  # a clock that stands still: exact answers
    timeout = DeadlineTimeout(connect=10, read=30, deadline=1002.0)
    assert timeout.read_timeout == 2.0 and timeout.connect_timeout == 2.0
    # urllib3 clones the timeout for every attempt: the clone keeps the same deadline.
    clone = timeout.clone()
    assert clone.deadline == 1002.0 and clone.read_timeout == 2.0
    assert DeadlineTimeout(connect=0.5, read=1, deadline=1060.0).connect_timeout == 0.5
    # Past the deadline a socket still gets a sliver, so the read ends with a timeout, not a hang.
    assert DeadlineTimeout(connect=10, read=30, deadline=999.0).read_timeout == 0.05
    # Past the deadline a socket still gets a moment, never zero (which would mean "no timeout").
    assert DeadlineTimeout(connect=10, read=30, deadline=time.monotonic() - 5).read_timeout == 0.05


def test_ca_bundle_precedence(tmp_path, monkeypatch):
    configured, env_bundle, cert_file = (tmp_path / n for n in ("a.pem", "b.pem", "c.pem"))
    for path in (configured, env_bundle, cert_file):
        path.write_text("pem")
    assert ca_bundle_setting(None) is True
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    assert ca_bundle_setting(None) == str(cert_file)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(env_bundle))
    assert ca_bundle_setting(None) == str(env_bundle)
    assert ca_bundle_setting(str(configured)) == str(configured)


def test_missing_ca_bundle_names_the_source(tmp_path, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigError, match="REQUESTS_CA_BUNDLE"):
        Transport(TransportSettings())


def test_system_trust_store_without_truststore(monkeypatch):
    monkeypatch.setitem(sys.modules, "truststore", None)
    with pytest.raises(MissingDependencyError) as caught:
        Transport(TransportSettings(use_system_trust_store=True))
    assert caught.value.hint == "pip install truststore"


def test_system_trust_store_with_truststore(monkeypatch):
    import types

    made = []
    module = types.ModuleType("truststore")
    module.SSLContext = lambda protocol: made.append(ssl.SSLContext(protocol)) or made[-1]
    monkeypatch.setitem(sys.modules, "truststore", module)
    transport = Transport(TransportSettings(use_system_trust_store=True))
    adapter = transport.session.get_adapter("https://x.example.com")
    assert len(made) == 1 and adapter._ssl_context is made[0]
    # Every connection (direct or through a proxy) verifies with the system store's context.
    assert adapter.poolmanager.connection_pool_kw["ssl_context"] is made[0]
    assert adapter.proxy_manager_for("http://proxy.example.com:8080").connection_pool_kw["ssl_context"] is made[0]


URL = "https://res.services.ai.azure.com/models/chat/completions"


def wrapped(reason: Exception) -> requests.ConnectionError:
    return requests.ConnectionError(MaxRetryError(None, "/models", reason))


HOST = "res.services.ai.azure.com"
NETWORK_HINT = "check the endpoint URL and your network; behind a corporate proxy set HTTPS_PROXY (and NO_PROXY)"


@pytest.mark.parametrize("exc, error_type, message, hint", [
    (wrapped(NewConnectionError(None, "[Errno -2] Name or service not known")), BackendUnavailableError,
     f"cannot reach {HOST}", NETWORK_HINT),
    (requests.exceptions.SSLError(MaxRetryError(None, "/", ssl.SSLCertVerificationError(1, "certificate verify failed"))),
     BackendUnavailableError, f"TLS with {HOST} failed: certificate verify failed", "REQUESTS_CA_BUNDLE"),
    (requests.ConnectionError(MaxRetryError(None, "/", NewConnectionError(None, "refused")).with_traceback(None)),
     BackendUnavailableError, f"cannot reach {HOST}", NETWORK_HINT),
    (requests.ReadTimeout("read timed out"), BackendTimeoutError, f"{HOST} did not answer within 30 s",
     "raise timeout_seconds under [backend]"),
    (requests.ConnectTimeout("connect timed out"), BackendTimeoutError, f"{HOST} did not accept a connection within 30 s",
     "raise timeout_seconds under [backend]"),
    (requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer")), BackendUnavailableError,
     f"the connection to {HOST} was reset", NETWORK_HINT),
    (requests.ConnectionError(socket.gaierror(-2, "Name or service not known")), BackendUnavailableError,
     f"cannot resolve the host name {HOST}", NETWORK_HINT),
    (requests.ConnectionError(ConnectionRefusedError(111, "refused")), BackendUnavailableError,
     f"connection to {HOST} refused", "is the service running at that address?"),
    (requests.exceptions.ProxyError("proxy"), BackendUnavailableError,
     f"the proxy in HTTPS_PROXY (not set) did not connect to {HOST}", "check HTTPS_PROXY and NO_PROXY"),
])
def test_connection_errors_are_named(exc, error_type, message, hint):
    error = connection_error(exc, URL, 30)
    assert type(error) is error_type
    assert error.message == message
    assert hint in error.hint
    # --debug names the address and what failed underneath.
    assert error.debug.startswith(f"https://{HOST}/models/chat/completions: {type(exc).__name__}")


def test_tls_error_hints_at_ca_bundle():
    error = connection_error(requests.exceptions.SSLError("bad"), URL, 30)
    assert "REQUESTS_CA_BUNDLE" in error.hint and "use_system_trust_store" in error.hint


def test_netrc_credentials_never_replace_cmdais_own_header(tmp_path, monkeypatch, httpserver):
    # A ~/.netrc entry for the endpoint's host: requests would add Basic auth from it, over the bearer token.
    netrc = tmp_path / ".netrc"
    host = urlsplit(httpserver.url_for("/")).hostname
    netrc.write_text(f"machine {host} login someone password netrc-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(netrc))
    httpserver.expect_request("/chat").respond_with_json({"ok": True})
    transport = Transport(TransportSettings(max_retries=0))
    response = transport.request("POST", httpserver.url_for("/chat"), headers={"Authorization": "Bearer entra-token"},
                                 json={}, deadline=time.monotonic() + 10)
    assert response.status_code == 200
    sent = httpserver.log[0][0]
    assert sent.headers["Authorization"] == "Bearer entra-token"
    assert "netrc-password" not in str(sent.headers)
