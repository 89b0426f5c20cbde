"""String formats and patterns the OpenAPI document declares, checked on requests.

Patterns are ECMA-262 regular expressions; the document's use only syntax that means the same in
Python's ``re`` with ``re.ASCII`` (digit and word classes are ASCII-only in JavaScript), except
``$``, translated here.
"""

from __future__ import annotations

import functools
import re

__all__ = ["compiled", "format_problem"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# RFC 3339 date-time (the profile of ISO 8601 that OpenAPI means by "date-time").
_DATE_TIME = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"  # date
    r"[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"  # time
    r"([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)",  # offset
    re.ASCII,
)
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+", re.ASCII)


def _ecma_to_python(pattern: str) -> str:
    """ECMA's ``$`` (without the m flag) matches only at the very end; Python's also before a final newline."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern[str]:
    """A document pattern, compiled once, with ECMA-262 meaning."""
    return re.compile(_ecma_to_python(pattern), re.ASCII)


def format_problem(name: str, value: str) -> str | None:
    """Why ``value`` is not a valid ``name`` (``uuid``, ``date-time``, ``uri``), or ``None``."""
    if name == "uuid" and not _UUID.fullmatch(value):
        return "must be a UUID (8-4-4-4-12 hexadecimal digits)"
    if name == "date-time" and not _DATE_TIME.fullmatch(value):
        return "must be an RFC 3339 date-time, e.g. 2026-01-31T12:00:00Z"
    if name == "uri" and not _URI.fullmatch(value):
        return "must be an absolute URI, e.g. https://example.com/callback"
    return None
