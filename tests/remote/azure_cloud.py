"""A small Azure on loopback: real HTTPS under a private CA, reached through a CONNECT proxy that
sends every Azure host name to 127.0.0.1, so cmdai's host detection sees the real names.

The fake service knows the wire facts that matter: the v1, deployment, model-inference,
serverless and managed-online routes; keys; a reasoning deployment that refuses what the real
ones refuse with the service's exact 400 bodies; a model router; rate limits.
"""
from __future__ import annotations

import datetime
import json
import select
import socket
import socketserver
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

KEY = "k3y-0f-the-l00pback-cloud"
#: Wildcards cover one label, so serverless and managed hosts are named with their region.
HOST_NAMES = ("*.services.ai.azure.com", "*.openai.azure.com", "*.cognitiveservices.azure.com",
              "*.eastus2.models.ai.azure.com", "*.westeurope.inference.ml.azure.com")
#: Seconds a reasoning deployment takes at its default (medium) effort.
SLOW_REASONING_SECONDS = 3.0

MAX_TOKENS_REFUSED = {"error": {
    "message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"}}


def temperature_refused(value: Any) -> Dict[str, Any]:
    return {"error": {
        "message": f"Unsupported value: 'temperature' does not support {value} with this model. "
                   "Only the default (1) value is supported.",
        "type": "invalid_request_error", "param": "temperature", "code": "unsupported_value"}}


def effort_refused(value: str, model: str, supported: Tuple[str, ...]) -> Dict[str, Any]:
    listed = ", ".join(f"'{v}'" for v in supported[:-1]) + f", and '{supported[-1]}'"
    return {"error": {
        "message": f"Unsupported value: '{value}' is not supported with the '{model}' model. "
                   f"Supported values are: {listed}.",
        "type": "invalid_request_error", "param": "reasoning_effort", "code": "unsupported_value"}}


class Deployment(NamedTuple):
    """A deployment as the fake service serves it."""

    model: str  # what answers (the response's "model")
    reasoning: Tuple[str, ...] = ()  # efforts it accepts, lowest first; () for non-reasoning models


#: The deployments every fake resource has, by deployment name (names are the user's own).
DEPLOYMENTS = {
    "gpt-4o-mini": Deployment("gpt-4o-mini-2024-07-18"),
    "prod-chat": Deployment("gpt-5.1-2025-11-13", ("none", "low", "medium", "high")),
    "o4-mini": Deployment("o4-mini-2025-04-16", ("low", "medium", "high")),
    "router": Deployment("gpt-5-nano-2025-08-07", ()),
}


def completion(model: str, command: str = "ls -la") -> Dict[str, Any]:
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": json.dumps({"cmd": command, "explanation": "lists files"})}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 12, "total_tokens": 112}}


class Seen(NamedTuple):
    host: str
    method: str
    path: str
    query: Dict[str, List[str]]
    headers: Dict[str, str]
    body: Optional[Dict[str, Any]]


class FakeAzure:
    """What each host serves; ``seen`` lists every request in order."""

    def __init__(self) -> None:
        self.seen: List[Seen] = []
        #: host -> (status, body, headers) answered to every POST (outages, throttling).
        self.failing: Dict[str, Tuple[int, Dict[str, Any], Dict[str, str]]] = {}
        #: Hosts whose resource predates v1: /openai/v1 answers 404.
        self.without_v1 = {"old.services.ai.azure.com"}

    def posts(self, host: Optional[str] = None) -> List[Seen]:
        return [s for s in self.seen if s.method == "POST" and (host is None or s.host == host)]

    def handle(self, host: str, method: str, target: str, headers: Dict[str, str],
               body: Optional[Dict[str, Any]]) -> Tuple[int, Dict[str, Any], Dict[str, str], float]:
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        self.seen.append(Seen(host, method, parts.path, query, headers, body))
        path = parts.path
        if method == "GET" and path == "/":
            return 404, {"error": {"code": "404", "message": "Resource not found"}}, {}, 0
        if headers.get("api-key") != KEY and headers.get("authorization") != f"Bearer {KEY}":
            return 401, {"error": {"code": "401", "message": "Access denied due to invalid subscription key or "
                                   "wrong API endpoint."}}, {}, 0
        if host in self.failing and method == "POST":
            status, error, extra = self.failing[host]
            return status, error, extra, 0
        if path.startswith("/openai/v1/") and host in self.without_v1:
            return 404, {"error": {"code": "404", "message": "Resource not found"}}, {}, 0
        if method == "GET" and path == "/openai/v1/models":
            return 200, {"object": "list", "data": [{"id": name, "capabilities": {"chat_completion": True}}
                                                    for name in DEPLOYMENTS]}, {}, 0
        if method != "POST":
            return 404, {"error": {"code": "404", "message": "Resource not found"}}, {}, 0
        body = body or {}
        deployment_name: Optional[str]
        if path == "/openai/v1/chat/completions":
            if query.get("api-version", ["v1"])[0] not in ("v1", "preview"):
                return 400, {"error": {"code": "BadRequest", "message": "API version not supported"}}, {}, 0
            deployment_name = body.get("model")
        elif path.startswith("/openai/deployments/") and path.endswith("/chat/completions"):
            if "api-version" not in query:
                return 404, {"error": {"code": "404", "message": "Resource not found"}}, {}, 0
            deployment_name = path.split("/")[3]
        elif path == "/models/chat/completions" and host.endswith(".services.ai.azure.com"):
            if "api-version" not in query:
                return 404, {"error": {"code": "404", "message": "Resource not found"}}, {}, 0
            deployment_name = body.get("model")
        elif path == "/v1/chat/completions" and host.endswith((".models.ai.azure.com", ".inference.ml.azure.com")):
            # A serverless or managed endpoint serves one model, whatever the body says.
            deployment_name = "gpt-4o-mini"
        else:
            return 404, {"error": {"code": "404", "message": "Resource not found"}}, {}, 0
        deployment = DEPLOYMENTS.get(deployment_name or "")
        if deployment is None:
            return 404, {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource "
                                   "does not exist."}}, {}, 0
        delay = 0.0
        if deployment.reasoning:
            if "max_tokens" in body:
                return 400, MAX_TOKENS_REFUSED, {}, 0
            if "temperature" in body and body["temperature"] != 1:
                return 400, temperature_refused(body["temperature"]), {}, 0
            effort = body.get("reasoning_effort")
            if effort is not None and effort not in deployment.reasoning:
                return 400, effort_refused(effort, deployment.model.rsplit("-", 3)[0], deployment.reasoning), {}, 0
            if effort not in ("none", "minimal", "low"):
                delay = SLOW_REASONING_SECONDS  # the default, medium effort, thinks for a while
        headers_out = {"apim-request-id": "apim-0001", "x-ratelimit-remaining-tokens": "9800",
                       "x-ratelimit-remaining-requests": "99"}
        return 200, completion(deployment.model), headers_out, delay


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    azure: FakeAzure

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        host = (self.headers.get("host") or "").split(":")[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, payload, extra, delay = self.azure.handle(host, self.command, self.path, headers, body)
        if delay:
            time.sleep(delay)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _serve

    def log_message(self, *args: Any) -> None:
        pass


def make_certificates(directory: Path) -> Tuple[Path, Path, Path]:
    """A private CA and a server certificate for every Azure host pattern: (ca.pem, cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cmdai test root CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "azure.test")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name) for name in HOST_NAMES]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class _Tunnel(socketserver.BaseRequestHandler):
    """CONNECT host:443 -> the loopback HTTPS server, whatever the host (our stand-in for DNS)."""

    target: Tuple[str, int]
    hosts: List[str]

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
        if len(line) < 2 or line[0] != "CONNECT":
            self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
            return
        self.hosts.append(line[1])
        upstream = socket.create_connection(self.target)
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        sockets = [self.request, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is self.request else self.request).sendall(data)
        finally:
            upstream.close()


class LoopbackCloud:
    """The HTTPS server and the proxy; ``env`` points cmdai at them."""

    def __init__(self, directory: Path):
        self.azure = FakeAzure()
        self.ca, cert, key = make_certificates(directory)
        handler = type("Handler", (_Handler,), {"azure": self.azure})
        self.https = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.https.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        self.https.socket = context.wrap_socket(self.https.socket, server_side=True)
        self.proxy_hosts: List[str] = []
        tunnel = type("Tunnel", (_Tunnel,), {"target": self.https.server_address, "hosts": self.proxy_hosts})
        self.proxy = socketserver.ThreadingTCPServer(("127.0.0.1", 0), tunnel)
        self.proxy.daemon_threads = True
        self.threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in (self.https, self.proxy)]
        for thread in self.threads:
            thread.start()

    @property
    def env(self) -> Dict[str, str]:
        return {"HTTPS_PROXY": f"http://127.0.0.1:{self.proxy.server_address[1]}",
                "REQUESTS_CA_BUNDLE": str(self.ca), "NO_PROXY": ""}

    def close(self) -> None:
        for server in (self.proxy, self.https):
            server.shutdown()
            server.server_close()
