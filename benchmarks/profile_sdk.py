"""Where the SDK's time goes, per call: ``python -m benchmarks.profile_sdk [-n CALLS]``.

Two views, both against the benchmark server on 127.0.0.1:

1. ``cProfile`` of N sync calls, raw httpx and SDK, and the per-function difference
   (SDK minus raw, µs per call of own time): the functions the SDK adds or makes busier.
   cProfile inflates Python-heavy code, so read the ranking, not the absolute figures.
2. The SDK's work with no I/O at all: ``_prepare`` + ``call_flow`` driven with a canned
   response, against raw ``build_request`` + ``Response.json()``. This is the overhead the
   SDK can remove without touching httpx.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import timeit
from pathlib import Path
from typing import Any

from benchmarks import workloads
from benchmarks.server import BODY, ServerProcess

API_KEY = "sk-bench"


def _own_time_per_function(profile: cProfile.Profile) -> dict[str, tuple[float, float]]:
    """{function: (own seconds, call count)}, keyed by package/file, line and function name."""
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    # The parent directory tells httpx/_models.py from openrouter_core/_models.py.
    return {f"{Path(k[0]).parent.name}/{Path(k[0]).name}:{k[1]}({k[2]})": (v[2], v[1]) for k, v in stats.items()}


def profile_calls(calls: int, top: int, server_cpu: int | None) -> None:
    import httpx

    from openrouter_core import OpenRouterCore

    with (
        ServerProcess(cpu=server_cpu) as server,
        httpx.Client() as client,
        OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core,
    ):
        sides = {"raw": workloads.raw_sync_call(client, server.url), "sdk": workloads.sdk_sync_call(core)}
        own = {}
        for side, call in sides.items():
            workloads.timed_sync(call, 200, 30)  # warm-up
            profile = cProfile.Profile()
            profile.enable()
            workloads.timed_sync(call, calls, 120)
            profile.disable()
            own[side] = _own_time_per_function(profile)
        total = {side: sum(t for t, _ in own[side].values()) / calls * 1e6 for side in own}
        print(f"cProfile, {calls} sync calls: raw {total['raw']:.0f} µs/call, SDK {total['sdk']:.0f} µs/call\n")
        rows = []
        for name in own["raw"].keys() | own["sdk"].keys():
            raw_t, raw_n = own["raw"].get(name, (0.0, 0))
            sdk_t, sdk_n = own["sdk"].get(name, (0.0, 0))
            rows.append(((sdk_t - raw_t) / calls * 1e6, (sdk_n - raw_n) / calls, name))
        rows.sort(reverse=True)
        print(f"{'Δ own µs/call':>14} {'Δ calls/call':>13}  function (SDK minus raw, top {top})")
        for delta, ncalls, name in rows[:top]:
            print(f"{delta:14.1f} {ncalls:13.1f}  {name}")


def overhead_without_io(number: int) -> None:
    import httpx

    from openrouter_core import OpenRouterCore
    from openrouter_core._pipeline import call_flow
    from openrouter_funcs import credits_get_credits as operation

    url = "http://127.0.0.1:9/api/v1/credits"  # never contacted: the response below is canned
    core = OpenRouterCore(api_key=API_KEY, server_url=url.rsplit("/credits", 1)[0])
    sdk_client = core.sync_client()
    raw_client = httpx.Client()
    response = httpx.Response(200, headers={"content-type": "application/json"}, content=BODY)

    def sdk() -> object:
        flow = call_flow(core, operation._prepare(core, None, None), sdk_client)
        next(flow)  # the Send action: answer it with the canned response instead of the network
        try:
            flow.send((response, BODY))
        except StopIteration as stop:
            return stop.value
        raise AssertionError("the flow asked for more than one send")

    def raw() -> object:
        raw_client.build_request("GET", url)
        return response.json()

    workloads.check_sdk(sdk())
    workloads.check_raw(raw())
    try:
        best = {
            name: min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6
            for name, fn in (("sdk", sdk), ("raw", raw))
        }
    finally:
        raw_client.close()
        core.close()
    print(f"\nNo I/O, best of 5 x {number}:")
    print(f"  SDK _prepare + call_flow (build_request .. _match -> Ok): {best['sdk']:6.1f} µs")
    print(f"  raw build_request + Response.json():                      {best['raw']:6.1f} µs")
    print(f"  SDK overhead outside the transport:                       {best['sdk'] - best['raw']:+6.1f} µs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_sdk", description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--calls", type=int, default=3000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    server_cpu = None
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:
        # As in the benchmark: client on the first usable CPU, server on the last.
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[0]})
        server_cpu = cpus[-1]
    profile_calls(args.calls, args.top, server_cpu)
    overhead_without_io(max(args.calls, 1000))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
