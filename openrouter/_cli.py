"""The ``openrouter`` command: check credits, create the (deprecated) Coinbase charge, run the fake, demo.

Exit codes: 0 success, 1 the API (or the connection to it) failed, 2 bad usage or input.
Nothing here prints the API key: SDK messages are redacted, and the key is never echoed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from openrouter_core import OpenRouterCore, OpenRouterSDKError
    from openrouter_funcs.models.ops.credits_create_coinbase_charge import CreateCoinbaseChargeRequestDict

__all__ = ["main"]

PROG = "openrouter"
EXIT_OK, EXIT_API_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell convention for Ctrl-C

_NO_KEY = (
    "no API key: pass --api-key KEY or set OPENROUTER_API_KEY "
    "(the variable is safer: command-line arguments show up in process lists)"
)
_COINBASE_NOTE = (
    "note: OpenRouter has deprecated the Coinbase charge endpoint; today it answers 410 Gone. "
    "Use the web credits purchase flow instead."
)


class _UsageError(Exception):
    """Bad input found after parsing; printed as one line, exit 2."""


def _err(message: str) -> None:
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr)


# --- parsing ---------------------------------------------------------------------------------------


def _number(text: str) -> float:
    """An amount as typed: ``100`` stays an int on the wire, ``12.5`` a float."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535; 0 picks a free one)")
    return port


def _add_global_options(parser: argparse.ArgumentParser, *, in_subcommand: bool) -> None:
    # Added to the main parser and to each subcommand, so the flags work before or after the
    # command; SUPPRESS in subcommands keeps them from resetting a value given before it.
    default: Any = argparse.SUPPRESS if in_subcommand else None
    group = parser.add_argument_group("connection options")
    group.add_argument(
        "--server-url",
        metavar="URL",
        default=default,
        help="API base URL (default: $OPENROUTER_BASE_URL, else OpenRouter)",
    )
    group.add_argument(
        "--api-key", metavar="KEY", default=default, help="API key (default: $OPENROUTER_API_KEY, which is safer)"
    )
    group.add_argument("--timeout-ms", metavar="MS", type=float, default=default, help="per-attempt timeout")
    group.add_argument(
        "--retries",
        choices=("default", "none"),
        default=default,
        help="'default': retry for up to 8 s (one stderr line per retry); 'none': one attempt only",
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if in_subcommand else False,
        help="log requests and responses (key redacted) to stderr",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="OpenRouter from the command line. New here? Run `openrouter demo` (no key needed).",
    )
    from openrouter_core import __version__

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_global_options(parser, in_subcommand=False)
    commands = parser.add_subparsers(title="commands", dest="command_name", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _add_global_options(sub, in_subcommand=True)
        sub.set_defaults(run=run)
        return sub

    credits = command("credits", _run_credits, "show total credits, usage and what remains (needs a management key)")
    credits.add_argument("--json", action="store_true", help="print the API's data as JSON")

    charge = command(
        "coinbase-charge", _run_coinbase_charge, "create a Coinbase charge (deprecated: today's API answers 410 Gone)"
    )
    charge.add_argument("--amount", type=_number, required=True, help="US dollars, greater than 0")
    charge.add_argument("--sender", required=True, metavar="0xADDRESS", help="the paying EVM address")
    charge.add_argument("--chain-id", type=int, required=True, help="1 (Ethereum), 137 (Polygon) or 8453 (Base)")
    charge.add_argument("--json", action="store_true", help="print the API's data as JSON")

    fake = command("fake-server", _run_fake_server, "run a fake OpenRouter on 127.0.0.1 until Ctrl-C")
    fake.add_argument("--port", type=_port, default=0, help="TCP port (default: a free one, printed at start)")
    fake.add_argument(
        "--accept-key", action="append", metavar="KEY", help="accept only this key (repeatable; default: any key)"
    )
    fake.add_argument("--coinbase-gone", action="store_true", help="answer the Coinbase charge with 410, as today")
    fake.add_argument("--quiet", action="store_true", help="do not log each request to stderr")

    command("demo", _run_demo, "show the SDK at work against a local fake server (a few seconds, no key)")
    return parser


# --- API commands --------------------------------------------------------------------------------


def _core(args: argparse.Namespace) -> OpenRouterCore:
    key = args.api_key or os.environ.get("OPENROUTER_API_KEY") or None
    if key is None:
        hint = "" if args.server_url else "; or try `openrouter demo`, which needs none"
        raise _UsageError(_NO_KEY + hint)
    from openrouter_core import OpenRouterCore

    options: dict[str, Any] = {"debug": True} if args.debug else {}
    if args.debug:
        _log_debug_to_stderr()
    else:
        _show_retries()
    if args.timeout_ms is not None:
        options["timeout_ms"] = args.timeout_ms
    options["retry_config"] = _retry_config(getattr(args, "retries", None))
    try:
        return OpenRouterCore(key, server_url=args.server_url, **options)
    except ValueError as exc:  # an invalid URL, timeout or environment variable; the message names it
        message = str(exc)
        for option in ("server_url", "timeout_ms"):
            if message.startswith(option + ":"):
                message = "--" + option.replace("_", "-") + message[len(option) :]
        raise _UsageError(message) from None


def _retry_config(choice: str | None) -> Any:
    """The CLI's retries: a person is waiting, so a dead server is reported within 10 s, not 30."""
    if choice == "none":
        return None
    from openrouter_core import BackoffStrategy, RetryConfig

    budget = BackoffStrategy(initial_interval=500, max_interval=2_000, exponent=2, max_elapsed_time=8_000)
    return RetryConfig(backoff=budget, max_attempts=5)


class _RetryLines(logging.Handler):
    """Prints the SDK's retry notices as they happen: ``openrouter: retrying in 1.0 s, attempt 2 of 5: ...``."""

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "openrouter_retry"):
            _err(record.getMessage())


def _log_debug_to_stderr() -> None:
    # --debug: everything the debug core logs (redacted) goes to stderr, retry notices included.
    logger = logging.getLogger("openrouter.debug")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(f"{PROG}: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _show_retries() -> None:
    logger = logging.getLogger("openrouter")
    if not any(isinstance(handler, _RetryLines) for handler in logger.handlers):
        logger.addHandler(_RetryLines(logging.INFO))
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


def _failed(error: OpenRouterSDKError) -> int:
    from openrouter_core import SDKValidationError

    _err(f"error: {error}")
    return EXIT_USAGE if isinstance(error, SDKValidationError) else EXIT_API_ERROR


def _money(value: float) -> str:
    # Two decimals like a bill, but never hide a small usage such as $0.0012.
    text = f"{value:,.6f}".rstrip("0")
    whole, _, cents = text.partition(".")
    return f"${whole}.{cents.ljust(2, '0')}"


def _table(rows: Sequence[tuple[str, str]], out: TextIO, *, right: bool = False) -> None:
    label_width = max(len(label) for label, _ in rows)
    value_width = max(len(value) for _, value in rows)
    for label, value in rows:
        print(
            f"{label:<{label_width}}  {value:>{value_width}}" if right else f"{label:<{label_width}}  {value}", file=out
        )


def _run_credits(args: argparse.Namespace) -> int:
    from openrouter_funcs.credits_get_credits import credits_get_credits

    with _core(args) as core:
        result = credits_get_credits(core)
    if not result.ok:
        return _failed(result.error)
    data = result.value.data
    if args.json:
        print(json.dumps({"total_credits": data.total_credits, "total_usage": data.total_usage}, indent=2))
    else:
        rows = [("Total credits", _money(data.total_credits)), ("Used", _money(data.total_usage))]
        _table([*rows, ("Remaining", _money(data.total_credits - data.total_usage))], sys.stdout, right=True)
    return EXIT_OK


def _run_coinbase_charge(args: argparse.Namespace) -> int:
    import attrs

    from openrouter_funcs.credits_create_coinbase_charge import credits_create_coinbase_charge

    request: CreateCoinbaseChargeRequestDict = {"amount": args.amount, "sender": args.sender, "chain_id": args.chain_id}
    with _core(args) as core, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # said once below, in words
        result = credits_create_coinbase_charge(core, None, request)
    if result.exchange.attempts:  # not for input the SDK refused before sending
        _err(_COINBASE_NOTE)
    if not result.ok:
        return _failed(result.error)
    charge = result.value.data
    if args.json:
        print(json.dumps(attrs.asdict(charge), indent=2))
        return EXIT_OK
    intent = charge.web3_data.transfer_intent
    print(f"Coinbase charge {charge.id}")
    _table(
        [
            ("Created", charge.created_at),
            ("Expires", charge.expires_at),
            ("Chain", str(int(intent.metadata.chain_id))),
            ("Sender", intent.metadata.sender),
            ("Contract", intent.metadata.contract_address),
            ("Recipient", intent.call_data.recipient),
            ("Amount", f"{intent.call_data.recipient_amount} + fee {intent.call_data.fee_amount} (token units)"),
            ("Currency", intent.call_data.recipient_currency),
        ],
        sys.stdout,
    )
    return EXIT_OK


# --- fake server and demo ------------------------------------------------------------------------


def _only_debug_applies(args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("--server-url", args.server_url), ("--api-key", args.api_key)) if value]
    if args.timeout_ms is not None:
        given.append("--timeout-ms")
    if given:
        raise _UsageError(f"{args.command_name} does not use {', '.join(given)}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run_fake_server(args: argparse.Namespace) -> int:
    _only_debug_applies(args)
    from openrouter.testing import FakeOpenRouter

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    fake = FakeOpenRouter(api_keys=args.accept_key, coinbase_gone=args.coinbase_gone)
    try:
        fake.start(args.port, on_request=None if args.quiet else log)
    except OSError as exc:
        _err(f"error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}")
        return EXIT_API_ERROR
    # Ctrl-C and SIGTERM (a service manager, `kill`) stop it cleanly. Both handlers are set here
    # rather than inherited: a shell that runs jobs in the background starts them with SIGINT
    # ignored, and the server must still stop on it.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main_thread:
        previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"Fake OpenRouter listening on {fake.url}", flush=True)
        print(f"Try: OPENROUTER_API_KEY=anything {PROG} --server-url {fake.url} credits", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        stop = threading.Event()
        while not stop.wait(3600):  # runs until interrupted, by design
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        fake.close()
    print("Stopped.", flush=True)
    return EXIT_OK


def _run_demo(args: argparse.Namespace) -> int:
    _only_debug_applies(args)
    from openrouter.testing._demo import run_demo

    return run_demo(sys.stdout, debug=bool(args.debug))


# --- entry point ---------------------------------------------------------------------------------


def _run_guarded(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return run(args)
    except (_UsageError, KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # a bug, or an environment problem the SDK reports by raising
        if args.debug:
            import traceback

            traceback.print_exc()
        _err(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        return EXIT_API_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``openrouter`` command.

    Args:
        argv: the arguments, without the program name; default ``sys.argv[1:]``.

    Returns:
        The exit code: 0 success, 1 API or connection error, 2 bad usage or input, 130 interrupted.
    """
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exit_:  # argparse has printed help (0) or a usage error (2)
            return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
        run: Callable[[argparse.Namespace], int] = args.run
        return _run_guarded(run, args)
    except _UsageError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`openrouter demo | head`): not an error of ours or of the API.
        # Stop quietly, and keep Python from complaining about the unflushable stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
