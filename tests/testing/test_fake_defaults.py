"""Every default answer of the fake, for every operation, is valid against the API document (jsonschema)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openrouter.testing import IN_PROCESS_URL, FakeOpenRouter
from openrouter.testing._data import load
from openrouter.testing._routes import ROUTES, Route
from tests.testing._fake_document import event_schema, parse_sse, routes, success_schema, validate, wire_request

IDS = [route.operation_id for route in ROUTES]


@pytest.fixture
def fake() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter() as fake:
        yield fake


def send(fake: FakeOpenRouter, route: Route, **body_fields: Any) -> httpx.Response:
    path_params = {}
    found = fake.store._roles.get(route.operation_id)
    if found is not None and found[1] in ("get", "update", "delete"):
        collection = found[0]
        path_params[collection.key] = fake.store.items(collection.path)[0][collection.key]
    wire = wire_request(route, path_params, **body_fields)
    with httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as client:
        return client.request(route.method, wire.path, params=wire.query, headers=wire.headers, content=wire.content)


def test_the_fake_serves_every_operation_of_the_document() -> None:
    assert len({route.operation_id.removesuffix("_multipart") for route in ROUTES}) == 97
    assert len(ROUTES) == 98  # the multipart transcription is its own form, as in the SDK


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_default_answer_is_valid(fake: FakeOpenRouter, route: Route) -> None:
    response = send(fake, route)
    assert response.status_code == route.status, response.text
    if route.answer == "json":
        assert response.headers["content-type"] == "application/json"
        validate(response.json(), success_schema(route.operation_id))
    else:
        assert route.answer == "binary"
        assert response.content
        assert (
            response.headers["content-type"]
            == {
                "createAudioSpeech": "audio/pcm",  # the documented default format
                "downloadFileContent": "application/octet-stream",
                "listVideosContent": "video/mp4",
            }[route.operation_id]
        )


@pytest.mark.parametrize("route", routes(stream=True), ids=lambda route: route.operation_id)
def test_default_stream_is_valid(fake: FakeOpenRouter, route: Route) -> None:
    response = send(fake, route, stream=True)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    events = parse_sse(response.text)
    assert events[-1] == (None, "[DONE]")
    assert len(events) >= 3
    named = route.operation_id == "createMessages"
    for name, data in events[:-1]:
        value = json.loads(data)
        validate(value, event_schema(route.operation_id))
        assert name == (value["type"] if named else None)


def test_the_streamed_text_is_the_json_answers_text(fake: FakeOpenRouter) -> None:
    route = next(route for route in ROUTES if route.operation_id == "sendChatCompletionRequest")
    whole = send(fake, route).json()["choices"][0]["message"]["content"]
    chunks = [json.loads(data) for _, data in parse_sse(send(fake, route, stream=True).text)[:-1]]
    assert "".join(chunk["choices"][0]["delta"].get("content", "") for chunk in chunks) == whole


def test_responses_events_are_numbered_in_order(fake: FakeOpenRouter) -> None:
    route = next(route for route in ROUTES if route.operation_id == "createResponses")
    events = [json.loads(data) for _, data in parse_sse(send(fake, route, stream=True).text)[:-1]]
    assert [event["sequence_number"] for event in events] == list(range(len(events)))
    assert events[0]["type"] == "response.created"
    assert events[-1]["type"] == "response.completed"


def test_the_requested_model_is_echoed(fake: FakeOpenRouter) -> None:
    route = next(route for route in ROUTES if route.operation_id == "sendChatCompletionRequest")
    assert send(fake, route, model="acme/model-1").json()["model"] == "acme/model-1"
    chunks = [json.loads(data) for _, data in parse_sse(send(fake, route, model="acme/m", stream=True).text)[:-1]]
    assert {chunk["model"] for chunk in chunks} == {"acme/m"}


def test_the_rss_alternative_is_served_when_accepted(fake: FakeOpenRouter) -> None:
    with httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as client:
        response = client.get("/models", headers={"Authorization": "Bearer k", "Accept": "application/rss+xml"})
    assert response.headers["content-type"] == "application/rss+xml"
    assert response.text.startswith("<rss>")


def test_repaired_examples_are_the_known_ones() -> None:
    """The document's success examples that contradict their own schema (the fake answers them repaired)."""
    repaired = load()["repaired"]
    assert sorted(repaired) == [
        "deleteFile",
        "getFileMetadata",
        "getGeneration",
        "getModels",
        "listEmbeddingsModels",
        "listFiles",
        "listModelsUser",
        "listVideosModels",
        "uploadFile",
    ]
    assert repaired["getGeneration"] == ["data.workspace_id: added (required)"]
    assert repaired["deleteFile"] == ["_shape: added (required)"]
