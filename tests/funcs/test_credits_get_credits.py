"""credits_get_credits and its async twin, through httpx.MockTransport."""

from __future__ import annotations

import json

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, Ok, RequestOptions
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from openrouter_funcs.models import GetCreditsRequest, GetCreditsResponse
from openrouter_funcs.models import GetCreditsResponseData as GetCreditsData
from tests.helpers import API_KEY, CREDITS_BODY, Runner, Wire, json_response, make_core

NO_RETRY = RequestOptions(retries=None)


def get(run: Runner, core: orc.OpenRouterCore, *args: object) -> orc.Result[GetCreditsResponse, orc.OpenRouterSDKError]:
    result: orc.Result[GetCreditsResponse, orc.OpenRouterSDKError] = run(
        credits_get_credits, credits_get_credits_async, core, *args
    )
    return result


def test_success_decodes_the_model(run: Runner) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    result = get(run, make_core(wire))
    assert result == Ok(GetCreditsResponse(data=GetCreditsData(total_credits=100.5, total_usage=25.75)))
    assert result.ok
    assert result.value.data.total_credits - result.value.data.total_usage == pytest.approx(74.75)
    assert result.exchange.attempts == 1
    assert result.exchange.response is not None
    assert result.exchange.response.status_code == 200
    stored = result.exchange.request
    assert stored is not None
    assert (stored.method, stored.url) == (wire.requests[0].method, wire.requests[0].url)
    # What the Result keeps has the key redacted; what went over the wire had it.
    assert stored.headers["authorization"] == "[REDACTED]"
    assert wire.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


def test_exact_wire_request(run: Runner) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    get(run, make_core(wire, server_url="https://example.test/api/v1///"))
    (request,) = wire.requests
    assert request.method == "GET"
    assert str(request.url) == "https://example.test/api/v1/credits"
    assert request.content == b""
    sent = {k.lower(): v for k, v in request.headers.items()}
    ua = sent.pop("user-agent")
    assert ua.startswith("openrouter-python/")
    assert f"httpx/{httpx.__version__}" in ua
    assert sent == {
        "host": "example.test",
        "accept": "application/json",
        "authorization": f"Bearer {API_KEY}",
        # httpx's own transport-level defaults
        "accept-encoding": "gzip, deflate",
        "connection": "keep-alive",
    }


@pytest.mark.parametrize("key", ["Bearer sk-abc", "bearer sk-abc", "BEARER sk-abc"])
def test_bearer_prefix_is_not_doubled(run: Runner, key: str) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    get(run, make_core(wire, api_key=key))
    assert wire.requests[0].headers["authorization"] == key


def test_key_callables_are_resolved_once_per_call(run: Runner) -> None:
    calls: list[int] = []

    def sync_key() -> str:
        calls.append(1)
        return "sk-from-callable"

    wire = Wire(json_response(200, CREDITS_BODY))
    core = make_core(wire, api_key=sync_key)
    get(run, core)
    get(run, core)
    assert calls == [1, 1]
    assert all(r.headers["authorization"] == "Bearer sk-from-callable" for r in wire.requests)


def test_async_key_callable_works_with_the_async_function() -> None:
    async def key() -> str:
        return "sk-async"

    wire = Wire(json_response(200, CREDITS_BODY))
    result = Runner("async")(credits_get_credits, credits_get_credits_async, make_core(wire, api_key=key))
    assert result.ok
    assert wire.requests[0].headers["authorization"] == "Bearer sk-async"


def test_async_key_callable_with_the_sync_function_is_a_clear_err() -> None:
    async def key() -> str:
        return "sk-async"

    wire = Wire(json_response(200, CREDITS_BODY))
    result = credits_get_credits(make_core(wire, api_key=key))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert "_async" in str(result.error)
    assert wire.requests == []


def test_key_callable_that_raises_is_an_err_without_its_message(run: Runner) -> None:
    def key() -> str:
        raise RuntimeError("vault said sk-secret-in-message")

    wire = Wire(json_response(200, CREDITS_BODY))
    result = get(run, make_core(wire, api_key=key))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.UnexpectedClientError)
    assert "RuntimeError" in str(result.error)
    assert "sk-secret-in-message" not in str(result.error)
    assert wire.requests == []


def test_env_key_is_read_at_call_time(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    core = make_core(wire, api_key=None)
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-env-1")
    get(run, core)
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-env-2")
    get(run, core)
    assert [r.headers["authorization"] for r in wire.requests] == ["Bearer sk-env-1", "Bearer sk-env-2"]


@pytest.mark.parametrize("key", [None, ""])
def test_missing_key_is_an_err_and_nothing_is_sent(run: Runner, key: str | None) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    result = get(run, make_core(wire, api_key=key))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.MissingCredentialsError)
    assert isinstance(result.error, orc.SDKValidationError)
    message = str(result.error)
    assert "api_key" in message
    assert "OPENROUTER_API_KEY" in message
    assert wire.requests == []
    assert result.exchange.attempts == 0


def test_app_header_precedence_call_over_core_over_env(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_HTTP_REFERER", "https://env.example")
    monkeypatch.setenv("OPENROUTER_APP_TITLE", "Env Title")
    monkeypatch.setenv("OPENROUTER_APP_CATEGORIES", "env-cat")
    wire = Wire(json_response(200, CREDITS_BODY))
    core = make_core(wire, app_title="Core Title", app_categories=["cli-agent", "cloud-agent"])
    get(run, core, GetCreditsRequest(app_categories="call-cat"))
    get(run, core)
    first, second = (r.headers for r in wire.requests)
    assert first["http-referer"] == "https://env.example"
    assert first["x-openrouter-title"] == "Core Title"
    assert first["x-openrouter-categories"] == "call-cat"
    assert second["x-openrouter-categories"] == "cli-agent,cloud-agent"


def test_request_as_a_dict_and_empty_values_are_not_sent(run: Runner) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    core = make_core(wire, app_title="Core Title")
    get(run, core, {"http_referer": "https://call.example", "app_title": ""})
    headers = wire.requests[0].headers
    assert headers["http-referer"] == "https://call.example"
    assert "x-openrouter-title" not in headers
    assert "x-openrouter-categories" not in headers


@pytest.mark.parametrize(
    ("request_arg", "field"),
    [
        ({"app_titel": "typo"}, "request.app_titel"),
        ({"app_title": 3}, "request.app_title"),
        (GetCreditsRequest(app_title="line\nbreak"), "request.app_title"),
        (GetCreditsRequest(http_referer="https://exämple.test"), "request.http_referer"),
        (["not", "a", "request"], "request"),
    ],
)
def test_invalid_request_is_an_err_and_nothing_is_sent(run: Runner, request_arg: object, field: str) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    result = get(run, make_core(wire), request_arg)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert result.error.field == field
    assert field in str(result.error)
    assert wire.requests == []


# --- status matching ---------------------------------------------------------------------------

TYPED = {
    401: orc.UnauthorizedResponseError,
    403: orc.ForbiddenResponseError,
    500: orc.InternalServerResponseError,
    402: orc.PaymentRequiredResponseError,
    404: orc.NotFoundResponseError,
    410: orc.GoneResponseError,
    503: orc.ServiceUnavailableResponseError,
}


@pytest.mark.parametrize(("status", "error_class"), sorted(TYPED.items()))
def test_error_status_with_json_body_is_typed(
    run: Runner, status: int, error_class: type[orc.OpenRouterStatusError]
) -> None:
    body = {"error": {"code": status, "message": "went wrong", "metadata": {"k": 1}}, "user_id": "user_1"}
    wire = Wire(json_response(status, body))
    result = get(run, make_core(wire), None, NO_RETRY)
    assert isinstance(result, Err)
    error = result.error
    assert type(error) is error_class
    assert isinstance(error, orc.OpenRouterError)
    assert error.status_code == status
    assert error.error == orc.ErrorDetail(code=status, message="went wrong", metadata={"k": 1})
    assert error.user_id == "user_1"
    assert error.openrouter_metadata is None
    assert str(error) == f"HTTP {status} {error_class.reason}: went wrong"
    assert error.body == json.dumps(body)
    assert error.response is result.exchange.response
    assert error.request is result.exchange.request
    assert error.request is not None
    assert error.request.url == wire.requests[0].url


@pytest.mark.parametrize(("status", "error_class"), sorted(TYPED.items()))
def test_error_status_with_any_body_is_still_typed(
    run: Runner, status: int, error_class: type[orc.OpenRouterStatusError]
) -> None:
    page = "<html>\n<body>upstream\n   broke</body></html>"
    wire = Wire(httpx.Response(status, text=page, headers={"content-type": "text/html"}))
    result = get(run, make_core(wire), None, NO_RETRY)
    assert isinstance(result, Err)
    assert type(result.error) is error_class
    assert result.error.error is None
    assert result.error.body == page
    assert "\n" not in str(result.error)
    assert "upstream broke" in str(result.error)


def test_error_status_with_json_of_the_wrong_shape_is_still_typed(run: Runner) -> None:
    wire = Wire(json_response(401, {"error": "nope"}))
    result = get(run, make_core(wire))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.UnauthorizedResponseError)
    assert result.error.error is None
    assert '{"error": "nope"}' in str(result.error)


def test_unknown_error_status_is_the_default_error(run: Runner) -> None:
    wire = Wire(httpx.Response(418, text="I'm a teapot", headers={"content-type": "text/plain"}))
    result = get(run, make_core(wire))
    assert isinstance(result, Err)
    assert type(result.error) is orc.OpenRouterDefaultError
    assert result.error.status_code == 418
    assert str(result.error) == "API error occurred: HTTP 418: I'm a teapot"


def test_long_bodies_are_cut_in_messages_but_kept_whole_on_the_error(run: Runner) -> None:
    text = "x" * 5000
    wire = Wire(httpx.Response(418, text=text))
    result = get(run, make_core(wire))
    assert isinstance(result, Err)
    assert len(str(result.error)) < 400
    assert result.error.body == text


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(200, text="<html>hi</html>", headers={"content-type": "text/html"}), "'text/html'"),
        (httpx.Response(200, content=b'{"data": {}}'), "none"),
        (httpx.Response(201, json=CREDITS_BODY), "'application/json'"),
        (httpx.Response(204), "none"),
        (httpx.Response(302, headers={"location": "https://elsewhere.test"}), "none"),
    ],
)
def test_unexpected_status_or_content_type_is_the_default_error(
    run: Runner, response: httpx.Response, expected: str
) -> None:
    result = get(run, make_core(Wire(response)))
    assert isinstance(result, Err)
    assert type(result.error) is orc.OpenRouterDefaultError
    assert str(result.error).startswith(
        f"Unexpected response: HTTP {response.status_code} with content type {expected}"
    )


def test_json_content_type_parameters_are_ignored(run: Runner) -> None:
    response = httpx.Response(
        200, content=json.dumps(CREDITS_BODY).encode(), headers={"content-type": "Application/JSON; charset=utf-8"}
    )
    assert get(run, make_core(Wire(response))).ok


@pytest.mark.parametrize(
    ("body", "path", "reason"),
    [
        (b"", "$", "the body is empty"),
        (b"{not json", "$", "not valid JSON"),
        (b'{"data": {"total_credits": NaN, "total_usage": 1}}', "$", "NaN is not valid JSON"),
        (b"\xff\xfe\x00garbage", "$", ""),
        (b"[1, 2]", "$", "expected an object, got an array"),
        (b'{"data": {"total_usage": 1}}', "$.data.total_credits", "required field is missing"),
        (
            b'{"data": {"total_credits": "1.5", "total_usage": 1}}',
            "$.data.total_credits",
            "expected a number, got a string",
        ),
        (
            b'{"data": {"total_credits": true, "total_usage": 1}}',
            "$.data.total_credits",
            "expected a number, got a boolean",
        ),
        (b'{"data": {"total_credits": null, "total_usage": 1}}', "$.data.total_credits", "expected a number, got null"),
        (b'{"data": [1]}', "$.data", "expected an object, got an array"),
        (b"[" * 100_000 + b"]" * 100_000, "$", "nested too deeply"),
    ],
)
def test_200_that_does_not_fit_is_a_response_validation_error(run: Runner, body: bytes, path: str, reason: str) -> None:
    wire = Wire(httpx.Response(200, content=body, headers={"content-type": "application/json"}))
    result = get(run, make_core(wire))
    assert isinstance(result, Err)
    error = result.error
    assert type(error) is orc.ResponseValidationError
    assert error.path == path
    assert reason in error.reason
    assert "GetCreditsResponse" in str(error)
    assert path in str(error)
    assert error.status_code == 200


def test_extra_fields_are_ignored(run: Runner) -> None:
    body = {"data": {"total_credits": 1, "total_usage": 0, "new_field": [1]}, "meta": {"x": 1}}
    result = get(run, make_core(Wire(json_response(200, body))))
    assert result == Ok(GetCreditsResponse(data=GetCreditsData(total_credits=1.0, total_usage=0.0)))
    assert type(result.unwrap().data.total_credits) is float


def test_integers_too_large_for_a_float_are_a_validation_error(run: Runner) -> None:
    body = b'{"data": {"total_credits": 1' + b"0" * 400 + b', "total_usage": 0}}'
    result = get(run, make_core(Wire(httpx.Response(200, content=body, headers={"content-type": "application/json"}))))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ResponseValidationError)
    assert result.error.path == "$.data.total_credits"
