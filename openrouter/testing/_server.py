"""The fake as a real HTTP/1.1 server on 127.0.0.1: standard library only, one thread per connection.

Every wait is bounded: idle keep-alive connections time out, delays and hangs end at the fake's
``hang_limit`` or at shutdown, and ``stop()`` wakes every connection thread and joins it.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.server
import logging
import math
import socket
import socketserver
import struct
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from openrouter.testing._fake import FakeAPI
from openrouter.testing._requests import RecordedRequest
from openrouter.testing._responses import FakeResponse
from openrouter.testing._wire import Fault, Reply, reason_phrase

__all__ = ["HOST", "FakeServer"]

HOST = "127.0.0.1"  # never another interface: the fake is for tests on this machine
MAX_BODY_BYTES = 128 * 1024 * 1024  # the API takes files up to 100 MB; the fake keeps what it records
IDLE_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 5.0

logger = logging.getLogger("openrouter.testing")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, with a Content-Length on every response
    disable_nagle_algorithm = True  # each response is one sendall; do not hold it back
    timeout = IDLE_TIMEOUT_S
    server: _TCPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stdlib's per-request stderr line; ``on_request`` reports instead."""

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        path, _, query = self.path.partition("?")
        request = RecordedRequest(
            method=self.command,
            path=path,
            query=query,
            body=body,
            raw_headers=tuple((name.lower(), value) for name, value in self.headers.items()),
        )
        outcome = self._deliver(self.server.fake.handle(request))
        report = self.server.on_request
        if report is not None:
            report(f"{self.command} {self.path} -> {outcome}")

    # The names http.server looks up; every method goes through the fake, which answers 405 where the API would.
    do_GET = do_HEAD = do_OPTIONS = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` after answering a request the fake cannot read."""
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        raw = self.headers.get("content-length", "0").strip() or "0"
        if not raw.isdigit():
            self._send(FakeResponse.error(400, "Invalid Content-Length").reply(), close=True)
            return None
        length = int(raw)
        if length > MAX_BODY_BYTES:
            self._send(FakeResponse.error(413).reply(), close=True)  # unread body left: the connection must go
            return None
        body = self.rfile.read(length)
        if len(body) < length:  # the client went away mid-request
            self.close_connection = True
            return None
        return body

    def _read_chunked(self) -> bytes | None:
        """A ``Transfer-Encoding: chunked`` body (trailers skipped), or ``None`` after refusing it."""
        body = bytearray()
        for _ in range(MAX_BODY_BYTES):  # bounded: every chunk but the last holds at least one byte
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                self._send(FakeResponse.error(400, "Invalid chunked body").reply(), close=True)
                return None
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers, up to the blank line
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                self._send(FakeResponse.error(413).reply(), close=True)
                return None
            chunk = self.rfile.read(size + 2)  # the data and its CRLF
            if len(chunk) < size + 2:  # the client went away mid-request
                self.close_connection = True
                return None
            body += chunk[:size]
        return None  # pragma: no cover - unreachable: the size check ends the loop first

    def _wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` (at most the fake's ``hang_limit``); ``False`` when the connection must end."""
        stopping = self.server.stopping.wait(min(seconds, self.server.fake.hang_limit))
        return not stopping and seconds <= self.server.fake.hang_limit

    def _deliver(self, reply: Reply) -> str:
        """Answer (or misbehave) as scripted; returns what happened, for the request log."""
        delay = math.inf if reply.fault is Fault.HANG else reply.delay
        if delay > 0 and not self._wait(delay):
            self.close_connection = True
            return "closed unanswered (hang ended)" if reply.fault is Fault.HANG else "closed unanswered (delay)"
        if reply.fault is Fault.DROP:
            self.close_connection = True
            return "dropped"
        if reply.fault is Fault.RESET:
            # Linger 0 makes the close send a TCP RST instead of a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return "reset"
        complete = self._send(reply, close=self.close_connection or self.server.stopping.is_set() or reply.cut)
        return str(reply.status) if complete else f"{reply.status}, dropped mid-body"

    def _send(self, reply: Reply, *, close: bool) -> bool:
        """Send the answer; ``False`` when its body was cut short (scripted, or the server stopping)."""
        lines = [
            f"HTTP/1.1 {reply.status} {reason_phrase(reply.status)}",
            f"Date: {email.utils.formatdate(usegmt=True)}",
        ]
        lines += [f"{name}: {value}" for name, value in reply.headers]
        chunked = reply.pieces is not None and reply.length is None
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        if close:
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if self.command == "HEAD":  # the length is announced, the body never sent
            self.connection.sendall(head)
            return True
        if reply.pieces is None:
            self.connection.sendall(head + reply.body)
            return not reply.cut
        self.connection.sendall(head)
        for piece in reply.pieces():
            if isinstance(piece, float):
                if not self._wait(piece):
                    self.close_connection = True
                    return False
            elif piece:
                self.connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if reply.cut:
            self.close_connection = True
            return False
        if chunked:
            self.connection.sendall(b"0\r\n\r\n")
        return True


class _TCPServer(socketserver.TCPServer):
    allow_reuse_address = True  # a fixed --port can be reused right after a restart
    # socketserver's default listen backlog is 5: a burst of concurrent clients would overflow it
    # and sit in SYN retransmits (seconds each), which looks like a slow server.
    request_queue_size = 1024

    def __init__(self, fake: FakeAPI, port: int, on_request: Callable[[str], None] | None) -> None:
        super().__init__((HOST, port), _Handler)
        self.fake = fake
        self.on_request = on_request
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []

    def process_request(self, request: Any, client_address: Any) -> None:
        """Handle each connection in its own thread, tracked so ``stop()`` can end and join it."""
        thread = threading.Thread(
            target=self._process, args=(request, client_address), name="openrouter-fake-connection", daemon=True
        )
        with self._lock:
            if self.stopping.is_set():
                self.shutdown_request(request)
                return
            self._connections.add(request)
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _process(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except OSError:
            pass  # the client went away (reset, broken pipe): normal for a fault-injecting server
        except Exception:
            logger.exception("the fake OpenRouter server failed while answering %s", client_address)
        finally:
            self.shutdown_request(request)
            with self._lock:
                self._connections.discard(request)

    def stop_connections(self) -> list[threading.Thread]:
        """Release waiting answers and wake every connection blocked on a read; return the threads to join."""
        self.stopping.set()
        with self._lock:
            connections, threads = list(self._connections), list(self._threads)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its own thread
                connection.shutdown(socket.SHUT_RDWR)
        return threads


class FakeServer:
    """A running server for one fake; created by ``FakeOpenRouter.start()``."""

    def __init__(self, fake: FakeAPI, port: int, on_request: Callable[[str], None] | None) -> None:
        self._server = _TCPServer(fake, port, on_request)
        self.port: int = self._server.server_address[1]
        self.url = f"http://{HOST}:{self.port}/api/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="openrouter-fake-server",
            daemon=True,
        )

    def start(self) -> None:
        """Start accepting connections."""
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, end every connection and waiting answer, join all threads, close the socket."""
        if self._thread.is_alive():
            self._server.shutdown()
        threads = self._server.stop_connections()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._server.server_close()
        stuck = [thread for thread in threads if thread.is_alive()]
        if stuck:
            warnings.warn(
                f"{len(stuck)} fake OpenRouter connection threads did not stop within {STOP_TIMEOUT_S} s",
                RuntimeWarning,
                stacklevel=3,
            )
