"""A misbehaving HTTP server on loopback, written on raw sockets so that it can misbehave for real.

The first path segment names the fault: ``http://127.0.0.1:PORT/<mode>/v1/chat/completions``.
Each connection runs in its own daemon thread and ends when the client goes away, when the mode is
done, or when the server stops. Used by tests/faults and bench/bench_faults.py.
"""
from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from typing import Callable, Dict, List, Optional, Tuple

#: What every fault is allowed: the whole invocation within timeout_seconds + this, and this much memory.
WALL_SLACK_SECONDS = 0.5
MAX_RSS_MIB = 100

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
HOSTILE = OSC52 + "\x1b[2J\u202e\x9b31m\x07"

_TRICKLE_GAP = 0.02


def completion(content: str, finish: str = "stop") -> bytes:
    return json.dumps({"model": "m", "choices": [{"index": 0, "finish_reason": finish,
                                                  "message": {"role": "assistant", "content": content}}]}).encode()


_GOOD = completion(json.dumps({"cmd": "ls -la", "explanation": "lists files"}))


def _bomb_gzip() -> bytes:
    member = gzip.compress(b"\0" * (16 << 20), compresslevel=9)
    return member * 64  # 1 GiB once decoded, about 1 MB as sent


def _bomb_deflate() -> bytes:
    return zlib.compress(b"\0" * (256 << 20), 9)  # 256 MiB once decoded


_BOMBS: Dict[str, bytes] = {}


def _bomb(kind: str) -> bytes:
    if kind not in _BOMBS:
        _BOMBS[kind] = _bomb_gzip() if kind == "gzip" else _bomb_deflate()
    return _BOMBS[kind]


class Request:
    def __init__(self, method: str, path: str, headers: Dict[str, str], body: bytes):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body


def _read_request(conn: socket.socket) -> Optional[Request]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(method, path, headers, body)


def _response(status: str, body: bytes, headers: Tuple[Tuple[str, str], ...] = (),
              content_type: str = "application/json") -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
             "Connection: close", *(f"{k}: {v}" for k, v in headers)]
    # UTF-8 in a header: a client reads it as Latin-1, where some of its bytes are C1 controls.
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


class FaultServer:
    """Serves every mode in MODES on one loopback port; records the requests it read."""

    def __init__(self, tls: str = "stall") -> None:
        #: What a TLS client meets: "stall" (a handshake that never ends) or "plain" (an HTTP answer).
        self.tls = tls
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.requests: List[Request] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def url(self, mode: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{mode}"

    def start(self) -> "FaultServer":
        for kind in ("gzip", "deflate"):  # built now, not while a client waits
            _bomb(kind)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            first = conn.recv(1, socket.MSG_PEEK)
            if first and first[0] == 0x16:  # a TLS ClientHello: the https modes
                self._tls(conn)
                return
            request = _read_request(conn)
            if request is None:
                return
            self.requests.append(request)
            mode = request.path.strip("/").split("/", 1)[0].split("?", 1)[0]
            MODES.get(mode, _good)(self, conn, request)
        except (OSError, ValueError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def _tls(self, conn: socket.socket) -> None:
        # A ClientHello names no path, so the server's tls setting decides.
        conn.recv(65536)
        if self.tls == "plain":
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        conn.sendall(b"\x16\x03\x03\x40\x00")  # a handshake record of 16 KiB that never completes
        self.trickle(conn, b"\x02" * 100000)

    def trickle(self, conn: socket.socket, data: bytes, gap: float = _TRICKLE_GAP) -> None:
        for index in range(len(data)):
            if self.stopped.is_set():
                return
            conn.sendall(data[index:index + 1])
            time.sleep(gap)

    def flood(self, conn: socket.socket, block: bytes, chunked: bool = False) -> None:
        frame = (f"{len(block):x}\r\n".encode() + block + b"\r\n") if chunked else block
        deadline = time.monotonic() + 30
        while not self.stopped.is_set() and time.monotonic() < deadline:
            conn.sendall(frame)


Mode = Callable[[FaultServer, socket.socket, Request], None]


def _good(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(_response("200 OK", _GOOD))


def _silent(server: FaultServer, conn: socket.socket, request: Request) -> None:
    while not server.stopped.is_set() and conn.recv(1024):
        pass


def _headers_trickle(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    server.trickle(conn, b"X-Slow: " + b"a" * 100000)


def _body_trickle(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
    server.trickle(conn, b" " * 100000)


def _body_endless(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    server.flood(conn, b"a" * 65536, chunked=True)


def _body_huge_length(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n")
    server.flood(conn, b"a" * 65536)


def _header_flood(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    server.flood(conn, b"X-Flood: " + b"b" * 1000 + b"\r\n")


def _encoded(encoding: str, body: bytes) -> Mode:
    def mode(server: FaultServer, conn: socket.socket, request: Request) -> None:
        conn.sendall(_response("200 OK", body if encoding == "br" else _bomb(encoding),
                               (("Content-Encoding", encoding),)))
    return mode


def _truncated(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n" + _GOOD[:60])


def _answer(content: str, finish: str = "stop") -> Mode:
    def mode(server: FaultServer, conn: socket.socket, request: Request) -> None:
        conn.sendall(_response("200 OK", completion(content, finish)))
    return mode


def _lone_surrogate(server: FaultServer, conn: socket.socket, request: Request) -> None:
    # JSON may spell half a surrogate pair; Python decodes it into a str no encoder accepts.
    body = b'{"model": "m", "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", ' \
           b'"content": "{\\"cmd\\": \\"ls \\\\ud800 -la\\"}"}}]}'
    conn.sendall(_response("200 OK", body))


def _status(status: str, body: bytes, headers: Tuple[Tuple[str, str], ...] = ()) -> Mode:
    def mode(server: FaultServer, conn: socket.socket, request: Request) -> None:
        conn.sendall(_response(status, body, headers))
    return mode


def _models(server: FaultServer, conn: socket.socket, request: Request) -> None:
    if request.path.rstrip("/").endswith("/models"):
        body = json.dumps({"data": [{"id": f"gpt{HOSTILE}-evil"}, {"id": "plain-model", "status": HOSTILE}]})
        conn.sendall(_response("200 OK", body.encode()))
    else:
        _good(server, conn, request)


def _mi_redirect(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(_response("307 Temporary Redirect", b"", (("Location", f"http://127.0.0.1:{server.port}/stolen"),)))


def _mi_trickle(server: FaultServer, conn: socket.socket, request: Request) -> None:
    body = json.dumps({"access_token": "t" * 50, "expires_on": int(time.time()) + 3600}).encode()
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode())
    server.trickle(conn, body, gap=0.1)


def _deep_json(server: FaultServer, conn: socket.socket, request: Request) -> None:
    conn.sendall(_response("400 Bad Request", b"[" * 200000 + b"]" * 200000))


MODES: Dict[str, Mode] = {
    "good": _good,
    "silent": _silent,
    "headers-trickle": _headers_trickle,
    "body-trickle": _body_trickle,
    "body-endless": _body_endless,
    "body-huge-length": _body_huge_length,
    "header-flood": _header_flood,
    "gzip-bomb": _encoded("gzip", b""),
    "deflate-bomb": _encoded("deflate", b""),
    "brotli": _encoded("br", b"\x8b\x7f\xff" * 1000),
    "truncated-body": _truncated,
    "finish-length": _answer('{"cmd": "find . -name \'*.py', "length"),
    "truncated-json": _answer('{"cmd": "ls -la'),
    "unterminated-quote": _answer('{"cmd": "grep \\"foo file.txt"}'),
    "long-command": _answer(json.dumps({"cmd": "echo " + "a" * 20000})),
    "lone-surrogate": _lone_surrogate,
    "blocked": _answer(json.dumps({"cmd": "rm -rf / --no-preserve-root"})),
    "retry-after-inf": _status("429 Too Many Requests", b'{"error": {"code": "429", "message": "slow down"}}',
                               (("Retry-After", "inf"), ("retry-after-ms", "nan"))),
    "redirect-hostile": _status("307 Temporary Redirect", b"", (("Location", f"https://evil.example/{HOSTILE}x"),)),
    "error-hostile": _status("500 Internal Server Error",
                             json.dumps({"error": {"code": "boom", "message": f"broken {HOSTILE} here"}}).encode()),
    "filter-hostile": _status("400 Bad Request", json.dumps({"error": {
        "code": "content_filter", "message": "filtered", "innererror": {
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_result": {f"hate{HOSTILE}": {"filtered": True, "severity": f"high{OSC52}"}}}}}).encode()),
    "deep-json": _deep_json,
    "models-hostile": _models,
    "mi-redirect": _mi_redirect,
    "mi-trickle": _mi_trickle,
}
