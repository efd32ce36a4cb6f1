"""HTTP for every remote backend: one session, retries with back-off, one deadline, TLS and proxies.

Imported only when a remote backend actually sends a request, so the cached and offline paths
never pay for ``requests``.
"""
from __future__ import annotations

import os
import random
import socket
import ssl
import time
import zlib
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple, Union
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util import Retry, Timeout

from .. import __version__, deadline as invocation
from ..errors import BackendTimeoutError, BackendUnavailableError, CmdaiError, ConfigError, MissingDependencyError
from ..sanitize import hide_secrets, one_line
from .retry_after import retry_after_seconds

#: Statuses worth another attempt: the service says "later", not "never".
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Seconds an attempt needs at the least; a retry that cannot get this much is not started.
_MIN_ATTEMPT = 0.2
_CONNECT_TIMEOUT = 10.0
USER_AGENT = f"cmdai/{__version__} python-requests/{requests.__version__}"
#: The most a response body may hold, as sent and once decompressed; a chat answer is a few KiB.
MAX_BODY_BYTES = 1024 * 1024
_READ_CHUNK = 16 * 1024
#: The encodings asked for, and so the only ones decoded (each with a bound on its output).
ACCEPT_ENCODING = "gzip, deflate"

_TLS_HINT = ("if a corporate proxy inspects TLS, point REQUESTS_CA_BUNDLE (or ca_bundle under [backend]) "
             "at your organisation's CA bundle, or set use_system_trust_store = true; cmdai --doctor checks it")
_NETWORK_HINT = "check the endpoint URL and your network; behind a corporate proxy set HTTPS_PROXY (and NO_PROXY)"


class DeadlineRetry(Retry):
    """urllib3 Retry that reads Azure's ``retry-after-ms``, adds jitter, and keeps to a deadline.

    When the wait before the next attempt would end past the deadline, retrying stops: the last
    response (for example a 429) is returned, or the last connection error raised.
    """

    def __init__(self, *args: Any, deadline: Optional[float] = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def new(self, **kw: Any) -> "DeadlineRetry":
        retry = super().new(**kw)
        retry.deadline = self.deadline
        return retry

    def get_retry_after(self, response: Any) -> Optional[float]:
        # Azure's retry-after-ms as well as retry-after; a wait no one can honour is none (the deadline decides).
        return retry_after_seconds(response.headers)

    def get_backoff_time(self) -> float:
        # Jitter spreads the retries of many clients that failed at the same moment.
        return super().get_backoff_time() * (1.0 - 0.25 * random.random())

    def increment(self, method: Optional[str] = None, url: Optional[str] = None, response: Any = None,
                  error: Optional[Exception] = None, _pool: Any = None, _stacktrace: Any = None) -> "DeadlineRetry":
        if error is not None and _nobody_listening(error):
            # A refused connection or an unknown host will not change in a second; failing now
            # lets the offline engine answer the hotkey at once instead of after the back-off.
            raise MaxRetryError(_pool, url, error) from error
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if self.deadline is None:
            return retry
        wait = None
        if response is not None and self.respect_retry_after_header:
            wait = retry.get_retry_after(response)
        if wait is None:
            wait = retry.get_backoff_time()
        if time.monotonic() + wait + _MIN_ATTEMPT > self.deadline:
            if error is not None:
                raise MaxRetryError(_pool, url, error) from error
            raise MaxRetryError(_pool, url, ResponseError(f"a retry in {wait:.1f} s would pass the deadline"))
        return retry


def _nobody_listening(error: BaseException) -> bool:
    """Whether a connection error means the address is wrong or the service is down."""
    return any(isinstance(cause, ConnectionRefusedError) or type(cause).__name__ == "NameResolutionError"
               or isinstance(cause, socket.gaierror) for cause in _causes(error))


class DeadlineTimeout(Timeout):
    """Connect and read timeouts that never reach past one overall deadline."""

    def __init__(self, connect: float, read: float, deadline: float):
        super().__init__(connect=connect, read=read)
        self.deadline = deadline

    def clone(self) -> "DeadlineTimeout":
        # urllib3 clones the timeout for every attempt; keep the deadline across retries.
        return DeadlineTimeout(self._connect, self._read, self.deadline)

    def _capped(self, value: Any) -> Any:
        left = max(0.05, self.deadline - time.monotonic())
        return min(value, left) if isinstance(value, (int, float)) else left

    @property
    def connect_timeout(self) -> Any:
        return self._capped(super().connect_timeout)

    @property
    def read_timeout(self) -> Any:
        return self._capped(super().read_timeout)


class _ContextAdapter(HTTPAdapter):
    """An adapter whose connections use one given SSLContext (the OS trust store)."""

    def __init__(self, ssl_context: ssl.SSLContext, **kwargs: Any):
        self._ssl_context = ssl_context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(*args, **kwargs)


class TransportSettings(NamedTuple):
    """What shapes the HTTP layer; taken from ``[backend]``."""

    timeout_seconds: float = 30.0
    max_retries: int = 3
    ca_bundle: Optional[str] = None
    use_system_trust_store: bool = False

    @classmethod
    def from_config(cls, backend: Any) -> "TransportSettings":
        return cls(timeout_seconds=float(backend.timeout_seconds), max_retries=int(backend.max_retries),
                   ca_bundle=backend.ca_bundle, use_system_trust_store=bool(backend.use_system_trust_store))


def ca_bundle_setting(configured: Optional[str]) -> Union[str, bool]:
    """The CA bundle to verify against: ca_bundle, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE, else default."""
    for source, value in (("ca_bundle", configured),
                          ("REQUESTS_CA_BUNDLE", os.environ.get("REQUESTS_CA_BUNDLE")),
                          ("CURL_CA_BUNDLE", os.environ.get("CURL_CA_BUNDLE")),
                          ("SSL_CERT_FILE", os.environ.get("SSL_CERT_FILE"))):
        if value:
            path = os.path.expanduser(value)
            if not os.path.exists(path):
                raise ConfigError(f"{source} points to {path}, which does not exist",
                                  "set it to your organisation's CA bundle (a PEM file), or unset it")
            return path
    return True


def system_trust_context() -> ssl.SSLContext:
    """An SSLContext that verifies with the operating system's certificate store."""
    try:
        import truststore
    except ImportError:
        raise MissingDependencyError("use_system_trust_store needs the truststore package",
                                     "pip install truststore") from None
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _headers_as_given(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


class Transport:
    """A requests session with cmdai's retry, deadline and TLS policy."""

    def __init__(self, settings: TransportSettings):
        self.settings = settings
        self.verify = ca_bundle_setting(settings.ca_bundle)
        if settings.use_system_trust_store:
            self._adapter: HTTPAdapter = _ContextAdapter(system_trust_context())
        else:
            self._adapter = HTTPAdapter()
        self.session = requests.Session()
        # cmdai sends its own api-key or Authorization header; requests would otherwise look up ~/.netrc
        # on every call and put its password for the host in an Authorization header over a bearer token.
        self.session.auth = _headers_as_given
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept-Encoding"] = ACCEPT_ENCODING
        self.session.mount("https://", self._adapter)
        self.session.mount("http://", self._adapter)

    def deadline(self) -> float:
        """The invocation's deadline (or ``timeout_seconds`` from now), on the monotonic clock."""
        return invocation.deadline_for(self.settings.timeout_seconds)

    def retry_policy(self, deadline: Optional[float], retries: Optional[int] = None) -> DeadlineRetry:
        count = self.settings.max_retries if retries is None else retries
        return DeadlineRetry(
            total=count, connect=count, read=count, status=count, redirect=0,
            allowed_methods=frozenset({"GET", "POST"}),  # POST must be named; urllib3 leaves it out
            status_forcelist=RETRY_STATUSES, backoff_factor=0.5,
            raise_on_status=False, raise_on_redirect=False, respect_retry_after_header=True,
            deadline=deadline,
        )

    def request(self, method: str, url: str, *, headers: Dict[str, str], json: Any = None,
                deadline: float, retries: Optional[int] = None) -> requests.Response:
        """Send one request with retries and read its body; every attempt, wait and byte ends by ``deadline``.

        The body is read here, within MAX_BODY_BYTES raw and decoded. Raises BackendUnavailableError
        (or BackendTimeoutError) for connection-class failures.
        """
        deadline = min(deadline, invocation.current() or deadline)  # no call outlives the run
        self._adapter.max_retries = self.retry_policy(deadline, retries)
        left = deadline - time.monotonic()
        timeout_seconds = self.settings.timeout_seconds
        if left <= 0:
            raise deadline_error(url, timeout_seconds)
        timeout = DeadlineTimeout(connect=min(_CONNECT_TIMEOUT, left), read=left, deadline=deadline)
        phase = ["answer"]
        try:
            with invocation.enforced(deadline, lambda: deadline_error(url, timeout_seconds, phase[0])):
                # Redirects are not followed: the api-key header would go wherever one points.
                response = self.session.request(method, url, headers=headers, json=json, timeout=timeout,
                                                verify=self.verify, allow_redirects=False, stream=True)
                phase[0] = "finish sending its answer"
                read_body(response, url, timeout_seconds)
                return response
        except requests.RequestException as exc:
            raise self._failure(exc, url) from None

    def _failure(self, exc: BaseException, url: str) -> CmdaiError:
        if isinstance(self.verify, str) and any(isinstance(c, ssl.SSLError) for c in _causes(exc)):
            invalid = invalid_ca_bundle(self.verify, self.settings.ca_bundle)
            if invalid is not None:
                return invalid
        return connection_error(exc, url, self.settings.timeout_seconds)


def deadline_error(url: str, timeout_seconds: float, doing: str = "answer") -> BackendTimeoutError:
    """The one line for a deadline that passed while waiting on ``url``."""
    host = urlsplit(url).hostname or url
    return BackendTimeoutError(f"{host} did not {doing} within {timeout_seconds:g} s",
                               "try again, or raise timeout_seconds under [backend]; " + _NETWORK_HINT)


class _BoundedDecoder:
    """Undo one Content-Encoding, never producing more than ``limit`` bytes in all."""

    def __init__(self, encoding: str, limit: int):
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        # gzip: gzip header; deflate: zlib stream, or (from some servers) a raw deflate stream.
        self._wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> bytes:
        out = []
        while data:
            try:
                chunk = self._zlib.decompress(data, self.limit - self.produced + 1)
            except zlib.error:
                if self._started or self._wbits != zlib.MAX_WBITS:
                    raise
                self._wbits = -zlib.MAX_WBITS
                self._zlib = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            self.produced += len(chunk)
            if self.produced > self.limit:
                raise _TooLarge()
            out.append(chunk)
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                # Another gzip member may follow the first.
                data = self._zlib.unused_data
                if data and self.encoding in ("gzip", "x-gzip"):
                    self._zlib = zlib.decompressobj(self._wbits)
                else:
                    break
        return b"".join(out)


class _TooLarge(Exception):
    pass


def _decoders(response: requests.Response) -> List[Callable[[bytes], bytes]]:
    """One bounded decoder per Content-Encoding, outermost first; an encoding not asked for is refused."""
    names = [n.strip().lower() for n in response.headers.get("content-encoding", "").split(",") if n.strip()]
    names = [n for n in names if n != "identity"]
    unknown = [n for n in names if n not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise _Refused(unknown[0])
    return [_BoundedDecoder(name, MAX_BODY_BYTES).feed for name in reversed(names)]


class _Refused(Exception):
    pass


def read_body(response: requests.Response, url: str, timeout_seconds: float) -> bytes:
    """Read the body of a streamed response into ``response.content``, within MAX_BODY_BYTES raw and decoded.

    Decompression happens chunk by chunk with a bound on its output, so a compression bomb stops
    after a megabyte, not after it filled the memory.
    """
    from urllib3.exceptions import HTTPError as Urllib3Error

    host = urlsplit(url).hostname or url
    received = 0
    parts: List[bytes] = []
    size = 0
    try:
        decoders = _decoders(response)
        while True:
            data = response.raw.read(_READ_CHUNK, decode_content=False)
            if not data:
                break
            received += len(data)
            if received > MAX_BODY_BYTES:
                raise _TooLarge()
            for decode in decoders:
                data = decode(data)
            size += len(data)
            if size > MAX_BODY_BYTES:
                raise _TooLarge()
            parts.append(data)
    except _TooLarge:
        response.close()
        raise BackendUnavailableError(
            f"the answer from {host} is larger than {MAX_BODY_BYTES // 1024} KiB; cmdai stopped reading it",
            "check that the endpoint is a chat-completions API and not a proxy's error page or a download",
            debug=f"{url}: content-encoding {response.headers.get('content-encoding', 'none')}") from None
    except _Refused as refused:
        response.close()
        raise BackendUnavailableError(
            f"{host} answered in an encoding cmdai did not ask for ({hide_secrets(str(refused))[:40]})",
            "check the endpoint, or a proxy between you and it that rewrites answers") from None
    except zlib.error as exc:
        response.close()
        raise BackendUnavailableError(f"the compressed answer from {host} is corrupt",
                                      "try again; if it persists, check a proxy that rewrites answers",
                                      debug=str(exc)) from None
    except (Urllib3Error, OSError) as exc:
        response.close()
        raise read_error(exc, url, timeout_seconds, received) from None
    body = b"".join(parts)
    response._content = body  # what .json() and .text read
    response._content_consumed = True
    response.close()
    return body


def read_error(exc: BaseException, url: str, timeout_seconds: float, received: int) -> CmdaiError:
    """A failure while the body arrived: cut off, reset, or too slow."""
    from http.client import IncompleteRead

    host = urlsplit(url).hostname or url
    incomplete = next((c for c in _causes(exc) if isinstance(c, IncompleteRead)), None)
    if incomplete is not None or "IncompleteRead" in str(exc) or "Connection broken" in str(exc):
        expected = getattr(incomplete, "expected", None)
        of = f" ({received} bytes received, {expected} more expected)" if expected else ""
        return BackendUnavailableError(f"the answer from {host} was cut off: the connection closed before "
                                       f"the whole body arrived{of}", "try again; " + _NETWORK_HINT,
                                       debug=f"{type(exc).__name__}: {exc}")
    return connection_error(exc, url, timeout_seconds)


def invalid_ca_bundle(path: str, configured: Optional[str]) -> Optional[ConfigError]:
    """A ConfigError when the CA bundle in use cannot be loaded (not PEM, no certificates), else None."""
    try:
        ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError, ValueError) as exc:
        source = next((name for name, value in (("ca_bundle", configured),
                                                ("REQUESTS_CA_BUNDLE", os.environ.get("REQUESTS_CA_BUNDLE")),
                                                ("CURL_CA_BUNDLE", os.environ.get("CURL_CA_BUNDLE")),
                                                ("SSL_CERT_FILE", os.environ.get("SSL_CERT_FILE")))
                       if value and os.path.expanduser(value) == path), "the configuration")
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or "no certificates found"
        return ConfigError(f"the CA bundle {path} (from {source}) is invalid: {str(reason).lower().replace('_', ' ')}",
                           "point it at a PEM file holding your organisation's CA certificates, or unset it")
    return None


def proxy_variable(url: str) -> Optional[Tuple[str, str]]:
    """The environment variable (and its value) that sends ``url`` through a proxy, if one does."""
    scheme = urlsplit(url).scheme or "https"
    for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY", "all_proxy", "ALL_PROXY"):
        value = os.environ.get(name)
        if value:
            return name, value
    return None


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps: args, .reason, __cause__ and __context__."""
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for inner in (getattr(current, "reason", None), current.__cause__, current.__context__,
                      *[a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]):
            if isinstance(inner, BaseException):
                stack.append(inner)


def connection_error(exc: BaseException, url: str, timeout_seconds: float) -> CmdaiError:
    """Name a connection-class failure in words a user can act on."""
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ProxyError, ReadTimeoutError

    parts = urlsplit(url)
    host = parts.hostname or url
    where = f"{host}:{parts.port}" if parts.port else host
    causes = list(_causes(exc))
    debug = f"{parts.scheme}://{where}{parts.path}: {type(exc).__name__}: {exc}"

    def has(*types: type) -> Optional[BaseException]:
        return next((c for c in causes if isinstance(c, types)), None)

    proxy = proxy_variable(url)
    proxy_name, proxy_url = proxy if proxy else ("HTTPS_PROXY", "")
    shown_proxy = hide_secrets(proxy_url)
    if isinstance(exc, requests.exceptions.InvalidSchema) and "socks" in str(exc).lower():
        return MissingDependencyError(
            f"the proxy in {proxy_name} ({shown_proxy}) is a SOCKS proxy, which needs the PySocks package",
            "install it next to cmdai: pip install 'requests[socks]' (with pipx: pipx inject cmdai pysocks)")
    if isinstance(exc, (requests.exceptions.InvalidProxyURL, requests.exceptions.InvalidURL)) and proxy:
        return ConfigError(f"the proxy URL in {proxy_name} is not valid: {shown_proxy}",
                           f"set {proxy_name} like http://proxy.example.com:8080, or unset it")
    ssl_error = has(ssl.SSLError, requests.exceptions.SSLError)
    if ssl_error is not None:
        verify = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
        reason = (getattr(verify, "verify_message", None)
                  or next((str(c.reason).lower().replace("_", " ") for c in causes
                           if isinstance(c, ssl.SSLError) and getattr(c, "reason", None)), None)
                  or ("certificate verify failed" if verify is not None else "handshake failed"))
        return BackendUnavailableError(f"TLS with {host} failed: {reason}", _TLS_HINT, debug=debug)
    if has(requests.exceptions.ProxyError, ProxyError) is not None:
        return BackendUnavailableError(f"the proxy in {proxy_name} ({shown_proxy or 'not set'}) did not connect "
                                       f"to {host}", f"check {proxy_name} and NO_PROXY, or unset {proxy_name}",
                                       debug=hide_secrets(debug))
    if has(socket.gaierror) is not None or any(type(c).__name__ == "NameResolutionError" for c in causes):
        return BackendUnavailableError(f"cannot resolve the host name {host}", _NETWORK_HINT, debug=debug)
    if has(ConnectionRefusedError) is not None:
        return BackendUnavailableError(f"connection to {where} refused",
                                       "is the service running at that address? " + _NETWORK_HINT, debug=debug)
    read_timeout = has(requests.exceptions.ReadTimeout, ReadTimeoutError, socket.timeout)
    connect_timeout = has(requests.exceptions.ConnectTimeout, ConnectTimeoutError)
    if read_timeout is not None or (connect_timeout is not None and not isinstance(connect_timeout, NewConnectionError)):
        doing = "answer" if read_timeout is not None else "accept a connection"
        return BackendTimeoutError(f"{host} did not {doing} within {timeout_seconds:g} s",
                                   "try again, or raise timeout_seconds under [backend]; " + _NETWORK_HINT,
                                   debug=debug)
    if has(ConnectionResetError, ConnectionAbortedError, BrokenPipeError) is not None:
        return BackendUnavailableError(f"the connection to {where} was reset", _NETWORK_HINT, debug=debug)
    from http.client import HTTPException

    malformed = has(HTTPException)
    if malformed is not None:
        # Too many or too long header lines, a garbled status line: not an HTTP answer cmdai can read.
        reason = one_line(str(malformed) or type(malformed).__name__, 80)
        return BackendUnavailableError(f"{host} sent an answer that is not valid HTTP ({reason})",
                                       "check the endpoint URL, or a proxy between you and it", debug=debug)
    return BackendUnavailableError(f"cannot reach {where}", _NETWORK_HINT, debug=debug)
