"""Prism serves the OpenAPI document as the conformance tests expect, checked with raw httpx.

These pin down the mock's behaviour that SDK-level conformance tests will rely on: where the
paths are mounted, that security and request bodies are enforced, the bodies of its validation
errors, and the ``Prefer`` header. The expected bodies are the document's own examples
(openapi/openrouter.openapi.yaml).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

AUTH = {"Authorization": "Bearer sk-or-v1-conformance"}

# The document's examples (components of the responses of GET /credits and GET /keys/{hash}).
UNAUTHORIZED_BODY = {"error": {"code": 401, "message": "Missing Authentication header"}}
BAD_REQUEST_BODY = {"error": {"code": 400, "message": "Invalid request parameters"}}
NOT_FOUND_BODY = {"error": {"code": 404, "message": "Resource not found"}}


@pytest.fixture
def client(prism_url: str) -> Iterator[httpx.Client]:
    # trust_env=False: no proxy from the environment may stand between the tests and 127.0.0.1.
    with httpx.Client(base_url=prism_url, trust_env=False, timeout=10.0) as http:
        yield http


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's ``sl-violations`` header: what it found wrong with the request (or response)."""
    found = json.loads(response.headers.get("sl-violations", "[]"))
    assert isinstance(found, list)
    return found


def test_the_base_url_is_local(prism_url: str) -> None:
    assert prism_url.startswith("http://127.0.0.1:")
    assert not prism_url.endswith("/")


def test_get_credits_with_a_bearer_key_answers_200_json(client: httpx.Client) -> None:
    response = client.get("/credits", headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()["data"]
    assert isinstance(data["total_credits"], (int, float))
    assert isinstance(data["total_usage"], (int, float))
    assert violations(response) == []


def test_paths_are_served_at_the_root_not_under_the_servers_path(client: httpx.Client) -> None:
    # The document's server is https://openrouter.ai/api/v1; Prism does not mount /api/v1.
    response = client.get("/api/v1/credits", headers=AUTH)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("#NO_PATH_MATCHED_ERROR")


def test_get_credits_without_authorization_answers_the_documented_401(client: httpx.Client) -> None:
    response = client.get("/credits")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED_BODY
    assert [v["code"] for v in violations(response)] == [401]


def test_a_non_bearer_authorization_answers_401(client: httpx.Client) -> None:
    response = client.get("/credits", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED_BODY


def test_an_invalid_body_answers_the_documented_400(client: httpx.Client) -> None:
    # "name" is required and "limit" must be a number or null. The operation documents a 400, so
    # Prism answers that (not its generic 422), with the document's example as the body and each
    # violation in the sl-violations header.
    response = client.post("/keys", headers=AUTH, json={"limit": "lots"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == BAD_REQUEST_BODY
    found = {(tuple(v["location"]), v["code"]) for v in violations(response)}
    assert found == {(("request", "body"), "required"), (("request", "body", "limit"), "type")}


def test_a_missing_body_answers_400(client: httpx.Client) -> None:
    response = client.post("/keys", headers=AUTH)
    assert response.status_code == 400
    assert response.json() == BAD_REQUEST_BODY


def test_a_valid_body_answers_201(client: httpx.Client) -> None:
    response = client.post("/keys", headers=AUTH, json={"name": "conformance"})
    assert response.status_code == 201
    assert isinstance(response.json()["key"], str)


def test_prefer_code_404_answers_the_documented_404(client: httpx.Client) -> None:
    assert client.get("/keys/abc123", headers=AUTH).status_code == 200
    response = client.get("/keys/abc123", headers={**AUTH, "Prefer": "code=404"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == NOT_FOUND_BODY


def test_prefer_an_undocumented_code_answers_prisms_own_404(client: httpx.Client) -> None:
    # GET /credits documents no 404: Prism says so in a problem document, with status 404 too.
    response = client.get("/credits", headers={**AUTH, "Prefer": "code=404"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("#NOT_FOUND")
    assert "404 is not defined in the document" in problem["detail"]


def test_request_validation_comes_before_prefer(client: httpx.Client) -> None:
    response = client.post("/keys", headers={**AUTH, "Prefer": "code=201"}, json={})
    assert response.status_code == 400
