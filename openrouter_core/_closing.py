"""Context-manager mixins for everything the SDK closes: cores, streams, downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

__all__ = ["AsyncClosing", "Closing"]


class Closing:
    """``with x:`` calls ``x.close()`` on the way out."""

    __slots__ = ()

    def close(self) -> None:  # pragma: no cover - every user defines it
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClosing:
    """``async with x:`` awaits ``x.aclose()`` on the way out."""

    __slots__ = ()

    async def aclose(self) -> None:  # pragma: no cover - every user defines it
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
