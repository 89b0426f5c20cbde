"""``Ok`` and ``Err``: what every standalone function returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, Literal, NoReturn, TypeVar

import attrs

if TYPE_CHECKING:
    import httpx

__all__ = ["Err", "HTTPExchange", "Ok", "Result"]

T_co = TypeVar("T_co", covariant=True)
E_co = TypeVar("E_co", bound=BaseException, covariant=True)


@attrs.frozen
class HTTPExchange:
    """What went over the wire for one call.

    Attributes:
        request: the last request sent (after ``before_request`` hooks), or ``None`` when the call
            failed before a request existed (invalid input, missing key).
        response: the final response after retries and hooks, or ``None`` when none arrived.
        attempts: how many times the request was sent (0 when nothing was sent).
    """

    request: httpx.Request | None
    response: httpx.Response | None
    attempts: int


NO_EXCHANGE = HTTPExchange(None, None, 0)


@attrs.frozen
class Ok(Generic[T_co]):
    """A success: ``value`` is the decoded model. ``if result.ok:`` narrows to this class."""

    value: T_co
    exchange: HTTPExchange = attrs.field(default=NO_EXCHANGE, eq=False, repr=False)
    ok: ClassVar[Literal[True]] = True

    def unwrap(self) -> T_co:
        """Return the value."""
        return self.value


@attrs.frozen
class Err(Generic[E_co]):
    """A failure: ``error`` is one of the errors in ``openrouter_core``'s error tree."""

    error: E_co
    exchange: HTTPExchange = attrs.field(default=NO_EXCHANGE, eq=False, repr=False)
    ok: ClassVar[Literal[False]] = False

    def unwrap(self) -> NoReturn:
        """Raise the error object itself (the same object, not a copy or a wrapper)."""
        raise self.error


Result = Ok[T_co] | Err[E_co]
"""``Ok[T] | Err[E]``; use ``match``, ``if result.ok:`` or ``result.unwrap()``."""
