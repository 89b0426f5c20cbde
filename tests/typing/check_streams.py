"""Type-checked by ``mypy --strict`` (never run): a stream or a complete result, chosen by the request's ``stream`` key.

Each assignment to an annotated variable fails the type check when the overloads pick the wrong
result type; each ``type: ignore[...]`` fails it (``warn_unused_ignores``) when the error is gone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from openrouter import OpenRouter
from openrouter_core import (
    AsyncBinaryResponse,
    AsyncRaisingStream,
    AsyncStream,
    BinaryResponse,
    OpenRouterCore,
    OpenRouterSDKError,
    RaisingBinaryResponse,
    RaisingStream,
    Result,
    Stream,
)
from openrouter_funcs.byok_list import byok_list_pages, byok_list_pages_async
from openrouter_funcs.chat_send import chat_send, chat_send_async
from openrouter_funcs.files_download import files_download, files_download_async
from openrouter_funcs.models import (
    ChatResult,
    ChatStreamChunk,
    ListBYOKKeysResponse,
    SendChatCompletionRequestRequest,
    SendChatCompletionRequestRequestDict,
)


def standalone(core: OpenRouterCore) -> None:
    streamed: Result[Stream[ChatStreamChunk, ChatResult], OpenRouterSDKError] = chat_send(
        core, {"model": "m", "messages": [{"role": "user", "content": "Hello"}], "stream": True}
    )
    complete: Result[ChatResult, OpenRouterSDKError] = chat_send(
        core, {"model": "m", "messages": [{"role": "user", "content": "Hello"}]}
    )
    also_complete: Result[ChatResult, OpenRouterSDKError] = chat_send(
        core, {"model": "m", "messages": [{"role": "user", "content": "Hello"}], "stream": False}
    )
    # A stream is not a complete result: the overload for "stream": True returns only a stream.
    wrong: Result[ChatResult, OpenRouterSDKError] = chat_send(  # type: ignore[assignment]
        core, {"model": "m", "messages": [{"role": "user", "content": "Hello"}], "stream": True}
    )
    # A model instance may hold either: its result is typed as the union.
    either: Result[ChatResult | Stream[ChatStreamChunk, ChatResult], OpenRouterSDKError] = chat_send(
        core, SendChatCompletionRequestRequest(messages=[], stream=True)
    )
    del streamed, complete, also_complete, wrong, either
    if (result := chat_send(core, {"messages": [{"role": "user", "content": "Hi"}], "stream": True})).ok:
        with result.value as stream:
            for chunk in stream:
                first: ChatStreamChunk = chunk
                del first
            error: OpenRouterSDKError | None = stream.error
            del error


def misspelled_key() -> None:
    # A typo in a request key is a type error (not a silently dropped field).
    request: SendChatCompletionRequestRequestDict = {  # type: ignore[typeddict-unknown-key]
        "model": "m",
        "messages": [{"role": "user", "content": "Hello"}],
        "temprature": 0.5,
    }
    del request


def misspelled_key_in_a_call(core: OpenRouterCore) -> None:
    # Through the overloads, the same typo matches no overload.
    chat_send(core, {"messages": [{"role": "user", "content": "Hello"}], "strem": True})  # type: ignore[call-overload]


async def standalone_async(core: OpenRouterCore) -> None:
    streamed: Result[AsyncStream[ChatStreamChunk, ChatResult], OpenRouterSDKError] = await chat_send_async(
        core, {"model": "m", "messages": [{"role": "user", "content": "Hello"}], "stream": True}
    )
    complete: Result[ChatResult, OpenRouterSDKError] = await chat_send_async(
        core, {"model": "m", "messages": [{"role": "user", "content": "Hello"}]}
    )
    del streamed, complete


def facade(client: OpenRouter) -> None:
    stream: RaisingStream[ChatStreamChunk, ChatResult] = client.chat.send(
        {"model": "m", "messages": [{"role": "user", "content": "Hello"}], "stream": True}
    )
    complete: ChatResult = client.chat.send({"model": "m", "messages": [{"role": "user", "content": "Hello"}]})
    body: RaisingBinaryResponse = client.files.download({"file_id": "f"})
    pages: Iterator[ListBYOKKeysResponse] = client.byok.list_pages({"limit": 10})
    del stream, complete, body, pages


async def facade_async(client: OpenRouter) -> None:
    stream: AsyncRaisingStream[ChatStreamChunk, ChatResult] = await client.chat.send_async(
        {"model": "m", "messages": [{"role": "user", "content": "Hello"}], "stream": True}
    )
    pages: AsyncIterator[ListBYOKKeysResponse] = client.byok.list_pages_async()
    del stream, pages


def downloads_and_pages(core: OpenRouterCore) -> None:
    body: Result[BinaryResponse, OpenRouterSDKError] = files_download(core, {"file_id": "f"})
    pages: Iterator[Result[ListBYOKKeysResponse, OpenRouterSDKError]] = byok_list_pages(core)
    del body, pages


async def downloads_and_pages_async(core: OpenRouterCore) -> None:
    body: Result[AsyncBinaryResponse, OpenRouterSDKError] = await files_download_async(core, {"file_id": "f"})
    pages: AsyncIterator[Result[ListBYOKKeysResponse, OpenRouterSDKError]] = byok_list_pages_async(core)
    del body, pages
