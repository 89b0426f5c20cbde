"""Peak RSS of a fresh process after some work: ``python -m benchmarks.rss_worker MODE URL N [PATH]``.

MODE is one of:

- ``raw`` / ``sdk``: N sequential credits calls (``httpx.Client().get(url).json()`` or
  ``credits_get_credits``); URL is the full ``/api/v1/credits`` URL.
- ``raw-download`` / ``sdk-download``: one download of N bytes, read a piece at a time and
  counted (``client.stream("GET", ...)`` + ``iter_bytes()``, or ``files_download`` + its
  ``iter_bytes()``); URL is the server URL (``.../api/v1``).
- ``raw-upload`` / ``sdk-upload``: one multipart upload of the N-byte file at PATH, streamed from
  disk (httpx ``files=`` with the open file, or ``files_upload`` with the path); the server
  answers the number of bytes it received, which is checked.

URL is always on 127.0.0.1. Prints ``RSS <peak KiB> CALLS <n>`` (``BYTES <n>`` for transfers).

Peak RSS only grows over a process's life, so each measurement needs its own
process, and that process must load nothing the measured code would not: no argparse, no
benchmark helpers, only what MODE needs. Every result is still checked.
"""

from __future__ import annotations

import pathlib
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


def _download_raw(base_url: str, size: int, _: str) -> int:
    import httpx

    received = 0
    with httpx.Client(timeout=MAX_SECONDS) as client, client.stream("GET", base_url + "/files/bench/content") as r:
        r.raise_for_status()
        for piece in r.iter_bytes():
            received += len(piece)
    return received


def _download_sdk(base_url: str, size: int, _: str) -> int:
    from openrouter_core import OpenRouterCore
    from openrouter_funcs.files_download import files_download

    received = 0
    with OpenRouterCore(api_key="sk-bench", server_url=base_url, timeout_ms=int(MAX_SECONDS * 1000)) as core:
        result = files_download(core, {"file_id": "bench"})
        if not result.ok:
            raise AssertionError(f"the SDK returned {result!r}")
        with result.value as body:
            for piece in body.iter_bytes():
                received += len(piece)
            if body.error is not None:
                raise AssertionError(f"the download failed: {body.error!r}")
    return received


def _upload_raw(base_url: str, size: int, path: str) -> int:
    import httpx

    with httpx.Client(timeout=MAX_SECONDS) as client, open(path, "rb") as f:
        files = {"file": ("bench.bin", f, "application/octet-stream")}
        answer = client.post(base_url + "/files", files=files, headers={"Authorization": "Bearer sk-bench"})
        answer.raise_for_status()
        return int(answer.json()["size_bytes"])


def _upload_sdk(base_url: str, size: int, path: str) -> int:
    from openrouter_core import OpenRouterCore
    from openrouter_funcs.files_upload import files_upload

    with OpenRouterCore(api_key="sk-bench", server_url=base_url, timeout_ms=int(MAX_SECONDS * 1000)) as core:
        result = files_upload(core, {"file": pathlib.Path(path)})
        if not result.ok:
            raise AssertionError(f"the SDK returned {result!r}")
        return int(result.value.size_bytes)


TRANSFERS = {
    "raw-download": _download_raw,
    "sdk-download": _download_sdk,
    "raw-upload": _upload_raw,
    "sdk-upload": _upload_sdk,
}


def main(argv: list[str]) -> int:
    mode, url, n = argv[0], argv[1], int(argv[2])
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("only 127.0.0.1 is ever contacted")
    if mode in TRANSFERS:
        moved = TRANSFERS[mode](url, n, argv[3] if len(argv) > 3 else "")
        # An upload's multipart body is the file plus a few hundred bytes of part headers.
        if moved < n:
            raise AssertionError(f"{mode}: {moved} bytes moved, expected {n}")
        print(f"RSS {peak_rss_kib()} BYTES {moved}")
        return 0
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
