"""Promise 8: the key never leaks, whatever odd path it takes.

- A key with leading/trailing whitespace or a control character (tab, vertical tab, form feed,
  ESC, DEL, ...) is an ``SDKValidationError`` before anything is sent; neither its message, the
  DEBUG log, nor the formatted traceback contains the key (or a recognisable piece of it).
- A hook whose exception text contains the key: the ``Err`` message shows ``[REDACTED]``.
- An ``Err`` from a real call pickles without the key (the stored request's ``Authorization`` is
  redacted) and unpickles.
- Redaction never garbles text: a one-letter key leaves ``User not found.`` intact, and a blank
  key is refused without its spaces being "redacted" all over the message.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import traceback
import warnings
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openrouter_core as orc
from openrouter.testing import FakeOpenRouter
from openrouter_core import HookContext, Hooks, OpenRouterCore, RequestOptions
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import CREDITS_BODY, FakeClock, Wire, json_response, make_core
from tests.hostile import rawserver as rs
from tests.hostile.support import CHARGE, KEY, charge, get

PROPERTY = settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

# Pieces of KEY that must never show up: the whole key, and each half (a control character in the
# middle would be escaped, e.g. "\\x01", which hides the whole key from a naive search).
FRAGMENTS = (KEY, KEY[:14], KEY[-14:])


def assert_no_key(*texts: str) -> None:
    for text in texts:
        for fragment in FRAGMENTS:
            assert fragment not in text, f"{fragment!r} leaked into: {text[:300]!r}"


def formatted(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


BAD_KEYS = [
    pytest.param(KEY + "\t", id="trailing-tab"),
    pytest.param(KEY + "\x0b", id="trailing-vertical-tab"),
    pytest.param(KEY + "\x0c", id="trailing-form-feed"),
    pytest.param(" " + KEY, id="leading-space"),
    pytest.param(KEY + " ", id="trailing-space"),
    pytest.param("\t" + KEY, id="leading-tab"),
    pytest.param(KEY[:16] + "\x01" + KEY[16:], id="embedded-SOH"),
    pytest.param(KEY[:16] + "\x1b" + KEY[16:], id="embedded-ESC"),
    pytest.param(KEY[:16] + "\x7f" + KEY[16:], id="embedded-DEL"),
    pytest.param(KEY[:16] + "\t" + KEY[16:], id="embedded-tab"),
    pytest.param("Bearer " + KEY + "\x0c", id="bearer-with-form-feed"),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("operation", ["get", "charge-core-key", "charge-security"])
@pytest.mark.parametrize("key", BAD_KEYS)
def test_a_key_with_odd_whitespace_is_refused_before_sending_and_never_shown(
    key: str, operation: str, mode: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="openrouter")
    core_key = "sk-or-v1-other" if operation == "charge-security" else key
    with (
        rs.serve(rs.answer()) as server,
        OpenRouterCore(api_key=core_key, server_url=server.url, debug=True, retry_config=None) as core,
    ):
        if operation == "charge-security":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                if mode == "sync":
                    result = credits_create_coinbase_charge(core, {"bearer": key}, CHARGE)
                else:
                    result = asyncio.run(credits_create_coinbase_charge_async(core, {"bearer": key}, CHARGE))
        else:
            result = get(mode, core) if operation == "get" else charge(mode, core)
    assert server.count == 0, "the request was sent"
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.SDKValidationError), repr(result.error)
    assert "\n" not in str(result.error)
    debug_output = caplog.text + capfd.readouterr().err  # records, or a handler writing to stderr
    assert_no_key(str(result.error), repr(result.error), formatted(result.error), repr(result), debug_output)


CONTROL = st.sampled_from([chr(c) for c in [*range(0x20), 0x7F]])


@st.composite
def odd_keys(draw: st.DrawFn) -> str:
    where = draw(st.sampled_from(["start", "end", "middle"]))
    odd = draw(st.one_of(CONTROL, st.sampled_from([" ", "  ", "\u00a0"])) if where != "middle" else CONTROL)
    if where == "start":
        return odd + KEY
    if where == "end":
        return KEY + odd
    return KEY[:16] + odd + KEY[16:]


@pytest.mark.parametrize("mode", ["sync", "async"])
@PROPERTY
@given(key=odd_keys())
def test_any_key_with_control_characters_or_edge_whitespace_is_refused(mode: str, key: str) -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    core = make_core(wire, api_key=key, clock=FakeClock().clock(), retry_config=None)
    result = credits_get_credits(core) if mode == "sync" else asyncio.run(credits_get_credits_async(core))
    assert wire.requests == []
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.SDKValidationError), repr(result.error)
    assert_no_key(str(result.error), repr(result.error), formatted(result.error))


# --- hooks whose exception quotes the key ---------------------------------------------------------


def leaky_hook(*args: object) -> Any:
    raise ValueError(f"rejected credentials {KEY} for this call")


@pytest.mark.parametrize("bearer", [False, True], ids=["plain-key", "bearer-key"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kind", ["before_request", "after_success", "after_error"])
def test_a_hook_exception_quoting_the_key_is_redacted(kind: str, mode: str, bearer: bool) -> None:
    wire = Wire(
        json_response(500, {"error": {"code": 500, "message": "x"}})
        if kind == "after_error"
        else json_response(200, CREDITS_BODY)
    )
    core = make_core(
        wire, api_key=("Bearer " + KEY) if bearer else KEY, hooks=Hooks(**{kind: [leaky_hook]}), retry_config=None
    )
    result = credits_get_credits(core) if mode == "sync" else asyncio.run(credits_get_credits_async(core))
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.UnexpectedClientError)
    message = str(result.error)
    assert "[REDACTED]" in message
    assert kind in message
    assert_no_key(message, repr(result.error), repr(result))


# --- pickling -------------------------------------------------------------------------------------


def hook_that_raises(ctx: HookContext, request: httpx.Request) -> httpx.Request:
    raise RuntimeError("no")


def drop(conn: rs.Conn) -> None:
    conn.read_request()  # then close without answering


ERRORS_FROM_REAL_CALLS = [
    pytest.param(
        lambda: rs.answer(401, rs.error_json(401, "User not found.")), {}, orc.UnauthorizedResponseError, id="401"
    ),
    pytest.param(lambda: rs.answer(418, b"teapot"), {}, orc.OpenRouterDefaultError, id="418"),
    pytest.param(lambda: rs.answer(200, b"{not json"), {}, orc.ResponseValidationError, id="bad-json"),
    pytest.param(
        lambda: rs.answer(200, b"x" * 5000), {"max_response_bytes": 100}, orc.ResponseTooLargeError, id="too-large"
    ),
    pytest.param(lambda: rs.hang(cap=3.0), {"timeout_ms": 200}, orc.RequestTimeoutError, id="timeout"),
    pytest.param(lambda: drop, {}, orc.ConnectionFailedError, id="dropped"),
    pytest.param(rs.answer, {"hooks": Hooks(before_request=[hook_that_raises])}, orc.UnexpectedClientError, id="hook"),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("script", "core_options", "expected"), ERRORS_FROM_REAL_CALLS)
def test_an_err_from_a_real_call_pickles_without_the_key(
    script: Any, core_options: dict[str, Any], expected: type[BaseException], mode: str
) -> None:
    with (
        rs.serve(script()) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, retry_config=None, **core_options) as core,
    ):
        result = get(mode, core)
    assert isinstance(result, orc.Err)
    error = result.error
    assert type(error) is expected, repr(error)
    for obj in (error, result):
        data = pickle.dumps(obj)
        for fragment in FRAGMENTS:
            assert fragment.encode() not in data, f"{type(obj).__name__} pickles the key"
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes we just made
    assert type(restored) is type(error)
    assert str(restored) == str(error)
    if isinstance(error, orc.OpenRouterError):
        assert restored.status_code == error.status_code  # type: ignore[attr-defined]
    restored_result = pickle.loads(pickle.dumps(result))  # noqa: S301 - bytes we just made
    assert type(restored_result.error) is type(error)
    stored = getattr(error, "request", None) or result.exchange.request
    assert stored is not None
    assert_no_key(str(stored.headers.get("authorization", "")))


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(orc.SDKValidationError("options.timeout_ms", "must be positive"), id="SDKValidationError"),
        pytest.param(orc.MissingCredentialsError("api_key", "no API key"), id="MissingCredentialsError"),
        pytest.param(orc.ConnectionFailedError("Connection failed"), id="ConnectionFailedError"),
    ],
)
def test_errors_built_directly_round_trip_through_pickle(error: BaseException) -> None:
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes we just made
    assert type(restored) is type(error)
    assert str(restored) == str(error)
    if isinstance(error, orc.SDKValidationError):
        assert restored.field == error.field  # type: ignore[attr-defined]
        assert restored.reason == error.reason  # type: ignore[attr-defined]


# --- redaction never garbles -----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["U", "s", "e", ".", "r", "Bearer U"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_one_letter_key_does_not_garble_messages(
    key: str, mode: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="openrouter")
    with (
        FakeOpenRouter.serve(api_keys=["sk-or-v1-the-only-valid-key"]) as fake,
        OpenRouterCore(api_key=key, server_url=fake.url, debug=True, retry_config=None) as core,
    ):
        result = get(mode, core)
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.UnauthorizedResponseError), repr(result.error)
    assert "User not found." in str(result.error)
    assert "[REDACTED]ser" not in str(result.error)
    debug_output = caplog.text + capfd.readouterr().err  # records, or a handler writing to stderr
    assert "User not found." in debug_output  # the response body as logged
    assert "[REDACTED]ser" not in debug_output


@pytest.mark.parametrize("key", [" ", "  ", "\t", "Bearer ", "Bearer  "])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_blank_key_is_refused_without_garbling_the_message(key: str, mode: str) -> None:
    with rs.serve(rs.answer()) as server, OpenRouterCore(api_key=key, server_url=server.url, retry_config=None) as core:
        result = get(mode, core, RequestOptions(timeout_ms=2_000))
    assert server.count == 0
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.SDKValidationError), repr(result.error)
    message = str(result.error)
    assert "[REDACTED]" not in message  # spaces were not "redacted" all over it
    assert " " in message
