"""``RecordedRequest``: what the fake received, with credentials hidden unless asked for."""

from __future__ import annotations

import json
from typing import Any

import attrs
import httpx

from openrouter.testing._wire import api_path

# The SDK's own list and marker, so the fake hides exactly what the SDK's debug log hides.
from openrouter_core._redact import REDACTED, SENSITIVE_HEADERS

__all__ = ["REDACTED", "RecordedRequest"]


@attrs.frozen(kw_only=True)
class RecordedRequest:
    """One request as the fake received it.

    ``repr()``, ``headers()`` and ``api_key()`` hide credentials; pass ``reveal=True`` to see them.

    Attributes:
        method: ``"GET"``, ``"POST"``, ...
        path: the path as sent, e.g. ``"/api/v1/credits"`` (no query string).
        query: the query string, without ``?`` (``""`` when none).
        body: the raw body.
        operation: the operationId the path and method name (``"getCredits"``), ``None`` when
            none does; set by the fake when it records the request.
    """

    method: str
    path: str
    query: str = ""
    body: bytes = b""
    raw_headers: tuple[tuple[str, str], ...] = attrs.field(default=(), repr=False)
    operation: str | None = None

    @property
    def route(self) -> str:
        """Method and API path without the ``/api/v1`` prefix, e.g. ``"GET /credits"`` (as queue keys are written)."""
        return f"{self.method} {api_path(self.path)}"

    def headers(self, *, reveal: bool = False) -> httpx.Headers:
        """The request headers (case-insensitive), credentials replaced by ``[REDACTED]`` unless ``reveal``."""
        if reveal:
            return httpx.Headers(list(self.raw_headers))
        return httpx.Headers(
            [(name, REDACTED if name.lower() in SENSITIVE_HEADERS else value) for name, value in self.raw_headers]
        )

    def api_key(self, *, reveal: bool = False) -> str | None:
        """The key sent as ``Authorization: Bearer <key>``, ``[REDACTED]`` unless ``reveal``; ``None`` when none."""
        authorization = httpx.Headers(list(self.raw_headers)).get("authorization", "")
        scheme, _, key = authorization.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            return None
        return key if reveal else REDACTED

    def params(self) -> httpx.QueryParams:
        """The query parameters (``request.params()["limit"]``)."""
        return httpx.QueryParams(self.query)

    def json(self) -> Any:
        """The body parsed as JSON.

        Raises:
            ValueError: the body is not JSON (``json.JSONDecodeError`` is a ``ValueError``).
        """
        return json.loads(self.body)

    def __repr__(self) -> str:
        query = "?" + self.query if self.query else ""
        return f"RecordedRequest({self.method} {self.path}{query}, {len(self.body)} bytes)"
