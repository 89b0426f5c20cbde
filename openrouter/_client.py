"""``OpenRouter``: the client object. A core with lazily created resource namespaces."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openrouter_core import OpenRouterCore

if TYPE_CHECKING:
    from openrouter._credits import Credits

__all__ = ["OpenRouter"]


class OpenRouter(OpenRouterCore):
    """The OpenRouter client: ``OpenRouter(api_key=...).credits.get_credits()``.

    Takes exactly the options of ``OpenRouterCore`` (it is one, so standalone functions accept it
    too). Methods return values and raise errors from ``openrouter_core``'s error tree.
    Use it as a context manager (``with`` / ``async with``) to close the transport.
    """

    _credits: Credits | None = None

    @property
    def credits(self) -> Credits:
        """Credits operations, created on first access."""
        namespace = self._credits
        if namespace is None:
            from openrouter._credits import Credits

            namespace = self._credits = Credits(self)
        return namespace
