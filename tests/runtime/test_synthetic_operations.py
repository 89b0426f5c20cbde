"""The runtime against synthetic operations: every request shape and response encoding, sync and async."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, OpenRouterCore, RequestOptions, RetryConfig, SDKValidationError
from openrouter_core._operation import call, call_async, pages, pages_async, unwrap
from openrouter_core._schema import UNSET
from tests.helpers import API_KEY, FakeClock, Runner
from tests.runtime import synthetic as syn

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that records each request (body read) and answers from a function."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        self.requests.append(request)
        return self.answer(request)


def core_for(recorder: Recorder, **options: Any) -> OpenRouterCore:
    return OpenRouterCore(
        api_key=API_KEY,
        client=httpx.Client(transport=httpx.MockTransport(recorder)),
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
        **options,
    )


def run_call(run: Runner, core: OpenRouterCore, op: Any, request: object, options: object = None) -> Any:
    return run(call, call_async, core, op, request, options)


ITEM = {"data": {"id": "i1", "name": "first"}}


def ok_json(status: int = 200, body: object = ITEM) -> Handler:
    return lambda request: httpx.Response(status, json=body)


# --- requests ----------------------------------------------------------------------------------------


def test_path_query_and_header_parameters_are_encoded(run: Runner) -> None:
    recorder = Recorder(ok_json())
    result = run_call(
        run,
        core_for(recorder),
        syn.GET_ITEM,
        {"author": "a/b", "slug": "gpt-4:free", "limit": 5, "offset": None, "verbose": True, "x_trace": "t-1"},
    )
    assert result.ok, result
    (request,) = recorder.requests
    assert request.url.raw_path == b"/api/v1/items/a%2Fb/gpt-4%3Afree?limit=5&verbose=true"
    assert request.headers["x-trace"] == "t-1"
    assert request.method == "GET"
    assert recorder.bodies == [b""]


def test_every_failing_field_is_reported_with_its_path_and_nothing_is_sent(run: Runner) -> None:
    recorder = Recorder(ok_json())
    result = run_call(run, core_for(recorder), syn.GET_ITEM, {"author": "", "limt": 5, "limit": 0, "verbose": "yes"})
    assert isinstance(result, Err)
    error = result.error
    assert isinstance(error, orc.SDKValidationError)
    fields = dict(error.errors)
    assert fields["request.limt"] == "unknown field; did you mean 'limit'?"
    assert fields["request.author"] == "must be at least 1 character long"
    assert fields["request.slug"] == "is required"
    assert fields["request.limit"] == "must be greater than or equal to 1"
    assert fields["request.verbose"] == "expected a boolean, got a string"
    assert str(error).startswith("5 invalid fields: ")
    assert recorder.requests == []
    assert result.exchange.attempts == 0


def test_a_json_body_with_renamed_fields_and_extra_body(run: Runner) -> None:
    recorder = Recorder(ok_json(201))
    request = {"name": "n", "kind": "a", "baseUrl": "https://x.test", "app_title": "T"}
    options = RequestOptions(extra_body={"new_feature": {"on": True}, "kind": "c"})
    result = run_call(run, core_for(recorder), syn.CREATE_ITEM, request, options)
    assert result.ok, result
    assert json.loads(recorder.bodies[0]) == {
        "name": "n",
        "kind": "c",  # extra_body wins: a value newer than the SDK
        "baseUrl": "https://x.test",
        "new_feature": {"on": True},
    }
    assert recorder.requests[0].headers["content-type"] == "application/json"
    assert recorder.requests[0].headers["x-openrouter-title"] == "T"


def test_a_model_and_a_dict_encode_the_same_way(run: Runner) -> None:
    recorder = Recorder(ok_json(201))
    model = syn.CreateItemRequest(name="n", kind="b", count=3, base_url="https://x.test")
    run_call(run, core_for(recorder), syn.CREATE_ITEM, model)
    run_call(
        run, core_for(recorder), syn.CREATE_ITEM, {"name": "n", "kind": "b", "count": 3, "baseUrl": "https://x.test"}
    )
    assert recorder.bodies[0] == recorder.bodies[1] == b'{"name":"n","kind":"b","count":3,"baseUrl":"https://x.test"}'


def test_open_enums_refuse_unknown_values_in_requests(run: Runner) -> None:
    result = run_call(run, core_for(Recorder(ok_json(201))), syn.CREATE_ITEM, {"name": "n", "kind": "z"})
    assert isinstance(result, Err)
    assert result.error.errors == [("request.kind", "must be one of 'a', 'b'; got 'z'")]  # type: ignore[attr-defined]


def test_extra_body_on_an_operation_without_a_body_is_refused(run: Runner) -> None:
    recorder = Recorder(ok_json())
    options = RequestOptions(extra_body={"x": 1})
    result = run_call(run, core_for(recorder), syn.GET_ITEM, {"author": "a", "slug": "b"}, options)
    assert isinstance(result, Err)
    assert result.error.field == "options.extra_body"  # type: ignore[attr-defined]
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("request_body", "sent"),
    [
        ({"id": "i1"}, {}),
        ({"id": "i1", "note": None}, {"note": None}),  # optional and nullable: null clears it
        ({"id": "i1", "note": "n", "limits": None}, {"note": "n", "limits": None}),
        ({"id": "i1", "name": None}, {}),  # optional, not nullable: None means absent
        (syn.UpdateItemRequest(id="i1", note=None), {"note": None}),
        (syn.UpdateItemRequest(id="i1", note=UNSET, limits=[1]), {"limits": [1]}),
    ],
)
def test_patch_keeps_absent_null_and_value_apart(run: Runner, request_body: object, sent: dict[str, Any]) -> None:
    recorder = Recorder(ok_json())
    assert run_call(run, core_for(recorder), syn.UPDATE_ITEM, request_body).ok
    assert recorder.requests[0].url.path == "/api/v1/items/i1"
    assert json.loads(recorder.bodies[0]) == sent


# --- responses by status and encoding ----------------------------------------------------------------


def test_201_is_the_success_and_a_200_is_unexpected(run: Runner) -> None:
    created = run_call(run, core_for(Recorder(ok_json(201))), syn.CREATE_ITEM, {"name": "n", "kind": "a"})
    assert created.ok
    assert created.value.data.id == "i1"
    wrong = run_call(run, core_for(Recorder(ok_json(200))), syn.CREATE_ITEM, {"name": "n", "kind": "a"})
    assert isinstance(wrong, Err)
    assert type(wrong.error) is orc.OpenRouterDefaultError
    assert "expected 201 json" in str(wrong.error)


def test_an_empty_200_is_ok_none(run: Runner) -> None:
    result = run_call(run, core_for(Recorder(lambda r: httpx.Response(200))), syn.PING, None)
    assert result.ok
    assert result.value is None


def test_a_2xx_carrying_an_error_object_is_the_typed_error(run: Runner) -> None:
    failed = {"error": {"code": 502, "message": "Provider returned error"}, "user_id": "u1"}
    result = run_call(run, core_for(Recorder(ok_json(200, failed))), syn.GET_ITEM, {"author": "a", "slug": "b"})
    assert isinstance(result, Err)
    assert type(result.error) is orc.BadGatewayResponseError
    assert result.error.status_code == 502
    assert result.error.response.status_code == 200
    assert result.error.error is not None
    assert result.error.error.message == "Provider returned error"
    assert "Provider returned error" in str(result.error)


# --- downloads ---------------------------------------------------------------------------------------


class TrackedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that records whether it was closed, optionally failing part way."""

    def __init__(self, chunks: list[bytes], fail_after: int | None = None) -> None:
        self.chunks = chunks
        self.fail_after = fail_after
        self.closed = False

    def _pieces(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            if self.fail_after is not None and index >= self.fail_after:
                raise httpx.ReadError("connection reset by peer")
            yield chunk

    def __iter__(self) -> Iterator[bytes]:
        yield from self._pieces()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._pieces():
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def binary(stream: TrackedStream, content_type: str = "audio/mpeg") -> Handler:
    return lambda request: httpx.Response(200, headers={"content-type": content_type}, stream=stream)


def read_download(run: Runner, core: OpenRouterCore, how: str, tmp_path: Path) -> tuple[Any, Any]:
    """Call the download operation, then read its body the ``how`` way; the Result and what it gave."""

    def sync() -> tuple[Any, Any]:
        result = call(core, syn.DOWNLOAD, {"file_id": "f1"}, None)
        if not result.ok:
            return result, None
        body = result.value
        if how == "iter":
            return result, b"".join(body.iter_bytes())
        if how == "read":
            return result, body.read()
        return result, body.write_to(tmp_path / "out.bin")

    async def asynchronous() -> tuple[Any, Any]:
        result = await call_async(core, syn.DOWNLOAD, {"file_id": "f1"}, None)
        if not result.ok:
            return result, None
        body = result.value
        if how == "iter":
            return result, b"".join([piece async for piece in body.aiter_bytes()])
        if how == "read":
            return result, await body.aread()
        return result, await body.awrite_to(tmp_path / "out.bin")

    return sync() if run.mode == "sync" else asyncio.run(asynchronous())


@pytest.mark.parametrize("how", ["iter", "read", "write"])
def test_a_download_is_handed_over_unread_and_closed_after(run: Runner, how: str, tmp_path: Path) -> None:
    stream = TrackedStream([b"ab", b"cd", b"ef"])
    result, got = read_download(run, core_for(Recorder(binary(stream))), how, tmp_path)
    assert result.ok
    assert result.value.content_type == "audio/mpeg"
    if how == "iter":
        assert got == b"abcdef"
    elif how == "read":
        assert got == orc.Ok(b"abcdef")
    else:
        assert got.unwrap() == 6
        assert (tmp_path / "out.bin").read_bytes() == b"abcdef"
    assert stream.closed
    assert result.value.error is None


@pytest.mark.parametrize("how", ["iter", "read", "write"])
def test_a_download_that_breaks_ends_with_a_typed_error(run: Runner, how: str, tmp_path: Path) -> None:
    stream = TrackedStream([b"ab", b"cd", b"ef"], fail_after=2)
    result, got = read_download(run, core_for(Recorder(binary(stream))), how, tmp_path)
    assert result.ok
    assert isinstance(result.value.error, orc.ConnectionFailedError)
    if how == "iter":
        assert got == b"abcd"  # what arrived before the failure
    else:
        assert isinstance(got, Err)
        assert got.error is result.value.error
    assert stream.closed


def test_a_download_error_status_is_still_the_typed_json_error(run: Runner, tmp_path: Path) -> None:
    answer = lambda request: httpx.Response(404, json={"error": {"code": 404, "message": "No such file"}})  # noqa: E731
    result, _ = read_download(run, core_for(Recorder(answer)), "read", tmp_path)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.NotFoundResponseError)
    assert "No such file" in str(result.error)


def test_the_facade_download_raises_instead() -> None:
    stream = TrackedStream([b"ab", b"cd"], fail_after=1)
    result = call(core_for(Recorder(binary(stream))), syn.DOWNLOAD, {"file_id": "f1"}, None)
    raising = unwrap(result)
    assert isinstance(raising, orc.RaisingBinaryResponse)
    with pytest.raises(orc.ConnectionFailedError):
        raising.read()
    assert stream.closed


def test_a_download_closed_unread_or_dropped_releases_its_connection() -> None:
    for finish in ("close", "with", "drop"):
        stream = TrackedStream([b"ab"])
        result = call(core_for(Recorder(binary(stream))), syn.DOWNLOAD, {"file_id": "f1"}, None)
        body = result.unwrap()
        if finish == "close":
            body.close()
        elif finish == "with":
            with body:
                pass
        else:
            del result, body
        assert stream.closed, finish


# --- uploads -----------------------------------------------------------------------------------------


def parts(request: httpx.Request, body: bytes) -> list[tuple[str, str | None, str | None, bytes]]:
    """``(name, filename, content type, content)`` of each multipart part, parsed from the wire."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    found = []
    for chunk in body.split(b"--" + boundary)[1:-1]:
        head, _, content = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        disposition = lines[0]
        name = disposition.split('name="')[1].split('"')[0]
        filename = disposition.split('filename="')[1].split('"')[0] if "filename=" in disposition else None
        content_type = next((line.split(": ")[1] for line in lines[1:] if line.startswith("Content-Type")), None)
        found.append((name, filename, content_type, content))
    return found


@pytest.mark.parametrize("source", ["path", "bytes", "file", "tuple"])
def test_an_upload_streams_its_parts(run: Runner, source: str, tmp_path: Path) -> None:
    audio = tmp_path / "clip.wav"
    audio.write_bytes(b"RIFF....WAVE" * 10)
    file: object = {
        "path": audio,
        "bytes": audio.read_bytes(),
        "file": io.BytesIO(audio.read_bytes()),
        "tuple": ("clip.wav", audio.read_bytes(), "audio/wav"),
    }[source]
    recorder = Recorder(ok_json())
    request = {"file": file, "purpose": "test", "timestamp_granularities[]": ["word", "segment"]}
    assert run_call(run, core_for(recorder), syn.UPLOAD, request).ok
    got = parts(recorder.requests[0], recorder.bodies[0])
    expected_name = {"path": "clip.wav", "tuple": "clip.wav", "bytes": "file", "file": "file"}[source]
    expected_type = "audio/x-wav" if expected_name == "clip.wav" and source == "path" else None
    (name, filename, content_type, content) = got[0]
    assert (name, filename, content) == ("file", expected_name, audio.read_bytes())
    if source == "tuple":
        assert content_type == "audio/wav"
    elif expected_type:
        assert content_type in ("audio/x-wav", "audio/wav")
    assert got[1:] == [
        ("purpose", None, None, b"test"),
        ("timestamp_granularities[]", None, None, b"word"),
        ("timestamp_granularities[]", None, None, b"segment"),
    ]
    assert recorder.requests[0].headers["content-length"] == str(len(recorder.bodies[0]))


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: path.open(encoding="utf-8"), "a file opened in text mode: open it in binary mode ('rb')"),
        (str, "a str is ambiguous: pass pathlib.Path(...) for a file on disk, or bytes for"),
    ],
    ids=["text-mode file", "str path"],
)
def test_an_upload_refuses_text_files_and_str_paths_before_sending(
    run: Runner, tmp_path: Path, make: Any, reason: str
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("some notes", encoding="utf-8")
    recorder = Recorder(ok_json())
    source = make(notes)
    try:
        result = run_call(run, core_for(recorder), syn.UPLOAD, {"file": source, "purpose": "test"})
    finally:
        if hasattr(source, "close"):
            source.close()
    assert not result.ok
    assert isinstance(result.error, SDKValidationError)
    assert result.error.errors[0][0] == "request.file"
    assert result.error.errors[0][1].startswith(reason)
    assert recorder.requests == []


class OneShot(io.RawIOBase):
    """A binary file object that cannot seek (a pipe, a socket)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), len(self.data))
        buffer[:size], self.data = self.data[:size], self.data[size:]
        return size


def test_an_upload_is_resent_only_when_its_source_can_be_read_again(tmp_path: Path) -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, json=ITEM)] * 2)
    recorder = Recorder(lambda request: next(answers))
    core = core_for(recorder, clock=FakeClock().clock())
    retry = RequestOptions(retries=RetryConfig(retry_non_idempotent=True))
    assert call(core, syn.UPLOAD, {"file": io.BytesIO(b"seekable")}, retry).ok
    assert len(recorder.requests) == 2
    assert parts(recorder.requests[1], recorder.bodies[1])[0][3] == b"seekable"
    result = call(core, syn.UPLOAD, {"file": OneShot(b"once")}, retry)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ServiceUnavailableResponseError)
    assert len(recorder.requests) == 3  # not re-sent: the stream could not be read again


def test_a_missing_upload_file_is_an_error_naming_the_field(run: Runner, tmp_path: Path) -> None:
    recorder = Recorder(ok_json())
    result = run_call(run, core_for(recorder), syn.UPLOAD, {"file": tmp_path / "missing.wav"})
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert result.error.field == "request.file"
    assert recorder.requests == []


# --- server-sent event streams -----------------------------------------------------------------------


def sse(*events: str, end: str = "data: [DONE]\n\n") -> bytes:
    """An SSE body: each event as given (already formatted), then the end."""
    return ("".join(events) + end).encode()


def chunk(text: str, index: int = 0) -> str:
    return f'data: {{"type":"chunk","id":"c1","delta":{{"content":{json.dumps(text)}}}}}\n\n'


def stream_answer(body: bytes, stream: TrackedStream | None = None) -> Handler:
    headers = {"content-type": "text/event-stream", "x-generation-id": "gen-42"}
    if stream is not None:
        return lambda request: httpx.Response(200, headers=headers, stream=stream)
    return lambda request: httpx.Response(200, headers=headers, content=body)


def iterate(run: Runner, core: OpenRouterCore, request: object = None) -> tuple[Any, list[Any], Any]:
    """Call the streaming operation and read its stream to the end: the Result, the events, the error."""
    request = request if request is not None else {"prompt": "hi", "stream": True}

    async def asynchronous() -> tuple[Any, list[Any], Any]:
        result = await call_async(core, syn.COMPLETE, request, None)
        if not result.ok:
            return result, [], None
        events = [event async for event in result.value]
        return result, events, result.value.error

    if run.mode == "async":
        return asyncio.run(asynchronous())
    result = call(core, syn.COMPLETE, request, None)
    if not result.ok:
        return result, [], None
    return result, list(result.value), result.value.error


def texts(events: list[Any]) -> list[str]:
    return [event.delta.content for event in events]


def test_a_stream_delivers_decoded_events_and_ends_cleanly(run: Runner) -> None:
    body = sse(
        chunk("Hel"),
        ": OPENROUTER PROCESSING\n\n",
        chunk("lo"),
        'event: x\nid: 7\ndata: {"type":"done","id":"c1",\ndata: "text":"Hello"}\n\n',
    )
    recorder = Recorder(stream_answer(body))
    result, events, error = iterate(run, core_for(recorder))
    assert error is None
    assert texts(events[:2]) == ["Hel", "lo"]
    assert events[2] == syn.Done(id="c1", text="Hello")
    assert result.value.generation_id == "gen-42"
    assert result.value.headers["content-type"] == "text/event-stream"
    assert recorder.requests[0].headers["accept"] == "text/event-stream"
    assert json.loads(recorder.bodies[0]) == {"prompt": "hi", "stream": True}


def test_without_stream_the_same_operation_answers_json(run: Runner) -> None:
    recorder = Recorder(ok_json(200, {"id": "c1", "text": "Hello"}))
    result = run_call(run, core_for(recorder), syn.COMPLETE, {"prompt": "hi"})
    assert result.value == syn.Completion(id="c1", text="Hello")
    assert recorder.requests[0].headers["accept"] == "application/json"


def test_an_unknown_event_type_is_kept_raw(run: Runner) -> None:
    body = sse(chunk("a"), 'data: {"type":"ping","at":1}\n\n')
    _, events, error = iterate(run, core_for(Recorder(stream_answer(body))))
    assert error is None
    assert events[1] == orc.RawVariant({"type": "ping", "at": 1})


IN_BAND = [
    # chat: a chunk with a top-level error
    ({"error": {"code": 502, "message": "Provider returned error"}, "choices": []}, orc.BadGatewayResponseError),
    # Responses: an error event, and a failed response
    ({"type": "error", "code": "rate_limit_exceeded", "message": "Slow down"}, orc.TooManyRequestsResponseError),
    (
        {"type": "response.failed", "response": {"error": {"code": "server_error", "message": "Boom"}}},
        orc.InternalServerResponseError,
    ),
    # Messages (Anthropic-style types) and Images (a code the SDK does not know)
    (
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
        orc.ProviderOverloadedResponseError,
    ),
    ({"type": "error", "error": {"code": "weird", "message": "Odd"}}, orc.OpenRouterDefaultError),
]


@pytest.mark.parametrize(("data", "error_class"), IN_BAND)
def test_an_in_band_error_ends_the_stream_typed_after_the_events_before_it(
    run: Runner, data: dict[str, Any], error_class: type[Exception]
) -> None:
    body = sse(chunk("a"), chunk("b"), f"event: error\ndata: {json.dumps(data)}\n\n", chunk("never"))
    _, events, error = iterate(run, core_for(Recorder(stream_answer(body))))
    assert texts(events) == ["a", "b"]
    assert type(error) is error_class
    assert json.dumps(data).split('"message": "')[1].split('"')[0] in str(error)


def test_a_malformed_event_names_its_index_and_path(run: Runner) -> None:
    body = sse(chunk("a"), 'data: {"type":"chunk","id":"c1","delta":{"content":5}}\n\n', chunk("never"))
    _, events, error = iterate(run, core_for(Recorder(stream_answer(body))))
    assert texts(events) == ["a"]
    assert isinstance(error, orc.ResponseValidationError)
    assert error.path == "$[1].delta.content"
    broken = sse(chunk("a"), "data: {not json\n\n")
    _, _, error = iterate(run, core_for(Recorder(stream_answer(broken))))
    assert isinstance(error, orc.ResponseValidationError)
    assert error.path == "$[1]"


def test_an_end_without_done_is_never_a_complete_stream(run: Runner) -> None:
    body = sse(chunk("a"), chunk("b"), end="")
    _, events, error = iterate(run, core_for(Recorder(stream_answer(body))))
    assert texts(events) == ["a", "b"]
    assert isinstance(error, orc.IncompleteStreamError)
    assert isinstance(error, orc.ConnectionFailedError)
    assert "[DONE]" in str(error)


def test_a_dropped_stream_is_a_connection_error_after_the_events_that_arrived(run: Runner) -> None:
    tracked = TrackedStream([chunk("a").encode(), chunk("b").encode(), b"data: [DONE]\n\n"], fail_after=2)
    _, events, error = iterate(run, core_for(Recorder(stream_answer(b"", tracked))))
    assert texts(events) == ["a", "b"]
    assert type(error) is orc.ConnectionFailedError
    assert tracked.closed


def test_collect_assembles_the_non_streaming_result(run: Runner) -> None:
    core = core_for(Recorder(stream_answer(sse(chunk("Hel"), chunk("lo")))))
    if run.mode == "sync":
        assembled = call(core, syn.COMPLETE, {"prompt": "hi", "stream": True}, None).unwrap().collect()
    else:

        async def main() -> Any:
            stream = (await call_async(core, syn.COMPLETE, {"prompt": "hi", "stream": True}, None)).unwrap()
            first = await stream.__anext__()
            assert first.delta.content == "Hel"
            return await stream.collect()  # counts the events already read too

        assembled = asyncio.run(main())
    assert assembled == orc.Ok(syn.Completion(id="c1", text="Hello"))
    failing = core_for(Recorder(stream_answer(sse(chunk("a"), end=""))))
    if run.mode == "sync":
        broken = call(failing, syn.COMPLETE, {"prompt": "hi", "stream": True}, None).unwrap().collect()
        assert isinstance(broken, Err)
        assert isinstance(broken.error, orc.IncompleteStreamError)


def test_the_facade_stream_raises_from_the_loop() -> None:
    body = sse(chunk("a"), 'data: {"error":{"code":429,"message":"Rate limited"}}\n\n')
    core = core_for(Recorder(stream_answer(body)))
    raising = unwrap(call(core, syn.COMPLETE, {"prompt": "hi", "stream": True}, None))
    assert isinstance(raising, orc.RaisingStream)
    seen: list[Any] = []

    def read_all() -> None:
        seen.extend(raising)

    with pytest.raises(orc.TooManyRequestsResponseError, match="Rate limited"):
        read_all()
    assert texts(seen) == ["a"]


def fail_in_the_loop(stream: Any) -> None:
    for _ in stream:
        raise KeyError("the caller's own bug")


async def fail_in_the_async_loop(stream: Any) -> None:
    async with stream:
        async for _ in stream:
            raise KeyError("the caller's own bug")


@pytest.mark.parametrize("finish", ["break", "close", "with", "raise", "drop"])
def test_a_stream_closes_its_connection_on_every_way_out(finish: str) -> None:
    tracked = TrackedStream([chunk("a").encode(), chunk("b").encode(), b"data: [DONE]\n\n"])
    result = call(core_for(Recorder(stream_answer(b"", tracked))), syn.COMPLETE, {"prompt": "hi", "stream": True}, None)
    stream = result.unwrap()
    if finish == "break":
        for _ in stream:
            break
    elif finish == "close":
        next(stream)
        stream.close()
    elif finish == "with":
        with stream:
            next(stream)
    elif finish == "raise":
        with pytest.raises(KeyError):
            fail_in_the_loop(stream)
    else:
        del result, stream
    assert tracked.closed, finish


@pytest.mark.parametrize("finish", ["break", "aclose", "async with", "raise"])
def test_an_async_stream_closes_its_connection_on_every_way_out(finish: str) -> None:
    tracked = TrackedStream([chunk("a").encode(), chunk("b").encode(), b"data: [DONE]\n\n"])
    core = core_for(Recorder(stream_answer(b"", tracked)))

    async def main() -> None:
        stream = (await call_async(core, syn.COMPLETE, {"prompt": "hi", "stream": True}, None)).unwrap()
        if finish == "break":
            async for _ in stream:
                break
            for _ in range(10):  # asyncio finalizes the abandoned loop's generator on the next turns
                await asyncio.sleep(0)
        elif finish == "aclose":
            await stream.__anext__()
            await stream.aclose()
        elif finish == "async with":
            async with stream:
                await stream.__anext__()
        else:
            with pytest.raises(KeyError):
                await fail_in_the_async_loop(stream)

    asyncio.run(main())
    assert tracked.closed, finish


def test_a_stream_request_with_an_error_status_is_the_typed_error_with_its_body_read(run: Runner) -> None:
    answer = lambda request: httpx.Response(402, json={"error": {"code": 402, "message": "No credits"}})  # noqa: E731
    result, _, _ = iterate(run, core_for(Recorder(answer)))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.PaymentRequiredResponseError)
    assert "No credits" in str(result.error)


def test_a_json_answer_to_a_stream_request_is_read_and_judged(run: Runner) -> None:
    answer = lambda request: httpx.Response(200, json={"error": {"code": 500, "message": "Generation failed"}})  # noqa: E731
    result, _, _ = iterate(run, core_for(Recorder(answer)))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.InternalServerResponseError)


def test_a_stream_is_retried_only_before_it_starts(run: Runner) -> None:
    answers = iter(
        [
            httpx.Response(503),
            httpx.Response(200, headers={"content-type": "text/event-stream"}, content=sse(chunk("a"))),
        ]
    )
    recorder = Recorder(lambda request: next(answers))
    core = core_for(recorder, clock=FakeClock().clock())
    retry = RequestOptions(retries=RetryConfig())
    if run.mode == "sync":
        result = call(core, syn.COMPLETE, {"prompt": "hi", "stream": True}, retry)
        assert texts(list(result.unwrap())) == ["a"]
    else:

        async def main() -> list[Any]:
            result = await call_async(core, syn.COMPLETE, {"prompt": "hi", "stream": True}, retry)
            return [event async for event in result.unwrap()]

        assert texts(asyncio.run(main())) == ["a"]
    assert len(recorder.requests) == 2  # the 503 before the stream started was retried


# --- pages -------------------------------------------------------------------------------------------


def page_server(total: int, *, cursor: bool = False) -> Recorder:
    items = [{"id": f"i{n}", "name": f"item {n}"} for n in range(total)]

    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        limit = int(params.get("limit", "2"))
        start = int(params.get("cursor") or 0) if cursor else int(params.get("offset", "0"))
        data = items[start : start + limit]
        body: dict[str, Any] = {"data": data}
        if cursor:
            body["cursor"] = str(start + limit) if start + limit < total else ""
        return httpx.Response(200, json=body)

    return Recorder(answer)


def all_pages(run: Runner, core: OpenRouterCore, op: Any, request: object) -> list[Any]:
    if run.mode == "sync":
        return list(pages(core, op, request, None))

    async def main() -> list[Any]:
        return [page async for page in pages_async(core, op, request, None)]

    return asyncio.run(main())


def test_offset_pages_stop_after_a_short_page_and_never_send_the_next(run: Runner) -> None:
    recorder = page_server(5)
    results = all_pages(run, core_for(recorder), syn.LIST_OFFSET, None)
    assert [[item.id for item in r.value.data] for r in results] == [["i0", "i1"], ["i2", "i3"], ["i4"]]
    assert [str(r.url.query, "ascii") for r in recorder.requests] == ["", "offset=2", "offset=4"]


def test_offset_pages_respect_the_limit_and_the_servers_maximum_offset(run: Runner) -> None:
    recorder = page_server(100)
    results = all_pages(run, core_for(recorder), syn.LIST_OFFSET, {"limit": 3})
    assert len(results) == 3  # offsets 0, 3, 6; the next (9) would pass the maximum offset of 6
    assert [r.url.params.get("offset") for r in recorder.requests] == [None, "3", "6"]


def test_cursor_pages_follow_the_cursor_until_it_is_blank(run: Runner) -> None:
    recorder = page_server(5, cursor=True)
    results = all_pages(run, core_for(recorder), syn.LIST_CURSOR, syn.ListRequest(limit=2))
    assert [len(r.value.data) for r in results] == [2, 2, 1]
    assert [r.url.params.get("cursor") for r in recorder.requests] == [None, "2", "4"]


def test_pages_stop_after_the_first_err(run: Runner) -> None:
    answers = iter([httpx.Response(200, json={"data": [ITEM["data"], ITEM["data"]]}), httpx.Response(500)])
    recorder = Recorder(lambda request: next(answers))
    results = all_pages(run, core_for(recorder, retry_config=None), syn.LIST_OFFSET, None)
    assert [r.ok for r in results] == [True, False]
    assert isinstance(results[1].error, orc.InternalServerResponseError)
