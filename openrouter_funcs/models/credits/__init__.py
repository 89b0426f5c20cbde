"""Models of the Credits resource. Names load on first use, so importing one costs only its module."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openrouter_funcs.models.credits.create_coinbase_charge import (
        CallData,
        ChainId,
        CreateChargeRequest,
        CreateCoinbaseChargeData,
        CreateCoinbaseChargeRequest,
        CreateCoinbaseChargeResponse,
        CreateCoinbaseChargeSecurity,
        Metadata,
        TransferIntent,
        Web3Data,
    )
    from openrouter_funcs.models.credits.get_credits import GetCreditsData, GetCreditsRequest, GetCreditsResponse

_WHERE = {
    **dict.fromkeys(("GetCreditsData", "GetCreditsRequest", "GetCreditsResponse"), "get_credits"),
    **dict.fromkeys(
        (
            "CallData",
            "ChainId",
            "CreateChargeRequest",
            "CreateCoinbaseChargeData",
            "CreateCoinbaseChargeRequest",
            "CreateCoinbaseChargeResponse",
            "CreateCoinbaseChargeSecurity",
            "Metadata",
            "TransferIntent",
            "Web3Data",
        ),
        "create_coinbase_charge",
    ),
}

__all__ = [
    "CallData",
    "ChainId",
    "CreateChargeRequest",
    "CreateCoinbaseChargeData",
    "CreateCoinbaseChargeRequest",
    "CreateCoinbaseChargeResponse",
    "CreateCoinbaseChargeSecurity",
    "GetCreditsData",
    "GetCreditsRequest",
    "GetCreditsResponse",
    "Metadata",
    "TransferIntent",
    "Web3Data",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
