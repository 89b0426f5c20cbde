"""The error tree: every httpx failure maps to one SDK error, and messages are one clean line."""

from __future__ import annotations

import inspect

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, RequestOptions
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import API_KEY, Runner, Wire, make_core

# Every exception class httpx exports, and what it becomes when raised during a call.
HTTPX_MAPPING: dict[str, type[orc.OpenRouterSDKError]] = {
    "HTTPError": orc.UnexpectedClientError,
    "RequestError": orc.UnexpectedClientError,
    "TransportError": orc.ConnectionFailedError,
    "TimeoutException": orc.RequestTimeoutError,
    "ConnectTimeout": orc.RequestTimeoutError,
    "ReadTimeout": orc.RequestTimeoutError,
    "WriteTimeout": orc.RequestTimeoutError,
    "PoolTimeout": orc.RequestTimeoutError,
    "NetworkError": orc.ConnectionFailedError,
    "ConnectError": orc.ConnectionFailedError,
    "ReadError": orc.ConnectionFailedError,
    "WriteError": orc.ConnectionFailedError,
    "CloseError": orc.ConnectionFailedError,
    "RemoteProtocolError": orc.ConnectionFailedError,
    "ProxyError": orc.ConnectionFailedError,
    "ProtocolError": orc.ConnectionFailedError,
    "LocalProtocolError": orc.InvalidRequestError,
    "UnsupportedProtocol": orc.InvalidRequestError,
    "InvalidURL": orc.InvalidRequestError,
    "DecodingError": orc.UnexpectedClientError,  # raised by a transport (not while reading a body)
    "TooManyRedirects": orc.InvalidRequestError,
    "HTTPStatusError": orc.UnexpectedClientError,
    "CookieConflict": orc.UnexpectedClientError,
    "StreamError": orc.UnexpectedClientError,
    "StreamConsumed": orc.UnexpectedClientError,
    "StreamClosed": orc.UnexpectedClientError,
    "ResponseNotRead": orc.UnexpectedClientError,
    "RequestNotRead": orc.UnexpectedClientError,
}


def httpx_exception_names() -> set[str]:
    return {
        name
        for name in httpx.__all__
        if inspect.isclass(getattr(httpx, name)) and issubclass(getattr(httpx, name), Exception)
    }


def test_every_httpx_exception_is_in_the_mapping() -> None:
    assert httpx_exception_names() == set(HTTPX_MAPPING)


def test_the_runtime_table_has_a_row_for_every_httpx_exception() -> None:
    from openrouter_core._errors import httpx_error_table

    rows = {exc.__name__: error for exc, error, _ in httpx_error_table()}
    assert set(rows) == httpx_exception_names()
    assert all(kind in ("not_sent", "maybe_acted", "other") for _, _, kind in httpx_error_table())


def make_exception(cls: type[Exception]) -> Exception:
    request = httpx.Request("GET", "https://x.test")
    if cls is httpx.HTTPStatusError:
        return cls("boom", request=request, response=httpx.Response(500))
    for args in (("boom",), ()):
        try:
            return cls(*args)
        except TypeError:
            continue
    raise AssertionError(cls)


@pytest.mark.parametrize("name", sorted(HTTPX_MAPPING))
def test_each_httpx_exception_becomes_its_sdk_error(run: Runner, name: str) -> None:
    exc = make_exception(getattr(httpx, name))
    wire = Wire(exc)
    result = run(credits_get_credits, credits_get_credits_async, make_core(wire), None, RequestOptions(retries=None))
    assert isinstance(result, Err)
    assert type(result.error) is HTTPX_MAPPING[name]
    assert result.error.__cause__ is exc
    assert "\n" not in str(result.error)
    assert result.exchange.attempts == 1
    assert result.exchange.response is None


def test_status_error_classes_cover_every_documented_status() -> None:
    documented = {400, 401, 402, 403, 404, 408, 409, 410, 413, 422, 429, 500, 502, 503, 524, 529}
    for status in documented:
        cls = orc.status_error_class(status)
        assert cls is not None
        assert cls.status == status
        assert cls.__name__.endswith("ResponseError")
        assert issubclass(cls, orc.OpenRouterStatusError)
    assert orc.status_error_class(418) is None
    assert orc.status_error_class(200) is None


def test_the_tree() -> None:
    assert issubclass(orc.OpenRouterError, orc.OpenRouterSDKError)
    for cls in (
        orc.OpenRouterDefaultError,
        orc.ResponseValidationError,
        orc.ResponseTooLargeError,
        orc.OpenRouterStatusError,
    ):
        assert issubclass(cls, orc.OpenRouterError)
    for cls in (
        orc.ConnectionFailedError,
        orc.RequestTimeoutError,
        orc.RequestAbortedError,
        orc.InvalidRequestError,
        orc.UnexpectedClientError,
    ):
        assert issubclass(cls, orc.HTTPClientError)
        assert not issubclass(cls, orc.OpenRouterError)
    assert issubclass(orc.MissingCredentialsError, orc.SDKValidationError)
    assert not issubclass(orc.SDKValidationError, orc.OpenRouterError)


def test_no_sdk_error_shadows_a_builtin() -> None:
    import builtins

    names = {name for name in orc.__all__ if name.endswith("Error")}
    assert not names & set(dir(builtins))


def test_a_key_echoed_by_the_server_is_redacted_from_the_message(run: Runner) -> None:
    body = f'{{"error": {{"code": 401, "message": "bad key {API_KEY}"}}}}'
    wire = Wire(httpx.Response(401, content=body.encode(), headers={"content-type": "application/json"}))
    result = run(credits_get_credits, credits_get_credits_async, make_core(wire))
    assert isinstance(result, Err)
    assert API_KEY not in str(result.error)
    assert API_KEY not in repr(result.error)
    assert API_KEY not in repr(result)
    assert "[REDACTED]" in str(result.error)
