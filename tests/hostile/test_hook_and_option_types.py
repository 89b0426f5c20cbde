"""Promise 2: wrong hook return values are a named Err; wrong option types fail at construction.

A hook that returns the wrong thing (``before_request`` forgetting ``return request``,
``after_success`` returning ``None``, ``after_error`` returning a string or a dict) must end the
call in ``Err(UnexpectedClientError)`` whose message names the hook kind, the hook and the type
it returned: never an ``AttributeError`` from deep inside. ``None`` from ``after_error`` means
"keep the outcome" and stays allowed.

``Hooks``, ``RequestOptions(headers=...)``, ``RetryConfig`` and ``BackoffStrategy`` given the
wrong types raise ``TypeError``/``ValueError`` at construction, with one short line naming the
field (not an attrs dump). Other per-call options may instead be refused when the call is made,
as an ``SDKValidationError`` naming the option, with nothing sent; never another exception.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openrouter_core as orc
from openrouter import OpenRouter
from openrouter_core import BackoffStrategy, HookContext, Hooks, OpenRouterCore, RequestOptions, RetryConfig
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import CREDITS_BODY, FakeClock, Wire, json_response, make_core

PROPERTY = settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

OK = json_response(200, CREDITS_BODY)

WRONG_RETURNS: list[Any] = [None, "request", {"url": "x"}, 5, b"bytes", [1], httpx.Request("GET", "https://x.test")]


def error_response(status: int) -> httpx.Response:
    return json_response(status, {"error": {"code": status, "message": "no"}})


def make_hook(value: Any, *, is_async: bool) -> Callable[..., Any]:
    async def async_hook(*args: object) -> Any:
        return value

    def sync_hook(*args: object) -> Any:
        return value

    hook = async_hook if is_async else sync_hook
    hook.__name__ = hook.__qualname__ = "hook_returning_the_wrong_thing"
    return hook


def call(mode: str, wire: Wire, hooks: Hooks) -> Any:
    core = make_core(wire, hooks=hooks, clock=FakeClock().clock(), retry_config=None)
    if mode == "sync":
        return credits_get_credits(core)
    return asyncio.run(credits_get_credits_async(core))


def type_named(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def check_named_err(result: Any, kind: str, value: Any) -> None:
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.UnexpectedClientError), repr(result.error)
    message = str(result.error)
    assert "\n" not in message
    assert kind in message
    assert "hook_returning_the_wrong_thing" in message
    assert type_named(value) in message


def wrong_for(kind: str, value: Any) -> bool:
    if kind == "before_request":
        return not isinstance(value, httpx.Request)
    if kind == "after_success":
        return not isinstance(value, httpx.Response)
    return value is not None and not isinstance(value, httpx.Response)  # after_error: None keeps the outcome


CASES = [
    (kind, value)
    for kind in ("before_request", "after_success", "after_error")
    for value in WRONG_RETURNS
    if wrong_for(kind, value)
]


# async hooks run on the async path only (on the sync path they are a clear Err, see tests/unit)
PATHS = [
    pytest.param("sync", False, id="sync"),
    pytest.param("async", False, id="async"),
    pytest.param("async", True, id="async-hook"),
]


@pytest.mark.parametrize(("mode", "is_async"), PATHS)
@pytest.mark.parametrize(("kind", "value"), CASES, ids=[f"{k}-{type_named(v)}" for k, v in CASES])
def test_a_wrong_hook_return_is_an_err_naming_hook_and_type(mode: str, is_async: bool, kind: str, value: Any) -> None:
    wire = Wire(error_response(503) if kind == "after_error" else OK)
    result = call(mode, wire, Hooks(**{kind: [make_hook(value, is_async=is_async)]}))
    check_named_err(result, kind, value)
    assert len(wire.requests) == (0 if kind == "before_request" else 1)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("value", ["fine", {"status": 200}, 7])
def test_after_error_returning_junk_after_a_transport_failure_is_an_err(mode: str, value: Any) -> None:
    wire = Wire(httpx.ConnectError("refused"))
    result = call(mode, wire, Hooks(after_error=[make_hook(value, is_async=False)]))
    check_named_err(result, "after_error", value)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_after_error_returning_none_keeps_the_outcome(mode: str) -> None:
    wire = Wire(error_response(401))
    result = call(mode, wire, Hooks(after_error=[make_hook(None, is_async=False)]))
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.UnauthorizedResponseError)


def test_the_facade_raises_the_named_error_not_attribute_error() -> None:
    def forgetful(ctx: HookContext, request: httpx.Request) -> None:
        request.headers["x-trace"] = "1"  # and forgets to return it

    wire = Wire(OK)
    client = OpenRouter(
        api_key="sk-test",
        client=httpx.Client(transport=httpx.MockTransport(wire)),
        hooks=Hooks(before_request=[forgetful]),  # type: ignore[list-item]
    )
    with pytest.raises(orc.UnexpectedClientError, match="before_request") as caught:
        client.credits.get_credits()
    assert "forgetful" in str(caught.value)
    assert wire.requests == []


hook_returns = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=3),
    st.binary(max_size=5),
    st.booleans(),
    st.tuples(st.integers()),
)


@pytest.mark.parametrize("mode", ["sync", "async"])
@PROPERTY
@given(kind=st.sampled_from(["before_request", "after_success", "after_error"]), value=hook_returns)
def test_any_wrong_hook_return_is_a_named_err(mode: str, kind: str, value: Any) -> None:
    if kind == "after_error" and value is None:
        value = "None is allowed here; a string is not"
    wire = Wire(error_response(500) if kind == "after_error" else OK)
    result = call(mode, wire, Hooks(**{kind: [make_hook(value, is_async=False)]}))
    check_named_err(result, kind, value)


# --- construction-time type checks ------------------------------------------------------------------


def check_one_line_naming(exc: BaseException, field: str) -> None:
    message = str(exc)
    assert "\n" not in message, message
    assert field in message, message
    assert "Attribute(" not in message, message  # not an attrs dump
    assert len(message) < 300, message


BAD_CONSTRUCTIONS: list[tuple[type, dict[str, Any], str]] = [
    (Hooks, {"before_request": 5}, "before_request"),
    (Hooks, {"before_request": [5]}, "before_request"),
    (Hooks, {"after_success": "fn"}, "after_success"),
    (Hooks, {"after_error": [None]}, "after_error"),
    (RequestOptions, {"headers": 5}, "headers"),
    (RequestOptions, {"headers": {"a": 1}}, "headers"),
    (RequestOptions, {"headers": {1: "a"}}, "headers"),
    (RequestOptions, {"headers": "x-a: 1"}, "headers"),
    (RetryConfig, {"backoff": "x"}, "backoff"),
    (RetryConfig, {"backoff": {"initial_interval": 1}}, "backoff"),
    (RetryConfig, {"max_attempts": 0}, "max_attempts"),
    (RetryConfig, {"max_attempts": -1}, "max_attempts"),
    (RetryConfig, {"max_attempts": "3"}, "max_attempts"),
    (RetryConfig, {"max_attempts": 2.5}, "max_attempts"),
    (RetryConfig, {"retry_non_idempotent": "no"}, "retry_non_idempotent"),
    (BackoffStrategy, {"initial_interval": "1"}, "initial_interval"),
    (BackoffStrategy, {"max_interval": None}, "max_interval"),
    (BackoffStrategy, {"exponent": "2"}, "exponent"),
    (BackoffStrategy, {"max_elapsed_time": [1]}, "max_elapsed_time"),
]


def construction_id(case: tuple[type, dict[str, Any], str]) -> str:
    cls, kwargs, _ = case
    return f"{cls.__name__}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


@pytest.mark.parametrize(
    ("cls", "kwargs", "field"), BAD_CONSTRUCTIONS, ids=[construction_id(c) for c in BAD_CONSTRUCTIONS]
)
def test_wrong_types_fail_at_construction_with_one_line_naming_the_field(
    cls: type, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        cls(**kwargs)
    check_one_line_naming(caught.value, field)
    assert "unexpected keyword argument" not in str(caught.value)  # the field must exist


def test_retry_config_has_a_bounded_max_attempts() -> None:
    three: Any = RetryConfig(max_attempts=3)
    assert three.max_attempts == 3
    default = getattr(RetryConfig(), "max_attempts", None)
    assert isinstance(default, int)
    assert 2 <= default <= 15


# --- property: any wrong type, anywhere, fails clearly ------------------------------------------------

not_a_number = st.one_of(
    st.text(max_size=6),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.binary(min_size=1, max_size=3),
)
not_a_string = st.one_of(st.integers(), st.floats(), st.lists(st.text(max_size=2), max_size=2), st.binary(max_size=3))
not_a_bool = st.one_of(st.text(max_size=5), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(), st.text()))
not_callable = st.one_of(st.integers(), st.text(min_size=1, max_size=5), st.none(), st.floats(), st.binary(min_size=1))

hooks_values = st.one_of(
    st.integers(),
    st.floats(),
    st.text(min_size=1, max_size=5),
    st.lists(not_callable, min_size=1, max_size=3),
    st.tuples(not_callable),
)


@PROPERTY
@given(kind=st.sampled_from(["before_request", "after_success", "after_error"]), value=hooks_values)
def test_hooks_refuse_anything_but_callables(kind: str, value: Any) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        Hooks(**{kind: value})
    check_one_line_naming(caught.value, kind)


@PROPERTY
@given(
    data=st.one_of(
        st.tuples(st.just("initial_interval"), not_a_number),
        st.tuples(st.just("max_interval"), not_a_number),
        st.tuples(st.just("exponent"), not_a_number),
        st.tuples(st.just("max_elapsed_time"), not_a_number),
    )
)
def test_backoff_strategy_refuses_non_numbers(data: tuple[str, Any]) -> None:
    field, value = data
    with pytest.raises((TypeError, ValueError)) as caught:
        BackoffStrategy(**{field: value})
    check_one_line_naming(caught.value, field)


@PROPERTY
@given(
    data=st.one_of(
        st.tuples(st.just("backoff"), st.one_of(not_a_number, st.integers(), st.just(RetryConfig()))),
        st.tuples(st.just("max_attempts"), st.one_of(not_a_number, st.integers(max_value=0), st.floats())),
        st.tuples(st.just("retry_connection_errors"), not_a_bool),
        st.tuples(st.just("retry_non_idempotent"), not_a_bool),
        st.tuples(st.just("strategy"), st.one_of(st.text(max_size=5).filter(lambda s: s not in ("none", "backoff")))),
    )
)
def test_retry_config_refuses_wrong_types(data: tuple[str, Any]) -> None:
    field, value = data
    with pytest.raises((TypeError, ValueError)) as caught:
        RetryConfig(**{field: value})
    check_one_line_naming(caught.value, field)
    assert "unexpected keyword argument" not in str(caught.value)


OPTION_VALUES = st.one_of(
    st.tuples(st.just("retries"), st.one_of(st.integers(), st.text(max_size=5), st.dictionaries(st.text(), st.text()))),
    st.tuples(st.just("retry_codes"), st.one_of(st.integers(), st.floats(), st.lists(st.floats(), min_size=1))),
    st.tuples(
        st.just("timeout_ms"), st.one_of(st.text(max_size=5), st.lists(st.integers()), st.just(-1), st.just(math.nan))
    ),
    st.tuples(st.just("server_url"), st.one_of(st.integers(), st.lists(st.text()), st.just("ftp://x.test"))),
    st.tuples(
        st.just("headers"),
        st.one_of(
            st.integers(),
            st.text(max_size=5),
            st.lists(st.text(max_size=3), min_size=1),
            st.dictionaries(st.text("abc", min_size=1, max_size=3), st.integers(), min_size=1, max_size=2),
        ),
    ),
    st.tuples(st.just("max_response_bytes"), st.one_of(st.text(max_size=5), st.floats(), st.just(-1))),
    st.tuples(st.just("follow_redirects"), not_a_bool),
    st.tuples(
        st.just("extensions"),
        st.one_of(st.integers(), st.text(min_size=1, max_size=5), st.lists(st.integers(), min_size=1)),
    ),
)


@pytest.mark.parametrize("mode", ["sync", "async"])
@PROPERTY
@given(data=OPTION_VALUES)
def test_wrong_option_types_fail_clearly_and_send_nothing(mode: str, data: tuple[str, Any]) -> None:
    field, value = data
    try:
        options = RequestOptions(**{field: value})
    except (TypeError, ValueError) as exc:
        check_one_line_naming(exc, field)
        return
    wire = Wire(OK)
    core = make_core(wire, clock=FakeClock().clock())
    if mode == "sync":
        result = credits_get_credits(core, None, options)
    else:
        result = asyncio.run(credits_get_credits_async(core, None, options))
    assert isinstance(result, orc.Err), (field, value)
    assert isinstance(result.error, orc.SDKValidationError), repr(result.error)
    assert field in result.error.field
    assert wire.requests == []


CORE_VALUES = st.one_of(
    st.tuples(st.just("server_url"), not_a_string),
    st.tuples(st.just("http_referer"), not_a_string),
    st.tuples(st.just("app_title"), not_a_string),
    st.tuples(st.just("user_agent"), not_a_string),
    st.tuples(st.just("app_categories"), st.one_of(st.integers(), st.lists(st.integers(), min_size=1))),
    st.tuples(st.just("timeout_ms"), not_a_number.filter(lambda v: v is not None)),
    st.tuples(st.just("max_response_bytes"), not_a_number.filter(lambda v: v is not None)),
    st.tuples(st.just("debug"), not_a_bool),
)


@PROPERTY
@given(data=CORE_VALUES)
def test_core_options_of_the_wrong_type_fail_at_construction(data: tuple[str, Any]) -> None:
    field, value = data
    with pytest.raises((TypeError, ValueError)) as caught:
        OpenRouterCore(**{field: value})
    check_one_line_naming(caught.value, field)
