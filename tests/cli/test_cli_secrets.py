"""For random keys, nothing the CLI prints contains the key, even with --debug and a server echoing it."""

from __future__ import annotations

import string

from _cli_helpers import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrouter.testing import FakeOpenRouter, FakeResponse, RecordedRequest

KEYS = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=12, max_size=48).map(
    lambda s: "sk-or-" + s
)


def echo_key(request: RecordedRequest) -> FakeResponse:
    key = request.api_key(reveal=True)
    return FakeResponse.error(401, f"invalid key {key}", headers={"X-Echo": f"Bearer {key}"})


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(key=KEYS)
def test_cli_output_never_contains_the_key(run_cli: Run, key: str) -> None:
    with FakeOpenRouter.serve() as fake:
        fake.queue("GET /credits", echo_key)
        fake.queue("POST /credits/coinbase", echo_key)
        runs = [
            run_cli("--debug", "--api-key", key, "--server-url", fake.url, "credits", api_key=None),
            run_cli("--debug", "--server-url", fake.url, "credits", "--json", api_key=key),
            run_cli("--debug", "--api-key", key, "--server-url", fake.url, "credits", api_key=None),
            run_cli(
                "--debug",
                "--server-url",
                fake.url,
                "coinbase-charge",
                "--amount",
                "5",
                "--sender",
                "0x" + "a" * 40,
                "--chain-id",
                "1",
                api_key=key,
            ),
        ]
    assert [r.returncode for r in runs] == [1, 0, 0, 1]
    for result in runs:
        assert key not in result.stdout
        assert key not in result.stderr
