"""The pytest plugin's fixtures, from sync and async tests, and the README's testing examples as users run them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from openrouter import OpenRouter
from openrouter.testing import FakeOpenRouter, FakeStream
from openrouter_core import OpenRouterCore, UnauthorizedResponseError
from openrouter_funcs.chat_send import chat_send, chat_send_async
from openrouter_funcs.credits_get_credits import credits_get_credits

if TYPE_CHECKING:
    from openrouter_funcs.models.chat_messages import ChatMessagesDict

README = Path(__file__).resolve().parents[2] / "README.md"
MESSAGES: list[ChatMessagesDict] = [{"role": "user", "content": "Hi"}]


def test_the_core_fixture_is_wired_to_the_fake(
    openrouter_fake: FakeOpenRouter, openrouter_fake_core: OpenRouterCore
) -> None:
    assert credits_get_credits(openrouter_fake_core).unwrap().data.total_credits == 100.5
    assert openrouter_fake.last_request.operation == "getCredits"


@pytest.mark.anyio
async def test_the_core_fixture_in_an_async_test(
    openrouter_fake: FakeOpenRouter, openrouter_fake_core: OpenRouterCore
) -> None:
    openrouter_fake.queue("chat_send", FakeStream.text("a", "b"))
    result = await chat_send_async(openrouter_fake_core, {"model": "m", "messages": MESSAGES, "stream": True})
    chunks = [chunk async for chunk in result.unwrap()]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "ab"
    assert result.unwrap().error is None


def test_the_client_fixture(openrouter_fake_client: OpenRouter) -> None:
    assert (
        openrouter_fake_client.chat.send({"model": "m", "messages": MESSAGES}).choices[0].message.content
        == "The capital of France is Paris."
    )


@pytest.mark.anyio
async def test_the_client_fixture_in_an_async_test(openrouter_fake_client: OpenRouter) -> None:
    models = await openrouter_fake_client.models.list_async()
    assert models.data


@pytest.mark.openrouter_fake(api_keys=["sk-only"], total_credits=7)
def test_the_marker_sets_the_fakes_settings(
    openrouter_fake: FakeOpenRouter, openrouter_fake_core: OpenRouterCore
) -> None:
    assert openrouter_fake.total_credits == 7
    refused = credits_get_credits(openrouter_fake_core)
    assert not refused.ok
    assert isinstance(refused.error, UnauthorizedResponseError)
    with openrouter_fake.core("sk-only") as core:
        assert credits_get_credits(core).unwrap().data.total_credits == 7


@pytest.mark.openrouter_fake(total_usage=1)
def test_the_marker_applies_to_the_server_too(openrouter_fake_server: FakeOpenRouter) -> None:
    with openrouter_fake_server.core() as core:
        assert credits_get_credits(core).unwrap().data.total_usage == 1


def test_streaming_with_the_facade_raises_at_the_error(openrouter_fake: FakeOpenRouter) -> None:
    openrouter_fake.queue("chat_send", FakeStream.text("a", "b", error_after=2))
    with openrouter_fake.client() as client, pytest.raises(Exception, match="Provider returned error"):
        list(client.chat.send({"model": "m", "messages": MESSAGES, "stream": True}))
    assert chat_send(openrouter_fake.core(), {"model": "m", "messages": MESSAGES}).ok


def test_the_readme_testing_examples_pass(tmp_path: Path) -> None:
    section = README.read_text(encoding="utf-8").split("## Testing your code", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 2
    for number, block in enumerate(blocks):
        (tmp_path / f"test_example_{number}.py").write_text(block, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
