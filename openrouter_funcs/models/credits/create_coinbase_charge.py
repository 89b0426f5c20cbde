"""Models of ``POST /credits/coinbase`` (deprecated by OpenRouter; the endpoint now answers 410).

The shapes are those of the 2026-03 OpenAPI document, the last one that described the charge.
"""

from __future__ import annotations

import enum
from typing import Annotated

import attrs

from openrouter_core._schema import Gt, Pattern

__all__ = [
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
]


class ChainId(enum.IntEnum):
    """Known chains. The enum is open: any other integer chain id is sent and received as a plain ``int``.

    The TypeScript SDK names these ``One``, ``OneHundredAndThirtySeven`` and
    ``EightThousandFourHundredAndFiftyThree``.
    """

    ETHEREUM = 1
    POLYGON = 137
    BASE = 8453


@attrs.frozen(kw_only=True)
class CreateChargeRequest:
    """The charge to create; validated when the call is made, not here.

    Attributes:
        amount: US dollars, a finite number greater than 0.
        sender: the paying EVM address, ``0x`` followed by 40 hex digits.
        chain_id: a ``ChainId`` or any other integer chain id.
    """

    amount: Annotated[float, Gt(0)]
    sender: Annotated[str, Pattern("^0x[0-9a-fA-F]{40}$")]
    chain_id: ChainId | int


@attrs.frozen(kw_only=True)
class CreateCoinbaseChargeRequest(CreateChargeRequest):
    """A ``CreateChargeRequest`` plus per-call app attribution."""

    http_referer: str | None = None
    app_title: str | None = None
    app_categories: str | list[str] | None = None


@attrs.frozen(kw_only=True)
class CreateCoinbaseChargeSecurity:
    """Credentials for the charge. ``bearer`` wins over the core's key; it never appears in a repr."""

    bearer: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(kw_only=True)
class CallData:
    """The signed transfer call for the Coinbase Commerce transfer contract."""

    deadline: str
    fee_amount: str
    id: str
    operator: str
    prefix: str
    recipient: str
    recipient_amount: str
    recipient_currency: str
    refund_destination: str
    signature: str


@attrs.frozen(kw_only=True)
class Metadata:
    """Where the transfer happens."""

    chain_id: ChainId | int
    contract_address: str
    sender: str


@attrs.frozen(kw_only=True)
class TransferIntent:
    """The call to make, and where to make it."""

    call_data: CallData
    metadata: Metadata


@attrs.frozen(kw_only=True)
class Web3Data:
    """On-chain payment data."""

    transfer_intent: TransferIntent


@attrs.frozen(kw_only=True)
class CreateCoinbaseChargeData:
    """The charge that was created."""

    id: str
    created_at: str
    expires_at: str
    web3_data: Web3Data


@attrs.frozen(kw_only=True)
class CreateCoinbaseChargeResponse:
    """The body of a successful ``POST /credits/coinbase``."""

    data: CreateCoinbaseChargeData
