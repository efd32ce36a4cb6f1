"""The retry policy, deadline, TLS settings and connection-error wording of the shared transport."""
from __future__ import annotations

import socket
import ssl
import sys
import time

import pytest
import requests
from urllib3 import HTTPHeaderDict
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError

from cmdai.remote.transport import (DeadlineRetry, DeadlineTimeout, Transport, TransportSettings,
                                             ca_bundle_setting, connection_error)
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
    ({"x-ms-retry-after-ms": "40"}, 0.04),
    ({"retry-after": "7"}, 7),
    ({"retry-after": "soon"}, None),
    ({}, None),
])
def test_retry_after_headers(headers, expected):
    assert policy().get_retry_after(FakeResponse(429, headers)) == expected


def test_backoff_grows_with_jitter_below_the_plain_value():
    retry = policy()
    for _ in range(3):
        retry = retry.increment("POST", "/x", response=FakeResponse(503, {}))
    plain = 0.5 * 2 ** 2
    assert 0.75 * plain <= retry.get_backoff_time() <= plain


def test_a_wait_past_the_deadline_stops_retrying():
    retry = policy(deadline=time.monotonic() + 2)
    with pytest.raises(MaxRetryError):
        retry.increment("POST", "/x", response=FakeResponse(429, {"retry-after": "30"}))
    assert retry.increment("POST", "/x", response=FakeResponse(429, {"retry-after-ms": "10"})).deadline is not None


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
    with pytest.raises(MaxRetryError):
        retry.increment("POST", "/x", error=error)


def test_a_reset_connection_is_retried():
    retry = policy(deadline=time.monotonic() + 60)
    error = ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))
    assert retry.increment("POST", "/x", error=error).total == retry.total - 1


def test_new_keeps_the_deadline():
    assert policy(deadline=123.0).new(total=1).deadline == 123.0


def test_timeouts_shrink_to_the_deadline():
    timeout = DeadlineTimeout(connect=10, read=30, deadline=time.monotonic() + 2)
    assert timeout.read_timeout <= 2 and timeout.connect_timeout <= 2
    assert isinstance(timeout.clone(), DeadlineTimeout)


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

    module = types.ModuleType("truststore")
    module.SSLContext = lambda protocol: ssl.SSLContext(protocol)
    monkeypatch.setitem(sys.modules, "truststore", module)
    transport = Transport(TransportSettings(use_system_trust_store=True))
    assert transport.session.get_adapter("https://x.example.com")._ssl_context is not None


URL = "https://res.services.ai.azure.com/models/chat/completions"


def wrapped(reason: Exception) -> requests.ConnectionError:
    return requests.ConnectionError(MaxRetryError(None, "/models", reason))


@pytest.mark.parametrize("exc, error_type, words", [
    (wrapped(NewConnectionError(None, "[Errno -2] Name or service not known")), BackendUnavailableError, "reach"),
    (requests.exceptions.SSLError(MaxRetryError(None, "/", ssl.SSLCertVerificationError(1, "certificate verify failed"))),
     BackendUnavailableError, "TLS with res.services.ai.azure.com failed"),
    (requests.ConnectionError(MaxRetryError(None, "/", NewConnectionError(None, "refused")).with_traceback(None)),
     BackendUnavailableError, "cannot reach"),
    (requests.ReadTimeout("read timed out"), BackendTimeoutError, "did not answer within 30 s"),
    (requests.ConnectTimeout("connect timed out"), BackendTimeoutError, "accept a connection"),
    (requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer")), BackendUnavailableError, "reset"),
    (requests.ConnectionError(socket.gaierror(-2, "Name or service not known")), BackendUnavailableError, "resolve"),
    (requests.ConnectionError(ConnectionRefusedError(111, "refused")), BackendUnavailableError, "refused"),
    (requests.exceptions.ProxyError("proxy"), BackendUnavailableError, "proxy"),
])
def test_connection_errors_are_named(exc, error_type, words):
    error = connection_error(exc, URL, 30)
    assert type(error) is error_type
    assert words in error.message
    assert error.hint and error.debug


def test_tls_error_hints_at_ca_bundle():
    error = connection_error(requests.exceptions.SSLError("bad"), URL, 30)
    assert "REQUESTS_CA_BUNDLE" in error.hint and "use_system_trust_store" in error.hint
