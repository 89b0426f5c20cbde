"""Logging: one line per attempt, retry notices, and redacted dumps for cores with ``debug`` on.

Cores log on ``logging.getLogger("openrouter")``. A core created with ``debug=True`` logs on its
child ``openrouter.debug`` instead, which it turns on (DEBUG, plus a stderr handler when nothing up
the tree would receive the records): one debug core never changes what other cores log.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from openrouter_core._redact import REDACTED, SENSITIVE_HEADERS, Secrets

if TYPE_CHECKING:
    import httpx

__all__ = ["DEBUG_LOGGER", "LOGGER", "enable_debug_logging", "log_attempt", "log_retry"]

LOGGER = logging.getLogger("openrouter")
DEBUG_LOGGER = logging.getLogger("openrouter.debug")

_BODY_LOG_CHARS = 4096


def _headers_line(headers: httpx.Headers, secrets: Secrets) -> str:
    shown = (
        f"{name}: {REDACTED if name.lower() in SENSITIVE_HEADERS else secrets.redact(value)}"
        for name, value in headers.items()
    )
    return "; ".join(shown)


def _body_text(body: bytes, secrets: Secrets) -> str:
    text = body[:_BODY_LOG_CHARS].decode("utf-8", "replace")
    suffix = f" ...({len(body) - _BODY_LOG_CHARS} more bytes)" if len(body) > _BODY_LOG_CHARS else ""
    return secrets.redact(text) + suffix


def _request_body(request: httpx.Request) -> bytes:
    try:
        return request.content
    except Exception:
        return b""


def log_attempt(
    request: httpx.Request,
    outcome: str,
    elapsed_ms: float,
    attempt: int,
    *,
    debug: bool,
    secrets: Secrets,
    response: httpx.Response | None,
    body: bytes | None,
) -> None:
    """Log one attempt: a summary line at DEBUG; for a debug core, headers and bodies too."""
    logger = DEBUG_LOGGER if debug else LOGGER
    if not logger.isEnabledFor(logging.DEBUG):
        return
    url = secrets.redact(str(request.url))
    logger.debug(
        "%s %s -> %s in %.1f ms (attempt %d)", request.method, url, secrets.redact(outcome), elapsed_ms, attempt
    )
    if not debug:
        return
    logger.debug("> request headers: %s", _headers_line(request.headers, secrets))
    content = _request_body(request)
    if content:
        logger.debug("> request body: %s", _body_text(content, secrets))
    if response is not None:
        logger.debug("< response headers: %s", _headers_line(response.headers, secrets))
        if body:
            logger.debug("< response body: %s", _body_text(body, secrets))


def log_retry(wait_s: float, attempt: int, max_attempts: int, reason: str, *, debug: bool, secrets: Secrets) -> None:
    """An INFO notice before each retry: ``retrying in 1.0 s, attempt 2 of 10: 503``."""
    logger = DEBUG_LOGGER if debug else LOGGER
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "retrying in %.1f s, attempt %d of %d: %s",
            wait_s,
            attempt + 1,
            max_attempts,
            secrets.redact(reason),
            extra={"openrouter_retry": {"wait_s": wait_s, "attempt": attempt + 1, "max_attempts": max_attempts}},
        )


def enable_debug_logging() -> None:
    """Turn on the ``openrouter.debug`` logger, with a stderr handler only if no handler would receive it."""
    if DEBUG_LOGGER.level == logging.NOTSET or DEBUG_LOGGER.level > logging.DEBUG:
        DEBUG_LOGGER.setLevel(logging.DEBUG)
    if not DEBUG_LOGGER.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        DEBUG_LOGGER.addHandler(handler)
