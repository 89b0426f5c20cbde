"""``FakeResponse``: one scripted answer of the fake, and the documented error bodies it uses."""

from __future__ import annotations

import enum
import json as jsonlib
import math
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import attrs

__all__ = ["DOCUMENTED_ERROR_MESSAGES", "FakeResponse", "Fault"]

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


_EXTRA_REASONS = {524: "Edge Network Timeout", 529: "Provider Overloaded"}  # as the SDK names them


def reason_phrase(status: int) -> str:
    """The reason phrase of a status line (``"Too Many Requests"``), or ``""`` for an unnamed status."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _EXTRA_REASONS.get(status, "")


class Fault(str, enum.Enum):
    """A way for the fake to misbehave instead of answering normally.

    Over a real socket and in process, each fault produces what httpx raises against a real server:

    - ``DROP``: close the connection without answering (``httpx.RemoteProtocolError``).
    - ``DROP_MID_BODY``: send the status, the headers and half of the body, then close
      (``httpx.RemoteProtocolError`` while the body is read).
    - ``RESET``: abort the connection with a TCP reset (``httpx.ReadError``).
    - ``HANG``: never answer. The client's read timeout ends the wait (``httpx.ReadTimeout``); the
      fake's ``hang_limit`` or its shutdown ends it on the server side, by closing the connection.
    """

    DROP = "drop"
    DROP_MID_BODY = "drop_mid_body"
    RESET = "reset"
    HANG = "hang"


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


def _headers(value: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(val)) for name, val in (value or {}).items())


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
        given = {name.lower() for name, _ in self.headers}
        extra: list[tuple[str, str]] = []
        if self.json is not NO_JSON and "content-type" not in given:
            extra.append(("Content-Type", "application/json"))
        if "content-length" not in given:
            extra.append(("Content-Length", str(len(self.content()))))
        return [*self.headers, *extra]

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
