"""Where the SDK's time goes: ``python -m benchmarks.profile_sdk [-n CALLS] [--operation credits|chat] [--cold]``.

Three views, all against the benchmark server on 127.0.0.1:

1. ``cProfile`` of N sync calls, raw httpx and SDK, and the per-function difference
   (SDK minus raw, µs per call of own time): the functions the SDK adds or makes busier.
   cProfile inflates Python-heavy code, so read the ranking, not the absolute figures.
2. The SDK's work with no I/O at all: ``prepare`` + ``call_flow`` driven with a canned
   response, against raw ``build_request`` + ``json.loads``. This is the overhead the SDK can
   remove without touching httpx.
3. ``--cold``: a fresh process making one chat call, step by step (imports, core, first call,
   second call), with the modules the first call imports (``-X importtime``) and a ``cProfile``
   of that first call: what a cold chat call pays beyond raw httpx.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import timeit
from pathlib import Path
from typing import Any

from benchmarks import imports, workloads
from benchmarks.server import BODY, CHAT_BODY, ServerProcess

API_KEY = "sk-bench"


def _own_time_per_function(profile: cProfile.Profile) -> dict[str, tuple[float, float]]:
    """{function: (own seconds, call count)}, keyed by package/file, line and function name."""
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    # The parent directory tells httpx/_models.py from openrouter_core/_models.py.
    return {f"{Path(k[0]).parent.name}/{Path(k[0]).name}:{k[1]}({k[2]})": (v[2], v[1]) for k, v in stats.items()}


def _sides(operation: str, core: Any, client: Any, server: ServerProcess) -> dict[str, Any]:
    if operation == "chat":
        return {"raw": workloads.raw_chat_sync(client, server.chat_url), "sdk": workloads.sdk_chat_sync(core)}
    return {"raw": workloads.raw_sync_call(client, server.url), "sdk": workloads.sdk_sync_call(core)}


def profile_calls(operation: str, calls: int, top: int, server: ServerProcess) -> None:
    import httpx

    from openrouter_core import OpenRouterCore

    with (
        httpx.Client(headers=workloads.AUTH_HEADERS) as client,
        OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core,
    ):
        sides = _sides(operation, core, client, server)
        own = {}
        wall = {}
        for side, call in sides.items():
            workloads.timed_sync(call, 200, 30)  # warm-up
            wall[side] = workloads.timed_sync(call, calls, 120).wall_s / calls * 1e6
            profile = cProfile.Profile()
            profile.enable()
            workloads.timed_sync(call, calls, 120)
            profile.disable()
            own[side] = _own_time_per_function(profile)
        total = {side: sum(t for t, _ in own[side].values()) / calls * 1e6 for side in own}
        print(f"\n== {operation}: {calls} sync calls")
        print(f"wall, unprofiled: raw {wall['raw']:.0f} µs/call, SDK {wall['sdk']:.0f} µs/call")
        print(f"cProfile: raw {total['raw']:.0f} µs/call, SDK {total['sdk']:.0f} µs/call\n")
        rows = []
        for name in own["raw"].keys() | own["sdk"].keys():
            raw_t, raw_n = own["raw"].get(name, (0.0, 0))
            sdk_t, sdk_n = own["sdk"].get(name, (0.0, 0))
            rows.append(((sdk_t - raw_t) / calls * 1e6, (sdk_n - raw_n) / calls, name))
        rows.sort(reverse=True)
        print(f"{'Δ own µs/call':>14} {'Δ calls/call':>13}  function (SDK minus raw, top {top})")
        for delta, ncalls, name in rows[:top]:
            print(f"{delta:14.1f} {ncalls:13.1f}  {name}")


def overhead_without_io(operation: str, number: int) -> None:
    import httpx

    from openrouter_core import OpenRouterCore
    from openrouter_core._actions import Send, Sent
    from openrouter_core._flow import call_flow
    from openrouter_core._prepare import prepare

    if operation == "chat":
        from openrouter_funcs.chat_send import OPERATION

        path, body, request = "/chat/completions", CHAT_BODY, workloads.CHAT_REQUEST
    else:
        from openrouter_funcs.credits_get_credits import OPERATION

        path, body, request = "/credits", BODY, None
    base = "http://127.0.0.1:9/api/v1"  # never contacted: the response below is canned
    core = OpenRouterCore(api_key=API_KEY, server_url=base)
    handle = core._sync()
    raw_client = httpx.Client(headers=workloads.AUTH_HEADERS)

    def sdk() -> object:
        plan = prepare(core, OPERATION, request, None, None)
        flow = call_flow(core, plan, handle)
        send = next(flow)  # the Send action: answer it with a canned response instead of the network
        assert isinstance(send, Send)
        response = httpx.Response(200, headers={"content-type": "application/json"}, content=body, request=send.request)
        try:
            flow.send(Sent(response, body, None))
        except StopIteration as stop:
            return stop.value
        raise AssertionError("the flow asked for more than one send")

    def raw() -> object:
        sent = raw_client.build_request("POST" if request else "GET", base + path, json=request)
        response = httpx.Response(200, headers={"content-type": "application/json"}, content=body, request=sent)
        return json.loads(response.content)

    result = sdk()
    assert getattr(result, "ok", False), result
    try:
        best = {
            name: min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6
            for name, fn in (("sdk", sdk), ("raw", raw))
        }
    finally:
        raw_client.close()
        core.close()
    print(f"\nNo I/O ({operation}), best of 5 x {number}:")
    print(f"  SDK prepare + call_flow (validate .. build .. match -> Ok): {best['sdk']:7.1f} µs")
    print(f"  raw build_request + Response + json.loads:                 {best['raw']:7.1f} µs")
    print(f"  SDK overhead outside the transport:                        {best['sdk'] - best['raw']:+7.1f} µs")
    _split_without_io(operation, core_url=base, request=request, body=body, number=number)


def _split_without_io(operation: str, *, core_url: str, request: Any, body: bytes, number: int) -> None:
    """The no-I/O work of one call split in its parts: prepare (validate + encode) and decode."""
    import httpx

    from openrouter_core import OpenRouterCore
    from openrouter_core._prepare import prepare

    if operation == "chat":
        from openrouter_funcs.chat_send import OPERATION
    else:
        from openrouter_funcs.credits_get_credits import OPERATION
    core = OpenRouterCore(api_key=API_KEY, server_url=core_url)
    try:
        parts: dict[str, Any] = {
            "prepare (validate + encode the request)": lambda: prepare(core, OPERATION, request, None, None)
        }
        if request is not None:
            parts["json.dumps of the same request (raw's encoding)"] = lambda: json.dumps(request).encode()
        parts["json.loads of the answer (raw's decoding)"] = lambda: json.loads(body)
        try:
            from openrouter_core._serde import decode

            model = OPERATION.responses[200][1]
            from openrouter_core._prepare import model_class

            cls = model_class(model)
            parts["_serde.decode of the answer into models"] = lambda: decode(body, cls)
        except (ImportError, TypeError, AttributeError) as exc:  # the runtime's internals moved: skip this line
            print(f"  (decode not measured separately: {exc})")
        parts["httpx.Request(...) alone"] = lambda: httpx.Request("POST", core_url + "/chat/completions", content=body)
        for name, fn in parts.items():
            fn()
            best = min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6
            print(f"    {name:<55} {best:7.1f} µs")
    finally:
        core.close()


# --- a cold call ---------------------------------------------------------------------------------

_COLD_STEPS = """\
import time
t0 = time.perf_counter()
import httpx, attrs
t1 = time.perf_counter()
from openrouter_core import OpenRouterCore
from openrouter_funcs.chat_send import chat_send
t2 = time.perf_counter()
core = OpenRouterCore(api_key="sk-bench", server_url={base_url!r})
t3 = time.perf_counter()
import sys
before = set(sys.modules)
result = chat_send(core, {request!r})
t4 = time.perf_counter()
assert result.ok, result
loaded = sorted(set(sys.modules) - before)
result = chat_send(core, {request!r})
t5 = time.perf_counter()
print("STEP import httpx, attrs", (t1 - t0) * 1000)
print("STEP import OpenRouterCore + chat_send", (t2 - t1) * 1000)
print("STEP OpenRouterCore(...)", (t3 - t2) * 1000)
print("STEP first chat_send (lazy imports, converters, the call)", (t4 - t3) * 1000)
print("STEP second chat_send (steady)", (t5 - t4) * 1000)
print("MODULES", len(loaded), len([m for m in loaded if m.startswith("openrouter_funcs.models")]),
      len([m for m in loaded if m.startswith("cattrs")]))
"""

_COLD_PROFILE = """\
import cProfile, pstats, io
from openrouter_core import OpenRouterCore
from openrouter_funcs.chat_send import chat_send
core = OpenRouterCore(api_key="sk-bench", server_url={base_url!r})
profile = cProfile.Profile()
profile.enable()
result = chat_send(core, {request!r})
profile.disable()
assert result.ok, result
out = io.StringIO()
pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats({top})
print(out.getvalue())
"""


def cold(top: int, server: ServerProcess) -> None:
    request = workloads.CHAT_REQUEST
    print("\n== a cold chat call, step by step (fresh process, ms)")
    steps = imports.python("-c", _COLD_STEPS.format(base_url=server.base_url, request=request)).stdout
    for line in steps.splitlines():
        if line.startswith("STEP "):
            name, value = line[5:].rsplit(" ", 1)
            print(f"  {name:<60} {float(value):8.1f}")
        elif line.startswith("MODULES "):
            total, models, cattrs = line.split()[1:]
            print(f"  modules imported by the first call: {total} ({models} models modules, {cattrs} of cattrs)")
    raw = imports.sample_cold(imports.cold_raw(server.chat_url, request))
    print(f"  raw httpx, the whole cold call (import .. json.loads):        {raw * 1000:8.1f}")
    # The first call's imports, by cumulative -X importtime: with the core and the function imported
    # before the marker, every module after it is one the first call loads.
    code = (
        "from openrouter_core import OpenRouterCore\nfrom openrouter_funcs.chat_send import chat_send\n"
        f"core = OpenRouterCore(api_key='sk-bench', server_url={server.base_url!r})\n"
        f"import sys\nsys.stderr.write('@@mark@@\\n')\nresult = chat_send(core, {request!r})\nassert result.ok\n"
    )
    stderr = imports.python("-X", "importtime", "-c", code).stderr.split("@@mark@@", 1)[1]
    entries = []
    for line in stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            entries.append((int(parts[1]), int(parts[0]), parts[2].rstrip()))
    top_level = [e for e in entries if not e[2].startswith("  ")]
    print(
        f"\n  the first call's imports: {len(entries)} modules, {sum(e[1] for e in entries) / 1000:.1f} ms of own time"
    )
    print("  top-level imports by cumulative µs:")
    for cumulative, own, name in sorted(top_level, reverse=True)[:top]:
        print(f"    {cumulative:8,} {own:8,}  {name.strip()}")
    print("  by own µs:")
    for cumulative, own, name in sorted(entries, key=lambda e: e[1], reverse=True)[:top]:
        del cumulative
        print(f"    {own:8,}  {name.strip()}")
    print("\n  cProfile of the first call (cumulative):")
    print(imports.python("-c", _COLD_PROFILE.format(base_url=server.base_url, request=request, top=top)).stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_sdk", description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--calls", type=int, default=3000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--operation", choices=("credits", "chat", "both"), default="both")
    parser.add_argument("--cold", action="store_true", help="profile a cold chat call instead of steady calls")
    args = parser.parse_args(argv)
    server_cpu = None
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:
        # As in the benchmark: client on the first usable CPU, server on the last.
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[0]})
        server_cpu = cpus[-1]
    with ServerProcess(cpu=server_cpu) as server:
        if args.cold:
            cold(args.top, server)
            return 0
        for operation in ("credits", "chat") if args.operation == "both" else (args.operation,):
            profile_calls(operation, args.calls, args.top, server)
            overhead_without_io(operation, max(args.calls, 1000))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
