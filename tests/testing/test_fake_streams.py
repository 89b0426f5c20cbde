"""Scripted streams and downloads: exact bytes, per-operation shapes, errors, pauses, drops, big bodies."""

from __future__ import annotations

import hashlib
import json
import time
import tracemalloc
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import httpx
import pytest

from openrouter.testing import (
    IN_PROCESS_URL,
    Comment,
    Event,
    FakeDownload,
    FakeOpenRouter,
    FakeStream,
    Fault,
    Malformed,
    Pause,
    Raw,
    StreamError,
)
from tests.testing._fake_document import event_schema, parse_sse, validate

if TYPE_CHECKING:
    from openrouter_funcs.models.ops.chat_send import SendChatCompletionRequestRequestStreamingDict

AUTH = {"Authorization": "Bearer sk-or-v1-streams"}
STREAMING: dict[str, tuple[str, dict[str, Any]]] = {
    "sendChatCompletionRequest": ("/chat/completions", {"messages": [{"role": "user", "content": "Hi"}]}),
    "createResponses": ("/responses", {"input": "Hi"}),
    "createMessages": ("/messages", {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}),
    "createImages": ("/images", {"model": "m", "prompt": "a cat"}),
}


@attrs.frozen
class Wire:
    fake: FakeOpenRouter
    client: httpx.Client


@pytest.fixture(params=["in_process", "socket"])
def wire(request: pytest.FixtureRequest) -> Iterator[Wire]:
    with FakeOpenRouter(hang_limit=5) as fake:
        base_url = fake.start().url if request.param == "socket" else IN_PROCESS_URL
        transport = fake.transport() if request.param == "in_process" else None
        with httpx.Client(transport=transport, base_url=base_url, trust_env=False, timeout=5) as client:
            yield Wire(fake, client)


def stream(wire: Wire, operation: str = "sendChatCompletionRequest", **options: Any) -> httpx.Response:
    path, body = STREAMING[operation]
    return wire.client.post(path, headers=AUTH, json={**body, "stream": True}, **options)


def data_events(response: httpx.Response) -> list[Any]:
    return [data if data == "[DONE]" else json.loads(data) for _, data in parse_sse(response.text)]


def test_parts_are_sent_as_written(wire: Wire) -> None:
    parts = [
        Comment(),
        {"a": 1},
        Event({"b": 2}, event="x", id="7"),
        Event("plain text"),
        Comment("two\nlines"),
        Malformed("{oops"),
        Raw(b": raw\n\n"),
    ]
    wire.fake.queue("*", FakeStream(parts))
    response = wire.client.get("/anything")
    assert response.headers["content-type"] == "text/event-stream"
    assert response.content == (
        b": OPENROUTER PROCESSING\n\n"
        b'data: {"a":1}\n\n'
        b'id: 7\nevent: x\ndata: {"b":2}\n\n'
        b"data: plain text\n\n"
        b": two\n: lines\n\n"
        b"data: {oops\n\n"
        b": raw\n\n"
        b"data: [DONE]\n\n"
    )


@pytest.mark.parametrize("operation", sorted(STREAMING))
def test_text_streams_take_the_operations_shape(wire: Wire, operation: str) -> None:
    wire.fake.queue(operation, FakeStream.text("Hel", "lo"))
    response = stream(wire, operation)
    events = parse_sse(response.text)
    assert events[-1] == (None, "[DONE]")
    values = [json.loads(data) for _, data in events[:-1]]
    for value in values:
        validate(value, event_schema(operation))
    text = json.dumps(values)
    assert '"Hel"' in text
    assert '"lo"' in text
    if operation == "createResponses":  # the closing events carry the whole text
        done = next(value for value in values if value["type"] == "response.output_text.done")
        assert done["text"] == "Hello"
        assert values[-1]["response"]["output"][0]["content"][0]["text"] == "Hello"
    if operation == "createMessages":
        assert all(name == json.loads(data)["type"] for name, data in events[:-1])


@pytest.mark.parametrize("operation", sorted(STREAMING))
def test_an_in_band_error_after_n_events(wire: Wire, operation: str) -> None:
    wire.fake.queue(operation, FakeStream.text("a", "b", "c", error_after=2, error=StreamError("Overloaded", 529)))
    events = data_events(stream(wire, operation))
    assert len(events) == 3  # two events, the error, no [DONE]
    validate(events[-1], event_schema(operation))
    assert "Overloaded" in json.dumps(events[-1])
    if operation == "sendChatCompletionRequest":
        assert events[-1]["error"] == {"code": 529, "message": "Overloaded"}
        assert events[-1]["choices"][0]["finish_reason"] == "error"


def test_a_stream_error_part_and_the_rest(wire: Wire) -> None:
    wire.fake.queue("chat_send", FakeStream(["a", StreamError(), "b"], done=False))
    events = data_events(stream(wire))
    assert [event.get("error", {}).get("code") for event in events] == [None, 502, None]


def test_an_early_end_without_done(wire: Wire) -> None:
    wire.fake.queue("chat_send", FakeStream.text("a", done=False))
    events = data_events(stream(wire))
    assert events[-1] != "[DONE]"
    assert events[-1]["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize(
    "scripted",
    [FakeStream.text("a", "b", "c", drop_after=2), FakeStream.text("a", "b", "c", fault=Fault.DROP_MID_BODY)],
)
def test_a_connection_dropped_mid_stream(wire: Wire, scripted: FakeStream) -> None:
    wire.fake.queue("chat_send", scripted)
    path, body = STREAMING["sendChatCompletionRequest"]
    received: list[bytes] = []

    def read() -> None:
        with wire.client.stream("POST", path, headers=AUTH, json={**body, "stream": True}) as response:
            received.extend(response.iter_bytes())

    with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
        read()
    assert b"".join(received).count(b"data: ") == 2
    assert b"[DONE]" not in b"".join(received)


def test_pauses_keep_the_stream_open_and_events_arrive_as_sent(wire: Wire) -> None:
    wire.fake.queue("chat_send", FakeStream([Comment(), "first", Pause(0.3), "second"]))
    path, body = STREAMING["sendChatCompletionRequest"]
    started = time.monotonic()
    arrivals: list[tuple[float, bytes]] = []
    with wire.client.stream("POST", path, headers=AUTH, json={**body, "stream": True}) as response:
        arrivals.extend((time.monotonic() - started, piece) for piece in response.iter_bytes())
    first = next(at for at, piece in arrivals if b"first" in piece)
    second = next(at for at, piece in arrivals if b"second" in piece)
    assert first < 0.25 <= second


def test_a_pause_past_the_read_timeout_times_out(wire: Wire) -> None:
    wire.fake.queue("chat_send", FakeStream(["a", Pause(2), "b"]))
    with pytest.raises(httpx.ReadTimeout):
        stream(wire, timeout=httpx.Timeout(5, read=0.1))


def test_a_pause_past_the_hang_limit_closes_the_stream(wire: Wire) -> None:
    wire.fake.hang_limit = 0.1
    wire.fake.queue("chat_send", FakeStream(["a", Pause(1), "b"]))
    with pytest.raises(httpx.RemoteProtocolError):
        stream(wire)


def test_stream_options_are_checked() -> None:
    with pytest.raises(ValueError, match="error_after"):
        FakeStream(error_after=-1)
    with pytest.raises(ValueError, match="seconds"):
        Pause(-1)
    with pytest.raises(TypeError, match="list of parts"):
        FakeStream("Hello")
    with pytest.raises(ValueError, match="status"):
        FakeStream(status=1000)


@pytest.mark.anyio
async def test_async_in_process_streams() -> None:
    with FakeOpenRouter() as fake:
        fake.queue("chat_send", FakeStream(["a", Pause(0.01), "b"], done=False))
        async with httpx.AsyncClient(transport=fake.async_transport(), base_url=IN_PROCESS_URL) as client:
            path, body = STREAMING["sendChatCompletionRequest"]
            response = await client.post(path, headers=AUTH, json={**body, "stream": True})
    assert [json.loads(data)["choices"][0]["delta"]["content"] for _, data in parse_sse(response.text)] == ["a", "b"]


# --- downloads ------------------------------------------------------------------------------------


def test_a_download_of_n_bytes(wire: Wire) -> None:
    wire.fake.queue("files_download", FakeDownload(100_000))
    response = wire.client.get("/files/f1/content", headers=AUTH)
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-length"] == "100000"
    assert response.content == FakeDownload.pattern(100_000)


def test_download_content_types(wire: Wire) -> None:
    wire.fake.queue("POST /audio/speech", FakeDownload(10), FakeDownload(10, content_type="audio/x-custom"))
    speech = {"input": "hi", "model": "m", "voice": "v", "response_format": "mp3"}
    assert wire.client.post("/audio/speech", headers=AUTH, json=speech).headers["content-type"] == "audio/mpeg"
    assert wire.client.post("/audio/speech", headers=AUTH, json=speech).headers["content-type"] == "audio/x-custom"
    wire.fake.queue("video_generation_get_video_content", FakeDownload(0))
    empty = wire.client.get("/videos/j1/content", headers=AUTH)
    assert (empty.headers["content-type"], empty.content) == ("video/mp4", b"")


def test_a_download_dropped_midway(wire: Wire) -> None:
    wire.fake.queue("files_download", FakeDownload(1000, fault=Fault.DROP_MID_BODY, chunk_size=100))
    with pytest.raises(httpx.RemoteProtocolError, match="received 500 bytes, expected 1000"):
        wire.client.get("/files/f1/content", headers=AUTH)


def test_a_large_download_is_generated_while_it_is_sent() -> None:
    size = 64 * 1024 * 1024
    expected = hashlib.sha256()
    block = FakeDownload.pattern(65536)
    for _ in range(size // len(block)):
        expected.update(block)
    with FakeOpenRouter.serve() as fake, httpx.Client(trust_env=False, timeout=30) as client:
        fake.queue("files_download", FakeDownload(size))
        tracemalloc.start()
        try:
            digest = hashlib.sha256()
            with client.stream("GET", fake.url + "/files/big/content", headers=AUTH) as response:
                for piece in response.iter_bytes():
                    digest.update(piece)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert digest.hexdigest() == expected.hexdigest()
    assert peak < 8 * 1024 * 1024  # 64 MiB went through; the fake never held it


# --- through the SDK ------------------------------------------------------------------------------


def test_sdk_stream_errors_from_scripts(wire: Wire) -> None:
    from openrouter_core import IncompleteStreamError, ProviderOverloadedResponseError
    from openrouter_funcs.chat_send import chat_send

    request: SendChatCompletionRequestRequestStreamingDict = {
        "model": "m",
        "messages": [{"role": "user", "content": "Hi"}],
        "stream": True,
    }
    with wire.fake.core() as core:
        wire.fake.queue("chat_send", FakeStream.text("Hel", "lo", error_after=2, error=StreamError("busy", 529)))
        result = chat_send(core, request)
        assert [chunk.choices[0].delta.content for chunk in result.unwrap()] == ["", "Hel"]
        assert isinstance(result.unwrap().error, ProviderOverloadedResponseError)
        wire.fake.queue("chat_send", FakeStream.text("a", done=False))
        result = chat_send(core, request)
        assert len(list(result.unwrap())) == 3
        assert isinstance(result.unwrap().error, IncompleteStreamError)


def test_sdk_download_reads_the_scripted_bytes(wire: Wire) -> None:
    from openrouter_funcs.files_download import files_download

    wire.fake.queue("files_download", FakeDownload(300_000))
    with wire.fake.core() as core, files_download(core, {"file_id": "f1"}).unwrap() as download:
        assert download.read().unwrap() == FakeDownload.pattern(300_000)
