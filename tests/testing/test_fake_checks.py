"""The fake refuses what the API refuses: unknown routes, bad JSON, missing or wrong fields, missing keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openrouter.testing import IN_PROCESS_URL, FakeOpenRouter, FakeResponse
from tests.testing._fake_document import BOUNDARY, multipart

AUTH = {"Authorization": "Bearer sk-or-v1-checks"}
CHAT = {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}


@pytest.fixture(params=["in_process", "socket"])
def client(request: pytest.FixtureRequest) -> Iterator[tuple[FakeOpenRouter, httpx.Client]]:
    with FakeOpenRouter(hang_limit=5) as fake:
        base_url = fake.start().url if request.param == "socket" else IN_PROCESS_URL
        transport = fake.transport() if request.param == "in_process" else None
        with httpx.Client(transport=transport, base_url=base_url, trust_env=False, timeout=5) as http:
            yield fake, http


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with FakeOpenRouter() as fake, httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as client:
        yield client


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == status
    message: str = body["error"]["message"]
    return message


def bad_request(response: httpx.Response) -> str:
    message = error(response, 400)
    assert message.startswith("Invalid request parameters: ")
    return message.removeprefix("Invalid request parameters: ")


def chat(http: httpx.Client, **changes: Any) -> httpx.Response:
    return http.post("/chat/completions", headers=AUTH, json={**CHAT, **changes})


def test_unknown_path_and_method(client: tuple[FakeOpenRouter, httpx.Client]) -> None:
    _, http = client
    assert error(http.get("/nope/such", headers=AUTH), 404) == "Resource not found"
    response = http.delete("/chat/completions", headers=AUTH)
    assert error(response, 405) == "Method Not Allowed"
    assert response.headers["allow"] == "POST"
    assert http.get("/models/count", headers=AUTH).status_code == 200  # a literal path beats /models/{...}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "the body is not valid JSON"),
        (b'{"model": NaN}', "the body is not valid JSON"),
        (b"", "the body is required (JSON)"),
        (b"[]", "the body must be an object"),
        (b'{"messages": ' + b"[" * 5000 + b"]" * 5000 + b"}", "the body is nested too deeply"),
    ],
)
def test_a_body_that_is_not_a_json_object(
    client: tuple[FakeOpenRouter, httpx.Client], content: bytes, problem: str
) -> None:
    _, http = client
    assert bad_request(http.post("/chat/completions", headers=AUTH, content=content)) == problem


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"messages": [{"content": "Hi"}]}, "messages[0].role is required (one of "),
        ({"messages": [{"role": "robot", "content": "Hi"}]}, "messages[0].role must be one of "),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content must be a string or an array"),
        ({"messages": [{"role": "user"}]}, "messages[0].content is required"),
        ({"messages": "Hi"}, "messages must be an array"),
        ({"model": 5}, "model must be a string"),
        ({"temperature": "hot"}, "temperature must be a number or null"),
        ({"max_completion_tokens": 1.5}, "max_completion_tokens must be an integer or null"),
        ({"stream": "yes"}, "stream must be a boolean"),
        ({"provider": {"sort_by": "price"}}, "provider.sort_by is not allowed"),
    ],
)
def test_chat_bodies_are_checked_against_the_document(
    http: httpx.Client, changes: dict[str, Any], problem: str
) -> None:
    assert bad_request(chat(http, **changes)).startswith(problem)


def test_a_missing_required_field_is_named(http: httpx.Client) -> None:
    response = http.post("/chat/completions", headers=AUTH, json={"model": "m"})
    assert bad_request(response) == "messages is required"
    assert response.json()["error"]["metadata"] == {"issues": [{"path": "messages", "message": "is required"}]}


def test_every_problem_is_listed(http: httpx.Client) -> None:
    response = http.post("/keys", headers=AUTH, json={"name": 5, "limit": "ten"})
    issues = response.json()["error"]["metadata"]["issues"]
    assert {issue["path"] for issue in issues} == {"name", "limit"}
    assert bad_request(response) == "name must be a string; limit must be a number or null"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("/workspaces?limit=0", "limit must be at least 1"),
        ("/workspaces?limit=101", "limit must be at most 100"),
        ("/workspaces?limit=ten", "limit must be an integer"),
        ("/workspaces?offset=-1", "offset must be at least 0"),
        ("/workspaces/w1/budgets/yearly", "interval must be one of "),
        ("/generation", "id is required"),
        ("/benchmarks?source=nowhere", "source must be one of "),
    ],
)
def test_parameters_are_read_as_their_types_and_checked(http: httpx.Client, url: str, problem: str) -> None:
    assert bad_request(http.get(url, headers=AUTH)).startswith(problem)


def test_good_parameters_pass(http: httpx.Client) -> None:
    assert http.get("/workspaces?limit=2&offset=0", headers=AUTH).status_code == 200
    assert http.get("/workspaces/w1/budgets/weekly", headers=AUTH).status_code == 200
    assert http.get("/activity?unknown=ignored", headers=AUTH).status_code == 200  # as the API ignores them


def test_a_header_parameter_is_checked(http: httpx.Client) -> None:
    headers = {**AUTH, "X-OpenRouter-Metadata": "everything"}
    assert bad_request(http.post("/chat/completions", headers=headers, json=CHAT)).startswith(
        "X-OpenRouter-Metadata must be one of"
    )


def test_multipart_bodies_are_checked(http: httpx.Client) -> None:
    form = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **AUTH}
    assert http.post("/files", headers=form, content=multipart({"file": "x"}, {"file"})).status_code == 200
    assert (
        bad_request(http.post("/files", headers=form, content=multipart({"other": "x"}, set()))) == "file is required"
    )
    assert bad_request(http.post("/files", headers=AUTH, json={"file": "x"})) == "the body must be multipart/form-data"
    fields = {"file": "x", "model": "m", "temperature": "warm", "timestamp_granularities[]": ["word", "line"]}
    response = http.post("/audio/transcriptions", headers=form, content=multipart(fields, {"file"}))
    assert bad_request(response) == (
        'temperature must be a number; timestamp_granularities[][1] must be one of "word", "segment"'
    )


def test_the_json_form_of_a_two_form_operation(http: httpx.Client) -> None:
    response = http.post("/audio/transcriptions", headers=AUTH, json={"model": "m"})
    assert bad_request(response) == "input_audio is required"


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic abc"])
def test_no_key_is_the_documented_401(client: tuple[FakeOpenRouter, httpx.Client], authorization: str | None) -> None:
    _, http = client
    headers = {} if authorization is None else {"Authorization": authorization}
    assert error(http.post("/chat/completions", headers=headers, json=CHAT), 401) == "Missing Authentication header"


def test_keys_and_management_keys(http: httpx.Client) -> None:
    fake: FakeOpenRouter = http._transport._fake  # type: ignore[attr-defined]
    fake.api_keys = frozenset({"sk-good"})
    fake.management_keys = frozenset({"sk-admin"})
    assert error(http.get("/credits", headers={"Authorization": "Bearer sk-bad"}), 401) == "User not found."
    assert error(http.get("/credits", headers={"Authorization": "Bearer sk-good"}), 403) == (
        "Only management keys can perform this operation"
    )
    assert http.get("/credits", headers={"Authorization": "Bearer sk-admin"}).status_code == 200
    assert http.get("/models", headers={"Authorization": "Bearer sk-good"}).status_code == 200
    assert http.get("/models", headers={"Authorization": "Bearer sk-admin"}).status_code == 200


def test_the_key_is_checked_before_the_body(http: httpx.Client) -> None:
    assert error(http.post("/chat/completions", content=b"{"), 401) == "Missing Authentication header"


def test_a_bad_request_leaves_the_queued_answer_for_a_good_one(client: tuple[FakeOpenRouter, httpx.Client]) -> None:
    fake, http = client
    fake.queue("chat_send", FakeResponse.error(429))
    assert chat(http, model=5).status_code == 400
    assert fake.pending == 1
    assert chat(http).status_code == 429
    assert [r.operation for r in fake.requests] == ["sendChatCompletionRequest"] * 2


def test_checks_can_be_turned_off() -> None:
    with (
        FakeOpenRouter(check_requests=False) as fake,
        httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as http,
    ):
        response = http.post("/chat/completions", headers=AUTH, json={"model": 5})
        assert response.status_code == 200
        assert json.loads(response.content)["object"] == "chat.completion"
        assert http.post("/chat/completions", headers=AUTH, content=b"{").status_code == 200
