"""Injected faults on a real socket: each gives the right typed Err, in time, leaking no descriptor."""

from __future__ import annotations

import asyncio
import os
import time
from contextlib import nullcontext

import pytest

import openrouter_core as orc
from openrouter_core import OpenRouterCore
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.integration import faultserver as fs

TIMEOUT_MS = 500
MARGIN_S = 1.5  # generous: shared CI machines are noisy; this bounds hangs, it does not time code


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def call(mode: str, url: str) -> orc.Result[object, orc.OpenRouterSDKError]:
    options = {"api_key": "sk-test", "server_url": url, "timeout_ms": TIMEOUT_MS, "retry_config": None}
    if mode == "sync":
        with OpenRouterCore(**options) as core:  # type: ignore[arg-type]
            return credits_get_credits(core)

    async def main() -> orc.Result[object, orc.OpenRouterSDKError]:
        async with OpenRouterCore(**options) as core:  # type: ignore[arg-type]
            return await credits_get_credits_async(core)

    return asyncio.run(main())


FAULTS = [
    ("refused", None, orc.ConnectionFailedError),
    ("reset before headers", fs.reset_before_headers, orc.ConnectionFailedError),
    ("dropped mid-body", fs.drop_mid_body, orc.ConnectionFailedError),
    ("content-length longer than body", fs.content_length_longer_than_body, orc.RequestTimeoutError),
    ("body trickled past the timeout", fs.trickle_body, orc.RequestTimeoutError),
    ("garbage status line", fs.garbage_status_line, orc.ConnectionFailedError),
    ("gzip header on a plain body", fs.bad_gzip, orc.ResponseValidationError),
    ("no answer", fs.hang, orc.RequestTimeoutError),
]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors through /proc")
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("name", "fault", "expected"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_gives_typed_err_in_time_without_leaks(
    mode: str, name: str, fault: fs.Fault | None, expected: type[orc.OpenRouterSDKError]
) -> None:
    before = open_fds()
    server = fs.fault_server(fault) if fault else nullcontext(fs.refused_url())
    with server as url:
        started = time.monotonic()
        result = call(mode, url)
        elapsed = time.monotonic() - started
    assert isinstance(result, orc.Err), name
    assert type(result.error) is expected, result.error
    assert "\n" not in str(result.error)
    assert elapsed < TIMEOUT_MS / 1000 + MARGIN_S
    assert open_fds() == before
