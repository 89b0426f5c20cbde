"""beta_responses_send: the deprecated alias of responses_send warns at the caller's line, then delegates."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import openrouter_funcs.beta_responses_send as beta
from openrouter._resources.beta import Beta
from openrouter_core import Ok, OpenRouterCore

SENTINEL = Ok("the responses_send result")


@pytest.fixture
def delegated(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def fake(*args: Any) -> Ok[str]:
        calls.append(args)
        return SENTINEL

    async def fake_async(*args: Any) -> Ok[str]:
        calls.append(args)
        return SENTINEL

    monkeypatch.setattr(beta, "responses_send", fake)
    monkeypatch.setattr(beta, "responses_send_async", fake_async)
    return calls


def test_warns_at_the_callers_line_and_delegates(delegated: list[tuple[Any, ...]]) -> None:
    core = OpenRouterCore(api_key="sk-test")
    request = {"input": "hi"}
    with pytest.warns(DeprecationWarning, match="renamed to responses_send") as caught:
        result = beta.beta_responses_send(core, request)  # type: ignore[arg-type]
    assert result is SENTINEL
    assert delegated == [(core, request, None)]
    assert caught[0].filename == __file__


def test_delegates_with_the_same_arguments(delegated: list[tuple[Any, ...]]) -> None:
    core = OpenRouterCore(api_key="sk-test")
    with pytest.warns(DeprecationWarning, match="renamed to responses_send"):
        assert beta.beta_responses_send(core, {"input": "hi"}) is SENTINEL  # type: ignore[arg-type]
    assert delegated == [(core, {"input": "hi"}, None)]


def test_the_async_twin_warns_and_delegates(delegated: list[tuple[Any, ...]]) -> None:
    core = OpenRouterCore(api_key="sk-test")
    with pytest.warns(DeprecationWarning, match="renamed to responses_send"):
        result = asyncio.run(beta.beta_responses_send_async(core, {"input": "hi"}))  # type: ignore[arg-type]
    assert result is SENTINEL


def test_the_facade_warns_at_the_callers_line(delegated: list[tuple[Any, ...]]) -> None:
    responses = Beta(OpenRouterCore(api_key="sk-test")).responses
    with pytest.warns(DeprecationWarning, match="renamed to responses_send") as caught:
        value = responses.send({"input": "hi"})  # type: ignore[arg-type]
    assert value == "the responses_send result"
    assert caught[0].filename == __file__
