"""Multipart/form-data request bodies, streamed: a file is read from disk a piece at a time.

A file field takes a path (``pathlib.Path`` or ``os.PathLike``), ``bytes``, a binary file object,
or a ``(filename, content)`` / ``(filename, content, content_type)`` tuple of those. The part's
content type follows the file name. A list field is one part per value under its wire name
(``timestamp_granularities[]`` twice for ``["word", "segment"]``). The body can be sent again
(a retry) when every file can be read again: paths and bytes always, file objects when seekable.
"""

from __future__ import annotations

import io
import mimetypes
import os
import secrets
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import IO, Any

__all__ = ["MultipartBody"]

_PIECE = 64 * 1024


class _File:
    """One file part's source, readable in pieces, again when possible."""

    __slots__ = ("_start", "content_type", "filename", "source")

    def __init__(self, value: Any, field: str) -> None:
        filename: str | None = getattr(value, "filename", None)
        content_type: str | None = getattr(value, "content_type", None)
        value = getattr(value, "source", value)  # a FileValue the converter checked
        if isinstance(value, (bytes, bytearray, memoryview)):
            self.source: bytes | str | IO[bytes] = bytes(value)
        elif isinstance(value, (str, os.PathLike)):
            self.source = os.fspath(value)
            filename = filename or os.path.basename(self.source)
        elif hasattr(value, "read"):
            self.source = value
            name = getattr(value, "name", None)
            filename = filename or (os.path.basename(name) if isinstance(name, str) else None)
        else:
            raise TypeError(f"{field}: expected a path, bytes or a binary file object, got {type(value).__name__}")
        self.filename = filename or field.removesuffix("[]")
        self.content_type = content_type or mimetypes.guess_type(self.filename)[0] or "application/octet-stream"
        self._start = self._position()

    def _position(self) -> int | None:
        source = self.source
        if isinstance(source, (bytes, str)):
            return 0
        try:
            return source.tell() if source.seekable() else None
        except (OSError, ValueError, AttributeError):
            return None

    @property
    def replayable(self) -> bool:
        return self._start is not None

    def size(self) -> int | None:
        source = self.source
        if isinstance(source, bytes):
            return len(source)
        if isinstance(source, str):
            return os.path.getsize(source)
        if self._start is None:
            return None
        try:
            end = source.seek(0, io.SEEK_END)  # a seekable file (on disk or in memory): its end is its size
            source.seek(self._start)
        except (OSError, ValueError, AttributeError):
            return None
        return end - self._start

    def pieces(self) -> Iterator[bytes]:
        source = self.source
        if isinstance(source, bytes):
            for start in range(0, len(source), _PIECE):
                yield source[start : start + _PIECE]
            return
        if isinstance(source, str):
            with open(source, "rb") as handle:
                yield from iter(lambda: handle.read(_PIECE), b"")
            return
        if self._start is not None:
            source.seek(self._start)
        yield from iter(lambda: source.read(_PIECE), b"")


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


class MultipartBody:
    """A multipart/form-data body built from a request's wire fields."""

    __slots__ = ("_parts", "boundary", "consumed")

    def __init__(self, parts: list[tuple[str, str | _File]]) -> None:
        self._parts = parts
        self.boundary = secrets.token_hex(16)
        self.consumed = False

    @classmethod
    def of(cls, wire: Mapping[str, Any]) -> MultipartBody:
        """The body for ``wire`` (fields by wire name; files as their sources)."""
        parts: list[tuple[str, str | _File]] = []
        for name, value in wire.items():
            for item in value if isinstance(value, list) else [value]:
                if item is None:
                    continue
                if isinstance(item, (str, int, float, bool)):
                    text = ("true" if item else "false") if isinstance(item, bool) else str(item)
                    parts.append((name, text))
                else:
                    parts.append((name, _File(item, name)))
        return cls(parts)

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header, with the boundary."""
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def replayable(self) -> bool:
        """Whether the body can be sent again after it was read once."""
        return all(not isinstance(part, _File) or part.replayable for _, part in self._parts)

    def _head(self, name: str, part: str | _File) -> bytes:
        disposition = f'Content-Disposition: form-data; name="{_quoted(name)}"'
        if isinstance(part, _File):
            disposition += f'; filename="{_quoted(part.filename)}"\r\nContent-Type: {part.content_type}'
        return f"--{self.boundary}\r\n{disposition}\r\n\r\n".encode()

    def content_length(self) -> int | None:
        """The body's size, when every file's size is known (else it is sent chunked)."""
        total = len(f"--{self.boundary}--\r\n")
        for name, part in self._parts:
            size = part.size() if isinstance(part, _File) else len(part.encode())
            if size is None:
                return None
            total += len(self._head(name, part)) + size + 2
        return total

    def __iter__(self) -> Iterator[bytes]:
        self.consumed = True
        for name, part in self._parts:
            yield self._head(name, part)
            if isinstance(part, _File):
                yield from part.pieces()
            else:
                yield part.encode()
            yield b"\r\n"
        yield f"--{self.boundary}--\r\n".encode()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        # Disk reads of 64 KiB pieces are short; they run on the loop like httpx's own file uploads.
        for piece in self:
            yield piece
