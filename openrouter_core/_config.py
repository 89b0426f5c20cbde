"""Configuration in one place: defaults, environment variables, and one table of option checks.

The same checks serve ``OpenRouterCore(...)`` and ``RequestOptions(...)``, with one error style: a
one-line ``TypeError`` (wrong type) or ``ValueError`` (wrong value) that starts with the option's
name, raised when the object is constructed, so a bad option never reaches a call.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import httpx

from openrouter_core._version import __version__

__all__ = ["DEFAULT_SERVER_URL", "DEFAULT_TIMEOUT_MS", "OptionError", "check", "env_flag"]

DEFAULT_SERVER_URL = "https://openrouter.ai/api/v1"
DEFAULT_TIMEOUT_MS = 60_000.0
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
DEFAULT_USER_AGENT = (
    f"openrouter-python/{__version__} python/{sys.version_info[0]}.{sys.version_info[1]} httpx/{httpx.__version__}"
)

_TRUTHY = frozenset({"1", "true", "yes", "on"})
_FALSY = frozenset({"", "0", "false", "no", "off"})
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class OptionError(ValueError):
    """An option value that is wrong. ``check`` turns it into a message naming the option."""


class OptionTypeError(TypeError):
    """An option value of the wrong type."""


def env_flag(name: str) -> bool:
    """Parse a boolean environment variable (``1/true/yes/on``; ``0/false/no/off`` or unset is off)."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in _TRUTHY:
        return True
    if raw in _FALSY:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean; use 1/true/yes/on or 0/false/no/off")


def header_problem(value: str) -> str | None:
    """Why ``value`` cannot be sent as an HTTP header value, or ``None`` when it can."""
    if not value.isascii():
        return "contains non-ASCII characters"
    if any(ch in value for ch in "\r\n\0"):
        return "contains a line break or NUL"
    return None


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an API key. Never quotes the key: the message may be logged."""
    if not key.isascii():
        return "contains non-ASCII characters"
    if key != key.strip():
        return "has leading or trailing whitespace"
    if not key.isprintable():  # for ASCII text: a character below 32, or DEL
        return "contains a control character"
    return None


def _type_error(expected: str, value: object) -> OptionTypeError:
    return OptionTypeError(f"expected {expected}, got {type(value).__name__}")


def server_url(value: object) -> str:
    """A base URL: absolute http(s), no query, fragment or credentials; trailing slashes collapsed."""
    if not isinstance(value, str):
        raise _type_error("a string URL", value)
    text = value.strip()
    if "?" in text or "#" in text:
        raise OptionError(f"{value!r} has a query string or fragment; give the base URL only")
    try:
        parsed = httpx.URL(text)
        port = parsed.port
    except (httpx.InvalidURL, ValueError) as exc:
        raise OptionError(f"{value!r} is not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise OptionError(f"{value!r} is not an absolute http:// or https:// URL")
    if port is not None and not 0 < port <= 65535:
        raise OptionError(f"{value!r} has port {port}, outside 1-65535")
    if parsed.userinfo:
        raise OptionError("the URL embeds credentials; pass api_key instead")
    return str(parsed).rstrip("/")


def timeout_ms(value: object) -> float | None:
    """A positive finite number of milliseconds, or ``None`` (the SDK adds no timeout of its own)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error("a number of milliseconds or None", value)
    if not 0 < value < math.inf:
        raise OptionError("must be a positive number of milliseconds, or None for no timeout")
    return float(value)


def positive_int(value: object) -> int:
    """A positive integer (a byte limit, an attempt count)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error("a positive integer", value)
    if value <= 0:
        raise OptionError("must be a positive integer")
    return value


def boolean(value: object) -> bool:
    """A real ``bool``: ``"no"`` is not false and ``1`` is not true."""
    if not isinstance(value, bool):
        raise _type_error("True or False", value)
    return value


def header_value(value: object) -> str | None:
    """A header value that can be sent, or ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _type_error("a string", value)
    problem = header_problem(value)
    if problem:
        raise OptionError(f"the value {problem}")
    return value


def categories(value: object) -> str | None:
    """``app_categories``: a comma-separated string or a list of strings, sent joined by commas."""
    if value is None or isinstance(value, str):
        return header_value(value)
    if not isinstance(value, Iterable) or not all(isinstance(item, str) for item in value):
        raise _type_error("a string or a list of strings", value)
    return header_value(",".join(value))


def headers(value: object) -> dict[str, str]:
    """Per-call headers: string names (tokens) and sendable string values; not User-Agent or Cookie."""
    if not isinstance(value, Mapping):
        raise _type_error("a mapping of header names to values", value)
    checked: dict[str, str] = {}
    for name, item in value.items():
        if not isinstance(name, str) or not isinstance(item, str):
            raise OptionTypeError(f"[{name!r}]: header names and values must be strings")
        if not _HEADER_NAME.fullmatch(name):
            raise OptionError(f"[{name!r}]: not a valid header name")
        if name.lower() in ("user-agent", "cookie"):
            raise OptionError(f"[{name!r}]: {name} cannot be set per call")
        problem = header_problem(item)
        if problem:
            raise OptionError(f"[{name!r}]: the value {problem}")
        checked[name.lower()] = item
    return checked


def mapping(value: object) -> dict[str, Any]:
    """A mapping with string keys (``extensions``, ``extra_body``)."""
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise _type_error("a mapping with string keys", value)
    return dict(value)


def retry_codes(value: object) -> Any:
    """Statuses to retry: exact codes (``429``) and families (``"5XX"``)."""
    from openrouter_core._retries import RetryCodes

    if isinstance(value, (str, int)) or not isinstance(value, Sequence | frozenset | set):
        raise _type_error("a list of codes such as [429, '5XX']", value)
    return RetryCodes(value)


def instance_of(cls: type | tuple[type, ...], what: str, *, allow_none: bool = True) -> Callable[[object], Any]:
    """A check that ``value`` is a ``cls`` (or ``None``)."""

    def check_instance(value: object) -> Any:
        if (value is None and allow_none) or isinstance(value, cls):
            return value
        raise _type_error(what, value)

    return check_instance


def check(name: str, checker: Callable[[object], Any], value: object) -> Any:
    """Run one option check; the error names the option on one line, with no traceback chain."""
    try:
        return checker(value)
    except (OptionError, OptionTypeError, ValueError, TypeError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        sep = "" if text.startswith("[") else ": "
        error = TypeError if isinstance(exc, TypeError) else ValueError
        raise error(f"{name}{sep}{text}") from None
