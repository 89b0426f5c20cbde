"""Retry configuration and the pure retry policy: what to wait, and whether to try again.

Nothing here sleeps or reads a clock; the pipeline passes the time in, so the policy is tested
with plain numbers.
"""

from __future__ import annotations

import datetime
import email.utils
import math
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

__all__ = [
    "DEFAULT_RETRY_CODES",
    "BackoffStrategy",
    "RetryCodes",
    "RetryConfig",
    "backoff_wait_ms",
    "retry_after_ms",
]

DEFAULT_RETRY_CODES: tuple[int, ...] = (408, 429, 500, 502, 503, 504, 524, 529)

# A non-idempotent request (the Coinbase charge) is re-sent only after answers that prove the
# server did not act on it: it refused (429) or was not serving (503). Anything else may have
# created the charge already, so re-sending could charge twice.
SAFE_TO_RESEND_STATUSES = frozenset({429, 503})


@attrs.frozen(kw_only=True)
class BackoffStrategy:
    """Exponential backoff, all times in milliseconds.

    The wait before retry ``k`` (0 for the first retry) is
    ``min(max_interval, initial_interval * exponent ** k)``, jittered down by up to half.
    No retry starts once ``max_elapsed_time`` would be passed, and the whole call (attempts and
    waits) is bounded by it.
    """

    initial_interval: float = attrs.field(default=500, validator=attrs.validators.gt(0))
    max_interval: float = attrs.field(default=10_000, validator=attrs.validators.gt(0))
    exponent: float = attrs.field(default=2.0, validator=attrs.validators.ge(1))
    max_elapsed_time: float = attrs.field(default=30_000, validator=attrs.validators.gt(0))


@attrs.frozen(kw_only=True)
class RetryConfig:
    """How a call is retried.

    Args:
        strategy: ``"backoff"`` to retry, ``"none"`` for a single attempt.
        backoff: the waits and the overall time bound.
        retry_connection_errors: retry when no response arrived (refused, reset, timed out).
        retry_non_idempotent: also re-send requests that have side effects (the Coinbase charge)
            after failures where the server may already have acted: another 5xx, a read timeout,
            a connection dropped mid-response. Off by default because it can charge twice.
    """

    strategy: Literal["none", "backoff"] = attrs.field(
        default="backoff", validator=attrs.validators.in_(("none", "backoff"))
    )
    backoff: BackoffStrategy = attrs.field(factory=BackoffStrategy)
    retry_connection_errors: bool = True
    retry_non_idempotent: bool = False

    @classmethod
    def none(cls) -> RetryConfig:
        """A config that never retries."""
        return NO_RETRIES


NO_RETRIES = RetryConfig(strategy="none")
DEFAULT_IDEMPOTENT_RETRIES = RetryConfig()


class RetryCodes:
    """A set of statuses to retry, from exact codes (``429``, ``"503"``) and families (``"5XX"``)."""

    __slots__ = ("_exact", "_families")

    def __init__(self, codes: Iterable[int | str]) -> None:
        if isinstance(codes, (str, int)) or not isinstance(codes, Iterable):
            raise ValueError(f"expected a list of codes such as [429, '5XX'], got {codes!r}")
        exact: set[int] = set()
        families: set[int] = set()
        for code in codes:
            if isinstance(code, bool) or not isinstance(code, (int, str)):
                raise ValueError(f"retry code {code!r} is not an int or a string like '5XX'")
            text = str(code).strip().upper()
            if len(text) == 3 and text[0] in "12345" and text[1:] == "XX":
                families.add(int(text[0]))
            elif text.isdigit() and 100 <= int(text) <= 599:
                exact.add(int(text))
            else:
                raise ValueError(f"retry code {code!r} is not a status (100-599) or a family like '5XX'")
        self._exact = frozenset(exact)
        self._families = frozenset(families)

    def __contains__(self, status: object) -> bool:
        return isinstance(status, int) and (status in self._exact or status // 100 in self._families)

    def __repr__(self) -> str:
        parts = sorted(self._exact) + [f"{f}XX" for f in sorted(self._families)]
        return f"RetryCodes({parts!r})"


DEFAULT_RETRY_CODE_SET = RetryCodes(DEFAULT_RETRY_CODES)


def backoff_wait_ms(strategy: BackoffStrategy, retry_index: int, jitter: float) -> float:
    """The wait before retry ``retry_index`` (0-based), with ``jitter`` in [0, 1).

    ``jitter`` removes up to half of the computed wait, so concurrent clients spread out while
    the wait never exceeds ``max_interval``.
    """
    try:
        computed = strategy.initial_interval * strategy.exponent**retry_index
    except OverflowError:
        computed = math.inf
    capped = min(strategy.max_interval, computed)
    return capped * (1.0 - 0.5 * jitter)


def retry_after_ms(headers: Mapping[str, str], now_epoch_s: float) -> float | None:
    """The server's requested wait, from ``retry-after-ms`` or ``Retry-After``; ``None`` if absent or malformed.

    ``Retry-After`` is either whole seconds or an HTTP date; a date in the past means 0.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms.strip())
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    if raw.isascii() and raw.isdigit():
        return int(raw) * 1000.0
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses zone-less; HTTP dates are GMT anyway
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when.timestamp() - now_epoch_s) * 1000.0)
