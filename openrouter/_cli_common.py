"""What the ``openrouter`` commands share: exit codes, one-line errors, the connection, JSON and tables."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import argparse

    from openrouter_core import OpenRouterCore, OpenRouterSDKError, RequestOptions

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "UsageError",
    "call_options",
    "connect",
    "err",
    "failed",
    "json_text",
    "money",
    "table",
]

PROG = "openrouter"
EXIT_OK, EXIT_API_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell convention for Ctrl-C

_NO_KEY = (
    "no API key: pass --api-key KEY or set OPENROUTER_API_KEY "
    "(the variable is safer: command-line arguments show up in process lists)"
)


class UsageError(Exception):
    """Bad input found after parsing; printed as one line, exit 2."""


def err(message: str) -> None:
    """Print ``openrouter: <message>`` to stderr, on one line whatever the message holds."""
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr, flush=True)


def failed(error: OpenRouterSDKError) -> int:
    """Report a failed call on one line; the exit code: 2 for input the SDK refused, else 1."""
    from openrouter_core import SDKValidationError

    err(f"error: {error}")
    return EXIT_USAGE if isinstance(error, SDKValidationError) else EXIT_API_ERROR


# --- the connection ------------------------------------------------------------------------------


@contextlib.contextmanager
def connect(args: argparse.Namespace) -> Iterator[OpenRouterCore]:
    """The core the command calls through: to ``--server-url`` (or OpenRouter), or to an in-process fake.

    Retries are set per call (``call_options``), not here: a side-effecting call such as a chat
    keeps the SDK's default of no retries, and no retry budget cuts a long answer short.
    """
    options: dict[str, Any] = {}
    if args.debug:
        options["debug"] = True
        _log_debug_to_stderr()
    else:
        _show_retries()
    if args.timeout_ms is not None:
        options["timeout_ms"] = args.timeout_ms
    if args.fake:
        if args.server_url:
            raise UsageError("--fake and --server-url: give one of them")
        from openrouter.testing import FAKE_API_KEY, FakeOpenRouter

        with FakeOpenRouter() as fake, _built(fake.core, args.api_key or FAKE_API_KEY, options) as core:
            yield core
        return
    key = args.api_key or os.environ.get("OPENROUTER_API_KEY") or None
    if key is None:
        hint = "" if args.server_url else "; or add --fake to try the command against a built-in fake"
        raise UsageError(_NO_KEY + hint)
    from openrouter_core import OpenRouterCore

    with _built(OpenRouterCore, key, {"server_url": args.server_url, **options}) as core:
        yield core


def _built(make: Any, key: str, options: dict[str, Any]) -> OpenRouterCore:
    try:
        core: OpenRouterCore = make(key, **options)
    except ValueError as exc:  # an invalid URL, timeout or environment variable; the message names it
        message = str(exc)
        for option in ("server_url", "timeout_ms"):
            if message.startswith(option + ":"):
                message = "--" + option.replace("_", "-") + message[len(option) :]
        raise UsageError(message) from None
    return core


def call_options(args: argparse.Namespace, *, idempotent: bool) -> RequestOptions | None:
    """The per-call options behind ``--retries``.

    ``default``: a person is waiting, so a call that may be retried (one without side effects) is
    retried for up to 8 s, not the SDK's 30 s; others keep the SDK's default (no retries).
    ``none``: one attempt, always.
    """
    from openrouter_core import BackoffStrategy, RequestOptions, RetryConfig

    if getattr(args, "retries", None) == "none":
        return RequestOptions(retries=None)
    if not idempotent:
        return None
    budget = BackoffStrategy(initial_interval=500, max_interval=2_000, exponent=2, max_elapsed_time=8_000)
    return RequestOptions(retries=RetryConfig(backoff=budget, max_attempts=5))


class _RetryLines(logging.Handler):
    """Prints the SDK's retry notices as they happen: ``openrouter: retrying in 1.0 s, attempt 2 of 5: ...``."""

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "openrouter_retry"):
            err(record.getMessage())


def _log_debug_to_stderr() -> None:
    # --debug: everything the debug core logs (redacted) goes to stderr, retry notices included.
    logger = logging.getLogger("openrouter.debug")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(f"{PROG}: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _show_retries() -> None:
    logger = logging.getLogger("openrouter")
    if not any(isinstance(handler, _RetryLines) for handler in logger.handlers):
        logger.addHandler(_RetryLines(logging.INFO))
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


# --- output --------------------------------------------------------------------------------------


def json_text(value: Any, *, compact: bool) -> str:
    """A model (or plain data) as JSON with the API's field names: one line, or indented."""
    from openrouter_core._serde import to_json

    data = to_json(value)
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=2)


def money(value: float) -> str:
    """Dollars with two decimals like a bill, but never hiding a small amount such as $0.0012."""
    text = f"{value:,.6f}".rstrip("0")
    whole, _, cents = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}${whole.lstrip('-')}.{cents.ljust(2, '0')}"


def table(rows: Sequence[Sequence[str]], out: TextIO, *, right: Sequence[int] = (), header: bool = False) -> None:
    """Print aligned columns; the column numbers in ``right`` are right-aligned (numbers)."""
    if not rows:
        return
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for number, row in enumerate(rows):
        cells = [
            cell.rjust(width) if column in right and not (header and number == 0) else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip(), file=out)
