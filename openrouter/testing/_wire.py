"""What the connectors put on the wire: a ``Reply`` (status, headers, body pieces, pauses, faults).

The bottom layer of ``openrouter.testing``: the scripted answers (``FakeResponse``, ``FakeStream``,
``FakeDownload``) and the default answers all become a ``Reply``; the in-process transports and the
socket server know nothing else.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from http import HTTPStatus

import attrs

__all__ = ["API_PREFIX", "Fault", "Reply", "api_path", "reason_phrase"]

API_PREFIX = "/api/v1"

_EXTRA_REASONS = {524: "Edge Network Timeout", 529: "Provider Overloaded"}  # as the SDK names them


def api_path(path: str) -> str:
    """``path`` without the ``/api/v1`` prefix: the fake serves ``/api/v1/credits`` and ``/credits`` alike."""
    if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
        return path[len(API_PREFIX) :] or "/"
    return path


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
    - ``DROP_MID_BODY``: send the status, the headers and half of the body (half of a stream's
      events), then close (``httpx.RemoteProtocolError`` while the body is read).
    - ``RESET``: abort the connection with a TCP reset (``httpx.ReadError``).
    - ``HANG``: never answer. The client's read timeout ends the wait (``httpx.ReadTimeout``); the
      fake's ``hang_limit`` or its shutdown ends it on the server side, by closing the connection.
    """

    DROP = "drop"
    DROP_MID_BODY = "drop_mid_body"
    RESET = "reset"
    HANG = "hang"


Piece = bytes | float
"""A part of a body as it is sent: bytes, or a pause in seconds."""


@attrs.frozen(kw_only=True)
class Reply:
    """One answer as the connectors send it.

    Attributes:
        status: the HTTP status.
        headers: the headers, content type and length included (no length: the body is chunked).
        body: the whole body when it is small and sent at once; else ``b""`` and ``pieces``.
        pieces: makes an iterator of the body's pieces (bytes, and pauses in seconds), for streams and
            large downloads; ``None`` when ``body`` is the whole body.
        delay: seconds to wait before answering (a ``Fault.HANG`` waits forever).
        fault: misbehave instead of (or while) answering.
        cut: the connection closes after the pieces (or after half of ``body``): an incomplete body.
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    pieces: Callable[[], Iterator[Piece]] | None = None
    delay: float = 0.0
    fault: Fault | None = None
    cut: bool = False

    @property
    def length(self) -> int | None:
        """The announced ``Content-Length``, or ``None`` for a chunked body."""
        for name, value in self.headers:
            if name.lower() == "content-length":
                return int(value)
        return None
