"""Peak RSS of a fresh process after N sequential calls: ``python -m benchmarks.rss_worker MODE URL N``.

MODE is ``raw`` (``httpx.Client().get(url).json()``) or ``sdk`` (``credits_get_credits``);
URL is the full ``/api/v1/credits`` URL on 127.0.0.1. Prints ``RSS <peak KiB> CALLS <n>``.

Peak RSS only grows over a process's life, so each measurement needs its own
process, and that process must load nothing the measured code would not: no argparse, no
benchmark helpers, only what MODE needs. Every result is still checked.
"""

from __future__ import annotations

import resource
import sys
import time

EXPECTED_JSON = {"data": {"total_credits": 100.5, "total_usage": 25.75}}
MAX_SECONDS = 120.0


def _run_raw(url: str, n: int) -> int:
    import httpx

    done = 0
    give_up = time.monotonic() + MAX_SECONDS
    with httpx.Client() as client:
        for _ in range(n):
            data = client.get(url).json()
            if data != EXPECTED_JSON:
                raise AssertionError(f"raw httpx got {data!r}")
            done += 1
            if time.monotonic() > give_up:
                break
    return done


def _run_sdk(url: str, n: int) -> int:
    from openrouter_core import OpenRouterCore
    from openrouter_funcs.credits_get_credits import credits_get_credits

    base_url = url.rsplit("/credits", 1)[0]
    done = 0
    give_up = time.monotonic() + MAX_SECONDS
    with OpenRouterCore(api_key="sk-bench", server_url=base_url) as core:
        for _ in range(n):
            result = credits_get_credits(core)
            if not (result.ok and result.value.data.total_credits == 100.5 and result.value.data.total_usage == 25.75):
                raise AssertionError(f"the SDK returned {result!r}")
            done += 1
            if time.monotonic() > give_up:
                break
    return done


def main(argv: list[str]) -> int:
    mode, url, n = argv[0], argv[1], int(argv[2])
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("only 127.0.0.1 is ever contacted")
    done = {"raw": _run_raw, "sdk": _run_sdk}[mode](url, n)
    print(f"RSS {peak_rss_kib()} CALLS {done}")
    return 0


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB.

    On Linux ``VmHWM`` is read instead of ``ru_maxrss``: the kernel carries ``ru_maxrss`` over
    ``exec`` from the process that forked us (subprocess uses vfork), so a fresh worker would
    report the benchmark runner's own RSS. ``VmHWM`` belongs to the new address space.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])  # "VmHWM:   40508 kB"
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
