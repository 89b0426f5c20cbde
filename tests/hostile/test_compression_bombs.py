"""Promise 5: layered compression cannot blow up memory past ``max_response_bytes``.

``Content-Encoding: gzip, gzip`` (and deflate/gzip mixes) on a body of under 1 KB that decodes
to 256 MiB of zeros ends in ``Err(ResponseTooLargeError)``, and the process's peak RSS grows by
less than 64 MiB with ``max_response_bytes`` at 1 MiB: the limit bounds the decoded bytes at
every layer. Each call runs in a fresh subprocess, which reads its own peak RSS (VmHWM) before
and after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.hostile import rawserver as rs
from tests.hostile.support import KEY, ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads VmHWM from /proc"),
]

GROWTH_LIMIT_KIB = 64 * 1024

CHILD = r"""
import asyncio, json, sys, warnings

from openrouter_core import OpenRouterCore

url, mode, operation = sys.argv[1:4]


def peak_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


core = OpenRouterCore(
    api_key=sys.argv[4], server_url=url, max_response_bytes=1 << 20, retry_config=None, timeout_ms=30_000
)
warnings.simplefilter("ignore", DeprecationWarning)
if operation == "get":
    from openrouter_funcs.credits_get_credits import credits_get_credits as call, credits_get_credits_async as acall
    args = (core,)
else:
    from openrouter_funcs.credits_create_coinbase_charge import (
        credits_create_coinbase_charge as call, credits_create_coinbase_charge_async as acall,
    )
    args = (core, None, {"amount": 10, "sender": "0x" + "ab" * 20, "chain_id": 1})


def both():
    warm = call(*args)  # the server answers the first request small: imports and buffers settle
    before = peak_kib()
    return warm, before, call(*args)


async def both_async():
    warm = await acall(*args)
    before = peak_kib()
    return warm, before, await acall(*args)


warm, before, result = both() if mode == "sync" else asyncio.run(both_async())
after = peak_kib()
print(json.dumps({
    "warm": warm.ok if operation == "get" else type(getattr(warm, "error", None)).__name__,
    "error": type(getattr(result, "error", None)).__name__,
    "message": str(getattr(result, "error", "")),
    "growth_kib": after - before,
}))
"""


def small_then_bomb(body: bytes, encoding: str, status: int) -> rs.Script:
    def script(conn: rs.Conn) -> None:
        while conn.read_request() is not None:
            if conn.server.count == 1:
                data = rs.response_bytes(200, rs.CREDITS_JSON)
            else:
                data = rs.response_bytes(status, body, [("Content-Encoding", encoding)])
            if not conn.send(data):
                return

    return script


def run_child(url: str, mode: str, operation: str) -> dict[str, object]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("OPENROUTER_", "COVERAGE_"))}
    process = subprocess.run(
        [sys.executable, "-c", CHILD, url, mode, operation, KEY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    result: dict[str, object] = json.loads(process.stdout.strip().splitlines()[-1])
    return result


LAYERED = ["gzip, gzip", "deflate, gzip", "gzip, deflate", "deflate, deflate", "gzip, gzip, gzip"]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("encoding", LAYERED)
def test_a_layered_bomb_is_refused_with_bounded_memory(encoding: str, mode: str) -> None:
    body = rs.bomb(encoding)
    assert len(body) < 1024
    with rs.serve(small_then_bomb(body, encoding, 200)) as server:
        outcome = run_child(server.url, mode, "get")
    assert outcome["warm"] is True
    assert outcome["error"] == "ResponseTooLargeError", outcome
    assert "\n" not in str(outcome["message"])
    assert int(outcome["growth_kib"]) < GROWTH_LIMIT_KIB, f"peak RSS grew by {int(outcome['growth_kib']) // 1024} MiB"  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("operation", "status"),
    [pytest.param("get", 503, id="get-error-status"), pytest.param("charge", 200, id="charge")],
)
def test_a_layered_bomb_is_refused_on_any_status_and_operation(operation: str, status: int) -> None:
    encoding = "gzip, gzip"
    with rs.serve(small_then_bomb(rs.bomb(encoding), encoding, status)) as server:
        outcome = run_child(server.url, "sync", operation)
    assert outcome["error"] == "ResponseTooLargeError", outcome
    assert int(outcome["growth_kib"]) < GROWTH_LIMIT_KIB, f"peak RSS grew by {int(outcome['growth_kib']) // 1024} MiB"  # type: ignore[call-overload]


def test_a_single_layer_bomb_is_refused_with_bounded_memory() -> None:
    """A neighbour: one gzip layer (about 250 KB for 256 MiB) must not decode whole chunks at once either."""
    encoding = "gzip"
    with rs.serve(small_then_bomb(rs.bomb(encoding), encoding, 200)) as server:
        outcome = run_child(server.url, "sync", "get")
    assert outcome["error"] == "ResponseTooLargeError", outcome
    assert int(outcome["growth_kib"]) < GROWTH_LIMIT_KIB, f"peak RSS grew by {int(outcome['growth_kib']) // 1024} MiB"  # type: ignore[call-overload]
