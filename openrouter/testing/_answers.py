"""The default answers: what the API answers a valid request, from the generated data.

JSON operations answer the document's example (repaired by the generator where it contradicts its
schema), with the requested ``model`` echoed and ``offset``/``limit`` applied to paginated lists;
streaming operations asked for ``"stream": true`` send the document's events, then ``[DONE]``;
downloads send the document's sample bytes. Two answers depend on the fake's settings or on the
request beyond that: ``GET /credits`` (the fake's credits) and the Coinbase charge (a full charge
for the amount, sender and chain asked for).
"""

from __future__ import annotations

import copy
import datetime
import functools
import hashlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from openrouter.testing import _data
from openrouter.testing._checks import Call
from openrouter.testing._requests import RecordedRequest
from openrouter.testing._responses import FakeDownload, FakeResponse
from openrouter.testing._streams import Answer, FakeStream, StreamShape
from openrouter.testing._wire import Reply

__all__ = ["Answer", "charge_payload", "content_type", "default_answer", "paginate", "reply", "shape"]

# What each audio format of the speech endpoint is sent as (its answer is documented as ``audio/*``).
AUDIO_TYPES = {"mp3": "audio/mpeg", "pcm": "audio/pcm", "wav": "audio/wav", "opus": "audio/opus", "aac": "audio/aac"}
DEFAULT_AUDIO_FORMAT = "pcm"  # SpeechRequest.response_format's documented default
_CHARGE_LIFETIME = datetime.timedelta(hours=1)


def _tuple(path: Any) -> tuple[str | int, ...]:
    return tuple(path)


@functools.cache
def _document_shape(operation_id: str) -> StreamShape:
    stream = _data.operation(operation_id).get("stream")
    if not stream:
        return StreamShape()
    name, data, path = stream["text"]
    error_name, error_data, code_path, message_path = stream["error"]
    return StreamShape(
        named=stream["named"],
        head=tuple((event, data) for event, data in stream["head"]),
        text=(name, data, _tuple(path)),
        pieces=tuple(stream["pieces"]),
        tail=tuple((event, data) for event, data in stream["tail"]),
        fill=tuple((index, _tuple(path)) for index, path in stream["fill"]),
        error=(error_name, error_data, None if code_path is None else _tuple(code_path), _tuple(message_path)),
        sequence=stream["sequence"],
    )


def _with_model(value: Any, model: str | None) -> Any:
    """``value`` naming ``model`` wherever it names one, at the top or one level down."""
    if model is None or not isinstance(value, dict):
        return value
    out = dict(value)
    if isinstance(out.get("model"), str):
        out["model"] = model
    for key, inner in out.items():
        if isinstance(inner, dict) and isinstance(inner.get("model"), str):
            out[key] = {**inner, "model": model}
    return out


def _model(call: Call | None) -> str | None:
    if call is None or not isinstance(call.body, dict):
        return None
    model = call.body.get("model")
    return model if isinstance(model, str) else None


def shape(call: Call | None) -> StreamShape:
    """How the operation's stream events look, naming the requested model."""
    if call is None:
        return StreamShape()
    base = _document_shape(call.route.operation_id)
    model = _model(call)
    if model is None:
        return base
    name, data, path = base.text
    error_name, error_data, code_path, message_path = base.error
    return StreamShape(
        named=base.named,
        head=tuple((event, _with_model(data, model)) for event, data in base.head),
        text=(name, _with_model(data, model), path),
        pieces=base.pieces,
        tail=tuple((event, _with_model(data, model)) for event, data in base.tail),
        fill=base.fill,
        error=(error_name, _with_model(error_data, model), code_path, message_path),
        sequence=base.sequence,
    )


def content_type(call: Call | None, request: RecordedRequest | None = None) -> str:
    """The content type of the operation's download (the requested format's type for ``audio/*``)."""
    if call is None:
        return "application/octet-stream"
    declared = call.route.content_type
    if declared == "audio/*":
        requested = call.body.get("response_format") if isinstance(call.body, dict) else None
        return AUDIO_TYPES.get(str(requested or DEFAULT_AUDIO_FORMAT), "application/octet-stream")
    return declared or "application/octet-stream"


def reply(answer: Answer, call: Call | None) -> Reply:
    """An answer as the connectors send it, shaped for the call's operation."""
    if isinstance(answer, FakeStream):
        return answer.reply(shape(call))
    if isinstance(answer, FakeDownload):
        return answer.reply(content_type(call))
    return answer.reply()


def _integer(text: str | None, default: int | None) -> int | None:
    try:
        return default if text is None or text == "" else max(0, int(text))
    except ValueError:
        return default


def paginate(items: list[Any], call: Call) -> list[Any]:
    """The page ``offset`` and ``limit`` (or the operation's default limit) select."""
    offset = _integer(call.query.get("offset"), 0) or 0
    limit = _integer(call.query.get("limit"), _data.operation(call.route.operation_id).get("limit"))
    return items[offset:] if limit is None else items[offset : offset + limit]


def json_answer(call: Call) -> Any:
    """The operation's default JSON body for this call."""
    answer = copy.deepcopy(_data.operation(call.route.operation_id).get("answer"))
    if call.route.pages == "offset" and isinstance(answer, dict) and isinstance(answer.get("data"), list):
        items = answer["data"]
        answer["data"] = paginate(items, call)
        if isinstance(answer.get("total_count"), int):
            answer["total_count"] = len(items)
    return _with_model(answer, _model(call))


def _credits(call: Call, request: RecordedRequest, serial: int, settings: Mapping[str, Any]) -> Answer:
    return FakeResponse(
        json={"data": {"total_credits": settings["total_credits"], "total_usage": settings["total_usage"]}}
    )


def _charge(call: Call, request: RecordedRequest, serial: int, settings: Mapping[str, Any]) -> Answer:
    body = call.body
    return FakeResponse(json=charge_payload(body["amount"], body["sender"], int(body["chain_id"]), serial))


SPECIAL: Mapping[str, Callable[[Call, RecordedRequest, int, Mapping[str, Any]], Answer]] = {
    "getCredits": _credits,
    "createCoinbaseCharge": _charge,
}
"""Answers that depend on the fake's settings, or on the request beyond the echoed model."""


def default_answer(call: Call, request: RecordedRequest, serial: int, settings: Mapping[str, Any]) -> Answer:
    """What the API answers this valid call (``settings``: ``total_credits``, ``total_usage``)."""
    special = SPECIAL.get(call.route.operation_id)
    if special is not None:
        return special(call, request, serial, settings)
    spec = _data.operation(call.route.operation_id)
    route = call.route
    if call.stream and spec.get("stream"):
        return FakeStream.default(status=route.status)
    if route.answer == "binary":
        sample = str(spec.get("binary", "")).encode()
        return FakeResponse(status=route.status, headers={"Content-Type": content_type(call)}, body=sample)
    text = spec.get("text")
    if text is not None and text[0] in httpx.Headers(list(request.raw_headers)).get("accept", ""):
        return FakeResponse(status=route.status, headers={"Content-Type": text[0]}, body=text[1].encode())
    if route.answer == "json":
        return FakeResponse(status=route.status, json=json_answer(call))
    return FakeResponse(status=route.status)


# --- the Coinbase charge -------------------------------------------------------------------------


def _fake_hex(seed: str, label: str, digits: int) -> str:
    # Deterministic per charge, so tests can compare payloads; obviously not real chain data.
    out = ""
    for counter in range(digits // 64 + 1):
        out += hashlib.sha256(f"{seed}:{label}:{counter}".encode()).hexdigest()
    return "0x" + out[:digits]


def iso(moment: datetime.datetime) -> str:
    """``2026-01-01T10:00:00.000Z``."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def charge_payload(amount: float, sender: str, chain_id: int, serial: int) -> dict[str, Any]:
    """A full ``POST /credits/coinbase`` success body for this charge, in the 2026-03 API's shape."""
    seed = f"{serial}:{amount}:{sender}:{chain_id}"
    now = datetime.datetime.now(datetime.timezone.utc)
    expires = iso(now + _CHARGE_LIFETIME)
    units = round(amount * 1_000_000)  # USDC has 6 decimals
    fee = units // 100
    return {
        "data": {
            "id": str(uuid.UUID(hex=_fake_hex(seed, "id", 32)[2:], version=4)),
            "created_at": iso(now),
            "expires_at": expires,
            "web3_data": {
                "transfer_intent": {
                    "call_data": {
                        "deadline": expires,
                        "fee_amount": str(fee),
                        "id": _fake_hex(seed, "intent", 32),
                        "operator": _fake_hex(seed, "operator", 40),
                        "prefix": _fake_hex(seed, "prefix", 64),
                        "recipient": _fake_hex(seed, "recipient", 40),
                        "recipient_amount": str(units - fee),
                        "recipient_currency": _fake_hex(seed, "currency", 40),
                        "refund_destination": sender,
                        "signature": _fake_hex(seed, "signature", 130),
                    },
                    "metadata": {
                        "chain_id": chain_id,
                        "contract_address": _fake_hex(seed, "contract", 40),
                        "sender": sender,
                    },
                }
            },
        }
    }
