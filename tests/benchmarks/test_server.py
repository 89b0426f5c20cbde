"""The benchmark server answers every route the benchmarks call, exactly as their checks expect.

One server process for the module (127.0.0.1, a 1 MiB download); raw httpx as the client, so a
failure here is the server's, not the SDK's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from benchmarks import workloads
from benchmarks.server import CHAT_BODY, CHAT_RESULT, TOKENS, ServerProcess, stream_events

DOWNLOAD = 1024 * 1024 + 17  # not a whole number of the server's pieces


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    with ServerProcess(max_seconds=120, download_bytes=DOWNLOAD) as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(headers=workloads.AUTH_HEADERS, timeout=10) as http:
        yield http


def test_credits(server: ServerProcess, client: httpx.Client) -> None:
    assert client.get(server.url).json() == workloads.EXPECTED_JSON


def test_chat_is_a_realistic_two_kilobyte_chat_result(server: ServerProcess, client: httpx.Client) -> None:
    answer = client.post(server.chat_url, json=workloads.CHAT_REQUEST)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert 1800 <= len(answer.content) <= 2300
    assert answer.content == CHAT_BODY
    assert json.loads(answer.content) == CHAT_RESULT
    # The fields the document's ChatResult requires are all there.
    assert {"id", "choices", "created", "model", "object", "system_fingerprint"} <= CHAT_RESULT.keys()


def test_chat_stream_sends_max_tokens_chunks_then_done(server: ServerProcess, client: httpx.Client) -> None:
    with client.stream("POST", server.chat_url, json=workloads.stream_request(30)) as answer:
        assert answer.headers["content-type"] == "text/event-stream"
        assert answer.headers["transfer-encoding"] == "chunked"
        lines = list(answer.iter_lines())
    assert lines[0] == ": OPENROUTER PROCESSING"
    data = [line[6:] for line in lines if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert len(chunks) == stream_events(30) == 31
    assert [c["choices"][0]["delta"]["content"] for c in chunks[:3]] == TOKENS[:3]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["usage"]["completion_tokens"] == 30


def test_the_connection_is_reused_after_a_stream(server: ServerProcess, client: httpx.Client) -> None:
    with client.stream("POST", server.chat_url, json=workloads.stream_request(5)) as answer:
        first = answer.extensions["network_stream"]
        answer.read()
    with client.stream("POST", server.chat_url, json=workloads.CHAT_REQUEST) as answer:
        assert answer.extensions["network_stream"] is first
        answer.read()


def test_download(server: ServerProcess, client: httpx.Client) -> None:
    with client.stream("GET", server.base_url + "/files/bench/content") as answer:
        assert answer.headers["content-type"] == "application/octet-stream"
        assert int(answer.headers["content-length"]) == DOWNLOAD
        body = b"".join(answer.iter_bytes())
    assert len(body) == DOWNLOAD
    assert body[:256] == bytes(range(256))


def test_upload_with_a_length_counts_every_byte(server: ServerProcess, client: httpx.Client) -> None:
    files = {"file": ("bench.bin", b"x" * 300_000, "application/octet-stream")}
    answer = client.post(server.base_url + "/files", files=files)
    assert answer.json()["_shape"] == "openrouter"
    assert answer.json()["size_bytes"] > 300_000  # the file and the multipart framing


def test_chunked_upload_counts_every_byte(server: ServerProcess, client: httpx.Client) -> None:
    def pieces() -> Iterator[bytes]:
        for size in (1, 70_000, 3, 200_000):
            yield b"y" * size

    answer = client.post(server.base_url + "/files", content=pieces())
    assert answer.request.headers["transfer-encoding"] == "chunked"
    assert answer.json()["size_bytes"] == 270_004
    # And the connection still serves the next request.
    assert client.get(server.url).json() == workloads.EXPECTED_JSON


def test_unknown_route(server: ServerProcess, client: httpx.Client) -> None:
    assert client.get(server.base_url + "/nope").status_code == 404
