"""Edges of the fake: malformed wire input, fakes closed mid-answer, odd scripts, helpers for tests."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from openrouter.testing import IN_PROCESS_URL, FakeOpenRouter, FakeResponse, FakeStream, Pause, RecordedRequest
from openrouter.testing._checks import _multipart
from openrouter.testing._state import _new_key
from openrouter.testing._validator import Validator
from openrouter.testing._wire import reason_phrase

AUTH = {"Authorization": "Bearer sk-or-v1-edges"}


@pytest.fixture
def http() -> Iterator[tuple[FakeOpenRouter, httpx.Client]]:
    with FakeOpenRouter() as fake, httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as client:
        yield fake, client


def _port(fake: FakeOpenRouter) -> int:
    port = httpx.URL(fake.url).port
    assert port is not None
    return port


def _exchange(fake: FakeOpenRouter, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", _port(fake)), timeout=5) as sock:
        sock.sendall(payload)
        received = b""
        for _ in range(100):  # bounded: each recv returns data or EOF within the timeout
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        return received


def test_requests_for_and_params(http: tuple[FakeOpenRouter, httpx.Client]) -> None:
    fake, client = http
    client.get("/workspaces?limit=2&offset=1", headers=AUTH)
    client.get("/credits", headers=AUTH)
    client.get("/workspaces/w1/budgets", headers=AUTH)
    listed = fake.requests_for("workspaces_list")
    assert [r.params()["limit"] for r in listed] == ["2"]
    assert [r.route for r in fake.requests_for("/credits")] == ["GET /credits"]
    assert len(fake.requests_for("*")) == 3


def test_unnamed_reason_phrases() -> None:
    assert reason_phrase(599) == ""
    assert reason_phrase(529) == "Provider Overloaded"


def test_a_malformed_content_length_and_chunked_trailers() -> None:
    with FakeOpenRouter.serve() as fake:
        head = b"POST /api/v1/credits/coinbase HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
        bad = _exchange(fake, head + b"Content-Length: ten\r\n\r\n")
        charge = b'{"amount": 1, "sender": "0x' + b"cd" * 20 + b'", "chain_id": 1}'
        body = b"%x\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n" % (len(charge), charge)
        good = _exchange(fake, head + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body)
    assert bad.startswith(b"HTTP/1.1 400 ")
    assert good.startswith(b"HTTP/1.1 200 ")


def test_a_client_that_leaves_mid_request_ends_its_connection() -> None:
    with FakeOpenRouter.serve() as fake:
        for framing in (b"Content-Length: 100\r\n\r\n{", b"Transfer-Encoding: chunked\r\n\r\n10\r\n{"):
            with socket.create_connection(("127.0.0.1", _port(fake)), timeout=5) as sock:
                sock.sendall(b"POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + framing)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the connection threads see the EOF and end
            if not [t for t in threading.enumerate() if t.name == "openrouter-fake-connection" and t.is_alive()]:
                break
            time.sleep(0.01)
    assert fake.requests == []  # nothing complete was received


def test_a_failing_responder_is_logged_and_the_connection_closed(caplog: pytest.LogCaptureFixture) -> None:
    def broken(request: RecordedRequest) -> FakeResponse:
        raise RuntimeError("a bug in the test's responder")

    with FakeOpenRouter.serve() as fake, httpx.Client(trust_env=False) as client:
        fake.queue("*", broken)
        with caplog.at_level(logging.ERROR, logger="openrouter.testing"), pytest.raises(httpx.RemoteProtocolError):
            client.get(fake.url + "/credits")
    assert "failed while answering" in caplog.text


def test_closing_the_fake_ends_a_paused_stream_over_the_socket() -> None:
    errors: list[BaseException] = []
    fake = FakeOpenRouter(hang_limit=60).start()
    fake.queue("*", FakeStream(["a", Pause(30), "b"]))

    def read() -> None:
        with httpx.Client(trust_env=False, timeout=None) as client:  # noqa: S113 (close() ends it)
            try:
                client.get(fake.url + "/anything").raise_for_status()
            except httpx.HTTPError as exc:
                errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    deadline = time.monotonic() + 5
    while not fake.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    fake.close()
    thread.join(5)
    assert not thread.is_alive()
    assert [type(e) for e in errors] == [httpx.RemoteProtocolError]


def test_closing_the_fake_ends_a_paused_stream_in_process() -> None:
    fake = FakeOpenRouter(hang_limit=60)
    fake.queue("*", FakeStream(["a", Pause(30), "b"]))
    threading.Timer(0.1, fake.close).start()
    with httpx.Client(transport=fake.transport(), timeout=None) as client:  # noqa: S113 (close() ends it)
        started = time.monotonic()
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(IN_PROCESS_URL + "/anything")
    assert time.monotonic() - started < 5


def test_closing_the_fake_ends_a_delayed_answer_in_process() -> None:
    fake = FakeOpenRouter(hang_limit=60)
    fake.queue("*", FakeResponse(delay=30))
    threading.Timer(0.1, fake.close).start()
    with (
        httpx.Client(transport=fake.transport(), timeout=None) as client,  # noqa: S113 (close() ends it)
        pytest.raises(httpx.RemoteProtocolError, match="without sending a response"),
    ):
        client.get(IN_PROCESS_URL + "/anything")


def test_a_stream_on_a_route_without_stream_data(http: tuple[FakeOpenRouter, httpx.Client]) -> None:
    fake, client = http
    fake.queue("getCredits", FakeStream(["plain", {"json": True}]))
    assert (
        client.get("/credits", headers=AUTH).text == 'data: {"text":"plain"}\n\ndata: {"json":true}\n\ndata: [DONE]\n\n'
    )


def test_pagination_ignores_unreadable_numbers_when_checks_are_off() -> None:
    with FakeOpenRouter(check_requests=False) as fake, httpx.Client(transport=fake.transport()) as client:
        response = client.get(IN_PROCESS_URL + "/workspaces?limit=many&offset=", headers=AUTH)
    assert len(response.json()["data"]) == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n", "multipart/form-data; boundary=b"),
        (b"--b\r\nno blank line", "multipart/form-data; boundary=b"),
        (b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b', "multipart/form-data; boundary=b"),
        (b"whatever", "multipart/form-data"),
        (b"--b--", "multipart/form-data; boundary=b"),
    ],
)
def test_malformed_multipart_bodies(body: bytes, content_type: str) -> None:
    assert _multipart(body, content_type) is None


def test_new_keys_keep_the_shape_of_the_documents() -> None:
    assert len(_new_key("550e8400-e29b-41d4-a716-446655440000", "s")) == 36
    assert len(_new_key("ab" * 32, "s")) == 64
    assert _new_key("preset-name", "s").startswith("preset-name-")
    assert _new_key(None, "s").startswith("item-")


def test_the_validator_compares_json_values() -> None:
    validator = Validator({"Loop": {"$ref": "Loop"}})
    assert validator.problems({"a": [1, {"b": None}]}, {"const": {"a": [1.0, {"b": None}]}}) == []
    assert validator.problems([1, 2], {"const": [1]}) == [("", "must be [1]")]
    assert validator.problems(None, {"const": 0}) == [("", "must be 0")]
    with pytest.raises(ValueError, match="reference loop"):
        validator.problems(1, {"$ref": "Loop"})


def test_an_empty_path_segment_is_not_a_parameter(http: tuple[FakeOpenRouter, httpx.Client]) -> None:
    _, client = http
    assert client.get("/workspaces//budgets", headers=AUTH).status_code == 404


@pytest.mark.openrouter_fake("positional")
def test_the_marker_takes_keywords_only(request: pytest.FixtureRequest) -> None:
    with pytest.raises(TypeError, match="keyword arguments only"):
        request.getfixturevalue("openrouter_fake")
