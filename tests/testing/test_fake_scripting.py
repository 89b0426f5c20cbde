"""FakeResponse, queue keys and RecordedRequest: the pure parts of openrouter.testing."""

from __future__ import annotations

import json

import pytest

from openrouter.testing import (
    DOCUMENTED_ERROR_MESSAGES,
    REDACTED,
    FakeOpenRouter,
    FakeResponse,
    Fault,
    RecordedRequest,
)
from openrouter.testing._router import Matcher, router
from openrouter.testing._wire import api_path


@pytest.mark.parametrize("status", sorted(DOCUMENTED_ERROR_MESSAGES))
def test_error_uses_the_documented_message_and_shape(status: int) -> None:
    response = FakeResponse.error(status)
    assert response.status == status
    assert json.loads(response.content()) == {"error": {"code": status, "message": DOCUMENTED_ERROR_MESSAGES[status]}}
    assert ("Content-Type", "application/json") in response.wire_headers()


def test_error_takes_a_message_headers_and_metadata() -> None:
    response = FakeResponse.error(429, "slow down", headers={"Retry-After": "3"}, metadata={"provider": "x"})
    assert json.loads(response.content())["error"] == {
        "code": 429,
        "message": "slow down",
        "metadata": {"provider": "x"},
    }
    assert ("Retry-After", "3") in response.wire_headers()


@pytest.mark.parametrize(("seconds", "header"), [(1, "1"), (2.0, "2"), (0.5, "0.5")])
def test_rate_limited_sets_retry_after(seconds: float, header: str) -> None:
    response = FakeResponse.rate_limited(seconds)
    assert response.status == 429
    assert ("Retry-After", header) in response.wire_headers()


def test_raw_body_is_sent_as_is_with_its_length() -> None:
    response = FakeResponse(status=502, headers={"Content-Type": "text/html"}, body=b"<h1>bad gateway</h1>")
    assert response.content() == b"<h1>bad gateway</h1>"
    assert response.wire_headers() == [("Content-Type", "text/html"), ("Content-Length", "20")]


def test_fault_constructors() -> None:
    assert FakeResponse.drop().fault is Fault.DROP
    cut = FakeResponse.drop(mid_body=True)
    assert cut.fault is Fault.DROP_MID_BODY
    assert cut.content()
    assert FakeResponse.reset().fault is Fault.RESET
    assert FakeResponse.hang().fault is Fault.HANG
    assert FakeResponse(fault="hang").fault is Fault.HANG


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": 99}, "status must be"),
        ({"status": True}, "status must be"),
        ({"delay": -1}, "delay must be"),
        ({"delay": float("inf")}, "delay must be"),
        ({"json": {}, "body": b"x"}, "either json or body"),
        ({"fault": Fault.DROP_MID_BODY}, "needs a body"),
    ],
)
def test_invalid_responses_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeResponse(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("*", Matcher()),
        ("GET /credits", Matcher(method="GET", path="/credits")),
        ("get /api/v1/credits", Matcher(method="GET", path="/credits")),
        ("/credits/coinbase", Matcher(path="/credits/coinbase")),
        ("GET /keys/abc", Matcher(method="GET", path="/keys/abc")),
        ("getCredits", Matcher(operations=frozenset({"getCredits"}))),
        ("createCoinbaseCharge", Matcher(operations=frozenset({"createCoinbaseCharge"}))),
        ("credits_get_credits", Matcher(operations=frozenset({"getCredits"}))),
        ("chat_send_async", Matcher(operations=frozenset({"sendChatCompletionRequest"}))),
        ("GET /keys/{hash}", Matcher(operations=frozenset({"getKey"}))),
        ("/keys/{hash}", Matcher(operations=frozenset({"getKey", "updateKeys", "deleteKeys"}))),
        ("POST /audio/transcriptions", Matcher(method="POST", path="/audio/transcriptions")),
    ],
)
def test_queue_keys(key: str, expected: Matcher) -> None:
    assert router().matcher(key) == expected


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("credits", "queue key"),
        ("GET credits", "queue key"),
        ("", "queue key"),
        ("G3T /credits", "queue key"),
        ("getCredit", "did you mean getCredits"),
        ("GET /keys/{id}", "no operation has the path template"),
    ],
)
def test_bad_queue_keys_are_refused(key: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeOpenRouter().queue(key, FakeResponse())


def test_queue_refuses_what_is_not_an_answer() -> None:
    with pytest.raises(TypeError, match="FakeResponse, FakeStream, FakeDownload"):
        FakeOpenRouter().queue("*", {"json": 1})  # type: ignore[arg-type]


def test_api_path_strips_only_the_prefix() -> None:
    assert api_path("/api/v1/credits") == "/credits"
    assert api_path("/api/v1") == "/"
    assert api_path("/api/v10/credits") == "/api/v10/credits"
    assert api_path("/credits") == "/credits"


def _recorded(headers: tuple[tuple[str, str], ...], body: bytes = b"") -> RecordedRequest:
    return RecordedRequest(method="POST", path="/api/v1/x", body=body, raw_headers=headers)


def test_recorded_request_redacts_credentials_unless_revealed() -> None:
    request = _recorded((("authorization", "Bearer sk-secret"), ("x-api-key", "sk-2"), ("accept", "*/*")))
    assert request.headers()["Authorization"] == REDACTED
    assert request.headers()["x-api-key"] == REDACTED
    assert request.headers()["accept"] == "*/*"
    assert request.headers(reveal=True)["authorization"] == "Bearer sk-secret"
    assert request.api_key() == REDACTED
    assert request.api_key(reveal=True) == "sk-secret"
    assert "sk-secret" not in repr(request)
    assert "sk-secret" not in str(request.headers())


@pytest.mark.parametrize("authorization", [None, "", "Bearer ", "Basic abc", "sk-no-scheme"])
def test_recorded_request_without_a_bearer_key(authorization: str | None) -> None:
    headers = () if authorization is None else (("authorization", authorization),)
    assert _recorded(headers).api_key(reveal=True) is None


def test_recorded_request_route_drops_the_api_prefix() -> None:
    assert _recorded(()).route == "POST /x"


def test_recorded_request_json() -> None:
    assert _recorded((), b'{"a": 1}').json() == {"a": 1}
    with pytest.raises(ValueError, match="Expecting value"):
        _recorded((), b"not json").json()
