"""A tiny, fast HTTP/1.1 server for the benchmarks, answering the few routes they call.

Run in its own process (``python -m benchmarks.server``) so the client being measured never
shares a CPU or a GIL with it. Routes (everything else is a 404):

- ``GET /api/v1/credits``: a fixed 53-byte JSON body.
- ``POST /api/v1/chat/completions``: a fixed ~2 KB ``ChatResult`` (``CHAT_BODY``); with
  ``"stream": true`` in the request, a server-sent event stream of ``max_tokens`` chat chunks
  (``chat.completion.chunk``, one token each), a final chunk with the finish reason and usage,
  and ``data: [DONE]``, each event its own HTTP chunk (chunked transfer encoding, as OpenRouter
  sends it), preceded by one ``: OPENROUTER PROCESSING`` comment.
- ``GET /api/v1/files/{id}/content``: ``--download-bytes`` of ``application/octet-stream``.
- ``POST /api/v1/files``: reads a (multipart) body of any size, chunked or with
  ``Content-Length``, without keeping it, and answers a ``FileResponse`` whose ``size_bytes`` is
  the number of body bytes received (so a client can check the whole upload arrived).

Why it is written this way:

- A raw ``asyncio.Protocol`` and prebuilt responses: ``http.server`` costs more per request than
  httpx does, and would make the server the bottleneck the benchmark then measures.
- Keep-alive HTTP/1.1: the clients reuse one connection (per pool slot), as real SDK users do;
  reconnecting per call would measure the TCP handshake.
- Small responses go out in ONE ``transport.write`` with ``TCP_NODELAY`` set. Split writes
  with Nagle on meet the client's delayed ACK and every call takes ~40 ms, whoever the client is.
  Large ones (streams, downloads) are written a slice at a time under the transport's flow
  control, so the server never holds more than a few MiB in its send buffer.
- It only listens on 127.0.0.1 and stops when its parent closes its stdin (or dies), on
  SIGTERM, or after ``--max-seconds``: a crashed benchmark never leaves it running.

Standard library only. ``ServerProcess`` starts and stops it from the benchmark runner.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"
PREFIX = "/api/v1"
PATH = PREFIX + "/credits"
CHAT_PATH = PREFIX + "/chat/completions"
FILES_PATH = PREFIX + "/files"
BODY = b'{"data":{"total_credits":100.5,"total_usage":25.75}}'
DEFAULT_DOWNLOAD_BYTES = 64 * 1024 * 1024
DEFAULT_STREAM_EVENTS = 5000

# --- the chat completion -------------------------------------------------------------------------
#
# A realistic answer of OpenRouter's (the shape of the document's ChatResult example, grown to what
# a real completion carries: a paragraph of content, the provider, usage with its details and
# cost). ``provider`` and ``native_finish_reason`` are fields the API sends that the document does
# not list: decoding must ignore them, as it must any newer field.
CHAT_CONTENT = (
    "The capital of France is Paris. It sits on the Seine in the north of the country and has been the seat "
    "of French government for most of the last thousand years. With about 2.1 million people in the city "
    "proper and more than 12 million in the metropolitan area, it is one of the largest urban areas in "
    "Europe. Paris is known for its museums (the Louvre holds the Mona Lisa), its architecture (Notre-Dame, "
    "the Eiffel Tower, the Arc de Triomphe), its cafes and its cuisine, and it is a global centre of finance,"
    " diplomacy, fashion and the arts. The city is divided into twenty arrondissements, numbered in a spiral "
    "from the centre outwards, and is served by one of the densest metro networks in the world. If you are "
    "planning a visit, spring and early autumn are usually the most pleasant seasons: the weather is mild and"
    " the queues at the main sights are shorter than in July and August. A museum pass saves time at the "
    "busiest sights, and most museums close on Mondays or Tuesdays, so check before you go. The Paris Museum "
    "Pass covers more than fifty of them, and public transport passes are sold by the day or the week. Would "
    "you like suggestions for an itinerary, or details about a particular neighbourhood?"
)
CHAT_RESULT = {
    "id": "gen-1732501234-8fQm2ZkVbXyTnWcRdLpA",
    "provider": "OpenAI",
    "model": "openai/gpt-4o",
    "object": "chat.completion",
    "created": 1732501234,
    "choices": [
        {
            "logprobs": None,
            "finish_reason": "stop",
            "native_finish_reason": "stop",
            "index": 0,
            "message": {
                "role": "assistant",
                "content": CHAT_CONTENT,
                "refusal": None,
                "reasoning": None,
            },
        }
    ],
    "system_fingerprint": "fp_44709d6fcb",
    "service_tier": "default",
    "usage": {
        "prompt_tokens": 26,
        "completion_tokens": 231,
        "total_tokens": 257,
        "cost": 0.002375,
        "is_byok": False,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "cost_details": {
            "upstream_inference_cost": None,
            "upstream_inference_prompt_cost": 0.000065,
            "upstream_inference_completions_cost": 0.00231,
        },
        "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
    },
}
CHAT_BODY = json.dumps(CHAT_RESULT, separators=(",", ":")).encode()


def _response(status: str, content_type: bytes, body: bytes, extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 " + status.encode() + b"\r\n"
        b"Content-Type: " + content_type + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n" + extra + b"\r\n" + body
    )


JSON = b"application/json"
OK_RESPONSE = _response("200 OK", JSON, BODY)
CHAT_RESPONSE = _response("200 OK", JSON, CHAT_BODY, b"X-Generation-Id: gen-1732501234-8fQm2ZkVbXyTnWcRdLpA\r\n")
NOT_FOUND_RESPONSE = _response("404 Not Found", b"text/plain", b"not found")
BAD_REQUEST_RESPONSE = _response("400 Bad Request", b"text/plain", b"bad request")

# --- the chat stream -----------------------------------------------------------------------------

STREAM_ID = "gen-1732501234-Sx7uQpR4mN2bVcLkJhGf"
STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: text/event-stream\r\n"
    b"Cache-Control: no-cache\r\n"
    b"X-Generation-Id: " + STREAM_ID.encode() + b"\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
)
# The tokens of the streamed answer, cycled: token i of every stream is TOKENS[i % len(TOKENS)].
TOKENS = [word + " " for word in CHAT_CONTENT.split(" ")]


def _chunk_event(delta: dict[str, object], finish: str | None = None, usage: dict[str, object] | None = None) -> bytes:
    chunk: dict[str, object] = {
        "id": STREAM_ID,
        "provider": "OpenAI",
        "model": "openai/gpt-4o",
        "object": "chat.completion.chunk",
        "created": 1732501234,
        "choices": [
            {"index": 0, "delta": delta, "finish_reason": finish, "native_finish_reason": finish, "logprobs": None}
        ],
    }
    if usage is not None:
        chunk["usage"] = usage
    return b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n"


def _http_chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def stream_events(n: int) -> int:
    """How many events a stream of ``max_tokens`` = ``n`` delivers before ``[DONE]`` (tokens + the final chunk)."""
    return n + 1


@functools.lru_cache(maxsize=8)
def stream_body(n: int) -> bytes:
    """The whole chunked body of an ``n``-token chat stream (built once per size, then reused)."""
    parts = [_http_chunk(b": OPENROUTER PROCESSING\n\n")]
    for i in range(n):
        delta: dict[str, object] = {"content": TOKENS[i % len(TOKENS)]}
        if i == 0:
            delta["role"] = "assistant"
        parts.append(_http_chunk(_chunk_event(delta)))
    usage = {"prompt_tokens": 26, "completion_tokens": n, "total_tokens": 26 + n, "cost": 0.00001 * n}
    parts.append(_http_chunk(_chunk_event({"content": ""}, "stop", usage)))
    parts.append(_http_chunk(b"data: [DONE]\n\n"))
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)


# --- files ---------------------------------------------------------------------------------------


def file_response(size: int) -> bytes:
    body = json.dumps(
        {
            "_shape": "openrouter",
            "id": "or_file_011CNha8iCJcU1wXNR6q4V8w",
            "type": "file",
            "filename": "bench.bin",
            "mime_type": "application/octet-stream",
            "size_bytes": size,
            "created_at": "2025-01-01T00:00:00Z",
            "downloadable": True,
        },
        separators=(",", ":"),
    ).encode()
    return _response("200 OK", JSON, body)


DOWNLOAD_PIECE = bytes(range(256)) * 4096  # 1 MiB
WRITE_SLICE = 256 * 1024


def download(size: int) -> Iterator[bytes]:
    yield (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="bench.bin"\r\n'
        b"Content-Length: " + str(size).encode() + b"\r\n\r\n"
    )
    left = size
    while left > 0:
        piece = DOWNLOAD_PIECE[: min(left, len(DOWNLOAD_PIECE))]
        yield piece
        left -= len(piece)


def _slices(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), WRITE_SLICE):
        yield bytes(view[start : start + WRITE_SLICE])


# --- the protocol --------------------------------------------------------------------------------

_MAX_HEAD = 64 * 1024  # a client sending headers this large without an end is not ours: drop it
_KEEP_BODY = 64 * 1024  # request bodies are kept up to this size (chat requests); larger ones only counted
_STREAM_FLAG = re.compile(rb'"stream"\s*:\s*true')
_MAX_TOKENS = re.compile(rb'"max_tokens"\s*:\s*(\d{1,7})\b')


class _Request:
    __slots__ = ("body", "chunked", "left", "method", "received", "target")

    def __init__(self, method: bytes, target: bytes, length: int, chunked: bool) -> None:
        self.method = method
        self.target = target
        self.left = length  # body bytes still to read (Content-Length), or of the current chunk
        self.chunked = chunked
        self.body: list[bytes] = []
        self.received = 0


class _Responder(asyncio.Protocol):
    """Parses keep-alive HTTP/1.1 requests (bodies by length or chunked) and answers each in turn."""

    def __init__(self, download_bytes: int) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        self._request: _Request | None = None
        self._download_bytes = download_bytes
        self._outgoing: Iterator[bytes] | None = None  # a large response still being written
        self._paused = False
        self._queued: list[_Request] = []  # requests that arrived while a large response was going out

    # asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # asyncio already sets this on TCP sockets; set it explicitly since the whole
            # benchmark is meaningless without it (see the module docstring).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport.set_write_buffer_limits(high=4 * 1024 * 1024)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        # Bounded by the data received: each pass consumes a head, a body piece or a chunk line.
        while self._buffer and self._transport is not None:
            progressed = self._step()
            if not progressed:
                break
        if self._request is None and len(self._buffer) > _MAX_HEAD and self._transport is not None:
            self._transport.close()

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._pump()

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        self._outgoing = None

    # parsing

    def _step(self) -> bool:
        request = self._request
        if request is None:
            return self._head()
        if request.chunked:
            return self._chunked(request)
        take = min(request.left, len(self._buffer))
        self._body(request, self._buffer[:take])
        self._buffer = self._buffer[take:]
        request.left -= take
        if request.left == 0:
            self._complete(request)
        return take > 0

    def _head(self) -> bool:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head, self._buffer = self._buffer[:end], self._buffer[end + 4 :]
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3:
            self._reply(BAD_REQUEST_RESPONSE)
            return True
        length, chunked = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length" and value.strip().isdigit():
                length = int(value.strip())
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        # left: body bytes still due; for a chunked body -1 means "the next chunk's size line is due".
        request = _Request(parts[0], parts[1], -1 if chunked else length, chunked)
        if not chunked and length == 0:
            self._complete(request)
        else:
            self._request = request
        return True

    def _chunked(self, request: _Request) -> bool:
        if request.left == -1:
            return self._chunk_size(request)
        if request.left == -2:  # after the last chunk: the (empty) trailer ends with CRLF
            end = self._buffer.find(b"\r\n")
            if end < 0:
                return False
            self._buffer = self._buffer[end + 2 :]
            if end == 0:
                self._complete(request)
            return True
        need = request.left + 2  # the chunk's data and its CRLF
        if len(self._buffer) >= need:
            self._body(request, self._buffer[: request.left])
            self._buffer = self._buffer[need:]
            request.left = -1
            return True
        take = min(request.left, len(self._buffer))
        self._body(request, self._buffer[:take])
        self._buffer = self._buffer[take:]
        request.left -= take
        return take > 0

    def _chunk_size(self, request: _Request) -> bool:
        end = self._buffer.find(b"\r\n")
        if end < 0:
            return False
        size_text = self._buffer[:end].split(b";")[0].strip()
        self._buffer = self._buffer[end + 2 :]
        try:
            size = int(size_text, 16)
        except ValueError:
            self._request = None
            self._reply(BAD_REQUEST_RESPONSE)
            return True
        request.left = size if size else -2  # -2: the last chunk; its trailer is due
        return True

    @staticmethod
    def _body(request: _Request, data: bytes) -> None:
        if request.received < _KEEP_BODY:
            request.body.append(data)
        request.received += len(data)

    def _complete(self, request: _Request) -> None:
        self._request = None
        if self._outgoing is not None:
            self._queued.append(request)
        else:
            self._answer(request)

    # answering

    def _answer(self, request: _Request) -> None:
        method, target = request.method, request.target.decode("latin-1").split("?", 1)[0]
        if method == b"GET" and target == PATH:
            self._reply(OK_RESPONSE)
        elif method == b"POST" and target == CHAT_PATH:
            body = b"".join(request.body)
            if _STREAM_FLAG.search(body):
                tokens = _MAX_TOKENS.search(body)
                n = int(tokens.group(1)) if tokens else DEFAULT_STREAM_EVENTS
                self._start(_slices(STREAM_HEAD + stream_body(n)))
            else:
                self._reply(CHAT_RESPONSE)
        elif method == b"POST" and target == FILES_PATH:
            self._reply(file_response(request.received))
        elif method == b"GET" and target.startswith(FILES_PATH + "/") and target.endswith("/content"):
            self._start(download(self._download_bytes))
        else:
            self._reply(NOT_FOUND_RESPONSE)

    def _reply(self, data: bytes) -> None:
        if self._transport is not None:
            self._transport.write(data)

    def _start(self, pieces: Iterator[bytes]) -> None:
        self._outgoing = pieces
        self._pump()

    def _pump(self) -> None:
        # Write slices until the transport's buffer is full (pause_writing) or the response ends;
        # resume_writing calls back here. Bounded by the response's size.
        while self._outgoing is not None and not self._paused and self._transport is not None:
            piece = next(self._outgoing, None)
            if piece is None:
                self._outgoing = None
                queued, self._queued = self._queued, []
                for request in queued:
                    self._complete(request)
                return
            self._transport.write(piece)


async def serve(port: int, max_seconds: float, download_bytes: int) -> None:
    """Serve until stdin closes, SIGTERM arrives or ``max_seconds`` pass; print the port first."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    # A large backlog: 200 concurrent clients connect at once in the concurrency benchmark.
    server = await loop.create_server(lambda: _Responder(download_bytes), HOST, port, backlog=1024, reuse_address=True)
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed as 'PORT n')")
    parser.add_argument("--cpu", type=int, default=None, help="pin the server to this CPU")
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop after this long regardless")
    parser.add_argument("--download-bytes", type=int, default=DEFAULT_DOWNLOAD_BYTES, help="size of a download")
    args = parser.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(serve(args.port, args.max_seconds, args.download_bytes))
    return 0


class ServerProcess:
    """The server in a child process; a context manager that always stops it.

    Attributes:
        port: the port it listens on (127.0.0.1).
        url: the full URL of ``GET /credits``.
        base_url: the SDK's ``server_url``.
        pid: the child's process id.
    """

    def __init__(
        self,
        cpu: int | None = None,
        max_seconds: float = 3600.0,
        start_timeout: float = 15.0,
        download_bytes: int = DEFAULT_DOWNLOAD_BYTES,
    ) -> None:
        self._cpu = cpu
        self._max_seconds = max_seconds
        self._start_timeout = start_timeout
        self._download_bytes = download_bytes
        self._proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}{PREFIX}"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{PATH}"

    @property
    def chat_url(self) -> str:
        return f"http://{HOST}:{self.port}{CHAT_PATH}"

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
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.server",
            "--max-seconds",
            str(self._max_seconds),
            "--download-bytes",
            str(self._download_bytes),
        ]
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
