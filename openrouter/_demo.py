"""``openrouter demo``: the SDK at work against a fake OpenRouter on 127.0.0.1, with real output.

Every line printed comes from a real call over HTTP to a ``FakeOpenRouter`` served on this
machine: a streamed chat first, then the Result style, the client object, typed errors, and a
stream that fails midway. A few seconds, no key, nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, TextIO

from openrouter.testing import FakeOpenRouter, FakeResponse, FakeStream, Pause, StreamError

if TYPE_CHECKING:
    from openrouter_core import OpenRouterCore

__all__ = ["run_demo"]

DEMO_KEY = "sk-or-v1-demo"
MODEL = "openai/gpt-4o"
QUESTION = "What is the capital of France?"
ANSWER = ("The", " capital", " of", " France", " is", " Paris", ".")


class _Unexpected(Exception):
    """A demo step did not behave as the SDK promises."""


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise _Unexpected(what)


def _chat(stream: bool) -> Any:
    return {"model": MODEL, "messages": [{"role": "user", "content": QUESTION}], "stream": stream}


class _Printer:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, text: str = "", *, end: str = "\n") -> None:
        print(text, end=end, file=self.out, flush=True)

    def step(self, title: str) -> None:
        self()
        self(title)


def _streamed_chat(fake: FakeOpenRouter, core: OpenRouterCore, say: _Printer) -> None:
    from openrouter_funcs.chat_send import chat_send

    say.step("1. A streamed chat: the words print as the server sends them")
    say(f'   chat_send(core, {{"model": "{MODEL}", "messages": [...], "stream": True}})')
    pieces: list[Any] = []
    for piece in ANSWER:
        pieces += [piece, Pause(0.08)]
    fake.queue("chat_send", FakeStream.text(*pieces))
    result = chat_send(core, _chat(True))
    _expect(result.ok, f"the chat failed: {result}")
    say("   > ", end="")
    started = time.monotonic()
    with result.unwrap() as stream:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                say(chunk.choices[0].delta.content, end="")
        final = stream.collect()
    say(f"   ({time.monotonic() - started:.1f} s)")
    _expect(final.ok, f"the stream failed: {final}")
    answer = final.unwrap()
    usage = answer.usage
    if usage is None:
        raise _Unexpected("no usage in the final chunk")
    say(f"   stream.collect() -> Ok(ChatResult): {answer.choices[0].message.content!r}")
    say(f"   usage: {usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens")


def _result_style(core: OpenRouterCore, say: _Printer) -> None:
    from openrouter_funcs.api_keys_create import api_keys_create
    from openrouter_funcs.api_keys_get import api_keys_get
    from openrouter_funcs.credits_get_credits import credits_get_credits_async
    from openrouter_funcs.models_list import models_list

    say.step("2. Standalone functions return a Result (Ok or Err) and never raise")
    models = models_list(core)
    _expect(models.ok, "models_list failed")
    first = models.unwrap().data[0]
    count = len(models.unwrap().data)
    say(f"   models_list(core) -> Ok: {count} model{'' if count == 1 else 's'}, the first {first.id!r}")
    match api_keys_create(core, {"name": "demo key", "limit": 5}):
        case created if created.ok:
            key_hash = created.value.data.hash
            say(f'   api_keys_create(core, {{"name": "demo key", "limit": 5}}) -> Ok: hash {key_hash[:12]}...')
        case failure:
            raise _Unexpected(f"api_keys_create failed: {failure}")
    fetched = api_keys_get(core, {"hash": key_hash})
    _expect(fetched.ok, "the created key was not kept")
    name = fetched.unwrap().data.name
    say(f"   api_keys_get(core, {{'hash': ...}}) -> Ok: {name!r} (the fake keeps what you create)")
    credits = asyncio.run(credits_get_credits_async(core))
    _expect(credits.ok, "credits_get_credits_async failed")
    data = credits.unwrap().data
    say(f"   await credits_get_credits_async(core) -> Ok: {data.total_credits - data.total_usage} credits left")


def _facade(fake: FakeOpenRouter, say: _Printer) -> None:
    say.step("3. The client object returns the value, or raises the error")
    with fake.client(DEMO_KEY) as client:
        content = client.chat.send(_chat(False)).choices[0].message.content
        say(f"   client.chat.send({{... no stream ...}}).choices[0].message.content -> {content!r}")
        count = client.models.count().data.count
        say(f"   client.models.count().data.count -> {count}")
        text = asyncio.run(_stream_text(client))
        say(f"   async for chunk in await client.chat.send_async({{... stream ...}}) -> {text!r}")


async def _stream_text(client: Any) -> str:
    async with await client.chat.send_async(_chat(True)) as stream:
        pieces = [chunk.choices[0].delta.content async for chunk in stream if chunk.choices]
    return "".join(piece for piece in pieces if piece)


def _errors(fake: FakeOpenRouter, core: OpenRouterCore, say: _Printer) -> None:
    from openrouter_core import RequestOptions, UnauthorizedResponseError
    from openrouter_funcs.chat_send import chat_send
    from openrouter_funcs.credits_get_credits import credits_get_credits

    say.step("4. Errors come back typed, with one-line messages")
    with fake.client("sk-or-v1-wrong-key") as client:
        try:
            client.credits.get_credits()
        except UnauthorizedResponseError as error:
            say(f"   wrong key -> {type(error).__name__}: {error}")
        else:
            raise _Unexpected("a wrong key was accepted")
    before = len(fake.requests)
    wrong: Any = {"model": MODEL, "messages": [{"role": "wizard", "content": "Hi"}]}
    bad = chat_send(core, wrong)
    _expect(not bad.ok and len(fake.requests) == before, "a bad request was sent")
    say(f"   a bad request, nothing sent -> Err({type(bad.error).__name__}): {bad.error}")  # type: ignore[union-attr]
    fake.queue("GET /credits", FakeResponse.rate_limited(retry_after=1))
    result = credits_get_credits(core)
    _expect(result.ok and result.exchange.attempts == 2, "no retry after the 429")
    say(f"   429 with Retry-After: 1, then 200 -> Ok after waiting 1 s, attempts={result.exchange.attempts}")
    fake.queue("GET /credits", FakeResponse.hang())
    failed = credits_get_credits(core, options=RequestOptions(timeout_ms=300, retries=None))
    _expect(not failed.ok, "the hang did not time out")
    say(f"   the server hangs, timeout_ms=300 -> Err({type(failed.error).__name__}): {failed.error}")  # type: ignore[union-attr]


def _broken_stream(fake: FakeOpenRouter, core: OpenRouterCore, say: _Printer) -> None:
    from openrouter_funcs.chat_send import chat_send

    say.step("5. A stream that fails midway: an in-band error event after three chunks")
    error = StreamError("Provider returned error", code=502)
    fake.queue("chat_send", FakeStream.text(*ANSWER, error_after=3, error=error))
    result = chat_send(core, _chat(True))
    _expect(result.ok, "the stream did not start")
    say("   > ", end="")
    with result.unwrap() as stream:
        for chunk in stream:  # iterating never raises: the loop ends, and stream.error says why
            if chunk.choices and chunk.choices[0].delta.content:
                say(chunk.choices[0].delta.content, end="")
        say()
        _expect(stream.error is not None, "the in-band error was missed")
        say(f"   stream.error -> {type(stream.error).__name__}: {stream.error}")
    fake.queue("chat_send", FakeStream.text(*ANSWER, error_after=3, error=error))
    with fake.client(DEMO_KEY) as client:
        try:
            for _ in client.chat.send(_chat(True)):
                pass
        except Exception as raised:
            say(f"   the client object raises it from the loop -> {type(raised).__name__}")
        else:
            raise _Unexpected("the client's stream did not raise")


def run_demo(out: TextIO, *, debug: bool = False) -> int:
    """Run the demo, printing to ``out``.

    Args:
        out: where to print.
        debug: turn on the SDK's debug logging (to stderr) for the demo's calls.

    Returns:
        0 when every step behaved as documented, else 1.
    """
    say = _Printer(out)
    with FakeOpenRouter.serve(api_keys=[DEMO_KEY]) as fake:
        say(f"OpenRouter SDK demo against a fake OpenRouter at {fake.url}")
        say("(a real HTTP server on 127.0.0.1 that answers like the API; nothing leaves this machine)")
        try:
            with fake.core(DEMO_KEY, debug=debug) as core:
                _streamed_chat(fake, core, say)
                _result_style(core, say)
                _facade(fake, say)
                _errors(fake, core, say)
                _broken_stream(fake, core, say)
        except _Unexpected as problem:
            say(f"\nUnexpected: {problem}")
            return 1
        say(f"\nDone: the fake served {len(fake.requests)} requests. Next: `openrouter --fake chat -m {MODEL} hi`,")
        say("then set OPENROUTER_API_KEY and drop --fake.")
    return 0
