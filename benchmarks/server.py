"""A tiny, fast HTTP/1.1 server answering ``GET /api/v1/credits`` with a fixed body.

Run in its own process (``python -m benchmarks.server``) so the client being measured never
shares a CPU or a GIL with it. Why it is written this way:

- A raw ``asyncio.Protocol`` and a prebuilt response: ``http.server`` costs more per request
  than httpx does, and would make the server the bottleneck the benchmark then measures.
- Keep-alive HTTP/1.1 with ``Content-Length``: the clients reuse one connection (per pool
  slot), as real SDK users do; reconnecting per call would measure the TCP handshake.
- Each response goes out in ONE ``transport.write`` with ``TCP_NODELAY`` set. Split writes
  with Nagle on meet the client's delayed ACK and every call takes ~40 ms, whoever the client is.
- It only listens on 127.0.0.1 and stops when its parent closes its stdin (or dies), on
  SIGTERM, or after ``--max-seconds``: a crashed benchmark never leaves it running.

Standard library only. ``ServerProcess`` starts and stops it from the benchmark runner.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
PATH = "/api/v1/credits"
BODY = b'{"data":{"total_credits":100.5,"total_usage":25.75}}'

OK_RESPONSE = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/json\r\n"
    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n"
    b"\r\n" + BODY
)
NOT_FOUND_RESPONSE = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found"
_OK_PREFIX = b"GET " + PATH.encode() + b" "
_MAX_PENDING = 64 * 1024  # a client sending headers this large without an end is not ours: drop it


class _FixedResponder(asyncio.Protocol):
    """Answers each complete request head with the fixed response; requests carry no body (GET)."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._pending = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # asyncio already sets this on TCP sockets; set it explicitly since the whole
            # benchmark is meaningless without it (see the module docstring).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        pending = self._pending + data
        replies = []
        # Bounded by the data received: each pass consumes one request head.
        while True:
            end = pending.find(b"\r\n\r\n")
            if end < 0:
                break
            head, pending = pending[:end], pending[end + 4 :]
            replies.append(OK_RESPONSE if head.startswith(_OK_PREFIX) else NOT_FOUND_RESPONSE)
        self._pending = pending
        if self._transport is None:
            return
        if replies:
            # One write per batch of requests (one per call without pipelining).
            self._transport.write(b"".join(replies))
        if len(pending) > _MAX_PENDING:
            self._transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


async def serve(port: int, max_seconds: float) -> None:
    """Serve until stdin closes, SIGTERM arrives or ``max_seconds`` pass; print the port first."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    # A large backlog: 200 concurrent clients connect at once in the concurrency benchmark.
    server = await loop.create_server(_FixedResponder, HOST, port, backlog=1024, reuse_address=True)
    bound = server.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)
    with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: the stdin watch still works
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    # The parent holds our stdin open; EOF means it finished or died. A daemon thread blocks
    # on it so the event loop itself never does.
    threading.Thread(target=_wait_for_eof, args=(loop, stop), daemon=True).start()
    try:
        await asyncio.wait_for(stop.wait(), timeout=max_seconds)
    except asyncio.TimeoutError:
        print("benchmark server: --max-seconds reached, stopping", file=sys.stderr)
    finally:
        server.close()
        await server.wait_closed()


def _wait_for_eof(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    with contextlib.suppress(OSError, ValueError):
        while sys.stdin.buffer.read(4096):
            pass
    with contextlib.suppress(RuntimeError):  # the loop already closed
        loop.call_soon_threadsafe(stop.set)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed as 'PORT n')")
    parser.add_argument("--cpu", type=int, default=None, help="pin the server to this CPU")
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop after this long regardless")
    args = parser.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(serve(args.port, args.max_seconds))
    return 0


class ServerProcess:
    """The server in a child process; a context manager that always stops it.

    Attributes:
        port: the port it listens on (127.0.0.1).
        url: the full URL of ``GET /credits``.
        base_url: the SDK's ``server_url``.
        pid: the child's process id.
    """

    def __init__(self, cpu: int | None = None, max_seconds: float = 3600.0, start_timeout: float = 15.0) -> None:
        self._cpu = cpu
        self._max_seconds = max_seconds
        self._start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/api/v1"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{PATH}"

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def cpu_seconds(self) -> float | None:
        """User + system CPU the server has used so far (Linux ``/proc``), else ``None``.

        Compared with the wall time of a benchmark phase, it shows the server was not the
        bottleneck (it should be far from 100% busy).
        """
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        # Fields 14 and 15 of proc(5) (utime, stime), counted after the ")" ending the name.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def start(self) -> ServerProcess:
        cmd = [sys.executable, "-m", "benchmarks.server", "--max-seconds", str(self._max_seconds)]
        if self._cpu is not None:
            cmd += ["--cpu", str(self._cpu)]
        repo_root = Path(__file__).resolve().parent.parent
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=repo_root)
        try:
            self.port = self._read_port()
        except BaseException:
            self.stop()
            raise
        return self

    def _read_port(self) -> int:
        assert self._proc is not None
        assert self._proc.stdout is not None
        # Wait for "PORT n" without blocking forever if the child hangs or dies.
        deadline = time.monotonic() + self._start_timeout
        line = b""
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            while not line.endswith(b"\n"):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    raise RuntimeError("the benchmark server did not start in time")
                chunk = os.read(self._proc.stdout.fileno(), 64)
                if not chunk:
                    raise RuntimeError(f"the benchmark server exited early (code {self._proc.poll()})")
                line += chunk
        text = line.decode().strip()
        if not text.startswith("PORT "):
            raise RuntimeError(f"unexpected output from the benchmark server: {text!r}")
        return int(text.split()[1])

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        # Closing stdin is the polite stop; escalate if it does not exit promptly.
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


if __name__ == "__main__":
    raise SystemExit(main())
