"""Bodies handed over open (downloads and streams): compressed on the wire, failing, read every way.

The SDK asks for ``gzip, deflate`` and decodes them itself, a bounded piece at a time; these tests
send compressed answers from the fake served on 127.0.0.1 (a real socket: the body arrives undecoded,
as from the API) and check what a caller reads, through the standalone functions (``Result``) and
the client object (raising variants), sync and async.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import openrouter_core as orc
from openrouter.testing import FakeOpenRouter, FakeResponse, FakeStream
from openrouter.testing._routes import ROUTES
from openrouter_funcs.chat_send import chat_send, chat_send_async
from openrouter_funcs.credits_get_credits import credits_get_credits
from openrouter_funcs.images_generate import images_generate
from openrouter_funcs.responses_send import responses_send
from openrouter_funcs.tts_create_speech import tts_create_speech, tts_create_speech_async
from tests.testing._fake_document import sdk_request

ROUTE = {route.operation_id: route for route in ROUTES}
AUDIO = bytes(range(256)) * 300  # compresses well, and is not all one byte


def request(operation_id: str, **fields: Any) -> dict[str, Any]:
    return {**sdk_request(ROUTE[operation_id]), **fields}


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODED = {
    "gzip": gzip.compress(AUDIO),
    "x-gzip": gzip.compress(AUDIO),
    "deflate": zlib.compress(AUDIO),
    "identity": AUDIO,
    "gzip, deflate": zlib.compress(gzip.compress(AUDIO)),  # gzip applied first, so undone last
}


def speech(body: bytes, encoding: str, content_type: str = "audio/mpeg") -> FakeResponse:
    return FakeResponse(headers={"Content-Type": content_type, "Content-Encoding": encoding}, body=body)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter.serve() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeOpenRouter) -> FakeOpenRouter:
    server.reset()
    return server


# --- downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_a_compressed_download_is_decoded(fake: FakeOpenRouter, encoding: str) -> None:
    fake.queue("createAudioSpeech", speech(ENCODED[encoding], encoding))
    result = tts_create_speech(fake.core(), request("createAudioSpeech"))
    with result.unwrap() as download:
        assert download.content_type == "audio/mpeg"
        assert download.headers["content-encoding"] == encoding
        assert download.response.status_code == 200
        assert download.read().unwrap() == AUDIO
        assert download.error is None
        assert list(download.iter_bytes()) == []  # read once: nothing more


def test_raw_deflate_from_a_server_that_gets_deflate_wrong_is_decoded_too(fake: FakeOpenRouter) -> None:
    fake.queue("createAudioSpeech", speech(raw_deflate(AUDIO), "deflate"))
    with tts_create_speech(fake.core(), request("createAudioSpeech")).unwrap() as download:
        assert download.read().unwrap() == AUDIO


@pytest.mark.parametrize(
    ("body", "encoding", "reason"),
    [
        (b"these bytes are not gzip", "gzip", "invalid compressed data"),
        (gzip.compress(AUDIO)[:-8] + b"\x00" * 8, "gzip", "invalid compressed data"),  # a wrong checksum
    ],
    ids=["not-gzip", "bad-checksum"],
)
def test_an_undecodable_download_is_an_err_not_an_exception(
    fake: FakeOpenRouter, body: bytes, encoding: str, reason: str
) -> None:
    fake.queue("createAudioSpeech", speech(body, encoding))
    with tts_create_speech(fake.core(), request("createAudioSpeech")).unwrap() as download:
        read = download.read()
    assert not read.ok
    assert reason in str(read.error)
    assert download.error is read.error


def test_the_client_objects_download_streams_to_a_file(fake: FakeOpenRouter, tmp_path: Path) -> None:
    target = tmp_path / "speech.mp3"
    fake.queue("createAudioSpeech", speech(ENCODED["gzip"], "gzip"))
    client = fake.client()
    with client.tts.create_speech(request("createAudioSpeech")) as download:
        assert isinstance(download, orc.RaisingBinaryResponse)
        assert download.content_type == "audio/mpeg"
        assert download.write_to(target) == len(AUDIO)
    assert target.read_bytes() == AUDIO
    fake.queue("createAudioSpeech", speech(ENCODED["deflate"], "deflate"))
    with client.tts.create_speech(request("createAudioSpeech")) as download:
        assert b"".join(download.iter_bytes()) == AUDIO


def test_the_client_objects_download_raises_when_the_body_is_undecodable(fake: FakeOpenRouter, tmp_path: Path) -> None:
    client = fake.client()
    fake.queue("createAudioSpeech", speech(b"not gzip at all", "gzip"))
    download = client.tts.create_speech(request("createAudioSpeech"))
    with pytest.raises(orc.OpenRouterSDKError, match="invalid compressed data"), download:
        list(download.iter_bytes())
    fake.queue("createAudioSpeech", speech(b"not gzip at all", "gzip"))
    download = client.tts.create_speech(request("createAudioSpeech"))
    with pytest.raises(orc.OpenRouterSDKError, match="invalid compressed data"), download:
        download.write_to(tmp_path / "broken.mp3")
    assert download.error is not None


@pytest.mark.anyio
async def test_an_async_compressed_download_is_decoded(fake: FakeOpenRouter, tmp_path: Path) -> None:
    fake.queue("createAudioSpeech", speech(ENCODED["gzip, deflate"], "gzip, deflate"))
    async with (await tts_create_speech_async(fake.core(), request("createAudioSpeech"))).unwrap() as download:
        assert (await download.aread()).unwrap() == AUDIO
        assert [piece async for piece in download.aiter_bytes()] == []
    fake.queue("createAudioSpeech", speech(ENCODED["gzip"], "gzip"))
    async with (await tts_create_speech_async(fake.core(), request("createAudioSpeech"))).unwrap() as download:
        assert (await download.awrite_to(tmp_path / "a.mp3")).unwrap() == len(AUDIO)
    assert (tmp_path / "a.mp3").read_bytes() == AUDIO


@pytest.mark.anyio
async def test_the_async_client_objects_download_reads_and_raises(fake: FakeOpenRouter, tmp_path: Path) -> None:
    client = fake.client()
    fake.queue("createAudioSpeech", speech(ENCODED["gzip"], "gzip"))
    async with await client.tts.create_speech_async(request("createAudioSpeech")) as download:
        assert isinstance(download, orc.AsyncRaisingBinaryResponse)
        assert b"".join([piece async for piece in download.aiter_bytes()]) == AUDIO
    fake.queue("createAudioSpeech", speech(ENCODED["deflate"], "deflate"))
    async with await client.tts.create_speech_async(request("createAudioSpeech")) as download:
        assert await download.awrite_to(tmp_path / "b.mp3") == len(AUDIO)
    assert (tmp_path / "b.mp3").read_bytes() == AUDIO
    fake.queue("createAudioSpeech", speech(b"not gzip at all", "gzip"))
    download = await client.tts.create_speech_async(request("createAudioSpeech"))
    with pytest.raises(orc.OpenRouterSDKError, match="invalid compressed data"):
        async with download:
            _ = [piece async for piece in download.aiter_bytes()]
    fake.queue("createAudioSpeech", speech(b"not gzip at all", "gzip"))
    download = await client.tts.create_speech_async(request("createAudioSpeech"))
    with pytest.raises(orc.OpenRouterSDKError, match="invalid compressed data"):
        async with download:
            await download.awrite_to(tmp_path / "broken.mp3")


@pytest.mark.anyio
async def test_an_async_download_dropped_unread_is_closed_on_its_loop(fake: FakeOpenRouter) -> None:
    result = await tts_create_speech_async(fake.core(), request("createAudioSpeech"))
    response = result.unwrap().response
    assert not response.is_closed
    del result
    gc.collect()
    for _ in range(100):  # the close is scheduled on the loop: give it turns, boundedly
        if response.is_closed:
            break
        await asyncio.sleep(0)
    assert response.is_closed


# --- streams ------------------------------------------------------------------------------------


def chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "openai/gpt-4",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        **extra,
    }


def sse(*events: object, done: bool = True) -> bytes:
    text = "".join(f"data: {json.dumps(event)}\n\n" for event in events)
    return (text + ("data: [DONE]\n\n" if done else "")).encode()


CHAT = sse(chunk({"role": "assistant", "content": "Hel"}), chunk({"content": "lo"}), chunk({}, "stop"))


async def drain(events: AsyncIterator[Any]) -> None:
    async for _ in events:
        pass


def event_stream(body: bytes, encoding: str) -> FakeResponse:
    return FakeResponse(headers={"Content-Type": "text/event-stream", "Content-Encoding": encoding}, body=body)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_stream_is_decoded(fake: FakeOpenRouter, encoding: str) -> None:
    body = gzip.compress(CHAT) if encoding == "gzip" else zlib.compress(CHAT)
    fake.queue("sendChatCompletionRequest", event_stream(body, encoding))
    with chat_send(fake.core(), request("sendChatCompletionRequest", stream=True)).unwrap() as stream:
        assert stream.response.headers["content-encoding"] == encoding
        result = stream.collect().unwrap()
    assert result.choices[0].message.content == "Hello"
    assert result.choices[0].finish_reason == "stop"


def test_an_undecodable_stream_ends_with_the_error(fake: FakeOpenRouter) -> None:
    fake.queue("sendChatCompletionRequest", event_stream(b"data: not gzip\n\n", "gzip"))
    with chat_send(fake.core(), request("sendChatCompletionRequest", stream=True)).unwrap() as stream:
        assert list(stream) == []
        assert stream.error is not None
        assert "invalid compressed data" in str(stream.error)
        assert stream.collect().error is stream.error
    fake.queue("sendChatCompletionRequest", event_stream(b"data: not gzip\n\n", "gzip"))
    raising = fake.client().chat.send(request("sendChatCompletionRequest", stream=True))
    with pytest.raises(orc.OpenRouterSDKError, match="invalid compressed data"), raising:
        list(raising)


def test_the_raising_stream_shows_the_headers_and_generation_id(fake: FakeOpenRouter) -> None:
    fake.queue(
        "sendChatCompletionRequest", FakeStream([chunk({"content": "Hi"})], headers={"X-Generation-Id": "gen-42"})
    )
    with fake.client().chat.send(request("sendChatCompletionRequest", stream=True)) as stream:
        assert stream.generation_id == "gen-42"
        assert stream.headers["x-generation-id"] == "gen-42"
        assert stream.collect().choices[0].message.content == "Hi"


@pytest.mark.anyio
async def test_the_async_raising_stream_shows_the_headers_and_raises_in_band_errors(fake: FakeOpenRouter) -> None:
    client = fake.client()
    fake.queue(
        "sendChatCompletionRequest",
        FakeStream.text("Hel", "lo", error_after=2, headers={"X-Generation-Id": "gen-7"}),
    )
    stream = await client.chat.send_async(request("sendChatCompletionRequest", stream=True))
    assert stream.generation_id == "gen-7"
    assert stream.headers["x-generation-id"] == "gen-7"
    async with stream:
        events = aiter(stream)
        assert (await anext(events)).choices  # what came before the error is delivered
        with pytest.raises(orc.OpenRouterSDKError, match="Provider returned error"):
            await drain(events)


@pytest.mark.anyio
async def test_an_async_compressed_stream_is_decoded(fake: FakeOpenRouter) -> None:
    fake.queue("sendChatCompletionRequest", event_stream(gzip.compress(CHAT), "gzip"))
    result = await chat_send_async(fake.core(), request("sendChatCompletionRequest", stream=True))
    async with result.unwrap() as stream:
        assert stream.response.status_code == 200
        collected = (await stream.collect()).unwrap()
    assert collected.choices[0].message.content == "Hello"


def test_collecting_a_chat_stream_merges_tool_calls_by_index(fake: FakeOpenRouter) -> None:
    def call(index: int, arguments: str, **fields: Any) -> dict[str, Any]:
        function = {"arguments": arguments, **({"name": fields.pop("name")} if "name" in fields else {})}
        return {"index": index, "function": function, **fields}

    body = [
        chunk({"role": "assistant", "tool_calls": [call(0, '{"ci', id="call_a", type="function", name="weather")]}),
        chunk({"tool_calls": [call(1, "{}", id="call_b", type="function", name="time")]}),
        chunk({"tool_calls": [call(0, 'ty": "Paris"}')]}),
        chunk({}, "tool_calls", usage={"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}),
    ]
    fake.queue("sendChatCompletionRequest", FakeStream(body))
    with chat_send(fake.core(), request("sendChatCompletionRequest", stream=True)).unwrap() as stream:
        result = stream.collect().unwrap()
    message = result.choices[0].message
    assert [(c.id, c.function.name, c.function.arguments) for c in message.tool_calls] == [
        ("call_a", "weather", '{"city": "Paris"}'),
        ("call_b", "time", "{}"),
    ]
    assert message.content is None  # only tool calls: no empty text
    assert result.choices[0].finish_reason == "tool_calls"
    assert result.usage.total_tokens == 12


def test_collecting_a_stream_with_no_chunks_is_a_validation_error(fake: FakeOpenRouter) -> None:
    fake.queue("sendChatCompletionRequest", FakeStream([]))
    with chat_send(fake.core(), request("sendChatCompletionRequest", stream=True)).unwrap() as stream:
        collected = stream.collect()
    assert isinstance(collected.error, orc.ResponseValidationError)
    assert "no chunks" in str(collected.error)


def test_collecting_a_responses_stream_without_its_final_event_is_a_validation_error(fake: FakeOpenRouter) -> None:
    created = {"type": "response.created", "sequence_number": 0, "response": None}
    default = responses_send(fake.core(), request("createResponses", stream=True)).unwrap()
    with default:
        first = next(iter(default))  # the fake's own response.created event
    created["response"] = json.loads(json.dumps(_wire(first.response)))
    fake.queue("createResponses", FakeStream([created]))
    with responses_send(fake.core(), request("createResponses", stream=True)).unwrap() as stream:
        collected = stream.collect()
    assert isinstance(collected.error, orc.ResponseValidationError)
    assert "no response.completed or response.incomplete" in str(collected.error)


def _wire(model: Any) -> Any:
    from openrouter_core._serde import to_json

    return to_json(model)


def test_a_stream_without_a_final_result_cannot_be_collected(fake: FakeOpenRouter) -> None:
    with images_generate(fake.core(), request("createImages", stream=True)).unwrap() as stream:
        events = list(stream)
        assert events
        with pytest.raises(TypeError, match="no final result to assemble"):
            stream.collect()


# --- bodies httpx could not or did not leave encoded ------------------------------------------------


@pytest.mark.parametrize("operation_id", ["createAudioSpeech", "sendChatCompletionRequest"])
def test_an_unsupported_content_encoding_of_an_open_body_is_an_err(fake: FakeOpenRouter, operation_id: str) -> None:
    streaming = operation_id == "sendChatCompletionRequest"
    content_type = "text/event-stream" if streaming else "audio/mpeg"
    fake.queue(operation_id, FakeResponse(headers={"Content-Type": content_type, "Content-Encoding": "br"}, body=CHAT))
    fields = {"stream": True} if streaming else {}
    send = chat_send if streaming else tts_create_speech
    result = send(fake.core(), request(operation_id, **fields))
    assert not result.ok
    assert "unsupported Content-Encoding 'br'" in str(result.error)


def _mock_core(content_type: str, body: bytes) -> orc.OpenRouterCore:
    def answer(request: httpx.Request) -> httpx.Response:
        # content= makes httpx read (and so decode) the body at once, as a response hook's replacement would.
        headers = {"Content-Type": content_type, "Content-Encoding": "gzip"}
        return httpx.Response(200, headers=headers, content=gzip.compress(body))

    return orc.OpenRouterCore(api_key="sk-or-v1-test", client=httpx.Client(transport=httpx.MockTransport(answer)))


def test_a_compressed_body_read_by_httpx_already_is_decoded_once() -> None:
    core = _mock_core("application/json", json.dumps({"data": {"total_credits": 2.0, "total_usage": 1.0}}).encode())
    with core:
        assert credits_get_credits(core).unwrap().data.total_credits == 2.0
