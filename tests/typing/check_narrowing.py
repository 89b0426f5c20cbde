"""Type-checked by ``mypy --strict`` (never run): the narrowing users rely on."""

from __future__ import annotations

from typing_extensions import assert_type

from openrouter_core import Err, Ok, OpenRouterCore, OpenRouterSDKError, UnauthorizedResponseError
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from openrouter_funcs.models import GetCreditsResponse


def with_if(core: OpenRouterCore) -> float:
    result = credits_get_credits(core)
    assert_type(result, Ok[GetCreditsResponse] | Err[OpenRouterSDKError])
    if result.ok:
        assert_type(result, Ok[GetCreditsResponse])
        return result.value.data.total_credits - result.value.data.total_usage
    assert_type(result, Err[OpenRouterSDKError])
    assert_type(result.error, OpenRouterSDKError)
    return 0.0


def with_match(core: OpenRouterCore) -> str:
    match credits_get_credits(core):
        case Ok(value):
            assert_type(value, GetCreditsResponse)
            return f"{value.data.total_credits}"
        case Err(UnauthorizedResponseError() as error):
            assert_type(error, UnauthorizedResponseError)
            return error.message
        case Err(error):
            assert_type(error, OpenRouterSDKError)
            return str(error)


def with_unwrap(core: OpenRouterCore) -> float:
    value = credits_get_credits(core).unwrap()
    assert_type(value, GetCreditsResponse)
    return value.data.total_usage


async def with_async(core: OpenRouterCore) -> float:
    result = await credits_get_credits_async(core)
    if not result.ok:
        assert_type(result.error, OpenRouterSDKError)
        raise result.error
    return result.value.data.total_credits
