"""``openrouter demo``: the SDK at work against a local fake server, with real output.

Every line printed comes from a real call over HTTP to a ``FakeOpenRouter`` on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import TYPE_CHECKING, TextIO

from openrouter.testing._openrouter import FakeOpenRouter
from openrouter.testing._responses import FakeResponse

if TYPE_CHECKING:
    from openrouter_core import OpenRouterCore
    from openrouter_funcs.models.ops.credits_create_coinbase_charge import CreateCoinbaseChargeRequestDict

__all__ = ["run_demo"]

DEMO_KEY = "sk-or-v1-demo"
CHARGE: CreateCoinbaseChargeRequestDict = {
    "amount": 100,
    "sender": "0x1234567890123456789012345678901234567890",
    "chain_id": 1,
}
CHARGE_SHOWN = '{"amount": 100, "sender": "0x1234...7890", "chain_id": 1}'


class _Unexpected(Exception):
    """A demo step did not behave as the SDK promises."""


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise _Unexpected(what)


def _credits_steps(fake: FakeOpenRouter, core: OpenRouterCore, out: TextIO, debug: bool) -> None:
    from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async

    print("\n1. Standalone functions return a Result (Ok or Err) and never raise", file=out)
    result = credits_get_credits(core)
    _expect(result.ok, "credits_get_credits failed")
    print(f"   credits_get_credits(core)\n     -> {result!r}", file=out)
    data = result.unwrap().data
    print(
        f"   credits left: data.total_credits - data.total_usage -> {data.total_credits - data.total_usage}", file=out
    )
    async_result = asyncio.run(credits_get_credits_async(core))
    _expect(async_result.ok, "credits_get_credits_async failed")
    print(f"   await credits_get_credits_async(core) -> Ok, attempts={async_result.exchange.attempts}", file=out)

    print("\n2. The client object returns the value or raises the error", file=out)
    with fake.client(DEMO_KEY, debug=debug) as client:
        data = client.credits.get_credits().data
        print(
            f"   client.credits.get_credits() -> total_credits={data.total_credits} total_usage={data.total_usage}",
            file=out,
        )
        usage = asyncio.run(client.credits.get_credits_async()).data.total_usage
        print(f"   await client.credits.get_credits_async() -> total_usage={usage}", file=out)


def _charge_steps(fake: FakeOpenRouter, core: OpenRouterCore, out: TextIO, debug: bool) -> None:
    from openrouter_core import GoneResponseError
    from openrouter_funcs.credits_create_coinbase_charge import credits_create_coinbase_charge

    print("\n3. The Coinbase charge (deprecated by OpenRouter: each call emits a DeprecationWarning)", file=out)
    with warnings.catch_warnings(record=True) as caught, fake.client(DEMO_KEY, debug=debug) as client:
        warnings.simplefilter("always", DeprecationWarning)
        result = credits_create_coinbase_charge(core, None, CHARGE)
        _expect(result.ok, "the charge failed")
        charge = result.unwrap().data
        call_data = charge.web3_data.transfer_intent.call_data
        print(f"   credits_create_coinbase_charge(core, None, {CHARGE_SHOWN})", file=out)
        print(
            f"     -> Ok: charge {charge.id}, {call_data.recipient_amount} + fee {call_data.fee_amount} token units",
            file=out,
        )
        again = asyncio.run(client.credits.create_coinbase_charge_async(None, CHARGE))
        print(
            f"   await client.credits.create_coinbase_charge_async(None, {{...}}) -> charge {again.data.id}", file=out
        )
        fake.coinbase_gone = True  # what the real API does today
        try:
            client.credits.create_coinbase_charge(None, CHARGE)
        except GoneResponseError as error:
            print(f"   today's API answers 410 -> {type(error).__name__}: {error}", file=out)
        else:
            raise _Unexpected("no GoneResponseError for a 410")
        finally:
            fake.coinbase_gone = False
    _expect(len(caught) == 3, "the charge did not warn once per call")


def _error_steps(fake: FakeOpenRouter, out: TextIO, debug: bool) -> None:
    from openrouter_core import RequestOptions, UnauthorizedResponseError
    from openrouter_funcs.credits_get_credits import credits_get_credits

    print("\n4. Errors come back typed, with one-line messages", file=out)
    with fake.client("sk-or-v1-wrong-key", debug=debug) as client:
        try:
            client.credits.get_credits()
        except UnauthorizedResponseError as error:
            print(f"   wrong key -> {type(error).__name__}: {error}", file=out)
        else:
            raise _Unexpected("a wrong key was accepted")

    with fake.core(DEMO_KEY, debug=debug) as core:
        fake.queue("GET /credits", FakeResponse.rate_limited(retry_after=1))
        result = credits_get_credits(core)
        _expect(result.ok and result.exchange.attempts == 2, "no retry after the 429")
        print(
            f"   429 with Retry-After: 1, then 200 -> Ok after waiting 1 s, attempts={result.exchange.attempts}",
            file=out,
        )

        fake.queue("GET /credits", FakeResponse.hang())
        failed = credits_get_credits(core, options=RequestOptions(timeout_ms=300, retries=None))
        if failed.ok:
            raise _Unexpected("the hang did not time out")
        print(f"   server hangs, timeout_ms=300 -> Err({type(failed.error).__name__}): {failed.error}", file=out)


def run_demo(out: TextIO, *, debug: bool = False) -> int:
    """Run the demo, printing to ``out``.

    Args:
        out: where to print.
        debug: turn on the SDK's debug logging (to stderr) for the demo's calls.

    Returns:
        0 when every step behaved as documented, else 1.
    """
    with FakeOpenRouter.serve(api_keys=[DEMO_KEY]) as fake:
        print(f"OpenRouter SDK demo against a fake OpenRouter at {fake.url}", file=out)
        print("(a real HTTP server on 127.0.0.1 that answers like the API; nothing leaves this machine)", file=out)
        try:
            with fake.core(DEMO_KEY, debug=debug) as core:
                _credits_steps(fake, core, out, debug)
                _charge_steps(fake, core, out, debug)
            _error_steps(fake, out, debug)
        except _Unexpected as problem:
            print(f"\nUnexpected: {problem}", file=out)
            return 1
        print(f"\nDone: the fake served {len(fake.requests)} requests.", file=out)
    return 0
