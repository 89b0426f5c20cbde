"""``openrouter chat``, ``call``, ``operations``, ``models list`` and ``keys list``, run as subprocesses."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _cli_helpers import CLI_KEY, Run, clean_env

from openrouter.testing import FakeDownload, FakeOpenRouter, FakeResponse, FakeStream, Pause, StreamError
from openrouter_funcs._registry import OPERATIONS

MODEL = "openai/gpt-4o"


def _one_error_line(result: subprocess.CompletedProcess[str], *starts: str) -> str:
    """The single stderr line of a failed command, which must start with ``openrouter: error: <start>``."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("openrouter: error: " + "".join(starts)), lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert CLI_KEY not in result.stdout + result.stderr
    return lines[0]


# --- chat ----------------------------------------------------------------------------------------


def test_chat_streams_the_answer_and_reports_usage(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.queue("chat_send", FakeStream.text("Bonjour", ", ", "monde"))
    result = run_cli("--server-url", openrouter_fake_server.url, "chat", "-m", MODEL, "--system", "Be French.", "Hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Bonjour, monde\n"
    assert re.fullmatch(
        r"openrouter: usage: \d+ prompt \+ \d+ completion = \d+ tokens \(openai/gpt-4o\)\n", result.stderr
    )
    sent = openrouter_fake_server.last_request.json()
    assert sent == {
        "model": MODEL,
        "messages": [{"role": "system", "content": "Be French."}, {"role": "user", "content": "Hi"}],
        "stream": True,
    }


def test_chat_reads_the_prompt_from_stdin(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli(
        "--server-url", openrouter_fake_server.url, "chat", "-m", MODEL, "--max-tokens", "20", stdin="Why?\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The capital of France is Paris.\n"
    sent = openrouter_fake_server.last_request.json()
    assert sent["messages"] == [{"role": "user", "content": "Why?\n"}]
    assert sent["max_tokens"] == 20


def test_chat_json_prints_one_chunk_per_line(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.queue("chat_send", FakeStream.text("a", "b"))
    result = run_cli("--server-url", openrouter_fake_server.url, "chat", "-m", MODEL, "--json", "Hi")
    assert result.returncode == 0, result.stderr
    chunks = [json.loads(line) for line in result.stdout.splitlines()]
    assert [chunk["object"] for chunk in chunks] == ["chat.completion.chunk"] * len(chunks)
    assert "".join(chunk["choices"][0]["delta"].get("content", "") for chunk in chunks if chunk["choices"]) == "ab"
    assert "usage:" in result.stderr


def test_chat_prints_each_piece_as_it_arrives(openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.queue("chat_send", FakeStream(["first", Pause(5), " second"], framed=True))
    process = subprocess.Popen(
        [sys.executable, "-m", "openrouter", "--server-url", openrouter_fake_server.url, "chat", "-m", MODEL, "Hi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        started = time.monotonic()
        assert os.read(process.stdout.fileno(), 5) == b"first"  # before the pause ends
        assert time.monotonic() - started < 5
        out, _ = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait(10)
    assert out == b" second\n"
    assert process.returncode == 0


def test_chat_in_band_error_keeps_the_text_and_exits_1(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    error = StreamError("Provider returned error", code=502)
    openrouter_fake_server.queue(
        "chat_send", FakeStream.text("partial", " answer", "never", error_after=3, error=error)
    )
    result = run_cli("--server-url", openrouter_fake_server.url, "chat", "-m", MODEL, "Hi")
    assert result.returncode == 1
    assert result.stdout == "partial answer\n"
    _one_error_line(result, "stream error 502 Bad Gateway: Provider returned error")


def test_chat_is_not_retried(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.queue("chat_send", FakeResponse.error(503, "Overloaded"))
    result = run_cli("--server-url", openrouter_fake_server.url, "chat", "-m", MODEL, "Hi")
    assert result.returncode == 1
    _one_error_line(result, "HTTP 503")
    assert len(openrouter_fake_server.requests) == 1


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("chat", "Hi"), "", "the following arguments are required: -m/--model"),
        (("chat", "-m", MODEL), "", "the prompt read from stdin is empty"),
        (("chat", "-m", MODEL, "--max-tokens", "many", "Hi"), "", "invalid int value: 'many'"),
        (("chat", "-m", MODEL, "--temperature", "warm", "Hi"), "", "invalid float value: 'warm'"),
    ],
)
def test_chat_usage_errors_exit_2_and_send_nothing(
    run_cli: Run, openrouter_fake_server: FakeOpenRouter, args: tuple[str, ...], stdin: str, message: str
) -> None:
    result = run_cli("--server-url", openrouter_fake_server.url, *args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert openrouter_fake_server.requests == []


def test_chat_interrupted_exits_130(openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.queue("chat_send", FakeStream(["thinking", Pause(20), "late"], framed=True))
    process = subprocess.Popen(
        [sys.executable, "-m", "openrouter", "--server-url", openrouter_fake_server.url, "chat", "-m", MODEL, "Hi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        assert os.read(process.stdout.fileno(), 8) == b"thinking"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    finally:
        process.kill()
        process.wait(10)
    assert process.returncode == 130
    assert err == b"openrouter: interrupted\n"


# --- call ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["api_keys_create", "createKeys", "api_keys.create"])
def test_call_by_any_name(run_cli: Run, openrouter_fake_server: FakeOpenRouter, name: str) -> None:
    result = run_cli("--server-url", openrouter_fake_server.url, "call", name, "--request", '{"name": "ci"}')
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["data"]["name"] == "ci"
    assert result.stdout.startswith("{\n  ")  # indented unless --json
    assert openrouter_fake_server.last_request.route == "POST /keys"


def test_call_json_is_one_line_and_state_is_kept(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    url = openrouter_fake_server.url
    created = run_cli("--server-url", url, "call", "api_keys_create", "--request", '{"name": "kept"}', "--json")
    assert created.returncode == 0, created.stderr
    assert len(created.stdout.splitlines()) == 1
    key_hash = json.loads(created.stdout)["data"]["hash"]
    fetched = run_cli("--server-url", url, "call", "getKey", "--request", json.dumps({"hash": key_hash}), "--json")
    assert json.loads(fetched.stdout)["data"]["name"] == "kept"


def test_call_reads_the_request_from_a_file_and_stdin(
    run_cli: Run, openrouter_fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    request = tmp_path / "request.json"
    request.write_text('{"name": "from a file"}', encoding="utf-8")
    url = openrouter_fake_server.url
    from_file = run_cli("--server-url", url, "call", "api_keys_create", "--request", f"@{request}")
    from_stdin = run_cli("--server-url", url, "call", "api_keys_create", "--request", "-", stdin='{"name": "piped"}')
    assert (from_file.returncode, from_stdin.returncode) == (0, 0), from_file.stderr + from_stdin.stderr
    assert [r.json()["name"] for r in openrouter_fake_server.requests] == ["from a file", "piped"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("call", "api_keys_creat"), "unknown operation 'api_keys_creat'; did you mean api_keys_create?"),
        (("call", "oauth_create_sha256_code_challenge"), "oauth_create_sha256_code_challenge sends no request"),
        (("call", "api_keys_create", "--request", "{name"), "--request: --request is not JSON: Expecting property"),
        (("call", "api_keys_create", "--request", "[1]"), "--request: expected a JSON object, got list"),
        (("call", "api_keys_create", "--request", "@/no/such/file.json"), "--request: cannot read /no/such/file.json"),
        (("call", "api_keys_create"), "request.name: is required"),
        (
            ("call", "api_keys_create", "--request", '{"name": 5, "limit": "x"}'),
            "2 invalid fields: request.name: expected a string",
        ),
        (
            ("call", "files_download", "--request", '{"file_id": "f"}'),
            "files_download answers with a file: pass -o FILE",
        ),
        (("call", "files_upload", "--file", "file"), "--file: expected FIELD=PATH, got 'file'"),
        (("call", "files_upload", "--file", "file=/no/such/upload"), "--file: no file at /no/such/upload"),
    ],
)
def test_call_bad_input_exits_2_with_one_line_and_sends_nothing(
    run_cli: Run, openrouter_fake_server: FakeOpenRouter, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("--server-url", openrouter_fake_server.url, *args)
    assert result.returncode == 2, result.stderr
    _one_error_line(result, message)
    assert openrouter_fake_server.requests == []


def test_call_names_every_failing_field(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli(
        "--server-url", openrouter_fake_server.url, "call", "api_keys_create", "--request", '{"limit": "x"}'
    )
    assert result.returncode == 2
    line = _one_error_line(result)
    assert "request.name" in line
    assert "request.limit" in line


def test_call_api_error_exits_1(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    result = run_cli("--server-url", openrouter_fake_server.url, "call", "getKey", "--request", '{"hash": "nope"}')
    assert result.returncode == 1
    _one_error_line(result, "HTTP 404")


def test_call_streams_events_as_json_lines(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    request = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "stream": True})
    openrouter_fake_server.queue("chat_send", FakeStream.text("x", "y"))
    as_json = run_cli("--server-url", openrouter_fake_server.url, "call", "chat_send", "--request", request, "--json")
    assert as_json.returncode == 0, as_json.stderr
    events = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert events
    assert all(event["object"] == "chat.completion.chunk" for event in events)
    openrouter_fake_server.queue("chat_send", FakeStream.text("x", "y"))
    as_text = run_cli("--server-url", openrouter_fake_server.url, "call", "chat_send", "--request", request)
    assert as_text.stdout == "xy\n"


def test_call_stream_of_another_operation_prints_text(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    request = json.dumps(
        {"model": MODEL, "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}], "stream": True}
    )
    openrouter_fake_server.queue("messages_create", FakeStream.text("Hel", "lo"))
    result = run_cli("--server-url", openrouter_fake_server.url, "call", "messages_create", "--request", request)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello\n"


def test_call_downloads_to_a_file(run_cli: Run, openrouter_fake_server: FakeOpenRouter, tmp_path: Path) -> None:
    openrouter_fake_server.queue("files_download", FakeDownload(300_000))
    target = tmp_path / "content.bin"
    result = run_cli(
        "--server-url",
        openrouter_fake_server.url,
        "call",
        "files_download",
        "--request",
        '{"file_id": "f"}',
        "-o",
        str(target),
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == FakeDownload.pattern(300_000)
    assert result.stderr == f"openrouter: wrote 300,000 bytes to {target}\n"


def test_call_download_to_stdout(openrouter_fake_server: FakeOpenRouter) -> None:
    openrouter_fake_server.queue("files_download", FakeDownload(70_000))
    args = [
        "--server-url",
        openrouter_fake_server.url,
        "call",
        "files_download",
        "--request",
        '{"file_id": "f"}',
        "-o",
        "-",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "openrouter", *args], capture_output=True, env=clean_env(), timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == FakeDownload.pattern(70_000)


def test_call_uploads_a_file(run_cli: Run, openrouter_fake_server: FakeOpenRouter, tmp_path: Path) -> None:
    upload = tmp_path / "notes.txt"
    upload.write_bytes(b"some notes\n")
    result = run_cli("--server-url", openrouter_fake_server.url, "call", "files_upload", "--file", f"file={upload}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
    sent = openrouter_fake_server.last_request
    assert sent.route == "POST /files"
    assert b'filename="notes.txt"' in sent.body
    assert b"some notes\n" in sent.body


def test_call_writes_json_to_a_file(run_cli: Run, openrouter_fake_server: FakeOpenRouter, tmp_path: Path) -> None:
    target = tmp_path / "models.json"
    result = run_cli("--server-url", openrouter_fake_server.url, "call", "models_list", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["data"][0]["id"]


def test_call_a_deprecated_operation_says_so_once(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    request = '{"amount": 10, "sender": "0x1234567890123456789012345678901234567890", "chain_id": 1}'
    result = run_cli(
        "--server-url", openrouter_fake_server.url, "call", "credits_create_coinbase_charge", "--request", request
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("deprecated") == 1
    assert len(result.stderr.splitlines()) == 1


# --- operations, models, keys --------------------------------------------------------------------


def test_operations_lists_every_operation(run_cli: Run) -> None:
    table = run_cli("operations")
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert rows[0].split() == ["FUNCTION", "METHOD", "PATH", "OPERATION", "ID", "TAG"]
    assert len(rows) == len(OPERATIONS) + 1
    as_json = run_cli("operations", "--json", "workspaces")
    listed = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert listed
    assert all("workspace" in json.dumps(item).lower() for item in listed)
    assert run_cli("operations", "zzz-nothing").returncode == 1


def test_models_list_table_and_json(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    table = run_cli("--server-url", openrouter_fake_server.url, "models", "list")
    assert table.returncode == 0, table.stderr
    header, first = table.stdout.splitlines()[:2]
    assert header.split() == ["MODEL", "CONTEXT", "INPUT", "$/M", "OUTPUT", "$/M", "NAME"]
    assert first.startswith("openai/gpt-4 ")
    assert "$30.00" in first  # 0.00003 per token
    assert re.fullmatch(r"openrouter: \d+ models?; prices are US dollars per million tokens\n", table.stderr)
    as_json = run_cli("--server-url", openrouter_fake_server.url, "models", "list", "--json", "--search", "gpt")
    assert json.loads(as_json.stdout)[0]["id"] == "openai/gpt-4"
    assert openrouter_fake_server.last_request.query == "q=gpt"


def test_keys_list(run_cli: Run, openrouter_fake_server: FakeOpenRouter) -> None:
    url = openrouter_fake_server.url
    run_cli("--server-url", url, "call", "api_keys_create", "--request", '{"name": "listed", "limit": 12.5}')
    result = run_cli("--server-url", url, "keys", "list")
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0].split() == ["NAME", "LABEL", "USAGE", "LIMIT", "STATUS", "HASH"]
    listed = [row for row in rows if row.startswith("listed ")]
    assert len(listed) == 1
    assert "$12.50" in listed[0]
    assert "active" in listed[0]


# --- every command against --fake ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("chat", "-m", MODEL, "Hi"),
        ("call", "models_count"),
        ("call", "embeddings_generate", "--request", '{"model": "m", "input": "text"}', "--json"),
        ("models", "list"),
        ("keys", "list"),
        ("credits",),
    ],
)
def test_every_command_works_with_fake_and_no_key(run_cli: Run, args: tuple[str, ...]) -> None:
    result = run_cli("--fake", *args, api_key=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_fake_and_server_url_together_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("--fake", "--server-url", "http://127.0.0.1:9", "credits")
    assert result.returncode == 2
    _one_error_line(result, "--fake and --server-url: give one of them")
