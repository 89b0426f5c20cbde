"""Retry configuration and the pure retry policy: what to wait, and whether to try again.

Nothing here sleeps or reads a clock; the flow passes the time in, so the policy is tested with
plain numbers. Every number the server sends (``Retry-After``, ``retry-after-ms``) is parsed
defensively and clamped: no header value can raise, overflow, or make a call wait past its budget.
"""

from __future__ import annotations

import datetime
import email.utils
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from openrouter_core import _config as config

if TYPE_CHECKING:
    from openrouter_core._actions import SendFailure

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_RETRY_CODES",
    "BackoffStrategy",
    "RetryCodes",
    "RetryConfig",
    "backoff_wait_ms",
    "retry_after_ms",
]

DEFAULT_RETRY_CODES: tuple[int, ...] = (408, 429, 500, 502, 503, 504, 524, 529)
DEFAULT_MAX_ATTEMPTS = 10

# A non-idempotent request (a POST that creates something) is re-sent only after answers that
# prove the server did not act on it: it refused (429) or was not serving (503). Anything else
# may have acted already, so re-sending could, say, create a second charge.
SAFE_TO_RESEND_STATUSES = frozenset({429, 503})

# A Retry-After of more than a day is treated as "longer than any budget".
_MAX_SERVER_WAIT_MS = 86_400_000.0


def _number(name: str, minimum: float, *, inclusive: bool) -> Callable[[Any, Any, Any], None]:
    def check_number(instance: Any, attribute: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name}: expected a number of milliseconds, got {type(value).__name__}")
        ok = value >= minimum if inclusive else value > minimum
        if not ok or not math.isfinite(value):
            relation = "at least" if inclusive else "greater than"
            raise ValueError(f"{name}: must be a finite number {relation} {minimum}, got {value!r}")

    return check_number


@attrs.frozen(kw_only=True)
class BackoffStrategy:
    """Exponential backoff, all times in milliseconds.

    The wait before retry ``k`` (0 for the first retry) is
    ``min(max_interval, initial_interval * exponent ** k)``, jittered down by up to half.
    No retry starts once ``max_elapsed_time`` would be passed, and the whole call (attempts and
    waits) is bounded by it.
    """

    initial_interval: float = attrs.field(default=500, validator=_number("initial_interval", 0, inclusive=False))
    max_interval: float = attrs.field(default=10_000, validator=_number("max_interval", 0, inclusive=False))
    exponent: float = attrs.field(default=2.0, validator=_number("exponent", 1, inclusive=True))
    max_elapsed_time: float = attrs.field(default=30_000, validator=_number("max_elapsed_time", 0, inclusive=False))


def _check_retry_config(instance: Any, attribute: Any, value: Any) -> None:
    name = attribute.name
    if name == "strategy" and value not in ("none", "backoff"):
        raise ValueError(f"strategy: must be 'backoff' or 'none', got {value!r}")
    if name == "backoff" and not isinstance(value, BackoffStrategy):
        raise TypeError(f"backoff: expected a BackoffStrategy, got {type(value).__name__}")
    if name in ("retry_connection_errors", "retry_non_idempotent"):
        config.check(name, config.boolean, value)
    if name == "max_attempts":
        config.check(name, config.positive_int, value)


@attrs.frozen(kw_only=True)
class RetryConfig:
    """How a call is retried.

    Args:
        strategy: ``"backoff"`` to retry, ``"none"`` for a single attempt.
        backoff: the waits and the overall time bound.
        retry_connection_errors: retry when no response arrived (refused, reset, timed out).
        retry_non_idempotent: also re-send requests that have side effects (POST, PATCH) after
            failures where the server may already have acted: another 5xx, a read timeout, a
            connection dropped mid-response. Off by default because it can, say, charge twice.
        max_attempts: the most requests one call sends, first attempt included (default 10).
    """

    strategy: Literal["none", "backoff"] = attrs.field(default="backoff", validator=_check_retry_config)
    backoff: BackoffStrategy = attrs.field(factory=BackoffStrategy, validator=_check_retry_config)
    retry_connection_errors: bool = attrs.field(default=True, validator=_check_retry_config)
    retry_non_idempotent: bool = attrs.field(default=False, validator=_check_retry_config)
    max_attempts: int = attrs.field(default=DEFAULT_MAX_ATTEMPTS, validator=_check_retry_config)

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
            elif text.isdigit() and len(text) == 3 and 100 <= int(text) <= 599:
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


def _seconds_ms(raw: str) -> float | None:
    if not (raw.isascii() and raw.isdigit()):
        return None
    if len(raw) > 12:  # more than 31,000 years: no need to convert thousands of digits
        return _MAX_SERVER_WAIT_MS
    return min(int(raw) * 1000.0, _MAX_SERVER_WAIT_MS)


def _date_ms(raw: str, now_epoch_s: float) -> float | None:
    if len(raw) > 64:  # an HTTP date is 29 characters; anything much longer is not one
        return None
    try:
        when = email.utils.parsedate_to_datetime(raw)
        if when.tzinfo is None:  # "-0000" parses zone-less; HTTP dates are GMT anyway
            when = when.replace(tzinfo=datetime.timezone.utc)
        wait = (when.timestamp() - now_epoch_s) * 1000.0
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None
    if not math.isfinite(wait):
        return None
    return min(max(0.0, wait), _MAX_SERVER_WAIT_MS)


def retry_after_ms(headers: Mapping[str, str], now_epoch_s: float) -> float | None:
    """The server's requested wait, from ``retry-after-ms`` or ``Retry-After``; ``None`` if absent or malformed.

    ``Retry-After`` is either whole seconds or an HTTP date; a date in the past means 0. Values
    are clamped to one day, which is past any call's budget.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms.strip())
        except ValueError:
            value = math.nan
        if value >= 0 and not math.isnan(value):
            return min(value, _MAX_SERVER_WAIT_MS)
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    seconds = _seconds_ms(raw)
    return seconds if seconds is not None else _date_ms(raw, now_epoch_s)


class RetryPolicy:
    """The retry rules of one call: which outcomes are retried, and how long to wait first."""

    __slots__ = ("codes", "config", "idempotent")

    def __init__(self, config: RetryConfig, codes: RetryCodes, idempotent: bool) -> None:
        self.config = config
        self.codes = codes
        self.idempotent = idempotent

    @property
    def enabled(self) -> bool:
        """Whether this call retries at all."""
        return self.config.strategy == "backoff" and self.config.max_attempts > 1

    def retryable(self, status: int | None, failure: SendFailure | None) -> bool:
        """Whether the outcome of an attempt may be retried (ignoring time and attempt budgets)."""
        config = self.config
        resend_anything = self.idempotent or config.retry_non_idempotent
        if failure is None:
            if status is None or status not in self.codes:
                return False
            return resend_anything or status in SAFE_TO_RESEND_STATUSES
        if not config.retry_connection_errors or failure.kind not in ("not_sent", "maybe_acted"):
            return False  # a body too large or undecodable would be the same next time
        # "not_sent": the request never reached the server whole, so even a charge is safe to re-send.
        return failure.kind == "not_sent" or resend_anything

    def wait_ms(self, attempt: int, server_wait_ms: float | None, jitter: float, remaining_ms: float) -> float | None:
        """The wait before attempt ``attempt + 1``, or ``None`` when the call must stop now.

        A server's ``Retry-After`` replaces the computed wait but is clamped between the
        backoff's initial and max intervals, so ``Retry-After: 0`` cannot cause a retry storm; a
        server wait longer than what is left of the budget ends the retries at once.
        """
        if attempt >= self.config.max_attempts:
            return None
        strategy = self.config.backoff
        if server_wait_ms is not None:
            if server_wait_ms > remaining_ms:
                return None
            wait = min(max(server_wait_ms, strategy.initial_interval), strategy.max_interval)
        else:
            wait = backoff_wait_ms(strategy, attempt - 1, jitter)
        return None if wait >= remaining_ms else wait
