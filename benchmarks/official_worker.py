"""Blocks of chat calls through the official ``openrouter`` SDK, on command (see ``official.py``).

Run by the official SDK's own interpreter with ``-I``, as a script:
``python -I official_worker.py BASE_URL REQUEST_JSON MAX_SECONDS``. It prints ``READY``, then
for each ``sync N`` / ``async N`` line on stdin makes up to N sequential chat calls (one client
for each mode, reused, like a real program) and prints ``DONE calls wall_s cpu_s``. It stops at
the end of stdin. Standard library and the official SDK only; every answer is checked.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

EXPECT = "The capital of France is Paris."


def _check(answer: object) -> None:
    content = answer.choices[0].message.content  # type: ignore[attr-defined]
    if not (isinstance(content, str) and content.startswith(EXPECT)):
        raise AssertionError(f"the official SDK returned {str(answer)[:300]!r}")


def main(argv: list[str]) -> int:
    from openrouter import OpenRouter

    base_url, request, max_seconds = argv[0], json.loads(argv[1]), float(argv[2])
    if not base_url.startswith("http://127.0.0.1:"):
        raise SystemExit("only 127.0.0.1 is ever contacted")
    client = OpenRouter(api_key="sk-bench", server_url=base_url)
    loop = asyncio.new_event_loop()

    def run_sync(n: int) -> int:
        done, give_up = 0, time.perf_counter() + max_seconds
        for _ in range(n):
            _check(client.chat.send(**request))
            done += 1
            if time.perf_counter() > give_up:
                break
        return done

    async def run_async(n: int) -> int:
        done, give_up = 0, time.perf_counter() + max_seconds
        for _ in range(n):
            _check(await client.chat.send_async(**request))
            done += 1
            if time.perf_counter() > give_up:
                break
        return done

    print("READY", flush=True)
    for line in sys.stdin:
        mode, count = line.split()
        cpu0, t0 = time.process_time(), time.perf_counter()
        done = run_sync(int(count)) if mode == "sync" else loop.run_until_complete(run_async(int(count)))
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        print(f"DONE {done} {wall} {cpu}", flush=True)
    loop.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
