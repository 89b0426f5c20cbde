"""Streams, downloads and uploads over real sockets on 127.0.0.1, sync and async.

The server writes server-sent events with chunked transfer encoding, pauses between them, drops
the connection mid-event, reports in-band errors and malformed events; a stream the caller stops
early is seen closing on the server side. 64 MiB downloads and uploads keep peak memory small.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import openrouter_core as orc
from openrouter_core import OpenRouterCore, RequestOptions
from openrouter_core._operation import call, call_async
from tests.hostile import rawserver as rs
from tests.runtime import synthetic as syn

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-or-v1-streams-0123456789"


def event(text: str) -> bytes:
    return f'data: {{"type":"chunk","id":"c1","delta":{{"content":{json.dumps(text)}}}}}\n\n'.encode()


def chunked(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    b"X-Generation-Id: gen-7\r\nCache-Control: no-cache\r\n\r\n"
)

Step = bytes | float | Callable[[rs.Conn], None]  # bytes to send (one chunk), a pause, or an action


def sse_script(*steps: Step, finish: bool = True, seen_closed: list[bool] | None = None) -> rs.Script:
    """Answer one request with an SSE body sent step by step in chunks; optionally record an early close."""

    def script(conn: rs.Conn) -> None:
        if conn.read_request() is None:
            return
        conn.sock.sendall(HEAD)
        for step in steps:
            if isinstance(step, float):
                time.sleep(step)
            elif callable(step):
                step(conn)
                return
            else:
                try:
                    conn.sock.sendall(chunked(step))
                except OSError:  # the client went away
                    if seen_closed is not None:
                        seen_closed.append(True)
                    return
        if finish:
            conn.sock.sendall(b"0\r\n\r\n")
        if seen_closed is not None:
            seen_closed.append(_closed_by_peer(conn))

    return script


def _closed_by_peer(conn: rs.Conn, wait: float = 3.0) -> bool:
    conn.sock.settimeout(wait)
    try:
        return conn.sock.recv(1) == b""
    except OSError:
        return True


def drop(conn: rs.Conn) -> None:
    conn.sock.close()


def read_stream(mode: str, url: str, timeout_ms: float = 5_000) -> tuple[list[str], Any, Any]:
    """The text of each event, the stream's error, and its generation id."""
    options = RequestOptions(timeout_ms=timeout_ms)
    request = {"prompt": "hi", "stream": True}
    core = OpenRouterCore(api_key=KEY, server_url=url)

    def texts(events: list[Any]) -> list[str]:
        return [e.delta.content for e in events]

    if mode == "sync":
        with core:
            result = call(core, syn.COMPLETE, request, options)
            stream = result.unwrap()
            return texts(list(stream)), stream.error, stream.generation_id

    async def main() -> tuple[list[str], Any, Any]:
        async with core:
            result = await call_async(core, syn.COMPLETE, request, options)
            stream = result.unwrap()
            return texts([e async for e in stream]), stream.error, stream.generation_id

    return asyncio.run(main())


MODES = pytest.mark.parametrize("mode", ["sync", "async"])


@MODES
def test_events_arrive_over_chunked_encoding_with_pauses_and_comments(mode: str) -> None:
    steps: list[Step] = [event("Hel"), 0.2, b": OPENROUTER PROCESSING\n\n", 0.2, event("l"), b"data: ", b"[DONE]\n\n"]
    with rs.serve(sse_script(*[event("H")[:10], event("H")[10:], *steps])) as server:
        texts, error, generation = read_stream(mode, server.url)
    assert texts == ["H", "Hel", "l"]
    assert error is None
    assert generation == "gen-7"


@MODES
def test_a_silence_longer_than_the_timeout_ends_the_stream_typed(mode: str) -> None:
    with rs.serve(sse_script(event("a"), 2.0, event("b"), b"data: [DONE]\n\n")) as server:
        started = time.monotonic()
        texts, error, _ = read_stream(mode, server.url, timeout_ms=500)
        elapsed = time.monotonic() - started
    assert texts == ["a"]
    assert isinstance(error, orc.RequestTimeoutError)
    assert elapsed < 1.8


@MODES
def test_keep_alive_comments_keep_a_slow_stream_alive(mode: str) -> None:
    alive = [b": OPENROUTER PROCESSING\n\n", 0.3] * 4
    with rs.serve(sse_script(event("a"), *alive, event("b"), b"data: [DONE]\n\n")) as server:
        texts, error, _ = read_stream(mode, server.url, timeout_ms=500)
    assert texts == ["a", "b"]  # 1.2 s in all, but never 0.5 s without a byte
    assert error is None


@MODES
def test_a_connection_dropped_mid_event_is_a_connection_error(mode: str) -> None:
    with rs.serve(sse_script(event("a"), b'data: {"type":"chu', drop)) as server:
        texts, error, _ = read_stream(mode, server.url)
    assert texts == ["a"]
    assert isinstance(error, orc.ConnectionFailedError)


@MODES
def test_a_clean_end_without_done_is_incomplete(mode: str) -> None:
    with rs.serve(sse_script(event("a"), event("b"))) as server:
        texts, error, _ = read_stream(mode, server.url)
    assert texts == ["a", "b"]
    assert isinstance(error, orc.IncompleteStreamError)


@MODES
def test_an_in_band_error_after_two_events(mode: str) -> None:
    failure = b'data: {"error":{"code":502,"message":"Provider returned error"},"choices":[]}\n\n'
    with rs.serve(sse_script(event("a"), event("b"), failure, b"data: [DONE]\n\n")) as server:
        texts, error, _ = read_stream(mode, server.url)
    assert texts == ["a", "b"]
    assert isinstance(error, orc.BadGatewayResponseError)
    assert "Provider returned error" in str(error)


@MODES
def test_a_malformed_event_is_a_validation_error_naming_it(mode: str) -> None:
    with rs.serve(sse_script(event("a"), b"data: {broken\n\n", event("never"))) as server:
        texts, error, _ = read_stream(mode, server.url)
    assert texts == ["a"]
    assert isinstance(error, orc.ResponseValidationError)
    assert error.path == "$[1]"


@MODES
def test_stopping_early_closes_the_connection_the_server_sees_it(mode: str) -> None:
    seen: list[bool] = []
    many = [event(str(n)) for n in range(200)]
    with rs.serve(sse_script(*many, b"data: [DONE]\n\n", seen_closed=seen)) as server:
        core = OpenRouterCore(api_key=KEY, server_url=server.url)
        request = {"prompt": "hi", "stream": True}
        if mode == "sync":
            with core:
                for _ in call(core, syn.COMPLETE, request, None).unwrap():
                    break
        else:

            async def main() -> None:
                async with core:
                    stream = (await call_async(core, syn.COMPLETE, request, None)).unwrap()
                    async with stream:
                        async for _ in stream:
                            break

            asyncio.run(main())
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    assert seen == [True]


# --- 64 MiB downloads and uploads: peak memory ---------------------------------------------------

MIB = 1024 * 1024
SIZE = 64 * MIB

PEAK_WORKER = textwrap.dedent(
    """
    import asyncio, os, pathlib, resource, sys
    sys.path.insert(0, os.getcwd())
    from openrouter_core import OpenRouterCore
    from openrouter_core._operation import call, call_async
    from tests.runtime import synthetic as syn

    url, what, mode, path = sys.argv[1:5]
    core = OpenRouterCore(api_key="sk-or-v1-peak", server_url=url)
    # Everything the transfer needs is imported and warmed before the baseline is read.
    call(core, syn.PING, None, None)

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    before = peak()
    if what == "download" and mode == "sync":
        result = call(core, syn.DOWNLOAD, {"file_id": "f"}, None).unwrap().write_to(path).unwrap()
    elif what == "download":
        async def main():
            body = (await call_async(core, syn.DOWNLOAD, {"file_id": "f"}, None)).unwrap()
            return (await body.awrite_to(path)).unwrap()
        result = asyncio.run(main())
    elif mode == "sync":
        result = call(core, syn.UPLOAD, {"file": pathlib.Path(path)}, None).unwrap().data.id
    else:
        async def main():
            return (await call_async(core, syn.UPLOAD, {"file": pathlib.Path(path)}, None)).unwrap().data.id
        result = asyncio.run(main())
    print(result, peak() - before)
    """
)


def big_download(conn: rs.Conn) -> None:
    while (seen := conn.read_request()) is not None:
        if seen.path.endswith("/ping"):
            conn.sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            continue
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {SIZE}\r\n\r\n"
        conn.sock.sendall(head.encode())
        block = b"\x5a" * MIB
        for _ in range(SIZE // MIB):
            conn.sock.sendall(block)


def big_upload(conn: rs.Conn) -> None:
    """Reads each request's body a piece at a time (never whole) and answers with the size it got."""
    conn.sock.settimeout(10)
    while True:
        head = b""
        while b"\r\n\r\n" not in head:
            piece = conn.sock.recv(65536)
            if not piece:
                return
            head += piece
        head, _, rest = head.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        received = len(rest)
        while received < length:
            piece = conn.sock.recv(1 << 20)
            if not piece:
                return
            received += len(piece)
        body = json.dumps({"data": {"id": str(received), "name": "upload"}}).encode()
        conn.sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )


def growth(url: str, what: str, mode: str, path: Path) -> tuple[str, int]:
    proc = subprocess.run(
        [sys.executable, "-c", PEAK_WORKER, url, what, mode, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result, grew = proc.stdout.split()
    return result, int(grew)


@pytest.fixture
def big_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "big.bin"
    with path.open("wb") as handle:
        block = b"\xa5" * MIB
        for _ in range(SIZE // MIB):
            handle.write(block)
    return path


@pytest.mark.slow
@MODES
def test_a_64_mib_download_streams_to_disk_in_bounded_memory(mode: str, tmp_path: Path) -> None:
    target = tmp_path / "download.bin"
    with rs.serve(big_download) as server:
        written, grew = growth(server.url, "download", mode, target)
    assert int(written) == SIZE
    assert target.stat().st_size == SIZE
    assert grew < 24 * MIB, f"peak RSS grew {grew / MIB:.1f} MiB"


@pytest.mark.slow
@MODES
def test_a_64_mib_upload_streams_from_disk_in_bounded_memory(mode: str, big_file: Path) -> None:
    with rs.serve(big_upload) as server:
        received, grew = growth(server.url, "upload", mode, big_file)
    assert int(received) > SIZE  # the whole file, plus the multipart framing
    assert grew < 24 * MIB, f"peak RSS grew {grew / MIB:.1f} MiB"
