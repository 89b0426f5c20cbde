"""``FakeStream``: a scripted server-sent-events answer, event by event.

A stream is a list of parts: JSON values (one ``data:`` event each), text deltas (``"Hel"``, shaped
like the operation's own delta events), ``Event`` (a named event or raw data), ``Comment``
(``: OPENROUTER PROCESSING``), ``Pause``, ``StreamError`` (the operation's in-band error event),
``Malformed`` (a ``data:`` line that is not JSON) and ``Raw`` bytes. The operation decides what a text
delta and an in-band error look like (a ``StreamShape``, built from the API document); the rest is
sent as written.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import attrs

from openrouter.testing._responses import FakeDownload, FakeResponse, _check_status
from openrouter.testing._wire import Fault, Piece, Reply

__all__ = [
    "Answer",
    "Comment",
    "Event",
    "FakeStream",
    "Malformed",
    "Pause",
    "Raw",
    "StreamError",
    "StreamShape",
]

DONE = b"data: [DONE]\n\n"
Path = tuple[str | int, ...]


# The parts are named tuples: values with a repr and equality, at a third of an attrs class's import cost.
class Comment(NamedTuple):
    """An SSE comment line (``: OPENROUTER PROCESSING``): a keep-alive, never an event."""

    text: str = "OPENROUTER PROCESSING"


class _Pause(NamedTuple):
    seconds: float


class Pause(_Pause):
    """Silence for ``seconds`` before the next part (longer than the client's read timeout: it times out).

    Raises:
        ValueError: ``seconds`` is negative or not finite.
    """

    __slots__ = ()

    def __new__(cls, seconds: float) -> Pause:
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds < math.inf:
            raise ValueError(f"a pause lasts a finite number of seconds >= 0, got {seconds!r}")
        return super().__new__(cls, float(seconds))


class Event(NamedTuple):
    """One event: ``data`` (a JSON value, or a string sent as it is) and an optional ``event:`` name and ``id:``."""

    data: Any
    event: str | None = None
    id: str | None = None


class StreamError(NamedTuple):
    """The operation's in-band error event (chat: a chunk with ``error`` and ``finish_reason: "error"``)."""

    message: str = "Provider returned error"
    code: int | str = 502


class Malformed(NamedTuple):
    """A ``data:`` line whose text is not valid JSON."""

    text: str = '{"choices": [{"delta": {"content": "unterminated'


class Raw(NamedTuple):
    """Bytes sent as they are (anything the other parts cannot express)."""

    data: bytes


def _parts(value: Iterable[Any] | None) -> tuple[Any, ...] | None:
    if isinstance(value, (str, bytes, Mapping)):
        raise TypeError('events must be a list of parts, e.g. ["Hel", "lo"] or [{...}, Comment()]')
    return None if value is None else tuple(value)


_optional_count = attrs.validators.optional([attrs.validators.instance_of(int), attrs.validators.ge(0)])


def _headers(value: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(val)) for name, val in (value or {}).items())


class StreamShape(NamedTuple):
    """What one operation's events look like: its opening and closing events, text deltas and errors.

    Built by the fake from the API document; tests rarely need one.

    Attributes:
        named: events carry an ``event:`` line (the Messages API), named after their ``type``.
        head: ``(event name, data)`` sent before the text deltas of a framed stream.
        text: ``(event name, data, path)``: a text delta, its text at ``path`` in ``data``.
        pieces: the default stream's text deltas.
        tail: ``(event name, data)`` sent after the deltas.
        fill: ``(tail index, path)``: where the tail repeats the whole text.
        error: ``(event name, data, code path or None, message path)``: the in-band error event.
        sequence: a field numbered 0, 1, 2, ... across the events (``sequence_number``), or ``None``.
    """

    named: bool = False
    head: tuple[tuple[str | None, Any], ...] = ()
    text: tuple[str | None, Any, Path] = (None, {"text": ""}, ("text",))
    pieces: tuple[str, ...] = ()
    tail: tuple[tuple[str | None, Any], ...] = ()
    fill: tuple[tuple[int, Path], ...] = ()
    error: tuple[str | None, Any, Path | None, Path] = (
        None,
        {"error": {"code": 502, "message": ""}},
        ("error", "code"),
        ("error", "message"),
    )
    sequence: str | None = None


def _set(data: Any, path: Path, value: Any) -> Any:
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


@attrs.frozen
class FakeStream:
    """A scripted ``text/event-stream`` answer.

    ``events`` is sent in order: a JSON value is one ``data:`` event; a string is a text delta shaped
    like the operation's own (for chat, a chunk whose ``choices[0].delta.content`` is the string);
    ``Event``, ``Comment``, ``Pause``, ``StreamError``, ``Malformed`` and ``Raw`` are sent as they say.
    Then ``data: [DONE]``, unless ``done=False``.

    Args:
        events: the parts; ``None`` sends the operation's default text deltas.
        framed: add the operation's opening and closing events around ``events`` (for chat, the
            role chunk first and the ``finish_reason``/``usage`` chunk last); ``FakeStream.text()``
            sets it.
        done: end with ``data: [DONE]`` (``False``: the stream just ends, as a cut-short one does).
        error_after: send the operation's in-band ``error`` event after this many events, then end
            (no ``[DONE]``); the rest of the events are not sent.
        error: the in-band error that ``error_after`` sends.
        drop_after: close the connection after this many events, mid-body (no ``[DONE]``, no end of
            the chunked body): the client sees a dropped connection.
        status: the HTTP status.
        headers: extra headers (``Content-Type: text/event-stream`` is added).
        delay: seconds before the headers are sent.
        fault: ``Fault.DROP``/``RESET``/``HANG`` instead of answering; ``DROP_MID_BODY`` drops the
            connection after half of the events.

    Example:
        >>> FakeStream([Comment(), "Hel", Pause(0.5), "lo"])  # for chat: two content chunks, then [DONE]
        FakeStream(4 parts)
        >>> FakeStream.text("Hel", "lo", error_after=2)  # role chunk, "Hel", then an in-band error
        FakeStream(2 parts)
    """

    events: tuple[Any, ...] | None = attrs.field(default=None, converter=_parts)
    framed: bool = attrs.field(default=False, kw_only=True)
    done: bool = attrs.field(default=True, kw_only=True)
    error_after: int | None = attrs.field(default=None, kw_only=True, validator=_optional_count)
    error: StreamError = attrs.field(default=StreamError(), kw_only=True)
    drop_after: int | None = attrs.field(default=None, kw_only=True, validator=_optional_count)
    status: int = attrs.field(default=200, kw_only=True, validator=_check_status)
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), kw_only=True, converter=_headers)
    delay: float = attrs.field(default=0.0, kw_only=True, validator=attrs.validators.ge(0))
    fault: Fault | None = attrs.field(default=None, kw_only=True, converter=attrs.converters.optional(Fault))

    def __repr__(self) -> str:
        return "FakeStream(...)" if self.events is None else f"FakeStream({len(self.events)} parts)"

    @classmethod
    def text(cls, *pieces: str, **options: Any) -> FakeStream:
        """A complete stream of the operation whose text deltas are ``pieces`` (see the class for ``options``)."""
        return cls(events=pieces, framed=True, **options)

    @classmethod
    def default(cls, **options: Any) -> FakeStream:
        """The operation's default stream (what the fake sends unscripted), with ``options`` changed."""
        return cls(events=None, framed=True, **options)

    # --- rendering -----------------------------------------------------------------------------

    def parts(self, shape: StreamShape) -> tuple[list[Any], bool]:
        """Every part to send, in order (framing added, ``[DONE]`` last), and whether the connection drops after."""
        body = list(shape.pieces if self.events is None else self.events)
        parts: list[Any] = []
        if self.framed:
            parts += [Event(data, name) for name, data in shape.head]
        parts += body
        if self.framed:
            whole = "".join(part for part in body if isinstance(part, str))
            fills = dict(shape.fill)
            for index, (name, data) in enumerate(shape.tail):
                path = fills.get(index)
                parts.append(Event(data if path is None else _set(data, path, whole), name))
        drop = self.drop_after
        if self.fault is Fault.DROP_MID_BODY:
            drop = sum(_is_event(part) for part in parts) // 2
        stops = [n for n in (self.error_after, drop) if n is not None]
        if not stops:
            return ([*parts, Raw(DONE)] if self.done else parts), False
        cutoff, kept, seen = min(stops), [], 0
        for part in parts:
            if seen == cutoff and _is_event(part):
                break
            kept.append(part)
            seen += _is_event(part)
        if self.error_after == cutoff:  # the error comes first when both would stop at the same event
            return [*kept, self.error], False
        return kept, True

    def reply(self, shape: StreamShape) -> Reply:
        """This stream as the connectors send it, shaped for one operation."""
        parts, cut = self.parts(shape)

        def pieces() -> Iterator[Piece]:
            counter = 0
            for part in parts:
                if isinstance(part, Pause):
                    yield float(part.seconds)
                    continue
                encoded, counter = _encode(part, shape, counter)
                yield encoded

        given = {name.lower() for name, _ in self.headers}
        extra = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")]
        headers = (*self.headers, *(pair for pair in extra if pair[0].lower() not in given))
        return Reply(status=self.status, headers=headers, pieces=pieces, delay=self.delay, fault=self.fault, cut=cut)


def _is_event(part: Any) -> bool:
    return not isinstance(part, (Comment, Pause, Raw))


def _encode(part: Any, shape: StreamShape, counter: int) -> tuple[bytes, int]:
    """One part's bytes, and the next sequence number."""
    if isinstance(part, Comment):
        return b"".join(b": " + line.encode() + b"\n" for line in (part.text.split("\n") or [""])) + b"\n", counter
    if isinstance(part, Raw):
        return part.data, counter
    if isinstance(part, Malformed):
        return b"data: " + part.text.encode() + b"\n\n", counter
    name: str | None
    if isinstance(part, str):
        name, template, path = shape.text
        part = Event(_set(template, path, part), name)
    elif isinstance(part, StreamError):
        name, template, code_path, message_path = shape.error
        data = _set(template, message_path, part.message)
        if code_path is not None:
            current = _get(template, code_path)
            data = _set(data, code_path, part.code if isinstance(current, int) else str(part.code))
        part = Event(data, name)
    elif not isinstance(part, Event):
        part = Event(part)
    data = part.data
    if shape.sequence is not None and isinstance(data, dict) and shape.sequence in data:
        data = {**data, shape.sequence: counter}
        counter += 1
    name = part.event
    if name is None and shape.named and isinstance(data, dict) and isinstance(data.get("type"), str):
        name = data["type"]
    lines = []
    if part.id is not None:
        lines.append(f"id: {part.id}")
    if name is not None:
        lines.append(f"event: {name}")
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    lines += [f"data: {line}" for line in text.split("\n")]
    return ("\n".join(lines) + "\n\n").encode(), counter


def _get(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


Answer = FakeResponse | FakeStream | FakeDownload
"""A scripted or default answer, before it is shaped for its operation."""
