"""Test helpers: a recording MockTransport, a sync/async runner, a fake clock, canned bodies."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from openrouter_core import Clock, OpenRouterCore

API_KEY = "sk-or-v1-test-0123456789abcdef"
SENDER = "0x1234567890abcdef1234567890ABCDEF12345678"
CREDITS_BODY = {"data": {"total_credits": 100.5, "total_usage": 25.75}}
CHARGE_BODY = {
    "data": {
        "id": "charge_123",
        "created_at": "2026-03-01T12:00:00Z",
        "expires_at": "2026-03-01T13:00:00Z",
        "web3_data": {
            "transfer_intent": {
                "call_data": {
                    "deadline": "2026-03-01T13:00:00Z",
                    "fee_amount": "1000000",
                    "id": "0xabc",
                    "operator": "0xoperator",
                    "prefix": "0x",
                    "recipient": "0xrecipient",
                    "recipient_amount": "99000000",
                    "recipient_currency": "0xusdc",
                    "refund_destination": SENDER,
                    "signature": "0xsig",
                },
                "metadata": {"chain_id": 8453, "contract_address": "0xcontract", "sender": SENDER},
            }
        },
    }
}

Handler = Callable[[httpx.Request], httpx.Response]

ENV_VARS = (
    "OPENROUTER_API_KEY",
    "OPENROUTER_BASE_URL",
    "OPENROUTER_HTTP_REFERER",
    "OPENROUTER_APP_TITLE",
    "OPENROUTER_APP_CATEGORIES",
    "OPENROUTER_DEBUG",
)


def json_response(status: int, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"content-type": "application/json", **(headers or {})}
    )


class Wire:
    """An httpx handler that records every request (body read) and answers from a script."""

    def __init__(self, *answers: httpx.Response | Handler | BaseException) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        # As sent: the SDK redacts the Authorization of its own clients' requests once they are done.
        sent = object.__new__(httpx.Request)
        sent.__dict__.update(request.__dict__)
        sent.headers = request.headers.copy()
        self.requests.append(sent)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, httpx.Response):
            return httpx.Response(answer.status_code, headers=answer.headers, stream=answer.stream)
        return answer(request)


class FakeClock:
    """Time that moves only when the pipeline sleeps, so retry tests take no real time."""

    def __init__(self, jitter: float = 0.0) -> None:
        self.now = 1000.0
        self.epoch = 1_780_000_000.0
        self.sleeps: list[float] = []
        self.jitter = jitter

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.epoch + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def random(self) -> float:
        return self.jitter

    def clock(self) -> Clock:
        return Clock(
            monotonic=self.monotonic, time=self.time, sleep=self.sleep, async_sleep=self.async_sleep, random=self.random
        )


def make_core(wire: Wire, **options: Any) -> OpenRouterCore:
    options.setdefault("api_key", API_KEY)
    return OpenRouterCore(
        client=httpx.Client(transport=httpx.MockTransport(wire)),
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(wire)),
        **options,
    )


class Runner:
    """Calls the sync or the async twin of a function, so one test body covers both."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __call__(
        self, sync_fn: Callable[..., Any], async_fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any, **kwargs: Any
    ) -> Any:
        if self.mode == "sync":
            return sync_fn(*args, **kwargs)
        return asyncio.run(async_fn(*args, **kwargs))

    def __repr__(self) -> str:
        return self.mode


def multipart_parts(request: httpx.Request) -> list[tuple[str, str | None, str | None, bytes]]:
    """The parts of a multipart/form-data request: ``(name, file name, content type, content)``.

    The file name and content type are ``None`` for a part that has none (a plain field).
    """
    boundary = request.headers["content-type"].partition("boundary=")[2].strip('"').encode()
    pieces = request.content.split(b"--" + boundary)
    if pieces[0] != b"" or pieces[-1] != b"--\r\n":
        raise AssertionError(f"not a multipart body with boundary {boundary!r}: {request.content[:200]!r}")
    parts = []
    for piece in pieces[1:-1]:
        head, _, content = piece.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not content.endswith(b"\r\n"):
            raise AssertionError(f"a part without its CRLF before the boundary: {piece[:200]!r}")
        lines = head.decode().split("\r\n")
        disposition = next(line for line in lines if line.lower().startswith("content-disposition:"))
        name = re.search(r';\s*name="([^"]*)"', disposition)
        filename = re.search(r';\s*filename="([^"]*)"', disposition)
        content_type = next(
            (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("content-type:")), None
        )
        assert name is not None, disposition
        parts.append((name.group(1), filename.group(1) if filename else None, content_type, content[:-2]))
    return parts
