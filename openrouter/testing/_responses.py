"""``FakeResponse`` and ``FakeDownload``: scripted answers of the fake, and the documented error bodies."""

from __future__ import annotations

import enum
import json as jsonlib
import math
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from openrouter.testing._wire import Fault, Piece, Reply

__all__ = ["DOCUMENTED_ERROR_MESSAGES", "FakeDownload", "FakeResponse", "Fault"]

# The example message of each error status in OpenRouter's OpenAPI document, so that a scripted
# error looks like the real one unless a test says otherwise.
DOCUMENTED_ERROR_MESSAGES: Mapping[int, str] = {
    400: "Invalid request parameters",
    401: "Missing Authentication header",
    402: "Insufficient credits. Add more using https://openrouter.ai/credits",
    403: "Only management keys can perform this operation",
    404: "Resource not found",
    408: "Operation timed out. Please try again later.",
    409: "Resource conflict. Please try again later.",
    410: (
        "The Coinbase APIs used by this endpoint have been deprecated, so the Coinbase Commerce credits API "
        "has been removed. Use the web credits purchase flow instead."
    ),
    413: "Request payload too large",
    422: "Invalid argument",
    429: "Rate limit exceeded",
    500: "Internal Server Error",
    502: "Provider returned error",
    503: "Service temporarily unavailable",
    524: "Request timed out. Please try again later.",
    529: "Provider returned error",
}


_PIECE = 65536  # the most a FakeDownload sends at a time
_BLOCK = bytes(range(256)) * (_PIECE // 256 + 1)  # any slice [k:k + _PIECE] with k < 256 continues the pattern


class _NoJSON(enum.Enum):
    NO_JSON = "NO_JSON"

    def __repr__(self) -> str:
        return "NO_JSON"


NO_JSON = _NoJSON.NO_JSON


def _check_status(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise ValueError(f"status must be an HTTP status code (100-599), got {value!r}")


def _check_delay(_: object, __: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
        raise ValueError(f"delay must be a finite number of seconds >= 0, got {value!r}")


def _check_size(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"size must be a number of bytes >= 0, got {value!r}")


def _headers(value: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(val)) for name, val in (value or {}).items())


def with_length(
    headers: tuple[tuple[str, str], ...], length: int | None, content_type: str | None
) -> list[tuple[str, str]]:
    """``headers`` plus a content type and a ``Content-Length`` when they are not given (``None``: none added)."""
    given = {name.lower() for name, _ in headers}
    extra: list[tuple[str, str]] = []
    if content_type and "content-type" not in given:
        extra.append(("Content-Type", content_type))
    if length is not None and "content-length" not in given:
        extra.append(("Content-Length", str(length)))
    return [*headers, *extra]


@attrs.frozen(kw_only=True)
class FakeResponse:
    """One answer for the fake to give: a status, headers and a body, or a fault.

    Args:
        status: the HTTP status.
        headers: response headers. ``Content-Type: application/json`` is added for a ``json`` body,
            ``Content-Length`` always; give them here to override.
        json: a body to send as JSON (any ``json.dumps``-able value). Exclusive with ``body``.
        body: a raw body, sent as it is (no content type unless ``headers`` sets one).
        delay: seconds to wait before answering. Longer than the client's read timeout, it makes
            the client time out, as a slow server would.
        fault: misbehave instead of answering (see ``Fault``); ``delay`` still applies first.

    Raises:
        ValueError: an invalid status or delay, both ``json`` and ``body``, or ``DROP_MID_BODY``
            without a body to cut.
    """

    status: int = attrs.field(default=200, validator=_check_status)
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_headers)
    json: Any = NO_JSON
    body: bytes = b""
    delay: float = attrs.field(default=0.0, validator=_check_delay)
    fault: Fault | None = attrs.field(default=None, converter=attrs.converters.optional(Fault))

    def __attrs_post_init__(self) -> None:
        if self.json is not NO_JSON and self.body:
            raise ValueError("give either json or body, not both")
        if self.fault is Fault.DROP_MID_BODY and not self.content():
            raise ValueError("Fault.DROP_MID_BODY needs a body to cut (json or body)")

    def content(self) -> bytes:
        """The body as sent on the wire."""
        if self.json is NO_JSON:
            return self.body
        return jsonlib.dumps(self.json, separators=(",", ":")).encode()

    def wire_headers(self) -> list[tuple[str, str]]:
        """The headers as sent: the given ones, plus a content type for JSON and the content length."""
        content_type = "application/json" if self.json is not NO_JSON else None
        return with_length(self.headers, len(self.content()), content_type)

    def reply(self) -> Reply:
        """This answer as the connectors send it."""
        content = self.content()
        cut = self.fault is Fault.DROP_MID_BODY
        return Reply(
            status=self.status,
            headers=tuple(self.wire_headers()),
            body=content[: len(content) // 2] if cut else content,
            delay=self.delay,
            fault=self.fault,
            cut=cut,
        )

    @classmethod
    def error(
        cls,
        status: int,
        message: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        delay: float = 0.0,
    ) -> FakeResponse:
        """An error in OpenRouter's shape: ``{"error": {"code": status, "message": ...}}``.

        Args:
            status: the HTTP status, which is also the body's ``error.code``.
            message: ``error.message``; default: the example message the API documents for the
                status (``"Rate limit exceeded"`` for 429, ...).
            headers: extra headers, e.g. ``{"Retry-After": "1"}``.
            metadata: ``error.metadata``, when given.
            delay: seconds to wait before answering.

        Returns:
            The response.
        """
        detail: dict[str, Any] = {"code": status, "message": message or DOCUMENTED_ERROR_MESSAGES.get(status, "Error")}
        if metadata is not None:
            detail["metadata"] = dict(metadata)
        return cls(status=status, headers=headers, json={"error": detail}, delay=delay)

    @classmethod
    def rate_limited(cls, retry_after: float = 1, message: str | None = None) -> FakeResponse:
        """A 429 asking the client to wait ``retry_after`` seconds (a ``Retry-After`` header)."""
        seconds = str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
        return cls.error(429, message, headers={"Retry-After": seconds})

    @classmethod
    def drop(cls, *, mid_body: bool = False, delay: float = 0.0) -> FakeResponse:
        """A dropped connection: before any answer, or (``mid_body``) halfway through a JSON body.

        The body that ``mid_body`` cuts is a credits payload; build
        ``FakeResponse(json=..., fault=Fault.DROP_MID_BODY)`` to cut another one.
        """
        if not mid_body:
            return cls(fault=Fault.DROP, delay=delay)
        credits = {"data": {"total_credits": 100.5, "total_usage": 25.75}}
        return cls(json=credits, fault=Fault.DROP_MID_BODY, delay=delay)

    @classmethod
    def reset(cls) -> FakeResponse:
        """A connection aborted with a TCP reset before any answer."""
        return cls(fault=Fault.RESET)

    @classmethod
    def hang(cls) -> FakeResponse:
        """No answer at all, until the client times out or the fake stops (see ``Fault.HANG``)."""
        return cls(fault=Fault.HANG)


@attrs.frozen
class FakeDownload:
    """A binary answer of ``size`` bytes, generated while it is sent (never held whole in memory).

    The bytes are ``0, 1, ..., 255`` repeated (``FakeDownload.pattern(n)`` gives the first ``n``), so
    a test can check what its code saved.

    Args:
        size: the body's length in bytes (announced as ``Content-Length``).
        content_type: the ``Content-Type``; default: the one the operation documents (``video/mp4``,
            ``application/octet-stream``; for speech, the requested format's ``audio/...``).
        status: the HTTP status.
        headers: extra headers.
        delay: seconds to wait before answering.
        fault: misbehave (``Fault.DROP_MID_BODY`` stops after half of the bytes).
        chunk_size: how many bytes are sent at a time.

    Raises:
        ValueError: an invalid size, status, delay or chunk size.
    """

    size: int = attrs.field(validator=_check_size)
    content_type: str | None = attrs.field(default=None, kw_only=True)
    status: int = attrs.field(default=200, kw_only=True, validator=_check_status)
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), kw_only=True, converter=_headers)
    delay: float = attrs.field(default=0.0, kw_only=True, validator=_check_delay)
    fault: Fault | None = attrs.field(default=None, kw_only=True, converter=attrs.converters.optional(Fault))
    chunk_size: int = attrs.field(default=_PIECE, kw_only=True, validator=[_check_size, attrs.validators.ge(1)])

    @staticmethod
    def pattern(size: int) -> bytes:
        """The first ``size`` bytes of every ``FakeDownload`` body."""
        return (_BLOCK[:_PIECE] * (size // _PIECE + 1))[:size]

    def reply(self, content_type: str) -> Reply:
        """This answer as the connectors send it; ``content_type`` applies unless one was given."""
        cut = self.fault is Fault.DROP_MID_BODY
        total = self.size // 2 if cut else self.size

        def pieces() -> Iterator[Piece]:
            sent = 0
            while sent < total:
                size = min(self.chunk_size, total - sent, _PIECE)
                offset = sent % 256
                yield _BLOCK[offset : offset + size]
                sent += size

        headers = with_length(self.headers, self.size, self.content_type or content_type)
        return Reply(
            status=self.status, headers=tuple(headers), pieces=pieces, delay=self.delay, fault=self.fault, cut=cut
        )
