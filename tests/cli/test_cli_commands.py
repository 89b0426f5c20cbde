"""The ``openrouter`` command, run as a subprocess against the fake server."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from _cli_helpers import CLI_KEY, Run, clean_env

from openrouter.testing import FakeOpenRouter

SENDER = "0x1234567890123456789012345678901234567890"
CHARGE_ARGS = ("coinbase-charge", "--amount", "100", "--sender", SENDER, "--chain-id", "1")


def _no_noise(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert re.search(r"\w+Warning: ", output) is None
    assert CLI_KEY not in output


def test_credits_table(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli("--server-url", openrouter_fake_server.url, "credits")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Total credits  $100.50",
        "Used            $25.75",
        "Remaining       $74.75",
    ]
    assert openrouter_fake_server.last_request.api_key(reveal=True) == CLI_KEY
    _no_noise(result)


def test_credits_json_and_flags_after_the_command(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.total_usage = 0.0012
    result = run_cli("credits", "--json", "--server-url", openrouter_fake_server.url, "--timeout-ms", "5000")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"total_credits": 100.5, "total_usage": 0.0012}


def test_api_key_flag(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli("--api-key", "sk-from-flag", "--server-url", openrouter_fake_server.url, "credits", api_key=None)
    assert result.returncode == 0, result.stderr
    assert openrouter_fake_server.last_request.api_key(reveal=True) == "sk-from-flag"
    assert "sk-from-flag" not in result.stdout + result.stderr


def test_api_error_exits_1_with_one_line(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.api_keys = frozenset({"sk-the-right-one"})
    result = run_cli("--server-url", openrouter_fake_server.url, "credits")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "openrouter: error: HTTP 401 Unauthorized: User not found.\n"
    _no_noise(result)


def test_no_key_says_how_to_set_one(run_cli: Run) -> None:
    result = run_cli("credits", api_key=None)
    assert result.returncode == 2
    assert "--api-key" in result.stderr
    assert "OPENROUTER_API_KEY" in result.stderr
    assert "--fake" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    _no_noise(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "required: COMMAND"),
        (("credits", "--bogus"), "unrecognized arguments: --bogus"),
        (("coinbase-charge", "--amount", "ten", "--sender", SENDER, "--chain-id", "1"), "'ten' is not a number"),
        (("--server-url", "ftp://example", "credits"), "--server-url: 'ftp://example' is not an absolute"),
        (("--server-url", "http://127.0.0.1:9", "--timeout-ms", "-1", "credits"), "--timeout-ms: must be a positive"),
        (("--api-key", "k", "demo"), "demo does not use --api-key"),
    ],
)
def test_bad_usage_exits_2(run_cli: Run, args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    _no_noise(result)


def test_coinbase_charge(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli("--server-url", openrouter_fake_server.url, *CHARGE_ARGS)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Coinbase charge ")
    assert f"Sender     {SENDER}" in lines
    assert "99000000 + fee 1000000 (token units)" in result.stdout
    assert result.stderr.count("deprecated") == 1
    assert openrouter_fake_server.last_request.json() == {"amount": 100, "sender": SENDER, "chain_id": 1}
    _no_noise(result)


def test_coinbase_charge_json(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli("--server-url", openrouter_fake_server.url, *CHARGE_ARGS, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["web3_data"]["transfer_intent"]["metadata"]["sender"] == SENDER


def test_coinbase_charge_gone_is_an_api_error(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.coinbase_gone = True
    result = run_cli("--server-url", openrouter_fake_server.url, *CHARGE_ARGS)
    assert result.returncode == 1
    note, error = result.stderr.splitlines()
    assert "deprecated" in note
    assert error.startswith("openrouter: error: HTTP 410 Gone: The Coinbase APIs used by this endpoint")
    _no_noise(result)


def test_coinbase_charge_bad_input_exits_2_without_sending(
    run_cli: Run, openrouter_fake_server: FakeOpenRouter
) -> None:
    result = run_cli(
        "--server-url",
        openrouter_fake_server.url,
        "coinbase-charge",
        "--amount",
        "5",
        "--sender",
        "0x12",
        "--chain-id",
        "1",
    )
    assert result.returncode == 2
    assert result.stderr == ("openrouter: error: request.sender: must match the pattern ^0x[0-9a-fA-F]{40}$\n")
    assert openrouter_fake_server.requests == []


def test_connection_failure_exits_1(run_cli: Run) -> None:
    with FakeOpenRouter.serve() as fake:
        closed_url = fake.url  # nothing listens there once the block ends
    # The charge is not retried by default, so this fails at once (credits would retry for 30 s).
    result = run_cli("--server-url", closed_url, *CHARGE_ARGS)
    assert result.returncode == 1
    assert "Connection failed" in result.stderr
    _no_noise(result)


def test_demo(run_cli: Run) -> None:
    result = run_cli("demo", api_key=None)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    steps = [line for line in out.splitlines() if re.match(r"\d\. ", line)]
    assert [step.split(":")[0] for step in steps] == [
        "1. A streamed chat",
        "2. Standalone functions return a Result (Ok or Err) and never raise",
        "3. The client object returns the value, or raises the error",
        "4. Errors come back typed, with one-line messages",
        "5. A stream that fails midway",
    ]
    for expected in (
        "> The capital of France is Paris.",
        "stream.collect() -> Ok(ChatResult): 'The capital of France is Paris.'",
        "usage: 25 prompt + 10 completion tokens",
        "(the fake keeps what you create)",
        "await credits_get_credits_async(core) -> Ok",
        "client.chat.send_async",
        "UnauthorizedResponseError: HTTP 401 Unauthorized: User not found.",
        "a bad request, nothing sent -> Err(SDKValidationError): request.messages[0].role",
        "attempts=2",
        "Err(RequestTimeoutError): Request timed out after 300 ms",
        "stream.error -> BadGatewayResponseError: stream error 502",
        "the client object raises it from the loop -> BadGatewayResponseError",
        "Done: the fake served 14 requests.",
    ):
        assert expected in out
    assert result.stderr == ""
    _no_noise(result)


def test_fake_server_runs_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-W", "error", "-m", "openrouter", "fake-server"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Fake OpenRouter listening on http://127.0.0.1:")
        url = first.split()[-1]
        with httpx.Client(trust_env=False) as client:
            assert client.get(url + "/credits", headers={"Authorization": "Bearer k"}).status_code == 200
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert stdout.rstrip().endswith("Stopped.")
    assert stderr == "GET /api/v1/credits -> 200\n"


def test_fake_server_port_in_use_exits_1(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    port = str(httpx.URL(openrouter_fake_server.url).port)
    result = run_cli("fake-server", "--port", port)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    _no_noise(result)


def test_help_and_console_script() -> None:
    script = Path(sys.executable).parent / "openrouter"
    assert script.exists()
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, env=clean_env(), timeout=60, check=False
    )
    assert result.returncode == 0
    for command in ("credits", "coinbase-charge", "fake-server", "demo"):
        assert command in result.stdout


def test_debug_logs_the_exchange_without_the_key(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli("--debug", "--server-url", openrouter_fake_server.url, "credits")
    assert result.returncode == 0, result.stderr
    assert "authorization: [REDACTED]" in result.stderr
    assert '"total_credits":100.5' in result.stderr
    _no_noise(result)
