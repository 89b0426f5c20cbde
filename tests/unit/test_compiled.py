"""The compiled decoders agree with the generic one: same values, same failures and paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from openrouter_core._serde import DecodeFailure, decode_json, response_converter
from openrouter_funcs.models.chat_result import ChatResult
from openrouter_funcs.models.chat_stream_chunk import ChatStreamChunk

CHUNK = {
    "id": "gen-1",
    "object": "chat.completion.chunk",
    "created": 1,
    "model": "openai/gpt-4o",
    "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": None}],
}
RESULT = {
    "id": "gen-2",
    "object": "chat.completion",
    "created": 2,
    "model": "m",
    "system_fingerprint": None,
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Paris."}}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3, "cost": 0.5},
}


def decode_twice(model: Any, data: Any) -> tuple[Any, Any]:
    """Decode with a fresh converter: the first call is generic, the second compiled."""
    response_converter.cache_clear()
    hook = response_converter().get_structure_hook(model)
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(hook(json.loads(json.dumps(data)), model))
        except Exception as exc:
            outcomes.append((type(exc).__name__, getattr(exc, "failures", None)))
    response_converter.cache_clear()
    return outcomes[0], outcomes[1]


VARIANTS: list[tuple[Any, dict[str, Any]]] = [
    (ChatStreamChunk, CHUNK),
    (ChatStreamChunk, {**CHUNK, "choices": []}),
    (ChatStreamChunk, {**CHUNK, "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}}),
    (ChatStreamChunk, {**CHUNK, "created": "yesterday"}),
    (ChatStreamChunk, {**CHUNK, "choices": [{"index": 0, "delta": {"content": 5}, "finish_reason": None}]}),
    (ChatStreamChunk, {key: value for key, value in CHUNK.items() if key != "id"}),
    (ChatStreamChunk, {**CHUNK, "system_fingerprint": None, "service_tier": None, "new_field": [1]}),
    (ChatResult, RESULT),
    (ChatResult, {**RESULT, "usage": {**RESULT["usage"], "cost": 1}}),  # an int where a number goes
    (
        ChatResult,
        {**RESULT, "choices": [{"index": 0, "finish_reason": "new_reason", "message": {"role": "assistant"}}]},
    ),
    (ChatResult, {**RESULT, "choices": [{"index": "0", "finish_reason": None, "message": {}}]}),
]


@pytest.mark.parametrize(("model", "data"), VARIANTS)
def test_the_compiled_decoder_agrees_with_the_generic_one(model: Any, data: dict[str, Any]) -> None:
    generic, compiled = decode_twice(model, data)
    assert generic == compiled


def test_the_compiled_decoder_is_used_after_the_first_decode() -> None:
    response_converter.cache_clear()
    hook = response_converter().get_structure_hook(ChatStreamChunk)
    hook(CHUNK, ChatStreamChunk)
    assert getattr(hook, "compiled", None) is not None
    with pytest.raises(DecodeFailure):
        decode_json(b"{")
    response_converter.cache_clear()
