"""A hostile HTTP/1.1 server on 127.0.0.1, written on raw sockets so it can break every rule.

Each accepted connection runs a *script* (a function of one ``Conn``) in its own thread. The
server records every request it reads (method, path, headers, body, arrival time), so tests can
count what reached the wire. Everything is bounded: each script stops at its own time cap, or as
soon as the test leaves the ``with`` block (which sets ``stop``, closes the sockets and joins the
threads).

Scripts provided: plain answers (keep-alive), 503 storms, status lines and headers trickled a byte
at a time, endless ``100 Continue``, bodies trickled just under the read timeout, hangs, redirect
loops and layered compression bombs.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache

import attrs

CREDITS_JSON = json.dumps({"data": {"total_credits": 100.5, "total_usage": 25.75}}).encode()
CAP_S = 8.0  # no script runs longer than this, whatever the client does


@attrs.frozen
class Seen:
    """One request as the server read it."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    at: float  # time.monotonic() when its head was complete


class Conn:
    """One accepted connection, with the helpers a script needs."""

    def __init__(self, sock: socket.socket, server: RawServer) -> None:
        self.sock = sock
        self.server = server
        self.buffer = b""
        self.started = time.monotonic()

    @property
    def stopped(self) -> bool:
        return self.server.stop.is_set() or time.monotonic() - self.started > CAP_S

    def read_request(self) -> Seen | None:
        """Read one request (head and ``Content-Length`` body); ``None`` when the client closed."""
        self.sock.settimeout(0.05)
        while b"\r\n\r\n" not in self.buffer:
            if self.stopped or len(self.buffer) > 1 << 20:
                return None
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path = [*lines[0].split(" "), "", ""][:2]
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(self.buffer) < length and not self.stopped:
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            self.buffer += chunk
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        seen = Seen(method, path, headers, body, time.monotonic())
        self.server.record(seen)
        return seen

    def send(self, data: bytes) -> bool:
        """Send ``data``; ``False`` once the client has gone."""
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; ``False`` when the test is over (stop, or the time cap)."""
        if self.stopped:
            return False
        self.server.stop.wait(seconds)
        return not self.stopped

    def client_gone(self) -> bool:
        """Whether the client closed its end (without consuming request bytes it may send)."""
        try:
            self.sock.settimeout(0)
            data = self.sock.recv(1, socket.MSG_PEEK)
        except (TimeoutError, BlockingIOError):
            return False
        except OSError:
            return True
        return data == b""


Script = Callable[[Conn], None]


class RawServer:
    """Serve ``script`` on every connection; use as a context manager, which yields the server."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.stop = threading.Event()
        self.first_request = threading.Event()
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._workers: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def port(self) -> int:
        port: int = self._listener.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """The SDK's base URL on this server."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.seen)

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)
        self.first_request.set()

    def _accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._socks.append(sock)
            worker = threading.Thread(target=self._handle, args=(sock,), daemon=True)
            self._workers.append(worker)
            worker.start()

    def _handle(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self.script(Conn(sock, self))
        with contextlib.suppress(OSError):
            sock.close()

    def __enter__(self) -> RawServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._acceptor.join(timeout=5)
        for worker in list(self._workers):
            worker.join(timeout=5)
        with self._lock:
            for sock in self._socks:
                with contextlib.suppress(OSError):
                    sock.close()
        self._listener.close()


@contextlib.contextmanager
def serve(script: Script) -> Iterator[RawServer]:
    with RawServer(script) as server:
        yield server


# --- building answers ------------------------------------------------------------------------------


def response_bytes(
    status: int,
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
    *,
    content_type: str | None = "application/json",
) -> bytes:
    lines = [f"HTTP/1.1 {status} Whatever"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def error_json(status: int, message: str = "nope") -> bytes:
    return json.dumps({"error": {"code": status, "message": message}}).encode()


# --- scripts ----------------------------------------------------------------------------------------


def answer(
    status: int = 200,
    body: bytes = CREDITS_JSON,
    headers: Sequence[tuple[str, str]] = (),
    *,
    delay: float = 0.0,
    max_requests: int = 10_000,
) -> Script:
    """Answer every request on the connection alike (keep-alive), after ``delay`` seconds."""

    def script(conn: Conn) -> None:
        for _ in range(max_requests):
            if conn.read_request() is None:
                return
            if delay and not conn.wait(delay):
                return
            if not conn.send(response_bytes(status, body, headers)):
                return

    return script


def storm(headers: Sequence[tuple[str, str]] = (("Retry-After", "0"),), *, ok_after: int = 100) -> Script:
    """503 with ``headers`` (``Retry-After: 0`` by default) until ``ok_after`` requests, then 200.

    The 200 only bounds the test against a client that never stops retrying.
    """

    def script(conn: Conn) -> None:
        while True:
            if conn.read_request() is None:
                return
            if conn.server.count > ok_after:
                data = response_bytes(200, CREDITS_JSON)
            else:
                data = response_bytes(503, error_json(503, "overloaded"), headers)
            if not conn.send(data):
                return

    return script


def _drip(conn: Conn, data: bytes, interval: float) -> bool:
    sent = 0
    while sent < len(data):
        if not conn.send(data[sent : sent + 1]) or not conn.wait(interval):
            return False
        sent += 1
    return True


def trickle_head(interval: float = 0.04, cap: float = 5.0) -> Script:
    """Status line and headers one byte every ``interval`` seconds, for up to ``cap`` seconds.

    Each byte arrives well inside any read timeout; only a bound on the whole attempt stops it.
    """

    def script(conn: Conn) -> None:
        if conn.read_request() is None:
            return
        deadline = time.monotonic() + cap
        if not _drip(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", interval):
            return
        n = 0
        while time.monotonic() < deadline:
            n += 1
            if not _drip(conn, b"X-Pad-%d: y\r\n" % n, interval):
                return
        conn.send(b"Content-Length: %d\r\n\r\n" % len(CREDITS_JSON) + CREDITS_JSON)
        conn.wait(0.5)

    return script


def continue_flood(interval: float = 0.02, cap: float = 5.0) -> Script:
    """``HTTP/1.1 100 Continue`` over and over, for up to ``cap`` seconds, then a real answer."""

    def script(conn: Conn) -> None:
        if conn.read_request() is None:
            return
        deadline = time.monotonic() + cap
        while time.monotonic() < deadline:
            if not conn.send(b"HTTP/1.1 100 Continue\r\n\r\n") or not conn.wait(interval):
                return
        conn.send(response_bytes(200, CREDITS_JSON))
        conn.wait(0.5)

    return script


def trickle_body(interval: float, total_bytes: int = 40) -> Script:
    """Headers at once, then the body one byte every ``interval`` seconds (set just under the timeout)."""

    def script(conn: Conn) -> None:
        if conn.read_request() is None:
            return
        body = b" " * (total_bytes - len(CREDITS_JSON)) + CREDITS_JSON
        head = response_bytes(200, body)[: -len(body)]
        if not conn.send(head):
            return
        _drip(conn, body, interval)
        conn.wait(0.5)

    return script


def hang(cap: float = 4.0) -> Script:
    """Read the request, then say nothing until the test ends or ``cap`` passes (then close)."""

    def script(conn: Conn) -> None:
        if conn.read_request() is None:
            return
        deadline = time.monotonic() + cap
        while time.monotonic() < deadline and conn.wait(0.02):
            if conn.client_gone():
                return

    return script


def first_answers_then_hangs(delay: float, cap: float = 4.0) -> Script:
    """The first request on a connection is answered after ``delay``; the next ones hang."""

    def script(conn: Conn) -> None:
        if conn.read_request() is None:
            return
        if not conn.wait(delay) or not conn.send(response_bytes(200, CREDITS_JSON)):
            return
        deadline = time.monotonic() + cap
        while conn.read_request() is not None:
            while time.monotonic() < deadline and conn.wait(0.02):
                if conn.client_gone():
                    return
            return

    return script


def redirect_loop(status: int = 307) -> Script:
    """Every request is redirected to the very same URL (a loop), keep-alive."""

    def script(conn: Conn) -> None:
        while True:
            seen = conn.read_request()
            if seen is None:
                return
            location = f"http://127.0.0.1:{conn.server.port}{seen.path}"
            if not conn.send(response_bytes(status, b"", [("Location", location)], content_type=None)):
                return

    return script


# --- compression bombs ------------------------------------------------------------------------------


@cache
def _deflate_zeros(size: int, wbits: int) -> bytes:
    """``size`` zero bytes compressed (``wbits`` 31 = gzip, 15 = zlib), built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


def _layer(data: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(data, 9, mtime=0)
    if coding == "deflate":
        return zlib.compress(data, 9)
    raise ValueError(coding)


@cache
def bomb(encoding: str, decoded_mib: int = 256) -> bytes:
    """A body for ``Content-Encoding: encoding`` that decodes to ``decoded_mib`` MiB of zeros.

    Codings are listed in the order they were applied, as in the header: the first one is the
    innermost layer.
    """
    codings = [c.strip() for c in encoding.split(",")]
    data = _deflate_zeros(decoded_mib << 20, 31 if codings[0] == "gzip" else 15)
    for coding in codings[1:]:
        data = _layer(data, coding)
    return data


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 whose port nothing listens on (connections are refused)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/api/v1"
