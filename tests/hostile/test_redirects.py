"""Promise 11: a redirect loop cannot re-send a side effect.

With ``follow_redirects=True`` and retries off, the Coinbase charge (a non-idempotent POST) is
sent at most twice against a server that redirects it to itself forever: the original and one
redirect. The call ends in a typed ``Err``. A GET may follow more (httpx's default limit is 20)
but also ends in a typed ``Err``, never an exception.
"""

from __future__ import annotations

import pytest

import openrouter_core as orc
from openrouter_core import OpenRouterCore, RequestOptions
from tests.hostile import rawserver as rs
from tests.hostile.support import KEY, charge, get

FOLLOW = RequestOptions(follow_redirects=True, retries=None)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", [307, 308, 301, 302, 303])
def test_a_redirect_loop_sends_the_charge_at_most_twice(status: int, mode: str) -> None:
    with (
        rs.serve(rs.redirect_loop(status)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=5_000) as core,
    ):
        result = charge(mode, core, FOLLOW)
    assert server.count <= 2, f"{server.count} requests for one charge"
    assert len([seen for seen in server.seen if seen.method == "POST"]) <= 2
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.OpenRouterSDKError)
    assert "\n" not in str(result.error)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_charge_with_retries_enabled_still_follows_one_redirect_at_most(mode: str) -> None:
    from openrouter_core import RetryConfig

    with (
        rs.serve(rs.redirect_loop(307)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=5_000) as core,
    ):
        result = charge(mode, core, RequestOptions(follow_redirects=True, retries=RetryConfig()))
    assert server.count <= 2, f"{server.count} requests for one charge"
    assert isinstance(result, orc.Err)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", [307, 302])
def test_a_redirect_loop_on_a_get_ends_in_a_typed_err(status: int, mode: str) -> None:
    with (
        rs.serve(rs.redirect_loop(status)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=5_000) as core,
    ):
        result = get(mode, core, FOLLOW)
    assert server.count <= 21
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.OpenRouterSDKError)
    assert "\n" not in str(result.error)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_without_follow_redirects_the_charge_is_sent_once(mode: str) -> None:
    with (
        rs.serve(rs.redirect_loop(307)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=5_000) as core,
    ):
        result = charge(mode, core, RequestOptions(retries=None))
    assert server.count == 1
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.OpenRouterDefaultError)
