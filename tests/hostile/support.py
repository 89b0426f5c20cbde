"""Shared by the hostile tests: a clock that never really sleeps, call helpers, leak detectors."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from openrouter_core import Clock, OpenRouterCore, RequestOptions, Result
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-or-v1-hostile-0123456789abcdef"
SENDER = "0x1234567890abcdef1234567890ABCDEF12345678"
CHARGE = {"amount": 10, "sender": SENDER, "chain_id": 1}
SLACK_S = 0.25  # the promised margin over timeout_ms and max_elapsed_time


class InstantClock:
    """Real time for everything, except that sleeping is instant (and recorded).

    ``monotonic`` and ``time`` advance by real elapsed time plus every sleep taken, so socket
    timeouts stay real while retry waits cost nothing.
    """

    def __init__(self, jitter: float = 0.0) -> None:
        self.offset = 0.0
        self.sleeps: list[float] = []
        self.jitter = jitter
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def time(self) -> float:
        return time.time() + self.offset

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.offset += max(seconds, 0.0)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)

    def random(self) -> float:
        return self.jitter

    def clock(self) -> Clock:
        return Clock(
            monotonic=self.monotonic, time=self.time, sleep=self.sleep, async_sleep=self.async_sleep, random=self.random
        )


def get(mode: str, core: OpenRouterCore, options: RequestOptions | None = None) -> Result[Any, Any]:
    """``credits_get_credits`` or its async twin (on a fresh event loop)."""
    if mode == "sync":
        return credits_get_credits(core, None, options)
    return asyncio.run(credits_get_credits_async(core, None, options))


def charge(mode: str, core: OpenRouterCore, options: RequestOptions | None = None) -> Result[Any, Any]:
    """The deprecated Coinbase charge (POST), sync or async, with its DeprecationWarning swallowed."""
    from openrouter_funcs.credits_create_coinbase_charge import (
        credits_create_coinbase_charge,
        credits_create_coinbase_charge_async,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if mode == "sync":
            return credits_create_coinbase_charge(core, None, CHARGE, options)
        return asyncio.run(credits_create_coinbase_charge_async(core, None, CHARGE, options))


CALLS: dict[str, Callable[[str, OpenRouterCore, RequestOptions | None], Result[Any, Any]]] = {
    "get": get,
    "charge": charge,
}


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    value = fn()
    return value, time.monotonic() - started


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors through /proc")


class Leaks:
    """What ``watch_leaks`` saw: ResourceWarnings, unraisable exceptions, descriptors."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.unraisable: list[str] = []
        self.fds_before = 0
        self.fds_after = 0

    def assert_none(self) -> None:
        assert self.warnings == [], self.warnings
        assert self.unraisable == [], self.unraisable
        assert self.fds_after <= self.fds_before, (self.fds_before, self.fds_after)


@contextmanager
def watch_leaks() -> Iterator[Leaks]:
    """Record ResourceWarnings and unraisable exceptions, and count descriptors before and after.

    Descriptors are counted after the body (and its servers) finished, *before* a garbage
    collection, so a socket left for the collector to close counts as leaked; the collection
    then runs so that its ResourceWarnings are recorded too.
    """
    leaks = Leaks()
    gc.collect()
    leaks.fds_before = open_fds()
    previous_hook = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        leaks.unraisable.append(f"{unraisable.exc_type.__name__}: {unraisable.exc_value} in {unraisable.object!r}")

    sys.unraisablehook = hook
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            yield leaks
            deadline = time.monotonic() + 2.0
            leaks.fds_after = open_fds()
            while leaks.fds_after > leaks.fds_before and time.monotonic() < deadline:
                time.sleep(0.05)  # a peer's socket may still be closing; a leaked client socket stays open
                leaks.fds_after = open_fds()
            gc.collect()
            gc.collect()
        leaks.warnings = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    finally:
        sys.unraisablehook = previous_hook
