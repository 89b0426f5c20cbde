"""The ``openrouter`` logger: one line per attempt, and redacted dumps when ``debug`` is on."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from openrouter_core._options import SENSITIVE_HEADERS

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("openrouter")

REDACTED = "[REDACTED]"
_BODY_LOG_CHARS = 4096


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret replaced."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _headers_line(headers: httpx.Headers, secrets: tuple[str, ...]) -> str:
    shown = (
        f"{name}: {REDACTED if name.lower() in SENSITIVE_HEADERS else redact(value, secrets)}"
        for name, value in headers.items()
    )
    return "; ".join(shown)


def _body_text(body: bytes, secrets: tuple[str, ...]) -> str:
    text = body[:_BODY_LOG_CHARS].decode("utf-8", "replace")
    suffix = f" ...({len(body) - _BODY_LOG_CHARS} more bytes)" if len(body) > _BODY_LOG_CHARS else ""
    return redact(text, secrets) + suffix


def log_attempt(
    request: httpx.Request,
    outcome: str,
    elapsed_ms: float,
    attempt: int,
    *,
    debug: bool,
    secrets: tuple[str, ...],
    response: httpx.Response | None,
    body: bytes | None,
) -> None:
    """Log one attempt: always a summary line at DEBUG; with ``debug``, headers and bodies too."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    url = redact(str(request.url), secrets)
    outcome = redact(outcome, secrets)
    logger.debug("%s %s -> %s in %.1f ms (attempt %d)", request.method, url, outcome, elapsed_ms, attempt)
    if not debug:
        return
    logger.debug("> request headers: %s", _headers_line(request.headers, secrets))
    if request.content:
        logger.debug("> request body: %s", _body_text(request.content, secrets))
    if response is not None:
        logger.debug("< response headers: %s", _headers_line(response.headers, secrets))
        if body:
            logger.debug("< response body: %s", _body_text(body, secrets))
