"""``BodyDecoder``: Content-Encoding layers undone last to first, in bounded pieces, never past the limit.

Through the SDK these run on bodies from a socket (``test_open_bodies``) and in subprocesses (the
compression-bomb tests); here the decoder itself, fed by hand.
"""

from __future__ import annotations

import gzip
import zlib

import pytest

from openrouter_core._decoding import BodyDecoder, BodyTooLarge, UndecodableBody

DATA = b"".join(f"line {n}\n".encode() for n in range(20_000))  # ~200 KB that compresses well
PIECE = 64 * 1024


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def decode(encoding: str, body: bytes, *, chunk: int = 1000, limit: int = 1 << 30) -> bytes:
    decoder = BodyDecoder(encoding, limit)
    out = [decoder.feed(body[i : i + chunk]) for i in range(0, len(body), chunk)]
    return b"".join(out) + decoder.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("", DATA),
        ("identity", DATA),
        ("gzip", gzip.compress(DATA)),
        ("X-GZIP", gzip.compress(DATA)),
        ("deflate", zlib.compress(DATA)),
        ("deflate", raw_deflate(DATA)),  # what some servers send as "deflate"
        ("gzip, deflate", zlib.compress(gzip.compress(DATA))),
        ("deflate , identity, gzip", gzip.compress(zlib.compress(DATA))),
        ("gzip, gzip, gzip", gzip.compress(gzip.compress(gzip.compress(DATA)))),
    ],
    ids=["none", "identity", "gzip", "x-gzip", "deflate", "raw-deflate", "gzip-deflate", "mixed", "gzip3"],
)
def test_every_layering_decodes_whatever_the_chunking(encoding: str, body: bytes) -> None:
    assert decode(encoding, body) == DATA
    assert decode(encoding, body, chunk=7) == DATA
    assert decode(encoding, body, chunk=len(body)) == DATA


def test_identity_passes_bytes_through_and_says_so() -> None:
    assert BodyDecoder("identity", 10).identity
    assert BodyDecoder("", 10).identity
    assert not BodyDecoder("gzip", 10).identity


def test_pieces_are_bounded_however_much_one_chunk_expands() -> None:
    body = gzip.compress(b"\0" * (4 * PIECE + 123))
    decoder = BodyDecoder("gzip", 1 << 30)
    pieces = list(decoder.iter_pieces(body))
    assert max(len(piece) for piece in pieces) <= PIECE
    assert b"".join(pieces) + decoder.flush() == b"\0" * (4 * PIECE + 123)


@pytest.mark.parametrize("encoding", ["", "gzip", "gzip, gzip"])
def test_the_limit_applies_to_the_decoded_bytes_of_every_layer(encoding: str) -> None:
    body = DATA
    for _ in range(encoding.count("gzip")):
        body = gzip.compress(body)
    with pytest.raises(BodyTooLarge):
        decode(encoding, body, limit=len(DATA) - 1)
    assert decode(encoding, body, limit=len(DATA)) == DATA


def test_the_raw_deflate_fallback_is_only_for_the_start_of_the_body() -> None:
    # A zlib header, a stored block "hello", then a block of the reserved type 3: invalid.
    stored = b"\x78\x9c" + b"\x00" + (5).to_bytes(2, "little") + (0xFFFF ^ 5).to_bytes(2, "little") + b"hello"
    decoder = BodyDecoder("deflate", 1 << 30)
    assert decoder.feed(stored) == b"hello"
    with pytest.raises(UndecodableBody, match="invalid compressed data"):
        decoder.feed(b"\x06")  # after output began: an error, not a second guess at raw deflate


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("gzip", b"plain text, not gzip", "invalid compressed data"),
        ("deflate", b"\xff\xfe\xfd not deflate in any form", "invalid compressed data"),
        ("br", b"", "unsupported Content-Encoding 'br'"),
        ("gzip, zstd", b"", "unsupported Content-Encoding 'zstd'"),
    ],
)
def test_what_cannot_be_decoded_says_why(encoding: str, body: bytes, message: str) -> None:
    with pytest.raises(UndecodableBody, match=message):
        decode(encoding, body)


def test_a_truncated_gzip_body_decodes_what_arrived() -> None:
    body = gzip.compress(DATA)
    decoder = BodyDecoder("gzip", 1 << 30)
    partial = decoder.feed(body[: len(body) // 2]) + decoder.flush()
    assert DATA.startswith(partial)
    assert 0 < len(partial) < len(DATA)


def test_produced_counts_the_decoded_bytes() -> None:
    decoder = BodyDecoder("gzip", 1 << 30)
    decoder.feed(gzip.compress(DATA))
    decoder.flush()
    assert decoder.produced == len(DATA)
