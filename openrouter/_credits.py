"""``client.credits``: the Credits operations as methods. No logic: call the function, unwrap the Result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openrouter_funcs import credits_create_coinbase_charge as _charge
from openrouter_funcs import credits_get_credits as _get

if TYPE_CHECKING:
    from openrouter_core import OpenRouterCore, RequestOptions
    from openrouter_funcs.models.credits.create_coinbase_charge import CreateCoinbaseChargeResponse
    from openrouter_funcs.models.credits.get_credits import GetCreditsResponse

__all__ = ["Credits"]


class Credits:
    """Credits operations. Each method returns the value or raises the error the function returned."""

    __slots__ = ("_core",)

    def __init__(self, core: OpenRouterCore) -> None:
        self._core = core

    def get_credits(self, request: _get.RequestArg = None, options: RequestOptions | None = None) -> GetCreditsResponse:
        """Total credits purchased and used. See ``credits_get_credits``; raises its ``Err``."""
        return _get.credits_get_credits(self._core, request, options).unwrap()

    async def get_credits_async(
        self, request: _get.RequestArg = None, options: RequestOptions | None = None
    ) -> GetCreditsResponse:
        """The async twin of ``get_credits``."""
        return (await _get.credits_get_credits_async(self._core, request, options)).unwrap()

    def create_coinbase_charge(
        self, security: _charge.SecurityArg, request: _charge.RequestArg, options: RequestOptions | None = None
    ) -> CreateCoinbaseChargeResponse:
        """Deprecated Coinbase charge. See ``credits_create_coinbase_charge``; raises its ``Err``."""
        return _charge.credits_create_coinbase_charge(self._core, security, request, options).unwrap()

    async def create_coinbase_charge_async(
        self, security: _charge.SecurityArg, request: _charge.RequestArg, options: RequestOptions | None = None
    ) -> CreateCoinbaseChargeResponse:
        """The async twin of ``create_coinbase_charge``."""
        return (await _charge.credits_create_coinbase_charge_async(self._core, security, request, options)).unwrap()
