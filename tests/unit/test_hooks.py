"""Hooks: per attempt, in order, replacing requests and responses; a raising hook is a named Err."""

from __future__ import annotations

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, HookContext, Hooks
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import CREDITS_BODY, FakeClock, Runner, Wire, json_response, make_core

OK = json_response(200, CREDITS_BODY)


def error_response(status: int) -> httpx.Response:
    return json_response(status, {"error": {"code": status, "message": "no"}})


def get(run: Runner, wire: Wire, hooks: Hooks) -> orc.Result[object, orc.OpenRouterSDKError]:
    core = make_core(wire, hooks=hooks, clock=FakeClock().clock())
    result: orc.Result[object, orc.OpenRouterSDKError] = run(credits_get_credits, credits_get_credits_async, core)
    return result


def test_hooks_run_per_attempt_in_order_with_the_attempt_number(run: Runner) -> None:
    events: list[tuple[str, int, str]] = []

    def before(ctx: HookContext, request: httpx.Request) -> httpx.Request:
        events.append(("before", ctx.attempt, ctx.operation_id))
        return request

    def success(ctx: HookContext, response: httpx.Response) -> httpx.Response:
        events.append(("success", ctx.attempt, str(response.status_code)))
        return response

    def error(ctx: HookContext, response: httpx.Response | None, exc: BaseException | None) -> None:
        events.append(("error", ctx.attempt, str(response.status_code) if response else type(exc).__name__))

    wire = Wire(error_response(503), httpx.ConnectError("refused"), OK)
    result = get(run, wire, Hooks(before_request=[before], after_success=[success], after_error=[error]))
    assert result.ok
    assert events == [
        ("before", 1, "getCredits"),
        ("error", 1, "503"),
        ("before", 2, "getCredits"),
        ("error", 2, "ConnectError"),
        ("before", 3, "getCredits"),
        ("success", 3, "200"),
    ]


def test_before_request_hooks_chain_and_replace_the_request(run: Runner) -> None:
    def add_a(ctx: HookContext, request: httpx.Request) -> httpx.Request:
        request.headers["x-a"] = "1"
        return request

    def replace(ctx: HookContext, request: httpx.Request) -> httpx.Request:
        headers = dict(request.headers)
        headers["x-b"] = headers["x-a"] + "2"
        return httpx.Request(request.method, str(request.url) + "?via=hook", headers=headers)

    wire = Wire(OK)
    result = get(run, wire, Hooks(before_request=[add_a, replace]))
    assert result.ok
    sent = wire.requests[0]
    assert sent.headers["x-b"] == "12"
    assert sent.url.params["via"] == "hook"
    assert result.exchange.request is not None
    assert result.exchange.request.url.params["via"] == "hook"


def test_after_error_can_replace_a_failure_with_a_success(run: Runner) -> None:
    def rescue(ctx: HookContext, response: httpx.Response | None, exc: BaseException | None) -> httpx.Response:
        return json_response(200, {"data": {"total_credits": 1, "total_usage": 1}})

    wire = Wire(error_response(401))
    result = get(run, wire, Hooks(after_error=[rescue]))
    assert result.ok
    assert result.exchange.response is not None
    assert result.exchange.response.status_code == 200


def test_after_success_can_replace_the_response(run: Runner) -> None:
    def swap(ctx: HookContext, response: httpx.Response) -> httpx.Response:
        return json_response(200, {"data": {"total_credits": 7, "total_usage": 0}})

    result = get(run, Wire(OK), Hooks(after_success=[swap]))
    assert result.unwrap().data.total_credits == 7  # type: ignore[attr-defined]


def exploding_hook(*args: object) -> None:
    raise ValueError("hook says no")


@pytest.mark.parametrize("kind", ["before_request", "after_success", "after_error"])
def test_a_raising_hook_is_an_err_naming_it(run: Runner, kind: str) -> None:
    wire = Wire(error_response(401) if kind == "after_error" else OK)
    result = get(run, wire, Hooks(**{kind: [exploding_hook]}))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.UnexpectedClientError)
    assert f"{kind} hook exploding_hook raised ValueError: hook says no" in str(result.error)
    assert isinstance(result.error.__cause__, ValueError)
    assert len(wire.requests) == (0 if kind == "before_request" else 1)


def test_a_raising_hook_stops_retries(run: Runner) -> None:
    wire = Wire(error_response(503), OK)
    result = get(run, wire, Hooks(after_error=[exploding_hook]))
    assert isinstance(result, Err)
    assert len(wire.requests) == 1


def test_async_path_accepts_sync_and_async_hooks() -> None:
    seen: list[str] = []

    async def async_before(ctx: HookContext, request: httpx.Request) -> httpx.Request:
        seen.append("async")
        return request

    def sync_before(ctx: HookContext, request: httpx.Request) -> httpx.Request:
        seen.append("sync")
        return request

    result = get(Runner("async"), Wire(OK), Hooks(before_request=[async_before, sync_before]))
    assert result.ok
    assert seen == ["async", "sync"]


def test_async_hook_on_the_sync_path_is_a_clear_err() -> None:
    async def async_before(ctx: HookContext, request: httpx.Request) -> httpx.Request:
        return request

    wire = Wire(OK)
    result = get(Runner("sync"), wire, Hooks(before_request=[async_before]))
    assert isinstance(result, Err)
    assert "is async; call the _async function" in str(result.error)
    assert wire.requests == []


def test_context_carries_base_url_and_retry_config(run: Runner) -> None:
    contexts: list[HookContext] = []

    def before(ctx: HookContext, request: httpx.Request) -> httpx.Request:
        contexts.append(ctx)
        return request

    get(run, Wire(OK), Hooks(before_request=[before]))
    (ctx,) = contexts
    assert ctx.base_url == "https://openrouter.ai/api/v1"
    assert ctx.retry_config.strategy == "backoff"
