"""The ``openrouter`` commands that call the API: chat, call, operations, models, keys, credits, Coinbase."""

from __future__ import annotations

import argparse
import difflib
import importlib
import inspect
import json
import pathlib
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from openrouter._cli_common import (
    EXIT_API_ERROR,
    EXIT_OK,
    UsageError,
    call_options,
    connect,
    err,
    failed,
    json_text,
    money,
    table,
)

if TYPE_CHECKING:
    from openrouter_core import BinaryResponse, OpenRouterCore, Stream
    from openrouter_funcs._registry import OperationInfo

__all__ = ["add_commands"]

_COINBASE_NOTE = (
    "note: OpenRouter has deprecated the Coinbase charge endpoint; today it answers 410 Gone. "
    "Use the web credits purchase flow instead."
)

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def add_commands(command: Command) -> None:
    """Declare the API commands with ``command(name, run, help)``, which returns the subparser."""
    chat = command("chat", _run_chat, "stream a chat answer to stdout as it arrives")
    chat.add_argument("prompt", nargs="?", help="what to ask (default: read from stdin)")
    chat.add_argument("-m", "--model", required=True, help="the model, e.g. openai/gpt-4o")
    chat.add_argument("--system", metavar="TEXT", help="a system message sent before the prompt")
    chat.add_argument("--max-tokens", type=int, metavar="N", help="the longest answer, in tokens")
    chat.add_argument("--temperature", type=float, metavar="T", help="sampling temperature (0-2)")
    chat.add_argument("--json", action="store_true", help="print each chunk as one JSON line instead of the text")

    call = command("call", _run_call, "call any operation by its Python name or operationId")
    call.add_argument(
        "operation", help="e.g. api_keys_list, listApiKeys or api_keys.list (see `openrouter operations`)"
    )
    call.add_argument(
        "--request",
        metavar="JSON",
        help="the request as a JSON object with the API's field names; @FILE reads a file, - reads stdin",
    )
    call.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="FIELD=PATH",
        help="upload the file at PATH as the request's FIELD (repeatable), e.g. --file file=notes.pdf",
    )
    call.add_argument("--json", action="store_true", help="one JSON document per line (stream events too)")
    call.add_argument("-o", "--output", metavar="FILE", help="write the answer to FILE (needed for binary answers)")

    operations = command("operations", _run_operations, "list the operations `openrouter call` knows")
    operations.add_argument("filter", nargs="?", help="show only names, paths or tags containing this text")
    operations.add_argument("--json", action="store_true", help="print them as JSON lines")

    models = command("models", _run_models, "list the models")
    models.add_argument("action", choices=("list",), help="list")
    models.add_argument("--search", metavar="TEXT", help="free-text search by model name or slug")
    models.add_argument("--json", action="store_true", help="print the API's data as JSON")

    keys = command("keys", _run_keys, "list your API keys (needs a management key)")
    keys.add_argument("action", choices=("list",), help="list")
    keys.add_argument("--include-disabled", action="store_true", help="include disabled keys")
    keys.add_argument("--offset", type=int, default=None, metavar="N", help="skip the first N keys")
    keys.add_argument("--json", action="store_true", help="print the API's data as JSON")

    credits = command("credits", _run_credits, "show total credits, usage and what remains (needs a management key)")
    credits.add_argument("--json", action="store_true", help="print the API's data as JSON")

    charge = command(
        "coinbase-charge", _run_coinbase_charge, "create a Coinbase charge (deprecated: today's API answers 410 Gone)"
    )
    charge.add_argument("--amount", type=_number, required=True, help="US dollars, greater than 0")
    charge.add_argument("--sender", required=True, metavar="0xADDRESS", help="the paying EVM address")
    charge.add_argument("--chain-id", type=int, required=True, help="1 (Ethereum), 137 (Polygon) or 8453 (Base)")
    charge.add_argument("--json", action="store_true", help="print the API's data as JSON")


def _number(text: str) -> float:
    """An amount as typed: ``100`` stays an int on the wire, ``12.5`` a float."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


# --- chat ----------------------------------------------------------------------------------------


def _prompt(args: argparse.Namespace) -> str:
    if args.prompt is not None and args.prompt != "-":
        return str(args.prompt)
    if sys.stdin is None or (args.prompt is None and sys.stdin.isatty()):
        raise UsageError("no prompt: give it as an argument, or pipe it in (`echo hi | openrouter chat -m MODEL`)")
    text = sys.stdin.read()
    if not text.strip():
        raise UsageError("the prompt read from stdin is empty")
    return text


def _run_chat(args: argparse.Namespace) -> int:
    from openrouter_funcs.chat_send import chat_send

    messages = [{"role": "system", "content": args.system}] if args.system is not None else []
    messages.append({"role": "user", "content": _prompt(args)})
    request: Any = {"model": args.model, "messages": messages, "stream": True}
    for option, field in (("max_tokens", "max_tokens"), ("temperature", "temperature")):
        if getattr(args, option) is not None:
            request[field] = getattr(args, option)
    with connect(args) as core:
        result = chat_send(core, request, call_options(args, idempotent=False))
        if not result.ok:
            return failed(result.error)
        stream: Stream[Any, Any] = result.value
        with stream:
            code = _print_events(stream, _chat_text, as_json=args.json)
            if code != EXIT_OK:
                return code
            final = stream.collect()
    if final.ok:
        err(_usage_line(final.value))
    return EXIT_OK


def _usage_line(answer: Any) -> str:
    usage = answer.usage
    if usage is None:
        return f"done: {answer.model} (the server reported no usage)"
    line = (
        f"usage: {usage.prompt_tokens} prompt + {usage.completion_tokens} completion"
        f" = {usage.total_tokens} tokens ({answer.model})"
    )
    cost = usage.cost
    return line + (f", cost {money(cost)}" if isinstance(cost, (int, float)) else "")


def _chat_text(event: Any) -> str | None:
    choices = event.choices
    return choices[0].delta.content if choices else None


def _responses_text(event: Any) -> str | None:
    return event.delta if getattr(event, "type", None) == "response.output_text.delta" else None


def _messages_text(event: Any) -> str | None:
    if getattr(event, "type", None) != "content_block_delta":
        return None
    delta = event.delta
    return delta.text if getattr(delta, "type", None) == "text_delta" else None


_TEXT_OF: dict[str, Callable[[Any], str | None]] = {
    "chat_send": _chat_text,
    "responses_send": _responses_text,
    "beta_responses_send": _responses_text,
    "messages_create": _messages_text,
}
"""Streams whose events carry text: printed as text unless ``--json``; others print JSON lines."""


def _print_events(stream: Stream[Any, Any], text_of: Callable[[Any], str | None] | None, *, as_json: bool) -> int:
    """Print a stream as it arrives: the text it carries, or one JSON line per event."""
    last = "\n"
    for event in stream:
        if as_json or text_of is None:
            _write(json_text(event, compact=True) + "\n")
            continue
        text = text_of(event)
        if text:
            _write(text)
            last = text
    if not last.endswith("\n"):
        _write("\n")
    if stream.error is not None:
        return failed(stream.error)
    return EXIT_OK


# --- call and operations -------------------------------------------------------------------------


def _find(name: str) -> OperationInfo:
    from openrouter_funcs._registry import HELPERS, OPERATIONS

    by_name = {info.function: info for info in OPERATIONS.values()}
    by_name.update({info.facade: info for info in OPERATIONS.values()})
    info = OPERATIONS.get(name) or by_name.get(name)
    if info is not None:
        return info
    if name in HELPERS:
        raise UsageError(f"{name} sends no request (it is a local helper): call it from Python")
    close = difflib.get_close_matches(name, [*OPERATIONS, *by_name], n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise UsageError(f"unknown operation {name!r}{hint} (`openrouter operations` lists them)")


def _request(args: argparse.Namespace) -> dict[str, Any] | None:
    text = args.request
    source = "--request"
    if text is not None and (text == "-" or text.startswith("@")):
        where = text[1:] if text.startswith("@") else "-"
        source = "stdin" if where == "-" else where
        try:
            text = sys.stdin.read() if where == "-" else pathlib.Path(where).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--request: cannot read {where}: {getattr(exc, 'strerror', None) or exc}") from None
    request: dict[str, Any] | None = None
    if text is not None:
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"--request: {source} is not JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise UsageError(f"--request: expected a JSON object, got {type(parsed).__name__}")
        request = parsed
    for item in args.file:
        field, sep, path = item.partition("=")
        if not sep or not field or not path:
            raise UsageError(f"--file: expected FIELD=PATH, got {item!r}")
        if not pathlib.Path(path).is_file():
            raise UsageError(f"--file: no file at {path}")
        request = {**(request or {}), field: pathlib.Path(path)}
    return request


def _run_call(args: argparse.Namespace) -> int:
    info = _find(args.operation)
    module = importlib.import_module(info.module)
    function = getattr(module, info.function)
    operation = module.OPERATION
    binary = any(kind == "binary" for kind, _ in operation.responses.values())
    if binary and args.output is None:
        raise UsageError(f"{info.function} answers with a file: pass -o FILE (or -o - for stdout)")
    request = _request(args)
    options = call_options(args, idempotent=operation.idempotent)
    with connect(args) as core, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecationWarning)  # a deprecated operation still runs when asked
        if "security" in inspect.signature(function).parameters:
            result = function(core, None, request, options)  # the core's key
        else:
            result = function(core, request, options)
        for warning in caught:
            err(f"note: {warning.message}")
        if not result.ok:
            return failed(result.error)
        return _show(result.value, info, args, core)


def _show(value: Any, info: OperationInfo, args: argparse.Namespace, core: OpenRouterCore) -> int:
    from openrouter_core import BinaryResponse, Stream

    if isinstance(value, BinaryResponse):
        with value:
            return _save(value, args.output)
    if isinstance(value, Stream):
        with value:
            if args.output is None:
                return _print_events(value, _TEXT_OF.get(info.function), as_json=args.json)
            with _output_file(args.output) as out:
                for event in value:
                    out.write(json_text(event, compact=True) + "\n")
            return failed(value.error) if value.error is not None else EXIT_OK
    text = json_text(value, compact=args.json) + "\n"
    if args.output is None:
        _write(text)
    else:
        with _output_file(args.output) as out:
            out.write(text)
    return EXIT_OK


def _output_file(path: str) -> Any:
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"-o: cannot write {path}: {exc.strerror or exc}") from None


def _save(body: BinaryResponse, path: str) -> int:
    if path == "-":
        for piece in body.iter_bytes():
            sys.stdout.buffer.write(piece)
        sys.stdout.buffer.flush()
        return failed(body.error) if body.error is not None else EXIT_OK
    written = body.write_to(path)
    if not written.ok:
        return failed(written.error)
    err(f"wrote {written.value:,} bytes to {path}")
    return EXIT_OK


def _run_operations(args: argparse.Namespace) -> int:
    from openrouter_funcs._registry import OPERATIONS

    wanted = (args.filter or "").lower()
    rows = [
        (info.function, info.method, info.path, operation_id, info.tag)
        for operation_id, info in sorted(OPERATIONS.items(), key=lambda item: item[1].function)
        if not wanted or any(wanted in field.lower() for field in (info.function, info.path, operation_id, info.tag))
    ]
    if args.json:
        for function, method, path, operation_id, tag in rows:
            line = {"function": function, "operation_id": operation_id, "method": method, "path": path, "tag": tag}
            _write(json.dumps(line) + "\n")
    elif rows:
        table([("FUNCTION", "METHOD", "PATH", "OPERATION ID", "TAG"), *rows], sys.stdout, header=True)
    else:
        err(f"no operation matches {args.filter!r}")
        return EXIT_API_ERROR
    return EXIT_OK


# --- models, keys, credits, Coinbase --------------------------------------------------------------


def _per_million(price: str) -> str:
    try:
        value = float(price) * 1_000_000
    except ValueError:
        return price
    return "-" if value < 0 else f"${value:,.2f}"


def _run_models(args: argparse.Namespace) -> int:
    from openrouter_funcs.models_list import models_list

    request = {"q": args.search} if args.search else None
    with connect(args) as core:
        result = models_list(core, request, call_options(args, idempotent=True))  # type: ignore[arg-type]
    if not result.ok:
        return failed(result.error)
    models = result.value.data
    if args.json:
        _write(json_text(models, compact=False) + "\n")
        return EXIT_OK
    rows = [
        (
            model.id,
            "-" if model.context_length is None else f"{model.context_length:,}",
            _per_million(model.pricing.prompt),
            _per_million(model.pricing.completion),
            model.name,
        )
        for model in models
    ]
    table([("MODEL", "CONTEXT", "INPUT $/M", "OUTPUT $/M", "NAME"), *rows], sys.stdout, right=(1, 2, 3), header=True)
    err(f"{len(rows)} models; prices are US dollars per million tokens")
    return EXIT_OK


def _run_keys(args: argparse.Namespace) -> int:
    from openrouter_funcs.api_keys_list import api_keys_list

    request: dict[str, Any] = {}
    if args.include_disabled:
        request["include_disabled"] = True
    if args.offset is not None:
        request["offset"] = args.offset
    with connect(args) as core:
        result = api_keys_list(core, request, call_options(args, idempotent=True))  # type: ignore[arg-type]
    if not result.ok:
        return failed(result.error)
    keys = result.value.data
    if args.json:
        _write(json_text(keys, compact=False) + "\n")
        return EXIT_OK
    rows = [
        (
            key.name,
            key.label,
            money(key.usage),
            "-" if key.limit is None else money(key.limit),
            "disabled" if key.disabled else "active",
            key.hash,
        )
        for key in keys
    ]
    table([("NAME", "LABEL", "USAGE", "LIMIT", "STATUS", "HASH"), *rows], sys.stdout, right=(2, 3), header=True)
    return EXIT_OK


def _run_credits(args: argparse.Namespace) -> int:
    from openrouter_funcs.credits_get_credits import credits_get_credits

    with connect(args) as core:
        result = credits_get_credits(core, None, call_options(args, idempotent=True))
    if not result.ok:
        return failed(result.error)
    data = result.value.data
    if args.json:
        _write(json.dumps({"total_credits": data.total_credits, "total_usage": data.total_usage}, indent=2) + "\n")
        return EXIT_OK
    rows = [("Total credits", money(data.total_credits)), ("Used", money(data.total_usage))]
    table([*rows, ("Remaining", money(data.total_credits - data.total_usage))], sys.stdout, right=(1,))
    return EXIT_OK


def _run_coinbase_charge(args: argparse.Namespace) -> int:
    from openrouter_funcs.credits_create_coinbase_charge import credits_create_coinbase_charge

    request = {"amount": args.amount, "sender": args.sender, "chain_id": args.chain_id}
    with connect(args) as core, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # said once below, in words
        result = credits_create_coinbase_charge(core, None, request, call_options(args, idempotent=False))  # type: ignore[arg-type]
    if result.exchange.attempts:  # not for input the SDK refused before sending
        err(_COINBASE_NOTE)
    if not result.ok:
        return failed(result.error)
    charge = result.value.data
    if args.json:
        _write(json_text(charge, compact=False) + "\n")
        return EXIT_OK
    intent = charge.web3_data.transfer_intent
    _write(f"Coinbase charge {charge.id}\n")
    rows = [
        ("Created", charge.created_at),
        ("Expires", charge.expires_at),
        ("Chain", str(int(intent.metadata.chain_id))),
        ("Sender", intent.metadata.sender),
        ("Contract", intent.metadata.contract_address),
        ("Recipient", intent.call_data.recipient),
        ("Amount", f"{intent.call_data.recipient_amount} + fee {intent.call_data.fee_amount} (token units)"),
        ("Currency", intent.call_data.recipient_currency),
    ]
    table(rows, sys.stdout)
    return EXIT_OK
