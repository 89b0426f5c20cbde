r"""A sans-I/O decoder for ``text/event-stream`` bodies (server-sent events).

It follows the WHATWG HTML standard's "Parsing an event stream" and "Interpreting an event stream"
rules (section 9.2) to the letter, minus the parts that belong to a browser's ``EventSource``
(reconnecting, origins, DOM events):

* the bytes are UTF-8, decoded incrementally (a character split across two chunks is fine;
  invalid bytes become U+FFFD), and one U+FEFF byte order mark at the very start is dropped;
* lines end in CR LF, LF or CR; a CR that ends one chunk and an LF that starts the next are
  one line end;
* a blank line dispatches the event; a line starting with ``:`` is a comment;
* otherwise the field name is what comes before the first ``:`` and the value what comes after
  it, less one leading space (a line with no colon is a field with an empty value);
* ``data`` appends its value to the data buffer (several ``data`` lines join with ``"\n"``);
  ``event`` sets the event type; ``id`` sets the last event ID unless the value contains NUL;
  ``retry`` sets the reconnection time if the value is ASCII digits only; other fields are
  ignored;
* a blank line with an empty data buffer dispatches nothing (it still commits the last event
  ID); at the end of the stream an event not yet closed by a blank line is discarded.

The decoder does no I/O: feed it the bytes as they arrive, take the events it returns, and call
:meth:`SSEDecoder.end` when the body is over. Because the spec silently drops an event that
the stream cut short, :attr:`SSEDecoder.pending` tells whether that happened, so a caller can
report a truncated stream instead of passing it off as complete.

Example:
    >>> decoder = SSEDecoder()
    >>> decoder.feed(b": OPENROUTER PROCESSING\n\ndata: {\"a\": 1}\n")
    []
    >>> decoder.feed(b"\n")
    [ServerSentEvent(data='{"a": 1}', event='message', id='', retry=None)]
    >>> decoder.comments
    1
    >>> decoder.end(), decoder.pending
    ([], False)
"""

from __future__ import annotations

import codecs
import contextlib
from typing import NoReturn

__all__ = ["DEFAULT_MAX_EVENT_BYTES", "EventTooLargeError", "SSEDecoder", "ServerSentEvent"]

_utf_8_decode = codecs.utf_8_decode
_BOM = codecs.BOM_UTF8

DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024
"""The default :class:`SSEDecoder` limit: 16 MiB for one line or one event's data."""


def _utf8_len(text: str) -> int:
    # str.isascii() is O(1) in CPython: an ASCII string's length is its UTF-8 size.
    return len(text) if text.isascii() else len(text.encode("utf-8"))


class ServerSentEvent:
    r"""One dispatched event.

    Attributes:
        data: The event's data: its ``data`` lines' values joined with ``"\n"``.
        event: The event type: the last ``event`` field of the event, or ``"message"`` when there
            was none or it was empty.
        id: The stream's last event ID when the event was dispatched (the spec's
            ``lastEventId``): set by the latest ``id`` field, in this event or an earlier one;
            ``""`` until the stream sends one.
        retry: The stream's reconnection time in milliseconds when the event was dispatched: set
            by the latest valid ``retry`` field, in this event or an earlier one; ``None`` until
            the stream sends one.
    """

    __slots__ = ("data", "event", "id", "retry")

    def __init__(self, data: str, event: str = "message", id: str = "", retry: int | None = None) -> None:
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def _key(self) -> tuple[str, str, str, int | None]:
        return (self.data, self.event, self.id, self.retry)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"ServerSentEvent(data={self.data!r}, event={self.event!r}, id={self.id!r}, retry={self.retry!r})"


class EventTooLargeError(ValueError):
    """A line, or an event's data, is larger than the decoder's ``max_event_bytes``.

    Raised by :meth:`SSEDecoder.feed` as soon as the limit is passed (an unfinished line counts
    as soon as its received part is over the limit), so that a server cannot make the decoder
    hold an unbounded amount of memory. The decoder is unusable afterwards.

    Attributes:
        limit: The ``max_event_bytes`` that was exceeded.
        events: The events completed by the same :meth:`SSEDecoder.feed` call before the limit
            was hit (they would otherwise be lost with the call's return value).
    """

    def __init__(self, message: str, *, limit: int, events: list[ServerSentEvent]) -> None:
        super().__init__(message)
        self.limit = limit
        self.events = events


class SSEDecoder:
    """Incremental decoder from the bytes of an event stream to :class:`ServerSentEvent` objects.

    Any split of the same bytes into :meth:`feed` calls yields the same events, in the same order.
    One decoder reads one stream: after :meth:`end`, or after :exc:`EventTooLargeError`, it
    accepts no more bytes.

    Args:
        max_event_bytes: The largest line, and the largest event data, in UTF-8 bytes, that the
            decoder accepts; past it :meth:`feed` raises :exc:`EventTooLargeError`. The memory the
            decoder holds is bounded by a small multiple of it. Defaults to
            :data:`DEFAULT_MAX_EVENT_BYTES` (16 MiB).

    Attributes:
        comments: How many comment lines (lines starting with ``:``) the stream has sent, such as
            OpenRouter's ``: OPENROUTER PROCESSING`` keep-alives.
        bytes_received: How many bytes have been fed, whether or not they completed anything.
        last_event_id: The stream's last event ID (the value to send as ``Last-Event-ID`` when
            resuming): updated when a blank line ends an event, ``""`` until an ``id`` field is.
        retry: The reconnection time in milliseconds from the latest valid ``retry`` field, or
            ``None`` if the stream has sent none.

    Raises:
        TypeError: ``max_event_bytes`` is not an int.
        ValueError: ``max_event_bytes`` is less than 1.
    """

    __slots__ = (
        "_bom",
        "_closed",
        "_data",
        "_data_bytes",
        "_event_type",
        "_id_buffer",
        "_in_event",
        "_limit",
        "_partial",
        "_partial_bytes",
        "_skip_lf",
        "_tail",
        "bytes_received",
        "comments",
        "last_event_id",
        "retry",
    )

    def __init__(self, *, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        if isinstance(max_event_bytes, bool) or not isinstance(max_event_bytes, int):
            raise TypeError(f"max_event_bytes: expected an int, got {type(max_event_bytes).__name__}")
        if max_event_bytes < 1:
            raise ValueError(f"max_event_bytes: must be at least 1, got {max_event_bytes}")
        self._limit = max_event_bytes
        # UTF-8 decoded incrementally: _tail holds the bytes of a character cut at the end of a chunk;
        # "replace" is the spec's decode (invalid bytes become U+FFFD). One byte order mark at the
        # very start is dropped, even split over chunks (_bom: still looking for it).
        self._tail = b""
        self._bom = True
        self._partial: list[str] = []  # the unfinished last line, in pieces (no CR or LF inside)
        self._partial_bytes = 0
        self._skip_lf = False  # the previous chunk ended in CR: an LF starting the next one is its pair
        self._data: list[str] = []  # the data buffer, one item per data line
        self._data_bytes = 0  # UTF-8 size of the data buffer, with a "\n" per line
        self._event_type = ""
        self._id_buffer = ""
        self._in_event = False  # a field line has been seen since the last blank line
        self._closed = False
        self.comments = 0
        self.bytes_received = 0
        self.last_event_id = ""
        self.retry: int | None = None

    @property
    def pending(self) -> bool:
        """Whether the stream so far stops in the middle of an event.

        True when bytes of an unfinished line have arrived, or a field line (``data``, ``id``, any
        non-comment line) has arrived since the last blank line. After :meth:`end`, True means
        the stream was cut short: the spec discards that incomplete event, and a caller that
        expected every event to be closed should report a truncated stream. Comments alone do
        not make an event pending: a keep-alive followed by the end of the stream is a clean end.
        """
        if self._in_event or self._partial_bytes:
            return True
        return not self._closed and bool(self._tail)

    def feed(self, data: bytes) -> list[ServerSentEvent]:
        """Decode the next bytes of the stream.

        Args:
            data: The next chunk, of any size (empty is fine), split anywhere.

        Returns:
            The events that the chunk completed, in order; often empty.

        Raises:
            EventTooLargeError: A line or an event's data is larger than ``max_event_bytes``.
            RuntimeError: The decoder was ended, or failed with :exc:`EventTooLargeError`.
        """
        text = self._text(data)
        if text[-2:] == "\n\n" and text[:6] == "data: " and self._one_line(text):
            # The common chunk: exactly one event of one data line ("data: <value>\n\n"), starting
            # on a fresh line. What the general path would do for it, in one step.
            self.last_event_id = self._id_buffer
            return [ServerSentEvent(text[6:-2], "message", self._id_buffer, self.retry)]
        return self._lines(text) if text else []

    def feed_data(self, data: bytes) -> list[str]:
        """Like :meth:`feed`, but only each event's ``data``: what a stream of JSON events reads."""
        if self._tail or self._bom or self._closed:
            text = self._text(data)
        else:  # the usual case, inline: nothing held back from the last chunk
            self.bytes_received += len(data)
            text, used = _utf_8_decode(data, "replace", False)
            if used != len(data):
                self._tail = data[used:]
        if text[-2:] == "\n\n" and text[:6] == "data: " and self._one_line(text):
            self.last_event_id = self._id_buffer
            return [text[6:-2]]
        return [event.data for event in self._lines(text)] if text else []

    def _text(self, data: bytes) -> str:
        if self._closed:
            raise RuntimeError("SSEDecoder.feed: the decoder is closed (end() was called, or a limit was exceeded)")
        self.bytes_received += len(data)
        return self._decode(data, final=False)

    def _one_line(self, text: str) -> bool:
        """Whether ``text`` is one line and a blank line, with nothing pending before it."""
        return (
            not (self._in_event or self._partial or self._skip_lf)
            and text.count("\n") == 2
            and "\r" not in text
            and len(text) <= self._limit // 4  # so at most max_event_bytes in UTF-8
        )

    def _lines(self, text: str) -> list[ServerSentEvent]:
        """The general path: join with the unfinished line, split into lines, process them."""
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if "\n" not in text and "\r" not in text:
            self._partial.append(text)
            self._partial_bytes += _utf8_len(text)
            if self._partial_bytes > self._limit:
                self._fail("a line", [])
            return []
        if self._partial:
            self._partial.append(text)
            text = "".join(self._partial)
            self._partial.clear()
            self._partial_bytes = 0
        if "\r" in text:
            # The only line ends are CR LF, LF and CR: normalise them all to LF.
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        rest = lines.pop()
        events = self._process(lines)
        if rest:
            self._partial.append(rest)
            self._partial_bytes = _utf8_len(rest)
            if self._partial_bytes > self._limit:
                self._fail("a line", events)
        return events

    def _decode(self, data: bytes, *, final: bool) -> str:
        if self._tail:
            data = self._tail + data
        if self._bom:
            if len(data) < 3 and _BOM.startswith(data) and not final:
                self._tail = data  # perhaps the start of a byte order mark: wait for more
                return ""
            self._bom = False
            if data.startswith(_BOM):
                data = data[3:]
        text, used = _utf_8_decode(data, "replace", final)
        self._tail = data[used:]
        return text

    def end(self) -> list[ServerSentEvent]:
        """Mark the end of the stream; the decoder accepts no more bytes afterwards.

        Per the spec, whatever was not closed by a blank line is discarded, so this never
        dispatches anything; check :attr:`pending` to tell whether something was discarded.
        Calling it again is harmless.

        Returns:
            The events completed by the end of the stream: always empty, per the spec (kept as a
            list so that callers treat :meth:`feed` and :meth:`end` alike).
        """
        if self._closed:
            return []
        tail = self._decode(b"", final=True)  # a cut-off UTF-8 sequence becomes U+FFFD
        if tail:
            self._partial.append(tail)
            self._partial_bytes += _utf8_len(tail)
        self._closed = True
        return []

    def _fail(self, what: str, events: list[ServerSentEvent]) -> NoReturn:
        self._closed = True
        raise EventTooLargeError(
            f"server-sent events: {what} is larger than max_event_bytes ({self._limit} bytes)",
            limit=self._limit,
            events=events,
        )

    def _process(self, lines: list[str]) -> list[ServerSentEvent]:
        events: list[ServerSentEvent] = []
        limit = self._limit
        # A line of at most limit // 4 characters is at most `limit` UTF-8 bytes: only longer
        # lines need measuring.
        quick = limit // 4
        for line in lines:
            if not line:
                self._dispatch(events)
                continue
            if len(line) > quick and _utf8_len(line) > limit:
                self._fail("a line", events)
            if line[0] == ":":
                self.comments += 1
                continue
            self._in_event = True
            if line.startswith("data:"):  # the common case first
                self._add_data(line[6:] if line.startswith(" ", 5) else line[5:], events)
                continue
            colon = line.find(":")
            if colon < 0:
                self._field(line, "", events)
            else:
                self._field(
                    line[:colon], line[colon + 2 :] if line.startswith(" ", colon + 1) else line[colon + 1 :], events
                )
        return events

    def _dispatch(self, events: list[ServerSentEvent]) -> None:
        # The last event ID is committed even when nothing is dispatched.
        self.last_event_id = self._id_buffer
        if self._data:
            events.append(
                ServerSentEvent("\n".join(self._data), self._event_type or "message", self._id_buffer, self.retry)
            )
            self._data.clear()
            self._data_bytes = 0
        self._event_type = ""
        self._in_event = False

    def _add_data(self, value: str, events: list[ServerSentEvent]) -> None:
        self._data.append(value)
        self._data_bytes += _utf8_len(value) + 1
        if self._data_bytes - 1 > self._limit:
            self._fail("an event's data", events)

    def _field(self, field: str, value: str, events: list[ServerSentEvent]) -> None:
        if field == "data":  # "data" with no colon: an empty data line
            self._add_data(value, events)
        elif field == "event":
            self._event_type = value
        elif field == "id":
            if "\0" not in value:
                self._id_buffer = value
        elif field == "retry" and value.isascii() and value.isdigit():
            # int() refuses only absurd values, past Python's digit limit (thousands of digits).
            with contextlib.suppress(ValueError):
                self.retry = int(value)
