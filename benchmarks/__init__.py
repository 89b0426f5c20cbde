"""Benchmarks of the SDK against raw httpx, run with ``python -m benchmarks`` (see BENCHMARKS.md).

This package imports nothing at import time on purpose: ``python -m benchmarks.rss_worker`` and
``python -m benchmarks.server`` run in fresh processes whose memory and CPU are measured or must
stay small, so loading this ``__init__`` must not pull in httpx or the SDK.
"""
