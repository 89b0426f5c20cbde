"""The ``openrouter`` command: chat, call any operation, list models and keys, run the fake, demo.

Exit codes: 0 success, 1 the API (or the connection to it) failed, 2 bad usage or input,
130 interrupted. Errors are one stderr line. Nothing here prints the API key: SDK messages are
redacted, and the key is never echoed. The commands live in ``_cli_api`` (those that call the API)
and here (the fake server, the demo, parsing and the entry point).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from openrouter._cli_common import EXIT_API_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, PROG, UsageError, err

__all__ = ["main"]


# --- parsing ---------------------------------------------------------------------------------------


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
    group.add_argument(
        "--fake",
        action="store_true",
        default=argparse.SUPPRESS if in_subcommand else False,
        help="answer from a built-in fake OpenRouter (in process, no key or network needed)",
    )
    group.add_argument("--timeout-ms", metavar="MS", type=float, default=default, help="per-attempt timeout")
    group.add_argument(
        "--retries",
        choices=("default", "none"),
        default=default,
        help=(
            "'default': retry calls without side effects for up to 8 s (one stderr line per retry);"
            " 'none': one attempt only"
        ),
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

    from openrouter._cli_api import add_commands

    add_commands(command)
    fake = command("fake-server", _run_fake_server, "run a fake OpenRouter on 127.0.0.1 until Ctrl-C")
    fake.add_argument("--port", type=_port, default=0, help="TCP port (default: a free one, printed at start)")
    fake.add_argument(
        "--accept-key", action="append", metavar="KEY", help="accept only this key (repeatable; default: any key)"
    )
    fake.add_argument("--coinbase-gone", action="store_true", help="answer the Coinbase charge with 410, as today")
    fake.add_argument("--quiet", action="store_true", help="do not log each request to stderr")

    command("demo", _run_demo, "show the SDK at work against a local fake server (a few seconds, no key)")
    return parser


# --- fake server and demo ------------------------------------------------------------------------


def _only_debug_applies(args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("--server-url", args.server_url), ("--api-key", args.api_key)) if value]
    if args.fake:
        given.append("--fake")
    if args.timeout_ms is not None:
        given.append("--timeout-ms")
    if given:
        raise UsageError(f"{args.command_name} does not use {', '.join(given)}")


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
        err(f"error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}")
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
    from openrouter._demo import run_demo

    return run_demo(sys.stdout, debug=bool(args.debug))


# --- entry point ---------------------------------------------------------------------------------


def _run_guarded(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return run(args)
    except (UsageError, KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # a bug, or an environment problem the SDK reports by raising
        if args.debug:
            import traceback

            traceback.print_exc()
        err(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")
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
    except UsageError as exc:
        err(f"error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`openrouter demo | head`): not an error of ours or of the API.
        # Stop quietly, and keep Python from complaining about the unflushable stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
