"""RequestOptions: per-call headers, server URL, validation before sending."""

from __future__ import annotations

import asyncio

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, RequestOptions
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import API_KEY, CREDITS_BODY, Runner, Wire, json_response, make_core


def get(run: Runner, wire: Wire, options: object, **core: object) -> orc.Result[object, orc.OpenRouterSDKError]:
    result: orc.Result[object, orc.OpenRouterSDKError] = run(
        credits_get_credits, credits_get_credits_async, make_core(wire, **core), None, options
    )
    return result


def test_per_call_headers_merge_over_the_operations(run: Runner) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    get(run, wire, RequestOptions(headers={"Accept": "application/json; v=2", "X-Trace": "t1"}), app_title="Core")
    headers = wire.requests[0].headers
    assert headers["accept"] == "application/json; v=2"
    assert headers["x-trace"] == "t1"
    assert headers["x-openrouter-title"] == "Core"
    assert headers.get_list("accept") == ["application/json; v=2"]


@pytest.mark.parametrize("value", ["Bearer sk-per-call", "Basic dXNlcjpwYXNz"])
def test_a_per_call_authorization_is_sent_verbatim_even_without_a_key(run: Runner, value: str) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    result = get(run, wire, RequestOptions(headers={"authorization": value}), api_key=None)
    assert result.ok
    assert wire.requests[0].headers.get_list("authorization") == [value]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"User-Agent": "mine/1.0"}, "cannot be set per call"),
        ({"cookie": "a=b"}, "cannot be set per call"),
        ({"X-Bad": "line\nbreak"}, "line break"),
        ({"X-Bad": "ümlaut"}, "non-ASCII"),
        ({"X-Bad": 5}, "must be strings"),
        ({"Bad Name": "x"}, "not a valid header name"),
        (5, "expected a mapping"),
    ],
)
def test_bad_per_call_headers_fail_when_the_options_are_built(headers: object, reason: str) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        RequestOptions(headers=headers)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith("headers")
    assert reason in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"timeout_ms": 0}, "timeout_ms"),
        ({"timeout_ms": float("nan")}, "timeout_ms"),
        ({"timeout_ms": "5"}, "timeout_ms"),
        ({"server_url": "ftp://x.test"}, "server_url"),
        ({"server_url": "not a url"}, "server_url"),
        ({"server_url": "http://x.test/?"}, "server_url"),
        ({"server_url": "http://x.test:70000"}, "server_url"),
        ({"max_response_bytes": -1}, "max_response_bytes"),
        ({"follow_redirects": "yes"}, "follow_redirects"),
        ({"retries": "backoff"}, "retries"),
        ({"extra_body": [1]}, "extra_body"),
    ],
)
def test_bad_options_fail_when_built_with_one_line_naming_the_field(options: dict[str, object], field: str) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        RequestOptions(**options)  # type: ignore[arg-type]
    assert str(caught.value).startswith(f"{field}: ")
    assert "\n" not in str(caught.value)


def test_options_of_the_wrong_type_are_an_err_before_sending(run: Runner) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    result = get(run, wire, {"timeout_ms": 5})
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert result.error.field == "options"
    assert wire.requests == []


def test_per_call_server_url(run: Runner) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    get(run, wire, RequestOptions(server_url="http://127.0.0.1:8080/other/"))
    assert str(wire.requests[0].url) == "http://127.0.0.1:8080/other/credits"


def test_extensions_and_follow_redirects_reach_httpx() -> None:
    target = json_response(200, CREDITS_BODY)
    wire = Wire(
        lambda r: (
            target
            if r.url.path == "/moved"
            else httpx.Response(307, headers={"location": "https://openrouter.ai/moved"})
        )
    )
    core = make_core(wire)
    assert not credits_get_credits(core).ok
    result = credits_get_credits(core, options=RequestOptions(follow_redirects=True, extensions={"trace": None}))
    assert result.ok
    assert wire.requests[-1].url.path == "/moved"


@pytest.mark.parametrize("key", ["sk-with\nnewline", "sk-ünicode"])
def test_a_key_that_cannot_be_a_header_is_rejected_without_echoing_it(run: Runner, key: str) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    result = get(run, wire, None, api_key=key)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert result.error.field == "api_key"
    assert key not in str(result.error)
    assert wire.requests == []


def test_a_key_callable_returning_a_non_string_is_rejected(run: Runner) -> None:
    result = get(run, Wire(json_response(200, CREDITS_BODY)), None, api_key=lambda: 12345)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert "expected a string key" in str(result.error)


def test_a_cancellation_from_inside_the_transport_is_request_aborted() -> None:
    import sys

    class CancellingTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            raise asyncio.CancelledError("transport gave up")

    async def main() -> orc.Result[object, orc.OpenRouterSDKError]:
        core = orc.OpenRouterCore(
            api_key=API_KEY, async_client=httpx.AsyncClient(transport=CancellingTransport()), retry_config=None
        )
        return await credits_get_credits_async(core)

    if sys.version_info < (3, 11):  # no Task.cancelling(): every CancelledError propagates
        with pytest.raises(asyncio.CancelledError):
            asyncio.run(main())
        return
    result = asyncio.run(main())
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.RequestAbortedError)


def test_hook_replacement_streaming_responses_are_read(run: Runner) -> None:
    def rescue(ctx: orc.HookContext, response: httpx.Response | None, error: BaseException | None) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "application/json"},
            stream=httpx.ByteStream(b'{"data": {"total_credits": 3, "total_usage": 1}}'),
        )

    wire = Wire(json_response(500, {"error": {"code": 500, "message": "x"}}))
    result = get(run, wire, RequestOptions(retries=None), hooks=orc.Hooks(after_error=[rescue]))
    assert result.ok


def test_retries_must_be_a_retry_config() -> None:
    with pytest.raises(TypeError, match=r"^retries: expected a RetryConfig"):
        RequestOptions(retries={"strategy": "none"})  # type: ignore[arg-type]
