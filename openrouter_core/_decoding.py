"""Content decoding with a size bound at every layer, so no compression bomb can grow memory.

httpx decodes each layer of ``Content-Encoding`` whole per chunk: ``gzip, gzip`` turns 1 KB into
a gigabyte inside one call, before any size check can run. The drivers read raw bytes and decode
them here instead, a bounded piece at a time: no layer may produce more than the limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = ["BodyDecoder", "BodyTooLarge", "UndecodableBody", "body_decoder"]

_PIECE = 64 * 1024


class BodyTooLarge(Exception):
    """A layer of the body decoded past the limit."""


class UndecodableBody(Exception):
    """The body is not valid for its ``Content-Encoding``, or the encoding is not supported."""


class _Layer:
    __slots__ = ("_codec", "_deflate_fallback", "produced")

    def __init__(self, name: str) -> None:
        if name in ("gzip", "x-gzip"):
            self._codec = zlib.decompressobj(zlib.MAX_WBITS | 16)
            self._deflate_fallback = False
        elif name == "deflate":  # zlib-wrapped, or raw deflate from servers that get it wrong
            self._codec = zlib.decompressobj(zlib.MAX_WBITS)
            self._deflate_fallback = True
        else:
            raise UndecodableBody(f"unsupported Content-Encoding {name!r}")
        self.produced = 0

    def pieces(self, data: bytes, limit: int) -> Iterator[bytes]:
        """Decoded pieces of at most 64 KiB, produced one at a time (never the whole expansion at once)."""
        while data:
            try:
                piece = self._codec.decompress(data, _PIECE)
            except zlib.error as exc:
                if self._deflate_fallback and self.produced == 0:
                    self._codec, self._deflate_fallback = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise UndecodableBody(f"invalid compressed data ({exc})") from None
            self._deflate_fallback = False
            self.produced += len(piece)
            if self.produced > limit:
                raise BodyTooLarge
            if piece:
                yield piece
            data = self._codec.unconsumed_tail
            if self._codec.eof:
                break

    def flush(self, limit: int) -> bytes:
        try:
            rest = self._codec.flush()
        except zlib.error as exc:
            raise UndecodableBody(f"invalid compressed data ({exc})") from None
        self.produced += len(rest)
        if self.produced > limit:
            raise BodyTooLarge
        return rest


def _through(layer: _Layer, pieces: Iterator[bytes], limit: int) -> Iterator[bytes]:
    for piece in pieces:
        yield from layer.pieces(piece, limit)


class BodyDecoder:
    """Decode a body whose ``Content-Encoding`` is ``content_encoding``, never past ``limit`` bytes a layer."""

    __slots__ = ("_layers", "_limit", "produced")

    def __init__(self, content_encoding: str, limit: int) -> None:
        names = [part.strip().lower() for part in content_encoding.split(",")]
        # Listed in the order they were applied, so they are undone last to first.
        self._layers = [_Layer(name) for name in reversed(names) if name and name != "identity"]
        self._limit = limit
        self.produced = 0

    @property
    def identity(self) -> bool:
        """Whether the body is not encoded (its bytes pass through unchanged)."""
        return not self._layers

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes available after ``data``."""
        if not self._layers:
            return self._count(data)
        return self._count(b"".join(self.iter_pieces(data)))

    def iter_pieces(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes after ``data``, a bounded piece at a time (for bodies streamed to the caller)."""
        pieces: Iterator[bytes] = iter((data,))
        for layer in self._layers:
            pieces = _through(layer, pieces, self._limit)
        yield from pieces

    def flush(self) -> bytes:
        """The decoded bytes left at the end of the body."""
        carry = b""
        for layer in self._layers:  # what a layer flushes still has to pass the layers after it
            out = list(layer.pieces(carry, self._limit)) if carry else []
            out.append(layer.flush(self._limit))
            carry = b"".join(out)
        return self._count(carry)

    def _count(self, data: bytes) -> bytes:
        self.produced += len(data)
        if self.produced > self._limit:
            raise BodyTooLarge
        return data


def body_decoder(response: httpx.Response, limit: int) -> BodyDecoder:
    """The decoder for ``response``'s body: none when httpx has read (and so decoded) the body already."""
    encoding = "" if hasattr(response, "_content") else response.headers.get("content-encoding", "")
    return BodyDecoder(encoding, limit)
